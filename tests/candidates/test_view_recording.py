"""Every way an employer sees a candidate is counted and audited; limits per account and per organisation;
media URLs are bound to the viewer, the file and a short time; repeated views are one audited view."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from portal.core import db
from portal.core.audit import AuditEntry
from tests.video.access import ready_video

VIEWED = "candidate.viewed_by_employer"


def views(app, candidate_id=None) -> int:
    with app.app_context():
        query = select(func.count(AuditEntry.id)).where(AuditEntry.action == VIEWED)
        if candidate_id is not None:
            query = query.where(AuditEntry.object_id == candidate_id)
        return db.session.scalar(query)


@pytest.fixture
def app_config():
    return {"CANDIDATE_VIEWS_PER_HOUR": 3, "CANDIDATE_VIEWS_PER_DAY": 50,
            "CANDIDATE_VIEWS_PER_ORGANISATION_PER_HOUR": 4, "CANDIDATE_VIEWS_PER_ORGANISATION_PER_DAY": 50}


def test_a_rerendered_interest_form_counts_as_a_view(app, cf, employer_client):
    employer = employer_client()
    candidate = cf.candidate(published=True)
    response = employer.post_form(f"/kandidaten/{candidate.id}/ontmoeten", {"placement_id": "nope"})
    assert response.status_code == 400 and candidate.first_name in response.get_data(as_text=True)
    assert views(app, candidate.id) == 1  # kept although the form's request was rolled back


def test_the_interest_form_is_refused_beyond_the_limit(app, cf, employer_client):
    employer = employer_client()
    owner = cf.owner()
    seen = [cf.candidate(published=True, owner=owner) for _ in range(3)]
    for candidate in seen:
        assert employer.get(f"/kandidaten/{candidate.id}").status_code == 200
    fourth = cf.candidate(published=True, owner=owner)
    for url in (f"/kandidaten/{fourth.id}/ontmoeten", f"/gesprekken/kandidaat/{fourth.id}"):
        response = employer.post_form(url, {"placement_id": "nope", "meeting-slot_id": "x"})
        assert response.status_code == 429, url
        assert fourth.first_name not in response.get_data(as_text=True)
    assert views(app, fourth.id) == 0


def test_a_rerendered_booking_form_counts_as_a_view(app, cf, employer_client):
    employer = employer_client()
    candidate = cf.candidate(published=True)
    response = employer.post_form(f"/gesprekken/kandidaat/{candidate.id}", {"meeting-slot_id": ""})
    assert response.status_code == 400
    assert views(app, candidate.id) == 1


def test_the_limit_counts_per_organisation_as_well(app, cf, factory, make_client):
    organisation = factory.organisation()
    owner = cf.owner()
    candidates = [cf.candidate(published=True, owner=owner) for _ in range(5)]
    colleagues = []
    for _ in range(2):
        client = make_client()
        client.login(factory.user("employer", organisation=organisation))
        colleagues.append(client)
    for candidate in candidates[:2]:
        assert colleagues[0].get(f"/kandidaten/{candidate.id}").status_code == 200
    for candidate in candidates[2:4]:
        assert colleagues[1].get(f"/kandidaten/{candidate.id}").status_code == 200
    # Each account is below its own limit of 3, the organisation has reached its 4.
    assert colleagues[1].get(f"/kandidaten/{candidates[4].id}").status_code == 429
    assert colleagues[0].get(f"/kandidaten/{candidates[0].id}").status_code == 200  # seen before: free


def test_repeated_views_within_the_window_are_one_audited_view(app, cf, employer_client):
    employer = employer_client()
    candidate = cf.candidate(published=True)
    for _ in range(4):
        assert employer.get(f"/kandidaten/{candidate.id}").status_code == 200
    assert views(app, candidate.id) == 1
    with app.app_context():  # half an hour later it is a new view again
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == VIEWED))
        entry.at = db.utcnow() - dt.timedelta(minutes=31)
        db.commit()
    employer.get(f"/kandidaten/{candidate.id}")
    assert views(app, candidate.id) == 2


def _gallery_media(employer, candidate_id):
    import re

    page = employer.get("/kandidaten").get_data(as_text=True)
    posters = re.findall(r'src="(/video/\d+/[0-9a-f]+/poster\.jpg\?g=[^"]+)"', page)
    return [p.replace("&amp;", "&") for p in posters]


def test_a_poster_url_cannot_be_turned_into_the_video_or_captions(app, cf, employer_client):
    employer = employer_client()
    candidate = cf.candidate(published=True)
    ready_video(app, candidate.id)
    posters = _gallery_media(employer, candidate.id)
    assert posters, "the gallery card shows the poster"
    assert employer.get(posters[0]).status_code == 200
    for name in ("video.mp4", "captions.vtt"):
        assert employer.get(posters[0].replace("poster.jpg", name)).status_code == 403
    assert views(app) == 0  # a card in the list is not a detail view


def test_media_urls_are_bound_to_the_viewer_and_the_first_play_counts(app, cf, employer_client):
    import re

    employer = employer_client()
    candidate = cf.candidate(published=True)
    ready_video(app, candidate.id)
    page = employer.get(f"/kandidaten/{candidate.id}").get_data(as_text=True)
    video_url = re.search(r'(/video/\d+/[0-9a-f]+/video\.mp4\?g=[^"]+)"', page).group(1).replace("&amp;", "&")
    with app.app_context():
        db.session.execute(AuditEntry.__table__.delete().where(AuditEntry.action == VIEWED))
        db.commit()
    assert employer.get(video_url, headers={"Range": "bytes=0-9"}).status_code == 206
    assert employer.get(video_url, headers={"Range": "bytes=10-19"}).status_code == 206
    assert views(app, candidate.id) == 1  # the play, once
    colleague = employer_client(organisation=employer.organisation)
    assert colleague.get(video_url).status_code == 403  # a copied URL does not play for someone else
    app.config["MEDIA_URL_MAX_AGE_SECONDS"] = -1
    assert employer.get(video_url).status_code == 403  # expired


def _video_url(employer, candidate_id):
    import re

    page = employer.get(f"/kandidaten/{candidate_id}").get_data(as_text=True)
    return re.search(r'(/video/\d+/[0-9a-f]+/video\.mp4\?g=[^"]+)"', page).group(1).replace("&amp;", "&")


def _forget_views(app):
    with app.app_context():
        db.session.execute(AuditEntry.__table__.delete().where(AuditEntry.action == VIEWED))
        db.commit()


@pytest.mark.parametrize("first_range", ["bytes=1-", "bytes=100-199", "bytes=-50"])
def test_a_play_that_does_not_start_at_byte_zero_counts_too(app, cf, employer_client, first_range):
    """Asking for bytes=1- (all but the first byte) must not be a way to watch uncounted."""
    employer = employer_client()
    candidate = cf.candidate(published=True)
    ready_video(app, candidate.id)
    video_url = _video_url(employer, candidate.id)
    _forget_views(app)
    assert employer.get(video_url, headers={"Range": first_range}).status_code == 206
    assert views(app, candidate.id) == 1
    assert employer.get(video_url, headers={"Range": "bytes=0-9"}).status_code == 206
    assert views(app, candidate.id) == 1  # the same play: one audited view in the window


def test_a_play_beyond_the_limit_is_refused_whatever_its_range(app, cf, employer_client):
    employer = employer_client()
    owner = cf.owner()
    watched = cf.candidate(published=True, owner=owner)
    ready_video(app, watched.id)
    video_url = _video_url(employer, watched.id)
    _forget_views(app)
    for candidate in [cf.candidate(published=True, owner=owner) for _ in range(3)]:
        assert employer.get(f"/kandidaten/{candidate.id}").status_code == 200
    assert employer.get(video_url, headers={"Range": "bytes=1-"}).status_code == 429
    assert views(app, watched.id) == 0


def test_a_poster_url_shows_nothing_to_another_user(app, cf, employer_client, make_client):
    employer = employer_client()
    candidate = cf.candidate(published=True)
    ready_video(app, candidate.id)
    posters = _gallery_media(employer, candidate.id)
    assert posters and employer.get(posters[0]).status_code == 200
    colleague = employer_client(organisation=employer.organisation)
    assert colleague.get(posters[0]).status_code == 403  # bound to the viewer, like the video
    assert make_client().get(posters[0]).status_code in (302, 401, 403)  # and to a signed-in viewer
    assert views(app) == 0  # a card's poster is not a view
