"""Probing and validating uploads, with real files, via ffprobe and via the ffmpeg-only fallback."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from media import tools as media_tools
from media.probe import MAX_BYTES, InvalidMedia, MediaInfo, inspect_video, probe, scan, validate_video

from .conftest import Samples

BAD_INPUTS = [
    ("empty", "empty_file"),
    ("text_as_mp4", "not_a_media_file"),
    ("truncated", "corrupt"),
    ("truncated_faststart", "corrupt"),
    ("audio_only", "no_video_stream"),
    ("png", "still_image"),
    ("jpeg_as_mp4", "still_image"),
    ("ten_minutes", "too_long"),
]


def test_good_clip(samples: Samples, prober: str) -> None:
    info = inspect_video(samples.clip)
    assert info.has_video and info.has_audio
    assert (info.width, info.height, info.video_codec, info.audio_codec) == (160, 120, "h264", "aac")
    assert "mp4" in info.format_name
    assert info.size == samples.clip.stat().st_size
    assert info.duration_seconds == pytest.approx(2.0, abs=0.1)
    assert not info.still_image


@pytest.mark.parametrize(("sample", "code"), BAD_INPUTS)
def test_bad_inputs_get_stable_codes(samples: Samples, prober: str, sample: str, code: str) -> None:
    with pytest.raises(InvalidMedia) as raised:
        inspect_video(getattr(samples, sample))
    assert raised.value.code == code
    assert raised.value.message and "/" not in raised.value.message  # no paths or tool output for users


def test_truncation_behind_an_intact_header_is_found_by_scanning(samples: Samples, prober: str) -> None:
    """The header of a faststart MP4 survives the cut and still claims 2 s."""
    assert probe(samples.truncated_faststart).duration_seconds == pytest.approx(2.0, abs=0.1)
    with pytest.raises(InvalidMedia) as raised:
        scan(samples.truncated_faststart)
    assert raised.value.code == "corrupt"
    assert raised.value.detail  # ffmpeg's reason, for the log


def test_browser_recording_without_duration_is_measured(samples: Samples, prober: str) -> None:
    assert probe(samples.streamed_webm).duration_seconds is None
    info = inspect_video(samples.streamed_webm)
    assert info.duration_seconds == pytest.approx(3.0, abs=0.2)
    assert (info.video_codec, info.audio_codec) == ("vp8", "opus")


def test_video_without_sound_is_acceptable(samples: Samples, prober: str) -> None:
    info = inspect_video(samples.silent_clip)
    assert info.has_video and not info.has_audio


def test_a_2gb_file_is_refused_by_size_before_any_tool_reads_it(samples: Samples) -> None:
    huge = samples.sparse("huge.mp4", 2 * 1024 * 1024 * 1024)  # holes: no disk used
    started = time.monotonic()
    with pytest.raises(InvalidMedia) as raised:
        inspect_video(huge)
    assert raised.value.code == "too_large"
    assert "300 MB" in raised.value.message
    assert time.monotonic() - started < 0.5


def test_limits_are_parameters(samples: Samples) -> None:
    with pytest.raises(InvalidMedia, match=r"longer than 0:01 \(minutes:seconds\)") as raised:
        inspect_video(samples.clip, max_seconds=1)
    assert raised.value.code == "too_long"
    with pytest.raises(InvalidMedia) as raised:
        inspect_video(samples.clip, max_bytes=1000)
    assert raised.value.code == "too_large"


def info(**changes: object) -> MediaInfo:
    base = dict(format_name="mov,mp4,m4a,3gp,3g2,mj2", duration_seconds=60.0, has_video=True, has_audio=True,
                width=1280, height=720, video_codec="h264", audio_codec="aac", size=1000, still_image=False)
    return MediaInfo(**{**base, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("facts", "code"),
    [(info(size=0), "empty_file"), (info(size=MAX_BYTES + 1), "too_large"), (info(still_image=True), "still_image"),
     (info(has_video=False), "no_video_stream"), (info(duration_seconds=181.5), "too_long")],
)
def test_validate_video_rules(facts: MediaInfo, code: str) -> None:
    with pytest.raises(InvalidMedia) as raised:
        validate_video(facts)
    assert raised.value.code == code


@pytest.mark.parametrize("facts", [info(), info(duration_seconds=180.9), info(has_audio=False), info(size=MAX_BYTES)])
def test_validate_video_accepts(facts: MediaInfo) -> None:
    validate_video(facts)


def test_fallback_uses_the_wheel_ffmpeg(without_system_ffmpeg: None) -> None:
    found = media_tools.tools()
    assert found.ffprobe is None
    assert "imageio_ffmpeg" in found.ffmpeg
    assert Path(found.ffmpeg).is_file()


def test_missing_ffmpeg_everywhere_is_a_clear_error(without_system_ffmpeg: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(media_tools, "_wheel_ffmpeg", lambda: None)
    media_tools.tools.cache_clear()
    with pytest.raises(media_tools.ToolMissing, match="ffmpeg"):
        media_tools.tools()
