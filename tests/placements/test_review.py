"""Publishing goes through the summary: after saving a draft the employer sees, read-only, what account
managers will see, with "Publiceren" and "Wijzigen". The publish request carries the version the summary
showed; without it, with a changed placement, or without CSRF nothing is published."""
from __future__ import annotations

import re

from tests.placements.factories import create_placement, form_data, placement_id_from, publish_through_summary



def test_saving_a_draft_leads_to_the_summary_and_publishing_from_it(app, employer, load):
    response = employer.post_form("/plekken/nieuw", form_data(
        required_skills=["occ.baker"], **{"other_languages-0-language": "ar", "other_languages-0-level": "3"}))
    assert response.status_code == 302 and response.headers["Location"].endswith("/controleren")
    placement_id = placement_id_from(response)
    page = employer.get(f"/plekken/{placement_id}/controleren").get_data(as_text=True)
    # what others will see, as labels: skill, language and level names, the level's meaning
    assert "Taalstage in de bakkerij" in page and "Bakker" in page and "occ.baker" not in page
    assert "Arabisch" in page and "B1 – zelfstandig gebruiker" in page
    assert "A2 – basisgebruiker" in page and "Zaanstad" in page
    assert 'class="utrecht-data-list' in page
    assert f'href="/plekken/{placement_id}/bewerken"' in page and ">Wijzigen<" in page
    assert f'action="/plekken/{placement_id}/publiceren"' in page and "csrf_token" in page
    assert load(placement_id).status.value == "draft"  # nothing published by looking

    response = publish_through_summary(employer, placement_id, follow_redirects=True)
    assert "De plek is gepubliceerd" in response.get_data(as_text=True)
    assert load(placement_id).status.value == "published"


def test_publishing_without_the_summary_or_after_a_change_publishes_nothing(app, factory, employer, load):
    placement = create_placement(factory, employer.user.organisation_id, status="draft")
    pid = placement.id
    # no version: not from the summary
    response = employer.post_form(f"/plekken/{pid}/publiceren")
    assert response.status_code == 400
    assert "De plek is niet gepubliceerd" in response.get_data(as_text=True)
    assert load(pid).status.value == "draft"
    # a forged or stale version
    for version in ("0" * 32, "x" * 5000, "\x00"):
        assert employer.post_form(f"/plekken/{pid}/publiceren", {"version": version}).status_code == 400
    assert load(pid).status.value == "draft"
    # the summary is opened, then the placement changes (another tab): the old summary publishes nothing
    summary = employer.get(f"/plekken/{pid}/controleren").get_data(as_text=True)
    old = re.search(r'value="([0-9a-f]{32})"', summary).group(1)
    edited = employer.post_form(f"/plekken/{pid}/bewerken", form_data(title="Een andere titel"))
    assert edited.status_code == 302 and edited.headers["Location"].endswith(f"/plekken/{pid}/controleren")
    response = employer.post_form(f"/plekken/{pid}/publiceren", {"version": old})
    assert response.status_code == 400 and "Een andere titel" in response.get_data(as_text=True)
    assert load(pid).status.value == "draft"
    # without CSRF
    fresh = re.search(r'value="([0-9a-f]{32})"', employer.get(f"/plekken/{pid}/controleren").get_data(as_text=True)).group(1)
    assert employer.http.post(f"/plekken/{pid}/publiceren", data={"version": fresh}).status_code == 400
    assert load(pid).status.value == "draft"
    # the current summary publishes
    assert employer.post_form(f"/plekken/{pid}/publiceren", {"version": fresh}).status_code == 302
    assert load(pid).status.value == "published"


def test_the_detail_page_links_to_the_summary_and_edits_of_a_published_placement_go_back_to_it(app, factory, employer):
    draft = create_placement(factory, employer.user.organisation_id, status="draft")
    page = employer.get(f"/plekken/{draft.id}").get_data(as_text=True)
    assert f'href="/plekken/{draft.id}/controleren"' in page and f'action="/plekken/{draft.id}/publiceren"' not in page
    published = create_placement(factory, employer.user.organisation_id, status="published")
    response = employer.post_form(f"/plekken/{published.id}/bewerken", form_data(title="Nieuwe titel"))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/plekken/{published.id}")
    summary = employer.get(f"/plekken/{published.id}/controleren").get_data(as_text=True)
    assert 'name="version"' not in summary and "hoeft nu niet gepubliceerd" in summary


def test_another_organisation_cannot_see_the_summary_or_publish(app, factory, make_client, employer, load):
    placement = create_placement(factory, employer.user.organisation_id, status="draft")
    other = make_client()
    other.login(factory.user("employer", organisation=factory.organisation(name="Ander bedrijf")))
    assert other.get(f"/plekken/{placement.id}/controleren").status_code == 404
    from portal.placements.review import review_version

    assert other.post_form(f"/plekken/{placement.id}/publiceren", {"version": review_version(load(placement.id))}).status_code == 404
    assert load(placement.id).status.value == "draft"
