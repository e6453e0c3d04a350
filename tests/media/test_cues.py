"""Cue proposals from the pauses (ffmpeg silencedetect) and the WebVTT round trip (webvtt-py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from media.captions import Cue, parse_cues, validate_webvtt, write_webvtt
from media.cues import CueDetectionFailed, cues_between, propose_cues
from tests.media.conftest import ffmpeg

#: Sound, pause, sound, pause, sound (seconds).
SOUND = [(0.0, 1.5), (2.5, 4.0), (5.0, 6.5)]


def _clip_with_pauses(path: Path) -> Path:
    silent = "+".join(f"between(t,{end},{start})" for (_s, end), (start, _e) in zip(SOUND, SOUND[1:]))
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10:duration=6.5",
           "-f", "lavfi", "-i", f"aevalsrc='if({silent},0,0.5*sin(2*PI*440*t))':s=44100:d=6.5",
           "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(path))
    return path


def test_proposed_cues_land_within_0_3_s_of_the_known_pauses(tmp_path):
    cues = propose_cues(_clip_with_pauses(tmp_path / "pauses.mp4"))
    assert len(cues) == len(SOUND), cues
    for cue, (start, end) in zip(cues, SOUND):
        assert abs(cue.start - start) <= 0.3 and abs(cue.end - end) <= 0.3, (cue, start, end)
        assert cue.text == ""


def test_long_stretches_are_cut_and_clicks_are_ignored():
    cues = cues_between([(0.1, 1.0), (16.0, 16.5), (16.6, 20.0)], 20.0, max_cue=7.0)
    # 0-0.1 is a click (too short); 1-16 is cut in three; 16.5-16.6 is too short; silent till the end.
    assert [(c.start, c.end) for c in cues] == [(1.0, 6.0), (6.0, 11.0), (11.0, 16.0)]
    assert cues_between([], 3.0) == [Cue(0.0, 3.0, "")]


def test_a_file_without_sound_fails_clearly(tmp_path):
    with pytest.raises(CueDetectionFailed):
        propose_cues(tmp_path / "missing.mp4")


def test_webvtt_round_trip_keeps_times_and_text():
    cues = [Cue(0.0, 1.25, "Hallo, ik ben Amal."), Cue(1.5, 4.0, "Ik werk graag\nmet mensen."),
            Cue(3661.007, 3662.5, "Na een uur: — «citaat» & a < b > c")]
    text = write_webvtt(cues)
    assert text.startswith("WEBVTT")
    assert validate_webvtt(text.encode("utf-8")) == text
    assert parse_cues(text) == cues
    assert "&amp; a &lt; b &gt; c" in text  # escaped in the file, plain again when read


def test_markup_in_an_uploaded_file_is_read_as_plain_text():
    text = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Amal>Ik ben <b>Amal</b> &amp; ik bak</v>\n"
    assert parse_cues(validate_webvtt(text.encode())) == [Cue(1.0, 2.0, "Ik ben Amal & ik bak")]


def test_written_cues_are_sorted_and_cannot_break_the_file():
    text = write_webvtt([Cue(2, 3, "tweede"), Cue(0, 1, "eerste --> pijl\n\n\nna lege regels")])
    parsed = parse_cues(validate_webvtt(text.encode()))
    assert [c.text for c in parsed] == ["eerste -> pijl\nna lege regels", "tweede"]
