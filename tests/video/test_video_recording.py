"""Recording in the browser with MediaRecorder: Chromium's fake camera and microphone stand in for a
real webcam, everything else is real (the page's JavaScript, the upload straight to storage, ffprobe
and ffmpeg in the worker)."""
from __future__ import annotations

import pytest

from portal.core import db, jobs
from tests.plugins.services import CHROMIUM, CHROMIUM_ARGS, service_unavailable
from tests.video.test_video_browser import _login, _new_candidate

pytestmark = pytest.mark.browser


@pytest.fixture
def camera_page(browser):  # the shared browser fixture decides skip/fail when Chromium is missing
    try:
        camera_browser = browser.browser_type.launch(
            executable_path=CHROMIUM, headless=True,
            args=[*CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"],
        )
    except Exception as exc:  # noqa: BLE001
        service_unavailable(f"Chromium with a fake camera did not start: {exc}")
    context = camera_browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    camera_browser.close()


def test_account_manager_records_with_the_camera_and_the_recording_is_processed(live_portal, camera_page):
    from portal.candidates.video_models import VideoProfile
    from sqlalchemy import select

    app, base = live_portal
    cid = _new_candidate(app)
    page = camera_page
    _login(page, base, "accountmanager@demo.test")
    page.goto(f"{base}/kandidaten/beheer/{cid}")
    page.get_by_role("link", name="Video bekijken en beheren").click()

    page.get_by_role("button", name="Camera aanzetten").click()
    page.get_by_role("button", name="Opname starten").click()
    page.wait_for_timeout(2500)
    page.get_by_role("button", name="Opname stoppen").click()
    page.wait_for_function("() => /KB$/.test(document.querySelector('[data-recorder-status]').textContent)")
    page.get_by_role("button", name="Opname uploaden").click()
    page.wait_for_selector("text=Geüpload, wacht op verwerking")

    with app.app_context():
        assert jobs.run_pending() >= 1
        video = db.session.scalars(select(VideoProfile).where(VideoProfile.candidate_id == cid)).one()
        assert video.state.value == "ready", video.failure_message
        assert 1.5 <= float(video.duration_seconds) <= 4.5
    page.wait_for_selector("video.video-player__video", timeout=15_000)
