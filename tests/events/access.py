"""Access table of the events area (see tests/core/test_access_by_role.py)."""
from __future__ import annotations

from typing import Any

from tests.core.test_access_by_role import SIGNED_IN

STAFF = {"wsp", "admin"}

ACCESS = {
    "events.event_list": SIGNED_IN,
    "events.event_new": STAFF,
    "events.event_detail": SIGNED_IN,
    "events.event_edit": STAFF,
    "events.event_status": STAFF,
    "events.employer_register": {"employer"},
    "events.employer_registration_cancel": {"employer", "wsp", "admin"},
    "events.employer_registration_calendar": {"employer", "wsp", "admin"},
    "events.candidate_register": {"account_manager", "wsp", "admin"},
    "events.candidate_registration_cancel": {"account_manager", "wsp", "admin"},
    "events.schedule": STAFF,
    "events.schedule_generate": STAFF,
    "events.schedule_announce": STAFF,
    "events.schedule_print": SIGNED_IN,
    "events.check_in": STAFF,
    "events.meeting_outcome": {"employer", "wsp", "admin"},
    "events.outcomes": STAFF,
    "events.follow_ups": {"account_manager", "wsp", "admin"},
    "events.follow_up_done": {"account_manager", "wsp", "admin"},
    "events.visit_list": SIGNED_IN,
    "events.visit_new": {"employer"},
    "events.visit_detail": SIGNED_IN,
    "events.visit_cancel": {"employer", "wsp", "admin"},
    "events.visit_book": {"account_manager", "wsp", "admin"},
    "events.visit_booking_cancel": {"employer", "account_manager", "wsp", "admin"},
    "events.visit_check_in": {"employer", "wsp", "admin"},
    "events.visit_outcome": {"employer", "wsp", "admin"},
}


def objects(factory: Any, employer: Any) -> dict[str, Any]:
    """A published event with the employer's table, a candidate's place, a schedule slot and a
    follow-up; an open visit slot of the employer's organisation with a booking."""
    from portal.core import db
    from portal.events.followups import FollowUp, Outcome, SourceKind
    from portal.events.models import (
        BookingStatus, CandidateRegistration, EmployerRegistration, ScheduleSlot, VisitBooking,
    )
    from tests.events.factories import EventFactory, local

    ef = EventFactory(factory)
    owner = factory.user("account_manager")
    candidate = ef.candidate(owner=owner)
    event = ef.event(starts_at=local(7, 13), ends_at=local(7, 16))
    slot = ef.visit(employer)
    with factory.app.app_context():
        table = EmployerRegistration(event_id=event.id, organisation_id=employer.organisation_id,
                                     registered_by_id=employer.id, status=BookingStatus.CONFIRMED, representatives=1)
        place = CandidateRegistration(event_id=event.id, candidate_id=candidate.id, registered_by_id=owner.id,
                                      status=BookingStatus.CONFIRMED)
        db.session.add_all([table, place])
        db.session.flush()
        meeting = ScheduleSlot(event_id=event.id, round_number=0, employer_registration_id=table.id,
                               candidate_registration_id=place.id)
        booking = VisitBooking(slot_id=slot.id, candidate_id=candidate.id, booked_by_id=owner.id,
                               status=BookingStatus.CONFIRMED)
        db.session.add_all([meeting, booking])
        db.session.flush()
        follow_up = FollowUp(candidate_id=candidate.id, source_kind=SourceKind.EVENT_MEETING, source_ref=meeting.id,
                             organisation_id=employer.organisation_id, outcome=Outcome.FOLLOW_UP,
                             assigned_to_id=owner.id)
        db.session.add(follow_up)
        db.commit()
        return {
            "event_id": event.id,
            "employer_registration_id": table.id,
            "candidate_registration_id": place.id,
            "meeting_id": meeting.id,
            "follow_up_id": follow_up.id,
            "visit_id": slot.id,
            "booking_id": booking.id,
        }
