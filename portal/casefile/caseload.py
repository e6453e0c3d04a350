"""An account manager's caseload: the cases they own or share, against the caseload target.

A case is a candidate whose owner is the account manager, or whom they share as co-owner. A case
"on hold" is a paused candidate (status "paused"); every other case is active and counts against
the target. Trajects are counted by stage (open stages only); check-ins are the open ones of the
cases, split into overdue (due before today) and due this week (today up to Sunday).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import CompoundSelect, String, case, cast, func, literal, select, union, union_all

from portal.casefile.models import CaseCoOwner
from portal.core import db


@dataclass(frozen=True)
class Caseload:
    target: int
    active: int
    on_hold: int
    by_stage: list[tuple[Any, int]]
    overdue: int
    due_this_week: int

    @property
    def over_target(self) -> bool:
        return self.active > self.target

    @property
    def room(self) -> int:
        return self.target - self.active


def case_ids_query(user_id: int) -> CompoundSelect:
    """The ids of the user's cases (owned or shared) as a subquery: two indexed look-ups of that
    user's rows (candidates.owner_id, case_co_owners.user_id), inside the statement that uses them."""
    from portal.candidates.models import Candidate

    return union(select(Candidate.id).where(Candidate.owner_id == user_id),
                 select(CaseCoOwner.candidate_id).where(CaseCoOwner.user_id == user_id))


def case_ids(user_id: int) -> list[int]:
    """The ids of the user's cases (owned or shared), sorted."""
    return sorted(db.session.scalars(case_ids_query(user_id)).all())


def week_end(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=6 - today.weekday())


def caseload(user: Any, today: dt.date | None = None) -> Caseload:
    """Every figure of the caseload in one statement: grouped counts of the user's own rows
    (candidates by status, open trajects by stage, open check-ins due up to the end of the week:
    overdue or this week) and the target, as (what, code, n) rows of one UNION ALL."""
    from portal.aftercare.models import CheckIn
    from portal.candidates.models import Candidate, CandidateStatus
    from portal.casefile.models import DEFAULT_CASELOAD_TARGET, CaseloadSetting
    from portal.trajects.models import OPEN_STAGES, Traject

    today = today or db.utcnow().date()
    cases = case_ids_query(user.id)
    due = case((CheckIn.due_on < today, literal("overdue")), else_=literal("week"))
    status = cast(Candidate.status, String)
    stage = cast(Traject.stage, String)
    rows = db.session.execute(union_all(
        select(literal("status"), status, func.count()).where(Candidate.id.in_(cases)).group_by(status),
        select(literal("stage"), stage, func.count())
        .where(Traject.candidate_id.in_(cases), Traject.stage.in_(OPEN_STAGES)).group_by(stage),
        select(literal("checkin"), due, func.count())
        .where(CheckIn.candidate_id.in_(cases), CheckIn.done_at.is_(None), CheckIn.due_on <= week_end(today))
        .group_by(due),
        select(literal("target"), literal(""), CaseloadSetting.target).where(CaseloadSetting.id == 1),
    )).all()
    found: dict[str, dict[str, int]] = {}
    for what, code, n in rows:
        found.setdefault(what, {})[code] = int(n)
    by_status = found.get("status", {})
    on_hold = by_status.get(CandidateStatus.PAUSED.value, 0)
    stage_counts = found.get("stage", {})
    checkins = found.get("checkin", {})
    return Caseload(
        target=found.get("target", {}).get("", DEFAULT_CASELOAD_TARGET),
        active=sum(by_status.values()) - on_hold, on_hold=on_hold,
        by_stage=[(stage, stage_counts.get(stage.value, 0)) for stage in OPEN_STAGES],
        overdue=checkins.get("overdue", 0), due_this_week=checkins.get("week", 0),
    )


@dataclass(frozen=True)
class Case:
    candidate: Any
    shared: bool
    trajects: list[Any]
    open_checkins: int


def cases(user: Any) -> list[Case]:
    """Every case of the user with its open trajects, active ones first, then by name."""
    from portal.aftercare.models import CheckIn
    from portal.candidates.models import Candidate, CandidateStatus
    from portal.trajects.models import OPEN_STAGES, Traject

    candidates = db.session.scalars(
        select(Candidate).where(Candidate.id.in_(case_ids_query(user.id)))
        .order_by(Candidate.status == CandidateStatus.PAUSED, Candidate.first_name, Candidate.surname, Candidate.id)
    ).all()
    ids = [c.id for c in candidates]
    trajects: dict[int, list[Any]] = {}
    checkins: dict[int, int] = {}
    if ids:
        for traject in db.session.scalars(select(Traject).where(Traject.candidate_id.in_(ids),
                                                               Traject.stage.in_(OPEN_STAGES))
                                          .order_by(Traject.stage_changed_at.desc())):
            trajects.setdefault(traject.candidate_id, []).append(traject)
        checkins = dict(db.session.execute(
            select(CheckIn.candidate_id, func.count(CheckIn.id))
            .where(CheckIn.candidate_id.in_(ids), CheckIn.done_at.is_(None)).group_by(CheckIn.candidate_id)
        ).all())
    return [Case(c, c.owner_id != user.id, trajects.get(c.id, []), int(checkins.get(c.id, 0))) for c in candidates]
