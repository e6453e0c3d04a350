"""A small database-backed job queue for background work (transcoding, search sync, mail, reminders).

Jobs are rows written in the same transaction as the change that needs them, so they are never
lost and never run for a change that was rolled back. Workers claim jobs with
`FOR UPDATE SKIP LOCKED` on PostgreSQL (many worker processes can run side by side, the database
coordinates them) and under SQLite's write lock in the embedded default. Periodic tasks
(reminders, retries, consent expiry) are registered with `periodic` and run by every worker;
they must be idempotent.

Modes (BACKGROUND_MODE): "thread" runs one worker thread inside the web process (embedded default),
"external" expects `flask worker` processes (production), "manual" leaves it to the caller
(tests call `run_pending()`).
"""
from __future__ import annotations

import datetime as dt
import os
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from sqlalchemy import JSON, Index, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from portal.core import db


class Job(db.Base):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_state_run_after", "state", "run_after"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), default="queued")  # queued, running, done, failed
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=5)
    run_after: Mapped[dt.datetime] = mapped_column(default=db.utcnow)
    locked_by: Mapped[str | None] = mapped_column(String(64))
    locked_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)
    finished_at: Mapped[dt.datetime | None]


@dataclass(frozen=True)
class _Periodic:
    name: str
    interval: float
    func: Callable[[], None]


_HANDLERS: dict[str, Callable[..., None]] = {}
_PERIODIC: dict[str, _Periodic] = {}
_WAKE = threading.Event()


def handler(name: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register a job handler; it receives the payload as keyword arguments."""

    def register(func: Callable[..., None]) -> Callable[..., None]:
        _HANDLERS[name] = func
        return func

    return register


def periodic(name: str, interval_seconds: float) -> Callable[[Callable[[], None]], Callable[[], None]]:
    def register(func: Callable[[], None]) -> Callable[[], None]:
        _PERIODIC[name] = _Periodic(name, interval_seconds, func)
        return func

    return register


def enqueue(name: str, *, run_after: dt.datetime | None = None, max_attempts: int = 5, **payload: Any) -> Job:
    """Add a job to the current transaction; the worker is woken after commit."""
    if name not in _HANDLERS:
        raise KeyError(f"no job handler named {name!r}")
    job = Job(name=name, payload=payload, run_after=run_after or db.utcnow(), max_attempts=max_attempts)
    db.session.add(job)
    db.after_commit(_WAKE.set)
    return job


def _claim(worker_id: str) -> Job | None:
    query = (
        select(Job)
        .where(Job.state == "queued", Job.run_after <= db.utcnow())
        .order_by(Job.run_after, Job.id)
        .limit(1)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    job = db.session.scalars(query).first()
    if job is None:
        db.session.rollback()
        return None
    job.state, job.locked_by, job.locked_at = "running", worker_id, db.utcnow()
    job.attempts += 1
    db.session.commit()
    return job


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(600, 2 ** attempts))


def run_one(worker_id: str = "inline") -> bool:
    """Claim and run one due job in its own transaction. Returns False when none was due."""
    job = _claim(worker_id)
    if job is None:
        return False
    job_id, name, payload = job.id, job.name, dict(job.payload)
    try:
        _HANDLERS[name](**payload)
        db.commit()
        outcome: dict[str, Any] = {"state": "done", "last_error": None}
    except Exception:
        db.rollback()
        current_app.logger.exception("job %s (%s) failed", job_id, name)
        outcome = {"state": "failed", "last_error": traceback.format_exc(limit=5)[-4000:]}
    job = db.session.get(Job, job_id)
    if outcome["state"] == "failed" and job.attempts < job.max_attempts:
        outcome["state"] = "queued"
        job.run_after = db.utcnow() + _backoff(job.attempts)
    job.state, job.last_error = outcome["state"], outcome["last_error"]
    job.locked_by = job.locked_at = None
    if job.state in ("done", "failed"):
        job.finished_at = db.utcnow()
    if job.state == "done":
        job.payload = {}  # a finished job keeps nothing of what it worked on (erasure, DESIGN.md §5)
    db.commit()
    return True


def run_pending(limit: int = 1000) -> int:
    """Run due jobs until none is left (or `limit`); for tests, CLI and the worker loop."""
    count = 0
    while count < limit and run_one():
        count += 1
    return count


def run_periodic(last_run: dict[str, float], now: float | None = None) -> None:
    now = time.monotonic() if now is None else now
    for task in sorted(_PERIODIC.values(), key=lambda t: t.name):
        if now - last_run.get(task.name, -1e18) >= task.interval:
            last_run[task.name] = now
            try:
                task.func()
                db.commit()
            except Exception:
                db.rollback()
                current_app.logger.exception("periodic task %s failed", task.name)


def worker_loop(app: Flask, stop: threading.Event, poll_seconds: float = 2.0) -> None:
    worker_id = f"worker-{uuid.uuid4().hex[:8]}"
    last_run: dict[str, float] = {}
    while not stop.is_set():
        with app.app_context():
            try:
                run_periodic(last_run)
                while not stop.is_set() and run_one(worker_id):
                    pass
            except Exception:
                app.logger.exception("worker loop error")
                db.rollback()
        _WAKE.wait(poll_seconds)
        _WAKE.clear()


#: niceness of the worker thread inside the web process (and of the tools it starts)
WORKER_NICENESS = 10


def _background_thread(app: Flask, stop: threading.Event) -> None:
    """The thread worker at lower CPU priority: on Linux the nice value is per thread (and inherited
    by the ffmpeg it starts), so web requests in the same process keep the CPU during a transcode."""
    try:
        os.nice(WORKER_NICENESS)
    except (AttributeError, OSError):  # not available on this platform
        pass
    worker_loop(app, stop)


def start_thread_worker(app: Flask) -> threading.Event:
    """The embedded default: one daemon worker thread in the web process, at lower priority."""
    stop = threading.Event()
    thread = threading.Thread(target=_background_thread, args=(app, stop), name="portal-worker", daemon=True)
    thread.start()
    return stop


@periodic("core.planner_statistics", 60 * 60)
def _planner_statistics() -> None:
    """The database's own upkeep, registered here because every worker imports this module."""
    db.refresh_planner_statistics()
