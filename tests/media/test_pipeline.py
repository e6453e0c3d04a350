"""The upload-to-playable pipeline on every backend: outputs stored, no orphans on bad input."""

from __future__ import annotations

import pytest

from media.pipeline import process_upload
from media.probe import InvalidMedia
from media.storage import Storage

from .conftest import Samples


def upload(storage: Storage, prefix: str, path) -> str:
    key = f"{prefix}uploads/original"
    with open(path, "rb") as handle:
        storage.put_file(key, handle, "application/octet-stream")
    return key


def test_good_upload_becomes_video_and_poster(storage: Storage, prefix: str, samples: Samples) -> None:
    key = upload(storage, prefix, samples.streamed_webm)

    result = process_upload(storage, key, f"{prefix}video.mp4", f"{prefix}poster.jpg")

    assert storage.list_keys(prefix) == [f"{prefix}poster.jpg", f"{prefix}video.mp4"]  # original gone
    assert result.video == storage.stat(f"{prefix}video.mp4")
    assert (result.video.content_type, result.poster.content_type) == ("video/mp4", "image/jpeg")
    assert (result.info.video_codec, result.info.audio_codec) == ("h264", "aac")
    assert result.info.duration_seconds == pytest.approx(3.0, abs=0.2)


@pytest.mark.parametrize(("sample", "code"), [("text_as_mp4", "not_a_media_file"), ("truncated", "corrupt"),
                                              ("audio_only", "no_video_stream"), ("empty", "empty_file")])
def test_bad_upload_leaves_no_objects(storage: Storage, prefix: str, samples: Samples, sample: str, code: str) -> None:
    key = upload(storage, prefix, getattr(samples, sample))
    with pytest.raises(InvalidMedia) as raised:
        process_upload(storage, key, f"{prefix}video.mp4", f"{prefix}poster.jpg")
    assert raised.value.code == code
    assert storage.list_keys(prefix) == []


def test_oversized_upload_is_deleted_before_download(storage: Storage, prefix: str, samples: Samples) -> None:
    key = upload(storage, prefix, samples.clip)
    with pytest.raises(InvalidMedia) as raised:
        process_upload(storage, key, f"{prefix}video.mp4", f"{prefix}poster.jpg", max_bytes=1000)
    assert raised.value.code == "too_large"
    assert storage.list_keys(prefix) == []
