"""The summary tables of the results area, kept in step by the same transaction: one row of facts
per candidate (`results_candidate_facts`) and one per placement start (`results_start_facts`).

`results_candidate_facts` holds, per candidate, what the funnel and the other candidate-level
indicators need (municipality, gender, cohort, whether and when each step was reached, the first
start, in work after 3/6/12 months, language progress). The dashboard then counts one narrow
table with GROUP BY instead of probing six others per candidate.

`results_start_facts` holds, per start, what the start-level figures need (start date, type,
sector, municipality and cohort of the candidate, the organisation and placement, when and how the
traject ended: its result and stop reason), so that starts, results, stop reasons, filled
placements and the starts after a meet-and-greet read one narrow table.

Kept in step: every flush that touches a candidate's records (candidate, consent-free profile
fields, interests, follow-ups, trajects and their changes, proposals, starts, check-ins, results,
Dutch levels, a placement's sector, an organisation) remembers the candidates concerned, and just
before the transaction commits their rows in both tables are recomputed by INSERT … SELECT
(set-based SQL, the same expressions as a full rebuild). Bulk UPDATE and DELETE statements on those
tables run through the ORM session (`session.execute(delete(Model)…)`, as erasure does) are seen
too: before such a statement runs, the candidates (or trajects, placements, organisations) its WHERE
selects are remembered the same way. A deleted candidate's or start's rows go with it (ON DELETE
CASCADE). `rebuild()` recomputes everything (`flask results refresh`, and the dashboard itself when
a table is not complete, e.g. right after the migration or a bulk import with plain SQL, which no
session sees).

Facts that depend on today (is the day "3 months after the first start" already past?) are not
stored: the table keeps the first start date and the state on that day as known now.

`results_candidate_cube` is the candidate facts counted per combination of what the dashboard
filters and groups on (municipality, gender, paused, the quarter of registration, of the first
publication (the cohort), of the first video and of the first start, and the funnel and language
flags): a few thousand rows for 100,000 candidates. Periods are whole quarters, so every period
condition on those moments is exact on quarter keys. It is kept in step by the same refresh: the
rows a refresh removes and adds are counted per combination and the difference is added to the
cube (one upsert per chunk, in key order, after locking the candidates concerned, so that two
transactions refreshing one candidate take turns). A candidate deleted through the session takes
its contribution with it (read just before the DELETE runs, as its facts row goes by ON DELETE
CASCADE).
"""
from __future__ import annotations

import datetime as dt
import importlib.util
from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    Boolean, Date, ForeignKey, Integer, String, case, delete, event, extract, false, func, insert, literal, select, true,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.core import db
from portal.results import consent_spans

HAS_TRAJECTS = importlib.util.find_spec("portal.trajects") is not None

#: Model classes whose rows carry a candidate_id (a change there refreshes that candidate).
_CANDIDATE_TABLES = {
    "candidates", "candidate_interests", "follow_ups", "trajects", "proposals", "aftercare_checkins",
    "aftercare_results", "candidate_languages", "video_profiles", "consents",
}
#: ... and those that point at a traject.
_TRAJECT_TABLES = {"traject_stage_changes", "placement_starts"}
#: Tables whose change reaches the candidates of many trajects or interests (a placement's sector,
#: an organisation that goes with its interests and trajects).
_PLACEMENT_TABLES = {"placements"}
_ORGANISATION_TABLES = {"organisations"}


class CandidateFacts(db.Base):
    __tablename__ = "results_candidate_facts"

    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), primary_key=True)
    municipality: Mapped[str] = mapped_column(String(100), index=True)
    gender: Mapped[str | None] = mapped_column(String(32))
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime]
    first_published_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    cohort: Mapped[int | None] = mapped_column(Integer)
    has_interest: Mapped[bool] = mapped_column(Boolean, default=False)
    has_met: Mapped[bool] = mapped_column(Boolean, default=False)
    has_proposal: Mapped[bool] = mapped_column(Boolean, default=False)
    first_start_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    days_to_first_start: Mapped[int | None] = mapped_column(Integer)
    work_3: Mapped[bool] = mapped_column(Boolean, default=False)
    work_6: Mapped[bool] = mapped_column(Boolean, default=False)
    work_12: Mapped[bool] = mapped_column(Boolean, default=False)
    language_measured: Mapped[bool] = mapped_column(Boolean, default=False)
    language_rose: Mapped[bool] = mapped_column(Boolean, default=False)
    video_ready_at: Mapped[dt.datetime | None]


