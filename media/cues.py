"""Propose caption cues from the pauses in the speech (ffmpeg's ``silencedetect``).

The account manager still types every cue's text; this only saves finding the
times. Each stretch of sound between two pauses becomes one empty cue, from the
end of one pause to the start of the next; a stretch longer than `MAX_CUE_SECONDS`
is cut into equal parts (a caption should fit on screen while it is read).
"""

from __future__ import annotations

import re
from pathlib import Path

from media.captions import Cue
from media.tools import run, stderr_tail, tools

#: Quieter than this counts as a pause (speech on a phone is around -20 dB).
NOISE_DB = -30
#: A pause is at least this long (a breath between words is shorter).
MIN_SILENCE_SECONDS = 0.35
MAX_CUE_SECONDS = 7.0
#: Sound shorter than this (a click, a cough) is not a cue of its own.
MIN_CUE_SECONDS = 0.3
PROPOSE_TIMEOUT = 120

_START_RE = re.compile(r"silence_start:\s*(-?[\d.]+)")
_END_RE = re.compile(r"silence_end:\s*(-?[\d.]+)")
_DURATION_RE = re.compile(r"Duration:\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)")


class CueDetectionFailed(Exception):
    """ffmpeg could not read the file's sound."""


def detect_silences(path: str | Path, *, noise_db: float = NOISE_DB, min_silence: float = MIN_SILENCE_SECONDS,
                    timeout: float = PROPOSE_TIMEOUT) -> tuple[list[tuple[float, float | None]], float | None]:
    """The pauses as (start, end) pairs (end None: silent until the end) and the file's duration."""
    result = run([tools().ffmpeg, "-hide_banner", "-nostats", "-i", str(path), "-vn", "-sn", "-dn",
                  "-af", f"silencedetect=noise={noise_db}dB:d={min_silence}", "-f", "null", "-"], timeout=timeout)
    if result.returncode != 0:
        raise CueDetectionFailed(stderr_tail(result.stderr))
    duration = None
    match = _DURATION_RE.search(result.stderr)
    if match:
        duration = int(match.group(1)) * 3600 + int(match.group(2)) * 60 + float(match.group(3))
    silences: list[tuple[float, float | None]] = []
    for line in result.stderr.splitlines():
        if (start := _START_RE.search(line)) is not None:
            silences.append((max(0.0, float(start.group(1))), None))
        elif (end := _END_RE.search(line)) is not None and silences and silences[-1][1] is None:
            silences[-1] = (silences[-1][0], float(end.group(1)))
    return silences, duration


def cues_between(silences: list[tuple[float, float | None]], duration: float | None, *,
                 max_cue: float = MAX_CUE_SECONDS, min_cue: float = MIN_CUE_SECONDS) -> list[Cue]:
    """Empty cues for the stretches of sound between the pauses."""
    stretches: list[tuple[float, float]] = []
    position = 0.0
    for start, end in silences:
        if start - position >= min_cue:
            stretches.append((position, start))
        if end is None:
            position = None  # type: ignore[assignment]
            break
        position = end
    if position is not None and duration is not None and duration - position >= min_cue:
        stretches.append((position, duration))
    cues: list[Cue] = []
    for start, end in stretches:
        parts = max(1, int(-(-(end - start) // max_cue)))
        step = (end - start) / parts
        for index in range(parts):
            cues.append(Cue(round(start + index * step, 3), round(start + (index + 1) * step, 3), ""))
    return cues


def propose_cues(path: str | Path, *, timeout: float = PROPOSE_TIMEOUT, duration: float | None = None) -> list[Cue]:
    silences, found_duration = detect_silences(path, timeout=timeout)
    return cues_between(silences, duration if duration is not None else found_duration)
