"""The account manager's search page, saved searches and matching pages (database backend)."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from portal.core import db
from tests.search.factories import consent, levels, make_candidate


def make_placement(app, organisation, **fields):
    from portal.placements.models import Placement

    values = dict(
        organisation_id=organisation.id, type="taalstage", title="Hulp in het magazijn", tasks="Dozen inpakken",
        sector="logistiek", street_address="Symon Spiersweg 7", postcode="1506 RZ", city="Zaandam",
        municipality="Zaanstad", hours_per_week=16, dayparts=["mon_morning", "wed_morning"],
        start_date=dt.date.today() + dt.timedelta(days=30), places=1, required_skills=["occ.warehouse_worker"],
        nice_to_have_skills=["occ.forklift_driver"], dutch_listening=2, dutch_spoken_production=2, dutch_writing=2,
        status="published", published_at=db.utcnow(),
    )
    values.update(fields)
    with app.app_context():
        placement = Placement(**values)
        db.session.add(placement)
        db.commit()
        return placement.id


@pytest.fixture
def am(login_as):
    # WSP staff search the whole region; account managers only their own municipality
    # (tests/candidates/test_municipalities.py).
    return login_as("wsp")


@pytest.fixture
def people(app, am):
    owner = am.user
    ok = [consent()]
    return {
        "bilal": make_candidate(app, owner, first_name="Bilal", skills=["occ.warehouse_worker", "occ.forklift_driver"],
                                languages={"nl": levels(3, 2, 3, 2, 2)}, availability=["mon_morning", "wed_morning"],
                                postcode_area="1521", consents=ok, ambitions="magazijn"),
        "esra": make_candidate(app, owner, first_name="Esra", skills=["occ.warehouse_worker"], status="ready",
                               languages={"nl": levels(2, 2, 2, 2, 1)}, availability=["mon_morning"], consents=ok),
        "chaltu": make_candidate(app, owner, first_name="Chaltu", skills=["occ.cleaner"], municipality="Amsterdam",
                                 postcode_area="1102", languages={"nl": levels(1, 1, 1, 1, 0)}, consents=ok),
    }


def test_search_page_lists_candidates_with_facets(am, people):
    response = am.get("/zoeken")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "3 kandidaten gevonden" in page and "Bilal" in page and "Chaltu" in page
    assert "Magazijnmedewerker" in page and "(2)" in page  # skill facet with its count


def test_search_page_speaks_the_users_language(am, people):
    am.post_form("/taal", {"locale": "en", "next": "/zoeken"})
    page = am.get("/zoeken").get_data(as_text=True)
    assert "3 candidates found" in page
    assert "Warehouse worker" in page and "Magazijnmedewerker" not in page  # skill labels from the reference data
    assert "spoken interaction" in page.lower() and "gesprekken voeren" not in page


def test_search_by_skill_and_dutch_listening_at_least_a2(am, people):
    page = am.get("/zoeken?skill=occ.warehouse_worker&lang0-code=nl&lang0-listening=A2").get_data(as_text=True)
    assert "2 kandidaten gevonden" in page and "Bilal" in page and "Esra" in page and "Chaltu" not in page
    page = am.get("/zoeken?lang0-code=nl&lang0-listening=B1").get_data(as_text=True)
    assert "1 kandidaat gevonden" in page and "Bilal" in page


def test_distance_sort_and_filter(am, people):
    page = am.get("/zoeken?postcode=1506&km=10&sort=distance").get_data(as_text=True)
    assert "Chaltu" not in page and "Bilal" in page and " km" in page


@pytest.mark.parametrize("query, message", [
    ("lang0-code=nl&lang0-listening=Z9", "Kies een niveau A1"),
    ("lang0-code=xx&lang0-listening=A2", "Onbekende taal"),
    ("lang0-listening=A2", "Kies bij een niveau ook de taal"),
    ("skill=occ.nonexistent", "Onbekende waarde"),
    ("day=funday", "Onbekende waarde"),
    ("per_page=10000", "Kies 10, 20, 50 of 100"),
    ("q=" + "a" * 5000, "hoogstens 200 tekens"),
    ("postcode=0000", "Nederlandse postcode"),
    ("sort=distance", "postcode in om op afstand"),
])
def test_bad_input_gets_a_clear_message_not_an_error_page(am, people, query, message):
    response = am.get(f"/zoeken?{query}")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert "Kandidaten zoeken" in page and "Er ging iets mis" not in page


@pytest.mark.parametrize("page_arg", ["-1", "0", "abc", "999999999"])
def test_odd_page_numbers_are_corrected(am, people, page_arg):
    response = am.get(f"/zoeken?page={page_arg}")
    assert response.status_code == 200
    assert "pagina" in response.get_data(as_text=True).lower()


@pytest.mark.parametrize("text", ['{"query":{"match_all":{}}}', "status:published OR *", "a AND (b", "<script>x</script>"])
def test_query_syntax_is_searched_literally(am, people, text):
    response = am.get("/zoeken", query_string={"q": text})
    assert response.status_code == 200
    assert "<script>x" not in response.get_data(as_text=True)


def test_employers_cannot_use_the_search_page(login_as, people):
    employer = login_as("employer")
    assert employer.get("/zoeken").status_code == 403


def test_saved_search_shared_with_a_colleague(app, am, login_as, people):
    response = am.post_form("/zoeken/opgeslagen", {"name": "Magazijn A2", "shared": "y",
                                                   "query_string": "skill=occ.warehouse_worker&lang0-code=nl&lang0-listening=A2&evil=1"})
    assert response.status_code == 302
    from portal.matching.models import SavedSearch

    with app.app_context():
        saved = db.session.scalar(select(SavedSearch))
        assert "evil" not in saved.query_string
        saved_id = saved.id
    colleague = login_as("account_manager")
    assert "Magazijn A2" in colleague.get("/zoeken/opgeslagen").get_data(as_text=True)
    opened = colleague.get(f"/zoeken/opgeslagen/{saved_id}")
    assert opened.status_code == 302 and "skill=occ.warehouse_worker" in opened.headers["Location"]
    # only the owner deletes
    assert colleague.post_form(f"/zoeken/opgeslagen/{saved_id}/verwijderen").status_code == 404
    assert am.post_form(f"/zoeken/opgeslagen/{saved_id}/verwijderen").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(SavedSearch.id))) == 0


def test_saving_without_a_name_changes_nothing(app, am, people):
    response = am.post_form("/zoeken/opgeslagen", {"name": "", "query_string": "q=x"})
    assert response.status_code == 400 and "Geef de zoekopdracht een naam" in response.get_data(as_text=True)
    from portal.matching.models import SavedSearch

    with app.app_context():
        assert db.session.scalar(select(func.count(SavedSearch.id))) == 0


def test_private_saved_search_is_not_visible_to_colleagues(app, am, login_as):
    am.post_form("/zoeken/opgeslagen", {"name": "Privé", "query_string": "q=x"})
    from portal.matching.models import SavedSearch

    with app.app_context():
        saved_id = db.session.scalar(select(SavedSearch.id))
    colleague = login_as("account_manager")
    assert colleague.get(f"/zoeken/opgeslagen/{saved_id}").status_code == 404
    assert "Privé" not in colleague.get("/zoeken/opgeslagen").get_data(as_text=True)


def test_placement_matches_are_ranked_and_explained(app, am, factory, people):
    organisation = factory.organisation()
    placement_id = make_placement(app, organisation)
    page = am.get(f"/zoeken/plek/{placement_id}").get_data(as_text=True)
    assert "1 kandidaat voldoet" in page
    assert "Bilal" in page and "spreken A2, gevraagd A2: voldoet" in page
    # Esra writes A1 where A2 is needed: a taalstage suggestion, explained
    suggestions = page.split("Suggesties voor een taalstage")[1]
    assert "Esra" in suggestions and "schrijven A1, gevraagd A2: één niveau lager" in suggestions
    assert "Chaltu" not in page


def test_one_level_below_with_support_is_a_match(app, am, factory, people):
    organisation = factory.organisation()
    placement_id = make_placement(app, organisation, allow_one_level_below_with_support=True, support=["jobcoach"])
    page = am.get(f"/zoeken/plek/{placement_id}").get_data(as_text=True)
    matches = page.split("Suggesties voor een taalstage")[0]
    assert "Bilal" in matches and "Esra" in matches and "met ondersteuning" in matches
    assert "toegestaan met ondersteuning op de werkvloer" in matches


def test_reverse_matching_candidate_to_open_placements(app, am, factory, people):
    organisation = factory.organisation()
    open_id = make_placement(app, organisation, title="Open magazijnplek")
    make_placement(app, organisation, title="Concept plek", status="draft", published_at=None)
    make_placement(app, factory.organisation(approved=False), title="Plek van onbekende werkgever")
    page = am.get(f"/zoeken/kandidaat/{people['bilal']}").get_data(as_text=True)
    assert "Open magazijnplek" in page and "Concept plek" not in page and "onbekende werkgever" not in page
    page = am.get(f"/zoeken/kandidaat/{people['esra']}").get_data(as_text=True)
    assert "idee voor een taalstage" in page
    assert page.split("idee voor een taalstage")[1].count("Open magazijnplek") == 1
    assert open_id


def test_matching_pages_404_for_unknown_objects(am):
    assert am.get("/zoeken/plek/999999").status_code == 404
    assert am.get("/zoeken/kandidaat/999999").status_code == 404


def test_start_page_panel_links_open_placements_to_their_matches(app, login_as, factory):
    # The panel is on the account manager's start page (the `am` fixture is WSP staff since municipalities).
    am = login_as("account_manager")
    placement_id = make_placement(app, factory.organisation(), title="Magazijnplek voor het paneel")
    page = am.get("/accountmanager").get_data(as_text=True)
    assert "Magazijnplek voor het paneel" in page and f"/zoeken/plek/{placement_id}" in page
