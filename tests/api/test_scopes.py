"""What a key of each scope can and cannot reach; revoked and expired keys; audit and rate limit."""
from __future__ import annotations

import datetime as dt

import pytest

from portal.core import db
from tests.api.conftest import placement_body
from tests.conftest import both_databases
from tests.candidates.factories import CandidateFactory
from tests.events.factories import EventFactory
from tests.placements.factories import create_placement

PROBLEM = "application/problem+json"

pytestmark = both_databases  # keys, JSON scopes, the audit-log rate limit and the queries on both


@pytest.fixture
def world(factory):
    own = factory.organisation()
    other = factory.organisation()
    employer = factory.user("employer", organisation=own)
    mine = create_placement(factory, own, status="draft", created_by=employer)
    theirs = create_placement(factory, other, status="published")
    theirs_draft = create_placement(factory, other, status="draft")
    cf = CandidateFactory(factory)
    in_scope = cf.candidate(published=True, organisations=[own.id])
    other_scope = cf.candidate(published=True, organisations=[other.id])
    unpublished = cf.candidate(consent=True)
    return dict(own=own, other=other, employer=employer, mine=mine, theirs=theirs, theirs_draft=theirs_draft,
                in_scope=in_scope, other_scope=other_scope, unpublished=unpublished)


def ids(response):
    return {item["id"] for item in response.get_json()["items"]}


def test_no_key_wrong_key_revoked_and_expired_key_get_401(api, world, app):
    from portal.api import operations
    from portal.api.models import ApiClient

    client, key = api.create("placements:read", organisation=world["own"])
    assert api.get("/placements", key).status_code == 200
    for bad in (None, "wpk_00000000_nonsense", key[:-1] + ("A" if key[-1] != "A" else "B"), "Basic abc"):
        response = api.get("/placements", bad)
        assert response.status_code == 401 and response.mimetype == PROBLEM
        assert response.get_json()["type"].endswith(":unauthorized")
    with app.test_request_context():
        operations.revoke_client(db.session.get(ApiClient, client.id), None)
        db.commit()
    assert api.get("/placements", key).status_code == 401  # at once, no cache
    expired, expired_key = api.create("placements:read", organisation=world["own"])
    with app.app_context():
        row = db.session.get(ApiClient, expired.id)
        row.expires_at = db.utcnow() - dt.timedelta(seconds=1)
        db.commit()
    assert api.get("/placements", expired_key).status_code == 401


def test_placements_read_sees_only_its_own_organisation(api, world):
    _client, key = api.create("placements:read", organisation=world["own"])
    response = api.get("/placements", key)
    assert response.status_code == 200 and response.headers["API-Version"] == "1.0.0"
    assert ids(response) == {world["mine"].id}
    assert api.get(f"/placements/{world['mine'].id}", key).status_code == 200
    assert api.get(f"/placements/{world['theirs'].id}", key).status_code == 404
    # no other scope
    assert api.get("/candidates", key).status_code == 403
    assert api.get(f"/placements/{world['mine'].id}/matches", key).status_code == 403
    refused = api.post("/placements", key, json=placement_body())
    assert refused.status_code == 403 and refused.get_json()["type"].endswith(":insufficient-scope")


def test_region_wide_client_sees_what_wsp_staff_see(api, world):
    _client, key = api.create("placements:read", "monitor:read")
    listed = ids(api.get("/placements", key))
    assert world["theirs"].id in listed
    assert world["mine"].id not in listed and world["theirs_draft"].id not in listed  # never a draft
    assert api.get("/candidates", key).status_code == 403  # no scope (and no consent scope)


def test_a_region_wide_client_cannot_get_candidate_or_write_scopes(app, world):
    from portal.api import operations
    from portal.core.errors import DomainError

    with app.test_request_context():
        for scope in ("candidates:read", "placements:write"):
            with pytest.raises(DomainError):
                operations.create_client(None, name="x", organisation=None, scopes=[scope],
                                         expires_at=db.utcnow() + dt.timedelta(days=1))
        from portal.accounts.models import Organisation

        with pytest.raises(DomainError):  # an employer sees no monitoring in the browser
            operations.create_client(None, name="x", organisation=db.session.get(Organisation, world["own"].id),
                                     scopes=["monitor:read"], expires_at=db.utcnow() + dt.timedelta(days=1))


