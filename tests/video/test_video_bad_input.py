"""Every "Bad input" line of the issue, with real ffmpeg, on local storage and on the real S3 server:
a clear message, nothing published, no orphan objects in storage, and the worker keeps running
(a good upload queued after the bad one still succeeds)."""
from __future__ import annotations

import base64
import io
import json

import pytest

from portal.candidates.profile import employer_profile

BAD_FILES = [
    ("text_as_mp4", "not_a_media_file", "Dit is geen videobestand"),
    ("truncated", "corrupt", "onvolledig of beschadigd"),
    ("truncated_faststart", "corrupt", "onvolledig of beschadigd"),
    ("audio_only", "no_video_stream", "alleen geluid en geen beeld"),
    ("ten_minutes", "too_long", "te lang: hoogstens 3 minuten"),
    ("jpeg_as_mp4", "still_image", "foto of afbeelding, geen video"),
    ("png", "still_image", "foto of afbeelding, geen video"),
]


def _employer_sees_video(world, cid) -> bool:
    from portal.candidates.models import Candidate
    from portal.core import db

    with world.app.test_request_context():
        return employer_profile(db.session.get(Candidate, cid))["video"] is not None


@pytest.mark.parametrize("sample, code, message", BAD_FILES)
def test_bad_file_fails_with_a_clear_message_leaves_nothing_and_the_worker_goes_on(world, samples, backend, sample, code, message):
    bad, good = world.candidate(), world.candidate(first_name="Goed")

    assert world.upload(bad, getattr(samples, sample)).status_code == 200  # declared as video/mp4: probing decides
    assert world.upload(good, samples.clip).status_code == 200
    assert world.run_jobs() >= 2

    status = world.status(bad)
    assert (status["state"], status["retryable"]) == ("failed", False)
    assert message in status["message"]
    profile = world.profile(bad)
    assert profile.failure_code == code and profile.failure_message  # stored in Dutch
    assert profile.objects == []
    assert world.keys(bad) == []  # no orphans: the original is gone, nothing was produced
    assert not _employer_sees_video(world, bad)
    page = world.am.get(f"/kandidaten/beheer/{bad}/video").get_data(as_text=True)
    assert "Verwerken mislukt:" in page and message in page and "Opnieuw verwerken" not in page
    # The worker went on: the good upload after it is ready.
    assert world.status(good)["state"] == "ready"
    assert _employer_sees_video(world, good)


def test_zero_byte_file_is_refused_before_upload(world, backend):
    cid = world.candidate()

    response = world.request_ticket(cid, size=0)

    assert response.status_code == 400
    assert response.get_json()["error"] == "Het bestand is leeg."
    assert world.profile(cid) is None and world.keys(cid) == []


def test_zero_byte_file_that_claimed_a_size_is_refused_on_completion(world, backend):
    cid = world.candidate()
    ticket = world.request_ticket(cid, size=10).get_json()
    assert world.send(ticket, b"") in (200, 201, 204)

    response = world.complete(ticket)

    assert response.status_code == 400
    assert response.get_json()["error"] == "Het bestand is leeg."
    assert world.keys(cid) == []
    assert world.profile(cid).state.value == "awaiting_upload"  # nothing changed: no job queued
    assert world.run_jobs() == 0


@pytest.mark.parametrize("content_type, message", [
    ("image/png", "foto of afbeelding"), ("audio/mp4", "alleen geluid"), ("text/plain", "geen videobestand"),
])
def test_declared_non_video_is_refused_before_upload(world, backend, content_type, message):
    cid = world.candidate()

    response = world.request_ticket(cid, content_type=content_type, size=1000)

    assert response.status_code == 400 and message in response.get_json()["error"]
    assert world.profile(cid) is None and world.keys(cid) == []


def test_two_gigabyte_upload_is_refused_when_the_ticket_is_asked(world, backend):
    cid = world.candidate()

    response = world.request_ticket(cid, size=2 * 1024**3)

    assert response.status_code == 400
    assert response.get_json()["error"] == "Het bestand is te groot: hoogstens 300 MB."
    assert world.profile(cid) is None


def test_two_gigabyte_local_upload_is_refused_from_its_length_before_reading(world):
    cid = world.candidate()
    ticket = world.request_ticket(cid, size=1000).get_json()
    body = io.BytesIO(b"x" * 1000)

    response = world.am.put(ticket["url"], input_stream=body, headers=ticket["headers"],
                            environ_overrides={"CONTENT_LENGTH": str(2 * 1024**3)})

    assert response.status_code == 413
    assert "te groot" in response.get_json()["error"]
    assert body.tell() == 0  # not a single byte was read
    assert world.keys(cid) == []


@pytest.fixture
def small_limit(app):
    app.config["VIDEO_MAX_BYTES"] = 64 * 1024
    return 64 * 1024


