"""Health check, public pages, security headers and languages."""
from __future__ import annotations

import re
from pathlib import Path

from portal import create_app
from tests.conftest import TEST_CONFIG

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_reports_each_part(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "up", "search": "up", "storage": "up"}


def test_healthz_is_503_when_the_database_is_gone(tmp_path):
    app = create_app({**TEST_CONFIG, "DATABASE_URL": "postgresql+psycopg://nobody:x@127.0.0.1:1/none",
                      "STORAGE_LOCAL_PATH": str(tmp_path)}, environ={})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "down"


def test_healthz_reports_search_down_when_elasticsearch_is_unreachable(app_config, tmp_path, sqlite_url):
    app = create_app({**TEST_CONFIG, "DATABASE_URL": sqlite_url, "SEARCH_BACKEND": "elasticsearch",
                      "ELASTICSEARCH_URL": "http://127.0.0.1:1", "ELASTICSEARCH_TIMEOUT": 0.5,
                      "STORAGE_LOCAL_PATH": str(tmp_path)}, environ={})
    response = app.test_client().get("/healthz")
    assert response.status_code == 200  # the database answers; search may degrade
    assert response.json["search"] == "down"


def test_privacy_and_accessibility_statements_are_linked_from_every_page(client, login_as):
    for page in ("/", "/login", "/privacy"):
        html = client.get(page).get_data(as_text=True)
        assert 'href="/privacy"' in html and 'href="/toegankelijkheid"' in html
    assert "Toegankelijkheidsverklaring" in client.get("/toegankelijkheid").get_data(as_text=True)
    html = login_as("admin").get("/beheer").get_data(as_text=True)
    assert 'href="/toegankelijkheid"' in html


def test_security_headers_forbid_inline_scripts_and_framing(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_templates_load_nothing_from_other_sites_and_have_no_inline_scripts():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        source = path.read_text()
        if re.search(r'(src|href)="(https?:)?//', source):
            offenders.append(f"{path}: external asset")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", source):
            offenders.append(f"{path}: inline script")
        if re.search(r'\sstyle="', source) or re.search(r"\son[a-z]+=\"", source):
            offenders.append(f"{path}: inline style or event handler")
    assert offenders == []


def test_the_page_has_a_skip_link_a_main_landmark_and_a_language(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="nl">' in html
    assert 'href="#main"' in html and '<main id="main"' in html
    assert re.search(r'<label class="[^"]*\bform-label\b[^"]*" for="email">', html)


def test_english_can_be_chosen_and_sticks_to_the_user(app, factory, client):
    user = factory.user("wsp")
    client.login(user)
    assert "Uitloggen" in client.get("/wsp").get_data(as_text=True)
    response = client.post_form("/taal", {"locale": "en", "next": "/wsp"})
    assert response.status_code == 302
    html = client.get("/wsp").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Log out" in html
    from portal.accounts.models import User
    from portal.core import db

    with app.app_context():
        assert db.session.get(User, user.id).locale == "en"


def test_error_pages_are_in_the_users_language(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)
