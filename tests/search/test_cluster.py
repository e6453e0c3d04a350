"""The portal on a 3-node Elasticsearch cluster: losing a node loses neither searches nor saves.

A private cluster (config.services.es_cluster: three nodes on loopback, 512 MB heap each, its own
directory, never the shared node) holds the index with one replica. One node is stopped while a
thread keeps searching and candidates are saved; searches go on answering, every save reaches
the index, the cluster turns green again when the node returns, and a reindex with alias swap
works on the cluster.
"""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from tests.search.conftest import settle
from tests.search.factories import consent, levels, make_candidate

pytestmark = [pytest.mark.elasticsearch, pytest.mark.slow]


@pytest.fixture(scope="module")
def cluster(elasticsearch_url):  # the single node answering proves the distribution is installed
    from config.services.es_cluster import Cluster

    base = os.environ.get("PORTAL_ES_CLUSTER_DIR")
    instance = Cluster(Path(base) if base else None, nodes=3, heap="512m")
    instance.start()
    yield instance
    instance.stop()


@pytest.fixture
def app_config(cluster):
    import uuid

    return {"SEARCH_BACKEND": "elasticsearch", "ELASTICSEARCH_URL": ",".join(cluster.urls),
            "ELASTICSEARCH_INDEX_PREFIX": f"test-{uuid.uuid4().hex[:12]}", "ELASTICSEARCH_TIMEOUT": 10.0,
            "ELASTICSEARCH_SHARDS": 3, "ELASTICSEARCH_REPLICAS": 1}


def add(app, owner, n, tag):
    return [make_candidate(app, owner, first_name=f"{tag}{i}", skills=["occ.warehouse_worker"], ambitions="magazijn",
                           consents=[consent()], languages={"nl": levels(2, 2, 2, 2, 2)}) for i in range(n)]


def test_searches_and_saves_survive_a_lost_node(app, factory, backend, cluster):
    from search import SearchQuery, SearchUnavailable, outbox, run
    from search.maintenance import reindex

    owner = factory.user("account_manager")
    before = add(app, owner, 20, "Voor")
    settle(app, backend)
    assert backend.client.indices.get_settings(index=backend.alias)  # the index lives on the cluster
    cluster.wait_for(3, "green")

    answers, failures = [], []
    stop = threading.Event()

    def searching():
        while not stop.is_set():
            with app.app_context():
                try:
                    answers.append(run(SearchQuery(skills=("occ.warehouse_worker",), limit=5)).total)
                except SearchUnavailable as exc:
                    failures.append(str(exc))
            time.sleep(0.05)

    searcher = threading.Thread(target=searching)
    searcher.start()
    try:
        time.sleep(1)
        cluster.stop_node(1)
        during = add(app, owner, 10, "Tijdens")  # saves while the node is gone
        time.sleep(2)
        answered_while_down = len(answers)
    finally:
        stop.set()
        searcher.join()
    assert not failures, failures[:3]
    assert answered_while_down > 10 and all(total >= 20 for total in answers)
    with app.app_context():
        assert outbox.drain_all()["failed"] == 0  # whatever an inline send could not do, the drain did
    backend.refresh()
    with app.app_context():
        found = set(run(SearchQuery(skills=("occ.warehouse_worker",), limit=100)).ids)
    assert set(before) | set(during) <= found  # nothing saved was lost

    cluster.start_node(1)
    assert cluster.wait_for(3, "green", timeout=240)["status"] == "green"

    with app.app_context():
        old_index = backend.current_index()
        report = reindex()
        assert report["errors"] == 0 and report["documents"] == 30
        assert backend.current_index() != old_index
        assert set(run(SearchQuery(skills=("occ.warehouse_worker",), limit=100)).ids) == found
    settings = backend.client.indices.get_settings(index=backend.alias)
    (index_settings,) = settings.values()
    assert index_settings["settings"]["index"]["number_of_replicas"] == "1"  # restored after the bulk load
    assert cluster.wait_for(3, "green", timeout=240)["status"] == "green"
