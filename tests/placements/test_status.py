"""Publish, pause, close and reopen: audited operations; publishing needs an approved organisation."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.core import db
from tests.placements.factories import create_placement, publish_through_summary


def _actions(app, placement_id):
    from portal.core.audit import AuditEntry

    with app.app_context():
        return [e.action for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "placements", AuditEntry.object_id == placement_id)
            .order_by(AuditEntry.id))]


def test_full_life_cycle(app, factory, employer, load):
    placement = create_placement(factory, employer.user.organisation_id, status="draft")
    pid = placement.id
    steps = [("publiceren", "published"), ("pauzeren", "paused"), ("publiceren", "published"),
             ("sluiten", "closed"), ("heropenen", "draft"), ("publiceren", "published")]
    for action, status in steps:
        if action == "publiceren":
            response = publish_through_summary(employer, pid)
        else:
            response = employer.post_form(f"/plekken/{pid}/{action}")
        assert response.status_code == 302, action
        assert load(pid).status.value == status, action
    assert load(pid).published_at is not None
    assert _actions(app, pid) == ["placement.publish", "placement.pause", "placement.publish",
                                  "placement.close", "placement.reopen", "placement.publish"]


@pytest.mark.parametrize("status, action", [
    ("draft", "pauzeren"), ("published", "publiceren"), ("closed", "pauzeren"), ("closed", "publiceren"),
    ("published", "heropenen"), ("closed", "sluiten"),
])
def test_transition_that_does_not_apply_is_refused_with_a_message(app, factory, employer, load, status, action):
    placement = create_placement(factory, employer.user.organisation_id, status=status)
    data = {}
    if action == "publiceren":  # the version the summary would carry
        from portal.placements.review import review_version

        with app.app_context():
            from portal.core import db
            from portal.placements.models import Placement

            data["version"] = review_version(db.session.get(Placement, placement.id))
    response = employer.post_form(f"/plekken/{placement.id}/{action}", data, follow_redirects=True)
    assert "Dit kan niet bij een plek met status" in response.get_data(as_text=True)
    assert load(placement.id).status.value == status
    assert _actions(app, placement.id) == []


def test_publishing_before_approval_is_refused_with_a_clear_message(app, factory, make_client, load):
    organisation = factory.organisation(approved=False)
    user = factory.user("employer", organisation=organisation)
    client = make_client()
    client.login(user)
    placement = create_placement(factory, organisation, status="draft")
    page = client.get(f"/plekken/{placement.id}").get_data(as_text=True)
    assert "Publiceren kan zodra het Werkgeversservicepunt" in page
    summary = client.get(f"/plekken/{placement.id}/controleren").get_data(as_text=True)
    assert "Publiceren kan zodra het Werkgeversservicepunt" in summary and 'name="version"' not in summary
    from portal.placements.review import review_version

    with app.app_context():
        from portal.core import db
        from portal.placements.models import Placement

        version = review_version(db.session.get(Placement, placement.id))
    response = client.post_form(f"/plekken/{placement.id}/publiceren", {"version": version}, follow_redirects=True)
    assert "Publiceren kan pas als het Werkgeversservicepunt uw organisatie heeft goedgekeurd" in response.get_data(as_text=True)
    assert load(placement.id).status.value == "draft"


def test_status_change_without_csrf_token_is_refused(app, factory, employer, load):
    placement = create_placement(factory, employer.user.organisation_id, status="draft")
    assert employer.http.post(f"/plekken/{placement.id}/publiceren").status_code == 400
    assert load(placement.id).status.value == "draft"


def test_detail_shows_only_the_buttons_that_apply(app, factory, employer):
    placement = create_placement(factory, employer.user.organisation_id, status="published")
    html = employer.get(f"/plekken/{placement.id}").get_data(as_text=True)
    assert f"/plekken/{placement.id}/pauzeren" in html and f"/plekken/{placement.id}/sluiten" in html
    assert f"/plekken/{placement.id}/publiceren" not in html and f"/plekken/{placement.id}/heropenen" not in html


def test_own_list_counts_and_filters_by_status(app, factory, employer):
    org = employer.user.organisation_id
    create_placement(factory, org, status="draft", title="Concept een")
    create_placement(factory, org, status="published", title="Gepubliceerd een")
    create_placement(factory, org, status="published", title="Gepubliceerd twee")
    html = employer.get("/plekken").get_data(as_text=True)
    assert "Alle (3)" in html and "Gepubliceerd (2)" in html and "Concept (1)" in html
    drafts = employer.get("/plekken?status=draft").get_data(as_text=True)
    assert "Concept een" in drafts and "Gepubliceerd een" not in drafts
    start = employer.get("/werkgever").get_data(as_text=True)
    assert "Uw plekken" in start and "Gepubliceerd: 2" in start and "Gepubliceerd twee" in start
    assert "Mijn plekken" in start  # menu entry
