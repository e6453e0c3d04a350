"""Atomic file creation: a file appears complete at its final path, or not at all.

Used wherever a reader could otherwise see half a file: the local storage
backend, downloads for processing, and ffmpeg outputs.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


@contextlib.contextmanager
def atomic_path(path: Path, tmp_dir: Path | None = None) -> Iterator[Path]:
    """Yield a temporary path; on success move it to ``path`` in one step.

    For tools that write to a path themselves (ffmpeg). ``tmp_dir`` must be on
    the same filesystem as ``path`` (default: the same directory). On any
    exception the temporary file is removed and ``path`` is left untouched.
    """
    directory = tmp_dir or path.parent
    directory.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=path.suffix)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        path.parent.mkdir(parents=True, exist_ok=True)  # only now: an abort leaves no folders
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_write(path: Path, tmp_dir: Path | None = None) -> Iterator[BinaryIO]:
    """Yield a binary file; on success it is fsynced and moved to ``path``."""
    with atomic_path(path, tmp_dir) as tmp, open(tmp, "wb") as handle:
        yield handle
        handle.flush()
        os.fsync(handle.fileno())
