"""The timeline: filled in the same transaction as the change, newest first, filterable, sentences
with labels; notes and contact moments are staff-only."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from portal.casefile.models import CaseNote, ContactMoment, TimelineEntry, TimelineKind
from portal.core import db
from tests.conftest import both_databases

pytestmark = both_databases


def _detail(client, candidate, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return client.get(f"/kandidaten/beheer/{candidate.id}" + (f"?{query}" if query else "")).get_data(as_text=True)


def _timeline_text(html: str) -> str:
    section = html.split('id="tijdlijn"', 1)[1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section))


def test_a_note_is_saved_and_shows_first_on_the_timeline(app, case):
    response = case.manager_client.post_form(f"/dossier/{case.candidate.id}/notitie",
                                             {"body": "Wil graag in de ochtend werken."})
    assert response.status_code == 302
    text = _timeline_text(_detail(case.manager_client, case.candidate))
    assert "Fatima Accountmanager schreef een notitie." in text
    assert "Wil graag in de ochtend werken." in text
    # the consent recorded when the candidate was made is older, so it comes after the note
    assert text.index("schreef een notitie") < text.index("legde toestemming vast")


def test_every_entry_reads_as_a_sentence_with_labels_never_codes(app, case):
    case.manager_client.post_form(f"/dossier/{case.candidate.id}/contactmoment", {
        "channel": "whatsapp", "happened_on": dt.date.today().isoformat(), "summary": "Gevraagd naar het rooster."})
    text = _timeline_text(_detail(case.manager_client, case.candidate))
    assert "(WhatsApp)" in text
    assert "alle goedgekeurde werkgevers" in text  # the consent scope as a label
    for code in ("whatsapp", "all_approved_employers", "consent.recorded", "casefile.contact_recorded", "None"):
        assert code not in text


def test_interest_and_stage_changes_reach_the_timeline_from_other_areas(app, case, cases):
    from portal.candidates import operations as candidate_operations
    from portal.candidates.models import Candidate
    from portal.placements.models import Placement

    placement = cases.placement(case.employer.organisation_id, title="Broodbakker")
    with app.test_request_context():
        from portal.accounts.models import User

        employer = db.session.get(User, case.employer.id)
        candidate_operations.record_interest(employer, db.session.get(Candidate, case.candidate.id),
                                             placement=db.session.get(Placement, placement.id))
        db.commit()
        from portal.trajects.operations import find_traject, move_stage

        move_stage(find_traject(case.candidate.id, placement.id), "met", by=employer)
        db.commit()
    text = _timeline_text(_detail(case.manager_client, case.candidate))
    with app.app_context():
        from portal.accounts.models import Organisation

        org_name = db.session.get(Organisation, case.employer.organisation_id).name
    assert f"{org_name} wil kennismaken met de kandidaat voor de plek Broodbakker." in text
    assert f"Het traject bij {org_name} (Broodbakker) begon in de fase Interesse." in text
    assert f"Het traject bij {org_name} (Broodbakker) ging van Interesse naar Kennisgemaakt." in text


def test_the_entry_is_part_of_the_change_a_rolled_back_change_leaves_no_entry(app, case):
    from portal.casefile import operations

    with app.test_request_context():
        from portal.accounts.models import User
        from portal.candidates.models import Candidate

        before = db.session.scalar(select(func.count(TimelineEntry.id)))
        operations.add_note(db.session.get(Candidate, case.candidate.id), db.session.get(User, case.manager.id), "Even")
        assert db.session.scalar(select(func.count(TimelineEntry.id))) == before + 1
        db.rollback()
        assert db.session.scalar(select(func.count(TimelineEntry.id))) == before
        assert db.session.scalar(select(func.count(CaseNote.id))) == 0


def test_filter_by_kind_and_pagination(app, case):
    for n in range(23):
        case.manager_client.post_form(f"/dossier/{case.candidate.id}/notitie", {"body": f"Notitie nummer {n}"})
    first = _timeline_text(_detail(case.manager_client, case.candidate, soort="note"))
    assert "Notitie nummer 22" in first and "Notitie nummer 3" in first and "Notitie nummer 2 " not in first
    assert "legde toestemming vast" not in first
    second = _timeline_text(_detail(case.manager_client, case.candidate, soort="note", page=2))
    assert "Notitie nummer 2 " in second and "Notitie nummer 0" in second and "Notitie nummer 22" not in second
    consent_only = _timeline_text(_detail(case.manager_client, case.candidate, soort="consent"))
    assert "legde toestemming vast" in consent_only and "Notitie nummer" not in consent_only
    # a made-up kind or page shows everything instead of an error
    response = case.manager_client.get(f"/kandidaten/beheer/{case.candidate.id}?soort=%3Cx%3E&page=-4")
    assert response.status_code == 200


def test_notes_and_contact_moments_are_never_in_employer_html(app, case):
    case.manager_client.post_form(f"/dossier/{case.candidate.id}/notitie", {"body": "GEHEIMENOTITIE over schulden"})
    case.manager_client.post_form(f"/dossier/{case.candidate.id}/contactmoment", {
        "channel": "phone", "happened_on": dt.date.today().isoformat(), "summary": "GEHEIMCONTACT thuissituatie"})
    pages = [f"/kandidaten/{case.candidate.id}", "/kandidaten", "/werkgever"]
    for url in pages:
        response = case.employer_client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert "GEHEIMENOTITIE" not in html and "GEHEIMCONTACT" not in html
    # and the staff page itself is closed to employers
    assert case.employer_client.get(f"/kandidaten/beheer/{case.candidate.id}").status_code == 403


def test_wsp_staff_do_not_see_the_case_file(app, case, login_as):
    case.manager_client.post_form(f"/dossier/{case.candidate.id}/notitie", {"body": "GEHEIMENOTITIE"})
    wsp = login_as("wsp")
    html = wsp.get(f"/kandidaten/beheer/{case.candidate.id}").get_data(as_text=True)
    assert "GEHEIMENOTITIE" not in html and 'id="tijdlijn"' not in html


@pytest.mark.parametrize("locale, messages", [
    ("nl", ("Schrijf kort op waar het over ging.", "Kies hoe het contact was.", "Een contactmoment kan niet in de toekomst liggen.")),
    ("en", ("Briefly write down what it was about.", "Choose how the contact took place.", "A contact moment cannot be in the future.")),
])
def test_bad_contact_input_gives_field_errors_and_saves_nothing(app, factory, cases, make_client, locale, messages):
    manager = factory.user("account_manager", locale=locale)
    candidate = cases.candidate(manager)
    client = make_client()
    client.login(manager)
    url = f"/dossier/{candidate.id}/contactmoment"
    missing = client.post_form(url, {"happened_on": dt.date.today().isoformat(), "summary": "  "})
    assert missing.status_code == 400
    html = missing.get_data(as_text=True)
    assert messages[0] in html and messages[1] in html
    unknown = client.post_form(url, {"channel": "fax", "happened_on": dt.date.today().isoformat(), "summary": "Gefaxt"})
    assert unknown.status_code == 400 and 'form-field--invalid' in unknown.get_data(as_text=True)
    future = client.post_form(url, {"channel": "email", "summary": "Mail gestuurd",
                                    "happened_on": (dt.date.today() + dt.timedelta(days=3)).isoformat()})
    assert future.status_code == 400 and messages[2] in future.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(ContactMoment.id))) == 0
        assert db.session.scalar(select(func.count(TimelineEntry.id)).where(
            TimelineEntry.kind == TimelineKind.CONTACT)) == 0


@pytest.mark.parametrize("locale, message", [("nl", "Schrijf een notitie."), ("en", "Write a note.")])
def test_an_empty_note_is_refused_in_the_users_language(app, factory, cases, make_client, locale, message):
    manager = factory.user("account_manager", locale=locale)
    candidate = cases.candidate(manager)
    client = make_client()
    client.login(manager)
    response = client.post_form(f"/dossier/{candidate.id}/notitie", {"body": "   "})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(CaseNote.id))) == 0


def test_erasure_removes_timeline_notes_and_contact_moments(app, case):
    case.manager_client.post_form(f"/dossier/{case.candidate.id}/notitie", {"body": "Weg ermee"})
    case.manager_client.post_form(f"/dossier/{case.candidate.id}/contactmoment", {
        "channel": "home_visit", "happened_on": dt.date.today().isoformat(), "summary": "Thuis bezocht"})
    response = case.manager_client.post_form(f"/kandidaten/beheer/{case.candidate.id}/verwijderen",
                                             {"confirm": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        for model in (TimelineEntry, CaseNote, ContactMoment):
            assert db.session.scalar(select(func.count(model.id)).where(model.candidate_id == case.candidate.id)) == 0
