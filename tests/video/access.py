"""Access table of the video routes (see tests/core/test_access_by_role.py)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from tests.core.test_access_by_role import SIGNED_IN

STAFF = {"account_manager", "wsp", "admin"}
EDITORS = {"account_manager", "admin"}

ACCESS = {
    "video.manage": STAFF,
    "video.status": STAFF,
    "video.start_upload": EDITORS,
    "video.receive_upload": EDITORS,
    "video.complete_upload": EDITORS,
    "video.retry": EDITORS,
    "video.captions": EDITORS,
    "video.delete_captions": EDITORS,
    "video.delete": EDITORS,
    # Employers only in consent scope with video allowed (404 otherwise, see test_video_privacy.py).
    "video.play": SIGNED_IN,
    "video.poster": SIGNED_IN,
    "video.captions_file": SIGNED_IN,
    # The caption editor (portal.candidates.caption_views).
    "captions.editor": EDITORS,
    "captions.propose": EDITORS,
}


def ready_video(app: Any, candidate_id: int, *, captions: bool = True) -> Any:
    """A ready video with small stand-in objects in the configured storage (no ffmpeg needed)."""
    from portal.candidates.video_models import MediaObject, MediaRole, VideoProfile, VideoState
    from portal.core import db, services

    with app.test_request_context():
        storage = services.storage()
        profile = VideoProfile(candidate_id=candidate_id, state=VideoState.READY, upload_content_type="video/mp4",
                               duration_seconds=2.0, width=160, height=120, processed_at=db.utcnow())
        db.session.add(profile)
        db.session.flush()
        parts = [(MediaRole.VIDEO, b"\x00\x00\x00\x18ftypmp42" + b"v" * 1000, "video/mp4"),
                 (MediaRole.POSTER, b"\xff\xd8\xff" + b"p" * 100, "image/jpeg")]
        if captions:
            parts.append((MediaRole.CAPTIONS, b"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nHallo\n", "text/vtt"))
        for role, payload, content_type in parts:
            stored = storage.put_file(profile.key_for(role), [payload], content_type)
            profile.objects.append(MediaObject(role=role, backend=storage.name, key=stored.key, content_type=content_type,
                                               size=stored.size, checksum_sha256=stored.checksum_sha256))
        db.commit()
        return profile


def objects(factory: Any, employer: Any) -> dict[str, Any]:
    from portal.accounts.models import User
    from portal.candidates import operations
    from portal.candidates.models import ConsentScope
    from portal.core import db

    manager = factory.user("account_manager")
    with factory.app.test_request_context():
        owner = db.session.get(User, manager.id)
        candidate = operations.create_candidate(
            owner, owner=owner, confirm_duplicate=True,
            fields=dict(first_name="Video", surname="Toegang", date_of_birth=dt.date(1990, 5, 5), municipality="Zaanstad",
                        postcode_area="1506", mobility=[], availability=[], hours_per_week=8, ambitions="", support_needs=""),
        )
        operations.record_consent(candidate, owner, scope=ConsentScope.ALL_APPROVED_EMPLOYERS, video_allowed=True,
                                  expires_at=db.utcnow() + dt.timedelta(days=30))
        operations.publish(candidate, owner)
        db.commit()
        candidate_id = candidate.id
    profile = ready_video(factory.app, candidate_id)
    return {"video_candidate_id": candidate_id, "video_id": profile.id, "video_token": profile.token,
            "caption_language": "nl"}
