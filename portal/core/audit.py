"""Audit log: who did what to which object, when. Entries hold no personal data of candidates.

Other areas may follow the audit log inside the same transaction:

    @audit.on_record
    def follow(entry, obj):            # entry: the new AuditEntry (not yet flushed); obj: the object or None
        ...                            # add rows to db.session; never commit; raising aborts the change

Listeners run in the order they were registered, for every `record(...)` call.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.core import db


class AuditEntry(db.Base):
    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=db.utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    actor_role: Mapped[str | None] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(String(64))
    object_id: Mapped[int | None]
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ip_address: Mapped[str | None] = mapped_column(String(64))


def record(action: str, obj: Any = None, *, actor: Any = None, **details: Any) -> AuditEntry:
    """Add an audit entry to the current transaction (flushed with the change it describes)."""
    if obj is not None and getattr(obj, "id", 1) is None:
        db.session.flush()  # the entry must name the object's id
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    entry = AuditEntry(
        action=action,
        actor_id=getattr(actor, "id", None),
        actor_role=str(actor.role) if actor is not None and getattr(actor, "role", None) else None,
        object_type=type(obj).__tablename__ if obj is not None and hasattr(type(obj), "__tablename__") else None,
        object_id=getattr(obj, "id", None),
        details=details,
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    for listener in list(_LISTENERS):
        listener(entry, obj)
    return entry


Listener = Callable[[AuditEntry, Any], None]
_LISTENERS: list[Listener] = []


def on_record(listener: Listener) -> Listener:
    """Register `listener(entry, obj)`, called by every `record(...)` in the caller's transaction."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)
    return listener
