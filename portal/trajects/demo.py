"""Demo data: trajects at every stage on the demo candidates and placements (idempotent).

Starts lie in the past (9, 45 and 100 days ago, and one finished) so that aftercare check-ins
are due or overdue; one proposal waits for each demo employer's answer; one was declined.
Timestamps of stage changes (and their audit entries) are spread over the weeks before, so the
case timeline reads like a real journey. Nothing is loaded when the candidates or placements
areas have no demo data.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from config.settings import DEMO_EMAIL_DOMAIN
from portal.accounts.models import User
from portal.candidates.models import Candidate
from portal.core import db
from portal.core.audit import AuditEntry
from portal.demo import demo_extension
from portal.placements.models import Placement, PlacementStatus
from portal.trajects.models import (
    DeclineReason, InstrumentKind, InstrumentStatus, ProposalAnswer, Traject, TrajectSource, TrajectStage,
)

S = TrajectStage
#: (candidate first name, placement title, final stage, days ago the start was / is, extras)
PLAN: list[tuple[str, str, TrajectStage, int | None, dict[str, Any]]] = [
    ("Amina", "Taalstage in de bakkerij", S.STARTED, 9, dict(
        hours=12, days=["tue", "thu"], buddy=("Samira", "ar"), weeks=12,
        instruments=[(InstrumentKind.TAALVOUCHER, InstrumentStatus.GRANTED, 150000)])),
    ("Tesfay", "Orderpicker distributiecentrum", S.STARTED, 45, dict(
        hours=24, days=["mon", "tue", "wed"], jobcoach=("Petra Jansen", "Jobcoach Zaanstreek"), weeks=8,
        instruments=[(InstrumentKind.PROEFPLAATSING_RETAINED_BENEFIT, InstrumentStatus.GRANTED, None),
                     (InstrumentKind.NO_RISK_POLIS, InstrumentStatus.REQUESTED, None)])),
    ("Farid", "Orderpicker distributiecentrum", S.STARTED, 100, dict(
        hours=32, days=["mon", "tue", "wed", "thu"], weeks=26,
        instruments=[(InstrumentKind.LOONKOSTENSUBSIDIE, InstrumentStatus.GRANTED, 850000)])),
    ("Olena", "Verkoopmedewerker bakkerswinkel", S.FINISHED, 220, dict(hours=16, days=["mon", "fri"], weeks=26)),
    ("Hodan", "Taalstage in de bakkerij", S.TRIAL, None, {}),
    ("Mehmet", "Orderpicker distributiecentrum", S.MET, None, {}),
    ("Yonas", "Verkoopmedewerker bakkerswinkel", S.PROPOSED, None, {}),
    ("Mariam", "Taalstage in de bakkerij", S.INTEREST, None, {}),
    ("Abdirahman", "Verkoopmedewerker bakkerswinkel", S.STOPPED, None, {}),
    ("Lina", "Orderpicker distributiecentrum", S.MEETING_PLANNED, None, {}),
    ("Samira", "Orderpicker distributiecentrum", S.PROPOSED, None, {}),
]

MOTIVATION = ("{name} heeft ervaring in dit soort werk, is gemotiveerd en kan de dagen combineren met de taalles. "
              "Een kennismaking lijkt ons een goede eerste stap.")


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


@demo_extension
def load_demo_trajects() -> None:
    from portal.trajects.operations import answer_proposal, move_stage, open_traject, propose, record_start

    managers = [m for m in (_user(f"accountmanager@{DEMO_EMAIL_DOMAIN}"), _user(f"accountmanager2@{DEMO_EMAIL_DOMAIN}")) if m]
    if not managers:
        return
    # the demo candidates of both municipalities; each traject is worked by the candidate's own account manager
    candidates = {c.first_name: c for c in db.session.scalars(
        select(Candidate).where(Candidate.owner_id.in_([m.id for m in managers])))}
    placements = {p.title: p for p in db.session.scalars(select(Placement).where(Placement.status == PlacementStatus.PUBLISHED))}
    if not candidates or not placements:
        return
    if db.session.scalar(select(Traject.id).where(Traject.candidate_id.in_([c.id for c in candidates.values()])).limit(1)):
        return  # already loaded
    today = dt.date.today()
    for first, title, stage, started_days_ago, extra in PLAN:
        candidate, placement = candidates.get(first), placements.get(title)
        if candidate is None or placement is None:
            continue
        consent = candidate.valid_consent
        if not candidate.is_published or consent is None or not consent.covers(placement.organisation):
            continue
        manager = candidate.owner
        employer = db.session.scalar(select(User).where(User.organisation_id == placement.organisation_id)
                                     .order_by(User.id).limit(1))
        if stage == S.INTEREST:
            traject = open_traject(candidate, placement, TrajectSource.EMPLOYER_INTEREST, by=employer)
        else:
            proposal = propose(candidate, placement, MOTIVATION.format(name=candidate.first_name), by=manager)
            traject = proposal.traject
            if stage == S.STOPPED:
                answer_proposal(proposal, ProposalAnswer.DECLINED, by=employer, decline_reason=DeclineReason.DAYS_HOURS)
            elif stage != S.PROPOSED:
                answer_proposal(proposal, ProposalAnswer.INVITED, by=employer)
        path = {S.MEETING_PLANNED: [S.MEETING_PLANNED], S.MET: [S.MEETING_PLANNED, S.MET],
                S.TRIAL: [S.MEETING_PLANNED, S.MET, S.TRIAL],
                S.STARTED: [S.MEETING_PLANNED, S.MET], S.FINISHED: [S.MEETING_PLANNED, S.MET]}.get(stage, [])
        for step in path:
            move_stage(traject, step, by=manager, reason="meeting" if step in (S.MEETING_PLANNED, S.MET) else None)
        start = None
        if stage in (S.STARTED, S.FINISHED):
            start_date = today - dt.timedelta(days=started_days_ago or 0)
            jobcoach, buddy = extra.get("jobcoach", ("", "")), extra.get("buddy", ("", ""))
            start = record_start(
                traject, by=manager, start_date=start_date,
                planned_end_date=start_date + dt.timedelta(weeks=extra.get("weeks", 12)),
                hours_per_week=extra.get("hours", 16), days=extra.get("days", ["mon"]), placement_type=placement.type,
                jobcoach_name=jobcoach[0], jobcoach_organisation=jobcoach[1], buddy_name=buddy[0],
                buddy_language_code=buddy[1],
                instruments=[{"kind": kind.value, "status": status.value, "amount": amount,
                              "period_start": start_date if status == InstrumentStatus.GRANTED else None,
                              "period_end": None} for kind, status, amount in extra.get("instruments", [])],
            )
            if stage == S.FINISHED:
                move_stage(traject, S.FINISHED, by=manager, reason="planned_end")
        _spread_in_time(traject, start, today)
    db.session.flush()


def _spread_in_time(traject: Traject, start: Any, today: dt.date) -> None:
    """Give the stage changes (and their audit entries) dates in the weeks before the start."""
    changes = sorted(traject.changes, key=lambda c: c.id)
    if not changes:
        return
    now = db.utcnow()
    if start is not None:
        start_at = dt.datetime.combine(start.start_date, dt.time(9, 0), tzinfo=dt.timezone.utc)
        base = start_at - dt.timedelta(days=3 * (len(changes) - 1))
    else:
        base = now - dt.timedelta(days=3 * len(changes))
    moments = [base + dt.timedelta(days=3 * i) for i in range(len(changes))]
    if start is not None:
        started = next((i for i, c in enumerate(changes) if c.to_stage == S.STARTED), None)
        if started is not None:
            moments[started] = start_at
        if traject.stage == S.FINISHED and start.planned_end_date:
            moments[-1] = min(now, dt.datetime.combine(start.planned_end_date, dt.time(16, 0), tzinfo=dt.timezone.utc))
        start.recorded_at = moments[started] if started is not None else moments[-1]
    for change, moment in zip(changes, moments):
        change.at = moment
    traject.opened_at, traject.stage_changed_at = moments[0], moments[-1]
    if traject.closed_at is not None:
        traject.closed_at = moments[-1]
    for proposal in traject.proposals:
        proposal.proposed_at = moments[0]
        if proposal.answered_at is not None:
            proposal.answered_at = moments[min(1, len(moments) - 1)]
    entries = list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.action.in_(("traject.stage_changed", "traject.opened", "proposal.created", "proposal.answered",
                               "placement_start.recorded")),
        AuditEntry.details["candidate_id"].as_integer() == traject.candidate_id).order_by(AuditEntry.id)))
    by_stage = iter(moments)
    for entry in entries:
        if entry.details.get("placement_id") != traject.placement_id:
            continue
        if entry.action == "traject.stage_changed":
            entry.at = next(by_stage, moments[-1])
        elif entry.action == "placement_start.recorded" and start is not None:
            entry.at = start.recorded_at
        elif entry.action == "proposal.answered":
            entry.at = moments[min(1, len(moments) - 1)]
        else:
            entry.at = moments[0]
    db.session.flush()
