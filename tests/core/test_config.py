"""Configuration from config/ defaults plus environment variables; production refuses unsafe defaults."""
from __future__ import annotations

import pytest

from config.settings import DEV_SECRET_KEY, UnsafeConfiguration, check_production_config, load_config
from portal import create_app

SAFE_PRODUCTION = {
    "PORTAL_ENV": "production",
    "SECRET_KEY": "k3Jq9-vXw2LpZr7TmYb4NcHs8GdFa1Ue6Wo0IiQx",
    "DATABASE_URL": "postgresql+psycopg://portal:secret@db.example/portal",
    "PUBLIC_BASE_URL": "https://werkportaal.example.nl",
    "MAIL_BACKEND": "smtp",
}


def test_environment_variables_override_defaults_with_types():
    config = load_config({"SMTP_PORT": "2525", "SMTP_STARTTLS": "true", "SEARCH_BACKEND": "elasticsearch"})
    assert config["SMTP_PORT"] == 2525
    assert config["SMTP_STARTTLS"] is True
    assert config["SEARCH_BACKEND"] == "elasticsearch"
    assert config["SESSION_COOKIE_SECURE"] is False  # development


def test_production_sets_secure_cookies():
    config = load_config(SAFE_PRODUCTION)
    check_production_config(config)
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
    assert config["SESSION_COOKIE_HTTPONLY"]


@pytest.mark.parametrize("change,reason", [
    ({"SECRET_KEY": DEV_SECRET_KEY}, "SECRET_KEY"),
    ({"SECRET_KEY": "short"}, "SECRET_KEY"),
    ({"DATABASE_URL": "sqlite:///portal.sqlite3"}, "SQLite"),
    ({"SESSION_COOKIE_SECURE": "false"}, "SESSION_COOKIE_SECURE"),
    ({"SECRET_KEY": "a" * 32}, "distinct characters"),
    ({"WTF_CSRF_ENABLED": "false"}, "WTF_CSRF_ENABLED"),
    ({"SESSION_COOKIE_HTTPONLY": "false"}, "HTTPONLY"),
    ({"REMEMBER_COOKIE_HTTPONLY": "false"}, "HTTPONLY"),
    ({"SESSION_COOKIE_SAMESITE": "None"}, "SAMESITE"),
    ({"PUBLIC_BASE_URL": "http://werkportaal.example.nl"}, "https"),
    ({"MAIL_BACKEND": "log"}, "MAIL_BACKEND"),
])
def test_production_refuses_unsafe_settings(change, reason):
    with pytest.raises(UnsafeConfiguration, match=reason):
        create_app(environ={**SAFE_PRODUCTION, **change})


def test_unknown_environment_is_refused():
    with pytest.raises(UnsafeConfiguration):
        load_config({"PORTAL_ENV": "staging"})


@pytest.mark.postgres
def test_production_refuses_to_start_with_demo_accounts(postgres_databases):
    from portal.core import db
    from portal.demo import load

    url = postgres_databases.create()
    development = create_app({"PORTAL_ENV": "development", "DATABASE_URL": url, "BACKGROUND_MODE": "manual"}, environ={})
    with development.app_context():
        load()
        db.commit()
    with pytest.raises(UnsafeConfiguration, match="demo account"):
        create_app(environ={**SAFE_PRODUCTION, "DATABASE_URL": url})
    with development.app_context():
        from portal.demo import remove

        remove()
        db.commit()
    assert create_app(environ={**SAFE_PRODUCTION, "DATABASE_URL": url}) is not None


def test_production_refuses_to_start_when_the_database_cannot_be_reached():
    """The demo-account check is not skipped silently: an unreachable database stops the start."""
    unreachable = "postgresql+psycopg://portal:secret@127.0.0.1:9/portal?connect_timeout=2"
    with pytest.raises(UnsafeConfiguration, match="cannot be reached"):
        create_app(environ={**SAFE_PRODUCTION, "DATABASE_URL": unreachable})


def test_strict_transport_security_over_https(app):
    client = app.test_client()
    secure = client.get("/privacy", base_url="https://portal.test")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in client.get("/privacy").headers  # plain http on a laptop


def test_trusted_proxy_hops_decide_the_client_address(app_factory_proxy):
    """Behind one trusted proxy the client address is the proxy's X-Forwarded-For entry, not the proxy."""
    seen = {}
    application = app_factory_proxy(1)

    @application.before_request
    def _remember():
        from flask import request

        seen["addr"] = request.remote_addr

    application.test_client().get("/privacy", headers={"X-Forwarded-For": "203.0.113.9"},
                                   environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert seen["addr"] == "203.0.113.9"
    untrusted = app_factory_proxy(0)
    untrusted.before_request(_remember)
    untrusted.test_client().get("/privacy", headers={"X-Forwarded-For": "203.0.113.9"},
                                environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert seen["addr"] == "10.0.0.2"  # without trusted proxies a forged header changes nothing


@pytest.fixture
def app_factory_proxy(database_url, tmp_path):
    from tests.conftest import TEST_CONFIG

    def make(hops: int):
        return create_app({**TEST_CONFIG, "DATABASE_URL": database_url, "STORAGE_LOCAL_PATH": str(tmp_path),
                           "TRUSTED_PROXY_HOPS": hops}, environ={})

    return make
