"""Configuration: defaults per environment in this module, overridden by environment variables.

`load_config()` is the only way the app reads its settings. Every key can be set through an
environment variable of the same name; production refuses to start with unsafe defaults
(see `check_production_config`).
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_PATH = Path(os.environ.get("PORTAL_INSTANCE_PATH", PROJECT_ROOT / "instance"))

DEV_SECRET_KEY = "dev-only-insecure-secret-key-change-me"
DEMO_PASSWORD = "demo-portal"
DEMO_EMAIL_DOMAIN = "demo.test"

ENVIRONMENTS = ("development", "testing", "production")

_DEFAULTS: dict[str, Any] = {
    "PORTAL_ENV": "development",
    "SECRET_KEY": DEV_SECRET_KEY,
    "DATABASE_URL": f"sqlite:///{INSTANCE_PATH / 'portal.sqlite3'}",
    "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
    # Search: "database" (embedded default) or "elasticsearch".
    "SEARCH_BACKEND": "database",
    "ELASTICSEARCH_URL": "http://127.0.0.1:9200",
    "ELASTICSEARCH_API_KEY": "",
    "ELASTICSEARCH_USERNAME": "",
    "ELASTICSEARCH_PASSWORD": "",
    "ELASTICSEARCH_CA_CERTS": "",
    "ELASTICSEARCH_INDEX_PREFIX": "portal",
    "ELASTICSEARCH_TIMEOUT": 5.0,
    #: primary shards of a new index and replicas of each (a rebuild loads with 0 and restores this)
    "ELASTICSEARCH_SHARDS": 1,
    "ELASTICSEARCH_REPLICAS": 0,
    #: processes that read and build the documents of `flask search reindex` (0: the command's own)
    "SEARCH_REINDEX_WORKERS": min(os.cpu_count() or 1, 8),
    # Storage: "local" (embedded default) or "s3".
    "STORAGE_BACKEND": "local",
    "STORAGE_LOCAL_PATH": str(INSTANCE_PATH / "media"),
    "S3_ENDPOINT_URL": "",
    "S3_BUCKET": "portal-media",
    "AWS_ACCESS_KEY_ID": "",
    "AWS_SECRET_ACCESS_KEY": "",
    "AWS_DEFAULT_REGION": "us-east-1",
    # Mail: "log" (embedded default: the mail log page) or "smtp".
    "MAIL_BACKEND": "log",
    "MAIL_FROM": "Werkportaal <no-reply@werkportaal.local>",
    "SMTP_HOST": "127.0.0.1",
    "SMTP_PORT": 25,
    "SMTP_USERNAME": "",
    "SMTP_PASSWORD": "",
    "SMTP_STARTTLS": False,
    "SMTP_TIMEOUT": 10.0,
    # Background work: "thread" (in-process worker, embedded default), "external"
    # (separate `flask worker` processes, production) or "manual" (tests run jobs explicitly).
    "BACKGROUND_MODE": "thread",
    # Accounts.
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_FAILURE_WINDOW_SECONDS": 15 * 60,
    "LOGIN_MAX_FAILURES_PER_IP": 30,
    # Failed logins for one account from all addresses together (distributed guessing).
    "LOGIN_MAX_FAILURES_PER_ACCOUNT": 50,
    # An address where this account logged in successfully within this many days is "known":
    # the per-address and per-account limits do not lock the owner out there.
    "LOGIN_KNOWN_ADDRESS_DAYS": 30,
    "PASSWORD_RESET_MAX_PER_ADDRESS": 5,
    "PASSWORD_RESET_MAX_PER_EMAIL": 3,
    "PASSWORD_RESET_WINDOW_SECONDS": 60 * 60,
    "PASSWORD_RESET_MAX_AGE_SECONDS": 60 * 60,
    "INVITATION_MAX_AGE_DAYS": 14,
    "PASSWORD_MIN_LENGTH": 10,
    # Candidates: employer detail views per account (distinct candidates), against harvesting.
    "CANDIDATE_VIEWS_PER_HOUR": 60,
    "CANDIDATE_VIEWS_PER_DAY": 200,
    # The same limits for all accounts of one organisation together.
    "CANDIDATE_VIEWS_PER_ORGANISATION_PER_HOUR": 150,
    "CANDIDATE_VIEWS_PER_ORGANISATION_PER_DAY": 500,
    # Repeated views of one candidate by one account within this time are one audited view.
    "CANDIDATE_VIEW_REPEAT_SECONDS": 30 * 60,
    # Video, poster and captions URLs handed to a viewer expire after this time.
    "MEDIA_URL_MAX_AGE_SECONDS": 2 * 60 * 60,
    # House style: a CSS file of design tokens (NL Design System custom properties) that replaces
    # portal/static/css/theme.css, e.g. a municipality's own tokens. Empty: the neutral Werkportaal theme.
    "THEME_CSS": "",
    # Web.
    "BABEL_DEFAULT_LOCALE": "nl",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
    "LANGUAGES": ("nl", "en"),
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "PERMANENT_SESSION_LIFETIME": 8 * 60 * 60,
    "WTF_CSRF_ENABLED": True,
    "WTF_CSRF_TIME_LIMIT": 8 * 60 * 60,
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    # Reverse proxies in front of the portal that set X-Forwarded-For/-Proto/-Host (0 = none:
    # the client address is the socket's). Set it to the number of proxies you run, never more:
    # each trusted hop lets the one before it choose the address that throttling sees.
    "TRUSTED_PROXY_HOPS": 0,
    # Strict-Transport-Security max-age in seconds (sent on every response when the portal is
    # served over https; 0 = no header).
    "HSTS_MAX_AGE_SECONDS": 365 * 24 * 60 * 60,
}

_PER_ENVIRONMENT: dict[str, dict[str, Any]] = {
    "development": {},
    "testing": {
        "BACKGROUND_MODE": "manual",
        "PASSWORD_MIN_LENGTH": 10,
    },
    "production": {
        "SESSION_COOKIE_SECURE": True,
        "REMEMBER_COOKIE_SECURE": True,
        "BACKGROUND_MODE": "external",
        "PREFERRED_URL_SCHEME": "https",
    },
}


class UnsafeConfiguration(RuntimeError):
    """Raised when the production configuration would run with an unsafe default."""


def _coerce(default: Any, raw: str) -> Any:
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, tuple):
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    return raw


def load_config(environ: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return the settings: defaults, then the environment's, then environment variables, then overrides."""
    environ = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    env_name = overrides.get("PORTAL_ENV") or environ.get("PORTAL_ENV") or _DEFAULTS["PORTAL_ENV"]
    if env_name not in ENVIRONMENTS:
        raise UnsafeConfiguration(f"PORTAL_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env_name!r}")
    config: dict[str, Any] = {**_DEFAULTS, **_PER_ENVIRONMENT[env_name]}
    for key, default in list(config.items()):
        if key in environ and environ[key] != "":
            config[key] = _coerce(default, environ[key])
    config.update(overrides)
    config["PORTAL_ENV"] = env_name
    config["TESTING"] = env_name == "testing" or bool(config.get("TESTING"))
    return config


