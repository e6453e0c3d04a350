"""Automated WCAG 2.1 A/AA checks with axe-core on the pages each role uses.

For every role the test opens the start page and every page of its menu (plus the public pages and
the main forms) in Chromium and runs axe-core (installed from npm into tests/a11y/node_modules by
`make test`; injected by the test only, never served by the portal). Automated checks find only
part of the WCAG problems; keyboard use and error announcements have their own browser tests.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.plugins.services import service_unavailable

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

PUBLIC_PAGES = ["/", "/login", "/registreren", "/wachtwoord-vergeten", "/privacy", "/toegankelijkheid"]
EXTRA_PAGES = {
    "employer@demo.test": ["/plekken/nieuw", "/account"],
    "accountmanager@demo.test": ["/kandidaten/beheer/nieuw"],
    "wsp@demo.test": ["/wsp/uitnodigingen"],
    "admin@demo.test": ["/beheer/gebruikers"],
}


@pytest.fixture
def axe_page(browser):
    if not AXE.exists():
        service_unavailable(f"axe-core is not installed at {AXE} (run `npm ci --prefix tests/a11y`)")
    context = browser.new_context(locale="nl-NL", bypass_csp=True)  # only to inject axe itself
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations.map("
        "v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))",
        TAGS,
    )
    return [f"{page.url}: {line}" for line in result]


def _login(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill("demo-portal")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


def test_public_pages_have_no_axe_violations(live_portal, axe_page):
    _app, base = live_portal
    problems = []
    for path in PUBLIC_PAGES:
        axe_page.goto(base + path)
        problems += violations(axe_page)
    assert problems == []


def test_a_form_with_errors_has_no_axe_violations(live_portal, axe_page):
    _app, base = live_portal
    axe_page.goto(f"{base}/registreren")
    axe_page.get_by_role("button", name="Aanmelden").click()
    axe_page.wait_for_selector(".error-summary")
    assert violations(axe_page) == []


@pytest.mark.parametrize("email", sorted(EXTRA_PAGES))
def test_every_menu_page_of_each_role_has_no_axe_violations(live_portal, axe_page, email):
    _app, base = live_portal
    _login(axe_page, base, email)
    start = axe_page.url
    menu = axe_page.eval_on_selector_all(".main-nav a", "links => links.map(a => a.getAttribute('href'))")
    assert menu, "the role has a menu"
    problems = []
    for path in [start.removeprefix(base), *menu, *EXTRA_PAGES[email]]:
        axe_page.goto(base + path)
        assert axe_page.evaluate("document.documentElement.lang") in ("nl", "en")
        problems += violations(axe_page)
        # one level deeper: the first detail link of a list page, if any
        detail = axe_page.eval_on_selector_all(
            "main table a, main .candidate-card a", "links => links.slice(0, 1).map(a => a.getAttribute('href'))")
        for href in detail:
            if href and href.startswith("/") and not re.search(r"\.(json|ics|csv)$", href):
                axe_page.goto(base + href)
                problems += violations(axe_page)
    assert problems == []
