"""The gallery's cached fragments (filter form, cards, the profile) never show stale or another
viewer's data, nor another language: each is rendered again as soon as anything it shows differs."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from portal.accounts.models import User
from portal.candidates.gallery import AskedToMeet
from portal.candidates.models import Candidate, CandidateLanguage
from portal.core import db


def html(response):
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def cards(page):
    return "".join(part.split("</article>")[0] for part in page.split('<article class="candidate-card"')[1:])


def test_a_change_to_the_candidate_shows_on_the_next_request(app, cf, employer_client):
    employer = employer_client()
    candidate = cf.candidate(published=True, first_name="Anouk", availability=["mon_morning"])
    for _ in range(2):  # the second request is answered from the cached card and profile
        card = cards(html(employer.get("/kandidaten")))
        detail = html(employer.get(f"/kandidaten/{candidate.id}"))
        assert "Anouk" in card and "Anouk" in detail
        assert "maandag" in card and "zaterdag" not in card
    with app.app_context():
        db.session.execute(update(Candidate).where(Candidate.id == candidate.id)
                           .values(first_name="Bouchra", availability=["sat_evening"]))
        row = db.session.scalars(select(CandidateLanguage).where(
            CandidateLanguage.candidate_id == candidate.id, CandidateLanguage.language_code == "nl")).one()
        before = row.spoken_interaction
        row.spoken_interaction = 5
        db.commit()
    card = cards(html(employer.get("/kandidaten")))
    detail = html(employer.get(f"/kandidaten/{candidate.id}"))
    assert "Bouchra" in card and "Anouk" not in card and "zaterdag" in card and "maandag" not in card
    assert "Bouchra" in detail and "Anouk" not in detail
    assert before != 5 and "level-badge--5" in card  # the new level on the card


def test_each_language_gets_its_own_fragments(app, cf, employer_client):
    employer = employer_client()
    candidate = cf.candidate(published=True)
    dutch = html(employer.get("/kandidaten?days=mon"))
    assert "Alle sectoren" in dutch and "Beschikbaar:" in cards(dutch)
    with app.app_context():
        db.session.execute(update(User).where(User.id == employer.user.id).values(locale="en"))
        db.commit()
    english = html(employer.get("/kandidaten?days=mon"))
    assert "All sectors" in english and "Alle sectoren" not in english
    assert "Available:" in cards(english) and "Beschikbaar:" not in english
    detail = html(employer.get(f"/kandidaten/{candidate.id}"))
    assert "Languages" in detail and "<h2>Talen</h2>" not in detail


def test_an_organisation_never_sees_another_organisations_choices_or_requests(app, cf, factory, employer_client):
    first, second = employer_client(), employer_client()
    only_first = cf.candidate(published=True, organisations=[first.organisation.id], first_name="Chayenne",
                              municipality="Purmerend")
    shared = cf.candidate(published=True, first_name="Dirk")
    assert "Purmerend" in html(first.get("/kandidaten?sector=horeca"))
    page = html(second.get("/kandidaten?sector=horeca"))  # the same query string, another organisation
    assert "Purmerend" not in page and "Chayenne" not in page and "Dirk" in page
    with app.test_request_context():
        from portal.candidates import operations

        user = db.session.get(User, first.user.id)
        operations.record_interest(user, db.session.get(Candidate, shared.id))
        db.commit()
    assert "U vroeg om kennis te maken" in cards(html(first.get("/kandidaten")))
    assert "U vroeg om kennis te maken" not in cards(html(second.get("/kandidaten")))
    assert only_first.id != shared.id


def test_cache_keys_tell_apart_what_a_template_shows_differently():
    from markupsafe import Markup

    from portal.core.fragments import _frozen, _Unfreezable

    asked = AskedToMeet(dt.datetime(2026, 1, 1, 10), "Magazijn")
    assert _frozen(([asked],)) == _frozen(([AskedToMeet(dt.datetime(2026, 1, 1, 10), "Magazijn")],))
    assert _frozen(([asked],)) != _frozen(([AskedToMeet(dt.datetime(2026, 1, 1, 10), "Kassa")],))
    assert _frozen((Markup("<b>"),)) != _frozen(("<b>",))
    assert _frozen((True,)) != _frozen((1,))
    assert _frozen(([1],)) != _frozen(((1,),))
    assert _frozen((dt.date(2026, 1, 1),)) != _frozen((dt.datetime(2026, 1, 1),))
    assert _frozen(({"a": 1, "b": 2},)) != _frozen(({"b": 2, "a": 1},))  # the order a template iterates in

    class Mutable:
        pass

    from flask_babel import lazy_gettext

    for value in (Mutable(), lambda: 1, object(), lazy_gettext("Kandidaten")):
        try:
            _frozen((value,))
        except _Unfreezable:
            continue
        raise AssertionError(f"{value!r} made a cache key")


def test_an_erasure_drops_the_rendered_cards_and_profile(app, cf, employer_client):
    from portal.candidates import operations

    employer = employer_client()
    candidate = cf.candidate(published=True, first_name="Zuleikha")
    assert "Zuleikha" in cards(html(employer.get("/kandidaten")))
    assert "Zuleikha" in html(employer.get(f"/kandidaten/{candidate.id}"))
    cache = app.extensions["portal.fragments"]
    assert any("Zuleikha" in str(value) for value in cache.values())
    with app.test_request_context():
        row = db.session.get(Candidate, candidate.id)
        operations.erase_candidate(row, row.owner)
        db.commit()
    assert not any("Zuleikha" in str(value) for value in cache.values())
    assert "Zuleikha" not in html(employer.get("/kandidaten"))
    assert employer.get(f"/kandidaten/{candidate.id}").status_code == 404


def test_a_fragment_is_rendered_again_once_it_is_older_than_the_maximum_age():
    from portal.core.fragments import FragmentCache

    now = [1000.0]
    cache = FragmentCache(max_entries=8, max_age=300.0, clock=lambda: now[0])
    renders = []

    def render():
        renders.append(now[0])
        return f"card {len(renders)}"

    assert cache.get_or_render("k", render) == "card 1"
    now[0] += 299.0
    assert cache.get_or_render("k", render) == "card 1"  # a hit does not extend its life
    now[0] += 1.0
    assert cache.get_or_render("k", render) == "card 2"
    assert renders == [1000.0, 1300.0] and len(cache) == 1


def test_a_card_with_a_video_is_rendered_once_per_viewer_and_grant_window(app, cf, employer_client, monkeypatch):
    """The card's video URLs are bound to the viewer and timed in windows of five minutes
    (portal.candidates.media_grants): within a window the card is the cached one, with the same
    URLs (the browser keeps the poster); in the next window the URLs, and so the card, are new;
    another viewer never gets this viewer's card."""
    import re

    from portal.candidates import media_grants
    from tests.video.access import ready_video

    clock = [1_800_000_000.0]  # the start of a grant window
    monkeypatch.setattr(media_grants.time, "time", lambda: clock[0])
    employer = employer_client()
    candidate = cf.candidate(published=True)
    ready_video(app, candidate.id)

    def poster():
        card = cards(html(employer.get("/kandidaten")))
        return re.search(r'/video/\d+/[0-9a-f]+/poster\.jpg\?g=[^"]+', card).group(0)

    first = poster()
    cache = app.extensions["portal.fragments"]
    entries = len(cache)
    clock[0] += media_grants.WINDOW_SECONDS - 1  # later in the same window
    assert poster() == first and len(cache) == entries  # answered from the cached card (and grid)
    assert employer.get(first.replace("&amp;", "&")).status_code == 200
    clock[0] += 1  # the next window
    second = poster()
    assert second != first and len(cache) == entries + 2  # the new card, and the grid of cards it is in
    colleague = employer_client(organisation=employer.organisation)
    theirs = re.search(r'poster\.jpg\?g=[^"]+', cards(html(colleague.get("/kandidaten")))).group(0)
    assert theirs not in second  # the colleague's card carries the colleague's own grant


