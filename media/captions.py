"""Validation of uploaded WebVTT captions before they reach the video player.

Browsers silently ignore a broken ``<track>``, so a bad file would look like
"captions do not work" to a deaf employer; checking at upload turns that into
a clear message for the account manager instead.
"""

from __future__ import annotations

import re

MAX_CAPTION_BYTES = 512 * 1024

# HH:MM:SS.mmm or MM:SS.mmm (hours may have more than two digits).
_TIMESTAMP = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING_RE = re.compile(rf"^{_TIMESTAMP}[ \t]+-->[ \t]+{_TIMESTAMP}(?:[ \t]+\S.*)?$")
_SIGNATURE_RE = re.compile(r"^WEBVTT(?:[ \t].*)?$")


class InvalidCaptions(ValueError):
    """The upload is not usable WebVTT; the message says what to fix."""


def validate_webvtt(data: bytes, max_bytes: int = MAX_CAPTION_BYTES) -> str:
    """Return the captions as text with ``\\n`` line ends, or raise InvalidCaptions.

    Checks: size limit, UTF-8, the ``WEBVTT`` signature on the first line,
    and at least one cue; every line with ``-->`` must be a well-formed cue
    timing line whose end is after its start.
    """
    if len(data) > max_bytes:
        raise InvalidCaptions(f"The captions file is larger than {max_bytes // 1024} KB.")
    if not data.strip():
        raise InvalidCaptions("The captions file is empty.")
    try:
        text = data.decode("utf-8-sig")  # a leading byte-order mark is allowed
    except UnicodeDecodeError as exc:
        raise InvalidCaptions("The captions file is not UTF-8 text.") from exc
    if "\x00" in text:
        raise InvalidCaptions("The captions file is not a text file.")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not _SIGNATURE_RE.match(lines[0]):
        raise InvalidCaptions('This is not a WebVTT file: the first line must be "WEBVTT".')
    cues = 0
    for number, line in enumerate(lines[1:], start=2):
        if "-->" not in line:
            continue
        match = _TIMING_RE.match(line.strip())
        if not match:
            raise InvalidCaptions(f"Line {number}: the cue timing must look like 00:00:01.000 --> 00:00:04.000.")
        start, end = _seconds(match.groups()[:4]), _seconds(match.groups()[4:])
        if end <= start:
            raise InvalidCaptions(f"Line {number}: a cue must end after it starts.")
        cues += 1
    if cues == 0:
        raise InvalidCaptions("The captions file contains no cues (lines like 00:00:01.000 --> 00:00:04.000).")
    return "\n".join(lines)


def _seconds(parts: tuple[str | None, ...]) -> float:
    hours, minutes, seconds, millis = parts
    return int(hours or 0) * 3600 + int(minutes or 0) * 60 + int(seconds or 0) + int(millis or 0) / 1000