def test_local_streaming_limit_stops_an_upload_without_length(world, small_limit):
    """A chunked upload (no Content-Length) is cut off at the limit while streaming; nothing is kept."""
    cid = world.candidate()
    ticket = world.request_ticket(cid, size=1000).get_json()

    response = world.am.put(ticket["url"], input_stream=io.BytesIO(b"x" * (small_limit * 3)), headers=ticket["headers"],
                            environ_overrides={"CONTENT_LENGTH": "", "wsgi.input_terminated": True})

    assert response.status_code == 413
    assert world.keys(cid) == []
    with world.app.app_context():
        from portal.core import services

        assert not any(services.storage().root.joinpath(".tmp").glob("*"))  # no partial file left behind


@pytest.mark.parametrize("backend", [pytest.param("s3", marks=pytest.mark.s3)], indirect=True)
def test_s3_ticket_carries_the_size_limit_and_exact_content_type(world, backend):
    cid = world.candidate()
    ticket = world.request_ticket(cid, content_type="video/webm", size=1000).get_json()
    assert ticket["method"] == "POST"
    policy = json.loads(base64.b64decode(ticket["fields"]["policy"]))
    assert ["content-length-range", 0, 300 * 1024 * 1024] in policy["conditions"]
    assert {"Content-Type": "video/webm"} in policy["conditions"]


@pytest.mark.parametrize("backend", [pytest.param("s3", marks=pytest.mark.s3)], indirect=True)
def test_s3_presigned_post_limits_and_oversize_upload_leaves_no_object(world, backend, small_limit, s3_client, s3_settings):
    from tests.video.conftest import bucket_keys

    cid = world.candidate()
    ticket = world.request_ticket(cid, content_type="video/mp4", size=1000).get_json()
    assert ticket["method"] == "POST"
    policy = json.loads(base64.b64decode(ticket["fields"]["policy"]))
    assert ["content-length-range", 0, small_limit] in policy["conditions"]
    assert {"Content-Type": "video/mp4"} in policy["conditions"]

    status = world.send(ticket, b"v" * (small_limit + 1))  # the browser lied about the size
    response = world.complete(ticket) if status < 300 else None

    if response is not None:  # this S3 server ignored content-length-range: the portal's check caught it
        assert response.status_code == 400 and "te groot" in response.get_json()["error"]
    root = world.app.config["VIDEO_STORAGE_PREFIX"]
    assert bucket_keys(s3_client, s3_settings["bucket"], root + "/") == []
    assert world.run_jobs() == 0


def test_captions_that_are_not_webvtt_are_refused_next_to_the_field(world, samples, backend):
    cid = world.candidate()
    world.upload(cid, samples.clip)
    world.run_jobs()
    keys_before = world.keys(cid)

    for payload, message in [
        (b"1\n00:00:01,000 --> 00:00:02,000\nHallo\n", "Dit is geen WebVTT-bestand: de eerste regel moet"),  # SubRip, not WebVTT
        (b"WEBVTT\n\n00:00:01.000 --> 00:00:00.500\nHallo\n", "moet eindigen na het begin"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "geen tekstbestand"),
        (b"", "Het ondertitelbestand is leeg."),
    ]:
        response = world.am.post_form(f"/kandidaten/beheer/{cid}/video/ondertitels",
                                      {"captions": (io.BytesIO(payload), "ondertitels.vtt")},
                                      content_type="multipart/form-data")
        page = response.get_data(as_text=True)
        assert response.status_code == 400, payload
        assert message in page and 'class="form-error" id="captions-error"' in page

    assert world.status(cid)["has_captions"] is False
    assert world.keys(cid) == keys_before


def test_failed_transcode_keeps_the_original_shows_why_and_can_be_retried(world, samples, monkeypatch):
    import media.pipeline
    from media.transcode import TranscodeFailed

    cid = world.candidate()
    world.upload(cid, samples.clip)
    real = media.pipeline.transcode

    def broken(*args, **kwargs):
        raise TranscodeFailed("Transcoding failed (ffmpeg exit status 1)", "Killed")

    monkeypatch.setattr(media.pipeline, "transcode", broken)
    world.run_jobs()

    status = world.status(cid)
    assert (status["state"], status["retryable"]) == ("failed", True)
    assert "fout aan onze kant" in status["message"]
    assert [k.rsplit("/", 1)[1] for k in world.keys(cid)] == ["original"]
    page = world.am.get(f"/kandidaten/beheer/{cid}/video").get_data(as_text=True)
    assert "Opnieuw verwerken" in page

    monkeypatch.setattr(media.pipeline, "transcode", real)
    response = world.am.post_form(f"/kandidaten/beheer/{cid}/video/opnieuw")
    assert response.status_code == 302
    world.run_jobs()
    assert world.status(cid)["state"] == "ready"
    assert sorted(k.rsplit("/", 1)[1] for k in world.keys(cid)) == ["poster.jpg", "video.mp4"]
