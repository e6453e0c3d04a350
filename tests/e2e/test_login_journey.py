"""The login journey in a real browser: each demo account lands on its own start page."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

START_PAGES = [
    ("employer@demo.test", "/werkgever", "Start: werkgever"),
    ("accountmanager@demo.test", "/accountmanager", "Start: accountmanager"),
    ("wsp@demo.test", "/wsp", "Start: Werkgeversservicepunt"),
    ("admin@demo.test", "/beheer", "Start: beheer"),
]


def test_demo_accounts_log_in_and_out_in_the_browser(live_portal, page):
    _app, base = live_portal
    for email, path, heading in START_PAGES:
        page.goto(f"{base}/login")
        page.get_by_label("E-mailadres").fill(email)
        page.get_by_label("Wachtwoord").fill("demo-portal")
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url(f"{base}{path}")
        assert page.get_by_role("heading", level=1).inner_text() == heading
        page.get_by_role("button", name="Uitloggen").click()
        page.wait_for_url(f"{base}/login")


def test_wrong_password_shows_the_error_and_moves_focus_to_it(live_portal, page):
    _app, base = live_portal
    page.goto(f"{base}/login")
    page.get_by_label("E-mailadres").fill("employer@demo.test")
    page.get_by_label("Wachtwoord").fill("not the password")
    page.get_by_role("button", name="Inloggen").click()
    summary = page.get_by_role("alert")
    assert "Onjuist e-mailadres of wachtwoord." in summary.inner_text()
    # the portal's script moves the focus once the page has loaded; wait for it rather than racing it
    page.wait_for_function("document.activeElement && document.activeElement.classList.contains('error-summary')",
                           timeout=10_000)


def test_keyboard_user_can_skip_to_the_content(live_portal, page):
    _app, base = live_portal
    page.goto(f"{base}/login")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Naar de inhoud"
