"""Playback URLs bound to one viewer, one file and a short time.

A video's path (`/video/<id>/<token>/video.mp4`) alone plays nothing: every URL the portal hands out
carries `?g=<grant>`, signed with the secret key over (video id, video token, file, user id) and
timed. The file is part of the signature, so the poster URL of a gallery card cannot be turned
into the video or its captions by editing the file name; the user id is, so a URL copied to
another account (or a logged-out browser) is refused; and it expires after
MEDIA_URL_MAX_AGE_SECONDS (default 2 hours: long enough to watch a page, short enough that a
copied URL dies the same day). Employers must present the grant (403 without a valid one); staff
URLs carry one too, but staff are admitted by their role.

A grant's time is the start of the WINDOW_SECONDS (5 minutes) in which it was made, so one viewer
gets the same URL of a file for those minutes: the browser keeps the poster it already has, and a
gallery card with a video is answered from the rendered-card cache (portal.core.fragments) instead
of being rendered again on every request because its URLs changed each second. Age is counted in
the same windows, so a URL lives from MEDIA_URL_MAX_AGE_SECONDS to five minutes longer.
"""
from __future__ import annotations

import time
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer

SALT = "portal.media-grant.v1"
DEFAULT_MAX_AGE = 2 * 60 * 60
WINDOW_SECONDS = 5 * 60


class _WindowSigner(TimestampSigner):
    """Times a signature (and measures its age) in whole windows of WINDOW_SECONDS."""

    def get_timestamp(self) -> int:
        now = int(time.time())
        return now - now % WINDOW_SECONDS


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT, signer=_WindowSigner)


def make_grant(video_id: int, video_token: str, file: str, user: Any) -> str:
    return _serializer().dumps([video_id, video_token, file, getattr(user, "id", None)])


def grant_ok(grant: str | None, video_id: int, video_token: str, file: str, user: Any) -> bool:
    if not grant or not getattr(user, "is_authenticated", False):
        return False
    max_age = int(current_app.config.get("MEDIA_URL_MAX_AGE_SECONDS", DEFAULT_MAX_AGE))
    try:
        data = _serializer().loads(grant, max_age=max_age)
    except BadSignature:  # includes SignatureExpired
        return False
    return data == [video_id, video_token, file, user.id]
