"""Elasticsearch down or slow: pages still load with a notice, saves go on, the backlog catches up.

How "down" is made, and why: the shared Elasticsearch node of the services plugin is used by
every engineer's tests, so it is never stopped. Instead the app's search backend is pointed at a
local port that was just closed — every request gets a real ECONNREFUSED from the kernel, the
same failure the client sees when a node is stopped — and afterwards back at the real node.
"Slow" is a real local TCP server that accepts connections and never answers, so the client's
timeout fires. No mocks: the real client, the real transport, real sockets.
"""
from __future__ import annotations

import socket
import threading

import pytest
from sqlalchemy import func, select

from portal.core import db, jobs
from search import outbox
from search.connection import make_client
from tests.search.factories import consent, levels, make_candidate

pytestmark = pytest.mark.elasticsearch


@pytest.fixture
def app_config(es_app_config):
    return {**es_app_config, "ELASTICSEARCH_TIMEOUT": 1.5}


def closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


class SilentServer:
    """Accepts TCP connections and never answers (a hung node)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.conns: list[socket.socket] = []
        self.stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
                self.conns.append(conn)
            except OSError:
                continue

    def close(self) -> None:
        self.stop.set()
        for conn in self.conns:
            conn.close()
        self.sock.close()


def point_at(app, backend, url: str) -> None:
    backend.client = make_client({**app.config, "ELASTICSEARCH_URL": url})
    backend.down_until = 0.0


def outbox_rows(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(outbox.SearchOutbox.id)))


@pytest.mark.parametrize("failure", ["refused", "hung"])
def test_search_down_pages_load_saves_continue_backlog_catches_up(app, backend, login_as, failure):
    from portal.candidates.models import Candidate
    from tests.search.conftest import settle

    am = login_as("account_manager")
    first = make_candidate(app, am.user, first_name="Yonas", skills=["occ.cook"], languages={"nl": levels(2, 2, 2, 2, 2)},
                           consents=[consent()])
    settle(app, backend)
    real_url = app.config["ELASTICSEARCH_URL"]
    assert "Yonas" in am.get("/zoeken?q=kok").get_data(as_text=True)

    silent = SilentServer() if failure == "hung" else None
    point_at(app, backend, f"http://127.0.0.1:{silent.port if silent else closed_port()}")
    try:
        # the page still loads, with the notice
        response = am.get("/zoeken?q=kok")
        assert response.status_code == 200
        assert "Zoeken is tijdelijk niet beschikbaar" in response.get_data(as_text=True)
        # writes continue: a new candidate and a change to an existing one commit normally
        second = make_candidate(app, am.user, first_name="Zahra", skills=["occ.cook"], consents=[consent()])
        with app.app_context():
            db.session.get(Candidate, first).ambitions = "kok in een grote keuken"
            db.commit()
        assert outbox_rows(app) >= 2  # kept, not lost
        with app.app_context():
            assert db.session.get(Candidate, second) is not None
            assert outbox.backlog()["size"] >= 2
            report = outbox.drain()  # a worker's attempt: fails, keeps the rows, records why
            assert report["failed"] >= 2
            status = outbox.backlog()
            assert status["size"] >= 2 and "unavailable" in status["last_error"] and status["max_attempts"] == 1
        # the health check reports search down without failing
        assert am.get("/healthz").status_code in (200, 503)
    finally:
        if silent:
            silent.close()

    # Elasticsearch is back: the periodic task sends the backlog
    point_at(app, backend, real_url)
    with app.app_context():
        db.session.execute(outbox.SearchOutbox.__table__.update().values(next_attempt_at=db.utcnow()))
        db.commit()
        jobs.run_periodic({})
    backend.refresh()
    assert outbox_rows(app) == 0
    page = am.get("/zoeken?q=kok").get_data(as_text=True)
    assert "Zahra" in page and "Yonas" in page
    assert "grote" in str(backend.indexed_documents([first])[first]["ambitions"])


def test_matching_page_shows_the_notice_when_search_is_down(app, backend, login_as, factory):
    from tests.search.test_pages import make_placement

    am = login_as("account_manager")
    placement_id = make_placement(app, factory.organisation())
    point_at(app, backend, f"http://127.0.0.1:{closed_port()}")
    response = am.get(f"/zoeken/plek/{placement_id}")
    assert response.status_code == 200
    assert "Zoeken is tijdelijk niet beschikbaar" in response.get_data(as_text=True)


def test_a_save_does_not_wait_on_a_dead_cluster_twice(app, backend, login_as, caplog):
    """After one failure the inline drain is skipped for a while (the worker retries): the second
    save does not ask the hung node at all (asserted on what was tried, not on a time, which a
    busy machine can stretch)."""
    am = login_as("account_manager")
    silent = SilentServer()
    point_at(app, backend, f"http://127.0.0.1:{silent.port}")
    tried = lambda: [r for r in caplog.records if "search backend unavailable" in r.getMessage()]  # noqa: E731
    try:
        with caplog.at_level("WARNING", logger="search.outbox"):
            make_candidate(app, am.user)  # first save: waits for the (short) inline timeout once
            assert len(tried()) == 1
            assert backend.recently_down
            make_candidate(app, am.user)  # second save: the node is not asked again
            assert len(tried()) == 1
    finally:
        silent.close()
