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

from sqlalchemy import func, select

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


def case_ids(user_id: int) -> list[int]:
    """The ids of the user's cases (owned or shared): two indexed look-ups, a short list."""
    from portal.candidates.models import Candidate

    owned = db.session.scalars(select(Candidate.id).where(Candidate.owner_id == user_id)).all()
    shared = db.session.scalars(select(CaseCoOwner.candidate_id).where(CaseCoOwner.user_id == user_id)).all()
    return sorted(set(owned) | set(shared))


def week_end(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=6 - today.weekday())


def caseload(user: Any, today: dt.date | None = None) -> Caseload:
    from portal.aftercare.models import CheckIn
    from portal.candidates.models import Candidate, CandidateStatus
    from portal.casefile.operations import caseload_target
    from portal.trajects.models import OPEN_STAGES, Traject

    today = today or db.utcnow().date()
    ids = case_ids(user.id)
    by_status = dict(db.session.execute(
        select(Candidate.status, func.count(Candidate.id)).where(Candidate.id.in_(ids)).group_by(Candidate.status)
    ).all())
    on_hold = int(by_status.get(CandidateStatus.PAUSED, 0))
    active = sum(int(n) for status, n in by_status.items() if status != CandidateStatus.PAUSED)
    stage_counts = dict(db.session.execute(
        select(Traject.stage, func.count(Traject.id))
        .where(Traject.candidate_id.in_(ids), Traject.stage.in_(OPEN_STAGES)).group_by(Traject.stage)
    ).all())
    open_checkins = (select(func.count(CheckIn.id))
                     .where(CheckIn.candidate_id.in_(ids), CheckIn.done_at.is_(None)))
    overdue = db.session.scalar(open_checkins.where(CheckIn.due_on < today)) or 0
    this_week = db.session.scalar(open_checkins.where(CheckIn.due_on >= today, CheckIn.due_on <= week_end(today))) or 0
    return Caseload(
        target=caseload_target(),
        active=active, on_hold=on_hold,
        by_stage=[(stage, int(stage_counts.get(stage, 0))) for stage in OPEN_STAGES],
        overdue=int(overdue), due_this_week=int(this_week),
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
        select(Candidate).where(Candidate.id.in_(case_ids(user.id)))
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
