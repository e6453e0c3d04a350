"""Configuration from config/ defaults plus environment variables; production refuses unsafe defaults."""
from __future__ import annotations

import pytest

from config.settings import DEV_SECRET_KEY, UnsafeConfiguration, check_production_config, load_config
from portal import create_app

SAFE_PRODUCTION = {
    "PORTAL_ENV": "production",
    "SECRET_KEY": "x" * 48,
    "DATABASE_URL": "postgresql+psycopg://portal:secret@db.example/portal",
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
