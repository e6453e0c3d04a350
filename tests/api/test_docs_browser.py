"""The documentation pages in a real browser: Swagger UI (from npm, under the portal's CSP) lists
every operation of the document; the server-rendered page needs no JavaScript at all."""
from __future__ import annotations

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