class StartFacts(db.Base):
    __tablename__ = "results_start_facts"

    start_id: Mapped[int] = mapped_column(ForeignKey("placement_starts.id", ondelete="CASCADE"), primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(Integer)
    placement_id: Mapped[int] = mapped_column(Integer, index=True)
    municipality: Mapped[str] = mapped_column(String(100))
    cohort: Mapped[int | None] = mapped_column(Integer)
    placement_type: Mapped[str] = mapped_column(String(32))
    sector: Mapped[str | None] = mapped_column(String(64))
    start_date: Mapped[dt.date] = mapped_column(Date, index=True)
    #: When the traject ended after the start (finished or stopped), else empty.
    ended_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    #: contract / extension / education / stopped / other (aftercare_adapter), for an ended traject.
    result: Mapped[str | None] = mapped_column(String(16))
    stopped: Mapped[bool] = mapped_column(Boolean, default=False)
    stop_reason: Mapped[str | None] = mapped_column(String(32))


class CandidateCube(db.Base):
    """Candidate facts counted per combination of the dashboard's keys (see the module docstring).
    Quarter keys are year * 10 + quarter; 0 = never (not published, no video, no start),
    1 = before the first year the dashboard covers. An unknown gender is ''."""

    __tablename__ = "results_candidate_cube"

    municipality: Mapped[str] = mapped_column(String(100), primary_key=True)
    gender: Mapped[str] = mapped_column(String(32), primary_key=True)
    paused: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    created_q: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort: Mapped[int] = mapped_column(Integer, primary_key=True)
    video_q: Mapped[int] = mapped_column(Integer, primary_key=True)
    start_q: Mapped[int] = mapped_column(Integer, primary_key=True)
    has_interest: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    has_met: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    has_proposal: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    language_measured: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    language_rose: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    #: How many candidates have exactly these keys (rows may stay at 0 until the next rebuild).
    n: Mapped[int] = mapped_column(Integer, default=0)


CUBE_KEYS = ("municipality", "gender", "paused", "created_q", "cohort", "video_q", "start_q",
             "has_interest", "has_met", "has_proposal", "language_measured", "language_rose")
NEVER, BEFORE_FIRST_YEAR = 0, 1


def _moment_quarter(column: Any) -> Any:
    """The local quarter of a past moment as a cube key (0 when empty, 1 before FIRST_YEAR)."""
    from portal.results import sql

    return case((column.is_(None), NEVER), else_=func.coalesce(sql.quarter_key(column, is_date=False), BEFORE_FIRST_YEAR))


def _date_quarter(column: Any) -> Any:
    """The quarter of a date as a cube key, by arithmetic (a start may lie years ahead)."""
    month = extract("month", column)
    quarter = case((month <= 3, 1), (month <= 6, 2), (month <= 9, 3), else_=4)
    return case((column.is_(None), NEVER), else_=extract("year", column) * 10 + quarter)


def _cube_keys() -> list[Any]:
    F = CandidateFacts
    return [F.municipality, func.coalesce(F.gender, literal("")), F.paused, _moment_quarter(F.created_at),
            _moment_quarter(F.first_published_at), _moment_quarter(F.video_ready_at), _date_quarter(F.first_start_date),
            F.has_interest, F.has_met, F.has_proposal, F.language_measured, F.language_rose]


def _cube_rows(session: Session, candidate_ids: list[int]) -> dict[int, tuple]:
    """The cube key of each of these candidates' facts rows."""
    query = select(CandidateFacts.candidate_id, *_cube_keys()).where(CandidateFacts.candidate_id.in_(candidate_ids))
    return {row[0]: _normal(row[1:]) for row in session.execute(query, execution_options={"autoflush": False}).all()}


def _normal(key: Any) -> tuple:
    """One spelling per key (SQLite gives 0/1 for booleans, PostgreSQL may give Decimal for sums)."""
    return tuple(bool(v) if name in _BOOL_KEYS else (int(v) if name.endswith("_q") or name == "cohort" else v)
                 for name, v in zip(CUBE_KEYS, key))


_BOOL_KEYS = {"paused", "has_interest", "has_met", "has_proposal", "language_measured", "language_rose"}


def _apply_to_cube(session: Session, delta: Counter) -> None:
    """Add a difference to the cube: one upsert, rows in key order (a fixed lock order)."""
    rows = [dict(zip(CUBE_KEYS, key), n=change) for key, change in sorted(delta.items()) if change]
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert
    statement = upsert(CandidateCube).values(rows)
    session.execute(statement.on_conflict_do_update(index_elements=list(CUBE_KEYS),
                                                    set_={"n": CandidateCube.n + statement.excluded.n}))


def _flag(condition: Any) -> Any:
    return case((condition, true()), else_=false())


def _facts_select(candidate_ids: Iterable[int] | None = None) -> Any:
    from portal.candidates.models import Candidate
    from portal.candidates.video_models import VideoProfile, VideoState
    from portal.results import indicators as ind
    from portal.results import sql

    conditions = ind._funnel_conditions()  # noqa: SLF001 (the one definition of each step)
    first_start = ind._first_start_date()  # noqa: SLF001
    work = ind._in_work_on_day_after_first_start()  # noqa: SLF001
    measured, rose = ind._language_conditions()  # noqa: SLF001
    video = (select(func.min(VideoProfile.processed_at))
             .where(VideoProfile.candidate_id == Candidate.id, VideoProfile.state == VideoState.READY)
             .correlate(Candidate).scalar_subquery())
    query = select(
        Candidate.id, Candidate.municipality, Candidate.gender, _flag(Candidate.status == "paused"),
        Candidate.created_at, Candidate.first_published_at,
        sql.quarter_key(Candidate.first_published_at, is_date=False),
        _flag(conditions["interest"]), _flag(conditions["met"]), _flag(conditions["proposed"]),
        first_start, sql.days_between(Candidate.first_published_at, first_start),
        _flag(work(91)), _flag(work(182)), _flag(work(365)),
        _flag(measured), _flag(rose), video,
    )
    if candidate_ids is not None:
        query = query.where(Candidate.id.in_(list(candidate_ids)))
    return query


_COLUMNS = ["candidate_id", "municipality", "gender", "paused", "created_at", "first_published_at", "cohort",
            "has_interest", "has_met", "has_proposal", "first_start_date", "days_to_first_start",
            "work_3", "work_6", "work_12", "language_measured", "language_rose", "video_ready_at"]


_START_COLUMNS = ["start_id", "candidate_id", "organisation_id", "placement_id", "municipality", "cohort",
                  "placement_type", "sector", "start_date", "ended_at", "result", "stopped", "stop_reason"]


def _start_facts_select(candidate_ids: Iterable[int] | None = None) -> Any:
    from portal.candidates.models import Candidate
    from portal.placements.models import Placement
    from portal.results import aftercare_adapter, sql
    from portal.trajects import models as m

    ended = m.Traject.stage.in_(("finished", "stopped"))
    query = (
        select(m.PlacementStart.id, m.Traject.candidate_id, m.Traject.organisation_id, m.Traject.placement_id,
               Candidate.municipality, sql.quarter_key(Candidate.first_published_at, is_date=False),
               m.PlacementStart.placement_type, Placement.sector, m.PlacementStart.start_date,
               case((ended, m.Traject.closed_at)), case((ended, aftercare_adapter.result_expression(m))),
               _flag(m.Traject.stage == "stopped"), m.Traject.stop_reason)
        .select_from(m.PlacementStart)
        .join(m.Traject, m.Traject.id == m.PlacementStart.traject_id)
        .join(Candidate, Candidate.id == m.Traject.candidate_id)
        .join(Placement, Placement.id == m.Traject.placement_id)
    )
    if candidate_ids is not None:
        query = query.where(m.Traject.candidate_id.in_(list(candidate_ids)))
    return query


def refresh(session: Session, candidate_ids: Iterable[int], removed: dict[int, tuple] | None = None) -> None:
    """Recompute the rows of these candidates in both tables and move the cube by the difference.
    `removed`: the cube key of each candidate deleted in this transaction, read before its DELETE
    (its facts row goes with it by ON DELETE CASCADE)."""
    from portal.candidates.models import Candidate

    removed = removed or {}
    ids = sorted(set(candidate_ids) | set(removed))
    delta: Counter = Counter()
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        # Take turns with another transaction refreshing the same candidates (PostgreSQL; SQLite
        # has one writer at a time): what is read below as "before" is then what the cube counts.
        session.execute(select(Candidate.id).where(Candidate.id.in_(chunk)).with_for_update())
        before = _cube_rows(session, chunk)
        before.update({cid: key for cid, key in removed.items() if cid in chunk and cid not in before})
        delta.subtract(before.values())
        session.execute(delete(CandidateFacts).where(CandidateFacts.candidate_id.in_(chunk)))
        session.execute(insert(CandidateFacts).from_select(_COLUMNS, _facts_select(chunk)))
        delta.update(_cube_rows(session, chunk).values())
        consent_spans.refresh(session, chunk)
        if HAS_TRAJECTS:
            session.execute(delete(StartFacts).where(StartFacts.candidate_id.in_(chunk)))
            session.execute(insert(StartFacts).from_select(_START_COLUMNS, _start_facts_select(chunk)))
    _apply_to_cube(session, delta)


def rebuild(session: Session | None = None) -> int:
    """Recompute every row of both tables (set-based). Returns the number of candidates."""
    session = session or db.session
    session.execute(delete(CandidateFacts))
    session.execute(insert(CandidateFacts).from_select(_COLUMNS, _facts_select()))
    if HAS_TRAJECTS:
        session.execute(delete(StartFacts))
        session.execute(insert(StartFacts).from_select(_START_COLUMNS, _start_facts_select()))
    rebuild_cube(session)
    consent_spans.rebuild(session)
    return session.scalar(select(func.count()).select_from(CandidateFacts)) or 0


def rebuild_cube(session: Session) -> None:
    keys = _cube_keys()
    session.execute(delete(CandidateCube))
    session.execute(insert(CandidateCube).from_select(
        [*CUBE_KEYS, "n"], select(*keys, func.count()).select_from(CandidateFacts).group_by(*keys)))


#: How long a process trusts its last completeness check (the tables are kept in step by every
#: session; only plain-SQL bulk imports, which no session sees, can leave them incomplete).
CHECK_EVERY_SECONDS = 60.0
_last_check: dict[str, float] = {}


def ensure_complete(session: Session | None = None) -> None:
    """Rebuild when a table does not cover every candidate or start (after the migration, a bulk
    import with plain SQL). One round trip (the counts in one SELECT), at most once a minute per
    process and database."""
    import time

    from portal.candidates.models import Candidate, Consent

    session = session or db.session
    if session.info.get("results_facts_checked"):
        return
    session.info["results_facts_checked"] = True
    bind = session.get_bind()
    key = str(getattr(bind, "url", None) or bind.engine.url)
    now = time.monotonic()
    if now - _last_check.get(key, -CHECK_EVERY_SECONDS) < CHECK_EVERY_SECONDS:
        return
    counts = [select(func.count()).select_from(CandidateFacts).scalar_subquery(),
              select(func.count()).select_from(Candidate).scalar_subquery(),
              select(func.coalesce(func.sum(CandidateCube.n), 0)).scalar_subquery(),
              consent_spans.counted_consents(),
              select(func.count()).select_from(Consent).scalar_subquery()]
    if HAS_TRAJECTS:
        from portal.trajects.models import PlacementStart

        counts += [select(func.count()).select_from(StartFacts).scalar_subquery(),
                   select(func.count()).select_from(PlacementStart).scalar_subquery()]
    row = session.execute(select(*counts)).one()
    facts, candidates, cubed, spanned, consents = row[:5]
    if facts != candidates or (len(row) > 5 and row[5] != row[6]):
        rebuild(session)
    elif cubed != facts or spanned != consents:
        if cubed != facts:
            rebuild_cube(session)
        if spanned != consents:
            consent_spans.rebuild(session)
    else:
        _last_check[key] = now  # a rebuild is trusted only once it is committed: check again next time


def forget_checks() -> None:
    """Check completeness again on the next request (tests that import with plain SQL)."""
    _last_check.clear()


# --- kept in step ------------------------------------------------------------------------------

_KINDS = ("candidates", "trajects", "placements", "organisations")


def _marked(session: Session) -> dict[str, set[int]]:
    return {kind: session.info.setdefault(f"results_{kind}", set()) for kind in _KINDS}


def _touched(session: Session, flush_context: Any) -> None:
    marked = _marked(session)
    deleted = set(session.deleted)
    for obj in [*session.new, *session.dirty, *deleted]:
        table = getattr(type(obj), "__tablename__", None)
        if table in _ORGANISATION_TABLES and obj not in deleted:
            continue  # an organisation matters when it goes (with its interests and trajects)
        if table in ("candidates", *_PLACEMENT_TABLES, *_ORGANISATION_TABLES):
            if obj.id is not None:
                kind = "candidates" if table == "candidates" else (
                    "placements" if table in _PLACEMENT_TABLES else "organisations")
                marked[kind].add(obj.id)
        elif table in _CANDIDATE_TABLES:
            if getattr(obj, "candidate_id", None) is not None:
                marked["candidates"].add(obj.candidate_id)
        elif table in _TRAJECT_TABLES and getattr(obj, "traject_id", None) is not None:
            marked["trajects"].add(obj.traject_id)


def _remember_removed(session: Session, candidate_ids: Iterable[int]) -> None:
    """The cube keys of candidates about to be deleted (their facts rows go with them)."""
    ids = sorted(set(candidate_ids))
    removed = session.info.setdefault("results_removed", {})
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        for cid, key in _cube_rows(session, chunk).items():
            removed.setdefault(cid, key)


def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    ids = [obj.id for obj in session.deleted if getattr(type(obj), "__tablename__", None) == "candidates" and obj.id]
    if ids:
        _remember_removed(session, ids)


def _bulk_statement(state: Any) -> None:
    """A bulk UPDATE or DELETE through the session: remember what its WHERE selects, before it runs."""
    if not (state.is_update or state.is_delete) or state.session.info.get("results_refreshing"):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name == "candidates":
        kind, column = "candidates", table.c.id
    elif name in _CANDIDATE_TABLES:
        kind, column = "candidates", table.c.candidate_id
    elif name in _TRAJECT_TABLES:
        kind, column = "trajects", table.c.traject_id
    elif name in _PLACEMENT_TABLES:
        kind, column = "placements", table.c.id
    elif name in _ORGANISATION_TABLES and state.is_delete:
        kind, column = "organisations", table.c.id
    else:
        return
    query = select(column).distinct()
    if state.statement.whereclause is not None:
        query = query.where(state.statement.whereclause)
    ids = set(state.session.execute(query, execution_options={"autoflush": False}).scalars())
    _marked(state.session)[kind].update(i for i in ids if i is not None)
    if name == "candidates" and state.is_delete:
        _remember_removed(state.session, (i for i in ids if i is not None))


def _candidates_behind(session: Session, marked: dict[str, set[int]]) -> set[int]:
    """The candidates of the marked trajects, placements and organisations (plus the marked ones)."""
    candidates = set(marked["candidates"])
    if not HAS_TRAJECTS:
        return candidates
    from portal.candidates.models import Interest
    from portal.trajects.models import Traject

    for kind, column in (("trajects", Traject.id), ("placements", Traject.placement_id),
                         ("organisations", Traject.organisation_id)):
        if marked[kind]:
            candidates |= set(session.scalars(select(Traject.candidate_id).distinct()
                                              .where(column.in_(sorted(marked[kind])))))
    if marked["organisations"]:
        candidates |= set(session.scalars(select(Interest.candidate_id).distinct()
                                          .where(Interest.organisation_id.in_(sorted(marked["organisations"])))))
    return candidates


def _before_commit(session: Session) -> None:
    if session.info.get("results_refreshing"):
        return
    marked = {kind: session.info.pop(f"results_{kind}", set()) for kind in _KINDS}
    session.flush()  # the last changes (may add more)
    for kind in _KINDS:
        marked[kind] |= session.info.pop(f"results_{kind}", set())
    removed = session.info.pop("results_removed", {})
    if not any(marked.values()) and not removed:
        return
    session.info["results_refreshing"] = True
    try:
        refresh(session, _candidates_behind(session, marked), removed)
        session.flush()
    finally:
        session.info.pop("results_refreshing", None)
        for kind in (*_KINDS, "removed"):
            session.info.pop(f"results_{kind}", None)


def _after_rollback(session: Session) -> None:
    for kind in (*_KINDS, "removed"):
        session.info.pop(f"results_{kind}", None)


def install() -> None:
    """Listen on every ORM session (idempotent)."""
    if not event.contains(Session, "after_flush", _touched):
        event.listen(Session, "after_flush", _touched)
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "do_orm_execute", _bulk_statement)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_soft_rollback", lambda session, _tx: _after_rollback(session))


install()
