"""Access table of the meetings area (see tests/core/test_access_by_role.py)."""
from __future__ import annotations

from typing import Any

ACCESS = {
    "meetings.index": {"employer", "account_manager"},
    "meetings.availability": {"account_manager"},
    "meetings.new_slot": {"account_manager"},
    "meetings.new_series": {"account_manager"},
    "meetings.withdraw_slot": {"account_manager"},
    "meetings.book": {"employer"},
    "meetings.booking_detail": {"employer", "account_manager", "wsp", "admin"},
    "meetings.calendar_file": {"employer", "account_manager", "wsp", "admin"},
    "meetings.confirm": {"account_manager"},
    "meetings.cancel": {"employer", "account_manager"},
    "meetings.move": {"employer", "account_manager"},
    "meetings.outcome": {"employer"},
}


def objects(factory: Any, employer: Any) -> dict[str, Any]:
    from tests.meetings.factories import MeetingFactory, utc

    meetings = MeetingFactory(factory)
    manager = factory.user("account_manager")
    candidate = meetings.candidate(manager)
    free = meetings.slot(manager, [candidate], starts_at=utc(days=5))
    booked = meetings.slot(manager, [candidate], starts_at=utc(days=6))
    booking = meetings.booking(booked, candidate, employer)
    return {"for_candidate_id": candidate.id, "meeting_slot_id": free.id, "meeting_booking_id": booking.id}
