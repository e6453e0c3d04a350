"""Recording check-ins (structured form) and the result, which closes the traject via move_stage."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from portal.aftercare.models import AftercareResult, Assessment, CheckIn
from portal.core import db
from tests.conftest import both_databases


def _first_open(app, start_id):
    with app.app_context():
        return db.session.scalars(select(CheckIn).where(CheckIn.start_id == start_id, CheckIn.done_at.is_(None))
                                  .order_by(CheckIn.due_on)).first()


@both_databases
def test_a_check_in_is_recorded_with_levels_and_next_step_and_shows_on_the_timeline(app, case, cases):
    start = cases.started(case.candidate, case.employer, start_date=dt.date.today() - dt.timedelta(days=7))
    checkin = _first_open(app, start.id)
    response = case.manager_client.post_form(f"/nazorg/contact/{checkin.id}", {
        "assessment": "attention", "spoken_interaction": "2", "listening": "3", "reading": "",
        "next_step": "Taalmaatje regelen op de werkvloer."})
    assert response.status_code == 302
    with app.app_context():
        row = db.session.get(CheckIn, checkin.id)
        assert row.assessment == Assessment.ATTENTION and row.dutch_levels == {"spoken_interaction": 2, "listening": 3}
    html = case.manager_client.get(f"/kandidaten/beheer/{case.candidate.id}").get_data(as_text=True)
    assert "had het nazorgcontact (na 1 week)" in html and "aandacht nodig" in html
    assert "Volgende stap: Taalmaatje regelen op de werkvloer." in html
    assert "luisteren B1" in html and "gesprekken voeren A2" in html


@pytest.mark.parametrize("locale, messages", [
    ("nl", ("Kies hoe het gaat.", "Schrijf de volgende stap op.", "Kies een niveau uit de lijst.")),
    ("en", ("Choose how it is going.", "Write down the next step.", "Choose a level from the list.")),
])
def test_bad_check_in_input_gives_field_errors_and_saves_nothing(app, factory, cases, make_client, locale, messages):
    manager = factory.user("account_manager", locale=locale)
    employer = factory.user("employer")
    start = cases.started(cases.candidate(manager), employer)
    checkin = _first_open(app, start.id)
    client = make_client()
    client.login(manager)
    response = client.post_form(f"/nazorg/contact/{checkin.id}", {"writing": "9", "next_step": ""})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    for message in messages:
        assert message in html
    with app.app_context():
        assert db.session.get(CheckIn, checkin.id).done_at is None


@both_databases
def test_a_contract_result_finishes_the_traject_and_clears_open_check_ins(app, case, cases):
    from portal.trajects.models import Traject, TrajectStage

    start = cases.started(case.candidate, case.employer, start_date=dt.date.today() - dt.timedelta(days=90))
    response = case.manager_client.post_form(f"/nazorg/start/{start.id}/resultaat", {
        "kind": "contract", "contract_kind": "fixed_term", "ended_on": dt.date.today().isoformat()})
    assert response.status_code == 302
    with app.app_context():
        traject = db.session.scalars(select(Traject).where(Traject.candidate_id == case.candidate.id)).one()
        assert traject.stage == TrajectStage.FINISHED
        assert db.session.scalar(select(func.count(CheckIn.id)).where(CheckIn.start_id == start.id,
                                                                      CheckIn.done_at.is_(None))) == 0
    html = case.manager_client.get(f"/kandidaten/beheer/{case.candidate.id}").get_data(as_text=True)
    assert "Arbeidscontract (tijdelijk contract)" in html
    assert "ging van Gestart naar Afgerond" in html


def test_a_stopped_result_stops_the_traject_with_its_reason(app, case, cases):
    from portal.trajects.models import StopReason, Traject, TrajectStage

    start = cases.started(case.candidate, case.employer, start_date=dt.date.today() - dt.timedelta(days=30))
    response = case.manager_client.post_form(f"/nazorg/start/{start.id}/resultaat", {
        "kind": "stopped", "stop_reason": "personal", "ended_on": dt.date.today().isoformat(), "note": "Verhuisd"})
    assert response.status_code == 302
    with app.app_context():
        traject = db.session.scalars(select(Traject).where(Traject.candidate_id == case.candidate.id)).one()
        assert traject.stage == TrajectStage.STOPPED and traject.stop_reason == StopReason.PERSONAL
    # a second result is not possible
    again = case.manager_client.post_form(f"/nazorg/start/{start.id}/resultaat", {
        "kind": "education", "ended_on": dt.date.today().isoformat()})
    assert again.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(AftercareResult.id))) == 1


@pytest.mark.parametrize("locale, messages", [
    ("nl", ("Kies het soort contract.", "Vul een geldige datum in.")),
    ("en", ("Choose the kind of contract.", "Enter a valid date.")),
])
def test_bad_result_input_gives_field_errors_and_saves_nothing(app, factory, cases, make_client, locale, messages):
    from portal.trajects.models import Traject, TrajectStage

    manager = factory.user("account_manager", locale=locale)
    employer = factory.user("employer")
    candidate = cases.candidate(manager)
    start = cases.started(candidate, employer)
    client = make_client()
    client.login(manager)
    response = client.post_form(f"/nazorg/start/{start.id}/resultaat", {"kind": "contract", "ended_on": "gisteren"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    for message in messages:
        assert message in html
    with app.app_context():
        assert db.session.scalar(select(func.count(AftercareResult.id))) == 0
        traject = db.session.scalars(select(Traject).where(Traject.candidate_id == candidate.id)).one()
        assert traject.stage == TrajectStage.STARTED


def test_erasure_removes_check_ins_and_results(app, case, cases):
    start = cases.started(case.candidate, case.employer, start_date=dt.date.today() - dt.timedelta(days=90))
    case.manager_client.post_form(f"/nazorg/start/{start.id}/resultaat", {
        "kind": "education", "ended_on": dt.date.today().isoformat()})
    assert case.manager_client.post_form(f"/kandidaten/beheer/{case.candidate.id}/verwijderen",
                                         {"confirm": "y"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(CheckIn.id))) == 0
        assert db.session.scalar(select(func.count(AftercareResult.id))) == 0


def test_the_daily_aftercare_digest_lists_due_check_ins_once_a_day(app, case, cases):
    from portal.aftercare.reminders import send_aftercare_digests
    from portal.core.mail import MailMessage

    cases.started(case.candidate, case.employer, start_date=dt.date.today() - dt.timedelta(days=10))
    now = dt.datetime.now(dt.timezone.utc).replace(hour=10, minute=0)
    with app.test_request_context():
        assert send_aftercare_digests(now) == 1
        assert send_aftercare_digests(now + dt.timedelta(hours=1)) == 0
        db.commit()
    with app.app_context():
        mail = db.session.scalars(select(MailMessage).where(MailMessage.template == "aftercare_digest")).one()
        assert mail.recipient == case.manager.email and "na 1 week" in mail.body and "te laat" in mail.body
