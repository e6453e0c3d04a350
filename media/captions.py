"""WebVTT captions: read, validate and write them (with webvtt-py).

Browsers silently ignore a broken ``<track>``, so a bad file would look like
"captions do not work" to a deaf employer; checking at upload turns that into
a clear message for the account manager instead.

Reading and writing go through webvtt-py (`parse_cues`, `write_webvtt`). On top of
it, `validate_webvtt` checks what that library tolerates but browsers refuse (a
one-digit minute, an end before its start, a timing line it skips), so the account
manager gets a message naming the line instead of a track that never shows.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

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
    normalised = "\n".join(lines)
    try:
        parsed = _read(normalised)
    except (MalformedFileError, MalformedCaptionError) as exc:
        raise InvalidCaptions(f"This is not a valid WebVTT file ({exc}).") from exc
    if len(parsed.captions) != cues:
        raise InvalidCaptions("The captions file contains a cue that cannot be read.")
    return normalised


@dataclass
class Cue:
    """One caption cue: seconds from the start of the video, and its text (lines joined by \\n)."""

    start: float
    end: float
    text: str


def _read(text: str) -> webvtt.WebVTT:
    return webvtt.from_buffer(io.StringIO(text))


def parse_cues(text: str) -> list[Cue]:
    """The cues of a WebVTT text (already validated), in file order, as plain text.

    Cue markup (``<b>``, ``<v Amal>``) is dropped (webvtt-py's ``text``) and the escapes
    ``&amp; &lt; &gt;`` become the characters again, so the editor shows what a viewer reads.
    """
    return [Cue(c.start_time.in_milliseconds() / 1000, c.end_time.in_milliseconds() / 1000, _unescape(c.text))
            for c in _read(text).captions]


_ESCAPES = {"&lt;": "<", "&gt;": ">", "&nbsp;": "\u00a0", "&lrm;": "\u200e", "&rlm;": "\u200f", "&amp;": "&"}


def _unescape(text: str) -> str:
    for escaped, char in _ESCAPES.items():
        text = text.replace(escaped, char)
    return text


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _timestamp(seconds: float) -> str:
    millis = max(0, int(round(seconds * 1000)))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def write_webvtt(cues: list[Cue]) -> str:
    """A WebVTT document with `cues` (sorted by start); cue text is plain text (``<`` and ``&`` escaped).

    A cue's text cannot contain "-->" or a blank line (either would end the cue): "-->" becomes
    "->" and blank lines are dropped.
    """
    captions = []
    for cue in sorted(cues, key=lambda c: (c.start, c.end)):
        lines = [_escape(line.replace("-->", "->").strip()) for line in cue.text.replace("\r", "").split("\n")]
        lines = [line for line in lines if line]
        captions.append(webvtt.Caption(_timestamp(cue.start), _timestamp(cue.end), lines or [" "]))
    return webvtt.WebVTT(captions=captions).content


def _seconds(parts: tuple[str | None, ...]) -> float:
    hours, minutes, seconds, millis = parts
    return int(hours or 0) * 3600 + int(minutes or 0) * 60 + int(seconds or 0) + int(millis or 0) / 1000
