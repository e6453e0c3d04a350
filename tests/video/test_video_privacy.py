"""Who may play a video, and that consent ending or erasure removes every stored object at once
(checked in the real S3-compatible bucket as well as on local disk)."""
from __future__ import annotations

import datetime as dt
import urllib.request

import pytest
from sqlalchemy import select

from portal.candidates.profile import employer_profile
from portal.core import db
from portal.core.audit import AuditEntry
from tests.video.access import ready_video
from tests.video.conftest import SAMPLE_VTT


def _ready(world, samples, **candidate_kwargs) -> int:
    cid = world.candidate(**candidate_kwargs)
    assert world.upload(cid, samples.clip).status_code == 200
    world.run_jobs()
    response = world.am.post_form(f"/kandidaten/beheer/{cid}/video/ondertitels",
                                  {"captions": (__import__("io").BytesIO(SAMPLE_VTT), "nl.vtt")},
                                  content_type="multipart/form-data")
    assert response.status_code == 302
    assert world.status(cid)["state"] == "ready"
    return cid


def _urls(world, cid) -> list[str]:
    status = world.status(cid)
    return [status["video_url"], status["poster_url"], status["captions_url"]]


def _employer_client(world, organisation=None):
    user = world.factory.user("employer", organisation=organisation) if organisation else world.employer
    client = world.make_client()
    client.login(user)
    client.user = user
    return client


def _rebound(world, client, url):
    """`url` (handed to someone else) as the portal would hand it to this employer."""
    from types import SimpleNamespace

    _, _video, video_id, token, name = url.split("?")[0].split("/")
    return _as_seen_by(world, client, SimpleNamespace(id=int(video_id), token=token), name)


def _as_seen_by(world, client, profile, name):
    """The URL of one file as the portal hands it to this employer (with the viewer's signed grant)."""
    from flask_login import login_user

    from portal.accounts.models import User
    from portal.candidates.media_grants import make_grant

    with world.app.test_request_context():
        login_user(db.session.get(User, client.user.id))
        grant = make_grant(profile.id, profile.token, {"video.mp4": "video", "poster.jpg": "poster",
                                                       "captions.vtt": "captions"}[name], client.user)
    return f"/video/{profile.id}/{profile.token}/{name}?g={grant}"


def test_employer_in_scope_gets_the_video_in_the_profile_and_can_play_it(world):
    cid = world.candidate()
    profile = ready_video(world.app, cid)
    employer = _employer_client(world)

    with world.app.test_request_context():
        from flask_login import login_user

        from portal.accounts.models import User
        from portal.candidates.models import Candidate

        login_user(db.session.get(User, employer.user.id))
        video = employer_profile(db.session.get(Candidate, cid))["video"]
    assert video["video_url"].startswith(f"/video/{profile.id}/{profile.token}/video.mp4?g=")
    for url in (video["video_url"], video["poster_url"], video["captions_url"]):
        assert employer.get(url).status_code == 200, url
    assert employer.get(video["video_url"], headers={"Range": "bytes=0-9"}).status_code == 206


def test_employer_outside_the_consent_scope_gets_404(world):
    named = world.factory.organisation()
    cid = world.candidate(organisations=[named])
    profile = ready_video(world.app, cid)
    base = f"/video/{profile.id}/{profile.token}"

    outsider = _employer_client(world)  # another approved organisation
    insider = _employer_client(world, organisation=named)

    for name in ("video.mp4", "poster.jpg", "captions.vtt"):
        assert outsider.get(_as_seen_by(world, outsider, profile, name)).status_code == 404
        assert insider.get(_as_seen_by(world, insider, profile, name)).status_code == 200
        assert insider.get(f"{base}/{name}").status_code == 403  # no grant: not a URL the portal gave


def test_unpublished_unapproved_or_wrong_token_gives_404(world):
    cid = world.candidate(published=False)
    profile = ready_video(world.app, cid)
    employer = _employer_client(world)
    assert employer.get(f"/video/{profile.id}/{profile.token}/video.mp4").status_code == 404

    cid2 = world.candidate()
    profile2 = ready_video(world.app, cid2)
    pending = _employer_client(world, organisation=world.factory.organisation(approved=False))
    assert pending.get(f"/video/{profile2.id}/{profile2.token}/video.mp4").status_code == 404
    assert _employer_client(world).get(f"/video/{profile2.id}/0000000000000000/video.mp4").status_code == 404


def test_consent_without_video_hides_the_video_from_employers(world):
    cid = world.candidate(video_allowed=False)
    profile = ready_video(world.app, cid)  # e.g. left from before; the rule still applies
    employer = _employer_client(world)

    assert employer.get(f"/video/{profile.id}/{profile.token}/video.mp4").status_code == 404
    with world.app.test_request_context():
        from portal.candidates.models import Candidate

        assert employer_profile(db.session.get(Candidate, cid))["video"] is None


