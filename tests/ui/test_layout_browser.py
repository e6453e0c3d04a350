"""Every menu page of every role at 375 px (a phone) and 1280 px: no sideways scrolling, and
axe-core finds no serious or critical WCAG 2.1 A/AA violation. The same page walk as the
raw-code test (tests/ui/walk.py), in Chromium with the portal's CSS and JavaScript."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.plugins.services import service_unavailable
from tests.ui.walk import DEMO_PASSWORD, ROLES, walk

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[1] / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (375, 1280)


def _login(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


def _serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))",
        TAGS,
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", [None, *ROLES])
def test_every_page_fits_the_screen_and_passes_axe(live_portal, browser, role, width):
    if not AXE.exists():
        service_unavailable(f"axe-core is not installed at {AXE} (run `npm ci --prefix tests/a11y`)")
    _app, base = live_portal
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="nl-NL", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        if role:
            _login(page, base, ROLES[role])

        def get(path: str):
            response = page.goto(base + path)
            if response is None or "text/html" not in (response.headers.get("content-type") or ""):
                return 415, path, ""
            return response.status, page.url.removeprefix(base), page.content()

        problems, pages = [], 0
        for path, _html in walk(get, role, limit=40):
            pages += 1
            scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if scroll_width > inner_width:
                wide = page.evaluate(
                    "() => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > "
                    "window.innerWidth + 1).slice(0, 3).map(e => e.tagName.toLowerCase() + '.' + e.className)")
                problems.append(f"{path}: {scroll_width} px wide at {inner_width} px ({', '.join(wide)})")
            problems += [f"{path}: {v}" for v in _serious_violations(page)]
        assert pages >= 3
        assert problems == [], "\n".join(problems)
    finally:
        context.close()
