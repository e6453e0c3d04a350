"""The summary table of the results area: one row of facts per candidate, kept in step by the
same transaction.

`results_candidate_facts` holds, per candidate, what the funnel and the other candidate-level
indicators need (municipality, gender, cohort, whether and when each step was reached, the first
start, in work after 3/6/12 months, language progress). The dashboard then counts one narrow
table with GROUP BY instead of probing six others per candidate.

Kept in step: every flush that touches a candidate's records (candidate, consent-free profile
fields, interests, follow-ups, trajects and their changes, proposals, starts, check-ins, results,
Dutch levels) remembers the candidate, and just before the transaction commits its rows are
recomputed by one INSERT … SELECT (set-based SQL, the same expressions as a full rebuild). A
deleted candidate's row goes with it (ON DELETE CASCADE). `rebuild()` recomputes everything
(`flask results refresh`, and the dashboard itself when the table is not complete, e.g. right
after the migration or a bulk import).

Facts that depend on today (is the day "3 months after the first start" already past?) are not
stored: the table keeps the first start date and the state on that day as known now.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, case, delete, event, false, func, insert, select, true
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.core import db

#: Model classes whose rows carry a candidate_id (a change there refreshes that candidate).
_CANDIDATE_TABLES = {
    "candidates", "candidate_interests", "follow_ups", "trajects", "proposals", "aftercare_checkins",
    "aftercare_results", "candidate_languages", "video_profiles",
}
#: ... and those that point at a traject.
_TRAJECT_TABLES = {"traject_stage_changes", "placement_starts"}


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


def refresh(session: Session, candidate_ids: Iterable[int]) -> None:
    ids = sorted(set(candidate_ids))
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        session.execute(delete(CandidateFacts).where(CandidateFacts.candidate_id.in_(chunk)))
        session.execute(insert(CandidateFacts).from_select(_COLUMNS, _facts_select(chunk)))


def rebuild(session: Session | None = None) -> int:
    """Recompute every row (set-based). Returns the number of candidates."""
    session = session or db.session
    session.execute(delete(CandidateFacts))
    session.execute(insert(CandidateFacts).from_select(_COLUMNS, _facts_select()))
    return session.scalar(select(func.count()).select_from(CandidateFacts)) or 0


def ensure_complete(session: Session | None = None) -> None:
    """Rebuild when the table does not cover every candidate (after the migration, a bulk import)."""
    from portal.candidates.models import Candidate

    session = session or db.session
    if session.info.get("results_facts_checked"):
        return
    session.info["results_facts_checked"] = True
    facts = session.scalar(select(func.count()).select_from(CandidateFacts)) or 0
    candidates = session.scalar(select(func.count()).select_from(Candidate)) or 0
    if facts != candidates:
        rebuild(session)


# --- kept in step ------------------------------------------------------------------------------

def _touched(session: Session, flush_context: Any) -> None:
    candidates: set[int] = session.info.setdefault("results_candidates", set())
    trajects: set[int] = session.info.setdefault("results_trajects", set())
    for obj in [*session.new, *session.dirty, *session.deleted]:
        table = getattr(type(obj), "__tablename__", None)
        if table == "candidates":
            if obj.id is not None:
                candidates.add(obj.id)
        elif table in _CANDIDATE_TABLES:
            if getattr(obj, "candidate_id", None) is not None:
                candidates.add(obj.candidate_id)
        elif table in _TRAJECT_TABLES and getattr(obj, "traject_id", None) is not None:
            trajects.add(obj.traject_id)


def _before_commit(session: Session) -> None:
    if session.info.get("results_refreshing"):
        return
    candidates = session.info.pop("results_candidates", set())
    trajects = session.info.pop("results_trajects", set())
    session.flush()  # the last changes (may add more)
    candidates |= session.info.pop("results_candidates", set())
    trajects |= session.info.pop("results_trajects", set())
    if not candidates and not trajects:
        return
    from portal.trajects.models import Traject

    if trajects:
        candidates |= set(session.scalars(select(Traject.candidate_id).where(Traject.id.in_(sorted(trajects)))))
    session.info["results_refreshing"] = True
    try:
        refresh(session, candidates)
    finally:
        session.info.pop("results_refreshing", None)


def _after_rollback(session: Session) -> None:
    session.info.pop("results_candidates", None)
    session.info.pop("results_trajects", None)


def install() -> None:
    """Listen on every ORM session (idempotent)."""
    if not event.contains(Session, "after_flush", _touched):
        event.listen(Session, "after_flush", _touched)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_soft_rollback", lambda session, _tx: _after_rollback(session))


install()
