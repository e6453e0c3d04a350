"""The roles of the portal (DESIGN.md §2)."""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class Role(enum.StrEnum):
    EMPLOYER = "employer"
    ACCOUNT_MANAGER = "account_manager"
    WSP = "wsp"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.EMPLOYER: _l("Werkgever"),
    Role.ACCOUNT_MANAGER: _l("Accountmanager"),
    Role.WSP: _l("Medewerker Werkgeversservicepunt"),
    Role.ADMIN: _l("Beheerder"),
}

STAFF_ROLES = frozenset({Role.ACCOUNT_MANAGER, Role.WSP, Role.ADMIN})
