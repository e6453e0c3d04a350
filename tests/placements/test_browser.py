"""placements.js in a real browser: live level suggestions from ticked situations, hand-set levels kept,
and the skill search with synonyms; then the form saves and publishes as without JavaScript."""
from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.browser


def test_level_helper_and_skill_search(live_portal, page):
    _app, base = live_portal
    page.goto(f"{base}/login")
    page.get_by_label("E-mailadres").fill("employer@demo.test")
    page.get_by_label("Wachtwoord").fill("demo-portal")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(f"{base}/plekken/nieuw")

    listening_a2 = page.locator("#dutch_listening-2")
    assert not listening_a2.is_checked()
    page.get_by_label("volgt gesproken veiligheidsinstructies op").check()
    assert listening_a2.is_checked()
    assert "Niveaus voorgesteld" in page.locator("[data-suggestion-status]").inner_text()

    # A level the employer set by hand is kept; the suggestion is shown beside it.
    page.locator("#dutch_reading-3").check()
    page.get_by_label("leest een eenvoudig werkrooster").check()
    assert page.locator("#dutch_reading-3").is_checked()
    hint = page.locator("#dutch_reading [data-suggestion]")
    assert hint.is_visible() and "A1" in hint.inner_text()
    # Unticking everything brings untouched skills back to "none".
    page.get_by_label("volgt gesproken veiligheidsinstructies op").uncheck()
    assert page.locator("#dutch_listening-0").is_checked()

    # Skill search matches synonyms ("orderverzamelaar" is a synonym of Orderpicker).
    picker = page.locator("#required_skills")
    picker.get_by_role("searchbox").fill("orderverzamelaar")
    assert picker.get_by_label("Orderpicker", exact=True).is_visible()
    assert not picker.get_by_label("Bakker", exact=True).is_visible()
    picker.get_by_label("Orderpicker", exact=True).check()
    picker.get_by_role("searchbox").fill("")
    assert "Orderpicker" in picker.locator("[data-chosen-summary]").inner_text()

    page.get_by_label("Taalstage", exact=True).check()
    page.get_by_label("Titel").fill("Taalstage in de browser")
    page.get_by_label("Wat gaat de kandidaat doen?").fill("Bestellingen verzamelen.")
    page.get_by_label("Uren per week").fill("8")
    page.get_by_label("dinsdag ochtend").check()
    page.get_by_label("dinsdag middag").check()
    page.get_by_label("Startdatum").fill((dt.date.today() + dt.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(lambda url: "/nieuw" not in url)
    assert "Taalstage in de browser" in page.inner_text("h1")
    page.get_by_role("button", name="Publiceren").click()
    assert "De plek is gepubliceerd" in page.inner_text("main")
