"""Reindex, check/repair and status: the work behind `flask search ...` (also used by tests)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select

from portal.core import db
from search import outbox
from search.builders import bulk_bodies
from search.documents import document_hash, documents_for


def _backend() -> Any:
    from search import current_backend as search_backend

    return search_backend()


def reindex(*, chunk_size: int = 2000, workers: int | None = None) -> dict[str, Any]:
    """Build a new index from the database and swap the alias (no downtime).

    The documents are read and built by `workers` processes (default SEARCH_REINDEX_WORKERS; 0:
    in this process), `chunk_size` candidates per bulk request (search.builders).
    Outbox rows that existed before the rebuild started are covered by it (the rebuild reads the
    database after they were committed) and are removed; newer rows are drained afterwards, and
    during the rebuild the drain writes them into the new index too, with higher external versions
    than the rebuild's own (the newest covered row), so neither order of arrival loses a change.
    """
    from flask import current_app

    backend = _backend()
    if not backend.needs_sync:
        return {"index": None, "documents": 0, "errors": 0, "seconds": 0.0, "note": "database backend: nothing to build"}
    if workers is None:
        workers = int(current_app.config.get("SEARCH_REINDEX_WORKERS", 0) or 0)
    covered = db.session.scalar(select(func.max(outbox.SearchOutbox.id))) or 0
    now = db.utcnow()
    db.session.rollback()
    bodies = bulk_bodies(db.session.get_bind(), now=now, version=covered, batch_size=chunk_size, workers=workers)
    report = backend.rebuild(bodies=bodies, version=covered)
    db.session.execute(delete(outbox.SearchOutbox).where(outbox.SearchOutbox.id <= covered))
    db.session.commit()
    report["drained"] = outbox.drain_all()
    return report


@dataclass
class CheckReport:
    database: int = 0
    indexed: int = 0
    missing: list[int] = field(default_factory=list)   # in the database, not in the index
    extra: list[int] = field(default_factory=list)     # in the index, not in the database
    stale: list[int] = field(default_factory=list)     # updated_at (or, with deep, content) differs
    repaired: bool = False

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.stale)


def _norm(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).isoformat()
    try:
        return dt.datetime.fromisoformat(str(value)).astimezone(dt.timezone.utc).isoformat()
    except ValueError:
        return str(value)


def check(*, repair: bool = False, deep: bool = False) -> CheckReport:
    """Compare the index with the database by id and updated_at (deep: by whole document)."""
    from portal.candidates.models import Candidate

    backend = _backend()
    report = CheckReport()
    database = {row.id: _norm(row.updated_at) for row in db.session.execute(select(Candidate.id, Candidate.updated_at))}
    report.database = len(database)
    if not backend.needs_sync:
        report.indexed = len(database)
        return report
    indexed = {k: _norm(v) for k, v in backend.indexed_versions().items()}
    report.indexed = len(indexed)
    report.missing = sorted(database.keys() - indexed.keys())
    report.extra = sorted(indexed.keys() - database.keys())
    both = sorted(database.keys() & indexed.keys())
    report.stale = [i for i in both if database[i] != indexed[i]]
    if deep:
        stale = set(report.stale)
        for start in range(0, len(both), 1000):
            chunk = [i for i in both[start:start + 1000] if i not in stale]
            docs, _ = documents_for(chunk)
            stored = backend.indexed_documents(chunk)
            report.stale += [d["id"] for d in docs if document_hash(d) != document_hash(stored.get(d["id"], {}))]
        report.stale.sort()
    if repair and not report.ok:
        to_write = report.missing + report.stale
        for start in range(0, max(len(to_write), 1), 1000):
            docs, gone = documents_for(to_write[start:start + 1000])
            backend.write(docs, gone)
        backend.write([], report.extra)
        backend.refresh()
        report.repaired = True
    return report


def status() -> dict[str, Any]:
    backend = _backend()
    info: dict[str, Any] = {"backend": backend.name, "backlog": outbox.backlog()}
    try:
        info.update(backend.stats())
        info["reachable"] = True
    except Exception as exc:  # noqa: BLE001 - status must report, not crash
        info.update({"index": None, "documents": None, "reachable": False, "error": str(exc)[:300]})
    return info
