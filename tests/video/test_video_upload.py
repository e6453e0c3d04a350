"""The account manager's upload journey in local mode: ticket, streamed upload, processing, playback."""
from __future__ import annotations

import pytest

from tests.video.conftest import SAMPLE_VTT


def test_upload_is_processed_into_mp4_and_poster_and_the_original_is_deleted(world, samples):
    cid = world.candidate()

    response = world.upload(cid, samples.tall_clip, "video/quicktime")

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["state"] == "uploaded"
    assert world.status(cid)["state"] == "uploaded"
    assert [k.rsplit("/", 1)[1] for k in world.keys(cid)] == ["original"]

    world.run_jobs()

    status = world.status(cid)
    assert status["state"] == "ready", status
    profile = world.profile(cid)
    assert profile.height == 720 and profile.width % 2 == 0 and 476 <= profile.width <= 480  # <= 720p, aspect kept
    assert 0.5 < profile.duration_seconds < 2
    assert sorted(k.rsplit("/", 1)[1] for k in world.keys(cid)) == ["poster.jpg", "video.mp4"]
    video = profile.video
    assert (video.backend, video.content_type) == ("local", "video/mp4") and len(video.checksum_sha256) == 64
    assert profile.original is None


def test_staff_page_shows_processing_state_with_reload_link_and_then_the_player(world, samples):
    cid = world.candidate()
    world.upload(cid, samples.clip)

    page = world.am.get(f"/kandidaten/beheer/{cid}/video").get_data(as_text=True)
    assert "Geüpload, wacht op verwerking" in page
    assert "Pagina verversen om de stand te zien" in page
    assert 'data-status-url="/kandidaten/beheer/' in page

    world.run_jobs()
    page = world.am.get(f"/kandidaten/beheer/{cid}/video").get_data(as_text=True)
    assert "<video" in page and "Klaar" in page
    assert "Pagina verversen" not in page


def test_local_playback_answers_range_requests_with_206(world, samples):
    cid = world.candidate()
    world.upload(cid, samples.clip)
    world.run_jobs()
    url = world.status(cid)["video_url"]

    full = world.am.get(url)
    partial = world.am.get(url, headers={"Range": "bytes=100-199"})

    assert full.status_code == 200 and full.headers["Accept-Ranges"] == "bytes"
    assert full.data[:12][4:8] == b"ftyp"
    assert partial.status_code == 206
    assert partial.headers["Content-Range"] == f"bytes 100-199/{len(full.data)}"
    assert partial.data == full.data[100:200]
    assert "no-store" in partial.headers["Cache-Control"]


def test_faststart_h264_aac_output(world, samples, app):
    import json
    import subprocess

    from media.tools import tools
    from portal.core import services

    cid = world.candidate()
    world.upload(cid, samples.streamed_webm, "video/webm")  # like a MediaRecorder recording
    world.run_jobs()
    profile = world.profile(cid)
    assert profile.state.value == "ready"
    with app.app_context():
        path = services.storage().root / profile.video.key
    head = path.read_bytes()[:4096]
    assert head.find(b"moov") < head.find(b"mdat") or b"mdat" not in head  # index first: faststart
    probe = json.loads(subprocess.run([tools().ffprobe, "-v", "error", "-print_format", "json", "-show_streams", str(path)],
                                      capture_output=True, text=True, check=True).stdout)
    assert sorted(s["codec_name"] for s in probe["streams"]) == ["aac", "h264"]


def test_captions_are_validated_stored_and_shown_in_the_player(world, samples):
    cid = world.candidate()
    world.upload(cid, samples.clip)
    world.run_jobs()

    response = world.am.post_form(f"/kandidaten/beheer/{cid}/video/ondertitels",
                                  {"captions": (__import__("io").BytesIO(SAMPLE_VTT), "ondertitels.vtt")},
                                  content_type="multipart/form-data")

    assert response.status_code == 302
    status = world.status(cid)
    assert status["has_captions"] and status["captions_url"].split("?")[0].endswith("/captions.vtt")
    track = world.am.get(status["captions_url"])
    assert track.status_code == 200 and track.mimetype == "text/vtt" and track.data.startswith(b"WEBVTT")
    page = world.am.get(f"/kandidaten/beheer/{cid}/video").get_data(as_text=True)
    assert '<track kind="captions" srclang="nl"' in page and " default>" in page


def test_replacing_a_video_removes_the_old_objects_and_old_urls_go_stale(world, samples):
    cid = world.candidate()
    world.upload(cid, samples.clip)
    world.run_jobs()
    old_url = world.status(cid)["video_url"]
    old_keys = world.keys(cid)

    world.upload(cid, samples.clip_faststart)
    world.run_jobs()

    assert world.status(cid)["state"] == "ready"
    assert not set(old_keys) & set(world.keys(cid))
    assert len(world.keys(cid)) == 2
    assert world.am.get(old_url).status_code == 404


def test_account_manager_can_delete_the_video(world, samples):
    cid = world.candidate()
    world.upload(cid, samples.clip)
    world.run_jobs()

    response = world.am.post_form(f"/kandidaten/beheer/{cid}/video/verwijderen")

    assert response.status_code == 302
    assert world.profile(cid) is None
    assert world.keys(cid) == []


def test_upload_needs_consent_that_allows_video(world, samples):
    cid = world.candidate(video_allowed=False)

    response = world.request_ticket(cid, size=1000)

    assert response.status_code == 400
    assert "toestemming" in response.get_json()["error"]
    assert world.profile(cid) is None