def _withdraw(world, cid):
    from portal.accounts.models import User
    from portal.candidates import operations
    from portal.candidates.models import Candidate

    with world.app.test_request_context():
        operations.withdraw_consent(db.session.get(Candidate, cid), db.session.get(User, world.manager.id))
        db.commit()


def test_withdrawal_deletes_every_object_at_once_and_stale_urls_give_404(world, samples, backend, request):
    cid = _ready(world, samples)
    urls = _urls(world, cid)
    employer = _employer_client(world)
    urls = [_rebound(world, employer, url) for url in urls]
    assert employer.get(urls[0]).status_code in (200, 302)
    assert len(world.keys(cid)) == 3
    if backend == "s3":
        from tests.video.conftest import bucket_keys

        s3_client, settings = request.getfixturevalue("s3_client"), request.getfixturevalue("s3_settings")
        prefix = world.app.config["VIDEO_STORAGE_PREFIX"] + f"/{cid}/"
        assert len(bucket_keys(s3_client, settings["bucket"], prefix)) == 3

    _withdraw(world, cid)  # no job run: the deletion happens right after the commit

    assert world.keys(cid) == []
    if backend == "s3":
        assert bucket_keys(s3_client, settings["bucket"], prefix) == []
    assert world.profile(cid) is None
    for url in urls:
        assert employer.get(url).status_code == 404
        assert world.am.get(url).status_code == 404
    with world.app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "video.deleted")).one()
        assert entry.details == {"candidate_id": cid, "reason": "consent_withdrawn", "objects": 3}
    world.run_jobs()  # the safety-net purge job finds nothing left and does not fail
    assert world.keys(cid) == []


def test_erasure_deletes_every_object(world, samples, backend):
    from portal.accounts.models import User
    from portal.candidates import operations
    from portal.candidates.models import Candidate

    cid = _ready(world, samples)
    with world.app.test_request_context():
        operations.erase_candidate(db.session.get(Candidate, cid), db.session.get(User, world.manager.id))
        db.commit()

    assert world.keys(cid) == []
    with world.app.app_context():
        from portal.candidates.video_models import MediaObject, VideoProfile

        assert db.session.scalars(select(VideoProfile)).all() == []
        assert db.session.scalars(select(MediaObject)).all() == []


def test_expiry_deletes_the_video(world, samples):
    from portal.candidates import operations

    cid = _ready(world, samples)
    with world.app.test_request_context():
        operations.expire_consents(now=db.utcnow() + dt.timedelta(days=365))
        db.commit()

    assert world.keys(cid) == [] and world.profile(cid) is None


def test_new_consent_without_video_deletes_the_video(world, samples):
    from portal.accounts.models import User
    from portal.candidates import operations
    from portal.candidates.models import Candidate, ConsentScope

    cid = _ready(world, samples)
    with world.app.test_request_context():
        operations.record_consent(db.session.get(Candidate, cid), db.session.get(User, world.manager.id),
                                  scope=ConsentScope.ALL_APPROVED_EMPLOYERS, video_allowed=False,
                                  expires_at=db.utcnow() + dt.timedelta(days=30))
        db.commit()

    assert world.keys(cid) == [] and world.profile(cid) is None


def test_withdrawal_while_transcoding_leaves_no_orphans(world, samples, monkeypatch):
    """Consent withdrawn while ffmpeg runs: the job's outputs are removed when it finds the video gone."""
    import media.pipeline

    cid = world.candidate()
    world.upload(cid, samples.clip)
    real = media.pipeline.transcode

    def transcode_then_withdraw(*args, **kwargs):
        result = real(*args, **kwargs)
        _withdraw(world, cid)
        return result

    monkeypatch.setattr(media.pipeline, "transcode", transcode_then_withdraw)
    world.run_jobs()

    assert world.profile(cid) is None
    assert world.keys(cid) == []


@pytest.mark.parametrize("backend", [pytest.param("s3", marks=pytest.mark.s3)], indirect=True)
def test_s3_playback_redirects_to_a_short_lived_presigned_url_that_supports_ranges(world, samples, backend):
    cid = _ready(world, samples)
    employer = _employer_client(world)
    video_url, poster_url, captions_url = (_rebound(world, employer, url) for url in _urls(world, cid))

    response = employer.get(video_url)

    assert response.status_code == 302 and "no-store" in response.headers["Cache-Control"]
    location = response.headers["Location"]
    assert "X-Amz-Expires=300" in location and "X-Amz-Signature=" in location
    with urllib.request.urlopen(urllib.request.Request(location, headers={"Range": "bytes=0-99"}), timeout=10) as s3:
        assert s3.status == 206 and len(s3.read()) == 100
    assert employer.get(poster_url).status_code == 302
    assert employer.get(captions_url).data.startswith(b"WEBVTT")  # same origin: no CORS needed for <track>
    page = world.am.get(f"/kandidaten/beheer/{cid}/video")
    origin = world.app.config["S3_ENDPOINT_URL"].rstrip("/")
    csp = page.headers["Content-Security-Policy"]
    assert f"media-src 'self' blob: {origin}" in csp and f"connect-src 'self' {origin}" in csp
