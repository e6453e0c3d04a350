"""Ids beyond the INTEGER range of the id columns: "not found" or a field error, never a 500.

Every id column is an INTEGER (PostgreSQL int4, up to 2^31-1). A larger id that reached PostgreSQL
would be refused as "integer out of range" (a 500), so one bound, `portal.core.hardening.MAX_ID`,
stops it first: in the URL converter, in `parse_id` (every id read from a form or query) and in
the API. This runs on both databases; PostgreSQL is the one that refuses.
"""
from __future__ import annotations

import pytest

from tests.conftest import both_databases
from tests.core.test_access_by_role import route_world  # noqa: F401  (fixture)

#: The last id that fits, the first that does not (2^31 = 2^31-1+1), the old bound (2^63-1) and beyond.
IDS = [2**31 - 1, 2**31, 2**63 - 1, 2**63]


def test_one_bound_for_every_id():
    from portal.api import spec
    from portal.core import hardening
    from portal.core.validators import parse_id

    assert hardening.MAX_ID == 2**31 - 1
    assert spec.MAX_ID is hardening.MAX_ID
    assert parse_id(str(2**31 - 1)) == 2**31 - 1
    assert parse_id(str(2**31)) is None and parse_id(2**31) is None and parse_id(str(2**63 - 1)) is None


#: (role, endpoint, the URL's own int argument) for pages of several areas.
URL_ROUTES = [
    ("employer", "candidates.gallery_detail", "candidate_id"),
    ("employer", "meetings.book", "for_candidate_id"),
    ("employer", "placements.detail", "placement_id"),
    ("admin", "candidates.detail", "candidate_id"),
    ("wsp", "events.event_detail", "event_id"),
    ("wsp", "events.visit_detail", "visit_id"),
    ("account_manager", "trajects.detail", "traject_id"),
    ("admin", "admin.user_detail", "user_id"),
    ("employer", "meetings.booking_detail", "meeting_booking_id"),
]


def _clients(make_client, users):
    made = {}

    def client(role):
        if role not in made:
            made[role] = make_client()
            made[role].login(users[role])
        return made[role]

    return client


@both_databases
def test_ids_beyond_the_range_in_urls_are_not_found(app, make_client, route_world):
    users, values = route_world
    client = _clients(make_client, users)
    failures = []
    for (role, endpoint, arg), huge in ((route, huge) for route in URL_ROUTES for huge in IDS):
        with app.test_request_context():
            from flask import url_for

            args = {name: values[name] for name in app.url_map._rules_by_endpoint[endpoint][0].arguments}
            real = url_for(endpoint, **args)
            url = real.replace(f"/{values[arg]}", f"/{huge}", 1)
        assert url != real
        response = client(role).get(url)
        if response.status_code != 404:
            failures.append(f"{role} GET {url}: {response.status_code}")
    assert failures == []


def _form_posts(values):
    """(role, endpoint, URL arguments, fields): forms whose fields carry ids."""
    return [
        ("employer", "candidates.interest", {"candidate_id": values["for_candidate_id"]},
         lambda x: {"placement_id": x, "note": "Graag kennismaken"}),
        ("employer", "meetings.book", {"for_candidate_id": values["for_candidate_id"]},
         lambda x: {"meeting-slot_id": x, "meeting-placement_id": ""}),
        ("employer", "meetings.book", {"for_candidate_id": values["for_candidate_id"]},
         lambda x: {"meeting-slot_id": values["meeting_slot_id"], "meeting-placement_id": x}),
        ("admin", "casefile.remove_co_owner", {"candidate_id": values["candidate_id"]}, lambda x: {"user_id": x}),
        ("admin", "casefile.co_owners", {"candidate_id": values["candidate_id"]}, lambda x: {"user_id": x}),
        ("wsp", "events.check_in", {"event_id": values["event_id"]},
         lambda x: {"kind": "candidate", "registration_id": x, "present": "1"}),
        ("account_manager", "trajects.propose", {"candidate_id": values["candidate_id"]},
         lambda x: {"placement_id": x, "motivation": "Past goed bij deze plek, ervaring in de keuken."}),
    ]


@both_databases
def test_ids_beyond_the_range_in_form_fields_and_filters_are_refused(app, make_client, route_world):
    """Each post is a field error (400) or "not found" (404); a query filter ignores the id (200)."""
    users, values = route_world
    client = _clients(make_client, users)
    failures = []
    for (role, endpoint, args, fields), huge in ((post, huge) for post in _form_posts(values) for huge in IDS):
        assert endpoint in app.view_functions, endpoint
        with app.test_request_context():
            from flask import url_for

            url = url_for(endpoint, **args)
        data = {name: str(value) for name, value in fields(huge).items()}
        response = client(role).post_form(url, data)
        if response.status_code not in (400, 404):
            failures.append(f"{role} POST {url} {data}: {response.status_code}")
    for (role, url), huge in ((get, huge) for get in QUERY_FILTERS for huge in IDS):
        response = client(role).get(url.format(huge))
        if response.status_code != 200:
            failures.append(f"{role} GET {url.format(huge)}: {response.status_code}")
    assert failures == []


#: Lists filtered by an id from the query string: an out-of-range id is ignored.
QUERY_FILTERS = [("admin", "/beheer/audit?actor={}"), ("wsp", "/trajecten?placement_id={}"),
                 ("admin", "/beheer/audit.csv?actor={}")]
