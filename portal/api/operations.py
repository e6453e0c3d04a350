"""API client operations: create (the key is returned once), revoke, authenticate, rate-limit.

Like every domain operation: validate, change, flush, audit; never commit, never touch `request`.

Keys look like `wpk_<prefix>_<secret>`: the prefix (8 hex characters) finds the row, the secret
has 256 bits of randomness; only SHA-256 of the whole key is stored and compared in constant time.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.accounts.models import Organisation, User
from portal.api.models import ALLOWED_SCOPES, MAX_VALIDITY_DAYS, ApiClient, Scope, role_for
from portal.core import audit, db
from portal.core.audit import AuditEntry
from portal.core.errors import DomainError, NotAllowed
from portal.core.roles import Role

KEY_PREFIX = "wpk"
REQUEST_ACTION = "api.request"
RATE_LIMITED_ACTION = "api.rate_limited"
NAME_MAX = 200


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _new_key() -> tuple[str, str]:
    while True:
        prefix = secrets.token_hex(4)
        if db.session.scalar(select(ApiClient.id).where(ApiClient.key_prefix == prefix)) is None:
            return prefix, f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"


def check_scopes(role: Role, scopes: Iterable[str]) -> list[str]:
    """The scopes as a sorted list; DomainError for an unknown scope or one the role may not hold."""
    wanted = list(dict.fromkeys(scopes))
    if not wanted:
        raise DomainError(_("Kies minstens één recht."), field="scopes")
    for value in wanted:
        if value not in Scope._value2member_map_:
            raise DomainError(_("Onbekend recht: %(scope)s.", scope=value[:40]), field="scopes")
        if Scope(value) not in ALLOWED_SCOPES.get(role, frozenset()):
            raise DomainError(
                _("Een client met deze rol kan het recht ‘%(scope)s’ niet krijgen.", scope=Scope(value).label), field="scopes"
            )
    return sorted(wanted)


def create_client(actor: Any, *, name: str, organisation: Organisation | None, scopes: Iterable[str],
                  expires_at: dt.datetime, now: dt.datetime | None = None) -> tuple[ApiClient, str]:
    """A new client with its service account; returns (client, key). The key is never stored."""
    if actor is not None and getattr(actor, "role", None) != Role.ADMIN:
        raise NotAllowed(_("Alleen een beheerder maakt API-clients aan."))
    now = now or db.utcnow()
    name = (name or "").strip()
    if not 1 <= len(name) <= NAME_MAX:
        raise DomainError(_("Vul een naam in van hoogstens %(max)d tekens.", max=NAME_MAX), field="name")
    if organisation is not None and not organisation.is_approved:
        raise DomainError(_("Kies een goedgekeurde organisatie."), field="organisation_id")
    scopes = list(scopes)
    role = role_for(organisation, scopes)
    scope_list = check_scopes(role, scopes)
    if expires_at <= now:
        raise DomainError(_("De vervaldatum ligt in de toekomst."), field="expires_on")
    if expires_at > now + dt.timedelta(days=MAX_VALIDITY_DAYS):
        raise DomainError(_("Een sleutel is hoogstens %(days)d dagen geldig.", days=MAX_VALIDITY_DAYS), field="expires_on")
    prefix, key = _new_key()
    service_user = User(
        email=f"api-client-{prefix}@api-clients.invalid", name=f"API: {name}"[:200], role=role,
        organisation_id=organisation.id if organisation is not None else None,
        password_hash="!api-client-no-login", active=False,
    )
    db.session.add(service_user)
    db.session.flush()
    client = ApiClient(
        name=name, key_prefix=prefix, key_hash=hash_key(key), organisation_id=service_user.organisation_id,
        service_user_id=service_user.id, scopes=scope_list, expires_at=expires_at,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(client)
    db.session.flush()
    audit.record("api_client.created", client, actor=actor, organisation_id=client.organisation_id,
                 scopes=scope_list, expires_at=expires_at.isoformat())
    return client, key


def revoke_client(client: ApiClient, actor: Any, now: dt.datetime | None = None) -> None:
    """Revoked at once: the next call with the key gets 401."""
    if client.revoked_at is not None:
        return
    client.revoked_at = now or db.utcnow()
    db.session.flush()
    audit.record("api_client.revoked", client, actor=actor)


def authenticate(key: str | None, now: dt.datetime | None = None) -> ApiClient | None:
    """The usable client for this key, or None (unknown, wrong secret, revoked or expired)."""
    if not key or len(key) > 200:
        return None
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or len(parts[1]) != 8:
        return None
    client = db.session.scalar(select(ApiClient).where(ApiClient.key_prefix == parts[1]))
    if client is None or not secrets.compare_digest(client.key_hash, hash_key(key)):
        return None
    if not client.is_usable(now):
        return None
    return client


def seconds_until_allowed(client: ApiClient, limit: int, window_seconds: int = 60,
                          now: dt.datetime | None = None) -> int:
    """0 when the client may make another call; else the seconds to wait (for Retry-After).

    Counted from the audit log (one entry per call), so the limit holds across worker processes.
    """
    now = now or db.utcnow()
    since = now - dt.timedelta(seconds=window_seconds)
    recent = select(AuditEntry.at).where(
        AuditEntry.actor_id == client.service_user_id, AuditEntry.action == REQUEST_ACTION, AuditEntry.at > since,
    )
    count = db.session.scalar(select(func.count()).select_from(recent.subquery())) or 0
    if count < limit:
        return 0
    oldest = db.session.scalar(recent.order_by(AuditEntry.at.desc()).offset(limit - 1).limit(1))
    if oldest is None:
        return 1
    return max(1, int((oldest + dt.timedelta(seconds=window_seconds) - now).total_seconds()) + 1)


def record_call(client: ApiClient, *, method: str, path: str, status: int, rate_limited: bool = False) -> AuditEntry:
    """Every call is audited like a page view (the service account is the actor)."""
    client.last_used_at = db.utcnow()
    return audit.record(RATE_LIMITED_ACTION if rate_limited else REQUEST_ACTION, client, actor=client.service_user,
                        method=method, path=path[:300], status=status)
