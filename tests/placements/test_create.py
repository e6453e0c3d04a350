"""Employers create placements; every bad input gets a field-level error, status 400, nothing saved."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from portal.core import db
from tests.placements.factories import form_data, placement_id_from


def _field_error(html: str, field_id: str) -> str:
    match = re.search(rf'id="{re.escape(field_id)}-error">(.*?)</p>', html, re.S)
    assert match, f"no error shown next to {field_id}"
    return re.sub(r"<[^>]+>", "", match.group(1))


def test_employer_creates_a_draft_with_everything_stored(app, employer, load):
    response = employer.post_form("/plekken/nieuw", form_data(
        **{"other_languages-1-language": "en", "other_languages-1-level": "2"}))
    assert response.status_code == 302
    placement_id = placement_id_from(response)
    p = load(placement_id)
    assert p.status.value == "draft" and p.published_at is None
    assert p.organisation_id == employer.user.organisation_id and p.created_by_id == employer.user.id
    assert (p.type.value, p.title, p.sector, p.postcode, p.municipality) == (
        "taalstage", "Taalstage in de bakkerij", "horeca", "1506 EC", "Zaanstad")
    assert p.hours_per_week == 12 and p.places == 2 and p.duration_weeks == 12
    assert p.dayparts == ["tue_morning", "tue_afternoon", "thu_morning", "thu_afternoon"]
    assert p.support == ["buddy", "travel_allowance"] and p.offers == ["allowance", "certificate"]
    assert p.nice_to_have_skills == ["skill.baking"] and p.required_skills == []
    assert p.dutch_levels == {"listening": 2, "reading": 0, "spoken_interaction": 1, "spoken_production": 1, "writing": 0}
    assert p.language_tasks == ["follow_safety_instructions"]
    assert sorted((row.language, row.level) for row in p.other_languages) == [("ar", 3), ("en", 2)]

    page = employer.get(f"/plekken/{placement_id}").get_data(as_text=True)
    assert "Taalstage in de bakkerij" in page and "Arabisch" in page and "Concept" in page


def test_open_ended_placement_of_one_day_a_week(app, employer, load):
    response = employer.post_form("/plekken/nieuw", form_data(
        duration_weeks="", hours_per_week="6", dayparts=["wed_morning", "wed_afternoon"]))
    assert response.status_code == 302
    placement_id = placement_id_from(response)
    p = load(placement_id)
    assert p.duration_weeks is None and p.hours_per_week == 6 and p.dayparts == ["wed_morning", "wed_afternoon"]


def test_new_form_is_prefilled_with_the_organisation_address(app, employer):
    html = employer.get("/plekken/nieuw").get_data(as_text=True)
    assert 'value="Stationsstraat 1"' in html and 'value="1011 AB"' in html


BAD_INPUT = [
    ("postcode", {"postcode": "12345"}, "postcode", "geldige Nederlandse postcode"),
    ("postcode letters SS", {"postcode": "1234 SS"}, "postcode", "geldige Nederlandse postcode"),
    ("hours zero", {"hours_per_week": "0"}, "hours_per_week", "van 1 tot en met 40 uur"),
    ("hours 41", {"hours_per_week": "41"}, "hours_per_week", "van 1 tot en met 40 uur"),
    ("hours not a number", {"hours_per_week": "veel"}, "hours_per_week", ""),
    ("more dayparts than hours", {"hours_per_week": "3", "dayparts": ["mon_morning", "tue_morning", "wed_morning", "thu_morning"]},
     "dayparts", "meer dagdelen dan de uren toelaten"),
    ("more hours than dayparts hold", {"hours_per_week": "20", "dayparts": ["mon_morning", "mon_afternoon"]},
     "dayparts", "past niet in 2 dagdelen"),
    ("no dayparts", {"dayparts": []}, "dayparts", "minstens één dagdeel"),
    ("unknown daypart", {"dayparts": ["mon_night"]}, "dayparts", "Onbekend dagdeel"),
    ("start in the past", {"start_date": (dt.date.today() - dt.timedelta(days=1)).isoformat()}, "start_date", "in het verleden"),
    ("start not a date", {"start_date": "31-02-2027"}, "start_date", "Ongeldige datum"),
    ("no start date", {"start_date": ""}, "start_date", "Vul een startdatum in."),
    ("zero places", {"places": "0"}, "places", "van 1 tot en met 99 plekken"),
    ("unknown skill", {"required_skills": ["occ.astronaut"]}, "required_skills", "Onbekende vaardigheid"),
    ("unknown nice-to-have skill", {"nice_to_have_skills": ["skill.nope"]}, "nice_to_have_skills", "Onbekende vaardigheid"),
    ("skill both required and nice", {"required_skills": ["skill.baking"], "nice_to_have_skills": ["skill.baking"]},
     "nice_to_have_skills", "Staat al bij de vereiste"),
    ("unknown language", {"other_languages-0-language": "xx"}, "other_languages-0-language", "Kies een taal uit de lijst"),
    ("dutch as other language", {"other_languages-0-language": "nl"}, "other_languages-0-language", "Kies een taal uit de lijst"),
    ("language without level", {"other_languages-0-level": ""}, "other_languages-0-level", "Kies een niveau bij deze taal"),
    ("same language twice", {"other_languages-1-language": "ar", "other_languages-1-level": "2"},
     "other_languages-1-language", "staat er al"),
    ("other language level 7", {"other_languages-0-level": "7"}, "other_languages-0-level", "A1 tot en met C2"),
    ("dutch level 7", {"dutch_listening": "7"}, "dutch_listening", "genoemde niveaus"),
    ("dutch level B1 text", {"dutch_reading": "B1"}, "dutch_reading", "genoemde niveaus"),
    ("dutch level negative", {"dutch_writing": "-1"}, "dutch_writing", "genoemde niveaus"),
    ("unknown language task", {"language_tasks": ["juggle"]}, "language_tasks", "Onbekende werksituatie"),
    ("unknown support", {"support": ["free_lunch"]}, "support", "Onbekende vorm van begeleiding"),
    ("unknown type", {"type": "stage"}, "type", ""),
    ("unknown sector", {"sector": "ruimtevaart"}, "sector", "Kies een sector uit de lijst"),
    ("title of 2", {"title": "ab"}, "title", "3 tot 150 tekens"),
    ("title of 5000", {"title": "a" * 5000}, "title", "3 tot 150 tekens"),
    ("tasks too long", {"tasks": "x" * 4001}, "tasks", "hoogstens 4000 tekens"),
    ("script in title", {"title": "<script>alert(1)</script>"}, "title", "gewone tekst"),
    ("html in tasks", {"tasks": 'Inpakken <img src=x onerror="alert(1)">'}, "tasks", "gewone tekst"),
    ("html in city", {"city": "<b>Zaandam</b>"}, "city", "gewone tekst"),
    ("javascript url in pay", {"pay_indication": "javascript:alert(1)"}, "pay_indication", "gewone tekst"),
    ("control character", {"title": "Hulp\x00 bakkerij"}, "title", "ongeldige tekens"),
    ("missing title", {"title": "  "}, "title", "Vul een titel in"),
]


@pytest.mark.parametrize("case, overrides, field_id, message", BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input_is_refused_next_to_the_field_and_nothing_is_saved(app, employer, count_placements, case, overrides, field_id, message):
    before = count_placements()
    response = employer.post_form("/plekken/nieuw", form_data(**overrides))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in _field_error(html, field_id)
    assert "De plek is niet opgeslagen" in html and 'class="error-summary"' in html
    assert count_placements() == before


def test_script_is_rendered_escaped_in_the_refused_form(app, employer):
    html = employer.post_form("/plekken/nieuw", form_data(title="<script>alert(1)</script>")).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_ordinary_angle_brackets_are_text_and_shown_escaped(app, employer):
    response = employer.post_form("/plekken/nieuw", form_data(tasks="Dozen < 10 kg tillen & stapelen > 2 hoog"))
    assert response.status_code == 302
    page = employer.get(response.headers["Location"]).get_data(as_text=True)
    assert "Dozen &lt; 10 kg tillen &amp; stapelen &gt; 2 hoog" in page


def test_form_without_csrf_token_is_refused(app, employer, count_placements):
    response = employer.http.post("/plekken/nieuw", data=form_data())
    assert response.status_code == 400 and count_placements() == 0


def test_pending_organisation_can_save_a_draft(app, factory, make_client, count_placements):
    organisation = factory.organisation(approved=False)
    user = factory.user("employer", organisation=organisation)
    client = make_client()
    client.login(user)
    page = client.get("/plekken/nieuw").get_data(as_text=True)
    assert "wacht nog op goedkeuring" in page
    assert client.post_form("/plekken/nieuw", form_data()).status_code == 302
    assert count_placements() == 1


def test_audit_entry_for_creation(app, employer):
    from portal.core.audit import AuditEntry

    employer.post_form("/plekken/nieuw", form_data())
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "placement.created")).one()
        assert entry.actor_id == employer.user.id and entry.object_type == "placements"
