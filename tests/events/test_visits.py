"""Company visits: employers offer slots, account managers book candidates, both can cancel until a cut-off."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from portal.core import db
from portal.events.models import BookingStatus, VisitBooking, VisitSlot, VisitStatus
from tests.events.conftest import mails
from tests.events.factories import local

FUTURE = (dt.date.today() + dt.timedelta(days=14)).isoformat()


def visit_form(**overrides):
    data = dict(title="Kijkje in de bakkerij", description="Rondleiding", date=FUTURE, start_time="09:00",
                end_time="11:00", max_group_size="6", meeting_point="Receptie", what_to_bring="Dichte schoenen",
                language_support=["ar"], language_support_note="Collega spreekt Arabisch", cancel_cutoff_hours="24")
    data.update(overrides)
    return data


def test_employer_offers_and_account_manager_books_two_candidates(app, employer, am, ef, login_as):
    response = employer.post_form("/bedrijfsbezoeken/nieuw", visit_form())
    assert response.status_code == 302
    visit_id = int(response.headers["Location"].rsplit("/", 1)[1])
    slot = ef.get(VisitSlot, visit_id)
    assert slot.organisation_id == employer.user.organisation_id and slot.language_support == ["ar"]

    # account managers and WSP staff see all offered slots
    assert "Kijkje in de bakkerij" in am.get("/bedrijfsbezoeken").get_data(as_text=True)
    assert "Kijkje in de bakkerij" in login_as("wsp").get("/bedrijfsbezoeken").get_data(as_text=True)
    # another employer does not
    other = login_as("employer")
    assert "Kijkje in de bakkerij" not in other.get("/bedrijfsbezoeken").get_data(as_text=True)
    assert other.get(f"/bedrijfsbezoeken/{visit_id}").status_code == 404

    first, second = ef.candidate(owner=am.user), ef.candidate(owner=am.user)
    for candidate in (first, second):
        assert am.post_form(f"/bedrijfsbezoeken/{visit_id}/aanmelden", {"candidate_id": candidate.id}).status_code == 302
    assert ef.count(VisitBooking, status=BookingStatus.CONFIRMED) == 2
    assert [m.template for m in mails(app, "visit_booked")] == ["visit_booked", "visit_booked"]
    assert len(mails(app, "visit_host_update")) == 2  # the employer is told each time

    # the employer sees who is coming: first name + initial, never the surname
    page = employer.get(f"/bedrijfsbezoeken/{visit_id}").get_data(as_text=True)
    assert f"{first.first_name} G." in page and first.surname not in page and "GEHEIMEONDERSTEUNING" not in page
    # the account manager sees full names
    assert first.surname in am.get(f"/bedrijfsbezoeken/{visit_id}").get_data(as_text=True)


def test_employer_sees_nothing_of_a_candidate_outside_the_consent_scope(app, employer, am, ef, factory):
    slot = ef.visit(employer.user)
    candidate = ef.candidate(owner=am.user, organisations=[factory.organisation().id])
    assert am.post_form(f"/bedrijfsbezoeken/{slot.id}/aanmelden", {"candidate_id": candidate.id}).status_code == 302
    page = employer.get(f"/bedrijfsbezoeken/{slot.id}").get_data(as_text=True)
    assert candidate.first_name not in page and "geen toestemming om gegevens te delen" in page


@pytest.mark.parametrize("overrides, field, message", [
    ({"date": (dt.date.today() - dt.timedelta(days=1)).isoformat()}, "date", "in de toekomst"),
    ({"end_time": "08:00"}, "end_time", "na de begintijd"),
    ({"max_group_size": "0"}, "max_group_size", "1 tot 50"),
    ({"max_group_size": "-3"}, "max_group_size", "1 tot 50"),
    ({"cancel_cutoff_hours": "-1"}, "cancel_cutoff_hours", "0 tot 336"),
    ({"meeting_point": ""}, "meeting_point", "verplicht"),
])
def test_bad_visit_input_is_refused(app, employer, ef, overrides, field, message):
    response = employer.post_form("/bedrijfsbezoeken/nieuw", visit_form(**overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and f"{field}-error" in page and message in page
    assert ef.count(VisitSlot) == 0


def test_full_slot_refuses_and_double_booking_at_overlapping_times_is_refused(app, employer, am, ef):
    slot = ef.visit(employer.user, max_group_size=1, days=10, start_hour=9, end_hour=11)
    overlapping = ef.visit(employer.user, days=10, start_hour=10, end_hour=12, title="Magazijn")
    a, b = ef.candidate(owner=am.user), ef.candidate(owner=am.user)
    assert am.post_form(f"/bedrijfsbezoeken/{slot.id}/aanmelden", {"candidate_id": a.id}).status_code == 302
    response = am.post_form(f"/bedrijfsbezoeken/{slot.id}/aanmelden", {"candidate_id": b.id})
    assert response.status_code == 400 and "vol" in response.get_data(as_text=True)
    response = am.post_form(f"/bedrijfsbezoeken/{overlapping.id}/aanmelden", {"candidate_id": a.id})
    assert response.status_code == 400 and "al iets anders" in response.get_data(as_text=True)
    # also across kinds: an event at the same time
    event = ef.event(days=10, start_hour=10, end_hour=12)
    response = am.post_form(f"/meet-and-greets/{event.id}/kandidaat-aanmelden", {"candidate_id": a.id})
    assert response.status_code == 400 and "al iets anders" in response.get_data(as_text=True)
    assert ef.count(VisitBooking) == 1 and len(mails(app, "visit_booked")) == 1 and len(mails(app)) == 2


@pytest.mark.parametrize("when, message", [("past", "in het verleden"), ("cutoff", "tot 24 uur voor het begin")])
def test_booking_a_slot_in_the_past_or_after_the_cutoff_is_refused(app, employer, am, ef, when, message):
    starts = local(-2, 9) if when == "past" else dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=5)
    slot = ef.visit(employer.user, starts_at=starts, ends_at=starts + dt.timedelta(hours=2))
    candidate = ef.candidate(owner=am.user)
    response = am.post_form(f"/bedrijfsbezoeken/{slot.id}/aanmelden", {"candidate_id": candidate.id})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert ef.count(VisitBooking) == 0


def test_booking_a_cancelled_slot_and_a_candidate_without_consent_are_refused(app, employer, am, ef):
    slot = ef.visit(employer.user, status=VisitStatus.CANCELLED)
    candidate = ef.candidate(owner=am.user)
    response = am.post_form(f"/bedrijfsbezoeken/{slot.id}/aanmelden", {"candidate_id": candidate.id})
    assert response.status_code == 400 and "geannuleerd" in response.get_data(as_text=True)
    open_slot = ef.visit(employer.user)
    no_consent = ef.candidate(owner=am.user, consent=False)
    response = am.post_form(f"/bedrijfsbezoeken/{open_slot.id}/aanmelden", {"candidate_id": no_consent.id})
    assert response.status_code == 400 and "geen geldige toestemming" in response.get_data(as_text=True)
    assert ef.count(VisitBooking) == 0


def test_both_sides_cancel_until_the_cutoff_and_others_get_404(app, employer, am, ef, login_as):
    slot = ef.visit(employer.user)
    a, b = ef.candidate(owner=am.user), ef.candidate(owner=am.user)
    for candidate in (a, b):
        am.post_form(f"/bedrijfsbezoeken/{slot.id}/aanmelden", {"candidate_id": candidate.id})
    with app.app_context():
        first, second = db.session.scalars(select(VisitBooking.id).order_by(VisitBooking.id)).all()
    # someone else's booking URL: another employer gets 404, nothing changes
    assert login_as("employer").post_form(f"/bedrijfsbezoeken/aanmeldingen/{first}/annuleren").status_code == 404
    assert ef.get(VisitBooking, first).status == BookingStatus.CONFIRMED
    # the employer cancels one, the account manager the other
    assert employer.post_form(f"/bedrijfsbezoeken/aanmeldingen/{first}/annuleren").status_code == 302
    assert am.post_form(f"/bedrijfsbezoeken/aanmeldingen/{second}/annuleren").status_code == 302
    assert ef.count(VisitBooking, status=BookingStatus.CANCELLED) == 2
    cancelled = mails(app, "visit_cancelled")
    assert len(cancelled) == 2 and "De werkgever heeft de aanmelding" in cancelled[0].body
    # a freed place can be booked again (same row, time booked again)
    assert am.post_form(f"/bedrijfsbezoeken/{slot.id}/aanmelden", {"candidate_id": a.id}).status_code == 302
    # after the cut-off: refused
    ef.update(ef.get(VisitSlot, slot.id), cancel_cutoff_hours=24 * 30)
    response = am.post_form(f"/bedrijfsbezoeken/aanmeldingen/{first}/annuleren")
    assert response.status_code == 400 and "Annuleren kon tot" in response.get_data(as_text=True)
    assert ef.get(VisitBooking, first).status == BookingStatus.CONFIRMED


def test_the_employer_is_told_who_comes_and_who_no_longer_comes(app, employer, am, ef):
    from portal.candidates import operations as candidate_operations
    from portal.candidates.models import Candidate

    slot = ef.visit(employer.user, max_group_size=4)
    a, b = ef.candidate(owner=am.user), ef.candidate(owner=am.user)
    for candidate in (a, b):
        assert am.post_form(f"/bedrijfsbezoeken/{slot.id}/aanmelden", {"candidate_id": candidate.id}).status_code == 302
    booked = mails(app, "visit_host_update")
    assert [m.recipient for m in booked] == [employer.user.email] * 2
    assert booked[0].subject.startswith("Nieuwe aanmelding voor uw bedrijfsbezoek")
    assert "Nog 2 van de 4 plaatsen vrij." in booked[1].body
    with app.app_context():
        full_a = db.session.get(Candidate, a.id)
        name, surname = full_a.employer_name, full_a.surname
    assert name in booked[0].body and surname not in booked[0].body
    with app.app_context():
        first = db.session.scalars(select(VisitBooking.id).order_by(VisitBooking.id)).first()
    assert am.post_form(f"/bedrijfsbezoeken/aanmeldingen/{first}/annuleren").status_code == 302
    with app.test_request_context():
        candidate_operations.withdraw_consent(db.session.get(Candidate, b.id), am.user)
        db.commit()
    told = mails(app, "visit_host_update")[2:]
    assert len(told) == 2 and all(m.subject.startswith("Afmelding voor uw bedrijfsbezoek") for m in told)
    assert all("toestemming" not in m.body.lower() for m in told)  # never why


def test_employer_cancels_the_whole_visit(app, employer, am, ef):
    slot = ef.visit(employer.user)
    candidate = ef.candidate(owner=am.user)
    am.post_form(f"/bedrijfsbezoeken/{slot.id}/aanmelden", {"candidate_id": candidate.id})
    assert employer.post_form(f"/bedrijfsbezoeken/{slot.id}/annuleren").status_code == 302
    assert ef.get(VisitSlot, slot.id).status == VisitStatus.CANCELLED
    assert ef.count(VisitBooking, status=BookingStatus.CANCELLED) == 1
    assert "geannuleerd" in mails(app, "visit_cancelled")[0].body
    # the candidate's time is free again
    other = ef.visit(employer.user, title="Ander bezoek")
    assert am.post_form(f"/bedrijfsbezoeken/{other.id}/aanmelden", {"candidate_id": candidate.id}).status_code == 302
