"""Transcoding real files; outputs checked with ffprobe and by reading the MP4 boxes."""

from __future__ import annotations

import json
import os
import struct
import subprocess
from pathlib import Path

import pytest

from media import tools as media_tools
from media.transcode import TranscodeFailed, transcode

from .conftest import Samples


def top_level_boxes(path: Path) -> list[str]:
    """The sequence of top-level ISO-BMFF box types (ftyp, moov, mdat, ...)."""
    boxes = []
    with open(path, "rb") as handle:
        while header := handle.read(8):
            size, kind = struct.unpack(">I4s", header)
            if size == 1:
                size = struct.unpack(">Q", handle.read(8))[0] - 8
            elif size == 0:
                boxes.append(kind.decode())
                break
            boxes.append(kind.decode())
            handle.seek(size - 8, os.SEEK_CUR)
    return boxes


def ffprobe_json(path: Path) -> dict:
    ffprobe = media_tools.tools().ffprobe
    if ffprobe is None:
        pytest.skip("checking outputs needs the system ffprobe")
    out = subprocess.run([ffprobe, "-v", "error", "-of", "json", "-show_streams", "-show_format", str(path)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def test_tall_clip_becomes_720p_h264_aac_faststart(samples: Samples, tmp_path: Path) -> None:
    out, poster = tmp_path / "out" / "video.mp4", tmp_path / "out" / "poster.jpg"
    info = transcode(samples.tall_clip, out, poster)

    data = ffprobe_json(out)
    video = next(s for s in data["streams"] if s["codec_type"] == "video")
    audio = next(s for s in data["streams"] if s["codec_type"] == "audio")
    assert (video["codec_name"], video["pix_fmt"], audio["codec_name"]) == ("h264", "yuv420p", "aac")
    assert video["height"] == 720
    assert video["width"] % 2 == 0 and abs(video["width"] - 640 * 720 / 962) <= 2  # aspect kept
    assert (info.width, info.height) == (video["width"], video["height"])
    assert "title" not in data["format"].get("tags", {})  # source metadata is not carried over

    boxes = top_level_boxes(out)
    assert boxes.index("moov") < boxes.index("mdat")  # +faststart

    assert poster.read_bytes()[:3] == b"\xff\xd8\xff"  # JPEG
    poster_stream = ffprobe_json(poster)["streams"][0]
    assert (poster_stream["width"], poster_stream["height"]) == (video["width"], video["height"])
    assert sorted(os.listdir(out.parent)) == ["poster.jpg", "video.mp4"]  # no temporary files left


def test_small_silent_webm_stays_small_and_video_only(samples: Samples, tmp_path: Path) -> None:
    info = transcode(samples.silent_clip, tmp_path / "v.mp4", tmp_path / "p.jpg")
    assert (info.width, info.height, info.video_codec) == (96, 64, "h264")  # never upscaled
    assert not info.has_audio
    assert (tmp_path / "p.jpg").stat().st_size > 0


def test_max_seconds_cuts_the_output(samples: Samples, tmp_path: Path) -> None:
    info = transcode(samples.clip, tmp_path / "v.mp4", tmp_path / "p.jpg", max_seconds=1)
    assert info.duration_seconds == pytest.approx(1.0, abs=0.15)


def test_failure_raises_with_ffmpeg_reason_and_leaves_nothing(samples: Samples, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    with pytest.raises(TranscodeFailed) as raised:
        transcode(samples.text_as_mp4, out_dir / "v.mp4", out_dir / "p.jpg")
    assert "Invalid data" in raised.value.stderr_tail
    assert raised.value.message.startswith("Transcoding failed")
    assert list(out_dir.iterdir()) == []


def test_fallback_ffmpeg_transcodes_too(samples: Samples, tmp_path: Path, without_system_ffmpeg: None) -> None:
    info = transcode(samples.clip, tmp_path / "v.mp4", tmp_path / "p.jpg")
    assert (info.video_codec, info.audio_codec, info.height) == ("h264", "aac", 120)
