"""Consent in the candidate's language: complete language files, versions kept, the printable sheet."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sqlalchemy import select

from portal.candidates import consent_text as texts
from portal.candidates.models import Consent
from portal.core import db

REQUIRED_LANGUAGES = {"nl", "en", "ar", "ti", "fa", "prs", "so", "uk", "tr"}


def html(response) -> str:
    return response.get_data(as_text=True)


# -- the files -----------------------------------------------------------------------------------

def test_the_current_version_exists_in_every_required_language():
    assert set(texts.languages(texts.CURRENT_VERSION)) == REQUIRED_LANGUAGES
    assert {path.stem for path in (texts.TEXTS_DIR / "sheet").glob("*.json")} == REQUIRED_LANGUAGES


@pytest.mark.parametrize("path", sorted(p for p in texts.TEXTS_DIR.glob("*/*.json")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_language_file_has_every_key_and_says_who_checked_it(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["language"] == path.stem
    assert "checked_by" in data and "checked_on" in data
    assert bool(data["checked_by"]) == bool(data["checked_on"]), "checked_by and checked_on go together"
    part, keys = ("labels", texts.SHEET_LABELS) if path.parent.name == "sheet" else ("sections", texts.SECTIONS)
    assert sorted(data[part]) == sorted(keys)
    assert all(isinstance(v, str) and v.strip() for v in data[part].values()), "no empty texts"
    if part == "labels":
        assert "{name}" in data["labels"]["page_confirm"]
        assert data["dir"] == ("rtl" if path.stem in {"ar", "fa", "prs"} else "ltr")


@pytest.mark.parametrize(("language", "pattern"), [
    ("ar", r"[\u0600-\u06FF]"), ("fa", r"[\u0600-\u06FF]"), ("prs", r"[\u0600-\u06FF]"),
    ("ti", r"[\u1200-\u137F]"), ("uk", r"[\u0400-\u04FF]"),
])
def test_texts_are_in_their_own_script(language, pattern):
    doc = texts.document(texts.CURRENT_VERSION, language)
    assert doc.language == language
    letters = re.findall(pattern, doc.text)
    assert len(letters) > 0.6 * len(re.findall(r"\w", doc.text))


def test_only_dutch_and_english_are_marked_checked():
    checked = {code for code in texts.languages() if texts.document(texts.CURRENT_VERSION, code).check.is_checked}
    assert checked == {"nl", "en"}


# -- versions ------------------------------------------------------------------------------------

def test_an_old_consent_keeps_showing_the_text_of_its_own_version(app, cf, login_as):
    candidate = cf.candidate()
    manager = login_as("account_manager")
    with app.test_request_context():
        from portal.accounts.models import User
        from portal.candidates import operations
        from portal.candidates.models import Candidate

        owner = db.session.get(User, manager.user.id)
        operations.record_consent(db.session.get(Candidate, candidate.id), owner, scope="all_approved_employers",
                                  expires_at=db.utcnow() + dt.timedelta(days=30), text_version="2026-1",
                                  text_language="en")
        db.commit()
    page = html(manager.get(f"/kandidaten/beheer/{candidate.id}"))
    assert "2026-1" in page and "toestemmingstekst?versie=2026-1#tekst-en" in page
    old = html(manager.get("/kandidaten/toestemmingstekst?versie=2026-1"))
    # The 2026-1 wording, not today's B1 text.
    assert "I consent to the municipality showing my profile to employers in the Werkportaal." in old
    assert "Ik geef toestemming dat de gemeente mijn profiel laat zien" in old
    assert texts.document("2026-2", "nl").sections["consent"] not in old
    assert texts.document("2026-1", "nl").text != texts.document("2026-2", "nl").text


def test_an_unknown_version_is_a_404(login_as):
    assert login_as("account_manager").get("/kandidaten/toestemmingstekst?versie=1999-1").status_code == 404


def test_the_text_page_shows_which_translations_nobody_checked_yet(login_as):
    page = html(login_as("account_manager").get("/kandidaten/toestemmingstekst"))
    arabic = page[page.index('id="tekst-ar"'):page.index('id="tekst-ti"')]
    assert "Vertaling nog niet gecontroleerd" in arabic and 'lang="ar" dir="rtl"' in arabic
    dutch = page[page.index('id="tekst-nl"'):page.index('id="tekst-en"')]
    assert "Vertaling gecontroleerd door" in dutch and "nog niet gecontroleerd" not in dutch


# -- recording in a language and the sheet --------------------------------------------------------

def _record(manager, candidate_id, language, **extra):
    return manager.post_form(f"/kandidaten/beheer/{candidate_id}/toestemming", {
        "confirm_explained": "y", "scope": "all_approved_employers", "text_language": language,
        "expires_on": (dt.date.today() + dt.timedelta(days=60)).isoformat(), **extra})


def test_the_consent_form_shows_the_text_in_the_chosen_language_right_to_left(cf, login_as):
    candidate = cf.candidate()
    page = html(login_as("account_manager").get(f"/kandidaten/beheer/{candidate.id}/toestemming?taal=fa"))
    assert 'lang="fa" dir="rtl"' in page
    assert texts.document(texts.CURRENT_VERSION, "fa").sections["consent"] in page
    assert "Vertaling nog niet gecontroleerd" in page
    assert '<option value="fa" selected>' in page


def test_recording_in_arabic_stores_language_and_version_and_prints_the_sheet(app, cf, login_as):
    candidate = cf.candidate(first_name="Rania", surname="Geheimenaam", municipality="Purmerend")
    manager = login_as("account_manager", municipality="Purmerend")  # own municipality only
    response = _record(manager, candidate.id, "ar")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/kandidaten/beheer/{candidate.id}/toestemming/blad")
    with app.app_context():
        consent = db.session.scalars(select(Consent).where(Consent.candidate_id == candidate.id)).one()
        assert (consent.text_language, consent.text_version) == ("ar", texts.CURRENT_VERSION)
        stored_hash = consent.withdrawal_code_hash
    sheet = html(manager.get(response.headers["Location"]))
    article = sheet[sheet.index("<article"):sheet.index("</article>")]
    assert 'lang="ar" dir="rtl"' in article
    assert "Rania" in article and "Geheimenaam" not in article and "Purmerend" not in article
    assert texts.sheet_labels("ar")["scope_all"] in article
    code = re.search(r"data-sheet-code>([A-Z0-9]{4}-[A-Z0-9]{4})<", article).group(1)
    assert stored_hash and code.replace("-", "") not in stored_hash and len(stored_hash) == 64
    assert "<svg" in article and "/toestemming-stoppen?taal=ar" in article
    assert "Vertaling nog niet gecontroleerd" in article
    # The code is shown once: reloading the sheet offers a new code instead of showing it again.
    again = html(manager.get(response.headers["Location"]))
    assert code not in again and "Nieuwe code maken" in again


def test_a_new_code_replaces_the_old_one(app, cf, login_as, client):
    candidate = cf.candidate()
    manager = login_as("account_manager")
    first = html(manager.get(_record(manager, candidate.id, "tr").headers["Location"]))
    old = re.search(r"data-sheet-code>([A-Z0-9-]{9})<", first).group(1)
    response = manager.post_form(f"/kandidaten/beheer/{candidate.id}/toestemming/blad/nieuwe-code")
    assert response.status_code == 302
    new = re.search(r"data-sheet-code>([A-Z0-9-]{9})<", html(manager.get(response.headers["Location"]))).group(1)
    assert new != old
    assert "data-withdraw-confirm" not in html(client.get(f"/toestemming-stoppen?code={old}"))
    assert "data-withdraw-confirm" in html(client.get(f"/toestemming-stoppen?code={new}"))


def test_an_unknown_language_is_refused_and_nothing_is_saved(app, cf, login_as):
    candidate = cf.candidate()
    response = _record(login_as("account_manager"), candidate.id, "xx")
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalars(select(Consent).where(Consent.candidate_id == candidate.id)).first() is None
