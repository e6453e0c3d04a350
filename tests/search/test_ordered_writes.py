"""Documents carry external versions (the outbox id): an older copy never replaces a newer one.

The concurrent test runs several workers draining the outbox at once while eight candidates keep
changing; one bulk request with an older copy is held up on the way until newer copies are in
(a slow link), the others are delayed at random, so copies arrive out of order. Afterwards the index holds exactly the candidate's latest document.
"""
from __future__ import annotations

import random
import threading
import time

import pytest
from sqlalchemy import select

from portal.core import db
from tests.search.conftest import es_test_config
from tests.search.factories import consent, levels, make_candidate

pytestmark = pytest.mark.elasticsearch


@pytest.fixture
def app_config(elasticsearch_url):
    return es_test_config(elasticsearch_url)


def indexed(backend, candidate_id):
    backend.refresh()
    return backend.indexed_documents([candidate_id]).get(candidate_id)


def test_an_older_copy_arriving_late_is_refused(app, factory, backend):
    from search.documents import documents_for

    owner = factory.user("account_manager")
    cid = make_candidate(app, owner, ambitions="oud", consents=[consent()], languages={"nl": levels(1, 1, 1, 1, 1)})
    with app.app_context():
        docs, _ = documents_for({cid})
    newer = {**docs[0], "ambitions": "nieuw"}
    assert backend.write_versioned([newer], [], {cid: 20}) == (set(), set())
    failed, stale = backend.write_versioned(docs, [], {cid: 10})  # the older copy, late
    assert failed == set() and stale == {cid}
    assert indexed(backend, cid)["ambitions"] == "nieuw"
    # a delete with an older version does not remove the newer document either
    assert backend.write_versioned([], [cid], {cid: 15}) == (set(), {cid})
    assert indexed(backend, cid)["ambitions"] == "nieuw"
    assert backend.write_versioned([], [cid], {cid: 21}) == (set(), set())
    assert indexed(backend, cid) is None


# PostgreSQL: drains really run side by side there (SQLite's BEGIN IMMEDIATE serialises them)
@pytest.mark.parametrize("database", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_several_workers_draining_at_once_leave_the_latest_document(committing_app, backend, monkeypatch):
    from portal.accounts.models import User
    from portal.candidates.models import Candidate
    from search import current_backend, outbox
    from search.documents import documents_for

    app = committing_app
    with app.app_context():
        live = current_backend()  # this app's backend (same index prefix as `backend`, which cleans up)
        owner = User(email="am-ordered@example.nl", name="AM", role="account_manager", password_hash="x")
        db.session.add(owner)
        db.session.commit()
        live.ensure_index()
    ids = [make_candidate(app, owner, ambitions="versie 0", consents=[consent()], languages={"nl": levels(1, 1, 1, 1, 1)})
           for _ in range(8)]
    with app.app_context():
        outbox.drain_all()

    original = live.write_versioned
    rng = random.Random(4)

    held_back = threading.Event()

    def slow_network(docs, *args, **kwargs):
        # the first bulk request carrying "versie 4" is held up on the way (a slow link) until
        # the newer copies are in; every other request is delayed a little, at random
        if any(d["ambitions"] == "versie 4" for d in docs) and not held_back.is_set():
            held_back.set()
            time.sleep(0.6)
        else:
            time.sleep(rng.random() * 0.03)
        return original(docs, *args, **kwargs)

    monkeypatch.setattr(live, "write_versioned", slow_network)
    stop = threading.Event()
    errors: list[BaseException] = []

    def worker():
        try:
            while not stop.is_set():
                with app.app_context():
                    outbox.drain(include_future=True)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for version in range(1, 6):
        with app.app_context():
            for candidate in db.session.scalars(select(Candidate).where(Candidate.id.in_(ids))):
                candidate.ambitions = f"versie {version}"
            db.session.commit()  # no inline drain: only the workers send
        time.sleep(0.1)
    time.sleep(1.0)
    stop.set()
    for t in threads:
        t.join()
    assert not errors
    assert held_back.is_set(), "an older copy was sent late"
    with app.app_context():
        outbox.drain_all()
        expected, _ = documents_for(set(ids))
    assert {doc["ambitions"] for doc in expected} == {"versie 5"}
    live.refresh()
    assert live.indexed_documents(ids) == {doc["id"]: doc for doc in expected}