def test_placements_write_creates_with_the_forms_rules(api, world, app):
    _client, key = api.create("placements:read", "placements:write", organisation=world["own"])
    created = api.post("/placements", key, json=placement_body())
    assert created.status_code == 201, created.get_json()
    document = created.get_json()
    assert document["status"] == "draft" and document["organisation"]["id"] == world["own"].id
    assert document["location"]["postcode"] == "1506 EC"  # normalised by the form
    assert created.headers["Location"].endswith(f"/api/v1/placements/{document['id']}")
    assert document["language_requirements"]["nl"]["spoken_interaction"] == 2

    # the form's rules, with the form's (Dutch) messages, per field
    bad = api.post("/placements", key, json=placement_body(
        hours_per_week=2, title="<b>x</b>",
        language_requirements={"nl": {"listening": 7, "reading": 0, "spoken_interaction": 0, "spoken_production": 0,
                                      "writing": 0}, "other": [{"language": "nl", "level": 2}], "tasks": []}))
    assert bad.status_code == 422 and bad.mimetype == PROBLEM
    problem = bad.get_json()
    names = {p["name"] for p in problem["invalid-params"]}
    assert {"title", "dayparts", "language_requirements.nl.listening", "language_requirements.other[0].language"} <= names
    reasons = {p["name"]: p["reason"] for p in problem["invalid-params"]}
    assert reasons["language_requirements.nl.listening"] == "Kies een van de genoemde niveaus (geen, A1 tot en met C2)."
    english = api.post("/placements", key, json=placement_body(title="<b>x</b>"), headers={"Accept-Language": "en"})
    assert "HTML" in {p["name"]: p["reason"] for p in english.get_json()["invalid-params"]}["title"]
    assert english.get_json()["invalid-params"][0]["reason"] != reasons["title"]

    # shape errors: 400 with field names; malformed JSON; wrong media type
    shape = api.post("/placements", key, json={"title": 5})
    assert shape.status_code == 400 and {"title", "type"} <= {p["name"] for p in shape.get_json()["invalid-params"]}
    assert api.post("/placements", key, data="{", content_type="application/json").status_code == 400
    assert api.post("/placements", key, data="a=b", content_type="application/x-www-form-urlencoded").status_code == 415
    assert api.post("/placements", key, data="x" * 70_000, content_type="application/json").status_code == 413

    # only its own placements can be changed
    other_key = api.create("placements:read", "placements:write", organisation=world["other"])[1]
    assert api.call("PUT", f"/placements/{document['id']}", other_key, json=placement_body()).status_code == 404
    changed = api.call("PUT", f"/placements/{document['id']}", key, json=placement_body(title="Bakkerij: taalstage"))
    assert changed.status_code == 200 and changed.get_json()["title"] == "Bakkerij: taalstage"
    published = api.post(f"/placements/{document['id']}/status-changes", key, json={"action": "publish"})
    assert published.status_code == 200 and published.get_json()["status"] == "published"

    with app.app_context():
        from portal.placements.models import Placement

        stored = db.session.get(Placement, document["id"])
        assert stored.title == "Bakkerij: taalstage" and stored.dutch_listening == 2


def test_candidates_read_only_within_consent_and_minimised(api, world, app):
    _client, key = api.create("candidates:read", "placements:read", organisation=world["own"])
    listed = api.get("/candidates", key)
    assert listed.status_code == 200
    assert ids(listed) == {world["in_scope"].id}
    assert api.get(f"/candidates/{world['other_scope'].id}", key).status_code == 404
    assert api.get(f"/candidates/{world['unpublished'].id}", key).status_code == 404
    profile = api.get(f"/candidates/{world['in_scope'].id}", key)
    assert profile.status_code == 200
    text = profile.get_data(as_text=True)
    assert "Geheimachternaam" not in text and "GEHEIMEONDERSTEUNING" not in text and "1990" not in text
    assert "1506" not in text  # no postcode area
    with app.app_context():
        from sqlalchemy import select

        from portal.core.audit import AuditEntry

        views = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "candidate.viewed_by_employer",
                                                            AuditEntry.object_id == world["in_scope"].id)).all()
        assert len(views) == 1 and views[0].actor_role == "employer"
        assert views[0].details["organisation_id"] == world["own"].id
    assert api.get("/placements", key).status_code == 200


