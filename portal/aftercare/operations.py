"""Aftercare operations: the check-in schedule of a start, recording check-ins and the result.

    default_schedule(start_date, planned_end)   -> [(moment, due_on)]   (pure; the rule below)
    create_schedule(start, by=None)             -> the check-ins of a start (idempotent)
    reschedule(checkin, due_on, by) / remove_checkin(checkin, by) / add_checkin(start, due_on, by)
    record_checkin(checkin, by, assessment=..., dutch_levels={...}, next_step="...")
    record_result(start, by, kind=..., contract_kind=..., stop_reason=..., ended_on=..., note="")

The default schedule: after 1 week, 6 weeks, 3 months and 6 months, and 4 weeks before the planned
end; a moment after the planned end is left out (a 3-month taalstage has no 6-month check-in), and
so is "4 weeks before the end" when that falls before the first week. A start recorded through the
trajects area ("placement_start.recorded") gets its schedule in the same transaction.

Operations flush and audit (always with `candidate_id`, so the case timeline shows them); never commit.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.aftercare.models import (
    NEXT_STEP_MAX, RESULT_NOTE_MAX, AftercareResult, Assessment, CheckIn, CheckInMoment, ContractKind, ResultKind,
)
from portal.core import audit, db
from portal.core.errors import DomainError

M = CheckInMoment
MAX_DAYS_AHEAD = 3 * 366


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def default_schedule(start_date: dt.date, planned_end: dt.date | None) -> list[tuple[CheckInMoment, dt.date]]:
    moments = [
        (M.WEEK_1, start_date + dt.timedelta(weeks=1)),
        (M.WEEK_6, start_date + dt.timedelta(weeks=6)),
        (M.MONTH_3, add_months(start_date, 3)),
        (M.MONTH_6, add_months(start_date, 6)),
    ]
    if planned_end is not None:
        moments = [(m, day) for m, day in moments if day <= planned_end]
        before_end = planned_end - dt.timedelta(weeks=4)
        if before_end > start_date + dt.timedelta(weeks=1):
            moments.append((M.BEFORE_END, before_end))
    return sorted(moments, key=lambda item: (item[1], list(M).index(item[0])))


def _candidate_id(start: Any) -> int:
    return start.traject.candidate_id


def checkins_of(start_id: int) -> list[CheckIn]:
    return list(db.session.scalars(
        select(CheckIn).where(CheckIn.start_id == start_id).order_by(CheckIn.due_on, CheckIn.id)
    ))


def create_schedule(start: Any, by: Any = None) -> list[CheckIn]:
    """Give a start its default check-ins (nothing when it already has check-ins)."""
    existing = checkins_of(start.id)
    if existing:
        return existing
    candidate_id = _candidate_id(start)
    rows = [CheckIn(start_id=start.id, candidate_id=candidate_id, moment=moment, due_on=due_on)
            for moment, due_on in default_schedule(start.start_date, start.planned_end_date)]
    db.session.add_all(rows)
    db.session.flush()
    audit.record("aftercare.schedule_created", start, actor=by, candidate_id=candidate_id,
                 checkins=len(rows))
    return rows


@audit.on_record
def _schedule_on_start(entry: Any, obj: Any) -> None:
    if entry.action == "placement_start.recorded" and obj is not None and getattr(obj, "id", None):
        create_schedule(obj, by=None)


def _check_due(start: Any, due_on: Any, field: str = "due_on") -> dt.date:
    if not isinstance(due_on, dt.date):
        raise DomainError(str(_l("Vul een geldige datum in.")), field=field)
    if due_on < start.start_date:
        raise DomainError(str(_l("Een nazorgcontact kan niet voor de startdatum liggen.")), field=field)
    if due_on > start.start_date + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise DomainError(str(_l("Kies een datum binnen drie jaar na de start.")), field=field)
    return due_on


def _open(checkin: CheckIn) -> None:
    if checkin.is_done:
        raise DomainError(str(_l("Dit nazorgcontact is al vastgelegd.")))


def _result_recorded(start: Any) -> bool:
    return db.session.scalar(select(AftercareResult.id).where(AftercareResult.start_id == start.id)) is not None


def reschedule(checkin: CheckIn, due_on: Any, by: Any) -> None:
    _open(checkin)
    old = checkin.due_on
    checkin.due_on = _check_due(checkin.start, due_on)
    db.session.flush()
    audit.record("aftercare.checkin_rescheduled", checkin, actor=by, candidate_id=checkin.candidate_id,
                 old=old.isoformat(), new=checkin.due_on.isoformat())


def remove_checkin(checkin: CheckIn, by: Any) -> None:
    _open(checkin)
    candidate_id = checkin.candidate_id
    audit.record("aftercare.checkin_removed", checkin, actor=by, candidate_id=candidate_id,
                 moment=checkin.moment.value)
    db.session.delete(checkin)
    db.session.flush()


def add_checkin(start: Any, due_on: Any, by: Any) -> CheckIn:
    if _result_recorded(start):
        raise DomainError(str(_l("Het resultaat is al vastgelegd; er volgen geen nazorgcontacten meer.")))
    checkin = CheckIn(start_id=start.id, candidate_id=_candidate_id(start), moment=M.EXTRA,
                      due_on=_check_due(start, due_on))
    db.session.add(checkin)
    db.session.flush()
    audit.record("aftercare.checkin_added", checkin, actor=by, candidate_id=checkin.candidate_id,
                 due_on=checkin.due_on.isoformat())
    return checkin


def record_checkin(checkin: CheckIn, by: Any, *, assessment: Assessment | str, dutch_levels: dict[str, Any] | None = None,
                   next_step: str = "") -> CheckIn:
    from portal import reference

    _open(checkin)
    try:
        assessment = Assessment(assessment)
    except ValueError:
        raise DomainError(str(_l("Kies hoe het gaat.")), field="assessment") from None
    levels: dict[str, int] = {}
    for skill, level in (dutch_levels or {}).items():
        if level is None or level == "":
            continue
        if skill not in reference.LANGUAGE_SKILLS or isinstance(level, bool) or not isinstance(level, int) \
                or not 0 <= level <= 6:
            raise DomainError(str(_l("Een taalniveau loopt van 0 (geen) tot 6 (C2).")), field=skill)
        levels[skill] = level
    next_step = (next_step or "").strip()
    if not next_step:
        raise DomainError(str(_l("Schrijf de volgende stap op.")), field="next_step")
    if len(next_step) > NEXT_STEP_MAX:
        raise DomainError(str(_l("Hoogstens %(max)d tekens.", max=NEXT_STEP_MAX)), field="next_step")
    checkin.assessment, checkin.dutch_levels, checkin.next_step = assessment, levels, next_step
    checkin.done_at, checkin.done_by_id = db.utcnow(), by.id
    db.session.flush()
    audit.record("aftercare.checkin_recorded", checkin, actor=by, candidate_id=checkin.candidate_id,
                 placement_id=checkin.start.traject.placement_id, moment=checkin.moment.value,
                 assessment=assessment.value, skills_measured=len(levels))
    return checkin


def record_result(start: Any, by: Any, *, kind: ResultKind | str, ended_on: Any, contract_kind: Any = None,
                  stop_reason: Any = None, note: str = "") -> AftercareResult:
    """Record how the placement ended and move the traject to finished (or stopped)."""
    from portal.trajects.models import CHOOSABLE_STOP_REASONS, StopReason, TrajectStage
    from portal.trajects.operations import move_stage

    if _result_recorded(start):
        raise DomainError(str(_l("Het resultaat van deze plaatsing is al vastgelegd.")))
    try:
        kind = ResultKind(kind)
    except ValueError:
        raise DomainError(str(_l("Kies een resultaat.")), field="kind") from None
    contract: ContractKind | None = None
    reason: StopReason | None = None
    if kind == ResultKind.CONTRACT:
        try:
            contract = ContractKind(contract_kind)
        except ValueError:
            raise DomainError(str(_l("Kies het soort contract.")), field="contract_kind") from None
    if kind == ResultKind.STOPPED:
        try:
            reason = StopReason(stop_reason)
        except ValueError:
            reason = None
        if reason not in CHOOSABLE_STOP_REASONS:
            raise DomainError(str(_l("Kies een reden om te stoppen.")), field="stop_reason")
    if not isinstance(ended_on, dt.date):
        raise DomainError(str(_l("Vul een geldige datum in.")), field="ended_on")
    if ended_on < start.start_date:
        raise DomainError(str(_l("De einddatum kan niet voor de startdatum liggen.")), field="ended_on")
    if ended_on > db.utcnow().date() + dt.timedelta(days=366):
        raise DomainError(str(_l("Kies een einddatum binnen een jaar.")), field="ended_on")
    note = (note or "").strip()
    if len(note) > RESULT_NOTE_MAX:
        raise DomainError(str(_l("Hoogstens %(max)d tekens.", max=RESULT_NOTE_MAX)), field="note")
    traject = start.traject
    if traject.stage != TrajectStage.STARTED:
        raise DomainError(str(_l("Alleen een gestart traject krijgt een resultaat.")))
    result = AftercareResult(start_id=start.id, candidate_id=traject.candidate_id, kind=kind, contract_kind=contract,
                             stop_reason=reason.value if reason else None, note=note, ended_on=ended_on,
                             recorded_by_id=by.id)
    db.session.add(result)
    # Open check-ins are no longer needed once the placement has ended.
    for checkin in checkins_of(start.id):
        if not checkin.is_done:
            db.session.delete(checkin)
    db.session.flush()
    audit.record("aftercare.result_recorded", result, actor=by, candidate_id=traject.candidate_id,
                 placement_id=traject.placement_id, kind=kind.value,
                 contract_kind=contract.value if contract else None, stop_reason=reason.value if reason else None)
    if kind == ResultKind.STOPPED:
        move_stage(traject, TrajectStage.STOPPED, by=by, reason=reason, note=note or None, by_employer=False)
    else:
        move_stage(traject, TrajectStage.FINISHED, by=by, reason=f"result_{kind.value}")
    return result


def result_of(start_id: int) -> AftercareResult | None:
    return db.session.scalar(select(AftercareResult).where(AftercareResult.start_id == start_id))
