"""From a finished browser upload to a playable video and poster, for the background worker.

Whose fault a failure is decides what happens to the uploaded original:

- :class:`~media.probe.InvalidMedia` (the file itself is unacceptable: not a
  video, truncated, too long, too large): the original is deleted, since no
  retry can fix it, and the error's ``code`` tells the account manager why.
- :class:`~media.transcode.TranscodeFailed` or
  :class:`~media.storage.StorageError` (the system failed): the original is
  kept so the job can be retried; partial outputs are removed.

Either way no orphan objects remain, and nothing raised here should stop a
worker loop: catch these three, record the state, move on.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from media.probe import DURATION_TOLERANCE_SECONDS, MAX_BYTES, MAX_SECONDS, InvalidMedia, MediaInfo, inspect_video
from media.storage import Storage, StoredObject, UploadTooLarge
from media.transcode import transcode


@dataclass(frozen=True)
class ProcessedVideo:
    """What the candidate's video record stores (with ``storage.name``)."""

    video: StoredObject
    poster: StoredObject
    info: MediaInfo  # of the transcoded video: duration, width, height


def process_upload(
    storage: Storage,
    upload_key: str,
    video_key: str,
    poster_key: str,
    *,
    max_seconds: float = MAX_SECONDS,
    max_bytes: int = MAX_BYTES,
    workdir: str | Path | None = None,
) -> ProcessedVideo:
    """Check, transcode and store an uploaded original; delete it when done.

    ``workdir`` holds the temporary copies (default: the system temp folder);
    it needs room for the original plus the output.
    """
    with tempfile.TemporaryDirectory(prefix="media-job-", dir=workdir) as tmp:
        work = Path(tmp)
        original = work / "original"
        try:
            storage.confirm_upload(upload_key, max_bytes)
            storage.download_to(upload_key, original)
            inspect_video(original, max_seconds, max_bytes)
        except UploadTooLarge as exc:  # confirm_upload already deleted it
            raise InvalidMedia("too_large") from exc
        except InvalidMedia:
            storage.delete(upload_key)
            raise

        video_path, poster_path = work / "video.mp4", work / "poster.jpg"
        info = transcode(original, video_path, poster_path, max_seconds=max_seconds + DURATION_TOLERANCE_SECONDS)
        try:
            with open(video_path, "rb") as video_file:
                video = storage.put_file(video_key, video_file, "video/mp4")
            with open(poster_path, "rb") as poster_file:
                poster = storage.put_file(poster_key, poster_file, "image/jpeg")
        except BaseException:
            storage.delete(video_key)
            storage.delete(poster_key)
            raise
    storage.delete(upload_key)
    return ProcessedVideo(video, poster, info)
