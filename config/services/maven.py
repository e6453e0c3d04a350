"""Downloads from Maven Central into the cache, verified before use.

A download goes to `<file>.part` and is renamed only after its checksum matched Maven Central's
`.sha512` (or `.sha1`). A verified file gets a `<file>.verified` note (size and sha512 of the
file as downloaded), so later runs only compare sizes and skip the network.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable

from config.services._util import ServiceError, cache_dir, say

MAVEN = os.environ.get("PORTAL_MAVEN_REPO", "https://repo1.maven.org/maven2").rstrip("/")
USER_AGENT = "werkportaal-services/1 (python urllib)"


def artifact_url(group: str, artifact: str, version: str, ext: str, classifier: str | None = None) -> str:
    name = f"{artifact}-{version}{'-' + classifier if classifier else ''}.{ext}"
    return f"{MAVEN}/{group.replace('.', '/')}/{artifact}/{version}/{name}"


def http_get(url: str, timeout: float = 30) -> bytes | None:
    """Body of url, or None on 404."""
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # nosec B310: https URL of Maven Central built from constants
            return resp.read()
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return None
        raise


def http_exists(url: str, timeout: float = 20) -> bool:
    req = urllib.request.Request(url, method="HEAD", headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # nosec B310: https URL of Maven Central built from constants
            return resp.status == 200
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return False
        raise


def remote_checksums(url: str) -> dict[str, str]:
    """{'sha512': hex, 'sha1': hex} for whichever Maven Central publishes next to url."""
    found = {}
    for algo in ("sha512", "sha1"):
        body = http_get(f"{url}.{algo}")
        if body:
            m = re.match(rb"\s*([0-9a-fA-F]+)", body)
            if m:
                found[algo] = m.group(1).decode().lower()
    return found


def metadata_versions(group: str, artifact: str) -> list[str]:
    body = http_get(f"{MAVEN}/{group.replace('.', '/')}/{artifact}/maven-metadata.xml")
    if not body:
        return []
    return re.findall(r"<version>([^<]+)</version>", body.decode())


def version_key(v: str) -> tuple:
    return tuple(int(p) if p.isdigit() else -1 for p in re.split(r"[.-]", v))


def _hash_file(path: Path, algos: tuple[str, ...]) -> dict[str, str]:
    hs = {a: hashlib.new(a) for a in algos}
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            for h in hs.values():
                h.update(chunk)
    return {a: h.hexdigest() for a, h in hs.items()}


def fetch(url: str, dest: Path, *, verify: Callable[[Path, dict[str, str]], str] | None = None,
          label: str | None = None) -> Path:
    """Return dest, downloading and verifying it first unless a verified copy is cached.

    Without `verify`, the file must match the .sha512/.sha1 Maven Central publishes next to it.
    `verify(part_path, local_hashes)` may replace that check (used where Maven Central has no
    checksum file); it returns a description of what was verified or raises ServiceError.
    """
    note = dest.with_name(dest.name + ".verified")
    part = dest.with_name(dest.name + ".part")
    if dest.exists() and note.exists():
        try:
            info = json.loads(note.read_text())
            if info.get("size") == dest.stat().st_size:
                part.unlink(missing_ok=True)  # a leftover of an interrupted re-download
                return dest
        except (OSError, ValueError):
            pass
        say(f"  cached {dest.name} does not match its verification note: downloading it again")
    dest.unlink(missing_ok=True)
    note.unlink(missing_ok=True)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if part.exists():
        say(f"  discarding a half-finished download {part}")
        part.unlink()

    expected = {} if verify else remote_checksums(url)
    if not verify and not expected:
        raise ServiceError(f"Maven Central publishes no .sha512/.sha1 for {url}: refusing an unverified download")

    t0 = time.monotonic()
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    hs = {a: hashlib.new(a) for a in ("sha512", "sha1")}
    size = 0
    try:
        with urllib.request.urlopen(req, timeout=60) as resp, open(part, "wb") as out:  # nosec B310: https URL of Maven Central built from constants; checksum verified
            total = int(resp.headers.get("Content-Length") or 0)
            while True:
                chunk = resp.read(1 << 20)
                if not chunk:
                    break
                out.write(chunk)
                for h in hs.values():
                    h.update(chunk)
                size += len(chunk)
        if total and size != total:
            raise ServiceError(f"download of {url} stopped at {size} of {total} bytes (kept nothing)")
    except (urllib.error.URLError, OSError) as e:
        part.unlink(missing_ok=True)
        raise ServiceError(f"download of {url} failed: {e}") from e
    except ServiceError:
        part.unlink(missing_ok=True)
        raise
    local = {a: h.hexdigest() for a, h in hs.items()}
    try:
        if verify:
            how = verify(part, local)
        else:
            algo = "sha512" if "sha512" in expected else "sha1"
            if local[algo] != expected[algo]:
                raise ServiceError(f"checksum mismatch for {url}: {algo} {local[algo]} != published {expected[algo]}")
            how = f"{algo} published on Maven Central"
    except Exception:
        part.unlink(missing_ok=True)
        raise
    os.replace(part, dest)
    note.write_text(json.dumps({"url": url, "size": size, "sha512": local["sha512"], "verified_by": how,
                                "at": time.strftime("%Y-%m-%dT%H:%M:%S")}))
    say(f"  downloaded {label or dest.name}: {size / 1e6:.1f} MB in {time.monotonic() - t0:.1f}s, verified by {how}")
    return dest


def newest_available(label: str, note_name: str, candidates: Callable[[], list[str]],
                     url_of: Callable[[str], str], pinned: str | None = None) -> str:
    """The version to use: `pinned` if given; else the newest of `candidates()` whose artefact
    (`url_of(version)`) exists on Maven Central, remembered for a day in the cache; when Maven
    Central cannot be reached, the remembered version (however old) rather than a failure."""
    if pinned:
        return pinned
    note = cache_dir() / note_name
    try:
        info = json.loads(note.read_text())
        if time.time() - info["checked"] < 24 * 3600:
            return info["version"]
    except (OSError, ValueError, KeyError):
        info = None
    try:
        for version in sorted(candidates(), key=version_key, reverse=True):
            if http_exists(url_of(version)):
                note.parent.mkdir(parents=True, exist_ok=True)
                note.write_text(json.dumps({"version": version, "checked": time.time()}))
                return version
    except (OSError, ValueError) as e:
        if info:
            say(f"  cannot reach Maven Central ({e}); using the cached {label} {info['version']}")
            return info["version"]
        raise ServiceError(f"cannot resolve {label} on Maven Central: {e}") from e
    raise ServiceError(f"no {label} artefact found on Maven Central")
