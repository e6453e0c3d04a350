"""The video journey in a real browser (Chromium): the demo account manager uploads a clip made with
ffmpeg, watches it transcode, adds captions and publishes; the demo employer sees the card with the
poster and plays the video with seeking (206 range answers) and a captions track."""
from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from sqlalchemy import select

from portal.core import db, jobs

pytestmark = pytest.mark.browser

VTT = "WEBVTT\n\n00:00:00.000 --> 00:00:01.800\nHallo, ik ben Nadia.\n"


def _login(page, base, email):
    page.goto(f"{base}/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill("demo-portal")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(re.compile(r".*/(accountmanager|werkgever)$"))


def _new_candidate(app) -> int:
    from portal.accounts.models import User
    from portal.candidates import operations
    from portal.candidates.models import ConsentScope
    from portal.candidates.operations import LanguageInput
    from portal.candidates.video_demo import DEMO_JOB
    from portal.core.jobs import Job

    with app.test_request_context():
        owner = db.session.scalar(select(User).where(User.email == "accountmanager@demo.test"))
        candidate = operations.create_candidate(
            owner, owner=owner, confirm_duplicate=True,
            fields=dict(first_name="Nadia", surname="Browsertest", date_of_birth=dt.date(1994, 4, 4), municipality="Zaanstad",
                        postcode_area="1506", mobility=["bike"], availability=["mon_morning", "tue_morning"],
                        hours_per_week=16, ambitions="Ik wil in een bakkerij werken.", support_needs=""),
            languages=[LanguageInput("nl", False, dict(listening=3, reading=2, spoken_interaction=3, spoken_production=2, writing=2))],
        )
        operations.record_consent(candidate, owner, scope=ConsentScope.ALL_APPROVED_EMPLOYERS, video_allowed=True,
                                  expires_at=db.utcnow() + dt.timedelta(days=90))
        # Only this test's upload is processed here; the demo set's own videos wait (see test_video_demo.py).
        for job in db.session.scalars(select(Job).where(Job.name == DEMO_JOB)):
            job.run_after = db.utcnow() + dt.timedelta(days=1)
        db.commit()
        return candidate.id


def test_account_manager_uploads_and_publishes_employer_plays_with_seeking_and_captions(live_portal, page, samples, tmp_path):
    app, base = live_portal
    cid = _new_candidate(app)
    captions = tmp_path / "nadia.vtt"
    captions.write_text(VTT)

    # -- the account manager ------------------------------------------------------------------
    _login(page, base, "accountmanager@demo.test")
    page.goto(f"{base}/kandidaten/beheer/{cid}")
    page.get_by_role("link", name="Video bekijken en beheren").click()
    page.get_by_label("Videobestand").set_input_files(str(samples.clip))
    progress_seen = []
    page.on("request", lambda r: progress_seen.append(r.method) if "/media/upload" in r.url else None)
    page.get_by_role("button", name="Uploaden", exact=True).click()
    page.wait_for_selector("text=Geüpload, wacht op verwerking")
    assert progress_seen == ["PUT"]  # straight to the storage endpoint, as the ticket said

    with app.app_context():  # the worker (BACKGROUND_MODE manual in tests)
        assert jobs.run_pending() >= 1
    # The page polls the status endpoint and reloads by itself when the video is ready.
    page.wait_for_selector("video.video-player__video", timeout=15_000)
    assert "Klaar" in page.locator("[data-video-status-text]").inner_text()

    page.get_by_label("Ondertitelbestand (WebVTT, .vtt)").set_input_files(str(captions))
    page.get_by_role("button", name="Ondertitels opslaan").click()
    page.wait_for_selector("text=De ondertitels zijn toegevoegd.")

    page.goto(f"{base}/kandidaten/beheer/{cid}/voorbeeld")
    assert page.locator("video track[kind=captions]").count() == 1  # the preview shows what employers will see
    page.get_by_role("button", name="Publiceren voor werkgevers").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Uitloggen").click()

    # -- the employer -------------------------------------------------------------------------
    _login(page, base, "employer@demo.test")
    page.goto(f"{base}/kandidaten")
    card = page.locator("article.candidate-card", has_text="Nadia B.")
    poster = card.locator(".candidate-card__poster img")
    assert poster.count() == 1
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", poster.element_handle())
    # Listen before opening the page: the player may fetch the video before the next line runs.
    video_responses = []
    page.on("response", lambda r: video_responses.append(r.status) if r.url.partition("?")[0].endswith("/video.mp4") else None)  # URLs carry ?g=<grant>
    card.get_by_role("link", name="Nadia B.").click()
    video = page.locator("video.video-player__video")
    page.wait_for_function("v => v.readyState >= 1", arg=video.element_handle(), timeout=10_000)
    duration = page.evaluate("v => v.duration", video.element_handle())
    assert 1.5 < duration < 3
    page.evaluate("v => { v.muted = true; v.currentTime = v.duration / 2; }", video.element_handle())
    page.wait_for_function("v => !v.seeking && v.readyState >= 2", arg=video.element_handle(), timeout=10_000)
    assert abs(page.evaluate("v => v.currentTime", video.element_handle()) - duration / 2) < 0.5
    assert 206 in video_responses, video_responses

    track = page.evaluate("""v => { const t = v.querySelector('track');
        return {kind: t.kind, srclang: t.srclang, isDefault: t.default, tracks: v.textTracks.length}; }""",
                          video.element_handle())
    assert track == {"kind": "captions", "srclang": "nl", "isDefault": True, "tracks": 1}
    assert "g=" in page.evaluate("v => v.querySelector('track').getAttribute('src')", video.element_handle())
    page.wait_for_function("v => v.querySelector('track').readyState === 2", arg=video.element_handle(), timeout=10_000)
    assert page.evaluate("v => v.textTracks[0].cues.length", video.element_handle()) == 1
