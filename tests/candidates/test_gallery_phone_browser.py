"""On a phone the gallery's filters fold away: the first candidate is on the first screen, and the
filters open with one tap ("Filters (n actief)"); on a wide screen they are open. Chromium, demo data."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.ui.walk import DEMO_PASSWORD, ROLES

pytestmark = pytest.mark.browser

HEIGHT = 800


@contextmanager
def _employer_page(live_portal, browser, width: int, *, javascript: bool = True) -> Iterator[tuple[str, Any]]:
    """(base URL, page) of a browser window `width` px wide, logged in as the demo employer; closed afterwards."""
    _app, base = live_portal
    context = browser.new_context(viewport={"width": width, "height": HEIGHT}, locale="nl-NL",
                                  java_script_enabled=javascript)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{base}/login")
        page.get_by_label("E-mailadres").fill(ROLES["employer"])
        page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_load_state()
        yield base, page
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_first_candidate_is_on_the_first_phone_screen(live_portal, browser, javascript):
    with _employer_page(live_portal, browser, 375, javascript=javascript) as (base, page):
        page.goto(f"{base}/kandidaten?days=mon")
        first = page.locator("article.candidate-card").first
        box = first.bounding_box()
        assert box is not None and box["y"] < HEIGHT, f"first card starts at {box and box['y']} px on an {HEIGHT} px screen"
        summary = page.locator("summary.filters__summary")
        assert "Filters (1 actief)" in summary.inner_text()
        sector = page.get_by_label("Interesse in sector")
        assert not sector.is_visible()
        summary.click()
        assert sector.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_filters_are_open_on_a_wide_screen(live_portal, browser):
    with _employer_page(live_portal, browser, 1280) as (base, page):
        page.goto(f"{base}/kandidaten")
        assert page.get_by_label("Interesse in sector").is_visible()
        assert page.get_by_label("Past bij mijn plek").is_visible()


def test_interest_shows_on_the_card_and_in_my_list_as_stacked_rows(live_portal, browser):
    with _employer_page(live_portal, browser, 375) as (base, page):
        page.goto(f"{base}/kandidaten")
        first = page.locator("article.candidate-card h2 a").first
        name = first.inner_text()
        first.click()
        page.get_by_role("button", name="Ik wil kennismaken").click()
        page.wait_for_load_state()
        page.goto(f"{base}/kandidaten")
        card = page.locator("article.candidate-card", has_text=name).first
        assert "U vroeg om kennis te maken" in card.inner_text()
        page.goto(f"{base}/kandidaten/mijn-kennismakingsverzoeken")
        assert name in page.locator("main").inner_text()
        # every labelled cell holds its label and value (nothing spills out of the row)
        spilled = page.evaluate("""() => [...document.querySelectorAll('main tbody td, main tbody th')]
            .filter(c => c.scrollHeight > c.clientHeight + 1 || c.scrollWidth > c.clientWidth + 1)
            .map(c => c.dataset.label)""")
        assert spilled == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
