"""Elasticsearch really stopped and started again during a test.

`test_unavailable.py` fakes nothing either, but it only points the backend at a closed port. Here
a private single-node Elasticsearch (started with the project's own services tool, on ports of its
own and a throwaway state directory, so the shared node of the other tests is untouched) is
stopped while the portal is in use, and started again: the search page shows the notice, saves go
on, and once the node is back the worker sends the backlog and the search finds the changes.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.core import db, jobs
from search import outbox
from tests.plugins.services import service_unavailable
from tests.search.conftest import es_test_config, settle
from tests.search.factories import consent, levels, make_candidate

pytestmark = [pytest.mark.elasticsearch, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


class PrivateNode:
    """A second Elasticsearch node, driven through `python -m config.services`."""

    def __init__(self) -> None:
        self.state = tempfile.mkdtemp(prefix="portal-es-outage-")
        os.chmod(self.state, 0o755)
        self.env = {k: v for k, v in os.environ.items() if k != "ELASTICSEARCH_URL"}
        self.env.update(PORTAL_SERVICES_DIR=self.state, PORTAL_SERVICES_PORT_OFFSET="173")
        self.url = "http://127.0.0.1:59373"

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "config.services", *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=300)

    def start(self) -> None:
        result = self._run("up", "--no-apt", "--only", "elasticsearch")
        if result.returncode != 0:
            service_unavailable(f"private Elasticsearch node did not start: {result.stdout[-800:]}{result.stderr[-800:]}")

    def stop(self) -> None:
        result = self._run("down", "--only", "elasticsearch")
        assert result.returncode == 0, result.stdout + result.stderr

    def purge(self) -> None:
        self._run("down", "--purge")


@pytest.fixture(scope="module")
def node(elasticsearch_url):  # the shared node's fixture: same skip/fail rule when ES cannot run here
    private = PrivateNode()
    private.start()
    yield private
    private.purge()


@pytest.fixture
def app_config(node):
    return {**es_test_config(node.url), "ELASTICSEARCH_TIMEOUT": 2.0}


def test_stopping_elasticsearch_shows_the_notice_and_restarting_catches_up(app, backend, login_as, node):
    from portal.candidates.models import Candidate

    am = login_as("account_manager")
    yonas = make_candidate(app, am.user, first_name="Yonas", skills=["occ.cook"],
                           languages={"nl": levels(2, 2, 2, 2, 2)}, consents=[consent()])
    settle(app, backend)
    assert "Yonas" in am.get("/zoeken?q=kok").get_data(as_text=True)

    node.stop()
    try:
        page = am.get("/zoeken?q=kok")
        assert page.status_code == 200
        assert "Zoeken is tijdelijk niet beschikbaar" in page.get_data(as_text=True)
        assert am.get("/healthz").json["search"] == "down"
        zahra = make_candidate(app, am.user, first_name="Zahra", skills=["occ.cook"], consents=[consent()])
        with app.app_context():
            db.session.get(Candidate, yonas).ambitions = "kok in een grote keuken"
            db.commit()
            assert db.session.get(Candidate, zahra) is not None  # the save went through
            assert db.session.scalar(select(func.count(outbox.SearchOutbox.id))) >= 2  # kept, not lost
    finally:
        node.start()

    with app.app_context():
        db.session.execute(outbox.SearchOutbox.__table__.update().values(next_attempt_at=db.utcnow()))
        db.commit()
        backend.down_until = 0.0
        jobs.run_periodic({})  # what every worker does every few seconds
        assert db.session.scalar(select(func.count(outbox.SearchOutbox.id))) == 0
    backend.refresh()
    page = am.get("/zoeken?q=kok").get_data(as_text=True)
    assert "Zahra" in page and "Yonas" in page
    assert am.get("/healthz").json["search"] == "up"
