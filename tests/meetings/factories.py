"""Factory helpers for the meetings tests: candidates with consent, slots, bookings."""
from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from portal.core import db

_n = itertools.count(1)


def utc(days: float = 0, hours: float = 0, minutes: float = 0) -> dt.datetime:
    base = db.utcnow().replace(microsecond=0)
    return base + dt.timedelta(days=days, hours=hours, minutes=minutes)


class MeetingFactory:
    def __init__(self, factory: Any) -> None:
        self.factory = factory
        self.app = factory.app

    def candidate(self, owner: Any, *, published: bool = True, organisations: list[Any] | None = None,
                  first_name: str | None = None) -> Any:
        from portal.candidates.consent_text import CURRENT_VERSION
        from portal.candidates.models import Candidate, CandidateStatus, Consent, ConsentScope
        from portal.accounts.models import Organisation

        n = next(_n)
        with self.app.app_context():
            candidate = Candidate(
                first_name=first_name or f"Amina{n}", surname=f"Haddad{n}", date_of_birth=dt.date(1990, 5, 17),
                municipality="Zaanstad", postcode_area="1506", owner_id=owner.id,
                status=CandidateStatus.PUBLISHED if published else CandidateStatus.READY,
                published_at=db.utcnow() if published else None,
            )
            db.session.add(candidate)
            db.session.flush()
            orgs = [db.session.get(Organisation, o.id) for o in (organisations or [])]
            consent = Consent(
                candidate=candidate, recorded_at=db.utcnow() - dt.timedelta(minutes=5), recorded_by_id=owner.id,
                text_version=CURRENT_VERSION,
                scope=ConsentScope.SELECTED_ORGANISATIONS if orgs else ConsentScope.ALL_APPROVED_EMPLOYERS,
                video_allowed=True, expires_at=db.utcnow() + dt.timedelta(days=180), organisations=orgs,
            )
            db.session.add(consent)
            db.commit()
            return candidate

    def slot(self, owner: Any, candidates: list[Any], *, starts_at: dt.datetime | None = None, minutes: int = 30,
             auto_confirm: bool = False, cutoff_hours: int = 24, location_kind: str = "municipal_office",
             video_url: str = "", **fields: Any) -> Any:
        """Inserted directly (may lie in the past, which the operations refuse)."""
        from portal.candidates.models import Candidate
        from portal.meetings.models import LocationKind, MeetingSlot

        starts_at = starts_at or utc(days=3)
        with self.app.app_context():
            slot = MeetingSlot(
                owner_id=owner.id, starts_at=starts_at, ends_at=starts_at + dt.timedelta(minutes=minutes),
                location_kind=LocationKind(location_kind),
                address="Stadhuisplein 100, Zaandam" if location_kind == "municipal_office" else "",
                video_url=video_url, auto_confirm=auto_confirm, cutoff_hours=cutoff_hours,
                candidates=[db.session.get(Candidate, c.id) for c in candidates], **fields,
            )
            db.session.add(slot)
            db.commit()
            return slot

    def booking(self, slot: Any, candidate: Any, employer: Any, *, status: str = "requested") -> Any:
        """Inserted directly, with its commitment (for set-ups in the past)."""
        from portal.events.commitments import CandidateCommitment, CommitmentKind
        from portal.meetings.models import MeetingBooking, MeetingSlot, MeetingStatus

        with self.app.app_context():
            slot = db.session.get(MeetingSlot, slot.id)
            booking = MeetingBooking(slot_id=slot.id, candidate_id=candidate.id, organisation_id=employer.organisation_id,
                                     booked_by_id=employer.id, status=MeetingStatus(status))
            db.session.add(booking)
            db.session.flush()
            db.session.add(CandidateCommitment(candidate_id=candidate.id, starts_at=slot.starts_at, ends_at=slot.ends_at,
                                               kind=CommitmentKind.MEETING, ref_id=booking.id))
            db.commit()
            return booking
