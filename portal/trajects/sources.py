"""How the existing sources move trajects (called by the other areas; nothing here commits).

    interest_recorded(interest, by)        employer "Ik wil kennismaken" for a placement -> interest
    meeting_booked(booking, by)            one-to-one meeting booked                    -> meeting planned
    outcome_recorded(candidate, source_kind, outcome, organisation=..., placement=..., by=...)
        THE one function every outcome goes through (portal.events.followups.record_outcome calls
        it for speed dates, company visits and one-to-one meetings):
          interested (placement or taalstage) / follow-up  -> met
          not now                                          -> met, then stopped ("no match")
          no show                                          -> stays where it is

Which placement, when the source names none (a speed date, a company visit, a meeting booked
without a placement):
  1. the candidate's one open traject with that organisation, if there is exactly one;
  2. else the organisation's one published placement, if it has exactly one;
  3. else no traject moves: the follow-up stays on the account manager's list, and the recorder
     may name a placement (the visit and speed-date outcome forms offer the organisation's
     placements as an optional choice).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from portal.core import db
from portal.trajects.models import StopReason, Traject, TrajectSource, TrajectStage
from portal.trajects.operations import advance, move_stage, open_traject

#: follow-up SourceKind value -> traject source
_SOURCES = {"meeting": TrajectSource.MEETING, "event_meeting": TrajectSource.SPEED_DATE,
            "visit": TrajectSource.COMPANY_VISIT}


def _placement(placement_id: int | None) -> Any:
    from portal.placements.models import Placement

    return db.session.get(Placement, placement_id) if placement_id else None


def resolve_placement(candidate: Any, organisation: Any, placement: Any = None) -> Any:
    """The placement an outcome belongs to (see the module docstring), or None."""
    from portal.placements.models import Placement, PlacementStatus

    if placement is not None:
        return placement
    if organisation is None:
        return None
    organisation_id = getattr(organisation, "id", organisation)
    open_ones = list(db.session.scalars(select(Traject).where(
        Traject.candidate_id == candidate.id, Traject.organisation_id == organisation_id,
        Traject.stage.in_([s for s in TrajectStage if s.is_open]))))
    if len(open_ones) == 1:
        return open_ones[0].placement
    if open_ones:
        return None
    published = list(db.session.scalars(select(Placement).where(
        Placement.organisation_id == organisation_id, Placement.status == PlacementStatus.PUBLISHED).limit(2)))
    return published[0] if len(published) == 1 else None


def interest_recorded(interest: Any, by: Any = None) -> Traject | None:
    placement = _placement(interest.placement_id)
    if placement is None:
        return None
    traject = open_traject(interest.candidate, placement, TrajectSource.EMPLOYER_INTEREST, by=by)
    if traject.stage == TrajectStage.STOPPED:
        advance(traject, TrajectStage.INTEREST, by=by, reason=TrajectSource.EMPLOYER_INTEREST.value)
    return traject


def meeting_booked(booking: Any, by: Any = None) -> Traject | None:
    placement = resolve_placement(booking.candidate, booking.organisation_id, _placement(booking.placement_id))
    if placement is None:
        return None
    traject = open_traject(booking.candidate, placement, TrajectSource.MEETING, by=by,
                           stage=TrajectStage.MEETING_PLANNED)
    advance(traject, TrajectStage.MEETING_PLANNED, by=by, reason=TrajectSource.MEETING.value)
    return traject


def outcome_recorded(candidate: Any, source_kind: str, outcome: str, *, organisation: Any = None,
                     placement: Any = None, by: Any = None) -> Traject | None:
    from portal.events.followups import Outcome

    outcome = Outcome(outcome)
    placement = resolve_placement(candidate, organisation, placement)
    if placement is None:
        return None
    source = _SOURCES.get(str(source_kind), TrajectSource.FOLLOW_UP)
    if outcome == Outcome.NO_SHOW:
        existing = db.session.scalars(select(Traject).where(Traject.candidate_id == candidate.id,
                                                            Traject.placement_id == placement.id)).first()
        return existing  # stays where it is
    traject = open_traject(candidate, placement, source, by=by, stage=TrajectStage.MET)
    advance(traject, TrajectStage.MET, by=by, reason=source.value)
    if outcome == Outcome.NOT_NOW and traject.stage == TrajectStage.MET:
        move_stage(traject, TrajectStage.STOPPED, by=by, reason=StopReason.NO_MATCH)
    return traject
