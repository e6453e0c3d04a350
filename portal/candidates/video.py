"""Video profiles: domain operations, the background job, playback rules and consent hooks.

Flow (DESIGN.md §6, media/__init__.py):

1. `start_upload` (account manager): a new token, state ``awaiting_upload``, and an upload ticket
   straight to storage (S3: presigned POST with content-length-range and exact content type;
   local: a signed token for the portal's streaming endpoint ``PUT /media/upload``).
2. `complete_upload`: the browser says it is done; the size is checked at the storage
   (`confirm_upload`), the original is recorded and the job ``candidates.process_video`` queued.
3. `process_video` (worker): ffprobe + full scan, transcode to H.264/AAC MP4 (faststart, <= 720p)
   plus a poster, original deleted; on bad input a stable code and a Dutch message, nothing kept;
   on a system failure the original is kept and the account manager can retry.
4. Playback (`playable_or_404`): staff by their rule; employers only through
   portal.candidates.visibility AND a valid consent with ``video_allowed``; otherwise 404.
5. Consent ended (withdrawn, expired, video no longer allowed) or erasure: every stored object of
   the candidate's video is deleted right after commit (and again by a queued job, should the
   storage have been unreachable), the rows are removed, an audit entry without personal data
   remains.

Operations flush and audit but never commit; storage deletions happen after commit.
"""
from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, g, has_request_context, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect as sa_inspect, select

from media.captions import MAX_CAPTION_BYTES, InvalidCaptions, validate_webvtt
from media.probe import MAX_BYTES, MAX_SECONDS, InvalidMedia
from media.storage import ObjectNotFound, StorageError, StoredObject, UploadTicket, UploadTooLarge
from media.transcode import TranscodeFailed
from portal.candidates import hooks
from portal.candidates.models import Candidate
from portal.candidates.video_models import (
    DEFAULT_CAPTION_LANGUAGE, MediaObject, MediaRole, VideoProfile, VideoState, video_prefix,
)
from portal.candidates.visibility import can_employer_view
from portal.core import audit, db, jobs, services
from portal.core.errors import DomainError
from portal.core.roles import Role

PROCESS_JOB = "candidates.process_video"
PURGE_JOB = "candidates.purge_video_objects"
UPLOAD_TICKET_SECONDS = 15 * 60
#: Awaiting uploads older than this are cleaned up (ticket expiry plus a margin).
STALE_UPLOAD_SECONDS = UPLOAD_TICKET_SECONDS + 15 * 60

_MIME_RE = re.compile(r"^[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*$")

#: Why a video failed, per stable code (media.probe codes plus the portal's own).
FAILURE_MESSAGES = {
    "empty_file": _l("Het bestand is leeg."),
    "not_a_media_file": _l("Dit is geen videobestand. Kies een video, bijvoorbeeld MP4, MOV of WebM."),
    "corrupt": _l("Het videobestand is onvolledig of beschadigd. Upload het opnieuw."),
    "no_video_stream": _l("Het bestand bevat alleen geluid en geen beeld."),
    "still_image": _l("Dit is een foto of afbeelding, geen video."),
    "too_long": _l("De video is te lang: hoogstens %(minutes)s minuten."),
    "too_large": _l("Het bestand is te groot: hoogstens %(mb)s MB."),
    "upload_missing": _l("De upload is niet aangekomen. Probeer het opnieuw."),
    "transcode_failed": _l("Het omzetten van de video is mislukt door een fout aan onze kant. Probeer het opnieuw."),
    "storage_unavailable": _l("De opslag was niet bereikbaar. Probeer het later opnieuw."),
    "internal": _l("Er ging iets mis bij het verwerken van de video. Probeer het opnieuw."),
}
RETRYABLE_CODES = {"transcode_failed", "storage_unavailable", "internal"}


# -- settings ------------------------------------------------------------------------------

def max_bytes() -> int:
    return int(current_app.config.get("VIDEO_MAX_BYTES", MAX_BYTES))


def max_seconds() -> float:
    return float(current_app.config.get("VIDEO_MAX_SECONDS", MAX_SECONDS))


