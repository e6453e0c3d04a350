"""WebVTT validation: usable captions pass, everything else gets a clear message."""

from __future__ import annotations

import pytest

from media.captions import MAX_CAPTION_BYTES, InvalidCaptions, validate_webvtt

GOOD = (
    "WEBVTT - Amal, profiel\n\n"
    "1\n00:00:01.000 --> 00:00:04.000\nHallo, ik ben Amal.\n\n"
    "00:04.500 --> 00:07.250 align:start line:90%\nIk wil graag in de zorg werken.\n"
)


def test_valid_captions_are_returned_as_text() -> None:
    assert validate_webvtt(GOOD.encode()) == GOOD


def test_bom_and_windows_line_ends_are_normalised() -> None:
    data = ("\ufeff" + GOOD.replace("\n", "\r\n")).encode()
    assert validate_webvtt(data) == GOOD


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"1\n00:00:01,000 --> 00:00:04,000\nThis is SubRip\n", "first line must be \"WEBVTT\""),
        (b"WEBVTTX\n\n00:00:01.000 --> 00:00:02.000\nx\n", "first line"),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nCaf\xe9\n".encode("latin-1"), "not UTF-8"),
        (b"WEBVTT\n\nJust a note, no cues.\n", "no cues"),
        (b"WEBVTT\n\n00:00:01,000 --> 00:00:04,000\nComma decimals\n", "Line 3"),
        (b"WEBVTT\n\n0:01.000 --> 0:04.000\nShort minutes\n", "Line 3"),
        (b"WEBVTT\n\n00:00:05.000 --> 00:00:04.000\nBackwards\n", "end after it starts"),
        (b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\x00\x01binary", "not a text file"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "not UTF-8"),
    ],
)
def test_bad_captions_are_explained(data: bytes, message: str) -> None:
    with pytest.raises(InvalidCaptions, match=message.replace("(", r"\(")):
        validate_webvtt(data)


def test_size_limit() -> None:
    cue = "00:00:01.000 --> 00:00:02.000\nx\n\n"
    big = ("WEBVTT\n\n" + cue * (MAX_CAPTION_BYTES // len(cue) + 1)).encode()
    with pytest.raises(InvalidCaptions, match="512 KB"):
        validate_webvtt(big)
