"""Normalise an accepted upload into the one format every browser plays.

Output: MP4 with H.264 (yuv420p, High profile) and AAC, ``+faststart`` so the
index (moov) precedes the data and playback/seeking start before the whole
file has loaded; at most 720 pixels high, aspect kept, even dimensions (yuv420p
needs them); at most 30 fps; no metadata carried over (phone videos hold GPS
positions and device names: personal data nobody asked for). A video without
sound stays video-only: a silent track would only make the file larger.

The poster is a JPEG of the frame about one second in (the first frame of
shorter clips), taken from the transcoded output so it matches its size.

Both outputs appear atomically and together: on failure neither exists.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from media.files import atomic_path
from media.probe import InvalidMedia, MediaInfo, probe
from media.tools import run, stderr_tail, tools

MAX_HEIGHT = 720
MAX_FPS = 30
#: ffmpeg threads per transcode: one core, so a transcode never starves the web process (2 cores)
THREADS = 1
TRANSCODE_TIMEOUT = 30 * 60
POSTER_AT_SECONDS = 1.0


class TranscodeFailed(Exception):
    """ffmpeg could not produce the output; ``stderr_tail`` says why."""

    def __init__(self, message: str, stderr_tail: str = "") -> None:
        super().__init__(f"{message}\n{stderr_tail}".strip())
        self.message = message
        self.stderr_tail = stderr_tail


def transcode(
    src_path: str | Path,
    dst_mp4_path: str | Path,
    poster_path: str | Path,
    *,
    max_height: int = MAX_HEIGHT,
    max_seconds: float | None = None,
    timeout: float = TRANSCODE_TIMEOUT,
) -> MediaInfo:
    """Transcode ``src_path`` to ``dst_mp4_path`` plus a JPEG poster; return the output's facts.

    ``max_seconds`` cuts the output as a last line of defence should a file's
    header have lied about its length (uploads are measured before this).
    """
    src, dst, poster = Path(src_path).resolve(), Path(dst_mp4_path), Path(poster_path)
    with atomic_path(dst) as tmp_mp4, atomic_path(poster) as tmp_poster:
        _ffmpeg(_video_args(src, tmp_mp4, max_height, max_seconds), timeout, "Transcoding failed")
        info = _probe_output(tmp_mp4)
        at = POSTER_AT_SECONDS if (info.duration_seconds or 0) > POSTER_AT_SECONDS else 0.0
        _ffmpeg(_poster_args(tmp_mp4, tmp_poster, at), 120, "Making the poster image failed")
        if tmp_poster.stat().st_size == 0:
            _ffmpeg(_poster_args(tmp_mp4, tmp_poster, 0.0), 120, "Making the poster image failed")
        if tmp_poster.stat().st_size == 0:
            raise TranscodeFailed("Making the poster image failed: no frame decoded")
    return info


def _video_args(src: Path, dst: Path, max_height: int, max_seconds: float | None) -> list[str]:
    # trunc(ih/2)*2 keeps an odd source height even; -2 rounds the width to
    # an even number that keeps the aspect ratio; min() never upscales.
    scale = f"scale=w=-2:h='min({max_height},trunc(ih/2)*2)'"
    args = [
        tools().ffmpeg, "-nostdin", "-hide_banner", "-v", "error", "-y",
        # one core at most (decoder, filters, encoder): the web process keeps the other one
        "-threads", str(THREADS), "-filter_threads", str(THREADS), "-filter_complex_threads", str(THREADS),
        "-i", str(src),
        "-map", "0:V:0", "-map", "0:a:0?",  # V: real video, not cover art
        "-map_metadata", "-1", "-map_chapters", "-1", "-sn", "-dn",
        "-vf", scale, "-fpsmax", str(MAX_FPS),
        "-threads", str(THREADS),
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-profile:v", "high", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "128k", "-ac", "2",
        "-movflags", "+faststart",
    ]
    if max_seconds is not None:
        args += ["-t", f"{max_seconds:g}"]
    return args + ["-f", "mp4", str(dst)]


def _poster_args(video: Path, poster: Path, at: float) -> list[str]:
    return [
        tools().ffmpeg, "-nostdin", "-hide_banner", "-v", "error", "-y", "-threads", str(THREADS),
        "-ss", f"{at:g}", "-i", str(video),
        "-frames:v", "1", "-q:v", "3", "-c:v", "mjpeg", "-f", "image2", "-update", "1", str(poster),
    ]


def _ffmpeg(args: list[str], timeout: float, what: str) -> None:
    try:
        result = run(args, timeout=timeout, background=True)
    except subprocess.TimeoutExpired as exc:
        raise TranscodeFailed(f"{what}: timed out after {timeout:g} s") from exc
    if result.returncode != 0:
        raise TranscodeFailed(f"{what} (ffmpeg exit status {result.returncode})", stderr_tail(result.stderr))


def _probe_output(path: Path) -> MediaInfo:
    try:
        info = probe(path)
    except InvalidMedia as exc:
        raise TranscodeFailed("Transcoding produced an unreadable file", exc.detail) from exc
    if not info.has_video:
        raise TranscodeFailed("Transcoding produced no video stream")
    return info
