"""Fixtures for the media tests: real sample files, and storage on each backend.

Sample files are generated once per session with the real ffmpeg, tiny so the
whole folder stays fast. The ``storage`` fixture runs each contract test on
the local backend (tmp_path) and on the real S3-compatible server of
``tests/plugins/services.py`` (``s3_settings``), each test in its own key prefix.
"""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from media import tools as media_tools
from media.storage import LocalStorage, Storage, create_storage

SECRET = "test-secret"


def ffmpeg(*args: str) -> None:
    """Run the same ffmpeg the library uses; fail the test with its stderr."""
    cmd = [media_tools.tools().ffmpeg, "-nostdin", "-hide_banner", "-v", "error", "-y", *args]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


class Samples:
    """Lazily generated sample media files, shared by the whole session."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _make(self, name: str, build: Callable[[Path], None]) -> Path:
        path = self.folder / name
        if not path.exists():
            build(path)
        return path

    @property
    def clip(self) -> Path:
        """2 s, 160x120, H.264 + AAC, moov at the end (ffmpeg's default)."""
        return self._make("clip.mp4", lambda p: ffmpeg(
            "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10:duration=2", "-f", "lavfi", "-i", "sine=duration=2",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(p)))

    @property
    def clip_faststart(self) -> Path:
        return self._make("clip-faststart.mp4", lambda p: ffmpeg(
            "-i", str(self.clip), "-c", "copy", "-movflags", "+faststart", str(p)))

    @property
    def tall_clip(self) -> Path:
        """Taller than 720 with an aspect that needs rounding (640x962), 1 s at 5 fps, with a title tag."""
        return self._make("tall.mov", lambda p: ffmpeg(
            "-f", "lavfi", "-i", "testsrc2=size=640x962:rate=5:duration=1", "-f", "lavfi", "-i", "sine=duration=1",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
            "-metadata", "title=Secret location", str(p)))

    @property
    def silent_clip(self) -> Path:
        return self._make("silent.webm", lambda p: ffmpeg(
            "-f", "lavfi", "-i", "testsrc2=size=96x64:rate=5:duration=2", "-c:v", "libvpx", "-deadline", "realtime",
            "-f", "webm", str(p)))

    @property
    def streamed_webm(self) -> Path:
        """Like a browser's MediaRecorder output: written as a stream, so no duration in the header."""
        def build(p: Path) -> None:
            cmd = [media_tools.tools().ffmpeg, "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                   "testsrc2=size=96x64:rate=10:duration=3", "-f", "lavfi", "-i", "sine=duration=3",
                   "-c:v", "libvpx", "-deadline", "realtime", "-c:a", "libopus", "-f", "webm", "pipe:1"]
            p.write_bytes(subprocess.run(cmd, capture_output=True, check=True).stdout)
        return self._make("streamed.webm", build)

    @property
    def truncated(self) -> Path:
        """An MP4 cut to half its bytes: its index (moov, at the end) is gone."""
        return self._make("truncated.mp4", lambda p: p.write_bytes(self.clip.read_bytes()[: self.clip.stat().st_size // 2]))

    @property
    def truncated_faststart(self) -> Path:
        """Cut in half with the index in front: the header still claims 2 s."""
        data = self.clip_faststart.read_bytes()
        return self._make("truncated-faststart.mp4", lambda p: p.write_bytes(data[: len(data) // 2]))

    @property
    def text_as_mp4(self) -> Path:
        return self._make("notes.mp4", lambda p: p.write_text("Dit is geen video, maar een tekstbestand.\n" * 20))

    @property
    def empty(self) -> Path:
        return self._make("empty.mp4", lambda p: p.write_bytes(b""))

    @property
    def audio_only(self) -> Path:
        return self._make("voice.m4a", lambda p: ffmpeg("-f", "lavfi", "-i", "sine=duration=2", "-c:a", "aac", str(p)))

    @property
    def ten_minutes(self) -> Path:
        """A 600 s video made fast: 32x32 at one frame per second."""
        return self._make("ten-minutes.mp4", lambda p: ffmpeg(
            "-f", "lavfi", "-i", "color=c=blue:size=32x32:rate=1", "-t", "600",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(p)))

    @property
    def png(self) -> Path:
        return self._make("photo.png", lambda p: ffmpeg("-f", "lavfi", "-i", "testsrc2=size=64x48", "-frames:v", "1", str(p)))

    @property
    def jpeg_as_mp4(self) -> Path:
        """A JPEG photo uploaded under a video name."""
        return self._make("photo.mp4", lambda p: ffmpeg(
            "-f", "lavfi", "-i", "testsrc2=size=64x48", "-frames:v", "1", "-c:v", "mjpeg", "-f", "image2", str(p)))

    def sparse(self, name: str, size: int) -> Path:
        """A file of ``size`` bytes that takes no disk space (holes)."""
        def build(p: Path) -> None:
            with open(p, "wb") as handle:
                handle.truncate(size)
        return self._make(name, build)


@pytest.fixture(scope="session")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Samples:
    return Samples(tmp_path_factory.mktemp("media-samples"))


@pytest.fixture
def without_system_ffmpeg(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make the lookup behave as on a fresh machine: no ffmpeg/ffprobe on PATH.

    Only the PATH lookup is replaced; the library then really runs the
    ffmpeg binary shipped in the imageio-ffmpeg wheel.
    """
    real_which = shutil.which
    monkeypatch.setattr(media_tools.shutil, "which",
                        lambda name, *a, **k: None if name in ("ffmpeg", "ffprobe") else real_which(name, *a, **k))
    media_tools.tools.cache_clear()
    media_tools.ffmpeg_has_filter.cache_clear()
    yield
    media_tools.tools.cache_clear()
    media_tools.ffmpeg_has_filter.cache_clear()


@pytest.fixture(params=["ffprobe", pytest.param("ffmpeg-fallback")])
def prober(request: pytest.FixtureRequest) -> str:
    """Run a probe test with the system ffprobe and with the wheel-only fallback."""
    if request.param == "ffmpeg-fallback":
        request.getfixturevalue("without_system_ffmpeg")
        assert media_tools.tools().ffprobe is None
    elif media_tools.tools().ffprobe is None:
        pytest.skip("no system ffprobe on this machine")
    return request.param


def s3_storage_from(settings: dict[str, str]) -> Storage:
    """The S3 backend built through the same factory the portal uses."""
    return create_storage({
        "STORAGE_BACKEND": "s3",
        "S3_ENDPOINT_URL": settings["endpoint_url"],
        "S3_BUCKET": settings["bucket"],
        "AWS_ACCESS_KEY_ID": settings["access_key"],
        "AWS_SECRET_ACCESS_KEY": settings["secret_key"],
        "AWS_DEFAULT_REGION": settings["region"],
    })


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    if request.param == "local":
        return LocalStorage(tmp_path / "store", secret_key=SECRET)
    return s3_storage_from(request.getfixturevalue("s3_settings"))


@pytest.fixture
def prefix(storage: Storage) -> Iterator[str]:
    """A key prefix of this test's own; everything under it is removed afterwards."""
    value = f"test-{uuid.uuid4().hex[:12]}/"
    yield value
    storage.delete_prefix(value)
