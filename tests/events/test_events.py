"""Meet-and-greets as users see them: create, register, waitlist, schedule, check-in, outcomes."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from portal.core import db
from portal.events.models import (
    BookingStatus, CandidateRegistration, EmployerRegistration, Event, EventStatus, ScheduleSlot,
)
from tests.events.conftest import mails
from tests.events.factories import ZONE, local

FUTURE = (dt.date.today() + dt.timedelta(days=30)).isoformat()


def event_form(**overrides):
    data = dict(
        title="Meet & greet Zaandam", description="Speeddates", date=FUTURE, start_time="13:00", end_time="16:00",
        venue_name="Stadhuis", venue_address="Stadhuisplein 100, Zaandam", accessibility_notes="Lift",
        transport_directions="Station Zaandam", table_capacity="10", candidate_capacity="30", round_minutes="10",
        break_minutes="5", rounds_before_break="3", interpreter_languages=["ar"],
    )
    data.update(overrides)
    return data


# -- creating events ----------------------------------------------------------------------------

def test_wsp_creates_publishes_and_edits_an_event(app, wsp, ef):
    response = wsp.post_form("/meet-and-greets/nieuw", event_form())
    assert response.status_code == 302
    event_id = int(response.headers["Location"].rsplit("/", 1)[1])
    event = ef.get(Event, event_id)
    assert event.status == EventStatus.DRAFT and event.interpreter_languages == ["ar"]
    assert event.starts_at.hour in (11, 12)  # 13:00 Amsterdam, stored in UTC
    assert event.round_count == 12  # 180 minutes: 12 × 10 + 11 × 5 = 175

    assert wsp.post_form(f"/meet-and-greets/{event_id}/status", {"status": "published"}).status_code == 302
    assert ef.get(Event, event_id).status == EventStatus.PUBLISHED
    page = wsp.get(f"/meet-and-greets/{event_id}").get_data(as_text=True)
    assert "Gepubliceerd" in page and "Stadhuisplein 100" in page

    response = wsp.post_form(f"/meet-and-greets/{event_id}/wijzigen", event_form(venue_name="Zaantheater"))
    assert response.status_code == 302 and ef.get(Event, event_id).venue_name == "Zaantheater"


@pytest.mark.parametrize("overrides, field, message", [
    ({"end_time": "12:00"}, "end_time", "De eindtijd moet na de begintijd liggen"),
    ({"end_time": "13:00"}, "end_time", "De eindtijd moet na de begintijd liggen"),
    ({"table_capacity": "-1"}, "table_capacity", "niet negatief"),
    ({"candidate_capacity": "-5"}, "candidate_capacity", "niet negatief"),
    ({"round_minutes": "200"}, "round_minutes", "niet langer duren dan de bijeenkomst"),
    ({"round_minutes": "0"}, "round_minutes", "minstens 1 minuut"),
    ({"date": (dt.date.today() - dt.timedelta(days=1)).isoformat()}, "date", "in de toekomst"),
    ({"interpreter_languages": ["xx-not-a-language"]}, "interpreter_languages", ""),
    ({"title": ""}, "title", "verplicht"),
])
def test_bad_event_input_is_refused_next_to_the_field_and_nothing_is_saved(app, wsp, ef, overrides, field, message):
    response = wsp.post_form("/meet-and-greets/nieuw", event_form(**overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in page or f'{field}-error' in page
    assert message in page
    assert ef.count(Event) == 0


def test_editing_refuses_a_capacity_below_the_confirmed_registrations(app, wsp, am, ef):
    event = ef.event(candidate_capacity=5)
    for _ in range(2):
        candidate = ef.candidate(owner=am.user)
        assert am.post_form(f"/meet-and-greets/{event.id}/kandidaat-aanmelden", {"candidate_id": candidate.id}).status_code == 302
    response = wsp.post_form(f"/meet-and-greets/{event.id}/wijzigen", event_form(
        date=local(7, 13).astimezone(ZONE).date().isoformat(), candidate_capacity="1"))
    assert response.status_code == 400 and "al 2 kandidaten bevestigd" in response.get_data(as_text=True)
    assert ef.get(Event, event.id).candidate_capacity == 5


def test_only_wsp_and_admin_manage_events_and_drafts_stay_hidden(app, employer, am, ef):
    draft = ef.event(status="draft")
    assert employer.post_form("/meet-and-greets/nieuw", event_form()).status_code == 403
    assert employer.get(f"/meet-and-greets/{draft.id}").status_code == 404
    assert am.get(f"/meet-and-greets/{draft.id}").status_code == 404
    assert f"/meet-and-greets/{draft.id}" not in employer.get("/meet-and-greets").get_data(as_text=True)
    assert ef.count(Event) == 1


# -- employer registrations ---------------------------------------------------------------------

def test_employer_registers_then_waitlist_then_promotion_on_cancellation(app, login_as, ef):
    event = ef.event(table_capacity=1)
    first, second = login_as("employer"), login_as("employer")
    url = f"/meet-and-greets/{event.id}/werkgever-aanmelden"
    assert first.post_form(url, {"representatives": "2", "sectors": ["horeca"]}).status_code == 302
    assert second.post_form(url, {"representatives": "1"}).status_code == 302
    with app.app_context():
        regs = db.session.scalars(select(EmployerRegistration).order_by(EmployerRegistration.id)).all()
        assert [r.status for r in regs] == [BookingStatus.CONFIRMED, BookingStatus.WAITLISTED]
        first_id, second_id = regs[0].id, regs[1].id
    assert [m.template for m in mails(app)] == ["event_registered", "event_waitlisted"]

    # registering twice is refused
    response = first.post_form(url, {"representatives": "1"})
    assert response.status_code == 400 and "al aangemeld" in response.get_data(as_text=True)

    # someone else's registration URL: 404, nothing changed
    assert second.post_form(f"/meet-and-greets/tafels/{first_id}/afmelden").status_code == 404
    assert ef.get(EmployerRegistration, first_id).status == BookingStatus.CONFIRMED

    assert first.post_form(f"/meet-and-greets/tafels/{first_id}/afmelden").status_code == 302
    assert ef.get(EmployerRegistration, first_id).status == BookingStatus.CANCELLED
    assert ef.get(EmployerRegistration, second_id).status == BookingStatus.CONFIRMED
    promoted = mails(app, "event_promoted")
    assert len(promoted) == 1 and promoted[0].recipient == second.user.email
    assert "Er is een plek vrij" in promoted[0].subject


def test_employer_of_unapproved_organisation_cannot_register(app, factory, make_client, ef):
    org = factory.organisation(approved=False)
    user = factory.user("employer", organisation=org)
    client = make_client()
    client.login(user)
    event = ef.event()
    assert client.post_form(f"/meet-and-greets/{event.id}/werkgever-aanmelden", {"representatives": "1"}).status_code == 403
    assert ef.count(EmployerRegistration) == 0


def test_employer_brings_only_own_placements(app, employer, ef, factory):
    from tests.placements.factories import create_placement

    own = create_placement(factory, employer.user.organisation_id)
    foreign = create_placement(factory, factory.organisation())
    event = ef.event()
    url = f"/meet-and-greets/{event.id}/werkgever-aanmelden"
    response = employer.post_form(url, {"representatives": "1", "placement_ids": [str(foreign.id)]})
    assert response.status_code == 400 and ef.count(EmployerRegistration) == 0  # not one of the choices
    response = employer.post_form(url, {"representatives": "1", "placement_ids": [str(own.id)]})
    assert response.status_code == 302
    with app.app_context():
        reg = db.session.scalars(select(EmployerRegistration)).one()
        assert [p.id for p in reg.placements] == [own.id]


# -- candidate registrations --------------------------------------------------------------------

def test_account_manager_registers_candidates_with_consent_and_waitlist_promotion(app, am, ef):
    event = ef.event(candidate_capacity=1)
    a, b = ef.candidate(owner=am.user), ef.candidate(owner=am.user)
    url = f"/meet-and-greets/{event.id}/kandidaat-aanmelden"
    assert am.post_form(url, {"candidate_id": a.id, "interpreter_language": "ar"}).status_code == 302
    assert am.post_form(url, {"candidate_id": b.id}).status_code == 302
    with app.app_context():
        regs = db.session.scalars(select(CandidateRegistration).order_by(CandidateRegistration.id)).all()
        assert [(r.candidate_id, r.status) for r in regs] == [(a.id, BookingStatus.CONFIRMED), (b.id, BookingStatus.WAITLISTED)]
        assert regs[0].interpreter_language == "ar"
        first_id, second_id = regs[0].id, regs[1].id
    assert am.post_form(f"/meet-and-greets/kandidaten/{first_id}/afmelden").status_code == 302
    assert ef.get(CandidateRegistration, second_id).status == BookingStatus.CONFIRMED
    assert [m.template for m in mails(app)] == ["event_registered", "event_waitlisted", "event_cancelled", "event_promoted"]


def test_candidate_without_consent_is_refused(app, am, ef):
    event = ef.event()
    candidate = ef.candidate(owner=am.user, consent=False)
    response = am.post_form(f"/meet-and-greets/{event.id}/kandidaat-aanmelden", {"candidate_id": candidate.id})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "geen geldige toestemming" in page and 'id="candidate_id-error"' in page
    assert ef.count(CandidateRegistration) == 0 and mails(app) == []


def test_candidate_whose_consent_ends_before_the_event_is_refused(app, am, ef):
    event = ef.event(days=20)
    candidate = ef.candidate(owner=am.user, expires_in_days=10)
    response = am.post_form(f"/meet-and-greets/{event.id}/kandidaat-aanmelden", {"candidate_id": candidate.id})
    assert response.status_code == 400 and "verloopt" in response.get_data(as_text=True)
    assert ef.count(CandidateRegistration) == 0


def test_candidate_cannot_be_registered_for_two_overlapping_events(app, am, ef):
    first = ef.event(start_hour=13, end_hour=16, title="Eerste")
    second = ef.event(start_hour=15, end_hour=17, title="Tweede")
    later = ef.event(start_hour=16, end_hour=18, title="Later")
    candidate = ef.candidate(owner=am.user)
    assert am.post_form(f"/meet-and-greets/{first.id}/kandidaat-aanmelden", {"candidate_id": candidate.id}).status_code == 302
    response = am.post_form(f"/meet-and-greets/{second.id}/kandidaat-aanmelden", {"candidate_id": candidate.id})
    assert response.status_code == 400 and "al iets anders (Eerste" in response.get_data(as_text=True)
    assert ef.count(CandidateRegistration) == 1 and ef.count(CandidateRegistration, event_id=second.id) == 0
    assert am.post_form(f"/meet-and-greets/{later.id}/kandidaat-aanmelden", {"candidate_id": candidate.id}).status_code == 302


@pytest.mark.parametrize("status, message", [("cancelled", "geannuleerd"), ("closed", "niet (meer) mogelijk")])
def test_registering_for_a_cancelled_or_closed_event_is_refused(app, am, employer, ef, status, message):
    event = ef.event(status=status)
    candidate = ef.candidate(owner=am.user)
    response = am.post_form(f"/meet-and-greets/{event.id}/kandidaat-aanmelden", {"candidate_id": candidate.id})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    response = employer.post_form(f"/meet-and-greets/{event.id}/werkgever-aanmelden", {"representatives": "1"})
    assert response.status_code == 400
    assert ef.count(CandidateRegistration) == 0 and ef.count(EmployerRegistration) == 0


def test_registering_for_a_past_event_is_refused(app, am, ef):
    event = ef.event(days=-1)
    candidate = ef.candidate(owner=am.user)
    response = am.post_form(f"/meet-and-greets/{event.id}/kandidaat-aanmelden", {"candidate_id": candidate.id})
    assert response.status_code == 400 and "al begonnen of voorbij" in response.get_data(as_text=True)


def test_account_manager_cannot_pick_someone_elses_candidate(app, am, factory, ef):
    other = factory.user("account_manager")
    candidate = ef.candidate(owner=other)
    event = ef.event()
    response = am.post_form(f"/meet-and-greets/{event.id}/kandidaat-aanmelden", {"candidate_id": candidate.id})
    assert response.status_code == 400 and ef.count(CandidateRegistration) == 0


def test_cancelling_the_event_cancels_every_registration_and_frees_the_candidate(app, wsp, am, employer, ef):
    event = ef.event()
    candidate = ef.candidate(owner=am.user)
    am.post_form(f"/meet-and-greets/{event.id}/kandidaat-aanmelden", {"candidate_id": candidate.id})
    employer.post_form(f"/meet-and-greets/{event.id}/werkgever-aanmelden", {"representatives": "1"})
    assert wsp.post_form(f"/meet-and-greets/{event.id}/status", {"status": "cancelled"}).status_code == 302
    assert ef.count(CandidateRegistration, status=BookingStatus.CANCELLED) == 1
    assert ef.count(EmployerRegistration, status=BookingStatus.CANCELLED) == 1
    assert len(mails(app, "event_cancelled")) == 2
    # the candidate's time is free again
    other = ef.event(title="Andere")
    assert am.post_form(f"/meet-and-greets/{other.id}/kandidaat-aanmelden", {"candidate_id": candidate.id}).status_code == 302
    # a cancelled event cannot be published again
    response = wsp.post_form(f"/meet-and-greets/{event.id}/status", {"status": "published"})
    assert response.status_code == 400 and ef.get(Event, event.id).status == EventStatus.CANCELLED


# -- schedule -----------------------------------------------------------------------------------

def _setup_schedule(app, login_as, ef, factory, *, tables=3, people=5, **event_fields):
    event = ef.event(table_capacity=tables, candidate_capacity=people, start_hour=13, end_hour=14, round_minutes=10,
                     break_minutes=2, **event_fields)
    employers = [login_as("employer") for _ in range(tables)]
    for client in employers:
        assert client.post_form(f"/meet-and-greets/{event.id}/werkgever-aanmelden",
                                {"representatives": "1", "sectors": ["horeca"]}).status_code == 302
    am = login_as("account_manager")
    candidates = [ef.candidate(owner=am.user) for _ in range(people)]
    return event, employers, am, candidates


def test_schedule_puts_mutual_interest_first_and_is_printable(app, login_as, ef, factory):
    from portal.candidates.models import Interest

    event, employers, am, candidates = _setup_schedule(app, login_as, ef, factory)
    mutual_org = employers[0].user.organisation_id
    for candidate in candidates:
        wishes = [str(mutual_org)] if candidate is candidates[4] else []
        assert am.post_form(f"/meet-and-greets/{event.id}/kandidaat-aanmelden",
                            {"candidate_id": candidate.id, "wishes": wishes}).status_code == 302
    with app.app_context():
        db.session.add(Interest(organisation_id=mutual_org, candidate_id=candidates[4].id, user_id=employers[0].user.id))
        db.commit()
    wsp = login_as("wsp")
    assert wsp.post_form(f"/meet-and-greets/{event.id}/rooster/maken").status_code == 302
    with app.app_context():
        slots = db.session.scalars(select(ScheduleSlot).where(ScheduleSlot.event_id == event.id)).all()
        assert slots, "a schedule was made"
        mutual = [s for s in slots if s.interest == 2]
        assert len(mutual) == 1 and mutual[0].candidate_registration.candidate_id == candidates[4].id
        # nobody in two places at once, no pair twice
        assert len({(s.round_number, s.candidate_registration_id) for s in slots}) == len(slots)
        assert len({(s.employer_registration_id, s.candidate_registration_id) for s in slots}) == len(slots)
        first = sorted((s.round_number, s.employer_registration_id, s.candidate_registration_id) for s in slots)
    page = wsp.get(f"/meet-and-greets/{event.id}/rooster").get_data(as_text=True)
    assert "1 van 1 gewenste gesprekken ingepland" in page

    # deterministic: generating again without changes gives the same schedule
    wsp.post_form(f"/meet-and-greets/{event.id}/rooster/maken")
    with app.app_context():
        again = sorted((s.round_number, s.employer_registration_id, s.candidate_registration_id)
                       for s in db.session.scalars(select(ScheduleSlot).where(ScheduleSlot.event_id == event.id)))
    assert again == first

    # printable per table (staff, and the employer sees only its own table) and per person
    tables_page = wsp.get(f"/meet-and-greets/{event.id}/rooster/afdrukken?view=tables").get_data(as_text=True)
    assert tables_page.count('class="print-sheet"') == 3 and "print-sheet" in open("portal/static/css/portal.css").read()
    people_page = wsp.get(f"/meet-and-greets/{event.id}/rooster/afdrukken?view=people").get_data(as_text=True)
    assert people_page.count('class="print-sheet"') == 5
    own = employers[1].get(f"/meet-and-greets/{event.id}/rooster/afdrukken").get_data(as_text=True)
    assert own.count('class="print-sheet"') == 1
    assert "Geheimachternaam" not in own  # employers never see surnames
    mine = am.get(f"/meet-and-greets/{event.id}/rooster/afdrukken").get_data(as_text=True)
    assert mine.count('class="print-sheet"') == 5


def test_regeneration_keeps_announced_slots_where_possible(app, login_as, ef, factory):
    event, employers, am, candidates = _setup_schedule(app, login_as, ef, factory, people=4)
    for candidate in candidates:
        am.post_form(f"/meet-and-greets/{event.id}/kandidaat-aanmelden", {"candidate_id": candidate.id})
    wsp = login_as("wsp")
    wsp.post_form(f"/meet-and-greets/{event.id}/rooster/maken")
    assert wsp.post_form(f"/meet-and-greets/{event.id}/rooster/bekendmaken").status_code == 302
    with app.app_context():
        announced = {(s.round_number, s.employer_registration_id, s.candidate_registration_id)
                     for s in db.session.scalars(select(ScheduleSlot).where(ScheduleSlot.event_id == event.id))}
    # a late registration, then a new schedule
    late = ef.candidate(owner=am.user)
    ef.update(ef.get(Event, event.id), candidate_capacity=5)
    assert am.post_form(f"/meet-and-greets/{event.id}/kandidaat-aanmelden", {"candidate_id": late.id}).status_code == 302
    wsp.post_form(f"/meet-and-greets/{event.id}/rooster/maken")
    with app.app_context():
        slots = db.session.scalars(select(ScheduleSlot).where(ScheduleSlot.event_id == event.id)).all()
        now = {(s.round_number, s.employer_registration_id, s.candidate_registration_id) for s in slots}
        assert announced <= now
        assert any(s.candidate_registration.candidate_id == late.id for s in slots)


def test_candidate_needing_an_interpreter_only_meets_tables_with_that_language(app, login_as, ef, factory):
    event = ef.event(table_capacity=2, candidate_capacity=2, start_hour=13, end_hour=14)
    speaks, plain = login_as("employer"), login_as("employer")
    speaks.post_form(f"/meet-and-greets/{event.id}/werkgever-aanmelden", {"representatives": "1", "languages": ["ti"]})
    plain.post_form(f"/meet-and-greets/{event.id}/werkgever-aanmelden", {"representatives": "1"})
    am = login_as("account_manager")
    needs = ef.candidate(owner=am.user)
    am.post_form(f"/meet-and-greets/{event.id}/kandidaat-aanmelden", {"candidate_id": needs.id, "interpreter_language": "ti"})
    login_as("wsp").post_form(f"/meet-and-greets/{event.id}/rooster/maken")
    with app.app_context():
        slots = db.session.scalars(select(ScheduleSlot)).all()
        assert slots and {s.employer_registration.organisation_id for s in slots} == {speaks.user.organisation_id}


def test_consent_for_selected_organisations_keeps_other_tables_away(app, login_as, ef, factory):
    event = ef.event(table_capacity=2, candidate_capacity=1, start_hour=13, end_hour=14)
    named, other = login_as("employer"), login_as("employer")
    for client in (named, other):
        client.post_form(f"/meet-and-greets/{event.id}/werkgever-aanmelden", {"representatives": "1"})
    am = login_as("account_manager")
    candidate = ef.candidate(owner=am.user, organisations=[named.user.organisation_id])
    am.post_form(f"/meet-and-greets/{event.id}/kandidaat-aanmelden", {"candidate_id": candidate.id})
    login_as("wsp").post_form(f"/meet-and-greets/{event.id}/rooster/maken")
    with app.app_context():
        slots = db.session.scalars(select(ScheduleSlot)).all()
        assert [s.employer_registration.organisation_id for s in slots] == [named.user.organisation_id]


# -- on the day and afterwards ------------------------------------------------------------------

def test_check_in_and_outcome_create_a_follow_up_for_the_account_manager(app, login_as, ef, factory, monkeypatch):
    from portal.events.followups import FollowUp

    event, employers, am, candidates = _setup_schedule(app, login_as, ef, factory, tables=1, people=1)
    am.post_form(f"/meet-and-greets/{event.id}/kandidaat-aanmelden", {"candidate_id": candidates[0].id})
    wsp = login_as("wsp")
    wsp.post_form(f"/meet-and-greets/{event.id}/rooster/maken")
    with app.app_context():
        registration = db.session.scalars(select(CandidateRegistration)).one()
        slot_id = db.session.scalars(select(ScheduleSlot.id)).one()
        registration_id = registration.id

    # a week before the event check-in is closed; the page says from which day it opens
    page = wsp.get(f"/meet-and-greets/{event.id}/binnenkomst")
    assert page.status_code == 200 and 'name="viewport"' in page.get_data(as_text=True)
    assert "Deze pagina gaat open op" in page.get_data(as_text=True) and "Is binnen" not in page.get_data(as_text=True)
    check_in = {"kind": "candidate", "registration_id": str(registration_id), "present": "1"}
    response = wsp.post_form(f"/meet-and-greets/{event.id}/binnenkomst", check_in)
    assert response.status_code == 400 and ef.get(CandidateRegistration, registration_id).checked_in_at is None
    # on the day it is open
    monkeypatch.setattr(db, "utcnow", lambda: event.starts_at - dt.timedelta(hours=1))
    assert "Is binnen" in wsp.get(f"/meet-and-greets/{event.id}/binnenkomst").get_data(as_text=True)
    response = wsp.post_form(f"/meet-and-greets/{event.id}/binnenkomst", check_in)
    assert response.status_code == 302 and ef.get(CandidateRegistration, registration_id).checked_in_at is not None
    monkeypatch.undo()

    # before the meeting began: refused
    response = employers[0].post_form(f"/meet-and-greets/gesprekken/{slot_id}/uitkomst", {"outcome": "follow_up"})
    assert response.status_code == 400 and ef.count(FollowUp) == 0
    ef.update(ef.get(Event, event.id), starts_at=local(0, 0) - dt.timedelta(hours=3),
              ends_at=local(0, 0) - dt.timedelta(hours=2))
    # another employer: 404
    other = login_as("employer")
    assert other.post_form(f"/meet-and-greets/gesprekken/{slot_id}/uitkomst", {"outcome": "follow_up"}).status_code == 404
    response = employers[0].post_form(f"/meet-and-greets/gesprekken/{slot_id}/uitkomst",
                                      {"outcome": "follow_up", "note": "Graag een meeloopdag"})
    assert response.status_code == 302
    with app.app_context():
        follow_up = db.session.scalars(select(FollowUp)).one()
        assert follow_up.assigned_to_id == am.user.id and follow_up.outcome == "follow_up" and follow_up.done_at is None
        follow_up_id = follow_up.id
    listing = am.get("/opvolging").get_data(as_text=True)
    assert "Graag een meeloopdag" in listing
    assert am.post_form(f"/opvolging/{follow_up_id}/afgerond").status_code == 302
    assert ef.get(FollowUp, follow_up_id).done_at is not None
    # an unknown outcome code is refused
    response = wsp.post_form(f"/meet-and-greets/gesprekken/{slot_id}/uitkomst", {"outcome": "hired-on-the-spot"})
    assert response.status_code == 400


def test_withdrawn_consent_cancels_future_places_and_promotes_the_waitlist(app, am, employer, ef):
    from portal.candidates import operations as candidate_operations
    from portal.candidates.models import Candidate
    from portal.events.models import VisitBooking

    event = ef.event(candidate_capacity=1)
    leaving, waiting = ef.candidate(owner=am.user), ef.candidate(owner=am.user)
    url = f"/meet-and-greets/{event.id}/kandidaat-aanmelden"
    am.post_form(url, {"candidate_id": leaving.id})
    am.post_form(url, {"candidate_id": waiting.id})
    slot = ef.visit(employer.user)
    assert am.post_form(f"/bedrijfsbezoeken/{slot.id}/aanmelden", {"candidate_id": leaving.id}).status_code == 302
    with app.test_request_context():
        candidate_operations.withdraw_consent(db.session.get(Candidate, leaving.id), am.user)
        db.commit()
    with app.app_context():
        statuses = {r.candidate_id: r.status for r in db.session.scalars(select(CandidateRegistration))}
        assert statuses == {leaving.id: BookingStatus.CANCELLED, waiting.id: BookingStatus.CONFIRMED}
        assert db.session.scalars(select(VisitBooking.status)).one() == BookingStatus.CANCELLED
    assert {m.template for m in mails(app)} >= {"event_cancelled", "event_promoted", "visit_cancelled"}
    assert "toestemming" in mails(app, "event_cancelled")[0].body


def test_a_new_consent_without_the_visits_employer_cancels_that_visit_only(app, am, employer, ef, factory):
    import datetime as dt

    from portal.accounts.models import Organisation
    from portal.candidates import operations as candidate_operations
    from portal.candidates.models import Candidate, ConsentScope
    from portal.events.models import VisitBooking

    candidate = ef.candidate(owner=am.user)
    kept_host = factory.user("employer")
    dropped, kept = ef.visit(employer.user, days=10), ef.visit(kept_host, days=11)
    for slot in (dropped, kept):
        assert am.post_form(f"/bedrijfsbezoeken/{slot.id}/aanmelden", {"candidate_id": candidate.id}).status_code == 302
    with app.test_request_context():
        candidate_operations.record_consent(
            db.session.get(Candidate, candidate.id), am.user, scope=ConsentScope.SELECTED_ORGANISATIONS,
            organisations=[db.session.get(Organisation, kept_host.organisation_id)],
            expires_at=db.utcnow() + dt.timedelta(days=60))
        db.commit()
    with app.app_context():
        statuses = {b.slot_id: b.status for b in db.session.scalars(select(VisitBooking))}
    assert statuses == {dropped.id: BookingStatus.CANCELLED, kept.id: BookingStatus.CONFIRMED}


def test_erasing_a_candidate_removes_registrations_and_moves_the_waitlist(app, am, ef):
    from portal.candidates import operations as candidate_operations
    from portal.candidates.models import Candidate
    from portal.events.commitments import CandidateCommitment

    event = ef.event(candidate_capacity=1)
    erased, waiting = ef.candidate(owner=am.user), ef.candidate(owner=am.user)
    url = f"/meet-and-greets/{event.id}/kandidaat-aanmelden"
    am.post_form(url, {"candidate_id": erased.id})
    am.post_form(url, {"candidate_id": waiting.id})
    admin = ef.factory.user("admin")
    with app.test_request_context():
        candidate_operations.erase_candidate(db.session.get(Candidate, erased.id), admin)
        db.commit()
    with app.app_context():
        assert [(r.candidate_id, r.status) for r in db.session.scalars(select(CandidateRegistration))] == [
            (waiting.id, BookingStatus.CONFIRMED)]
        assert db.session.scalars(select(CandidateCommitment.candidate_id)).all() == [waiting.id]
