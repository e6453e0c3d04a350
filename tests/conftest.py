"""Shared fixtures: the app on a migrated database (SQLite, or PostgreSQL where asked), a transaction
rolled back per test, factory fixtures, and test-client helpers that speak CSRF.

- `app`, `client`, `factory` — the usual trio. The database is migrated once per session with
  Alembic (never create_all); each test runs inside an outer transaction that is rolled back.
- `database` — "sqlite" by default; mark a module or test with `both_databases` to run it on
  SQLite and on the real PostgreSQL of the services plugin.
- `committing_app` — an app on its own freshly migrated database whose commits are real (for
  concurrency tests and the live server of browser tests).
"""
from __future__ import annotations

import itertools
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

pytest_plugins = ["tests.plugins.services"]
pytest.register_assert_rewrite("tests.statements")  # its budget asserts report like the tests' own

os.environ.setdefault("PORTAL_INSTANCE_PATH", str(Path(__file__).resolve().parent.parent / "instance" / "test"))

from portal import create_app  # noqa: E402
from portal.core import db, migrate  # noqa: E402

both_databases = pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)

TEST_CONFIG = {
    "PORTAL_ENV": "testing",
    "SECRET_KEY": "test-secret-key-that-is-long-enough-000000",
    "BACKGROUND_MODE": "manual",
    "MAIL_BACKEND": "log",
    "SEARCH_BACKEND": "database",
    "STORAGE_BACKEND": "local",
    "PUBLIC_BASE_URL": "http://portal.test",
}


def _migrate_sqlite(path: Path) -> str:
    url = f"sqlite:///{path}"
    engine = db.make_engine(url)
    with engine.begin() as connection:
        migrate.upgrade(connection)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _migrate_sqlite(tmp_path_factory.mktemp("db") / "portal.sqlite3")


class PostgresDatabases:
    """Creates throwaway, migrated databases on the test PostgreSQL server."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
        self.created: list[str] = []

    def create(self) -> str:
        name = f"portal_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        url = self.server_url.rsplit("/", 1)[0] + "/" + name
        engine = db.make_engine(url)
        with engine.begin() as connection:
            migrate.upgrade(connection)
        engine.dispose()
        return url

    def drop_all(self) -> None:
        """Drop the throwaway databases; one that cannot be dropped now is left for the next run."""
        import warnings

        with self.admin.connect() as conn:
            for name in self.created:
                try:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                except Exception as exc:  # noqa: BLE001 - clean-up must not fail the session
                    warnings.warn(f"could not drop test database {name}: {exc}")
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres_databases(postgres_url: str) -> Iterator[PostgresDatabases]:
    databases = PostgresDatabases(postgres_url)
    yield databases
    databases.drop_all()


@pytest.fixture(scope="session")
def postgres_test_url(postgres_databases: PostgresDatabases) -> str:
    return postgres_databases.create()


@pytest.fixture
def database(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture
def database_url(request: pytest.FixtureRequest, database: str) -> str:
    if database == "postgres":
        return request.getfixturevalue("postgres_test_url")
    return request.getfixturevalue("sqlite_url")


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Override in a module to change settings for its tests."""
    return {}


@pytest.fixture
def app(database_url: str, app_config: dict[str, Any], tmp_path: Path) -> Iterator[Any]:
    engine = db.make_engine(database_url)
    connection = engine.connect()
    outer = connection.begin()
    config = {**TEST_CONFIG, "DATABASE_URL": database_url, "STORAGE_LOCAL_PATH": str(tmp_path / "media"), **app_config}
    application = create_app(config, environ={}, db_bind=connection)
    yield application
    outer.rollback()
    connection.close()
    engine.dispose()


