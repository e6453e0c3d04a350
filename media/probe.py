"""What an uploaded file really is, and whether it is acceptable as a video profile.

The file name and the browser's Content-Type are never trusted: the container
and streams come from ffprobe (or from ``ffmpeg -i`` where only the
imageio-ffmpeg wheel is available). Rejections carry a stable ``code`` that the
portal maps to a translated message:

====================  ===========================================================
code                  meaning
====================  ===========================================================
``empty_file``        zero bytes
``not_a_media_file``  not audio/video at all (e.g. a text file renamed to .mp4)
``corrupt``           a media container that cannot be read to the end
                      (truncated upload, damaged file)
``no_video_stream``   audio only (cover art does not count as video)
``still_image``       a picture (PNG, JPEG, ...) instead of a video
``too_long``          longer than the limit (3 minutes)
``too_large``         more bytes than the limit (300 MB)
====================  ===========================================================

Use :func:`inspect_video` for uploads: cheap checks first, then ffprobe, then a
full read of every packet (:func:`scan`), which catches truncation that the
header hides and measures the real duration (browser recordings often have
none in their header, and a header can lie).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

from media.tools import run, stderr_tail, tools

MAX_SECONDS = 180
MAX_BYTES = 300 * 1024 * 1024
#: Recorders stop a little late; a 3:00 recording may measure 180.04 s.
DURATION_TOLERANCE_SECONDS = 1.0
PROBE_TIMEOUT = 60
SCAN_TIMEOUT = 300

MESSAGES = {
    "empty_file": "The file is empty.",
    "not_a_media_file": "This is not a video file.",
    "corrupt": "The video file is incomplete or damaged; please upload it again.",
    "no_video_stream": "The file contains sound but no picture.",
    "still_image": "This is a picture, not a video.",
    "too_long": "The video is too long.",
    "too_large": "The file is too large.",
}

# Demuxers that describe pictures, not moving images.
_IMAGE_FORMATS = {"image2", "gif", "apng", "webp", "ico", "tiff"}
# Demuxers that accept arbitrary text or bytes; a match says nothing.
_NON_MEDIA_FORMATS = {"tty", "bin", "data"}


class InvalidMedia(Exception):
    """A file that cannot become a video profile; ``code`` is stable."""

    def __init__(self, code: str, message: str | None = None, *, detail: str = "") -> None:
        super().__init__(message or MESSAGES[code])
        self.code = code
        self.message = message or MESSAGES[code]
        #: Technical reason (tool output) for logs and staff; never shown to employers.
        self.detail = detail


@dataclass(frozen=True)
class MediaInfo:
    """The facts about a media file that decide acceptance and processing."""

    format_name: str
    duration_seconds: float | None
    has_video: bool
    has_audio: bool
    width: int | None
    height: int | None
    video_codec: str | None
    audio_codec: str | None
    size: int
    still_image: bool = False


def probe(path: str | Path) -> MediaInfo:
    """Read container and stream metadata; raise InvalidMedia if unreadable.

    Fast (headers only). It does not prove the file is complete: see :func:`scan`.
    """
    path = Path(path).resolve()
    size = path.stat().st_size
    if size == 0:
        raise InvalidMedia("empty_file")
    ffprobe = tools().ffprobe
    info = _probe_with_ffprobe(ffprobe, path, size) if ffprobe else _probe_with_ffmpeg(path, size)
    if info.format_name in _NON_MEDIA_FORMATS:
        raise InvalidMedia("not_a_media_file")
    return info


def scan(path: str | Path) -> float | None:
    """Read every packet (no decoding) and return the measured duration in seconds.

    Raises InvalidMedia("corrupt") when the container breaks off or is damaged,
    e.g. an MP4 cut in half whose index (at the front) still claims the full
    length. Costs one sequential read of the file.
    """
    path = Path(path).resolve()
    args = [tools().ffmpeg, "-nostdin", "-v", "error", "-xerror", "-progress", "pipe:1", "-i", str(path),
            "-map", "0:v?", "-map", "0:a?", "-c", "copy", "-f", "null", "-"]
    result = _run(args, SCAN_TIMEOUT)
    if result.returncode != 0:
        raise InvalidMedia("corrupt", detail=stderr_tail(result.stderr, 3))
    times = re.findall(r"^out_time_us=(\d+)$", result.stdout, re.MULTILINE)
    seconds = int(times[-1]) / 1_000_000 if times else 0.0
    return seconds or None


def validate_video(info: MediaInfo, max_seconds: float = MAX_SECONDS, max_bytes: int = MAX_BYTES) -> None:
    """Raise InvalidMedia unless ``info`` describes an acceptable video profile."""
    _check_size(info.size, max_bytes)
    if info.still_image:
        raise InvalidMedia("still_image")
    if not info.has_video:
        raise InvalidMedia("no_video_stream")
    if info.duration_seconds is not None and info.duration_seconds > max_seconds + DURATION_TOLERANCE_SECONDS:
        raise InvalidMedia("too_long", f"The video is longer than {_minutes(max_seconds)} (minutes:seconds).")


def inspect_video(path: str | Path, max_seconds: float = MAX_SECONDS, max_bytes: int = MAX_BYTES) -> MediaInfo:
    """Everything an upload must pass, cheapest check first; returns the facts.

    The returned duration is the measured one from :func:`scan`.
    """
    _check_size(os.path.getsize(path), max_bytes)  # before any tool runs
    info = probe(path)
    validate_video(info, max_seconds, max_bytes)
    measured = scan(path)
    if measured is None:
        raise InvalidMedia("corrupt")
    info = replace(info, duration_seconds=measured)
    validate_video(info, max_seconds, max_bytes)
    return info


def _check_size(size: int, max_bytes: int) -> None:
    if size == 0:
        raise InvalidMedia("empty_file")
    if size > max_bytes:
        raise InvalidMedia("too_large", f"The file is larger than {max_bytes // (1024 * 1024)} MB.")


def _minutes(seconds: float) -> str:
    """180 -> "3:00", as people read video lengths."""
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    try:
        return run(args, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise InvalidMedia("corrupt", detail=f"{args[0]} timed out after {timeout} s") from exc


def _unreadable(path: Path, stderr: str) -> InvalidMedia:
    """Tell a broken media file from something that never was one."""
    with open(path, "rb") as handle:
        head = handle.read(512)
    if _looks_like_media_container(head):
        return InvalidMedia("corrupt", detail=stderr_tail(stderr, 3))
    return InvalidMedia("not_a_media_file")


def _looks_like_media_container(head: bytes) -> bool:
    """Magic numbers of the containers people upload video in.

    Needed because ffmpeg guesses the demuxer from the file extension when the
    content matches nothing, and then fails the same way for a text file as
    for a truncated MP4 ("moov atom not found").
    """
    return (
        head[4:8] in {b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pnot"}  # MP4 / MOV / 3GP
        or head.startswith(b"\x1a\x45\xdf\xa3")  # Matroska / WebM
        or head.startswith((b"RIFF", b"OggS", b"FLV", b"ID3"))
        or head.startswith(b"\x30\x26\xb2\x75\x8e\x66\xcf\x11")  # ASF / WMV
        or head.startswith(b"\x00\x00\x01\xba")  # MPEG program stream
        or (len(head) > 188 and head[0] == 0x47 and head[188] == 0x47)  # MPEG transport stream
    )


def _is_image_format(format_name: str) -> bool:
    return format_name.endswith("_pipe") or bool(set(format_name.split(",")) & _IMAGE_FORMATS)


def _probe_with_ffprobe(ffprobe: str, path: Path, size: int) -> MediaInfo:
    args = [ffprobe, "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)]
    result = _run(args, PROBE_TIMEOUT)
    try:
        data = json.loads(result.stdout or "{}")
    except ValueError:
        data = {}
    if result.returncode != 0 or "format" not in data:
        raise _unreadable(path, result.stderr)
    fmt = data["format"]
    streams = data.get("streams", [])
    video = [s for s in streams if s.get("codec_type") == "video" and not s.get("disposition", {}).get("attached_pic")]
    audio = [s for s in streams if s.get("codec_type") == "audio"]
    durations = [_float(fmt.get("duration"))] + [_float(s.get("duration")) for s in streams]
    format_name = str(fmt.get("format_name", ""))
    first_video = video[0] if video else {}
    return MediaInfo(
        format_name=format_name,
        duration_seconds=next((d for d in durations if d), None),
        has_video=bool(video),
        has_audio=bool(audio),
        width=first_video.get("width"),
        height=first_video.get("height"),
        video_codec=first_video.get("codec_name"),
        audio_codec=audio[0].get("codec_name") if audio else None,
        size=size,
        still_image=bool(video) and _is_image_format(format_name),
    )


_INPUT_RE = re.compile(r"^Input #0, (?P<format>.+?), from ", re.MULTILINE)
_DURATION_RE = re.compile(r"^\s+Duration: (?:(?P<h>\d+):(?P<m>\d+):(?P<s>[\d.]+)|N/A)", re.MULTILINE)
_STREAM_RE = re.compile(r"^\s+Stream #0:\d+\S*: (?P<type>Video|Audio): (?P<codec>[^\s,]+)(?P<rest>.*)$", re.MULTILINE)
_SIZE_RE = re.compile(r", (\d{1,5})x(\d{1,5})\b")


def _probe_with_ffmpeg(path: Path, size: int) -> MediaInfo:
    """Fallback without ffprobe: parse the stream summary ``ffmpeg -i`` prints.

    That summary's layout has been stable for over a decade (imageio-ffmpeg and
    moviepy rely on it too); ffmpeg exits 1 here because no output is given,
    so success is judged by the presence of the "Input #0" header.
    """
    result = _run([tools().ffmpeg, "-hide_banner", "-nostdin", "-i", str(path)], PROBE_TIMEOUT)
    header = _INPUT_RE.search(result.stderr)
    if header is None or "Error opening input" in result.stderr:
        raise _unreadable(path, result.stderr)
    format_name = header.group("format")
    duration = _DURATION_RE.search(result.stderr)
    seconds = None
    if duration and duration.group("h") is not None:
        seconds = int(duration.group("h")) * 3600 + int(duration.group("m")) * 60 + float(duration.group("s"))
    video = [m for m in _STREAM_RE.finditer(result.stderr) if m["type"] == "Video" and "(attached pic)" not in m["rest"]]
    audio = [m for m in _STREAM_RE.finditer(result.stderr) if m["type"] == "Audio"]
    dims = _SIZE_RE.search(video[0]["rest"]) if video else None
    return MediaInfo(
        format_name=format_name,
        duration_seconds=seconds or None,
        has_video=bool(video),
        has_audio=bool(audio),
        width=int(dims.group(1)) if dims else None,
        height=int(dims.group(2)) if dims else None,
        video_codec=video[0]["codec"] if video else None,
        audio_codec=audio[0]["codec"] if audio else None,
        size=size,
        still_image=bool(video) and _is_image_format(format_name),
    )


def _float(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
