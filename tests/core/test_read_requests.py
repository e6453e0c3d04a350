"""Page views do not wait for each other: on SQLite a request with a safe method begins as a read
(portal.core.db), so it answers while another request or job holds the write lock; a page that
writes after all (an employer's first, audited view of a profile) and finds that another writer
committed meanwhile is run once more as a write request, and its view is audited exactly once.
Real commits on a database of the test's own (committing_app)."""
from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import event, func, select, text

from portal.accounts.models import User
from portal.core import db
from portal.core.audit import AuditEntry
from tests.candidates.factories import CandidateFactory
from tests.conftest import Client, Factory, both_databases

VIEWED = "candidate.viewed_by_employer"


def _employer_and_candidate(app):
    factory = Factory(app)
    candidate = CandidateFactory(factory).candidate(published=True)
    employer = factory.user("employer", organisation=factory.organisation(approved=True))
    client = Client(app)
    client.login(employer)
    return client, employer, candidate


@both_databases
def test_pages_answer_while_another_transaction_holds_the_write_lock(committing_app, database):
    app = committing_app
    client, employer, candidate = _employer_and_candidate(app)
    assert client.get(f"/kandidaten/{candidate.id}").status_code == 200  # the first, audited view writes
    writer = db.make_engine(app.config["DATABASE_URL"])
    answers: dict[str, int] = {}
    with writer.connect() as connection:  # a long save elsewhere: its write is open, not committed
        connection.begin()
        connection.execute(text("UPDATE users SET name = 'Bezig' WHERE id = :id"), {"id": employer.id})

        def visit() -> None:  # in a thread: the old behaviour waited here for the lock's whole timeout
            answers["account"] = client.get("/account").status_code
            answers["gallery"] = client.get("/kandidaten").status_code
            answers["candidate again"] = client.get(f"/kandidaten/{candidate.id}").status_code

        thread = threading.Thread(target=visit)
        thread.start()
        thread.join(timeout=8)
        assert not thread.is_alive(), "the page waited for another transaction's write lock"
        connection.rollback()
    writer.dispose()
    assert answers == {"account": 200, "gallery": 200, "candidate again": 200}


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_page_whose_write_meets_a_newer_commit_runs_again_and_audits_one_view(committing_app, database):
    app = committing_app
    client, employer, candidate = _employer_and_candidate(app)
    path = app.config["DATABASE_URL"].removeprefix("sqlite:///")
    begins: list[str] = []
    interleaved: list[bool] = []

    def before(_conn, _cursor, statement, *_args) -> None:
        if statement.startswith("BEGIN"):
            begins.append(statement)
        if statement.startswith("INSERT INTO audit_entries") and not interleaved:
            interleaved.append(True)  # another writer commits between this request's read and its write
            other = sqlite3.connect(path, isolation_level=None)
            other.execute("UPDATE users SET name = 'Tussendoor' WHERE id = ?", (employer.id,))
            other.close()

    with app.app_context():
        engine = db.engine()
    event.listen(engine, "before_cursor_execute", before)
    try:
        response = client.get(f"/kandidaten/{candidate.id}")
    finally:
        event.remove(engine, "before_cursor_execute", before)

    assert response.status_code == 200
    assert candidate.first_name in response.get_data(as_text=True)
    assert interleaved and begins[0] == "BEGIN DEFERRED" and "BEGIN IMMEDIATE" in begins[1:], begins
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEntry.id)).where(
            AuditEntry.action == VIEWED, AuditEntry.object_id == candidate.id)) == 1
        assert db.session.get(User, employer.id).name == "Tussendoor"  # the other writer's change stays


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_form_saves_still_take_the_write_lock_when_they_begin(committing_app, database):
    """Count-then-insert (capacity, rate limits) must not interleave: an unsafe method, a job or
    the CLI begins with BEGIN IMMEDIATE; a GET begins as a read."""
    app = committing_app
    client, _employer, _candidate = _employer_and_candidate(app)
    begins: list[str] = []

    def before(_conn, _cursor, statement, *_args) -> None:
        if statement.startswith("BEGIN"):
            begins.append(statement)

    with app.app_context():
        engine = db.engine()
    event.listen(engine, "before_cursor_execute", before)
    try:
        assert client.get("/account").status_code == 200
        page = list(begins)
        token = client.csrf_token()
        begins.clear()
        client.http.post("/account", data={"csrf_token": token})
        form = list(begins)
        begins.clear()
        with app.app_context():  # a job or a CLI command
            db.session.execute(select(1))
            db.rollback()
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert page == ["BEGIN DEFERRED"]
    assert form and set(form) == {"BEGIN IMMEDIATE"}, form
    assert begins == ["BEGIN IMMEDIATE"]