@pytest.fixture
def committing_app(request: pytest.FixtureRequest, database: str, app_config: dict[str, Any], tmp_path: Path) -> Any:
    """An app whose transactions really commit, on a database of its own."""
    if database == "postgres":
        url = request.getfixturevalue("postgres_databases").create()
    else:
        url = _migrate_sqlite(tmp_path / "committing.sqlite3")
    config = {**TEST_CONFIG, "DATABASE_URL": url, "STORAGE_LOCAL_PATH": str(tmp_path / "media"), **app_config}
    return create_app(config, environ={})


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class Client:
    """A test client that logs in and posts forms with a CSRF token, as a browser would."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.http = app.test_client()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.http, name)

    def csrf_token(self) -> str:
        match = CSRF_RE.search(self.http.get("/privacy").get_data(as_text=True))
        assert match, "no CSRF token on the page"
        return match.group(1)

    def post_form(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        payload = {"csrf_token": self.csrf_token(), **(data or {})}
        return self.http.post(url, data=payload, **kwargs)

    def login(self, user_or_email: Any, password: str = "correct horse battery") -> Any:
        email = getattr(user_or_email, "email", user_or_email)
        response = self.post_form("/login", {"email": email, "password": password})
        assert response.status_code == 302, f"login of {email} failed: {response.status_code}"
        return response

    def logout(self) -> Any:
        return self.post_form("/logout")


@pytest.fixture
def client(app: Any) -> Client:
    return Client(app)


@pytest.fixture
def make_client(app: Any):
    return lambda: Client(app)


_counter = itertools.count(1)


class Factory:
    """Factory fixtures: `factory.user(role=...)`, `factory.organisation(...)`; areas add their own."""

    password = "correct horse battery"

    def __init__(self, app: Any) -> None:
        self.app = app

    def _save(self, obj: Any) -> Any:
        with self.app.app_context():
            db.session.add(obj)
            db.commit()
            return obj

    def organisation(self, *, approved: bool = True, **fields: Any) -> Any:
        from portal.accounts.models import Organisation, OrganisationStatus

        n = next(_counter)
        values = dict(
            name=f"Organisatie {n}", kvk_number=f"{10000000 + n:08d}", sector="logistiek",
            street_address="Stationsstraat 1", postcode="1011 AB", city="Amsterdam", municipality="Amsterdam",
            contact_name="Contact Persoon", contact_email=f"contact{n}@example.nl",
            status=OrganisationStatus.APPROVED if approved else OrganisationStatus.PENDING,
        )
        values.update(fields)
        return self._save(Organisation(**values))

    def user(self, role: Any = "employer", *, organisation: Any = None, password: str | None = None, **fields: Any) -> Any:
        from portal.accounts.models import User
        from portal.accounts.passwords import hash_password
        from portal.core.roles import Role

        role = Role(role)
        if role == Role.EMPLOYER and organisation is None:
            organisation = self.organisation()
        n = next(_counter)
        values = dict(
            email=f"{role.value}{n}@example.nl", name=f"{role.label} {n}", role=role,
            password_hash=_password_hash(password or self.password),
            organisation_id=organisation.id if organisation is not None else None,
        )
        if role == Role.ACCOUNT_MANAGER:
            values["municipality"] = "Zaanstad"  # the candidate factories' default municipality
        values.update(fields)
        return self._save(User(**values))


_HASHES: dict[str, str] = {}


def _password_hash(password: str) -> str:
    """argon2 is slow on purpose; hash each test password once per session."""
    from portal.accounts.passwords import hash_password

    if password not in _HASHES:
        _HASHES[password] = hash_password(password)
    return _HASHES[password]


@pytest.fixture
def factory(app: Any) -> Factory:
    return Factory(app)


@pytest.fixture
def login_as(factory: Factory, make_client: Any):
    """`login_as("wsp")` -> a logged-in Client for a new user of that role."""

    def login(role: str, **kwargs: Any) -> Client:
        user = factory.user(role, **kwargs)
        c = make_client()
        c.login(user)
        c.user = user
        return c

    return login


@pytest.fixture
def live_portal(committing_app: Any, wsgi_server: Any) -> tuple[Any, str]:
    """The portal with its demo data, served on loopback for browser tests: (app, base URL)."""
    from portal import demo

    with committing_app.app_context():
        demo.load()
        db.commit()
    return committing_app, wsgi_server(committing_app)
