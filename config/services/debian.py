"""Debian packages the browser and media tests need: chromium, chromium-driver, ffmpeg, espeak-ng."""
from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from config.services._util import is_root, say, which_all

COMMANDS = {"chromium": "chromium", "chromedriver": "chromium-driver", "ffmpeg": "ffmpeg",
            "ffprobe": "ffmpeg", "espeak-ng": "espeak-ng"}
PACKAGES = ["chromium", "chromium-driver", "ffmpeg", "espeak-ng"]


def missing_commands() -> list[str]:
    return which_all(list(COMMANDS))


def ensure_packages(log: Path) -> bool:
    """Install the Debian packages when something is missing. False (with a message) when not possible."""
    missing = missing_commands()
    packages = list(PACKAGES)
    if not Path("/usr/lib/postgresql").exists() and not os.environ.get("DATABASE_URL"):
        missing.append("postgres")
        packages.append("postgresql-15")
    if not missing:
        return True
    if not is_root():
        say(f"WARNING: missing {', '.join(missing)}; as root run: apt-get install -y {' '.join(packages)} "
            "(browser and media tests will skip locally and FAIL under CI=true)", err=True)
        return False
    say(f"  apt-get install {' '.join(packages)} (missing: {', '.join(missing)}); log {log}")
    t0 = time.monotonic()
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        for cmd in (["apt-get", "-o", "DPkg::Lock::Timeout=600", "update"],
                    ["apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", *packages]):
            r = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
            if r.returncode != 0:
                say(f"WARNING: `{' '.join(cmd)}` failed with code {r.returncode}; see {log}", err=True)
                return False
    still = missing_commands()
    if still:
        say(f"WARNING: still missing after apt-get: {', '.join(still)}; see {log}", err=True)
        return False
    say(f"  Debian packages installed in {time.monotonic() - t0:.0f}s")
    return True