def failure_message(code: str | None) -> str:
    if not code:
        return ""
    template = FAILURE_MESSAGES.get(code, FAILURE_MESSAGES["internal"])
    minutes = max_seconds() / 60
    return str(template) % {"minutes": f"{minutes:g}", "mb": max_bytes() // (1024 * 1024)}


def _dutch_failure_message(code: str) -> str:
    """The message as stored in the database: always Dutch (the UI translates by code)."""
    from flask_babel import force_locale

    with force_locale("nl"):
        return failure_message(code)[:500]


# -- loading -------------------------------------------------------------------------------

def profile_of(candidate: Candidate | int) -> VideoProfile | None:
    if not isinstance(candidate, int) and "video_profile" in sa_inspect(candidate).dict:
        return candidate.video_profile  # loaded with the page's candidates (no query per card)
    candidate_id = candidate if isinstance(candidate, int) else candidate.id
    return db.session.scalar(select(VideoProfile).where(VideoProfile.candidate_id == candidate_id))


def video_consent_ok(candidate: Candidate) -> bool:
    consent = candidate.valid_consent
    return consent is not None and bool(consent.video_allowed)


def can_play(profile: VideoProfile | None, user: Any) -> bool:
    """The one rule for every playback URL (video, poster, captions)."""
    if profile is None or not profile.is_ready or not getattr(user, "is_authenticated", False):
        return False
    candidate = profile.candidate
    if user.role == Role.EMPLOYER:
        return can_employer_view(candidate, user) and video_consent_ok(candidate)
    return candidate.can_view(user)


# -- storage helpers -----------------------------------------------------------------------

def _storage() -> Any:
    return services.storage()


def _record_object(profile: VideoProfile, role: MediaRole, stored: StoredObject, backend: str,
                   language: str = "") -> MediaObject:
    existing = profile.object(role, language or None)
    if existing is not None:
        profile.objects.remove(existing)
        db.session.flush()
    obj = MediaObject(role=MediaRole(role), backend=backend, key=stored.key, content_type=stored.content_type,
                      size=stored.size, checksum_sha256=stored.checksum_sha256, language=language)
    profile.objects.append(obj)
    return obj


def purge_objects(candidate_id: int, keys: Iterable[str], prefix: str | None, *, whole_candidate: bool = False) -> int:
    """Delete `keys` and everything under `prefix` from storage (idempotent).

    With `whole_candidate`, keys under the candidate's CURRENT video (if a new one was made after
    the purge was scheduled) are kept, so a late retry never removes a newer, consented video.
    """
    storage = _storage()
    keep = ""
    if whole_candidate:
        current = profile_of(candidate_id)
        keep = current.prefix if current is not None else ""
    doomed = set(keys)
    if prefix:
        doomed.update(storage.list_keys(prefix))
    doomed = {key for key in doomed if not (keep and key.startswith(keep))}
    for key in sorted(doomed):
        storage.delete(key)
    return len(doomed)


def _delete_after_commit(candidate_id: int, keys: list[str], prefix: str | None, *, whole_candidate: bool) -> None:
    """Delete stored objects once the transaction that dropped their rows has committed.

    Right after commit ("at once"); a queued job repeats it should the storage be unreachable.
    """
    app = current_app._get_current_object()
    jobs.enqueue(PURGE_JOB, candidate_id=candidate_id, keys=keys, prefix=prefix, whole_candidate=whole_candidate)

    def effect() -> None:
        try:
            purge_objects(candidate_id, keys, prefix, whole_candidate=whole_candidate)
        except StorageError:
            app.logger.warning("video objects of candidate %s not deleted yet; the purge job retries", candidate_id)

    db.after_commit(effect)


@jobs.handler(PURGE_JOB)
def purge_video_objects_job(candidate_id: int, keys: list[str], prefix: str | None, whole_candidate: bool = False) -> None:
    purge_objects(candidate_id, keys, prefix, whole_candidate=whole_candidate)


def _drop_objects(profile: VideoProfile, roles: Iterable[MediaRole], language: str | None = None) -> list[str]:
    """Remove the objects of `roles` (captions: every track, or only `language`'s); returns their keys."""
    keys = []
    for role in roles:
        if MediaRole(role) == MediaRole.CAPTIONS:
            objs = [o for o in profile.caption_tracks if language is None or o.track_language == language]
        else:
            objs = [o for o in [profile.object(role)] if o is not None]
        for obj in objs:
            keys.append(obj.key)
            profile.objects.remove(obj)
    return keys


# -- operations ----------------------------------------------------------------------------

def _require_video_consent(candidate: Candidate) -> None:
    if not video_consent_ok(candidate):
        raise DomainError(_("Voor een video is een geldige toestemming van de kandidaat nodig waarin video is toegestaan."))


def normalise_content_type(value: str | None) -> str:
    mime = (value or "").split(";", 1)[0].strip().lower()
    return mime or "application/octet-stream"


def check_declared_upload(content_type: str | None, size: Any) -> str:
    """Refuse an obviously wrong file before anything is uploaded. Returns the content type."""
    mime = normalise_content_type(content_type)
    if not _MIME_RE.match(mime) or not (mime.startswith("video/") or mime == "application/octet-stream"):
        if mime.startswith("image/"):
            raise DomainError(failure_message("still_image"), field="file")
        if mime.startswith("audio/"):
            raise DomainError(failure_message("no_video_stream"), field="file")
        raise DomainError(failure_message("not_a_media_file"), field="file")
    try:
        size = int(size)
    except (TypeError, ValueError):
        raise DomainError(_("Onbekende bestandsgrootte."), field="file") from None
    if size <= 0:
        raise DomainError(failure_message("empty_file"), field="file")
    if size > max_bytes():
        raise DomainError(failure_message("too_large"), field="file")
    return mime


def start_upload(candidate: Candidate, actor: Any, *, content_type: str | None, size: Any) -> tuple[VideoProfile, UploadTicket]:
    """Begin a (new) upload: replaces the current video, returns the ticket for the browser."""
    _require_video_consent(candidate)
    mime = check_declared_upload(content_type, size)
    profile = profile_of(candidate)
    if profile is not None and profile.state.busy:
        raise DomainError(_("De vorige video wordt nog verwerkt. Wacht tot die klaar is."), field="file")
    if profile is None:
        profile = VideoProfile(candidate_id=candidate.id, candidate=candidate)
        db.session.add(profile)
        replaced: list[str] = []
        old_prefix = None
    else:
        old_prefix = profile.prefix
        replaced = _drop_objects(profile, list(MediaRole))
        profile.token = secrets.token_hex(8)
    profile.state = VideoState.AWAITING_UPLOAD
    profile.failure_code = profile.failure_message = None
    profile.retryable = False
    profile.duration_seconds = profile.width = profile.height = None
    profile.processed_at = None
    profile.attempts = 0
    profile.upload_content_type = mime
    db.session.flush()
    if replaced or old_prefix:
        _delete_after_commit(candidate.id, replaced, old_prefix, whole_candidate=False)
    ticket = _storage().create_upload(profile.key_for(MediaRole.ORIGINAL), mime, max_bytes(), expires_in=UPLOAD_TICKET_SECONDS)
    audit.record("video.upload_started", profile, actor=actor, candidate_id=candidate.id, replaced=bool(replaced))
    return profile, ticket


def complete_upload(candidate: Candidate, actor: Any, *, key: str) -> VideoProfile:
    """The browser finished uploading `key`: check it at the storage and queue the processing."""
    profile = profile_of(candidate)
    if profile is None or profile.state != VideoState.AWAITING_UPLOAD or key != profile.key_for(MediaRole.ORIGINAL):
        raise DomainError(_("Deze upload is niet (meer) geldig. Begin opnieuw."), field="file")
    _require_video_consent(candidate)
    storage = _storage()
    try:
        stored = storage.confirm_upload(key, max_bytes())  # deletes an oversized object itself
    except UploadTooLarge:
        raise DomainError(failure_message("too_large"), field="file") from None
    except ObjectNotFound:
        raise DomainError(failure_message("upload_missing"), field="file") from None
    if stored.size == 0:
        storage.delete(key)
        raise DomainError(failure_message("empty_file"), field="file")
    _record_object(profile, MediaRole.ORIGINAL, stored, storage.name)
    profile.state = VideoState.UPLOADED
    db.session.flush()
    jobs.enqueue(PROCESS_JOB, video_id=profile.id, token=profile.token)
    audit.record("video.uploaded", profile, actor=actor, candidate_id=candidate.id, size=stored.size)
    return profile


def retry(profile: VideoProfile, actor: Any) -> None:
    if profile.state != VideoState.FAILED or not profile.retryable or profile.original is None:
        raise DomainError(_("Deze video kan niet opnieuw worden verwerkt. Upload het bestand opnieuw."))
    _require_video_consent(profile.candidate)
    profile.state = VideoState.UPLOADED
    profile.failure_code = profile.failure_message = None
    profile.retryable = False
    db.session.flush()
    jobs.enqueue(PROCESS_JOB, video_id=profile.id, token=profile.token)
    audit.record("video.retried", profile, actor=actor, candidate_id=profile.candidate_id)


def set_captions(profile: VideoProfile, actor: Any, data: bytes, language: str = DEFAULT_CAPTION_LANGUAGE) -> MediaObject:
    """Validate WebVTT and store it next to the video as the `language` track; replaces that track."""
    if not profile.is_ready:
        raise DomainError(_("Ondertitels kunnen pas worden toegevoegd als de video klaar is."), field="captions")
    try:
        text = validate_webvtt(data, MAX_CAPTION_BYTES)
    except InvalidCaptions as exc:
        raise DomainError(_captions_message(exc), field="captions") from None
    storage = _storage()
    if language not in caption_languages():
        raise DomainError(_("Kies een taal voor de ondertitels."), field="language")
    key = profile.key_for(MediaRole.CAPTIONS, language)
    stored = storage.put_file(key, [text.encode("utf-8")], "text/vtt")
    _record_object(profile, MediaRole.CAPTIONS, stored, storage.name, language)
    db.session.flush()
    audit.record("video.captions_added", profile, actor=actor, candidate_id=profile.candidate_id, size=stored.size,
                 language=language)
    return profile.object(MediaRole.CAPTIONS, language)


def caption_languages() -> list[str]:
    """Languages a captions track may have: those the portal has a label for (portal.reference)."""
    from portal import reference

    return [lang.code for lang in reference.languages()]


def _captions_message(exc: InvalidCaptions) -> str:
    """media.captions explains in English; show the account manager a Dutch message."""
    text = str(exc)
    line = re.match(r"Line (\d+): ", text)
    if "first line" in text:
        return _('Dit is geen WebVTT-bestand: de eerste regel moet "WEBVTT" zijn.')
    if "larger than" in text:
        return _("Het ondertitelbestand is groter dan %(kb)d KB.", kb=MAX_CAPTION_BYTES // 1024)
    if "empty" in text:
        return _("Het ondertitelbestand is leeg.")
    if "UTF-8" in text or "not a text file" in text:
        return _("Het ondertitelbestand is geen tekstbestand (UTF-8).")
    if "no cues" in text:
        return _("Het ondertitelbestand bevat geen ondertitels (regels zoals 00:00:01.000 --> 00:00:04.000).")
    if line and "end after" in text:
        return _("Regel %(n)s: een ondertitel moet eindigen na het begin.", n=line.group(1))
    if line:
        return _("Regel %(n)s: de tijd moet eruitzien als 00:00:01.000 --> 00:00:04.000.", n=line.group(1))
    return _("Dit is geen geldig WebVTT-bestand.")


def remove_captions(profile: VideoProfile, actor: Any, language: str | None = None) -> None:
    """Remove the `language` captions track (None: every track)."""
    keys = _drop_objects(profile, [MediaRole.CAPTIONS], language)
    if not keys:
        return
    db.session.flush()
    _delete_after_commit(profile.candidate_id, keys, None, whole_candidate=False)
    audit.record("video.captions_removed", profile, actor=actor, candidate_id=profile.candidate_id, language=language)


def delete_video(candidate: Candidate | int, actor: Any, *, reason: str = "manual") -> bool:
    """Remove the candidate's video: rows now, every stored object right after commit.

    The audit entry names the candidate by id only (no personal data), so it can outlive erasure.
    """
    candidate_id = candidate if isinstance(candidate, int) else candidate.id
    profile = profile_of(candidate_id)
    keys = [obj.key for obj in profile.objects] if profile is not None else []
    if profile is not None:
        db.session.delete(profile)
        db.session.flush()
    # Always purge the candidate's whole prefix: it also catches an upload still in flight.
    _delete_after_commit(candidate_id, keys, video_prefix(candidate_id), whole_candidate=True)
    if profile is not None:
        audit.record("video.deleted", None, actor=actor, candidate_id=candidate_id, reason=reason, objects=len(keys))
    return profile is not None


# -- background processing -----------------------------------------------------------------

@jobs.handler(PROCESS_JOB)
def process_video(video_id: int, token: str) -> None:
    """Probe, validate, transcode; never raises for bad input or a failed tool (the worker goes on)."""
    from media.pipeline import process_upload

    profile = db.session.get(VideoProfile, video_id)
    if profile is None or profile.token != token or profile.state not in (VideoState.UPLOADED, VideoState.PROCESSING):
        return
    keys = {role: profile.key_for(role) for role in (MediaRole.ORIGINAL, MediaRole.VIDEO, MediaRole.POSTER)}
    profile.state = VideoState.PROCESSING
    profile.attempts += 1
    db.commit()  # the status page shows "processing" while ffmpeg works

    storage = _storage()
    result = None
    code = None
    try:
        result = process_upload(storage, keys[MediaRole.ORIGINAL], keys[MediaRole.VIDEO], keys[MediaRole.POSTER],
                                max_seconds=max_seconds(), max_bytes=max_bytes())
    except InvalidMedia as exc:
        code = exc.code if exc.code in FAILURE_MESSAGES else "not_a_media_file"
        current_app.logger.info("video %s refused: %s %s", video_id, exc.code, exc.detail)
    except TranscodeFailed as exc:
        code = "transcode_failed"
        current_app.logger.warning("video %s: transcoding failed: %s", video_id, exc)
    except StorageError as exc:
        code = "storage_unavailable"
        current_app.logger.warning("video %s: storage failed: %s", video_id, exc)
    except Exception:  # noqa: BLE001  (a bug must not leave the video "processing" forever)
        code = "internal"
        current_app.logger.exception("video %s: processing failed", video_id)

    db.session.expire_all()
    profile = db.session.scalars(
        select(VideoProfile).where(VideoProfile.id == video_id).with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if profile is None or profile.token != token:
        # Deleted (consent ended) or replaced while ffmpeg ran: keep nothing of this upload.
        for key in keys.values():
            storage.delete(key)
        return
    if result is not None:
        _drop_objects(profile, [MediaRole.ORIGINAL])  # process_upload deleted the original
        _record_object(profile, MediaRole.VIDEO, result.video, storage.name)
        _record_object(profile, MediaRole.POSTER, result.poster, storage.name)
        profile.state = VideoState.READY
        profile.duration_seconds = result.info.duration_seconds
        profile.width, profile.height = result.info.width, result.info.height
        profile.processed_at = db.utcnow()
        db.session.flush()
        audit.record("video.ready", profile, actor=None, candidate_id=profile.candidate_id,
                     duration=round(result.info.duration_seconds or 0, 1))
        return
    retryable = code in RETRYABLE_CODES and storage.exists(keys[MediaRole.ORIGINAL])
    if not retryable:
        _drop_objects(profile, [MediaRole.ORIGINAL])
        storage.delete(keys[MediaRole.ORIGINAL])
    profile.state = VideoState.FAILED
    profile.failure_code = code
    profile.failure_message = _dutch_failure_message(code)
    profile.retryable = retryable
    profile.processed_at = db.utcnow()
    db.session.flush()
    audit.record("video.failed", profile, actor=None, candidate_id=profile.candidate_id, code=code)


@jobs.periodic("candidates.video_stale_uploads", 15 * 60)
def clean_stale_uploads() -> None:
    """Uploads started but never completed: drop the row's pending state and any bytes that arrived."""
    import datetime as dt

    cutoff = db.utcnow() - dt.timedelta(seconds=STALE_UPLOAD_SECONDS)
    stale = db.session.scalars(
        select(VideoProfile).where(VideoProfile.state == VideoState.AWAITING_UPLOAD, VideoProfile.updated_at < cutoff)
    ).all()
    for profile in stale:
        delete_video(profile.candidate_id, None, reason="upload_abandoned")


# -- what employers see --------------------------------------------------------------------

def _s3_origins() -> str:
    """Origins of presigned S3 URLs, for the Content-Security-Policy (empty for local storage)."""
    ext = current_app.extensions
    if "portal.video_origins" not in ext:
        storage = _storage()
        origins = set()
        if storage.name != "local":
            for url in (storage.playback_url("candidates/0/video/x/video.mp4", 60),
                        storage.create_upload("candidates/0/video/x/original", "video/mp4", 1, 60).url):
                parts = urlsplit(url or "")
                if parts.scheme and parts.netloc:
                    origins.add(f"{parts.scheme}://{parts.netloc}")
        ext["portal.video_origins"] = " ".join(sorted(origins))
    return ext["portal.video_origins"]


def allow_media_origin() -> None:
    """Let this page's CSP admit the S3 origin (uploads, presigned playback redirects)."""
    if has_request_context():
        origins = _s3_origins()
        if origins:
            g.csp_media_origin = origins


def playback_urls(profile: VideoProfile) -> dict[str, Any]:
    return _playback_urls(profile.id, profile.token, has_poster=profile.poster is not None,
                          has_captions=profile.captions is not None)


def _playback_urls(video_id: int, video_token: str, *, has_poster: bool, has_captions: bool) -> dict[str, Any]:
    from flask_login import current_user

    from portal.candidates.media_grants import make_grant

    def build() -> dict[str, Any]:
        args = {"video_id": video_id, "video_token": video_token}
        viewer = current_user if has_request_context() else None

        def url(endpoint: str, file: str) -> str:  # bound to this viewer, this file, a short time
            return url_for(endpoint, **args, g=make_grant(video_id, video_token, file, viewer))

        return {
            "video_url": url("video.play", "video"),
            "poster_url": url("video.poster", "poster") if has_poster else None,
            "captions_url": url("video.captions_file", "captions") if has_captions else None,
        }

    if has_request_context():
        return build()
    with current_app.test_request_context():
        return build()


def caption_tracks(profile: VideoProfile, captions_url: str | None) -> list[dict[str, Any]]:
    """One entry per captions track, for ``<track kind="captions" srclang label src>``; the first is default.

    Each track's URL is the captions URL with ``captions.vtt`` -> ``captions-<language>.vtt`` (any
    query string, e.g. a viewer-bound grant, is kept: the track is the same file kind).
    """
    return _caption_tracks([obj.track_language for obj in profile.caption_tracks], captions_url)


def _caption_tracks(languages: list[str], captions_url: str | None) -> list[dict[str, Any]]:
    from portal import reference
    from portal.core.i18n import ui_locale

    if not captions_url:
        return []
    locale = ui_locale() if has_request_context() else "nl"
    path, sep, query = captions_url.partition("?")
    tracks = []
    for index, code in enumerate(languages):
        url = path.replace("/captions.vtt", f"/captions-{code}.vtt") + sep + query
        tracks.append({"language": code, "label": reference.language(code).label(locale) if reference.is_language(code) else code, "url": url, "default": index == 0})
    return tracks


def video_facts(profile: VideoProfile | None) -> dict[str, Any] | None:
    """What an employer's view of the video follows from: plain data of the profile and its files
    (no URL, nothing of the viewer), so it can be kept while the data does not change
    (portal.candidates.gallery's cards). None when there is no ready video."""
    if profile is None or not profile.is_ready:
        return None
    return {
        "id": profile.id,
        "token": profile.token,
        "has_poster": profile.poster is not None,
        "caption_languages": [obj.track_language for obj in profile.caption_tracks],
        "duration": profile.duration_label,
        "duration_seconds": profile.duration_seconds,
        "width": profile.width,
        "height": profile.height,
    }


def present_video(facts: dict[str, Any] | None) -> dict[str, Any] | None:
    """The video as this request shows it: playback URLs bound to the viewer (a short-lived grant),
    caption labels in the page's language, and the page's CSP admitting the media origin."""
    if facts is None:
        return None
    allow_media_origin()
    languages = facts["caption_languages"]
    urls = _playback_urls(facts["id"], facts["token"], has_poster=facts["has_poster"], has_captions=bool(languages))
    return {
        "id": facts["id"],
        **urls,
        "caption_tracks": _caption_tracks(languages, urls["captions_url"]),
        "duration": facts["duration"],
        "duration_seconds": facts["duration_seconds"],
        "width": facts["width"],
        "height": facts["height"],
        "has_captions": bool(languages),
    }


def video_summary(profile: VideoProfile | None) -> dict[str, Any] | None:
    return present_video(video_facts(profile))


@hooks.profile_extension("video", present=present_video)
def employer_video(candidate: Candidate, locale: str) -> dict[str, Any] | None:
    """`employer_profile(candidate)["video"]`, as facts (`present_video` makes what the page shows):
    only with a valid consent that allows video."""
    if not video_consent_ok(candidate):
        return None
    return video_facts(profile_of(candidate))


@hooks.on_consent_ended
def _consent_ended(candidate: Candidate, reason: str) -> None:
    delete_video(candidate, None, reason=f"consent_{reason}")


@hooks.on_candidate_erased
def _candidate_erased(candidate: Candidate) -> None:
    delete_video(candidate, None, reason="erased")
