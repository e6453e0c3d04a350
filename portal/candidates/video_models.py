"""Video profiles of candidates: one current video per candidate, its stored objects and state.

- `VideoProfile` (``video_profiles``): one row per candidate (unique, deleted with the candidate),
  the processing state and, when it failed, why (stable code + Dutch message).
- `MediaObject` (``media_objects``): one stored object of a video profile, by role
  (original upload, transcoded MP4, poster, captions): backend name, key, content type, size,
  sha256. Never a URL: playback URLs are made at read time (portal.candidates.video_views).

Keys live under ``candidates/<candidate_id>/video/<token>/`` where `token` is new for every
upload, so a replaced or deleted video's URLs go stale and the whole candidate's media can be
removed with one prefix delete.
"""
from __future__ import annotations

import datetime as dt
import enum
import secrets
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

import portal.candidates.models  # noqa: F401  (video profiles belong to candidates)
from portal.core import db
from portal.core.types import enum_column


class VideoState(enum.StrEnum):
    AWAITING_UPLOAD = "awaiting_upload"
    UPLOADED = "uploaded"
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return str({
            VideoState.AWAITING_UPLOAD: _l("Wacht op upload"),
            VideoState.UPLOADED: _l("Geüpload, wacht op verwerking"),
            VideoState.PROCESSING: _l("Wordt verwerkt"),
            VideoState.READY: _l("Klaar"),
            VideoState.FAILED: _l("Mislukt"),
        }[self])

    @property
    def busy(self) -> bool:
        return self in (VideoState.UPLOADED, VideoState.PROCESSING)


class MediaRole(enum.StrEnum):
    ORIGINAL = "original"
    VIDEO = "video"
    POSTER = "poster"
    CAPTIONS = "captions"


DEFAULT_KEY_ROOT = "candidates"
#: The language of a captions track when none is given (and of every track made before tracks had one).
DEFAULT_CAPTION_LANGUAGE = "nl"


def key_root() -> str:
    """Where video keys start (VIDEO_STORAGE_PREFIX; lets installations or tests share a bucket)."""
    from flask import current_app, has_app_context

    root = current_app.config.get("VIDEO_STORAGE_PREFIX", DEFAULT_KEY_ROOT) if has_app_context() else DEFAULT_KEY_ROOT
    return str(root).strip("/") or DEFAULT_KEY_ROOT


def video_prefix(candidate_id: int) -> str:
    """Every stored object of a candidate's video lives under this prefix."""
    return f"{key_root()}/{int(candidate_id)}/video/"


class VideoProfile(db.TimestampMixin, db.Base):
    __tablename__ = "video_profiles"
    __table_args__ = (
        UniqueConstraint("candidate_id", name="uq_video_profiles_candidate_id"),
        CheckConstraint("(state = 'failed') = (failure_code IS NOT NULL)", name="failure_code_iff_failed"),
        CheckConstraint("duration_seconds IS NULL OR duration_seconds >= 0", name="duration_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"))
    state: Mapped[VideoState] = mapped_column(enum_column(VideoState, "video_state"), default=VideoState.AWAITING_UPLOAD)
    #: New for every upload: part of every key and every playback URL (old URLs go stale).
    token: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_hex(8))
    #: The content type the browser declared for the upload (the ticket enforces it); probing decides.
    upload_content_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    failure_code: Mapped[str | None] = mapped_column(String(32))
    failure_message: Mapped[str | None] = mapped_column(String(500))
    #: Whether a retry can help (the original is still stored; the system failed, not the file).
    retryable: Mapped[bool] = mapped_column(default=False)
    duration_seconds: Mapped[float | None]
    width: Mapped[int | None]
    height: Mapped[int | None]
    attempts: Mapped[int] = mapped_column(default=0)
    processed_at: Mapped[dt.datetime | None]

    candidate: Mapped[Any] = relationship("Candidate")
    objects: Mapped[list[MediaObject]] = relationship(
        back_populates="video_profile", cascade="all, delete-orphan", passive_deletes=True, order_by="MediaObject.id",
    )

    # -- keys ------------------------------------------------------------------------------
    @property
    def prefix(self) -> str:
        return f"{video_prefix(self.candidate_id)}{self.token}/"

    def key_for(self, role: MediaRole, language: str = "") -> str:
        names = {MediaRole.ORIGINAL: "original", MediaRole.VIDEO: "video.mp4", MediaRole.POSTER: "poster.jpg",
                 MediaRole.CAPTIONS: "captions.vtt"}
        if MediaRole(role) == MediaRole.CAPTIONS and language and language != DEFAULT_CAPTION_LANGUAGE:
            return f"{self.prefix}captions-{language}.vtt"
        return self.prefix + names[MediaRole(role)]

    # -- objects ---------------------------------------------------------------------------
    def object(self, role: MediaRole, language: str | None = None) -> MediaObject | None:
        """The object of `role`; for captions, of `language` (None: the first track)."""
        role = MediaRole(role)
        if role == MediaRole.CAPTIONS and language is not None:
            return next((obj for obj in self.caption_tracks if obj.track_language == language), None)
        return next((obj for obj in self.objects if obj.role == role), None)

    @property
    def caption_tracks(self) -> list[MediaObject]:
        """Every captions track, Dutch first, then by language code."""
        tracks = [obj for obj in self.objects if obj.role == MediaRole.CAPTIONS]
        return sorted(tracks, key=lambda obj: (obj.track_language != DEFAULT_CAPTION_LANGUAGE, obj.track_language))

    @property
    def original(self) -> MediaObject | None:
        return self.object(MediaRole.ORIGINAL)

    @property
    def video(self) -> MediaObject | None:
        return self.object(MediaRole.VIDEO)

    @property
    def poster(self) -> MediaObject | None:
        return self.object(MediaRole.POSTER)

    @property
    def captions(self) -> MediaObject | None:
        tracks = self.caption_tracks
        return tracks[0] if tracks else None

    @property
    def is_ready(self) -> bool:
        return self.state == VideoState.READY and self.video is not None

    @property
    def duration_label(self) -> str:
        seconds = int(round(self.duration_seconds or 0))
        return f"{seconds // 60}:{seconds % 60:02d}"

    # -- object rules (staff; employers go through portal.candidates.video.can_play) --------
    def can_view(self, user: Any) -> bool:
        return self.candidate.can_view(user)

    def can_edit(self, user: Any) -> bool:
        return self.candidate.can_edit(user)


class MediaObject(db.Base):
    """One stored object: where it is (backend + key) and what it is. Never a URL."""

    __tablename__ = "media_objects"
    __table_args__ = (
        UniqueConstraint("video_profile_id", "role", "language", name="uq_media_objects_video_profile_role_language"),
        UniqueConstraint("backend", "key", name="uq_media_objects_backend_key"),
        CheckConstraint("size >= 0", name="size_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    video_profile_id: Mapped[int] = mapped_column(ForeignKey("video_profiles.id", ondelete="CASCADE"), index=True)
    role: Mapped[MediaRole] = mapped_column(enum_column(MediaRole, "media_role"))
    #: Captions: the track's language (BCP 47, e.g. "nl", "en"); "" for every other role.
    language: Mapped[str] = mapped_column(String(16), default="", server_default="")
    backend: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(512))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    checksum_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)

    video_profile: Mapped[VideoProfile] = relationship(back_populates="objects")

    @property
    def track_language(self) -> str:
        """A captions track's language (a track stored without one is Dutch)."""
        return self.language or DEFAULT_CAPTION_LANGUAGE