def _low_entropy(key: str) -> bool:
    """A key of few distinct characters (e.g. 32 times the same one) or a known default."""
    return len(set(key)) < 12


def check_production_config(config: Mapping[str, Any]) -> None:
    """Refuse settings that are fine on a laptop but dangerous on a server."""
    if config["PORTAL_ENV"] != "production":
        return
    problems = []
    key = str(config["SECRET_KEY"])
    if key == DEV_SECRET_KEY or len(key) < 32:
        problems.append("SECRET_KEY is the development default or shorter than 32 characters")
    elif _low_entropy(key):
        problems.append("SECRET_KEY has too few distinct characters; generate one with "
                        "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`")
    if str(config["DATABASE_URL"]).startswith("sqlite"):
        problems.append("DATABASE_URL points at SQLite; production runs on PostgreSQL")
    if not config["SESSION_COOKIE_SECURE"]:
        problems.append("SESSION_COOKIE_SECURE is off")
    if not config.get("SESSION_COOKIE_HTTPONLY", True) or not config.get("REMEMBER_COOKIE_HTTPONLY", True):
        problems.append("SESSION_COOKIE_HTTPONLY or REMEMBER_COOKIE_HTTPONLY is off")
    if str(config.get("SESSION_COOKIE_SAMESITE") or "").lower() not in ("lax", "strict"):
        problems.append("SESSION_COOKIE_SAMESITE must be Lax or Strict")
    if not config.get("WTF_CSRF_ENABLED", True):
        problems.append("WTF_CSRF_ENABLED is off")
    if not str(config["PUBLIC_BASE_URL"]).startswith("https://"):
        problems.append("PUBLIC_BASE_URL must start with https://")
    if config["MAIL_BACKEND"] != "smtp":
        problems.append("MAIL_BACKEND must be smtp (the mail log sends nothing)")
    if int(config.get("HSTS_MAX_AGE_SECONDS") or 0) <= 0:
        problems.append("HSTS_MAX_AGE_SECONDS must be positive")
    if problems:
        raise UnsafeConfiguration("Refusing to start in production: " + "; ".join(problems))
