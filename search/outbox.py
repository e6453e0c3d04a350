"""Keeping the index in step with the database: an outbox written in the same transaction.

Nothing in the portal has to remember to re-index. A SQLAlchemy `after_flush` listener (on every
Session) looks at the objects the flush wrote; for each candidate whose document could change —
the candidate row itself, its languages, skills, sector interests, experience and consents
(recorded, withdrawn, superseded, expired, scope changed) and its deletion — it inserts a
`search_outbox` row through the flush's own connection, so the row commits or rolls back with
the change. The id of the candidate is kept even after the candidate is deleted (no foreign key),
so a deletion reaches the index too.

After the commit, `drain()` runs (registered with `db.after_commit`): it takes the due rows,
builds the documents of those candidates with search.documents, sends them in one bulk request
and deletes the rows. When Elasticsearch is down or refuses a document, the rows stay, with an
attempt count, the error and a back-off; the periodic task `search.drain_outbox` (every 10 s, in
the thread worker of the embedded default or in `flask worker`) retries them. Nothing is lost and
the user's save never fails because of search: the drain runs after the commit and catches
everything. While the backend is known to be down, saves skip the inline attempt (no waiting
on a dead cluster) and leave the rows to the worker.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from flask import current_app, g, has_app_context
from sqlalchemy import Index, Text, delete, event, func, insert, inspect, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.core import db, jobs

log = logging.getLogger(__name__)

#: Tables whose rows change a candidate's document -> attribute holding the candidate id.
TRACKED = {
    "candidates": "id",
    "candidate_languages": "candidate_id",
    "candidate_skills": "candidate_id",
    "candidate_sector_interests": "candidate_id",
    "candidate_experiences": "candidate_id",
    "consents": "candidate_id",
}

DRAIN_BATCH = 2000
INLINE_TIMEOUT = 2.0
MAX_BACKOFF_SECONDS = 300


class SearchOutbox(db.Base):
    """A candidate whose search document must be (re)sent to the search backend."""

    __tablename__ = "search_outbox"
    # AUTOINCREMENT on SQLite: ids never come back after the rows are deleted, so the id can serve
    # as the documents' external version (see drain)
    __table_args__ = (Index("ix_search_outbox_due", "next_attempt_at", "id"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


def _candidate_id(obj: Any, attribute: str) -> int | None:
    state = inspect(obj)
    value = state.dict.get(attribute)
    if value is None and attribute == "id" and state.identity:
        value = state.identity[0]
    if value is None:
        history = state.attrs[attribute].history
        value = next(iter(history.deleted or history.unchanged or ()), None)
    return int(value) if value is not None else None


def changed_candidate_ids(session: Session) -> set[int]:
    ids: set[int] = set()
    for collection, check_modified in ((session.new, False), (session.dirty, True), (session.deleted, False)):
        for obj in collection:
            attribute = TRACKED.get(getattr(type(obj), "__tablename__", ""))
            if attribute is None:
                continue
            if check_modified and not session.is_modified(obj, include_collections=True):
                continue
            candidate_id = _candidate_id(obj, attribute)
            if candidate_id is not None:
                ids.add(candidate_id)
    return ids


@event.listens_for(Session, "after_flush")
def _record_outbox(session: Session, _flush_context: Any) -> None:
    ids = changed_candidate_ids(session)
    if not ids:
        return
    now = db.utcnow()
    session.connection().execute(
        insert(SearchOutbox.__table__),
        [{"candidate_id": i, "created_at": now, "next_attempt_at": now, "attempts": 0} for i in sorted(ids)],
    )
    if has_app_context():
        effects = g.setdefault("portal_after_commit", [])
        if _drain_after_commit not in effects:
            effects.append(_drain_after_commit)


def _drain_after_commit() -> None:
    from search import current_backend as search_backend

    backend = search_backend()
    if not backend.needs_sync:
        drain()
        return
    if backend.recently_down:
        return  # the worker retries; don't make the user wait on a dead cluster
    drain(timeout=INLINE_TIMEOUT)


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(MAX_BACKOFF_SECONDS, 5 * 2 ** max(0, attempts - 1)))


def drain(*, limit: int = DRAIN_BATCH, timeout: float | None = None, include_future: bool = False) -> dict[str, int]:
    """Send the due outbox rows to the backend in bulk; commits its own transaction.

    Returns {"sent": documents written, "deleted": documents removed, "failed": rows kept}.
    Never raises for backend trouble (it is logged and the rows are kept for a retry).
    """
    from search import current_backend as search_backend
    from search.documents import documents_for
    from search.query import SearchUnavailable

    backend = search_backend()
    now = db.utcnow()
    query = select(SearchOutbox.id, SearchOutbox.candidate_id).order_by(SearchOutbox.id).limit(limit)
    if not include_future:
        query = query.where(SearchOutbox.next_attempt_at <= now)
    rows = db.session.execute(query).all()
    report = {"sent": 0, "deleted": 0, "failed": 0, "stale": 0}
    if not rows:
        db.session.rollback()
        return report
    candidate_ids = {r.candidate_id for r in rows}
    # external version of each document: the newest outbox row it answers (ids only grow: the
    # table is AUTOINCREMENT on SQLite, a sequence on PostgreSQL)
    versions: dict[int, int] = {}
    for r in rows:
        versions[r.candidate_id] = max(versions.get(r.candidate_id, 0), r.id)
    failed_candidates: set[int] = set()
    stale: set[int] = set()
    error = ""
    if backend.needs_sync:
        try:
            docs, missing = documents_for(candidate_ids)
            failed_candidates, stale = backend.write_versioned(docs, missing, versions, timeout=timeout)
            report["sent"], report["deleted"] = len(docs) - len(failed_candidates & {d["id"] for d in docs}), len(missing)
            if failed_candidates:
                error = "document refused by the search backend (see log)"
        except SearchUnavailable as exc:
            failed_candidates, error = candidate_ids, f"search backend unavailable: {exc}"[:2000]
            log.warning("search outbox: %s; %d row(s) kept for retry", error, len(rows))
        except Exception as exc:  # noqa: BLE001 - a bug in a document must not lose the rows
            failed_candidates, error = candidate_ids, f"{type(exc).__name__}: {exc}"[:2000]
            log.exception("search outbox: drain failed; rows kept for retry")
    done = [r.id for r in rows if r.candidate_id not in failed_candidates]
    kept = [r.id for r in rows if r.candidate_id in failed_candidates]
    try:
        if done:
            for start in range(0, len(done), 500):
                db.session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_(done[start:start + 500])))
        if stale:
            # The index holds a higher version, written by another worker. Its document may have been
            # built before our change committed (PostgreSQL hands out sequence numbers at insert, not
            # at commit), so ask again: a new row gets a higher id, hence a fresh document that wins.
            db.session.execute(insert(SearchOutbox.__table__), [
                {"candidate_id": i, "created_at": now, "next_attempt_at": now, "attempts": 0} for i in sorted(stale)
            ])
        if kept:
            for start in range(0, len(kept), 500):
                chunk = kept[start:start + 500]
                attempts = db.session.scalar(select(func.max(SearchOutbox.attempts)).where(SearchOutbox.id.in_(chunk))) or 0
                db.session.execute(
                    update(SearchOutbox).where(SearchOutbox.id.in_(chunk)).values(
                        attempts=SearchOutbox.attempts + 1, last_error=error,
                        next_attempt_at=now + _backoff(attempts + 1),
                    )
                )
        db.session.commit()
    except Exception:  # noqa: BLE001
        db.session.rollback()
        log.exception("search outbox: could not update the outbox rows (they stay and are retried)")
    report["failed"] = len(kept)
    report["stale"] = len(stale)
    return report


def drain_all(*, include_future: bool = True, max_rounds: int = 1000) -> dict[str, int]:
    """Drain until the outbox is empty or nothing more can be sent (CLI, tests, benchmark)."""
    total = {"sent": 0, "deleted": 0, "failed": 0, "stale": 0}
    for _ in range(max_rounds):
        report = drain(include_future=include_future)
        for key in total:
            total[key] += report.get(key, 0)
        if report["failed"] or (report["sent"] + report["deleted"] == 0 and not _has_rows()):
            break
        if not _has_rows():
            break
    return total


def _has_rows() -> bool:
    return bool(db.session.scalar(select(func.count(SearchOutbox.id))))


def backlog() -> dict[str, Any]:
    count, oldest, max_attempts = db.session.execute(
        select(func.count(SearchOutbox.id), func.min(SearchOutbox.created_at), func.max(SearchOutbox.attempts))
    ).one()
    last_error = db.session.scalar(
        select(SearchOutbox.last_error).where(SearchOutbox.last_error.is_not(None)).order_by(SearchOutbox.id.desc()).limit(1)
    )
    oldest_value = oldest
    if oldest_value is not None and oldest_value.tzinfo is None:
        oldest_value = oldest_value.replace(tzinfo=dt.timezone.utc)
    return {"size": int(count or 0), "oldest": oldest_value, "max_attempts": int(max_attempts or 0),
            "last_error": last_error}


@jobs.periodic("search.drain_outbox", 10)
def _periodic_drain() -> None:
    if not has_app_context():
        return
    try:
        drain()
    except Exception:  # noqa: BLE001
        current_app.logger.exception("search outbox periodic drain failed")


@jobs.handler("search.drain")
def drain_job() -> None:
    """A job form of the drain (for deployments that prefer queued work to the periodic task)."""
    drain()


__all__ = ["SearchOutbox", "backlog", "changed_candidate_ids", "drain", "drain_all"]
