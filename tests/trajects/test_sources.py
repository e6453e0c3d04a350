"""Every existing source moves the traject: interest, a booked meeting, its outcome, speed dates."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from portal.core import db
from portal.trajects.models import StopReason, TrajectStage
from tests.meetings.factories import utc
from tests.trajects.helpers import load_traject


def test_interest_for_a_placement_opens_the_traject(app, world):
    response = world.employer_client.post_form(f"/kandidaten/{world.candidate.id}/ontmoeten",
                                               {"placement_id": str(world.placement.id), "note": ""})
    assert response.status_code == 302
    traject = load_traject(app, world.candidate.id, world.placement.id)
    assert traject.stage == TrajectStage.INTEREST and traject.source.value == "employer_interest"


def test_booking_with_a_placement_plans_the_meeting_and_the_outcome_moves_it(app, world, trajects):
    slot = trajects.meetings.slot(world.manager, [world.candidate], auto_confirm=True)
    response = world.employer_client.post_form(
        f"/gesprekken/kandidaat/{world.candidate.id}",
        {"meeting-slot_id": slot.id, "meeting-placement_id": world.placement.id, "meeting-note": ""})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    traject = load_traject(app, world.candidate.id, world.placement.id)
    assert traject.stage == TrajectStage.MEETING_PLANNED

    from portal.meetings.models import MeetingBooking, MeetingSlot

    with app.app_context():  # the meeting took place
        booking = db.session.scalars(select(MeetingBooking)).one()
        s = db.session.get(MeetingSlot, booking.slot_id)
        s.starts_at, s.ends_at = utc(days=-1), utc(days=-1, minutes=30)
        db.commit()
        booking_id = booking.id
    done = world.employer_client.post_form(f"/gesprekken/{booking_id}/uitkomst",
                                           {"outcome": "interested_placement", "note": "Goed gesprek"})
    assert done.status_code == 302
    traject = load_traject(app, world.candidate.id, world.placement.id)
    assert traject.stage == TrajectStage.MET
    assert [c.to_stage for c in traject.changes] == [TrajectStage.MEETING_PLANNED, TrajectStage.MET]


def _outcome(app, world, outcome, *, placement=True):
    from portal.candidates.models import Candidate
    from portal.events.followups import SourceKind, record_outcome
    from portal.placements.models import Placement

    with app.test_request_context():
        candidate = db.session.get(Candidate, world.candidate.id)
        follow_up = record_outcome(candidate, SourceKind.EVENT_MEETING, 4242, outcome,
                                   organisation=world.employer.organisation_id, by=world.employer,
                                   placement=db.session.get(Placement, world.placement.id) if placement else None)
        db.commit()
        return follow_up


def test_speed_date_outcomes(app, world):
    _outcome(app, world, "no_show")
    assert load_traject(app, world.candidate.id, world.placement.id) is None  # no show: nothing to move
    _outcome(app, world, "follow_up")
    traject = load_traject(app, world.candidate.id, world.placement.id)
    assert traject.stage == TrajectStage.MET and traject.source.value == "speed_date"
    _outcome(app, world, "not_now")
    traject = load_traject(app, world.candidate.id, world.placement.id)
    assert traject.stage == TrajectStage.STOPPED and traject.stop_reason == StopReason.NO_MATCH


def test_an_outcome_without_a_placement_uses_the_organisations_only_placement(app, world):
    _outcome(app, world, "interested_taalstage", placement=False)
    assert load_traject(app, world.candidate.id, world.placement.id).stage == TrajectStage.MET


def test_an_outcome_without_a_placement_and_several_placements_opens_nothing(app, world, trajects):
    second = trajects.placement(world.employer.organisation_id, title="Kassamedewerker")
    follow_up = _outcome(app, world, "interested_placement", placement=False)
    assert follow_up.id  # the follow-up itself still works
    assert load_traject(app, world.candidate.id, world.placement.id) is None
    assert load_traject(app, world.candidate.id, second.id) is None


def test_an_outcome_never_drags_a_later_traject_back(app, world, trajects):
    trajects.traject(world.candidate, world.placement, stage="trial")
    _outcome(app, world, "follow_up")
    assert load_traject(app, world.candidate.id, world.placement.id).stage == TrajectStage.TRIAL
