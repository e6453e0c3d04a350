"""The storage interface shared by every backend, its value types and errors.

Backends differ only in where bytes live; everything a caller can rely on
(key rules, chunked streaming, size limits, checksums, error types) is defined
here once so that the shared contract test suite can hold every backend to it.
"""

from __future__ import annotations

import hashlib
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

from media.files import atomic_write

#: Bytes per read/write. Large enough for throughput, small enough that a
#: 300 MB video never sits in memory.
CHUNK_SIZE = 1024 * 1024

_KEY_SEGMENT = r"[A-Za-z0-9_][A-Za-z0-9._-]*"
_KEY_RE = re.compile(rf"{_KEY_SEGMENT}(/{_KEY_SEGMENT})*")
MAX_KEY_LENGTH = 512


class StorageError(Exception):
    """Any failure of a storage backend (I/O, network, permissions, bad key)."""


class ObjectNotFound(StorageError):
    """The key does not exist (or no longer exists) in the backend."""

    def __init__(self, key: str) -> None:
        super().__init__(f"No stored object with key {key!r}")
        self.key = key


class UploadTooLarge(StorageError):
    """More bytes arrived than the upload allows; nothing was kept."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"Upload exceeds the limit of {max_bytes} bytes")
        self.max_bytes = max_bytes


class InvalidUploadToken(StorageError):
    """A local upload token is forged, garbled or expired."""


@dataclass(frozen=True)
class StoredObject:
    """What the database records about an object (never a URL).

    ``checksum_sha256`` (hex) is always set by :meth:`Storage.put_file` and
    :meth:`Storage.download_to`, which hash while streaming. From
    :meth:`Storage.stat` it is ``None`` when the bytes did not pass through
    this library, e.g. a browser's direct presigned upload to S3.
    """

    key: str
    size: int
    checksum_sha256: str | None
    content_type: str


@dataclass(frozen=True)
class UploadTicket:
    """Everything a browser needs to send one file straight to storage.

    - ``method == "POST"`` (S3): send ``multipart/form-data`` to ``url`` with
      every entry of ``fields`` first and the file last, under ``file_field``.
    - ``method == "PUT"`` (local): send the raw file as the request body to
      ``url`` with ``headers`` (they carry the signed upload token).

    ``max_bytes``, ``content_type`` and ``expires_at`` (Unix time) let the page
    refuse an obviously wrong file before uploading anything.
    """

    method: str
    url: str
    key: str
    content_type: str
    max_bytes: int
    expires_at: int
    fields: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    file_field: str = "file"


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


#: What the writing methods accept: a binary file-like object, or any
#: iterable of byte chunks (e.g. a generator fed from a socket).
ByteSource = Readable | BinaryIO | Iterable[bytes]


def validate_key(key: str) -> str:
    """Return ``key`` if it is safe for every backend, else raise StorageError.

    Keys are ``/``-separated segments of letters, digits, ``._-``; no segment
    may start with a dot. That rules out path traversal on disk (``..``),
    hidden bookkeeping folders of the local backend, and S3 keys that need
    escaping.
    """
    if not isinstance(key, str) or len(key) > MAX_KEY_LENGTH or not _KEY_RE.fullmatch(key):
        raise StorageError(f"Invalid storage key {key!r}")
    return key


def validate_prefix(prefix: str) -> str:
    """Validate a key prefix for listing; ``""`` means everything.

    Prefixes are plain string prefixes (as in S3), so ``"cand/1"`` matches
    ``"cand/1/a"`` and ``"cand/10/a"``; end with ``/`` to mean a folder.
    """
    if prefix and not (len(prefix) <= MAX_KEY_LENGTH and _KEY_RE.fullmatch(prefix.removesuffix("/"))):
        raise StorageError(f"Invalid storage key prefix {prefix!r}")
    return prefix


def iter_chunks(source: ByteSource, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """Yield non-empty chunks from a file-like object or an iterable of bytes."""
    read = getattr(source, "read", None)
    if read is not None:
        while chunk := read(chunk_size):
            yield chunk
    else:
        for chunk in source:  # type: ignore[union-attr]
            if chunk:
                yield bytes(chunk)


def copy_hashing(source: ByteSource, target: BinaryIO, max_bytes: int | None = None) -> tuple[int, str]:
    """Stream ``source`` into ``target`` in chunks; return (size, sha256 hex).

    Raises :class:`UploadTooLarge` as soon as more than ``max_bytes`` arrived,
    without reading the rest, so an oversized upload costs at most
    ``max_bytes`` + one chunk of disk. The caller discards ``target``.
    """
    digest = hashlib.sha256()
    size = 0
    for chunk in iter_chunks(source):
        size += len(chunk)
        if max_bytes is not None and size > max_bytes:
            raise UploadTooLarge(max_bytes)
        digest.update(chunk)
        target.write(chunk)
    return size, digest.hexdigest()


class Storage(ABC):
    """Objects addressed by key; one instance per configured backend.

    All methods are safe to call from several threads/processes at once;
    writes become visible atomically (a reader sees the old object, the new
    one, or none, never a partial one).
    """

    #: Stored in the database next to each key ("local" or "s3").
    name: str

    @abstractmethod
    def put_file(
        self, key: str, fileobj: ByteSource, content_type: str, *, max_bytes: int | None = None
    ) -> StoredObject:
        """Store bytes streamed from ``fileobj`` under ``key`` (replacing it).

        Reads in chunks, never the whole object at once. With ``max_bytes``,
        raises :class:`UploadTooLarge` and keeps nothing when exceeded.
        """

    def receive_upload(
        self, key: str, stream: ByteSource, max_bytes: int, content_type: str = "application/octet-stream"
    ) -> StoredObject:
        """Store a browser upload arriving through the portal (local backend).

        The same as :meth:`put_file` with a mandatory limit; named for the
        upload endpoint so a limit can never be forgotten there.
        """
        return self.put_file(key, stream, content_type, max_bytes=max_bytes)

    @abstractmethod
    def open_read(self, key: str) -> BinaryIO:
        """Open the object for streaming reads; the caller closes it.

        Local files are seekable (needed for range responses); S3 bodies are not.
        """

    def download_to(self, key: str, path: str | Path) -> StoredObject:
        """Copy the object to a local file (e.g. for ffmpeg), hashing on the way.

        The file appears atomically at ``path`` only when complete.
        """
        info = self.stat(key)
        with self.open_read(key) as source, atomic_write(Path(path)) as target:
            size, checksum = copy_hashing(source, target)
        return StoredObject(key, size, checksum, info.content_type)

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove the object; a missing key is not an error (idempotent)."""

    @abstractmethod
    def delete_prefix(self, prefix: str) -> int:
        """Remove every object whose key starts with ``prefix``; return how many.

        An empty prefix is refused, so a bug cannot empty the whole store.
        """

    def exists(self, key: str) -> bool:
        try:
            self.stat(key)
        except ObjectNotFound:
            return False
        return True

    @abstractmethod
    def stat(self, key: str) -> StoredObject:
        """Size and content type (and checksum if recorded); ObjectNotFound if absent."""

    @abstractmethod
    def list_keys(self, prefix: str = "") -> list[str]:
        """Sorted keys starting with ``prefix`` (plain string prefix, as in S3)."""

    @abstractmethod
    def playback_url(self, key: str, expires_in: int = 300) -> str | None:
        """A short-lived URL the browser can GET directly, or None.

        None means the portal serves the bytes itself (see media.serving).
        The URL is made at read time and never stored.
        """

    @abstractmethod
    def create_upload(
        self, key: str, content_type: str, max_bytes: int, expires_in: int = 900
    ) -> UploadTicket:
        """Describe how a browser uploads one file straight to ``key``."""

    def confirm_upload(self, key: str, max_bytes: int) -> StoredObject:
        """Check a finished browser upload before processing it.

        Defence in depth for direct uploads: not every S3-compatible server
        enforces the POST policy's size condition. An oversized object is
        deleted and :class:`UploadTooLarge` raised; a missing one raises
        :class:`ObjectNotFound`.
        """
        info = self.stat(key)
        if info.size > max_bytes:
            self.delete(key)
            raise UploadTooLarge(max_bytes)
        return info

    @abstractmethod
    def ping(self) -> None:
        """Raise StorageError unless the backend is reachable and usable."""

    def _require_prefix(self, prefix: str) -> str:
        validate_prefix(prefix)
        if not prefix:
            raise StorageError("delete_prefix needs a non-empty prefix")
        return prefix
