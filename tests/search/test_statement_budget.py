"""Pages load what they show in a fixed number of SQL statements, however many cards they show.

Each page is requested at two data sizes (few cards, a full page of cards, each with skills,
languages, sectors, a consent with selected organisations and a ready video); the number of
statements the request sends to the database is counted with SQLAlchemy's
`before_cursor_execute` event. A page fails when it needs more than its budget, or when the
larger data set needs more statements than the smaller one (N+1).
"""
from __future__ import annotations

from typing import Any

import pytest

from tests.placements.factories import create_placement
from tests.search.conftest import settle
from tests.search.factories import consent, levels, make_candidate
from tests.statements import assert_within_budgets, count_pages
from tests.video.access import ready_video

#: statements per page (login/session, access checks, the page's own queries); the same at both sizes
BUDGETS = {
    "gallery": 10,           # was 67 on the demo data (two lazy loads per card); includes the "Past bij mijn plek" choices and the data token (search.freshness); cards seen before under the token cost none
    "gallery_detail": 15,    # one candidate (its consents come with it); includes the audited view, the meeting slots and bookings
    "search": 12,            # the database backend's facets + total are one statement
    "placements_own": 8,
    "placements_overview": 8,
    "placement_detail": 8,
    "placement_matches": 16,  # + consents and their organisations, places filled, trajects (whether each can be proposed)
}


@pytest.fixture
def app_config(contract_app_config):
    return contract_app_config


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

    def check(name: str, response: Any) -> None:
        if name == "gallery":
            html = response.get_data(as_text=True)
            assert html.count("Kaart") >= min(n, 12), "the gallery shows the cards it is counted for"

    return count_pages(app, urls, seen, check)


def test_pages_use_a_fixed_number_of_statements(app, factory, make_client, backend):
    seen: dict[str, list[str]] = {}
    small = page_counts(app, factory, make_client, backend, 2, {})
    large = page_counts(app, factory, make_client, backend, 14, seen)
    assert_within_budgets(BUDGETS, small, large, seen, "2 cards", "14")


def test_the_gallery_builds_cards_it_has_not_kept_in_a_fixed_number_of_statements(app, factory, make_client, backend):
    """The budgets above count a second view, whose cards are kept (portal.candidates.gallery
    .card_profiles); here every card is built anew, as after a change to the data."""
    from tests.statements import counting

    counts = {}
    for n in (2, 14):
        organisation = factory.organisation(name=f"Kaarten {n}")
        add_candidates(app, factory.user("account_manager"), organisation, n)
        settle(app, backend)
        client = make_client()
        client.login(factory.user("employer", organisation=organisation))
        client.get("/kandidaten")  # warm-up: first-request caches
        app.extensions["portal.fragments"].clear()
        with counting(app) as statements:
            page = client.get("/kandidaten").get_data(as_text=True)
        assert page.count("Kaart") >= min(n, 12)
        counts[n] = len(statements)
    assert counts[14] == counts[2] <= BUDGETS["gallery"] + 6, counts  # + the cards' rows: 6 statements
