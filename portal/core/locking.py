"""Locking for capacity and double-booking checks (the rules, after pretix):

1. Lock inside the transaction that will insert the booking, as late as possible but BEFORE the
   count or overlap check.
2. Lock rows in a fixed order (sorted by table name, then id) so two requests never deadlock.
3. Use a short timeout; when it passes, tell the user "busy, try again" instead of hanging.

PostgreSQL: `SELECT ... FOR UPDATE` on the rows that own the capacity (the event, the slot, the
candidate). SQLite (the embedded default): every write transaction begins with `BEGIN IMMEDIATE`
(portal.core.db.make_engine), which already serialises writers, so locking is a no-op there.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from portal.core import db
from portal.core.errors import DomainError

LOCK_TIMEOUT_MS = 3000


class Busy(DomainError):
    def __init__(self) -> None:
        super().__init__(_("Het is op dit moment erg druk. Probeer het over een paar seconden opnieuw."))


def is_lock_error(exc: BaseException) -> bool:
    """A lock wait that gave up: SQLite's busy timeout ("database is locked") or PostgreSQL's
    lock_timeout. The request should answer "busy, try again" (503), not fail with a 500."""
    message = str(getattr(exc, "orig", exc)).lower()
    return isinstance(exc, OperationalError) and (
        "database is locked" in message or "lock timeout" in message or "canceling statement due to lock" in message
    )


def lock(*groups: tuple[type[Any], Iterable[int]]) -> None:
    """Lock rows of one or more models, e.g. `lock((Event, [event.id]), (Candidate, ids))`."""
    session = db.session
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_MS}ms'"))
    for model, ids in sorted(groups, key=lambda group: group[0].__tablename__):
        id_list = sorted(set(ids))
        if not id_list:
            continue
        # A savepoint, so that a lock wait that gives up leaves the request's transaction usable:
        # the view still renders its "busy, try again" form instead of failing on an aborted transaction.
        savepoint = session.begin_nested()
        try:
            session.execute(
                select(model.id).where(model.id.in_(id_list)).order_by(model.id).with_for_update()
            ).all()
        except OperationalError as exc:
            savepoint.rollback()
            if is_lock_error(exc) or "canceling statement" in str(exc).lower():
                raise Busy() from exc
            raise
        savepoint.commit()


def advisory_key(*parts: str) -> int:
    """The PostgreSQL advisory-lock key of `lock_key(*parts)` (a signed 63-bit hash)."""
    import hashlib

    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def lock_key(*parts: str) -> None:
    """Serialise read-count-then-insert on a key that has no row to lock (a throttling counter).

    PostgreSQL: a transaction-level advisory lock on a 63-bit hash of the key (released at commit
    or rollback). SQLite: the write transaction (`BEGIN IMMEDIATE`) already serialises.
    """
    session = db.session
    if session.get_bind().dialect.name != "postgresql":
        return
    key = advisory_key(*parts)
    session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_MS}ms'"))
    savepoint = session.begin_nested()  # as in lock(): a wait that gives up leaves the transaction usable
    try:
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    except OperationalError as exc:
        savepoint.rollback()
        if is_lock_error(exc) or "canceling statement" in str(exc).lower():
            raise Busy() from exc
        raise
    savepoint.commit()
