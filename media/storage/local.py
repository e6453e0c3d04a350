"""Local-disk storage backend for the embedded default and development.

Layout under ``root``::

    <key>                 the object's bytes, at its key path
    .meta/<key>.json      content type, size and sha256 recorded at write time
    .tmp/                 partial writes; moved into place only when complete

Keys never have segments starting with a dot (see ``validate_key``), so the
bookkeeping folders cannot collide with objects. Browsers upload through the
portal: :meth:`LocalStorage.create_upload` hands out a signed token that the
portal's upload endpoint checks with :func:`verify_upload_token` before calling
:meth:`LocalStorage.receive_upload` with the request stream.

Known gap versus S3: a key cannot also be a "folder" of other keys
(``a`` and ``a/b``); the second write fails with StorageError.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from itsdangerous import BadSignature, URLSafeSerializer

from media.files import atomic_write

from .base import (
    ByteSource,
    InvalidUploadToken,
    ObjectNotFound,
    Storage,
    StorageError,
    StoredObject,
    UploadTicket,
    copy_hashing,
    validate_key,
    validate_prefix,
)

#: Request header that carries the signed token on a local upload.
UPLOAD_TOKEN_HEADER = "X-Upload-Token"
_TOKEN_SALT = "werkportaal.media.upload"


@dataclass(frozen=True)
class UploadGrant:
    """What a valid upload token allows: one object, one type, a size limit."""

    key: str
    content_type: str
    max_bytes: int
    expires_at: int


def sign_upload_token(secret: str, grant: UploadGrant) -> str:
    """Sign a grant so the upload endpoint can trust it without a database row."""
    payload = {"k": grant.key, "t": grant.content_type, "m": grant.max_bytes, "e": grant.expires_at}
    return URLSafeSerializer(secret, salt=_TOKEN_SALT).dumps(payload)


def verify_upload_token(secret: str, token: str, now: float | None = None) -> UploadGrant:
    """Return the grant in ``token``; raise InvalidUploadToken if forged or expired."""
    try:
        payload = URLSafeSerializer(secret, salt=_TOKEN_SALT).loads(token)
        grant = UploadGrant(
            key=validate_key(payload["k"]),
            content_type=str(payload["t"]),
            max_bytes=int(payload["m"]),
            expires_at=int(payload["e"]),
        )
    except (BadSignature, KeyError, TypeError, ValueError, StorageError) as exc:
        raise InvalidUploadToken("Invalid upload token") from exc
    if (time.time() if now is None else now) > grant.expires_at:
        raise InvalidUploadToken("Upload token has expired")
    return grant


class LocalStorage(Storage):
    """Objects as files under ``root``; the portal serves them with range support."""

    name = "local"

    def __init__(self, root: str | Path, *, secret_key: str | None = None, upload_url: str = "/media/upload") -> None:
        self.root = Path(root).resolve()
        self.secret_key = secret_key
        self.upload_url = upload_url
        self._meta_root = self.root / ".meta"
        self._tmp = self.root / ".tmp"

    def __repr__(self) -> str:
        return f"LocalStorage({str(self.root)!r})"

    def _path(self, key: str) -> Path:
        return self.root / validate_key(key)

    def _meta_path(self, key: str) -> Path:
        return self._meta_root / f"{validate_key(key)}.json"

    def put_file(
        self, key: str, fileobj: ByteSource, content_type: str, *, max_bytes: int | None = None
    ) -> StoredObject:
        path = self._path(key)
        try:
            with atomic_write(path, self._tmp) as target:
                size, checksum = copy_hashing(fileobj, target, max_bytes)
            meta = {"content_type": content_type, "size": size, "sha256": checksum}
            with atomic_write(self._meta_path(key), self._tmp) as target:
                target.write(json.dumps(meta).encode())
        except (ConnectionError, TimeoutError):
            raise  # the source failed (client went away), not the disk
        except (IsADirectoryError, NotADirectoryError, FileExistsError) as exc:
            raise StorageError(f"Key {key!r} collides with another key's folder") from exc
        except OSError as exc:
            raise StorageError(f"Could not write {key!r}: {exc}") from exc
        return StoredObject(key, size, checksum, content_type)

    def open_read(self, key: str) -> BinaryIO:
        try:
            return open(self._path(key), "rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
            raise ObjectNotFound(key) from exc
        except OSError as exc:
            raise StorageError(f"Could not read {key!r}: {exc}") from exc

    def stat(self, key: str) -> StoredObject:
        path = self._path(key)
        try:
            size = path.stat().st_size
        except (FileNotFoundError, NotADirectoryError) as exc:
            raise ObjectNotFound(key) from exc
        if not path.is_file():
            raise ObjectNotFound(key)
        meta = self._read_meta(key)
        # A size mismatch means the metadata belongs to another version.
        checksum = meta.get("sha256") if meta.get("size") == size else None
        return StoredObject(key, size, checksum, meta.get("content_type", "application/octet-stream"))

    def _read_meta(self, key: str) -> dict[str, object]:
        try:
            return json.loads(self._meta_path(key).read_bytes())
        except (OSError, ValueError):
            return {}

    def delete(self, key: str) -> None:
        for path, top in ((self._path(key), self.root), (self._meta_path(key), self._meta_root)):
            try:
                path.unlink(missing_ok=True)
            except (IsADirectoryError, NotADirectoryError):
                continue  # a folder of other keys, not an object
            except OSError as exc:
                raise StorageError(f"Could not delete {key!r}: {exc}") from exc
            _prune_empty_parents(path, top)

    def delete_prefix(self, prefix: str) -> int:
        keys = self.list_keys(self._require_prefix(prefix))
        for key in keys:
            self.delete(key)
        return len(keys)

    def list_keys(self, prefix: str = "") -> list[str]:
        validate_prefix(prefix)
        # Walk only the deepest folder the prefix pins down.
        start = self.root / prefix.rpartition("/")[0] if "/" in prefix else self.root
        keys: list[str] = []
        for folder, subfolders, files in os.walk(start):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            relative = Path(folder).relative_to(self.root)
            for name in files:
                if name.startswith("."):
                    continue
                key = (relative / name).as_posix()
                if key.startswith(prefix):
                    keys.append(key)
        return sorted(keys)

    def playback_url(self, key: str, expires_in: int = 300) -> str | None:
        return None

    def create_upload(self, key: str, content_type: str, max_bytes: int, expires_in: int = 900) -> UploadTicket:
        if not self.secret_key:
            raise StorageError("LocalStorage needs a secret_key to sign upload tokens")
        grant = UploadGrant(validate_key(key), content_type, max_bytes, int(time.time()) + expires_in)
        token = sign_upload_token(self.secret_key, grant)
        return UploadTicket(
            method="PUT",
            url=self.upload_url,
            key=key,
            content_type=content_type,
            max_bytes=max_bytes,
            expires_at=grant.expires_at,
            headers={"Content-Type": content_type, UPLOAD_TOKEN_HEADER: token},
        )

    def ping(self) -> None:
        try:
            self._tmp.mkdir(parents=True, exist_ok=True)
            probe = self._tmp / f".ping-{os.getpid()}"
            probe.write_bytes(b"ok")
            probe.unlink()
        except OSError as exc:
            raise StorageError(f"Local storage at {self.root} is not writable: {exc}") from exc


def _prune_empty_parents(path: Path, top: Path) -> None:
    """Remove folders left empty by a delete, up to (not including) ``top``."""
    for folder in path.parents:
        if folder == top or top not in folder.parents:
            return
        try:
            folder.rmdir()
        except OSError:
            return  # not empty (or already gone): stop here
