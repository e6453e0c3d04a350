"""Account managers publish availability: single slots and recurring availability; bad input refused."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select

from portal.core import db
from portal.meetings.models import AvailabilitySeries, MeetingSlot
from tests.meetings.helpers import count

AMS = ZoneInfo("Europe/Amsterdam")


def _series_data(candidate_id: int, **overrides):
    data = {
        "weekday": "1", "start": "13:00", "end": "16:00", "slot_minutes": "30",
        "first_date": (dt.date.today() + dt.timedelta(days=1)).isoformat(), "weeks": "4",
        "location_kind": "municipal_office", "address": "Stadhuisplein 100, Zaandam",
        "account_manager_attends": "y", "candidate_ids": [str(candidate_id)], "cutoff_hours": "24",
    }
    data.update(overrides)
    return data


def test_recurring_availability_generates_the_slots(app, factory, meetings, make_client):
    manager = factory.user("account_manager")
    candidate = meetings.candidate(manager)
    client = make_client()
    client.login(manager)
    page = client.get("/gesprekken/beschikbaarheid/reeks")
    assert page.status_code == 200 and "Herhalende beschikbaarheid" in page.get_data(as_text=True)

    response = client.post_form("/gesprekken/beschikbaarheid/reeks", _series_data(candidate.id))
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        slots = db.session.scalars(select(MeetingSlot).order_by(MeetingSlot.starts_at)).all()
        assert len(slots) == 4 * 6  # 13:00–16:00 in 30-minute slots, 4 Tuesdays
        first = slots[0].starts_at.astimezone(AMS)
        assert first.weekday() == 1 and (first.hour, first.minute) == (13, 0)
        last_of_day = slots[5].ends_at.astimezone(AMS)
        assert (last_of_day.hour, last_of_day.minute) == (16, 0)
        assert all(s.candidates[0].id == candidate.id and s.address.startswith("Stadhuisplein") for s in slots)
        tomorrow = dt.date.today() + dt.timedelta(days=1)
        first_tuesday = tomorrow + dt.timedelta(days=(1 - tomorrow.weekday()) % 7)
        assert {s.starts_at.astimezone(AMS).date() for s in slots} == {
            first_tuesday + dt.timedelta(weeks=w) for w in range(4)}
    listing = client.get("/gesprekken/beschikbaarheid").get_data(as_text=True)
    assert "13:00" in listing and "Vrij" in listing


def test_overlapping_recurring_availability_is_refused(app, factory, meetings, make_client):
    manager = factory.user("account_manager")
    candidate = meetings.candidate(manager)
    client = make_client()
    client.login(manager)
    assert client.post_form("/gesprekken/beschikbaarheid/reeks", _series_data(candidate.id)).status_code == 302
    before = count(app, MeetingSlot), count(app, AvailabilitySeries)

    response = client.post_form("/gesprekken/beschikbaarheid/reeks",
                                _series_data(candidate.id, start="15:30", end="17:00"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "overlapt met uw eigen tijdslot" in html and "Er is niets opgeslagen" in html
    assert (count(app, MeetingSlot), count(app, AvailabilitySeries)) == before


def test_overlap_for_the_same_candidate_with_a_colleague_is_refused(app, factory, meetings, make_client):
    manager, colleague = factory.user("account_manager"), factory.user("account_manager")
    candidate = meetings.candidate(manager)
    mine = make_client()
    mine.login(manager)
    assert mine.post_form("/gesprekken/beschikbaarheid/reeks", _series_data(candidate.id)).status_code == 302
    before = count(app, MeetingSlot)
    # The colleague cannot publish for the same candidate at the same time (the candidate is not theirs in
    # the form, so go through the operation as a second owner would).
    from portal.meetings import operations
    from portal.candidates.models import Candidate
    from portal.core.errors import DomainError
    import pytest

    with app.test_request_context():
        with pytest.raises(DomainError, match="collega voor dezelfde kandidaat"):
            operations.create_series(
                colleague, weekday=1, start=dt.time(14), end=dt.time(15), slot_minutes=30,
                first_date=dt.date.today() + dt.timedelta(days=1), weeks=1,
                spec=operations.WhereAndWho(location_kind="employer"),
                candidates=[db.session.get(Candidate, candidate.id)])
        db.session.rollback()
    assert count(app, MeetingSlot) == before


def test_video_call_link_must_be_https(app, factory, meetings, make_client):
    manager = factory.user("account_manager")
    candidate = meetings.candidate(manager)
    client = make_client()
    client.login(manager)
    for bad in ("http://meet.example.nl/abc", "javascript:alert(1)", "meet.example.nl/abc", "https://", ""):
        response = client.post_form("/gesprekken/beschikbaarheid/reeks",
                                    _series_data(candidate.id, location_kind="video_call", address="", video_url=bad))
        assert response.status_code == 400, bad
        html = response.get_data(as_text=True)
        assert "https:// begint" in html and 'id="video_url-error"' in html
    assert count(app, MeetingSlot) == 0
    good = client.post_form("/gesprekken/beschikbaarheid/reeks",
                            _series_data(candidate.id, location_kind="video_call", address="",
                                         video_url="https://meet.example.nl/kennismaken"))
    assert good.status_code == 302
    with app.app_context():
        assert {s.video_url for s in db.session.scalars(select(MeetingSlot))} == {"https://meet.example.nl/kennismaken"}


def test_single_slot_bad_input(app, factory, meetings, make_client):
    manager = factory.user("account_manager")
    candidate = meetings.candidate(manager)
    client = make_client()
    client.login(manager)
    base = {"date": (dt.date.today() + dt.timedelta(days=2)).isoformat(), "start": "10:00", "minutes": "30",
            "location_kind": "municipal_office", "address": "Stadhuisplein 100", "candidate_ids": [str(candidate.id)],
            "cutoff_hours": "24"}
    past = client.post_form("/gesprekken/beschikbaarheid/tijdslot", {**base, "date": "2020-01-07"})
    assert past.status_code == 400 and "in het verleden" in past.get_data(as_text=True)
    no_address = client.post_form("/gesprekken/beschikbaarheid/tijdslot", {**base, "address": ""})
    assert no_address.status_code == 400 and "adres van het gemeentekantoor" in no_address.get_data(as_text=True)
    no_candidate = client.post_form("/gesprekken/beschikbaarheid/tijdslot", {**base, "candidate_ids": []})
    assert no_candidate.status_code == 400 and "ten minste één kandidaat" in no_candidate.get_data(as_text=True)
    assert count(app, MeetingSlot) == 0
    assert client.post_form("/gesprekken/beschikbaarheid/tijdslot", base).status_code == 302
    assert count(app, MeetingSlot) == 1
