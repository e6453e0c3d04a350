"""Search test fixtures: the contract suite's backend parameter and a small world of candidates.

`search_backend_name` is "database" or "elasticsearch" (marked `elasticsearch`: it needs the real
node of the services plugin; skipped locally and failing under CI=true when it does not answer).
A module opts into running every test against both backends with

    app_config = contract_app_config   # (see test_contract.py)

Each Elasticsearch test gets its own index prefix, removed afterwards.
"""
from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.search.factories import consent, levels, make_candidate

BACKENDS = ["database", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)]


@pytest.fixture(params=BACKENDS)
def search_backend_name(request: pytest.FixtureRequest) -> str:
    return request.param


def es_test_config(url: str) -> dict[str, Any]:
    return {"SEARCH_BACKEND": "elasticsearch", "ELASTICSEARCH_URL": url,
            "ELASTICSEARCH_INDEX_PREFIX": f"test-{uuid.uuid4().hex[:12]}", "ELASTICSEARCH_TIMEOUT": 10.0}


@pytest.fixture
def contract_app_config(request: pytest.FixtureRequest, search_backend_name: str) -> dict[str, Any]:
    if search_backend_name == "elasticsearch":
        return es_test_config(request.getfixturevalue("elasticsearch_url"))
    return {"SEARCH_BACKEND": "database"}


@pytest.fixture
def es_app_config(elasticsearch_url: str) -> dict[str, Any]:
    return es_test_config(elasticsearch_url)


@pytest.fixture
def backend(app: Any) -> Any:
    """The app's configured search backend; Elasticsearch indices of the test are dropped afterwards."""
    from portal.core.services import search_backend

    with app.app_context():
        instance = search_backend()
    if instance.needs_sync:
        instance.ensure_index()
    yield instance
    if instance.needs_sync:
        from search.connection import make_client

        instance.client = make_client(app.config)  # a test may have pointed it elsewhere
        instance.drop_all()


def settle(app: Any, backend: Any) -> None:
    """Send whatever is in the outbox and make it searchable (tests only)."""
    from search import outbox

    with app.app_context():
        report = outbox.drain_all()
        assert report["failed"] == 0, report
    if backend.needs_sync:
        backend.refresh()


class World:
    """Candidates with known properties; `ids[name]` is the candidate id."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.orgs: dict[str, Any] = {}
        self.owner: Any = None

    def id(self, *names: str) -> set[int]:
        return {self.ids[n] for n in names}


@pytest.fixture
def world(app: Any, factory: Any, backend: Any) -> World:
    w = World()
    w.owner = factory.user("account_manager")
    w.orgs = {
        "a": factory.organisation(name="Org A"),
        "b": factory.organisation(name="Org B"),
        "pending": factory.organisation(name="Org Pending", approved=False),
    }
    all_ok = [consent()]
    mk = lambda name, **kw: w.ids.__setitem__(name, make_candidate(app, w.owner, first_name=name.capitalize(), **kw))  # noqa: E731
    mk("amina", skills=["occ.baker", "skill.haccp"],
       sectors=["horeca"], municipality="Zaanstad", postcode_area="1506",
       languages={"nl": levels(2, 1, 2, 2, 1), "ar": levels(6, 6, 6, 6, 6)},
       availability=["mon_morning", "tue_morning", "thu_afternoon"], ambitions="Ik wil graag bakker worden",
       consents=all_ok)
    mk("bilal", skills=["occ.warehouse_worker", "occ.forklift_driver"], sectors=["logistiek"],
       municipality="Zaanstad", postcode_area="1521",
       languages={"nl": levels(3, 2, 3, 2, 2), "ti": levels(6, 5, 6, 6, 4)},
       availability=["mon_morning", "mon_afternoon", "wed_morning"], ambitions="Werken in een magazijn met heftruck",
       consents=all_ok)
    mk("chaltu", skills=["occ.cleaner"], sectors=["schoonmaak", "horeca"], municipality="Amsterdam",
       postcode_area="1102", languages={"nl": levels(1, 1, 1, 1, 0), "om": levels(6, 4, 6, 6, 3)},
       availability=["tue_morning", "wed_morning"], ambitions="Schoonmaak in een hotel", consents=all_ok)
    mk("dawit", skills=["occ.baker"], sectors=["horeca"], municipality="Westland", postcode_area="2671",
       languages={"nl": levels(2, 2, 2, 2, 2)}, availability=["mon_morning", "tue_morning"],
       ambitions="Bakker of kok", consents=[consent(scope="selected_organisations", organisations=[w.orgs["a"]])])
    mk("esra", skills=["occ.warehouse_worker"], sectors=["logistiek"], municipality="Zaanstad", postcode_area="1506",
       languages={"nl": levels(4, 4, 4, 4, 4)}, availability=["fri_morning"], ambitions="magazijn",
       consents=[consent(withdrawn=True)])
    mk("farid", skills=["occ.warehouse_worker"], sectors=["logistiek"], municipality="Zaanstad", postcode_area="1506",
       languages={"nl": levels(2, 2, 2, 2, 2)}, availability=["mon_morning"], ambitions="magazijn",
       consents=[consent(days=10, recorded_days_ago=20)])  # expired
    mk("goli", skills=["occ.cook"], sectors=["horeca"], municipality="Utrecht", postcode_area="3511",
       languages={"nl": levels(2, 2, 2, 2, 2), "fa": levels(6, 6, 6, 6, 6)}, availability=["sat_evening"],
       ambitions="kok in een restaurant", status="ready", consents=all_ok)  # not published
    mk("hamid", skills=["occ.forklift_driver"], sectors=["logistiek"], municipality="Zaanstad", postcode_area="1506",
       languages={"nl": levels(3, 3, 3, 3, 3)}, availability=["mon_morning", "thu_afternoon"], ambitions="heftruck",
       status="intake", consents=[])
    settle(app, backend)
    return w

