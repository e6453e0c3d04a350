"""Candidates: consent rules, data minimisation, audit and rate limit, interests, erasure, bad input."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.placements.factories import create_placement
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.candidates import hooks, operations
from portal.candidates.consent_text import CURRENT_VERSION
from portal.candidates.models import (
    Candidate, CandidateLanguage, CandidateSkill, CandidateStatus, Consent, Interest,
)
from portal.core import db, jobs
from portal.core.audit import AuditEntry
from tests.conftest import both_databases

ENDED: list[tuple[int, str]] = []
ERASED: list[int] = []


@hooks.on_consent_ended
def _record_end(candidate, reason):
    ENDED.append((candidate.id, reason))


@hooks.on_candidate_erased
def _record_erasure(candidate):
    ERASED.append(candidate.id)


@pytest.fixture(autouse=True)
def _clear_hooks():
    ENDED.clear()
    ERASED.clear()


def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def get(app, model, id_):
    with app.app_context():
        return db.session.get(model, id_)


def html(response):
    return response.get_data(as_text=True)


# -- consent rules ---------------------------------------------------------------------------

def test_published_candidate_with_valid_consent_is_in_gallery_and_detail(app, cf, employer_client):
    employer = employer_client()
    candidate = cf.candidate(published=True, first_name="Amina")
    assert "Amina" in html(employer.get("/kandidaten"))
    assert employer.get(f"/kandidaten/{candidate.id}").status_code == 200


def test_never_shown_without_consent_even_when_status_says_published(app, cf, employer_client):
    employer = employer_client()
    candidate = cf.candidate(first_name="Zonder")
    with app.app_context():
        c = db.session.get(Candidate, candidate.id)
        c.status = CandidateStatus.PUBLISHED  # forced past the publish step
        db.commit()
    assert "Zonder" not in html(employer.get("/kandidaten"))
    assert employer.get(f"/kandidaten/{candidate.id}").status_code == 404


def test_unpublished_candidate_with_consent_is_hidden(app, cf, employer_client):
    employer = employer_client()
    candidate = cf.candidate(consent=True, first_name="Klaar")
    assert "Klaar" not in html(employer.get("/kandidaten"))
    assert employer.get(f"/kandidaten/{candidate.id}").status_code == 404


def test_expired_consent_hides_at_once_and_the_job_ends_it(app, cf, employer_client):
    employer = employer_client()
    candidate = cf.candidate(published=True, first_name="Verlopen")
    with app.app_context():
        consent = db.session.scalars(select(Consent).where(Consent.candidate_id == candidate.id)).one()
        consent.recorded_at = db.utcnow() - dt.timedelta(days=300)
        consent.expires_at = db.utcnow() - dt.timedelta(minutes=1)
        db.commit()
    # Hidden before any job ran: the rule compares with the clock.
    assert "Verlopen" not in html(employer.get("/kandidaten"))
    assert employer.get(f"/kandidaten/{candidate.id}").status_code == 404
    with app.app_context():
        assert operations.expire_consents() == 1
        db.commit()
        assert operations.expire_consents() == 0  # idempotent
    assert ENDED == [(candidate.id, "expired")]
    assert get(app, Candidate, candidate.id).status == CandidateStatus.READY
    assert count(app, AuditEntry, AuditEntry.action == "consent.expired") == 1


def test_periodic_job_is_registered():
    assert "candidates.expire_consents" in jobs._PERIODIC


def test_withdrawal_hides_at_once_and_calls_the_hook(app, cf, employer_client, login_as):
    employer = employer_client()
    manager = login_as("account_manager")
    candidate = cf.candidate(published=True, first_name="Intrekker")
    assert employer.get(f"/kandidaten/{candidate.id}").status_code == 200
    response = manager.post_form(f"/kandidaten/beheer/{candidate.id}/toestemming/intrekken")
    assert response.status_code == 302
    assert employer.get(f"/kandidaten/{candidate.id}").status_code == 404
    assert "Intrekker" not in html(employer.get("/kandidaten"))
    assert ENDED == [(candidate.id, "withdrawn")]
    entries = count(app, AuditEntry, AuditEntry.action == "consent.withdrawn")
    assert entries == 1


def test_selected_organisation_scope(app, cf, employer_client, factory):
    inside = employer_client()
    outside = employer_client()
    candidate = cf.candidate(published=True, organisations=[inside.organisation.id], first_name="Gekozen")
    assert inside.get(f"/kandidaten/{candidate.id}").status_code == 200
    assert "Gekozen" in html(inside.get("/kandidaten"))
    assert outside.get(f"/kandidaten/{candidate.id}").status_code == 404
    assert "Gekozen" not in html(outside.get("/kandidaten"))
    # Interest outside scope: 404 and nothing recorded.
    assert outside.post_form(f"/kandidaten/{candidate.id}/ontmoeten", {}).status_code == 404
    assert count(app, Interest) == 0


def test_unapproved_organisation_gets_no_gallery(app, cf, employer_client):
    pending = employer_client(approved=False)
    candidate = cf.candidate(published=True)
    response = pending.get("/kandidaten")
    assert response.status_code == 403
    assert "goedgekeurd" in html(response)
    assert pending.get(f"/kandidaten/{candidate.id}").status_code == 403
    assert count(app, AuditEntry, AuditEntry.action == "candidate.viewed_by_employer") == 0


def test_new_consent_supersedes_the_previous_one(app, cf, employer_client, login_as):
    inside = employer_client()
    other = employer_client()
    candidate = cf.candidate(published=True)  # all approved employers
    manager = login_as("account_manager")
    response = manager.post_form(f"/kandidaten/beheer/{candidate.id}/toestemming", {
        "confirm_explained": "y", "scope": "selected_organisations", "organisations": [inside.organisation.id],
        "expires_on": (dt.date.today() + dt.timedelta(days=60)).isoformat(),
    })
    assert response.status_code == 302
    assert inside.get(f"/kandidaten/{candidate.id}").status_code == 200
    assert other.get(f"/kandidaten/{candidate.id}").status_code == 404
    assert ENDED == [(candidate.id, "video_not_allowed")]


# -- publishing ------------------------------------------------------------------------------

def test_publish_requires_valid_consent(app, cf, login_as):
    manager = login_as("account_manager")
    candidate = cf.candidate()
    response = manager.post_form(f"/kandidaten/beheer/{candidate.id}/publiceren")
    assert response.status_code == 400
    assert "toestemming" in html(response)
    assert get(app, Candidate, candidate.id).status == CandidateStatus.INTAKE


def test_preview_then_publish(app, cf, login_as, employer_client):
    manager = login_as("account_manager")
    employer = employer_client()
    candidate = cf.candidate(consent=True, first_name="Publiek", surname="Verborgen")
    preview = html(manager.get(f"/kandidaten/beheer/{candidate.id}/voorbeeld"))
    assert "Publiek V." in preview
    assert manager.post_form(f"/kandidaten/beheer/{candidate.id}/publiceren").status_code == 302
    assert get(app, Candidate, candidate.id).status == CandidateStatus.PUBLISHED
    assert employer.get(f"/kandidaten/{candidate.id}").status_code == 200
    assert manager.post_form(f"/kandidaten/beheer/{candidate.id}/depubliceren").status_code == 302
    assert employer.get(f"/kandidaten/{candidate.id}").status_code == 404


# -- data minimisation -----------------------------------------------------------------------

def test_employer_pages_never_show_private_fields(app, cf, employer_client, login_as):
    employer = employer_client()
    candidate = cf.candidate(published=True, first_name="Hodan", surname="Warsamegeheim",
                             date_of_birth=dt.date(1991, 3, 14), support_needs="Heeft hulp nodig bij PTSS", postcode_area="1503")
    manager = login_as("account_manager")
    preview = html(manager.get(f"/kandidaten/beheer/{candidate.id}/voorbeeld"))
    # The preview page's heading names the candidate for staff; what employers see is in the frames.
    preview = preview[preview.index('class="preview-frame"'):preview.rindex("</section>")]
    pages = [html(employer.get("/kandidaten")), html(employer.get(f"/kandidaten/{candidate.id}")), preview]
    for page in pages:
        assert "Hodan W." in page
        for secret in ("Warsamegeheim", "1991", "14-03", "14 mrt", "PTSS", "1503", "Heeft hulp"):
            assert secret not in page, secret
    assert "25–34" in pages[1] or "35–44" in pages[1]


def test_employer_profile_keys_are_minimal(app, cf):
    from portal.candidates.profile import employer_profile

    candidate = cf.candidate(published=True)
    with app.test_request_context():
        profile = employer_profile(db.session.get(Candidate, candidate.id))
    assert set(profile) >= {"name", "age_band", "municipality", "languages", "skills", "sector_interests", "availability", "ambitions", "video"}
    for key in ("surname", "date_of_birth", "support_needs", "gender", "postcode_area", "owner", "mobility"):
        assert key not in profile
    assert "Geheimachternaam" not in repr(profile)


# -- audit and rate limit --------------------------------------------------------------------

def test_every_employer_detail_view_is_audited(app, cf, employer_client):
    employer = employer_client()
    candidate = cf.candidate(published=True)
    employer.get(f"/kandidaten/{candidate.id}")
    employer.get(f"/kandidaten/{candidate.id}")  # within the repeat window: the same, already audited view
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "candidate.viewed_by_employer")).all()
        assert len(entries) == 1
        assert {(e.actor_id, e.object_id, e.object_type) for e in entries} == {(employer.user.id, candidate.id, "candidates")}
        assert entries[0].details["organisation_id"] == employer.organisation.id


@pytest.fixture
def app_config():
    return {"CANDIDATE_VIEWS_PER_HOUR": 3, "CANDIDATE_VIEWS_PER_DAY": 5}


def test_rate_limit_refuses_with_429_and_admins_see_it(app, cf, employer_client, login_as):
    employer = employer_client()
    owner = cf.owner()
    candidates = [cf.candidate(published=True, owner=owner) for _ in range(5)]
    for c in candidates[:3]:
        assert employer.get(f"/kandidaten/{c.id}").status_code == 200
    # Re-opening one already seen is fine; a fourth distinct candidate within the hour is refused.
    assert employer.get(f"/kandidaten/{candidates[0].id}").status_code == 200
    refused = employer.get(f"/kandidaten/{candidates[3].id}")
    assert refused.status_code == 429
    assert candidates[3].first_name not in html(refused)
    assert count(app, AuditEntry, AuditEntry.action == "candidate.view_rate_limited") == 1
    assert count(app, AuditEntry, AuditEntry.action == "candidate.viewed_by_employer", AuditEntry.object_id == candidates[3].id) == 0
    admin = login_as("admin")
    page = html(admin.get("/kandidaten/beheer/inzage-geweigerd"))
    assert employer.user.email in page
    assert "1 keer geweigerd" in html(admin.get("/beheer"))


def test_day_limit(app, cf, employer_client):
    employer = employer_client()
    owner = cf.owner()
    candidates = [cf.candidate(published=True, owner=owner) for _ in range(6)]
    with app.test_request_context():
        from portal.accounts.models import User

        user = db.session.get(User, employer.user.id)
        for i, c in enumerate(candidates[:5]):  # spread over the day, so the hourly limit is not reached
            earlier = db.utcnow() - dt.timedelta(hours=10 - 2 * i)
            operations.record_employer_view(user, db.session.get(Candidate, c.id), now=earlier)
            db.session.flush()
        db.commit()
    assert employer.get(f"/kandidaten/{candidates[5].id}").status_code == 429


# -- duplicates and bad input ----------------------------------------------------------------

def candidate_form(**overrides):
    data = {
        "first_name": "Samira", "surname": "Osman", "date_of_birth": "1990-06-18", "gender": "",
        "municipality": "Zaanstad", "postcode_area": "1501", "mobility": ["bike"],
        "availability": ["mon_morning", "tue_afternoon"], "hours_per_week": "8", "available_from": "",
        "inburgering_status": "b1_route", "inburgering_exam_level": "", "education_level": "secondary",
        "education_country": "Soedan", "education_recognised": "",
        "languages-0-language_code": "nl", "languages-0-listening": "2", "languages-0-reading": "2",
        "languages-0-spoken_interaction": "2", "languages-0-spoken_production": "2", "languages-0-writing": "1",
        "languages-1-language_code": "ar", "languages-1-is_first_language": "y", "languages-1-listening": "6",
        "languages-1-reading": "6", "languages-1-spoken_interaction": "6", "languages-1-spoken_production": "6",
        "languages-1-writing": "6",
        "skills": ["occ.cashier", "skill.cash_register"], "sector_interests": ["detailhandel"],
        "experiences-0-skill_code": "occ.cashier", "experiences-0-occupation": "", "experiences-0-years": "2",
        "experiences-0-country": "Soedan",
        "ambitions": "Ik help graag klanten.", "support_needs": "", "owner_id": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_create_candidate_and_duplicate_warning(app, login_as):
    manager = login_as("account_manager")
    form = candidate_form(owner_id=str(manager.user.id))
    response = manager.post_form("/kandidaten/beheer/nieuw", form)
    assert response.status_code == 302, html(response)
    with app.app_context():
        c = db.session.scalars(select(Candidate)).one()
        assert [row.language_code for row in c.sorted_languages] == ["nl", "ar"]
        assert c.dutch.spoken_interaction == 2 and c.skill_codes == ["occ.cashier", "skill.cash_register"]
        assert c.owner_id == manager.user.id and c.availability == ["mon_morning", "tue_afternoon"]
    again = manager.post_form("/kandidaten/beheer/nieuw", candidate_form(owner_id=str(manager.user.id), first_name=" samira "))
    assert again.status_code == 400
    assert "Mogelijk dubbel" in html(again)
    assert count(app, Candidate) == 1
    confirmed = manager.post_form("/kandidaten/beheer/nieuw", candidate_form(owner_id=str(manager.user.id), confirm_duplicate="y"))
    assert confirmed.status_code == 302
    assert count(app, Candidate) == 2


@pytest.mark.parametrize("overrides, message", [
    ({"postcode_area": "15A1"}, "4 cijfers"),
    ({"first_name": ""}, "Voornaam"),
    ({"date_of_birth": "2090-01-01"}, "verleden"),
    ({"date_of_birth": "31-02-1990"}, "geldige datum"),
    ({"languages-0-writing": "9"}, "Schrijven"),
    ({"languages-1-language_code": "xx"}, "Taal"),
    ({"languages-2-language_code": "ar", "languages-2-listening": "1"}, "staat er al"),
    ({"languages-1-is_first_language": None}, "moedertaal"),
    ({"hours_per_week": "30"}, "dagdelen"),
    ({"hours_per_week": "99"}, "0 tot 40"),
    ({"availability": ["mon_night"]}, "Beschikbaar"),
    ({"skills": ["occ.astronaut"]}, "Vaardigheden"),
    ({"sector_interests": ["ruimtevaart"]}, "sectoren"),
    ({"experiences-0-skill_code": "", "experiences-0-occupation": ""}, "beroep"),
    ({"experiences-0-years": "-3"}, "0 tot 60"),
    ({"ambitions": "a\x00b"}, "ongeldige tekens"),
    ({"gender": "unknown"}, "Gender"),
])
def test_bad_profile_input_is_refused_field_by_field(app, login_as, overrides, message):
    manager = login_as("account_manager")
    response = manager.post_form("/kandidaten/beheer/nieuw", candidate_form(owner_id=str(manager.user.id), **overrides))
    assert response.status_code == 400
    assert message.lower() in html(response).lower()
    assert 'class="form-error"' in html(response)
    assert count(app, Candidate) == 0


def test_a_refused_language_row_marks_its_own_selects_invalid(app, login_as):
    manager = login_as("account_manager")
    page = html(manager.post_form("/kandidaten/beheer/nieuw", candidate_form(
        owner_id=str(manager.user.id), **{"languages-0-writing": "9", "languages-1-language_code": "xx"})))

    def select_tag(name):
        return page.split(f'name="{name}"')[0].rsplit("<select", 1)[1]

    for name in ("languages-0-writing", "languages-1-language_code"):
        assert "utrecht-select--invalid" in select_tag(name) and 'aria-invalid="true"' in select_tag(name)
    for name in ("languages-0-reading", "languages-0-language_code", "languages-1-writing"):
        assert "utrecht-select--invalid" not in select_tag(name) and "aria-invalid" not in select_tag(name)


def test_edit_bad_input_changes_nothing(app, cf, login_as):
    manager = login_as("account_manager")
    candidate = cf.candidate(first_name="Oud")
    form = candidate_form(owner_id=str(manager.user.id), first_name="Nieuw", postcode_area="abcd")
    response = manager.post_form(f"/kandidaten/beheer/{candidate.id}/bewerken", form)
    assert response.status_code == 400
    assert get(app, Candidate, candidate.id).first_name == "Oud"
    ok = manager.post_form(f"/kandidaten/beheer/{candidate.id}/bewerken", candidate_form(owner_id=str(manager.user.id), first_name="Nieuw"))
    assert ok.status_code == 302
    with app.app_context():
        c = db.session.get(Candidate, candidate.id)
        assert c.first_name == "Nieuw" and [r.language_code for r in c.sorted_languages] == ["nl", "ar"]


def test_edit_form_prefills(app, cf, login_as):
    manager = login_as("account_manager")
    candidate = cf.candidate(first_name="Vooraf")
    page = html(manager.get(f"/kandidaten/beheer/{candidate.id}/bewerken"))
    assert 'value="Vooraf"' in page and 'value="mon_morning" checked' in page.replace('checked value="mon_morning"', 'value="mon_morning" checked') or "Vooraf" in page


@pytest.mark.parametrize("overrides, message", [
    ({"expires_on": (dt.date.today() + dt.timedelta(days=400)).isoformat()}, "12 maanden"),
    ({"expires_on": (dt.date.today() - dt.timedelta(days=1)).isoformat()}, "na vandaag"),
    ({"expires_on": "morgen"}, "geldige datum"),
    ({"scope": "selected_organisations"}, "ten minste één organisatie"),
    ({"scope": "everyone"}, "Wie mag"),
    ({"confirm_explained": None}, "besproken"),
])
def test_bad_consent_input_is_refused(app, cf, login_as, overrides, message):
    manager = login_as("account_manager")
    candidate = cf.candidate()
    data = {"confirm_explained": "y", "scope": "all_approved_employers", "video_allowed": "y",
            "expires_on": (dt.date.today() + dt.timedelta(days=90)).isoformat(), **overrides}
    data = {k: v for k, v in data.items() if v is not None}
    response = manager.post_form(f"/kandidaten/beheer/{candidate.id}/toestemming", data)
    assert response.status_code == 400
    assert message.lower() in html(response).lower()
    assert count(app, Consent) == 0


def test_consent_up_to_the_same_day_next_year_is_accepted(app, cf, login_as):
    manager = login_as("account_manager")
    candidate = cf.candidate()
    page = html(manager.get(f"/kandidaten/beheer/{candidate.id}/toestemming"))
    assert "verandert er niets aan mijn uitkering" in page
    today = dt.date.today()
    try:
        next_year = today.replace(year=today.year + 1)
    except ValueError:
        next_year = today.replace(year=today.year + 1, day=28)
    response = manager.post_form(f"/kandidaten/beheer/{candidate.id}/toestemming", {
        "confirm_explained": "y", "scope": "all_approved_employers", "expires_on": next_year.isoformat()})
    assert response.status_code == 302
    with app.app_context():
        consent = db.session.scalars(select(Consent)).one()
        assert consent.expires_at <= operations.latest_allowed_expiry(consent.recorded_at)
        assert consent.text_version == CURRENT_VERSION and consent.recorded_by_id == manager.user.id
        assert consent.text_language == "nl"


def test_expiring_consents_panel(app, cf, login_as):
    manager = login_as("account_manager")
    cf.candidate(owner=manager.user, consent=True, expires_in_days=10, first_name="Bijnaverlopen")
    cf.candidate(owner=manager.user, consent=True, expires_in_days=100, first_name="Noglang")
    page = html(manager.get("/accountmanager"))
    assert "Bijnaverlopen" in page and "Noglang" not in page


# -- interests -------------------------------------------------------------------------------

def test_interest_visible_to_owner_and_wsp(app, cf, employer_client, login_as, factory, make_client):
    employer = employer_client()
    owner = factory.user("account_manager")
    owner_client = make_client()
    owner_client.login(owner)
    candidate = cf.candidate(published=True, owner=owner, first_name="Gewild")
    response = employer.post_form(f"/kandidaten/{candidate.id}/ontmoeten", {"note": "Graag op dinsdag"})
    assert response.status_code == 302
    with app.app_context():
        interest = db.session.scalars(select(Interest)).one()
        assert interest.organisation_id == employer.organisation.id and interest.placement_id is None
    # Twice the same: a clear message, nothing added.
    again = employer.post_form(f"/kandidaten/{candidate.id}/ontmoeten", {"note": ""})
    assert again.status_code == 400 and "al aangegeven" in html(again)
    assert count(app, Interest) == 1
    assert employer.organisation.name in html(owner_client.get("/accountmanager"))
    assert "Graag op dinsdag" in html(owner_client.get("/kandidaten/interesse"))
    wsp = login_as("wsp")
    assert "Graag op dinsdag" in html(wsp.get("/kandidaten/interesse"))
    other_manager = login_as("account_manager")
    assert "Graag op dinsdag" not in html(other_manager.get("/kandidaten/interesse"))
    assert "Graag op dinsdag" in html(other_manager.get("/kandidaten/interesse?alle=1"))
    # an account manager of another municipality sees no full file's interests, not even with ?alle=1
    elsewhere = make_client()
    elsewhere.login(factory.user("account_manager", municipality="Westland"))
    assert "Graag op dinsdag" not in html(elsewhere.get("/kandidaten/interesse?alle=1"))
    assert "Gewild" not in html(elsewhere.get("/kandidaten/interesse?alle=1"))


def test_interest_for_another_organisations_placement_is_refused(app, cf, employer_client, factory):
    from portal.placements.models import Placement

    employer = employer_client()
    other_org = factory.organisation()
    candidate = cf.candidate(published=True)
    foreign = create_placement(factory, other_org, title="Bij een ander")
    for placement_id in ("999999", str(foreign.id)):
        response = employer.post_form(f"/kandidaten/{candidate.id}/ontmoeten", {"placement_id": placement_id})
        assert response.status_code == 400  # not one of the employer's own placements (choice refused)
    assert count(app, Interest) == 0


def test_interest_is_only_for_an_own_published_placement(app, cf, employer_client, factory):
    employer = employer_client()
    candidate = cf.candidate(published=True)
    published = create_placement(factory, employer.organisation, title="Inpakker gepubliceerd")
    draft = create_placement(factory, employer.organisation, status="draft", title="Bakker concept")
    closed = create_placement(factory, employer.organisation, status="closed", title="Chauffeur gesloten")
    page = html(employer.get(f"/kandidaten/{candidate.id}"))
    assert "Inpakker gepubliceerd" in page
    assert "Bakker concept" not in page and "Chauffeur gesloten" not in page
    for placement in (draft, closed):
        response = employer.post_form(f"/kandidaten/{candidate.id}/ontmoeten", {"placement_id": str(placement.id)})
        assert response.status_code == 400
    assert count(app, Interest) == 0
    assert employer.post_form(f"/kandidaten/{candidate.id}/ontmoeten",
                              {"placement_id": str(published.id)}).status_code == 302
    assert count(app, Interest) == 1


def test_interest_note_with_control_characters_is_refused(app, cf, employer_client):
    employer = employer_client()
    candidate = cf.candidate(published=True)
    response = employer.post_form(f"/kandidaten/{candidate.id}/ontmoeten", {"note": "x\x07y"})
    assert response.status_code == 400
    assert count(app, Interest) == 0


def test_interest_without_csrf_is_refused(app, cf, employer_client):
    employer = employer_client()
    candidate = cf.candidate(published=True)
    assert employer.post(f"/kandidaten/{candidate.id}/ontmoeten", data={"note": "x"}).status_code == 400
    assert count(app, Interest) == 0


# -- erasure ---------------------------------------------------------------------------------

def test_erasure_removes_everything(app, cf, employer_client, login_as):
    employer = employer_client()
    candidate = cf.candidate(published=True, surname="Wisbaar")
    employer.post_form(f"/kandidaten/{candidate.id}/ontmoeten", {"note": "hallo"})
    manager = login_as("account_manager")
    refused = manager.post_form(f"/kandidaten/beheer/{candidate.id}/verwijderen", {})
    assert refused.status_code == 400 and count(app, Candidate) == 1
    response = manager.post_form(f"/kandidaten/beheer/{candidate.id}/verwijderen", {"confirm": "y"})
    assert response.status_code == 302
    for model in (Candidate, CandidateLanguage, CandidateSkill, Consent, Interest):
        assert count(app, model) == 0, model
    assert ERASED == [candidate.id]
    assert (candidate.id, "erased") in ENDED
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "candidate.erased")).one()
        assert entry.object_id == candidate.id
        dump = repr([e.details for e in db.session.scalars(select(AuditEntry))])
        assert "Wisbaar" not in dump and candidate.first_name not in dump
    assert employer.get(f"/kandidaten/{candidate.id}").status_code == 404


# -- gallery filters and constraints on both databases ---------------------------------------

@both_databases
def test_gallery_filters(app, cf, employer_client):
    employer = employer_client()
    owner = cf.owner()  # Zaanstad; Bravo gets an account manager of Amsterdam (own municipality only)
    amsterdam_owner = cf.factory.user("account_manager", municipality="Amsterdam")
    a = cf.candidate(published=True, owner=owner, first_name="Alpha", municipality="Zaanstad", availability=["mon_morning"])
    b = cf.candidate(published=True, owner=amsterdam_owner, first_name="Bravo", municipality="Amsterdam", availability=["sat_evening"])
    with app.app_context():
        row = db.session.scalars(select(CandidateLanguage).where(CandidateLanguage.candidate_id == b.id, CandidateLanguage.language_code == "nl")).one()
        row.spoken_interaction = 4
        db.commit()

    def names(query):
        page = html(employer.get("/kandidaten" + query))
        return {n for n in ("Alpha", "Bravo") if n in page}

    assert names("") == {"Alpha", "Bravo"}
    assert names("?municipality=Amsterdam") == {"Bravo"}
    assert names("?days=sat") == {"Bravo"}
    assert names("?days=mon") == {"Alpha"}
    assert names("?days=mon&days=sat") == set()
    assert names("?spoken_interaction=3") == {"Bravo"}
    assert names("?sector=horeca") == {"Alpha", "Bravo"}
    assert names("?sector=ict") == set()
    assert names("?spoken_interaction=banana&days=never") == {"Alpha", "Bravo"}  # bad filters are ignored
    assert a.id != b.id


@both_databases
def test_database_constraints(app, cf):
    candidate = cf.candidate()
    with app.app_context():
        db.session.add(CandidateLanguage(candidate_id=candidate.id, language_code="tr", listening=7))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        db.session.add(CandidateLanguage(candidate_id=candidate.id, language_code="nl"))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        c = db.session.get(Candidate, candidate.id)
        c.postcode_area = "123"
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


@both_databases
def test_one_interest_per_organisation_candidate_and_no_placement(app, cf, factory):
    org = factory.organisation()
    candidate = cf.candidate()
    with app.app_context():
        db.session.add(Interest(organisation_id=org.id, candidate_id=candidate.id))
        db.session.flush()
        db.session.add(Interest(organisation_id=org.id, candidate_id=candidate.id))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_demo_candidates_load_and_remove(app):
    from portal import demo

    with app.test_request_context():
        demo.load()
        demo.load()  # idempotent
        from portal.candidates.demo import CANDIDATES

        everyone = db.session.scalars(select(Candidate)).all()
        assert all(c.ambitions.startswith("[Demo]") for c in everyone)
        # the candidates area's own demo candidates (the results demo adds a history of its own)
        candidates = [c for c in everyone if (c.first_name, c.surname) in {(row[0], row[1]) for row in CANDIDATES}]
        assert len(candidates) == 12
        assert all(c.ambitions.startswith("[Demo]") for c in candidates)
        assert sum(c.status == CandidateStatus.PUBLISHED for c in candidates) == 11
        assert all(c.valid_consent is not None for c in candidates)
        demo.remove()
        assert db.session.scalar(select(func.count(Candidate.id))) == 0
