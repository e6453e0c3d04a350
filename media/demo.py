"""Synthetic video profiles for the demo data, generated locally at setup.

No real person may appear in demo data, and downloading sample videos would
need network access, so each clip is an ffmpeg test picture marked "DEMO"
with the sentence written on it, and the sentence spoken by espeak-ng (a
plain tone where espeak-ng is not installed). Small and fast on purpose:
about a dozen clips are made on first run.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import textwrap
import wave
from pathlib import Path

from media.files import atomic_path
from media.tools import ffmpeg_has_filter, run, stderr_tail, tools

WIDTH, HEIGHT, FPS = 640, 360, 15
_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/Library/Fonts/Arial.ttf",
)
# Paths go into an ffmpeg filtergraph unquoted; allow only harmless characters.
_SAFE_PATH_RE = re.compile(r"^[\w/.-]+$")


class DemoClipFailed(RuntimeError):
    """ffmpeg could not make the clip (message holds its stderr tail)."""


def generate_demo_clip(path: str | Path, sentence: str, voice: str = "nl", seconds: float = 6) -> Path:
    """Write a small MP4 (640x360, H.264/AAC, faststart) to ``path`` and return it.

    The clip lasts ``seconds`` or as long as the spoken sentence plus a short
    pause, whichever is longer. ``voice`` is an espeak-ng voice ("nl", "en").
    """
    target = Path(path)
    with tempfile.TemporaryDirectory(prefix="demo-clip-") as work:
        workdir = Path(work)
        speech = _speak(sentence, voice, workdir / "speech.wav")
        duration = max(float(seconds), _wav_seconds(speech) + 0.5) if speech else float(seconds)
        args = [tools().ffmpeg, "-nostdin", "-hide_banner", "-v", "error", "-y",
                "-f", "lavfi", "-i", f"testsrc2=size={WIDTH}x{HEIGHT}:rate={FPS}:duration={duration:g}"]
        if speech:
            args += ["-i", str(speech), "-af", "apad"]
        else:
            args += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=22050:duration={duration:g}"]
        label = _label_filter(sentence, workdir)
        if label:
            args += ["-vf", label]
        with atomic_path(target) as tmp:
            args += ["-t", f"{duration:g}", "-map", "0:v", "-map", "1:a",
                     "-c:v", "libx264", "-preset", "ultrafast", "-crf", "30", "-pix_fmt", "yuv420p",
                     "-c:a", "aac", "-b:a", "64k", "-movflags", "+faststart",
                     "-metadata", "title=Werkportaal demo (synthetic)", "-f", "mp4", str(tmp)]
            result = run(args, timeout=60)
            if result.returncode != 0:
                raise DemoClipFailed(stderr_tail(result.stderr))
    return target


def _speak(sentence: str, voice: str, wav: Path) -> Path | None:
    """The sentence as speech, or None when espeak-ng is missing or fails."""
    espeak = tools().espeak
    if not espeak:
        return None
    try:
        # Text on stdin: a sentence starting with "-" is never read as an option.
        result = run([espeak, "-v", voice, "-w", str(wav), "--stdin"], input=sentence, timeout=30)
    except subprocess.TimeoutExpired:
        return None
    return wav if result.returncode == 0 and wav.exists() and wav.stat().st_size > 44 else None


def _wav_seconds(wav: Path) -> float:
    with wave.open(str(wav), "rb") as handle:
        return handle.getnframes() / float(handle.getframerate())


def _label_filter(sentence: str, workdir: Path) -> str | None:
    """drawtext filters for "DEMO" and the sentence, if this ffmpeg can draw text."""
    font = _find_font()
    if not font or not ffmpeg_has_filter("drawtext"):
        return None
    text_file = workdir / "sentence.txt"
    text_file.write_text("\n".join(textwrap.wrap(sentence, 42)[:4]), encoding="utf-8")
    if not (_SAFE_PATH_RE.match(font) and _SAFE_PATH_RE.match(str(text_file))):
        return None
    box = "box=1:boxcolor=black@0.6:boxborderw=8:fontcolor=white"
    return (
        f"drawtext=fontfile={font}:text=DEMO:fontsize=28:x=w-text_w-16:y=16:{box},"
        f"drawtext=fontfile={font}:textfile={text_file}:fontsize=22:line_spacing=6:"
        f"x=(w-text_w)/2:y=h-text_h-24:{box}"
    )


def _find_font() -> str | None:
    for candidate in _FONT_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    fc_match = shutil.which("fc-match")
    if fc_match:
        result = run([fc_match, "-f", "%{file}", "sans"], timeout=10)
        if result.returncode == 0 and Path(result.stdout.strip()).is_file():
            return result.stdout.strip()
    return None
