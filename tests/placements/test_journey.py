"""Done when: the demo-like employer posts a taalstage of two days a week needing Dutch listening A2 and
speaking A1 with Arabic accepted; an account manager finds it filtering on "Dutch speaking at most A2";
another organisation's employer cannot see or change it."""
from __future__ import annotations

import re

from tests.placements.factories import form_data, placement_id_from, publish_through_summary


def test_taalstage_journey(app, factory, make_client, load):
    bakery = factory.organisation(name="Bakkerij De Korenaar", sector="horeca", municipality="Zaanstad")
    els = factory.user("employer", organisation=bakery, name="Els de Vries")
    employer = make_client()
    employer.login(els)

    # The employer starts from the start page and the form.
    assert "Nieuwe plek" in employer.get("/werkgever").get_data(as_text=True)
    assert employer.get("/plekken/nieuw").status_code == 200

    # She ticks work situations and asks for suggested levels (no JavaScript needed).
    suggested = employer.post_form("/plekken/nieuw", form_data(
        language_tasks=["follow_safety_instructions", "ask_for_help"], suggest="Niveaus voorstellen", save=None))
    assert suggested.status_code == 200
    html = suggested.get_data(as_text=True)
    assert "We hebben de niveaus ingevuld" in html
    def chosen(name: str) -> str:
        select = re.search(rf'<select[^>]*id="{name}".*?</select>', html, re.S).group(0)
        return re.search(r'<option value="(\d)" selected>', select).group(1)

    assert chosen("dutch_listening") == "2"  # A2: follows spoken safety instructions
    assert chosen("dutch_spoken_interaction") == "2"

    # ... lowers speaking to A1 and saves: two days a week, Arabic accepted in the team.
    response = employer.post_form("/plekken/nieuw", form_data(
        type="taalstage", title="Taalstage bakkerij", hours_per_week="12",
        dayparts=["tue_morning", "tue_afternoon", "thu_morning", "thu_afternoon"],
        language_tasks=["follow_safety_instructions", "ask_for_help"],
        dutch_listening="2", dutch_reading="0", dutch_spoken_interaction="1", dutch_spoken_production="1", dutch_writing="0",
        **{"other_languages-0-language": "ar", "other_languages-0-level": "3"},
    ))
    assert response.status_code == 302
    placement_id = placement_id_from(response)
    assert f"/plekken/{placement_id}/controleren" in response.headers["Location"]  # the summary first
    assert publish_through_summary(employer, placement_id).status_code == 302
    placement = load(placement_id)
    assert placement.status.value == "published"
    assert placement.dutch_levels["listening"] == 2 and placement.dutch_levels["spoken_production"] == 1

    # The account manager finds it with "Dutch speaking at most A2" ...
    am = make_client()
    am.login(factory.user("account_manager"))
    found = am.get("/plekken/aanbod?max_spoken_production=2&max_spoken_interaction=2").get_data(as_text=True)
    assert "Taalstage bakkerij" in found
    # ... but not with "speaking: none".
    assert "Taalstage bakkerij" not in am.get("/plekken/aanbod?max_spoken_production=0").get_data(as_text=True)
    detail = am.get(f"/plekken/{placement_id}").get_data(as_text=True)
    assert "Arabisch" in detail and "A2 – basisgebruiker" in detail and "A1 – beginner" in detail
    assert am.get(f"/plekken/{placement_id}.json").get_json()["language_requirements"]["other"] == [{"language": "ar", "level": 3}]

    # The employer of another organisation can neither see nor change it.
    karim = make_client()
    karim.login(factory.user("employer", organisation=factory.organisation(name="Logistiek Zaanstreek")))
    assert karim.get(f"/plekken/{placement_id}").status_code == 404
    assert karim.post_form(f"/plekken/{placement_id}/bewerken", form_data(title="Gekaapt")).status_code == 404
    assert karim.post_form(f"/plekken/{placement_id}/sluiten").status_code == 404
    after = load(placement_id)
    assert after.title == "Taalstage bakkerij" and after.status.value == "published"
