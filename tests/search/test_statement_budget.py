"""Pages load what they show in a fixed number of SQL statements, however many cards they show.

Each page is requested at two data sizes (few cards, a full page of cards, each with skills,
languages, sectors, a consent with selected organisations and a ready video); the number of
statements the request sends to the database is counted with SQLAlchemy's
`before_cursor_execute` event. A page fails when it needs more than its budget, or when the
larger data set needs more statements than the smaller one (N+1).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from portal.core import db
from tests.placements.factories import create_placement
from tests.search.conftest import settle
from tests.search.factories import consent, levels, make_candidate
from tests.video.access import ready_video

#: statements per page (login/session, access checks, the page's own queries); the same at both sizes
BUDGETS = {
    "gallery": 15,           # was 67 on the demo data (two lazy loads per card); includes the "Past bij mijn plek" choices (the cards' "you asked to meet" come with the hits)
    "gallery_detail": 20,    # one candidate; includes the audited view and the meeting slots
    "search": 12,            # the database backend's facets + total are one statement
    "placements_own": 8,
    "placements_overview": 8,
    "placement_detail": 8,
    "placement_matches": 16,  # + consents and their organisations, places filled, trajects (whether each can be proposed)
}


@pytest.fixture
def app_config(contract_app_config):
    return contract_app_config


@contextmanager
def counting(app: Any) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine()
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def add_candidates(app, owner, organisation, n: int) -> list[int]:
    ids = []
    for i in range(n):
        ids.append(make_candidate(
            app, owner, first_name=f"Kaart{i}", skills=["occ.warehouse_worker", "skill.order_picking", "occ.cleaner"],
            sectors=["logistiek", "horeca"], languages={"nl": levels(2, 2, 2, 2, 2), "ar": levels(6, 6, 6, 6, 6)},
            availability=["mon_morning", "tue_morning"], ambitions="magazijn",
            consents=[consent(scope="selected_organisations", organisations=[organisation])],
        ))
        ready_video(app, ids[-1], captions=False)
    return ids


def page_counts(app, factory, make_client, backend, n: int, seen: dict[str, list[str]]) -> dict[str, int]:
    organisation = factory.organisation(name=f"Org {n}")
    owner = factory.user("account_manager")
    employer = factory.user("employer", organisation=organisation)
    ids = add_candidates(app, owner, organisation, n)
    placement = create_placement(factory, organisation)
    for i in range(n):
        create_placement(factory, organisation, title=f"Plek {i}")
    settle(app, backend)
    employer_client = make_client()
    employer_client.login(employer)
    staff_client = make_client()
    staff_client.login(owner)
    urls = {
        "gallery": (employer_client, "/kandidaten"),
        "gallery_detail": (employer_client, f"/kandidaten/{ids[0]}"),
        "search": (staff_client, "/zoeken?skill=occ.warehouse_worker"),
        "placements_own": (employer_client, "/plekken"),
        "placements_overview": (staff_client, "/plekken/aanbod"),
        "placement_detail": (employer_client, f"/plekken/{placement.id}"),
        "placement_matches": (staff_client, f"/zoeken/plek/{placement.id}"),
    }
    counts = {}
    for name, (client, url) in urls.items():
        client.get(url)  # warm-up: first-request caches (reference data, translations) are not the page's cost
        with counting(app) as statements:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        if name == "gallery":
            html = response.get_data(as_text=True)
            assert html.count("Kaart") >= min(n, 12), "the gallery shows the cards it is counted for"
        counts[name] = len(statements)
        seen[name] = statements
    return counts


def test_pages_use_a_fixed_number_of_statements(app, factory, make_client, backend):
    seen: dict[str, list[str]] = {}
    small = page_counts(app, factory, make_client, backend, 2, {})
    large = page_counts(app, factory, make_client, backend, 14, seen)
    for name, budget in BUDGETS.items():
        listing = "\n".join(s.split("\n")[0][:120] for s in seen[name])
        assert large[name] <= small[name], f"{name}: {small[name]} statements for 2 cards, {large[name]} for 14 (N+1):\n{listing}"
        assert large[name] <= budget, f"{name}: {large[name]} statements, budget {budget}:\n{listing}"