def test_the_interest_form_shows_the_organisations_current_placements_and_a_resubmitted_form_its_own(
        app, cf, factory, employer_client):
    from tests.placements.factories import create_placement

    first, second = employer_client(), employer_client()
    candidate = cf.candidate(published=True)
    url = f"/kandidaten/{candidate.id}"
    create_placement(factory, first.organisation, title="Bakkerij hulp")
    for _ in range(2):  # the second answer shows the fields rendered once
        assert "Bakkerij hulp" in html(first.get(url))
    assert "Bakkerij hulp" not in html(second.get(url))
    create_placement(factory, first.organisation, title="Magazijn nacht")
    page = html(first.get(url))
    assert "Bakkerij hulp" in page and "Magazijn nacht" in page

    response = first.post_form(f"{url}/ontmoeten", {"note": "Lange toelichting " * 70})
    assert response.status_code == 400
    resubmitted = response.get_data(as_text=True)
    assert "Lange toelichting Lange toelichting" in resubmitted and 'aria-invalid="true"' in resubmitted
    blank = html(first.get(url))
    assert "Lange toelichting" not in blank and 'aria-invalid="true"' not in blank


def test_a_card_follows_its_video_and_the_consent_for_it_on_the_next_request(app, cf, employer_client):
    """The cards' data is kept under the data token (search.freshness): a video that becomes ready,
    a consent that no longer allows video and a deleted video each change the token, so the next
    gallery page shows the card as it is now."""
    from portal.candidates.video_models import VideoProfile
    from tests.video.access import ready_video

    employer = employer_client()
    candidate = cf.candidate(published=True, first_name="Yasmin")
    for _ in range(2):
        assert "poster.jpg" not in cards(html(employer.get("/kandidaten")))
    profile = ready_video(app, candidate.id)
    assert "poster.jpg" in cards(html(employer.get("/kandidaten")))
    with app.app_context():
        db.session.get(Candidate, candidate.id).valid_consent.video_allowed = False
        db.commit()
    assert "poster.jpg" not in cards(html(employer.get("/kandidaten")))
    with app.app_context():
        db.session.get(Candidate, candidate.id).valid_consent.video_allowed = True
        db.commit()
    assert "poster.jpg" in cards(html(employer.get("/kandidaten")))
    with app.app_context():
        db.session.delete(db.session.get(VideoProfile, profile.id))
        db.commit()
    card = cards(html(employer.get("/kandidaten")))
    assert "Yasmin" in card and "poster.jpg" not in card
