"""Where the native media tools come from, decided in one place.

Servers get ffmpeg/ffprobe from Debian (PATH). A fresh machine without root
still works: ffmpeg then comes from the imageio-ffmpeg wheel, which ships no
ffprobe, so ``Tools.ffprobe`` is None and :mod:`media.probe` reads ``ffmpeg -i``
instead. espeak-ng is optional (demo clips fall back to a tone).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass


class ToolMissing(RuntimeError):
    """No usable ffmpeg binary at all (neither on PATH nor from the wheel)."""


@dataclass(frozen=True)
class Tools:
    ffmpeg: str
    ffprobe: str | None
    espeak: str | None


@functools.cache
def tools() -> Tools:
    """Locate the binaries once per process (call ``tools.cache_clear()`` to redo)."""
    system_ffmpeg = shutil.which("ffmpeg")
    system_ffprobe = shutil.which("ffprobe")
    if system_ffmpeg and system_ffprobe:
        ffmpeg, ffprobe = system_ffmpeg, system_ffprobe
    else:
        # Never mix a system ffprobe with the wheel's ffmpeg or vice versa:
        # their versions (and thus formats, output quirks) would differ.
        ffmpeg, ffprobe = _wheel_ffmpeg() or system_ffmpeg, None
        if ffmpeg is None:
            raise ToolMissing("ffmpeg not found: install Debian's ffmpeg or the imageio-ffmpeg wheel")
    return Tools(ffmpeg=ffmpeg, ffprobe=ffprobe, espeak=shutil.which("espeak-ng"))


def _wheel_ffmpeg() -> str | None:
    try:
        import imageio_ffmpeg
    except ImportError:
        return None
    try:
        return imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError:
        return None


@functools.cache
def ffmpeg_has_filter(name: str) -> bool:
    """Whether the chosen ffmpeg build has a filter (e.g. drawtext needs freetype)."""
    result = run([tools().ffmpeg, "-hide_banner", "-filters"], timeout=30)
    return any(line.split()[1:2] == [name] for line in result.stdout.splitlines())


def run(args: Sequence[str], *, timeout: float, input: str | None = None,
        background: bool = False) -> subprocess.CompletedProcess[str]:
    """Run a tool without a shell; text output, never raises on exit status.

    ``stdin`` is closed unless ``input`` is given, so ffmpeg can never block
    waiting for a keypress in a worker. ``background``: at lower CPU priority
    (``nice -n 10``, when the system has it), so pages keep answering meanwhile.
    """
    args = list(args)
    if background and (nice := shutil.which("nice")):
        args = [nice, "-n", "10", *args]
    return subprocess.run(
        args,
        input=input,
        stdin=None if input is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=timeout,
        check=False,
    )


def stderr_tail(text: str, lines: int = 15) -> str:
    """The last lines of a tool's stderr: where ffmpeg puts the actual reason."""
    return "\n".join(text.strip().splitlines()[-lines:])
