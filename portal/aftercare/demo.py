"""Demo data of aftercare: the demo starts get their check-ins, some done and some due or overdue,
and one placement ends with a contract (so the traject is finished).

Works on the trajects area's demo starts; when there is no start that began long enough ago to have
check-ins behind it, one is made (a demo candidate at a demo placement, started ten weeks ago)
through the trajects area's own operations. Idempotent: nothing is added once a result exists.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from config.settings import DEMO_EMAIL_DOMAIN
from portal.accounts.models import User
from portal.aftercare.models import AftercareResult, Assessment
from portal.core import db
from portal.demo import demo_extension

STEPS = [
    (Assessment.GOOD, {"listening": 3, "spoken_interaction": 2}, "Over zes weken weer langs; vraagt om een taalmaatje."),
    (Assessment.ATTENTION, {"spoken_interaction": 2}, "Met de leidinggevende werkinstructies op papier afspreken."),
    (Assessment.GOOD, {"listening": 3, "spoken_interaction": 3, "spoken_production": 3},
     "Gesprek over een contract na de proefplaatsing."),
]


def _demo_starts(manager: User) -> list:
    from portal.candidates.models import Candidate
    from portal.trajects.models import PlacementStart, Traject

    # the starts of the demo candidates of both municipalities' account managers
    managers = select(User.id).where(User.email.in_([manager.email, f"accountmanager2@{DEMO_EMAIL_DOMAIN}"]))
    return list(db.session.scalars(
        select(PlacementStart).join(Traject, Traject.id == PlacementStart.traject_id)
        .join(Candidate, Candidate.id == Traject.candidate_id)
        .where(Candidate.owner_id.in_(managers)).order_by(PlacementStart.start_date, PlacementStart.id)
    ))


def _make_old_start(manager: User, weeks_ago: int):
    """A demo candidate without a traject starts at a demo placement with places left."""
    from portal.candidates.models import Candidate, CandidateStatus
    from portal.placements.models import Placement, PlacementStatus
    from portal.trajects.models import Traject, TrajectSource, TrajectStage
    from portal.trajects.operations import filled_count, move_stage, open_traject, record_start

    busy = select(Traject.candidate_id)
    candidate = db.session.scalars(select(Candidate).where(
        Candidate.owner_id == manager.id, Candidate.status == CandidateStatus.PUBLISHED, Candidate.id.not_in(busy))
        .order_by(Candidate.id)).first()
    placements = db.session.scalars(select(Placement).where(Placement.status == PlacementStatus.PUBLISHED)
                                    .order_by(Placement.id)).all()
    placement = next((p for p in placements if filled_count(p.id) < p.places), None)
    if candidate is None or placement is None:
        return None
    traject = open_traject(candidate, placement, TrajectSource.PROPOSAL, by=manager, stage=TrajectStage.PROPOSED)
    move_stage(traject, TrajectStage.MET, by=manager, reason="meeting")
    start_date = db.utcnow().date() - dt.timedelta(weeks=weeks_ago)
    return record_start(traject, by=manager, start_date=start_date, planned_end_date=start_date + dt.timedelta(weeks=26),
                        hours_per_week=16, days=["mon", "tue", "thu"], placement_type=placement.type,
                        jobcoach_name="Karin Smit", jobcoach_organisation="Jobcoach Zaanstreek")


@demo_extension
def aftercare() -> None:
    from portal.aftercare import operations
    from portal.trajects.models import TrajectStage

    manager = db.session.scalar(select(User).where(User.email == f"accountmanager@{DEMO_EMAIL_DOMAIN}"))
    if manager is None or db.session.scalar(select(AftercareResult.id).limit(1)) is not None:
        return
    today = db.utcnow().date()
    starts = _demo_starts(manager)
    old = [s for s in starts if s.start_date <= today - dt.timedelta(weeks=7) and s.traject.stage == TrajectStage.STARTED]
    while len(old) < 2:
        made = _make_old_start(manager, weeks_ago=10 + 8 * len(old))
        if made is None:
            break
        old.append(made)
        starts.append(made)
    for start in starts:
        operations.create_schedule(start, by=start.traject.candidate.owner)
    # The oldest started placement: every check-in behind it recorded, then a contract.
    if old:
        finished = old[-1]
        for index, checkin in enumerate(c for c in operations.checkins_of(finished.id) if c.due_on <= today):
            assessment, levels, step = STEPS[index % len(STEPS)]
            operations.record_checkin(checkin, finished.traject.candidate.owner, assessment=assessment,
                                      dutch_levels=levels, next_step=step)
        operations.record_result(finished, finished.traject.candidate.owner, kind="contract", contract_kind="fixed_term", ended_on=today,
                                 note="Jaarcontract voor 24 uur per week.")
    # The next one: the first check-in done, the one after it left overdue.
    if len(old) > 1:
        first = next((c for c in operations.checkins_of(old[0].id) if not c.is_done), None)
        if first is not None:
            assessment, levels, step = STEPS[0]
            operations.record_checkin(first, old[0].traject.candidate.owner, assessment=assessment,
                                      dutch_levels=levels, next_step=step)
    db.session.flush()
