"""The shared rule: one candidate is never booked at overlapping times (any kind of booking)."""
from __future__ import annotations

import datetime as dt

import pytest

from portal.core import db
from portal.core.errors import DomainError
from portal.events.commitments import CandidateBusy, CommitmentKind, book_candidate_time, commitments_for, release

T0 = dt.datetime(2030, 5, 1, 10, 0, tzinfo=dt.timezone.utc)


def at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


@pytest.fixture
def candidate_id(ef, factory):
    return ef.candidate(owner=factory.user("account_manager")).id


def test_overlap_across_kinds_is_refused_and_adjacent_is_fine(app, candidate_id):
    with app.test_request_context():
        book_candidate_time(candidate_id, at(0), at(60), CommitmentKind.EVENT, 1, label="Meet & greet")
        with pytest.raises(CandidateBusy) as refused:
            book_candidate_time(candidate_id, at(30), at(90), CommitmentKind.MEETING, 7)
        assert "Meet & greet" in refused.value.message and refused.value.field == "candidate_id"
        with pytest.raises(CandidateBusy):
            book_candidate_time(candidate_id, at(-10), at(120), CommitmentKind.VISIT, 3)  # encloses
        book_candidate_time(candidate_id, at(60), at(90), CommitmentKind.MEETING, 7)  # starts when the other ends
        book_candidate_time(candidate_id, at(-30), at(0), CommitmentKind.VISIT, 3)  # ends when the other starts
        assert [c.kind for c in commitments_for(candidate_id)] == ["visit", "event", "meeting"]


def test_release_frees_the_time_and_rebooking_the_same_ref_moves_it(app, candidate_id):
    with app.test_request_context():
        book_candidate_time(candidate_id, at(0), at(60), CommitmentKind.MEETING, 5)
        book_candidate_time(candidate_id, at(30), at(90), CommitmentKind.MEETING, 5)  # moved, never clashes with itself
        assert [(c.starts_at, c.ends_at) for c in commitments_for(candidate_id)] == [(at(30), at(90))]
        assert release(CommitmentKind.MEETING, 5) == 1
        assert release(CommitmentKind.MEETING, 5) == 0  # idempotent
        book_candidate_time(candidate_id, at(0), at(60), CommitmentKind.EVENT, 9)
        db.session.rollback()


def test_end_before_start_is_refused(app, candidate_id):
    with app.test_request_context():
        with pytest.raises(DomainError):
            book_candidate_time(candidate_id, at(60), at(0), CommitmentKind.MEETING, 1)
        with pytest.raises(ValueError):
            book_candidate_time(candidate_id, at(0).replace(tzinfo=None), at(60), CommitmentKind.MEETING, 1)
