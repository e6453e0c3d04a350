"""Property-based tests from the OpenAPI document (schemathesis), through the WSGI app, no network.

Every operation is called with generated requests, once with a valid key of each scope (and a
region-wide client), and each response is checked: no 5xx, status code, content type, headers and
body as the document says, and no data outside the key's scope (own organisation's placements and
visits only; candidates only inside the organisation's consent scope; nothing for a scope the key
lacks). The example count is kept small so the whole module runs in about a minute.
"""
from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks as st_checks

from tests.candidates.factories import CandidateFactory
from tests.events.factories import EventFactory
from tests.placements.factories import create_placement

KEYS = [
    ("employer", ("placements:read",)),
    ("employer", ("placements:write", "placements:read")),
    ("employer", ("candidates:read", "placements:read")),
    ("employer", ("trajects:read",)),
    ("region", ("monitor:read",)),
    ("region", ("placements:read", "trajects:read")),
]
EXAMPLES = 8


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"API_RATE_LIMIT_PER_MINUTE": 1_000_000}


@pytest.fixture
def world(app, factory, api) -> dict[str, Any]:
    own = factory.organisation()
    other = factory.organisation()
    employer = factory.user("employer", organisation=own)
    other_employer = factory.user("employer", organisation=other)
    create_placement(factory, own, status="published", created_by=employer, required_skills=["occ.baker"])
    create_placement(factory, other, status="published")
    create_placement(factory, other, status="draft")
    cf = CandidateFactory(factory)
    visible = cf.candidate(published=True, organisations=[own.id])
    cf.candidate(published=True, organisations=[other.id])
    cf.candidate(consent=True)
    ef = EventFactory(factory)
    ef.event(status="published")
    ef.event(status="draft")
    ef.visit(employer)
    ef.visit(other_employer)
    keys = []
    for kind, scopes in KEYS:
        _client, key = api.create(*scopes, organisation=own if kind == "employer" else None)
        keys.append({"kind": kind, "scopes": set(scopes), "key": key})
    return {"keys": keys, "own": own.id, "visible_candidates": {visible.id}}


SCOPE_OF_TAG = {"placements": "placements:read", "events": "placements:read", "candidates": "candidates:read",
                "trajects": "trajects:read", "monitoring": "monitor:read"}


def _assert_in_scope(world: dict[str, Any], key: dict[str, Any], case: Any, response: Any) -> None:
    if response.status_code >= 300 or case.operation.path == "/openapi.json":
        return
    tag = case.operation.definition.raw.get("tags", [""])[0]
    needed = SCOPE_OF_TAG.get(tag)
    assert needed is None or needed in key["scopes"], f"{case.operation.label} answered without {needed}"
    body = response.json()
    items = body.get("items", [body]) if isinstance(body, dict) else []
    path = case.operation.path
    for item in items:
        if key["kind"] == "employer" and path.startswith("/placements") and "/matches" not in path:
            assert item["organisation"]["id"] == world["own"], "another organisation's placement"
        if key["kind"] == "employer" and path.startswith("/company-visits"):
            assert item["organisation"]["id"] == world["own"], "another organisation's company visit"
        if path.startswith("/candidates"):
            assert item["id"] in world["visible_candidates"], "a candidate outside the consent scope"
            assert "surname" not in item and "date_of_birth" not in item
        if path.endswith("/matches"):
            assert item["candidate"]["id"] in world["visible_candidates"], "a match outside the consent scope"
        if key["kind"] == "region" and path.startswith("/placements"):
            assert item["status"] != "draft", "a draft for a region-wide client"


CHECKS = [st_checks.not_a_server_error, st_checks.status_code_conformance, st_checks.content_type_conformance,
          st_checks.response_headers_conformance, st_checks.response_schema_conformance]


def test_api_conforms_to_its_document_and_stays_in_scope(app, world):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    tested = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case: Any) -> None:
            for key in world["keys"]:
                response = case.call_and_validate(headers={"Authorization": f"Bearer {key['key']}"}, checks=CHECKS)
                assert response.headers.get("api-version") == ["1.0.0"]
                _assert_in_scope(world, key, case, response)

        run()
        tested.append(operation.label)
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    # schemathesis leaves out the document's own URL; it is fetched (and parsed) above.
    declared = {f"{m.upper()} {p}" for p, methods in document["paths"].items() for m in methods} - {"GET /openapi.json"}
    assert set(tested) == declared and len(declared) >= 12, declared - set(tested)
    from sqlalchemy import func, select

    from portal.core import db
    from portal.core.audit import AuditEntry

    with app.app_context():  # every call was made with a key and audited
        calls = db.session.scalar(select(func.count()).where(AuditEntry.action == "api.request"))
    assert calls >= len(declared) * len(world["keys"])
    print(f"schemathesis: {len(declared)} operations, {calls} audited calls")
