"""Admins create and revoke clients on the admin pages and with `flask api`; the key is shown once."""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from portal.core import db

KEY_RE = re.compile(r"wpk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}")


def test_admin_creates_a_client_sees_the_key_once_and_revokes_it(app, factory, login_as, api):
    from portal.api.models import ApiClient

    organisation = factory.organisation(name="Bakkerij Test")
    admin = login_as("admin")
    form = admin.get("/beheer/api-clients/nieuw")
    assert form.status_code == 200 and "Bakkerij Test" in form.get_data(as_text=True)
    expires = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    bad = admin.post_form("/beheer/api-clients/nieuw", {"name": "ATS", "organisation_id": str(organisation.id),
                                                       "scopes": ["monitor:read"], "expires_on": expires})
    assert bad.status_code == 400 and "niet krijgen" in bad.get_data(as_text=True)  # employers see no monitoring
    created = admin.post_form("/beheer/api-clients/nieuw", {"name": "ATS", "organisation_id": str(organisation.id),
                                                           "scopes": ["placements:read"], "expires_on": expires})
    assert created.status_code == 200
    key = KEY_RE.search(created.get_data(as_text=True)).group(0)
    with app.app_context():
        client = db.session.scalars(select(ApiClient)).one()
        assert key not in client.key_hash and len(client.key_hash) == 64
        assert client.service_user.active is False and client.service_user.organisation_id == organisation.id
    listing = admin.get("/beheer/api-clients").get_data(as_text=True)
    assert key not in listing and "ATS" in listing
    assert api.get("/placements", key).status_code == 200
    assert admin.post_form(f"/beheer/api-clients/{client.id}/intrekken").status_code == 302
    assert api.get("/placements", key).status_code == 401
    assert login_as("wsp").get("/beheer/api-clients").status_code == 403


def test_the_service_account_cannot_sign_in(app, api, factory, make_client):
    client, _key = api.create("placements:read", organisation=factory.organisation())
    browser = make_client()
    response = browser.post_form("/login", {"email": client.service_user.email, "password": "!api-client-no-login"})
    assert response.status_code != 302


def test_flask_api_create_list_and_revoke(app, factory):
    organisation = factory.organisation(kvk_number="87654321")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["api", "create-client", "--name", "ATS", "--organisation-kvk", "87654321",
                                 "--scope", "placements:read", "--scope", "placements:write", "--expires-days", "30"])
    assert result.exit_code == 0, result.output
    key = KEY_RE.search(result.output).group(0)
    assert "acting as employer of" in result.output
    http = app.test_client()
    assert http.get("/api/v1/placements", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    listed = runner.invoke(args=["api", "list-clients"])
    assert "active" in listed.output and key not in listed.output
    refused = runner.invoke(args=["api", "create-client", "--name", "X", "--scope", "candidates:read"])
    assert refused.exit_code != 0
    client_id = listed.output.split()[0]
    assert runner.invoke(args=["api", "revoke-client", client_id]).exit_code == 0
    assert http.get("/api/v1/placements", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    monitor = runner.invoke(args=["api", "create-client", "--name", "Rapportage", "--scope", "monitor:read"])
    assert "region-wide (Beleidsmedewerker)" in monitor.output
