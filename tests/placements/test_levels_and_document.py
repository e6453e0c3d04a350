"""The task helper (server-side suggestion), level descriptions, and the JSON document's stable shape."""
from __future__ import annotations

import json
import re

from portal import reference
from tests.placements.factories import create_placement, form_data


def _checked_level(html: str, name: str) -> int:
    select = re.search(rf'<select[^>]*id="{name}".*?</select>', html, re.S)
    match = re.search(r'<option value="(\d)" selected>', select.group(0)) if select else None
    assert match, f"no level chosen for {name}"
    return int(match.group(1))


def test_suggest_levels_fills_the_highest_level_per_skill_and_saves_nothing(app, employer, count_placements):
    tasks = ["read_work_schedule", "talk_with_customers", "write_short_message"]
    expected = reference.suggest_levels(tasks)
    response = employer.post_form("/plekken/nieuw", form_data(
        language_tasks=tasks, suggest="Niveaus voorstellen", save=None,
        dutch_listening="6", dutch_reading="6", dutch_spoken_interaction="6", dutch_spoken_production="6", dutch_writing="6"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for skill in reference.LANGUAGE_SKILLS:
        assert _checked_level(html, f"dutch_{skill}") == expected[skill], skill
    assert expected == {"listening": 3, "reading": 1, "spoken_interaction": 3, "spoken_production": 0, "writing": 2}
    assert count_placements() == 0
    # The other fields keep what was typed, and no errors are shown yet.
    assert 'value="Taalstage in de bakkerij"' in html and "error-summary" not in html


def test_suggest_with_an_unknown_task_is_refused(app, employer):
    response = employer.post_form("/plekken/nieuw", form_data(language_tasks=["juggle"], suggest="Niveaus voorstellen", save=None))
    assert response.status_code == 400
    assert "Onbekende werksituatie" in response.get_data(as_text=True)


def test_form_shows_each_level_with_its_plain_language_description(app, employer):
    html = employer.get("/plekken/nieuw").get_data(as_text=True)
    for skill in reference.LANGUAGE_SKILLS:
        for level in reference.LEVELS:
            description = reference.level_description(level, skill, "nl")
            assert description.replace("'", "&#39;") in html, (skill, level)
    # The task table is there for the live helper in placements.js.
    table = json.loads(re.search(r"data-task-levels='([^']*)'", html).group(1))
    assert table["follow_safety_instructions"] == {"listening": 2}
    assert "Council of Europe" in html  # sources of the task table


def test_json_document_has_the_stable_shape(app, factory, employer):
    placement = create_placement(
        factory, employer.user.organisation_id, type="taalstage", title="Taalstage", sector="horeca",
        postcode="1506 EC", municipality="Zaanstad", city="Zaandam", hours_per_week=8,
        dayparts=["tue_morning", "tue_afternoon"], duration_weeks=None, places=2, support=["buddy"],
        offers=["allowance"], required_skills=["occ.baker"], nice_to_have_skills=["skill.haccp"],
        dutch_listening=2, dutch_spoken_interaction=1, dutch_spoken_production=1,
        language_tasks=["follow_safety_instructions"], allow_one_level_below_with_support=True,
        other_languages=(("ar", 3),),
    )
    doc = employer.get(f"/plekken/{placement.id}.json").get_json()
    assert set(doc) == {
        "id", "type", "title", "tasks", "sector", "organisation", "location", "hours_per_week", "dayparts", "days",
        "start_date", "duration_weeks", "places", "support", "offers", "pay_indication", "skills",
        "language_requirements", "allow_one_level_below_with_support", "status", "published_at", "updated_at",
    }
    assert doc["id"] == placement.id and doc["type"] == "taalstage" and doc["status"] == "published"
    assert doc["organisation"]["id"] == employer.user.organisation_id and doc["organisation"]["name"]
    assert doc["location"] == {"postcode": "1506 EC", "city": "Zaandam", "municipality": "Zaanstad"}
    assert doc["dayparts"] == ["tue_morning", "tue_afternoon"] and doc["days"] == ["tue"]
    assert doc["duration_weeks"] is None and doc["start_date"] == placement.start_date.isoformat()
    assert doc["skills"] == {"required": ["occ.baker"], "nice_to_have": ["skill.haccp"]}
    assert doc["language_requirements"] == {
        "nl": {"listening": 2, "reading": 0, "spoken_interaction": 1, "spoken_production": 1, "writing": 0},
        "other": [{"language": "ar", "level": 3}],
        "tasks": ["follow_safety_instructions"],
    }
    assert list(doc["language_requirements"]["nl"]) == list(reference.LANGUAGE_SKILLS)
    assert doc["allow_one_level_below_with_support"] is True
    assert doc["published_at"].endswith("+00:00")


def test_placement_document_is_a_pure_function(app, factory, employer):
    from portal.core import db
    from portal.placements.documents import placement_document
    from portal.placements.models import Placement

    placement = create_placement(factory, employer.user.organisation_id)
    with app.app_context():
        loaded = db.session.get(Placement, placement.id)
        first, second = placement_document(loaded), placement_document(loaded)
        assert first == second and json.loads(json.dumps(first)) == first
