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

    listening = page.locator("select#dutch_listening")
    assert listening.input_value() != "2"
    page.get_by_text("Werksituaties aanvinken voor een voorstel").click()  # the situations fold away
    page.get_by_label("volgt gesproken veiligheidsinstructies op").check()
    assert listening.input_value() == "2"
    assert page.locator("#dutch_listening-desc").inner_text().strip()  # the chosen level's description
    assert "Niveaus voorgesteld" in page.locator("[data-suggestion-status]").inner_text()

    # A level the employer set by hand is kept; the suggestion is shown beside it.
    page.locator("select#dutch_reading").select_option("3")
    page.get_by_label("leest een eenvoudig werkrooster").check()
    assert page.locator("select#dutch_reading").input_value() == "3"
    hint = page.locator("#dutch_reading-group [data-suggestion]")
    assert hint.is_visible() and "A1" in hint.inner_text()
    # Unticking everything brings untouched skills back to "none".
    page.get_by_label("volgt gesproken veiligheidsinstructies op").uncheck()
    assert page.locator("select#dutch_listening").input_value() == "0"

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
