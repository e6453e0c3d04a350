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


def test_every_worker_keeps_the_query_planner_informed_of_table_sizes(app, factory, database):
    """SQLite guesses table sizes without statistics (and sorted every visible candidate for the
    gallery's newest twelve); the workers' periodic task gathers them. PostgreSQL's autovacuum
    keeps its own: there the task leaves the database alone."""
    from portal.core import jobs

    organisation = factory.organisation()
    for i in range(5):
        factory.user("employer", organisation=organisation, email=f"stats{i}@example.nl")
    task = jobs._PERIODIC["core.planner_statistics"]
    assert task.interval <= 60 * 60
    with app.app_context():
        task.func()
        if database == "sqlite":
            stats = dict(db.session.execute(text("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'users'")).all())
            users = db.session.scalar(text("SELECT count(*) FROM users"))
            # per index: "<rows> <rows per distinct first column> ..."; the unique e-mail is one row each
            assert stats and all(int(stat.split()[0]) == users for stat in stats.values())
            assert users >= 5
