"""The schema's own guarantees, on SQLite and on the real PostgreSQL."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from portal.accounts.models import Organisation, User
from portal.core import db, migrate
from portal.core.roles import Role
from tests.conftest import both_databases

pytestmark = both_databases


def _insert_user(app, **fields) -> None:
    with app.app_context():
        db.session.add(User(password_hash="x", name="Test", **fields))
        db.session.flush()


def test_email_is_unique_whatever_its_case_even_for_raw_inserts(app, factory):
    factory.user("wsp", email="anna@example.nl")
    with app.app_context(), pytest.raises(IntegrityError):
        db.session.execute(text(
            "INSERT INTO users (email, password_hash, name, role, active, locale, created_at, updated_at) "
            "VALUES ('ANNA@example.nl', 'x', 'Anna', 'wsp', true, 'nl', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ))


def test_an_employer_belongs_to_exactly_one_organisation(app, factory):
    org = factory.organisation()
    with pytest.raises(IntegrityError):
        _insert_user(app, email="zonder@example.nl", role=Role.EMPLOYER)
    with pytest.raises(IntegrityError):
        _insert_user(app, email="staf@example.nl", role=Role.WSP, organisation_id=org.id)


def test_kvk_number_has_eight_characters_and_is_unique(app, factory):
    factory.organisation(kvk_number="11112222")
    with pytest.raises(IntegrityError):
        factory.organisation(kvk_number="11112222")
    with pytest.raises(IntegrityError):
        factory.organisation(kvk_number="123")


def test_timestamps_come_back_in_utc(app, factory):
    amsterdam = dt.timezone(dt.timedelta(hours=1))
    user = factory.user("admin", last_login_at=dt.datetime(2026, 11, 22, 12, 0, tzinfo=amsterdam))
    with app.app_context():
        stored = db.session.get(User, user.id).last_login_at
    assert stored == dt.datetime(2026, 11, 22, 11, 0, tzinfo=dt.timezone.utc)
    assert stored.tzinfo is not None


def test_role_outside_the_list_is_refused_by_the_database(app):
    with app.app_context(), pytest.raises(IntegrityError):
        db.session.execute(text(
            "INSERT INTO users (email, password_hash, name, role, active, locale, created_at, updated_at) "
            "VALUES ('x@example.nl', 'x', 'X', 'superuser', true, 'nl', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ))


def test_migrations_go_down_and_up_again(request, database, tmp_path):
    if database == "postgres":
        url = request.getfixturevalue("postgres_databases").create()
    else:
        url = f"sqlite:///{tmp_path / 'updown.sqlite3'}"
        migrate.upgrade(url=url)
    engine = db.make_engine(url)
    try:
        with engine.begin() as connection:
            migrate.downgrade(connection, revision="base")
            migrate.upgrade(connection)
            tables = set(db.Base.metadata.tables)
            present = set(engine.dialect.get_table_names(connection))
        assert tables <= present
    finally:
        engine.dispose()
