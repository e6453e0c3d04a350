"""The staff list: published placements of approved organisations, filterable and paginated."""
from __future__ import annotations

import pytest

from tests.placements.factories import create_placement


@pytest.fixture
def catalogue(factory):
    org = factory.organisation(name="Bakkerij Test")
    return {
        "bakery": create_placement(factory, org, title="Plek bakkerij", type="taalstage", sector="horeca", municipality="Zaanstad",
                                   dutch_listening=2, dutch_spoken_production=1, dutch_spoken_interaction=1),
        "warehouse": create_placement(factory, org, title="Plek magazijn", type="werkervaringsplek", sector="logistiek",
                                      municipality="Amsterdam", dutch_listening=3, dutch_spoken_production=3, dutch_spoken_interaction=2),
        "care": create_placement(factory, org, title="Plek zorg", type="betaalde_baan", sector="zorg", municipality="Zaanstad",
                                 dutch_listening=4, dutch_spoken_production=4, dutch_writing=3),
        "paused": create_placement(factory, org, title="Plek gepauzeerd", status="paused", municipality="Zaanstad"),
    }


def _titles(client, query=""):
    html = client.get("/plekken/aanbod" + query).get_data(as_text=True)
    return {t for t in ("Plek bakkerij", "Plek magazijn", "Plek zorg", "Plek gepauzeerd") if t in html}


def test_account_manager_filters(app, catalogue, login_as):
    am = login_as("account_manager")
    assert _titles(am) == {"Plek bakkerij", "Plek magazijn", "Plek zorg"}
    assert _titles(am, "?type=taalstage") == {"Plek bakkerij"}
    assert _titles(am, "?sector=logistiek") == {"Plek magazijn"}
    assert _titles(am, "?municipality=Zaanstad") == {"Plek bakkerij", "Plek zorg"}
    assert _titles(am, "?max_spoken_production=2") == {"Plek bakkerij"}
    assert _titles(am, "?max_spoken_production=3") == {"Plek bakkerij", "Plek magazijn"}
    assert _titles(am, "?max_listening=3&max_writing=0") == {"Plek bakkerij", "Plek magazijn"}
    assert _titles(am, "?max_spoken_production=0") == set()
    assert _titles(am, "?municipality=Zaanstad&max_listening=4&type=betaalde_baan") == {"Plek zorg"}


def test_status_filter_is_for_wsp_and_admin_only(app, catalogue, login_as):
    wsp = login_as("wsp")
    assert _titles(wsp) == {"Plek bakkerij", "Plek magazijn", "Plek zorg", "Plek gepauzeerd"}
    assert _titles(wsp, "?status=paused") == {"Plek gepauzeerd"}
    am = login_as("account_manager")
    assert 'name="status"' not in am.get("/plekken/aanbod").get_data(as_text=True)
    assert am.get("/plekken/aanbod?status=paused").status_code == 400


@pytest.mark.parametrize("query", ["?max_listening=7", "?max_reading=B1", "?type=stage", "?sector=ruimtevaart", "?municipality=Atlantis"])
def test_invalid_filter_values_are_refused(app, catalogue, login_as, query):
    response = login_as("account_manager").get("/plekken/aanbod" + query)
    assert response.status_code == 400
    assert "Kies een waarde uit de lijst" in response.get_data(as_text=True)


def test_pagination(app, factory, login_as):
    org = factory.organisation()
    for n in range(23):
        create_placement(factory, org, title=f"Reeks plek {n:02d}")
    am = login_as("account_manager")
    first = am.get("/plekken/aanbod").get_data(as_text=True)
    assert "23 plekken gevonden" in first and "Pagina 1 van 2" in first
    second = am.get("/plekken/aanbod?page=2").get_data(as_text=True)
    assert second.count("Reeks plek") == 3


def test_staff_start_page_panel(app, catalogue, login_as):
    html = login_as("account_manager").get("/accountmanager").get_data(as_text=True)
    assert "3 gepubliceerde plekken" in html and "Plek bakkerij" in html
    assert "/plekken/aanbod" in html
