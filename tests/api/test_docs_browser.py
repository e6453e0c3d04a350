"""The documentation pages in a real browser: Swagger UI (from npm, under the portal's CSP) lists
every operation of the document; the server-rendered page needs no JavaScript at all."""
from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.browser


def test_documentation_pages_show_every_operation(live_portal, page):
    app, base = live_portal
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    operations = sum(len(methods) for methods in document["paths"].values())
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto(f"{base}/api/v1/docs/swagger")
    page.wait_for_selector(".opblock", timeout=15_000)
    assert page.locator(".opblock").count() == operations
    assert violations == []
    page.goto(f"{base}/api/v1/docs")
    assert page.locator("section[id] h2 code").count() == operations


from tests.a11y.test_axe import _login, axe_page, violations  # noqa: E402,F401  (axe_page is a fixture)


def test_api_pages_have_no_axe_violations(live_portal, axe_page):
    _app, base = live_portal
    problems = []
    axe_page.goto(f"{base}/api/v1/docs")
    problems += violations(axe_page)
    _login(axe_page, base, "admin@demo.test")
    axe_page.goto(f"{base}/beheer/api-clients/nieuw")
    axe_page.get_by_role("button", name="Client aanmaken").click()  # empty: errors
    axe_page.wait_for_selector(".error-summary")
    problems += violations(axe_page)
    axe_page.get_by_label("Naam van de koppeling").fill("ATS")
    axe_page.get_by_label("Kandidaatprofielen (beperkt) en matches lezen").check()
    axe_page.get_by_label("Handelt namens").select_option(label="Bakkerij De Korenaar")
    axe_page.get_by_label("Geldig tot en met").fill((dt.date.today() + dt.timedelta(days=30)).isoformat())
    axe_page.get_by_role("button", name="Client aanmaken").click()
    axe_page.wait_for_selector("#api-key")
    assert axe_page.input_value("#api-key").startswith("wpk_")
    problems += violations(axe_page)
    axe_page.goto(f"{base}/beheer/api-clients")
    problems += violations(axe_page)
    assert problems == []