def test_matches_stay_within_the_organisations_consent_scope(api, world, factory):
    _client, key = api.create("candidates:read", "placements:read", organisation=world["own"])
    placement = create_placement(factory, world["own"], status="published", required_skills=["occ.baker"],
                                 dutch_listening=1, dutch_spoken_interaction=1)
    response = api.get(f"/placements/{placement.id}/matches", key)
    assert response.status_code == 200, response.get_json()
    found = {m["candidate"]["id"] for m in response.get_json()["items"]}
    assert found == {world["in_scope"].id}
    explanation = response.get_json()["items"][0]["explanation"]
    assert explanation["required_skills_met"] == ["occ.baker"]
    assert not any("km" in line for line in explanation["lines"])
    assert api.get(f"/placements/{world['theirs'].id}/matches", key).status_code == 404


def test_events_and_visits_as_the_browser_shows_them(api, world, factory):
    ef = EventFactory(factory)
    public = ef.event(status="published")
    draft = ef.event(status="draft")
    own_visit = ef.visit(world["employer"])
    other_visit = ef.visit(factory.user("employer", organisation=world["other"]))
    _client, key = api.create("placements:read", organisation=world["own"])
    events = ids(api.get("/events", key))
    assert public.id in events and draft.id not in events
    assert api.get(f"/events/{draft.id}", key).status_code == 404
    assert ids(api.get("/company-visits", key)) == {own_visit.id}
    assert api.get(f"/company-visits/{other_visit.id}", key).status_code == 404
    region_key = api.create("placements:read")[1]
    assert {own_visit.id, other_visit.id} <= ids(api.get("/company-visits", region_key))
    trajects_only = api.create("trajects:read", organisation=world["own"])[1]
    assert api.get("/events", trajects_only).status_code == 403


def test_every_call_is_audited_and_rate_limited_per_client(api, world, app):
    from sqlalchemy import func, select

    from portal.core.audit import AuditEntry

    app.config["API_RATE_LIMIT_PER_MINUTE"] = 4
    client, key = api.create("placements:read", organisation=world["own"])
    other_key = api.create("placements:read", organisation=world["own"])[1]
    assert [api.get("/placements", key).status_code for _ in range(3)] == [200, 200, 200]
    assert api.get("/placements/999999", key).status_code == 404  # refused calls count too
    limited = api.get("/placements", key)
    assert limited.status_code == 429 and limited.mimetype == PROBLEM and int(limited.headers["Retry-After"]) >= 1
    assert api.get("/placements", other_key).status_code == 200  # per client
    with app.app_context():
        actions = dict(db.session.execute(
            select(AuditEntry.action, func.count()).where(AuditEntry.actor_id == client.service_user_id)
            .group_by(AuditEntry.action)).all())
        assert actions == {"api.request": 4, "api.rate_limited": 1}


def test_malformed_requests_get_problem_json_never_5xx(api, world):
    _client, key = api.create("placements:read", "placements:write", organisation=world["own"])
    cases = [
        api.get("/placements?page=0", key), api.get("/placements?page_size=1000", key),
        api.get("/placements?page=abc", key), api.get("/placements/99999999999999999999", key),
        api.get("/placements/", key), api.get("/placements", key, headers={"Accept": "text/html"}),
        api.call("DELETE", "/placements", key), api.post("/placements", key, data=b"\xff\xfe", content_type="application/json"),
        api.post("/placements", key, json=[1, 2]), api.post("/placements", key, json={"a": "b" * 10}),
        api.post("/placements", key, json=placement_body(start_date="2020-13-45")),
    ]
    assert [r.status_code for r in cases] == [400, 400, 400, 404, 404, 406, 405, 400, 400, 400, 400]
    assert all(r.mimetype == PROBLEM and r.get_json()["type"].startswith("urn:werkportaal:api:problem:") for r in cases)
    assert "Allow" in cases[6].headers


