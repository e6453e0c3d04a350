"""Synthetic demo clips: fast, valid by the upload rules, with speech or a tone."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from media import tools as media_tools
from media.demo import generate_demo_clip
from media.probe import inspect_video


def test_demo_clip_with_speech_is_fast_and_a_valid_upload(tmp_path: Path) -> None:
    started = time.monotonic()
    path = generate_demo_clip(tmp_path / "demo" / "amal.mp4", "Hallo, ik ben Amal. Ik wil in de zorg werken.")
    elapsed = time.monotonic() - started

    info = inspect_video(path)
    assert (info.video_codec, info.audio_codec, info.width, info.height) == ("h264", "aac", 640, 360)
    assert info.duration_seconds == pytest.approx(6, abs=0.5)
    assert elapsed < 2.0, f"demo clip took {elapsed:.2f} s"


def test_long_sentences_extend_the_clip(tmp_path: Path) -> None:
    if media_tools.tools().espeak is None:
        pytest.skip("espeak-ng not installed")
    sentence = "Goedemorgen. " + "Ik werk graag met mensen en ik leer elke dag Nederlands. " * 3
    info = inspect_video(generate_demo_clip(tmp_path / "long.mp4", sentence, voice="nl", seconds=2))
    assert info.duration_seconds > 6


def test_without_espeak_a_tone_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_which = shutil.which
    monkeypatch.setattr(media_tools.shutil, "which", lambda name, *a, **k: None if name == "espeak-ng" else real_which(name, *a, **k))
    media_tools.tools.cache_clear()
    try:
        assert media_tools.tools().espeak is None
        info = inspect_video(generate_demo_clip(tmp_path / "tone.mp4", "-v en Hello", voice="en", seconds=2))
        assert info.has_audio and info.duration_seconds == pytest.approx(2, abs=0.3)
    finally:
        media_tools.tools.cache_clear()


def test_sentence_is_spoken_not_parsed_as_options(tmp_path: Path) -> None:
    info = inspect_video(generate_demo_clip(tmp_path / "dash.mp4", "--help 'quotes' : colons, and commas", voice="en"))
    assert info.has_audio
