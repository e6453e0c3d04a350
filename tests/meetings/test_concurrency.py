"""Simultaneous bookings are decided by the database: one slot, one booking; one candidate, never two
overlapping meetings. Real commits (committing_app), threads released together by a barrier."""
from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from portal.core import db
from portal.events.commitments import CandidateCommitment
from portal.meetings.models import MeetingBooking, MeetingStatus
from tests.conftest import Client, Factory
from tests.meetings.factories import MeetingFactory, utc

pytestmark = pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)

THREADS = 12


def _race(app, clients, candidate_id, slot_ids):
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []
    errors: list[BaseException] = []
    tokens = [c.csrf_token() for c in clients]

    def run(client, token, slot_id):
        try:
            barrier.wait(timeout=30)
            response = client.http.post(f"/gesprekken/kandidaat/{candidate_id}",
                                        data={"meeting-csrf_token": token, "meeting-slot_id": str(slot_id)})
            statuses.append(response.status_code)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(c, t, s)) for c, t, s in zip(clients, tokens, slot_ids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    return statuses


def _setup(app):
    factory = Factory(app)
    meetings = MeetingFactory(factory)
    manager = factory.user("account_manager")
    candidate = meetings.candidate(manager)
    clients = []
    for _ in range(THREADS):
        client = Client(app)
        client.login(factory.user("employer"))
        clients.append(client)
    return meetings, manager, candidate, clients


def test_simultaneous_bookings_of_one_slot_make_exactly_one_booking(committing_app, database):
    app = committing_app
    meetings, manager, candidate, clients = _setup(app)
    slot = meetings.slot(manager, [candidate], starts_at=utc(days=3))

    statuses = _race(app, clients, candidate.id, [slot.id] * THREADS)

    assert sorted(statuses) == [302] + [400] * (THREADS - 1), statuses
    with app.app_context():
        bookings = db.session.scalars(select(MeetingBooking)).all()
        assert len(bookings) == 1 and bookings[0].status == MeetingStatus.REQUESTED
        assert db.session.scalar(select(func.count()).select_from(CandidateCommitment)
                                 .where(CandidateCommitment.active.is_(True))) == 1


def test_simultaneous_bookings_of_overlapping_slots_never_double_book_the_candidate(committing_app, database):
    app = committing_app
    meetings, manager, candidate, clients = _setup(app)
    start = utc(days=4)
    # pairwise overlapping slots (2 minutes apart, 30 minutes long), e.g. published before the overlap rule
    slots = [meetings.slot(manager, [candidate], starts_at=start + dt.timedelta(minutes=2 * i)) for i in range(THREADS)]

    statuses = _race(app, clients, candidate.id, [s.id for s in slots])

    assert statuses.count(302) == 1 and statuses.count(400) == THREADS - 1, statuses
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MeetingBooking)) == 1
        assert db.session.scalar(select(func.count()).select_from(CandidateCommitment)
                                 .where(CandidateCommitment.active.is_(True))) == 1