def test_monitor_read_gives_suppressed_aggregates_to_a_region_wide_client_only(api, world):
    _client, key = api.create("monitor:read")
    response = api.get("/monitoring/indicators", key)
    assert response.status_code == 200, response.get_json()
    cells = [cell for item in response.get_json()["items"] for row in item["rows"] for cell in row["cells"]]
    assert cells
    for cell in cells:  # a small count is never given as a number
        assert cell["value"] is None or cell["value"] == 0 or cell["value"] >= 5 or cell["display"] not in ("<5", "x")
        if cell["display"] in ("<5", "x"):
            assert cell["value"] is None
    assert "Voornaam" not in response.get_data(as_text=True)
    employer_key = api.create("placements:read", organisation=world["own"])[1]
    assert api.get("/monitoring/indicators", employer_key).status_code == 403


def test_trajects_read_only_the_organisations_trajects_without_staff_notes(api, world, factory, app):
    from portal.candidates.models import Candidate
    from portal.placements.models import Placement
    from portal.trajects.models import TrajectSource
    from portal.trajects.operations import move_stage, open_traject

    own_placement = create_placement(factory, world["own"], status="published")
    other_placement = create_placement(factory, world["other"], status="published")
    manager = factory.user("account_manager")
    with app.test_request_context():
        candidate = db.session.get(Candidate, world["in_scope"].id)
        mine = open_traject(candidate, db.session.get(Placement, own_placement.id), TrajectSource.PROPOSAL, by=manager)
        theirs = open_traject(candidate, db.session.get(Placement, other_placement.id), TrajectSource.PROPOSAL, by=manager)
        move_stage(mine, "stopped", by=manager, reason="other", note="GEHEIMENOTITIE")
        db.commit()
        mine_id, theirs_id = mine.id, theirs.id
    _client, key = api.create("trajects:read", organisation=world["own"])
    listed = api.get("/trajects", key)
    assert listed.status_code == 200, listed.get_json()
    assert ids(listed) == {mine_id}
    assert "GEHEIMENOTITIE" not in listed.get_data(as_text=True)
    item = listed.get_json()["items"][0]
    assert item["stage"] == "stopped" and item["candidate"]["id"] == world["in_scope"].id
    assert "Geheimachternaam" not in listed.get_data(as_text=True)
    assert api.get(f"/trajects/{theirs_id}", key).status_code == 404
    assert api.get("/placements", key).status_code == 403
    region = api.create("trajects:read")[1]
    everything = api.get("/trajects", region).get_json()["items"]
    assert {mine_id, theirs_id} <= {t["id"] for t in everything}
    assert all(t["candidate"] is None for t in everything)


def test_no_cors_a_preflight_gets_no_allow_origin(api):
    response = api.call("OPTIONS", "/placements", headers={"Origin": "https://elders.example",
                                                            "Access-Control-Request-Method": "GET"})
    assert response.status_code == 204 and "GET" in response.headers["Allow"]
    assert not any(name.lower().startswith("access-control-") for name in response.headers.keys())
    document = api.get("/openapi.json")
    assert document.status_code == 200 and document.get_json()["openapi"].startswith("3.")
    assert "CORS" in document.get_json()["info"]["description"]


def test_unknown_codes_get_the_forms_own_messages(api, world):
    _client, key = api.create("placements:write", organisation=world["own"])
    response = api.post("/placements", key, json=placement_body(type="stage", support=["massage"], dayparts=["mon_night"]))
    assert response.status_code == 422
    reasons = {p["name"]: p["reason"] for p in response.get_json()["invalid-params"]}
    assert reasons["type"] == "Kies de soort plek."
    assert reasons["support"].startswith("Onbekende vorm van begeleiding.")
    assert reasons["dayparts"].startswith("Onbekend dagdeel.")
