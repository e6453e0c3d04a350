"""The rebuild's fast path: the same documents as the models give, built in worker processes or
here, and a rebuild that keeps what changes while it runs."""
from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from portal.core import db
from tests.conftest import Factory, both_databases
from tests.search.conftest import es_test_config
from tests.search.factories import consent, levels, make_candidate


def _variety(app: Any, owner: Any, organisations: list[Any]) -> list[int]:
    """Candidates with every kind of value the document carries (and synthetic ones for the mix)."""
    from search import synthetic

    made = [
        make_candidate(app, owner, languages={"nl": levels(2, 1, 3, 0, 1), "ar": levels(6, 6, 6, 6, 5)},
                       skills=["occ.cook", "skill.table_service", "no.such.skill"], sectors=["horeca"],
                       availability=["mon_morning", "wed_evening"], ambitions="Koken",
                       experiences=[("occ.cook", "Kok in Aleppo"), (None, "Vrijwilliger"), ("occ.baker", "")],
                       consents=[consent(scope="selected_organisations", organisations=organisations),
                                 consent(recorded_days_ago=400, days=30)]),
        make_candidate(app, owner, status="paused", postcode_area="9999", consents=[consent(withdrawn=True)]),
        make_candidate(app, owner, status="intake", municipality="Amsterdam", postcode_area="1011"),
        make_candidate(app, owner, consents=[consent(days=90), consent(recorded_days_ago=30)]),
    ]
    with app.app_context():
        made += synthetic.generate(40, owner.id, seed=7, organisation_ids=[o.id for o in organisations])
        db.commit()
    return made


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return list(a) == list(b) and json.dumps(a) == json.dumps(b)


@both_databases
def test_the_bulk_path_builds_exactly_the_documents_of_the_models(app, factory):
    """The rebuild reads plain rows, not models; its documents must not differ in any field."""
    from portal.candidates.models import Candidate
    from search.documents import candidate_document, documents_for, documents_in_range, own_connection

    organisations = [factory.organisation(), factory.organisation()]
    ids = _variety(app, factory.user("account_manager"), organisations)
    with app.app_context():
        now = db.utcnow()
        expected = [candidate_document(db.session.get(Candidate, i), now) for i in sorted(ids)]
        by_ids, gone = documents_for(ids, now)
        with own_connection(db.session.get_bind()) as reader:
            by_range = documents_in_range(reader, min(ids), max(ids), now)
    assert gone == [] and len(expected) == len(ids) == 44
    assert [d["id"] for d in by_range] == sorted(ids)
    assert all(_same(a, b) for a, b in zip(expected, by_ids, strict=True))
    assert all(_same(a, b) for a, b in zip(expected, by_range, strict=True))
    assert expected[0]["consent"]["scope_organisation_ids"] == sorted(o.id for o in organisations)
    assert expected[1]["consent"] is None and expected[3]["consent"]["valid_until"] != expected[0]["consent"]["valid_until"]


@both_databases
def test_worker_processes_build_the_same_bodies_as_one_process(committing_app):
    """Each worker reads its own id ranges on its own connection; the bodies come back in id order."""
    from search.builders import bulk_bodies

    app = committing_app
    factory = Factory(app)
    ids = _variety(app, factory.user("account_manager"), [factory.organisation()])
    with app.app_context():
        now, bind = db.utcnow(), db.session.get_bind()
        here = list(bulk_bodies(bind, now=now, version=7, batch_size=5, workers=0))
        in_workers = list(bulk_bodies(bind, now=now, version=7, batch_size=5, workers=2))
    assert len(here) == 9 and sum(n for n, _ in here) == len(ids)
    assert in_workers == here
    first_action = json.loads(here[0][1].split(b"\n")[0])
    assert first_action == {"index": {"_id": str(min(ids)), "version": 7, "version_type": "external"}}


