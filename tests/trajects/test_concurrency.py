"""Two starts at once for the last place: one start, one clear message (SQLite and PostgreSQL).

Real commits on a database of its own (`committing_app`); real HTTP requests from threads released
together by a barrier, as in tests/events/test_concurrency.py.
"""
from __future__ import annotations

import threading
from collections import Counter

from sqlalchemy import func, select

from portal.core import db
from portal.trajects.models import PlacementStart, Traject, TrajectStage
from tests.conftest import CSRF_RE, Client, Factory, both_databases
from tests.events.test_concurrency import _clone
from tests.trajects.factories import TrajectFactory
from tests.trajects.test_starts import start_data

pytestmark = both_databases


def _fire(app, logged_in, urls, payload):
    token = CSRF_RE.search(logged_in.http.get(urls[0]).get_data(as_text=True)).group(1)
    clients = [_clone(app, logged_in) for _ in urls]
    barrier = threading.Barrier(len(urls))
    results: list[tuple[int, str]] = [(0, "")] * len(urls)

    def run(i: int) -> None:
        barrier.wait()
        try:
            response = clients[i].post(urls[i], data={"csrf_token": token, **payload})
            results[i] = (response.status_code, response.get_data(as_text=True))
        except Exception as exc:  # noqa: BLE001 - recorded, asserted below
            results[i] = (-1, repr(exc))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(urls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_two_starts_at_once_for_the_last_place(committing_app):
    app = committing_app
    factory = Factory(app)
    trajects = TrajectFactory(factory)
    manager = factory.user("account_manager")
    employer = factory.user("employer")
    placement = trajects.placement(employer.organisation_id, places=1)
    ids = [trajects.traject(trajects.candidate(manager), placement, stage="met").id for _ in range(4)]
    client = Client(app)
    client.login(manager)
    results = _fire(app, client, [f"/trajecten/{i}/start" for i in ids], start_data())
    statuses = Counter(status for status, _body in results)
    assert statuses[302] == 1, statuses
    assert set(statuses) <= {302, 400, 503}, statuses
    refused = [body for status, body in results if status == 400]
    assert all("inmiddels vol" in body or "erg druk" in body for body in refused)
    with app.app_context():
        assert db.session.scalar(select(func.count(PlacementStart.id))) == 1
        assert db.session.scalar(select(func.count(Traject.id)).where(
            Traject.placement_id == placement.id, Traject.stage == TrajectStage.STARTED)) == 1
