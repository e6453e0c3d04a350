"""API clients: who may call /api/v1, acting for which organisation, with which scopes, until when.

A client acts as ONE role, through its own service account (a `User` row that can never sign in:
inactive, no usable password): an employer of the client's organisation; without an organisation
and with only `monitor:read`, a policy officer (aggregates only, never a person); otherwise,
without an organisation, WSP staff for the whole region. Every API call runs the same object rules
(`can_view`, the consent visibility rule, the placement operations) against that service account,
so a key never grants more than that role would in the browser; scopes only narrow it further.

The key itself is shown once. Stored: a public prefix (to find the row) and the SHA-256 of the
whole key; the key has 256 bits of randomness, so a plain hash is enough (no password stretching).
"""
from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core import db
from portal.core.roles import Role


class Scope(enum.StrEnum):
    PLACEMENTS_READ = "placements:read"
    PLACEMENTS_WRITE = "placements:write"
    CANDIDATES_READ = "candidates:read"
    TRAJECTS_READ = "trajects:read"
    MONITOR_READ = "monitor:read"

    @property
    def label(self) -> str:
        return str(SCOPE_LABELS[self])


SCOPE_LABELS = {
    Scope.PLACEMENTS_READ: _l("Plekken, bijeenkomsten en bedrijfsbezoeken lezen"),
    Scope.PLACEMENTS_WRITE: _l("Plekken van de eigen organisatie aanmaken en wijzigen"),
    Scope.CANDIDATES_READ: _l("Kandidaatprofielen (beperkt) en matches lezen"),
    Scope.TRAJECTS_READ: _l("Trajecten lezen"),
    Scope.MONITOR_READ: _l("Monitoringcijfers lezen (alleen totalen)"),
}

#: The scopes each kind of client may hold: never more than the role can do in the browser.
#: An employer sees no monitoring; region-wide staff-like clients get no candidate profiles (the
#: API only gives the employer-level profile, which needs an organisation's consent scope) and do
#: not write placements (only employers write their own).
ALLOWED_SCOPES = {
    Role.EMPLOYER: frozenset({Scope.PLACEMENTS_READ, Scope.PLACEMENTS_WRITE, Scope.CANDIDATES_READ, Scope.TRAJECTS_READ}),
    Role.WSP: frozenset({Scope.PLACEMENTS_READ, Scope.TRAJECTS_READ, Scope.MONITOR_READ}),
    Role.POLICY_OFFICER: frozenset({Scope.MONITOR_READ}),
}


def role_for(organisation: Any, scopes: Any) -> Role:
    """The least role that can do what the scopes ask."""
    if organisation is not None:
        return Role.EMPLOYER
    return Role.POLICY_OFFICER if set(scopes) == {Scope.MONITOR_READ.value} else Role.WSP

MAX_VALIDITY_DAYS = 366


class ApiClient(db.Base):
    __tablename__ = "api_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    key_prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    service_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    last_used_at: Mapped[dt.datetime | None]

    organisation: Mapped[Any] = relationship("Organisation")
    service_user: Mapped[Any] = relationship("User", foreign_keys=[service_user_id])
    created_by: Mapped[Any] = relationship("User", foreign_keys=[created_by_id])

    @property
    def role(self) -> Role:
        return self.service_user.role

    @property
    def scope_set(self) -> frozenset[Scope]:
        """The stored scopes, narrowed to what the client's role may ever hold."""
        allowed = ALLOWED_SCOPES.get(self.role, frozenset())
        return frozenset(Scope(s) for s in self.scopes if s in Scope._value2member_map_) & allowed

    def is_usable(self, now: dt.datetime | None = None) -> bool:
        now = now or db.utcnow()
        return self.revoked_at is None and self.expires_at > now

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.is_usable() else "expired"

    @property
    def status_label(self) -> str:
        return str({"revoked": _l("Ingetrokken"), "active": _l("Actief"), "expired": _l("Verlopen")}[self.status])
