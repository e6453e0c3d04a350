"""The roles of the portal (DESIGN.md §2)."""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class Role(enum.StrEnum):
    EMPLOYER = "employer"
    ACCOUNT_MANAGER = "account_manager"
    WSP = "wsp"
    ADMIN = "admin"
    #: Read-only: sees the results area (aggregates and definitions), never a person.
    POLICY_OFFICER = "policy_officer"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.EMPLOYER: _l("Werkgever"),
    Role.ACCOUNT_MANAGER: _l("Accountmanager"),
    Role.WSP: _l("Medewerker Werkgeversservicepunt"),
    Role.ADMIN: _l("Beheerder"),
    Role.POLICY_OFFICER: _l("Beleidsmedewerker"),
}

STAFF_ROLES = frozenset({Role.ACCOUNT_MANAGER, Role.WSP, Role.ADMIN})

#: Roles that work with persons (candidates, employers' records). The policy officer is not one.
WORKING_ROLES = frozenset({Role.EMPLOYER, *STAFF_ROLES})
