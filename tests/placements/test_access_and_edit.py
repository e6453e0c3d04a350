"""Who sees and changes which placement: 404 for other organisations, nothing visible before approval
and publication; editing keeps the rules of the form."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.placements.factories import create_placement, form_data


@pytest.fixture
def other_employer(login_as):
    return login_as("employer")


def test_employer_of_another_organisation_gets_404_everywhere_and_nothing_changes(app, factory, employer, other_employer, load):
    placement = create_placement(factory, employer.user.organisation_id, status="published", title="Onze plek")
    pid = placement.id
    for url in (f"/plekken/{pid}", f"/plekken/{pid}.json", f"/plekken/{pid}/bewerken"):
        assert other_employer.get(url).status_code == 404, url
    response = other_employer.post_form(f"/plekken/{pid}/bewerken", form_data(title="Overgenomen"))
    assert response.status_code == 404
    for action in ("publiceren", "pauzeren", "sluiten", "heropenen"):
        assert other_employer.post_form(f"/plekken/{pid}/{action}").status_code == 404
    after = load(pid)
    assert after.title == "Onze plek" and after.status.value == "published"
    # ... and it is not in their list either
    assert "Onze plek" not in other_employer.get("/plekken").get_data(as_text=True)


def test_missing_placement_is_404(app, factory, employer):
    assert employer.get("/plekken/999999").status_code == 404
    assert employer.get("/plekken/999999.json").status_code == 404


@pytest.mark.parametrize("status, approved, visible", [
    ("published", True, {"account_manager": True, "wsp": True, "admin": True}),
    ("draft", True, {"account_manager": False, "wsp": False, "admin": False}),
    ("paused", True, {"account_manager": False, "wsp": True, "admin": True}),
    ("closed", True, {"account_manager": False, "wsp": True, "admin": True}),
    ("published", False, {"account_manager": False, "wsp": False, "admin": False}),
    ("draft", False, {"account_manager": False, "wsp": False, "admin": False}),
])
def test_staff_see_only_published_placements_of_approved_organisations(app, factory, login_as, status, approved, visible):
    organisation = factory.organisation(approved=approved)
    placement = create_placement(factory, organisation, status=status, title="Plek om te zien")
    own = factory.user("employer", organisation=organisation)
    for role, expected in visible.items():
        client = login_as(role)
        assert (client.get(f"/plekken/{placement.id}").status_code == 200) is expected, role
        assert (client.get(f"/plekken/{placement.id}.json").status_code == 200) is expected, role
        listed = "Plek om te zien" in client.get("/plekken/aanbod").get_data(as_text=True)
        assert listed is expected, role
    owner = login_as("employer", organisation=organisation)
    assert owner.get(f"/plekken/{placement.id}").status_code == 200
    assert own is not None


def test_employer_edits_own_placement(app, factory, employer, load):
    placement = create_placement(factory, employer.user.organisation_id, status="published",
                                 other_languages=(("ar", 3), ("en", 2)))
    html = employer.get(f"/plekken/{placement.id}/bewerken").get_data(as_text=True)
    assert 'value="Magazijnmedewerker"' in html
    response = employer.post_form(f"/plekken/{placement.id}/bewerken", form_data(**{
        "title": "Magazijnmedewerker (aangepast)", "other_languages-0-language": "ar", "other_languages-0-level": "4",
        "other_languages-1-language": "ti", "other_languages-1-level": "2",
    }))
    assert response.status_code == 302
    after = load(placement.id)
    assert after.title == "Magazijnmedewerker (aangepast)" and after.status.value == "published"
    assert sorted((r.language, r.level) for r in after.other_languages) == [("ar", 4), ("ti", 2)]


def test_invalid_edit_leaves_the_placement_unchanged(app, factory, employer, load):
    placement = create_placement(factory, employer.user.organisation_id, title="Origineel", hours_per_week=16)
    response = employer.post_form(f"/plekken/{placement.id}/bewerken", form_data(title="Nieuw", hours_per_week="99"))
    assert response.status_code == 400
    after = load(placement.id)
    assert after.title == "Origineel" and after.hours_per_week == 16


def test_a_start_date_already_past_may_stay_but_not_be_moved_into_the_past(app, factory, employer, load):
    past = dt.date.today() - dt.timedelta(days=10)
    placement = create_placement(factory, employer.user.organisation_id, start_date=past)
    kept = employer.post_form(f"/plekken/{placement.id}/bewerken", form_data(start_date=past.isoformat(), title="Nog steeds"))
    assert kept.status_code == 302 and load(placement.id).title == "Nog steeds"
    earlier = (past - dt.timedelta(days=1)).isoformat()
    moved = employer.post_form(f"/plekken/{placement.id}/bewerken", form_data(start_date=earlier))
    assert moved.status_code == 400 and load(placement.id).start_date == past


def test_staff_cannot_edit(app, login_as, factory):
    organisation = factory.organisation()
    placement = create_placement(factory, organisation)
    for role in ("account_manager", "wsp", "admin"):
        client = login_as(role)
        assert client.get(f"/plekken/{placement.id}/bewerken").status_code == 403
        assert client.post_form(f"/plekken/{placement.id}/publiceren").status_code == 403
        assert "Bewerken" not in client.get(f"/plekken/{placement.id}").get_data(as_text=True)