@pytest.mark.elasticsearch
def test_a_rebuild_keeps_the_changes_made_while_it_runs(committing_app, elasticsearch_url, monkeypatch):
    """Saved, deleted and new candidates during a rebuild (in workers): the index ends up as the database.

    The documents of the first id range are read before the changes and sent after them, the
    worst order: the stale copy must neither replace the newer document nor bring back the
    deleted candidate.
    """
    from portal.candidates.models import Candidate
    from search import current_backend, maintenance, outbox
    from search.maintenance import reindex

    app = committing_app
    app.config.update(es_test_config(elasticsearch_url))
    owner = Factory(app).user("account_manager")
    ids = [make_candidate(app, owner, ambitions="oud", consents=[consent()]) for _ in range(8)]
    changed, deleted = ids[0], ids[1]
    created: list[int] = []
    stale_first: list[dict[str, Any]] = []

    def change_elsewhere() -> None:  # another thread, session and connection: like a web request
        with app.app_context():
            db.session.get(Candidate, changed).ambitions = "nieuw"
            db.session.delete(db.session.get(Candidate, deleted))
            db.commit()
            outbox.drain_all()
        created.append(make_candidate(app, owner, ambitions="nieuw", consents=[consent()]))
        with app.app_context():
            outbox.drain_all()

    real = maintenance.bulk_bodies

    def racing(*args: Any, **kwargs: Any) -> Any:
        bodies = real(*args, **kwargs)
        first = next(bodies)
        stale_first.extend(json.loads(line) for line in first[1].splitlines()[1::2])
        worker = threading.Thread(target=change_elsewhere)
        worker.start()
        worker.join(60)
        assert not worker.is_alive(), "the change waited for the rebuild (a lock held by the rebuild?)"
        yield first
        yield from bodies

    monkeypatch.setattr(maintenance, "bulk_bodies", racing)
    with app.app_context():
        backend = current_backend()
        try:
            report = reindex(chunk_size=2, workers=2)
            backend.refresh()
            indexed = backend.indexed_documents(ids + created)
        finally:
            backend.drop_all()
    assert [d["ambitions"] for d in stale_first if d["id"] in (changed, deleted)] == ["oud", "oud"]
    assert report["errors"] == 0 and report["documents"] >= 7
    assert sorted(indexed) == sorted(set(ids + created) - {deleted})
    assert indexed[changed]["ambitions"] == "nieuw" and indexed[created[0]]["ambitions"] == "nieuw"


@pytest.mark.elasticsearch
@pytest.mark.parametrize("database", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_a_change_saved_during_a_rebuild_with_a_lower_outbox_id_reaches_the_index(committing_app, elasticsearch_url):
    """PostgreSQL hands out outbox ids at insert: a save still open when the rebuild starts may hold
    a lower id than a row already committed and not yet sent. The rebuild then reads the candidate
    before the change and gives its copy a version above the change's; the change's own write is
    refused as older, and must be asked again under a new id (search.outbox.drain), or the saved
    change never reaches the index."""
    from sqlalchemy import insert

    from portal.candidates.models import Candidate
    from search import current_backend, outbox
    from search.maintenance import reindex

    app = committing_app
    app.config.update(es_test_config(elasticsearch_url))
    owner = Factory(app).user("account_manager")
    slow, quick = (make_candidate(app, owner, ambitions="oud", consents=[consent()]) for _ in range(2))
    with app.app_context():
        outbox.drain_all()
    flushed, commit_now = threading.Event(), threading.Event()
    done: list[str] = []

    def slow_save() -> None:  # a request that writes its outbox row, then takes its time to commit
        with app.app_context():
            db.session.get(Candidate, slow).ambitions = "nieuw"
            db.session.flush()
            flushed.set()
            commit_now.wait(60)
            db.commit()
            outbox.drain_all()

    def rebuild() -> None:
        with app.app_context():
            done.append(reindex()["index"])

    saver = threading.Thread(target=slow_save)
    saver.start()
    assert flushed.wait(30)
    with app.app_context():  # a higher outbox id, committed first and still waiting to be sent
        now = db.utcnow()
        db.session.execute(insert(outbox.SearchOutbox.__table__), [
            {"candidate_id": quick, "created_at": now, "next_attempt_at": now, "attempts": 0}])
        db.session.commit()
    rebuilder = threading.Thread(target=rebuild)
    rebuilder.start()
    rebuilder.join(120)  # the rebuild does not wait for the open save
    commit_now.set()
    saver.join(60)
    with app.app_context():
        backend = current_backend()
        try:
            outbox.drain_all()
            backend.refresh()
            indexed = backend.indexed_documents([slow, quick])
        finally:
            backend.drop_all()
    assert done, "the rebuild did not finish"
    assert indexed[quick]["ambitions"] == "oud"
    assert indexed[slow]["ambitions"] == "nieuw"
