"""The placement form in a real browser: the skill combobox by keyboard (type, arrow keys, Enter,
remove a chip) saves what was chosen; the live level suggestions keep hand-set levels; the same
form works with JavaScript off; the combobox passes axe-core."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from tests.plugins.services import service_unavailable

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[1] / "a11y" / "node_modules" / "axe-core" / "axe.min.js"


def _login(page, base: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mailadres").fill("employer@demo.test")
    page.get_by_label("Wachtwoord").fill("demo-portal")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/login" not in url)


def _fill_basics(page, title: str) -> None:
    page.get_by_label("Taalstage", exact=True).check()
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Wat gaat de kandidaat doen?").fill("Bestellingen verzamelen.")
    page.get_by_label("Uren per week").fill("8")
    page.get_by_label("dinsdag ochtend").check()
    page.get_by_label("dinsdag middag").check()
    page.get_by_label("Startdatum").fill((dt.date.today() + dt.timedelta(days=7)).isoformat())


def _saved(app, title: str):
    from sqlalchemy import select

    from portal.core import db
    from portal.placements.models import Placement

    with app.app_context():
        return db.session.scalars(select(Placement).where(Placement.title == title)).one()


def test_skill_combobox_by_keyboard_saves_what_was_chosen(live_portal, page):
    app, base = live_portal
    _login(page, base)
    page.goto(f"{base}/plekken/nieuw")

    box = page.get_by_role("combobox", name="Zoek en kies: Vereiste vaardigheden en beroepen")
    assert box.get_attribute("aria-expanded") == "false"
    listbox_id = box.get_attribute("aria-controls")
    box.click()
    box.fill("orderverzamelaar")  # a synonym of Orderpicker
    assert box.get_attribute("aria-expanded") == "true"
    listbox = page.locator(f"#{listbox_id}")
    assert listbox.get_attribute("role") == "listbox"
    assert listbox.get_by_role("option", name=re.compile("Orderpicker")).is_visible()
    assert not listbox.get_by_role("option", name=re.compile("^Bakker")).is_visible()
    status = page.locator("#required_skills [role=status]")
    assert re.search(r"\d+ resulta", status.inner_text())
    box.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert active and "Orderpicker" in page.locator(f"#{active}").inner_text()
    box.press("Enter")
    assert box.get_attribute("aria-expanded") == "false" and box.input_value() == ""
    assert page.get_by_role("button", name="Orderpicker verwijderen").is_visible()
    assert "Orderpicker gekozen" in status.inner_text()

    box.fill("heftruck")
    box.press("ArrowDown")
    box.press("Enter")
    chosen = page.locator("#required_skills .combobox__chip").all_inner_texts()
    assert len(chosen) == 2 and any("Orderpicker" in c for c in chosen)
    other = next(c for c in chosen if "Orderpicker" not in c).replace("×", "").strip()

    # Escape closes the list without choosing; a second Escape empties the box.
    box.fill("bak")
    box.press("ArrowDown")
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false" and box.input_value() == "bak"
    box.press("Escape")
    assert box.input_value() == ""
    assert page.locator("#required_skills .combobox__chip").count() == 2

    # Remove Orderpicker with the keyboard: focus moves to the remaining chip.
    page.get_by_role("button", name="Orderpicker verwijderen").focus()
    page.keyboard.press("Enter")
    assert page.locator("#required_skills .combobox__chip").count() == 1
    assert "Orderpicker verwijderd" in status.inner_text()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == f"{other} verwijderen"

    _fill_basics(page, "Combobox in de browser")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(lambda url: url.endswith("/controleren"))
    assert other in page.inner_text("main") and "Orderpicker" not in page.inner_text("main")
    saved = _saved(app, "Combobox in de browser")
    from portal import reference

    assert [reference.skill(c).label("nl") for c in saved.required_skills] == [other]
    page.get_by_role("button", name="Publiceren").click()
    assert "De plek is gepubliceerd" in page.inner_text("main")


def test_level_helper_keeps_hand_set_levels(live_portal, page):
    _app, base = live_portal
    _login(page, base)
    page.goto(f"{base}/plekken/nieuw")
    listening = page.locator("select#dutch_listening")
    assert listening.input_value() == "0"
    situations = page.get_by_role("combobox", name="Zoek en kies: Taalsituaties in het werk")
    situations.fill("veiligheidsinstructies")
    situations.press("ArrowDown")
    situations.press("Enter")
    assert listening.input_value() == "2"
    assert page.locator("#dutch_listening-desc").inner_text().strip()  # the chosen level's description
    assert "Niveaus voorgesteld" in page.locator("[data-suggestion-status]").inner_text()

    # A level the employer set by hand is kept; the suggestion is shown beside it.
    page.locator("select#dutch_reading").select_option("3")
    situations.fill("werkrooster")
    situations.press("ArrowDown")
    situations.press("Enter")
    assert page.locator("select#dutch_reading").input_value() == "3"
    hint = page.locator("#dutch_reading-group [data-suggestion]")
    assert hint.is_visible() and "A1" in hint.inner_text()
    # Removing the situation brings untouched skills back to "none".
    page.get_by_role("button", name=re.compile("veiligheidsinstructies.* verwijderen")).click()
    assert listening.input_value() == "0"


def test_the_form_works_without_javascript(live_portal, browser):
    app, base = live_portal
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        _login(page, base)
        page.goto(f"{base}/plekken/nieuw")
        assert page.locator("input[role=combobox]").count() == 0  # plain lists
        picker = page.locator("#required_skills")
        picker.get_by_text("Kies uit de lijst").click()
        picker.get_by_label("Orderpicker", exact=True).check()
        picker.get_by_label("Heftruckchauffeur", exact=True).check()
        # the level helper without JavaScript: the server fills in the levels
        tasks = page.locator("#language_tasks")
        tasks.get_by_text("Kies uit de lijst").click()
        tasks.get_by_label("volgt gesproken veiligheidsinstructies op").check()
        page.get_by_role("button", name="Niveaus voorstellen").click()
        assert "We hebben de niveaus ingevuld" in page.inner_text("main")
        assert page.locator("select#dutch_listening").input_value() == "2"
        assert "Gekozen:" in page.locator("#required_skills").inner_text()
        # every level's meaning is there without JavaScript
        page.get_by_text("Wat betekenen de niveaus?").click()
        assert "Geen: verstaat de gesproken taal (nog) niet" in page.inner_text("main")
        _fill_basics(page, "Zonder JavaScript")
        page.get_by_role("button", name="Opslaan").click()
        page.wait_for_url(lambda url: url.endswith("/controleren"))
        saved = _saved(app, "Zonder JavaScript")
        from portal import reference

        assert {reference.skill(c).label("nl") for c in saved.required_skills} == {"Orderpicker", "Heftruckchauffeur"}
        assert saved.dutch_levels["listening"] == 2
        page.get_by_role("button", name="Publiceren").click()
        assert "De plek is gepubliceerd" in page.inner_text("main")
    finally:
        context.close()


def test_combobox_open_with_chips_passes_axe(live_portal, browser):
    if not AXE.exists():
        service_unavailable(f"axe-core is not installed at {AXE} (run `npm ci --prefix tests/a11y`)")
    _app, base = live_portal
    context = browser.new_context(locale="nl-NL", bypass_csp=True)  # to inject axe-core
    page = context.new_page()
    page.set_default_timeout(10_000)
    _login(page, base)
    page.goto(f"{base}/plekken/nieuw")
    box = page.get_by_role("combobox", name="Zoek en kies: Vereiste vaardigheden en beroepen")
    box.fill("order")
    box.press("ArrowDown")
    box.press("Enter")
    box.fill("a")
    box.press("ArrowDown")  # open, with an active option
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        ".then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))")
    context.close()
    assert violations == []
