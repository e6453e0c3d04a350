"""Database engine, session and the request transaction.

One request, one transaction: views load, check access and call domain operations, which
flush but never commit. `init_app` commits once after a successful response (status < 400) and
then runs the after-commit effects (mail, search outbox drain, background-job wake-up); any
error response or exception rolls everything back and drops the effects.

On SQLite a write transaction takes the database's one write lock at BEGIN (`BEGIN IMMEDIATE`,
see make_engine). A request with a safe method (GET, HEAD, OPTIONS) begins as a read instead
(`BEGIN DEFERRED`), so page views run side by side instead of one at a time. When such a request
does write (an audited first view of a profile) SQLite upgrades the read; if another writer
committed in between, SQLite refuses the upgrade, and `dispatch` runs the request once more as
a write request (rolled back first, so nothing is written twice). An upgrade SQLite allows is as
safe as BEGIN IMMEDIATE: it is allowed only when nothing was committed since the read began, so
what the request counted before writing (the view limits) is still the truth. A request that writes on every
call (the JSON API's audit and rate limit) says so up front with `writes_in_request()`.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import DateTime, MetaData, create_engine, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, scoped_session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class UTCDateTime(TypeDecorator):
    """Timestamps are stored in UTC and always come back timezone-aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC datetimes")
        return value.astimezone(dt.timezone.utc)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime()}


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and write transactions that lock at BEGIN.

    `BEGIN IMMEDIATE` makes every SQLite write transaction (every transaction outside a request with
    a safe method: forms, jobs, the CLI) take the database write lock when it starts, so
    count-then-insert (capacity checks) cannot interleave: the embedded default's equivalent of
    PostgreSQL row locks (DESIGN.md, capacity). Requests with a safe method begin as reads
    (module docstring).
    """
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 15})
        engine = create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=15000")
            # Deleted rows are overwritten with zeros, so erased personal data does not linger in
            # free pages (checkpoint_free_pages also empties the write-ahead log after an erasure).
            cursor.execute("PRAGMA secure_delete=ON")
            if ":memory:" not in url:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            reads = _begins_as_read()
            if has_request_context():
                g.portal_read_transaction = reads
            conn.exec_driver_sql("BEGIN DEFERRED" if reads else "BEGIN IMMEDIATE")

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    if url.startswith("postgresql"):
        # JIT compilation costs ~300 ms per complex search statement and never pays back for the
        # portal's short queries (measured 1.7-2.9x faster with it off): off for our connections
        connect_args = dict(kwargs.pop("connect_args", {}))
        connect_args["options"] = (connect_args.get("options", "") + " -c jit=off").strip()
        kwargs["connect_args"] = connect_args
    return create_engine(url, **kwargs)


#: Request methods whose transaction begins as a read on SQLite (see the module docstring).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

#: SQLite's answers to upgrading a read to a write: another connection holds the write lock
#: (SQLITE_BUSY: a reader never waits for a writer, which could deadlock) or committed since the
#: read began (SQLITE_BUSY_SNAPSHOT).
_UPGRADE_REFUSED = frozenset({5, 517})


def _begins_as_read() -> bool:
    return has_request_context() and request.method in SAFE_METHODS and not g.get("portal_writes")


def writes_in_request() -> None:
    """This request writes whatever its method: its transactions take the write lock at BEGIN.

    Call it before the request's first write, best in a before_request hook. A read already begun
    is rolled back (it has written nothing), so the count-then-insert that follows runs in a write
    transaction from its first statement."""
    g.portal_writes = True
    if g.pop("portal_read_transaction", False) and session.registry.has() and session.in_transaction():
        session.rollback()


def _upgrade_refused(exc: BaseException) -> bool:
    from sqlalchemy.exc import OperationalError

    return (isinstance(exc, OperationalError) and bool(g.get("portal_read_transaction"))
            and getattr(exc.orig, "sqlite_errorcode", None) in _UPGRADE_REFUSED)


def dispatch(preprocess: Callable[[], Any], view: Callable[[], Any]) -> Any:
    """Run the view of a request (`Flask.dispatch_request`); when SQLite refused to upgrade the
    request's read transaction to a write, roll back and run the request hooks and the view once
    more, now in a write transaction. Pending changes are flushed here, so the upgrade happens
    inside this retry and not at the commit after the response."""
    try:
        result = view()
        if g.get("portal_read_transaction") and (session.new or session.dirty or session.deleted):
            session.flush()
        return result
    except Exception as exc:
        if not _upgrade_refused(exc):
            raise
    rollback()
    for name in ("portal_keep_on_error", "portal_commit_on_error", "portal_read_transaction"):
        g.pop(name, None)
    g.portal_writes = True
    refused = preprocess()
    return refused if refused is not None else view()


def checkpoint_free_pages() -> None:
    """After an erasure: copy the write-ahead log into the database file and truncate it (SQLite),
    so deleted values are neither in free pages (secure_delete) nor in the WAL. PostgreSQL reuses
    dead tuples after (auto)VACUUM; see .github/SECURITY.md for the operator's part."""
    eng = engine()
    if eng.dialect.name != "sqlite":
        return
    bind = current_app.extensions["portal.sessionmaker"].kw.get("bind")
    if isinstance(bind, Connection) and bind.in_transaction():
        # Sessions joined to a caller's open transaction (tests pass `bind`): the checkpoint would
        # wait the whole busy timeout (15 s) for that transaction and then give up anyway.
        current_app.logger.info("WAL checkpoint after erasure skipped: the bound connection holds a transaction")
        return
    session.close()  # everything is committed; an open read here would keep the old pages in the WAL
    raw = eng.raw_connection()  # outside SQLAlchemy's transaction: a checkpoint cannot run inside one
    try:
        cursor = raw.cursor()
        busy = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        cursor.close()
    finally:
        raw.close()
    if busy:
        current_app.logger.warning("WAL checkpoint after erasure was busy; the next checkpoint completes it")


def refresh_planner_statistics() -> None:
    """SQLite: gather the query planner's statistics (ANALYZE, in the current transaction).

    Without them SQLite guesses every table's size and picks, for example, a sort of all visible
    candidates for the gallery's newest twelve (12 ms at 10,000 candidates) where it could walk the
    recency index and stop (0.4 ms). A full ANALYZE, not a sampled one (`PRAGMA analysis_limit`):
    the sampled estimates sent the distance searches through an index scan 2.5x slower than the
    plain scan they get without statistics, and the full one costs about 5 ms per 1,000 candidates
    (0.5 s at 100,000, more than a municipality's embedded default holds). A periodic task of every
    worker runs this hourly (`portal.core.jobs`); PostgreSQL's autovacuum keeps its own statistics,
    so there it does nothing."""
    if session.get_bind().dialect.name != "sqlite":
        return
    session.execute(text("ANALYZE"))


def _session_factory() -> Session:
    return current_app.extensions["portal.sessionmaker"]()


#: The session of the current thread and app context. Removed at the end of each app context.
session: scoped_session[Session] = scoped_session(_session_factory)


def engine() -> Engine:
    return current_app.extensions["portal.engine"]


def after_commit(effect: Callable[[], None]) -> None:
    """Run `effect` once the current transaction has committed; dropped on rollback."""
    g.setdefault("portal_after_commit", []).append(effect)


def keep_changes_on_error() -> None:
    """Commit this request's changes even though the response is an error.

    Only for security bookkeeping that must survive a refused request (failed login attempts).
    """
    g.portal_commit_on_error = True


def keep_on_error(make: Callable[[], Any]) -> None:
    """Security bookkeeping that must outlive a refused request, without keeping anything else.

    `make()` adds fresh rows (an audited view, a refusal). On a response below 400 it is not called
    (the rows of the request are committed with it); on an error response the request's changes are
    rolled back and then `make()` runs and its rows are committed alone.
    """
    g.setdefault("portal_keep_on_error", []).append(make)


def commit() -> None:
    """Commit the current transaction and run the after-commit effects.

    Used by the request cycle, CLI commands and background jobs; never by domain operations.
    """
    session.commit()
    effects = g.pop("portal_after_commit", [])
    if effects and has_request_context():
        g.portal_writes = True  # effects write (outbox, jobs): not as an upgraded read
    for effect in effects:
        try:
            effect()
        except Exception:  # an effect must never undo or fail a committed change
            current_app.logger.exception("after-commit effect failed")


def rollback() -> None:
    session.rollback()
    g.pop("portal_after_commit", None)


def _rollback_keeping_bookkeeping() -> None:
    keep = g.pop("portal_keep_on_error", [])
    rollback()
    if keep:
        g.portal_writes = True  # the bookkeeping rows go into a write transaction of their own
        for make in keep:
            make()
        commit()


def init_app(app: Flask, bind: Any | None = None) -> None:
    """Set up the engine and the request transaction. `bind` lets tests pass a connection."""
    eng = make_engine(app.config["DATABASE_URL"]) if bind is None else bind
    app.extensions["portal.engine"] = eng if bind is None else bind.engine
    app.extensions["portal.sessionmaker"] = sessionmaker(
        bind=eng, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )

    @app.after_request
    def _finish_transaction(response: Any) -> Any:
        if response.status_code < 400 or g.get("portal_commit_on_error"):
            g.pop("portal_keep_on_error", None)
            commit()
        else:
            _rollback_keeping_bookkeeping()
        return response

    @app.teardown_request
    def _rollback_on_exception(exc: BaseException | None) -> None:
        if exc is not None:
            rollback()

    @app.teardown_appcontext
    def _remove_session(_exc: BaseException | None) -> None:
        session.remove()
