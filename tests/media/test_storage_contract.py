"""The storage contract, run against every backend (local disk and real S3)."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from media.storage import ObjectNotFound, Storage, StorageError, StoredObject, UploadTooLarge

VIDEO = "video/mp4"


def chunks(total: int, size: int = 256 * 1024) -> Iterator[bytes]:
    """A generator source, as from a socket: no len(), no seek()."""
    sent = 0
    while sent < total:
        piece = min(size, total - sent)
        yield bytes([sent // size % 251]) * piece
        sent += piece


def test_put_then_read_back(storage: Storage, prefix: str) -> None:
    data = os.urandom(3 * 1024 * 1024 + 17)  # several chunks, odd tail
    stored = storage.put_file(f"{prefix}cand/1/video.mp4", io.BytesIO(data), VIDEO)

    expected = StoredObject(f"{prefix}cand/1/video.mp4", len(data), hashlib.sha256(data).hexdigest(), VIDEO)
    assert stored == expected
    assert storage.stat(stored.key) == expected
    assert storage.exists(stored.key)
    with storage.open_read(stored.key) as body:
        assert body.read() == data


def test_put_accepts_a_generator_and_records_checksum(storage: Storage, prefix: str) -> None:
    data = b"".join(chunks(700_000))
    stored = storage.put_file(f"{prefix}gen.bin", chunks(700_000), "application/octet-stream")
    assert (stored.size, stored.checksum_sha256) == (len(data), hashlib.sha256(data).hexdigest())
    assert storage.stat(stored.key).checksum_sha256 == stored.checksum_sha256


def test_put_replaces_existing_object(storage: Storage, prefix: str) -> None:
    key = f"{prefix}poster.jpg"
    storage.put_file(key, io.BytesIO(b"old version, longer"), "image/jpeg")
    storage.put_file(key, io.BytesIO(b"new"), "image/png")
    assert storage.stat(key).size == 3
    assert storage.stat(key).content_type == "image/png"
    with storage.open_read(key) as body:
        assert body.read() == b"new"


def test_missing_object(storage: Storage, prefix: str) -> None:
    key = f"{prefix}missing.mp4"
    assert not storage.exists(key)
    with pytest.raises(ObjectNotFound):
        storage.stat(key)
    with pytest.raises(ObjectNotFound):
        storage.open_read(key)
    with pytest.raises(ObjectNotFound):
        storage.download_to(key, Path("/nonexistent-dir/never-written"))


def test_delete_is_idempotent(storage: Storage, prefix: str) -> None:
    key = f"{prefix}cand/2/video.mp4"
    storage.put_file(key, io.BytesIO(b"x"), VIDEO)
    storage.delete(key)
    storage.delete(key)
    storage.delete(f"{prefix}never/existed.mp4")
    assert not storage.exists(key)
    assert storage.list_keys(prefix) == []


def test_list_keys_uses_plain_string_prefixes(storage: Storage, prefix: str) -> None:
    keys = [f"{prefix}cand/1/a.mp4", f"{prefix}cand/1/b.jpg", f"{prefix}cand/10/a.mp4", f"{prefix}other.txt"]
    for key in reversed(keys):
        storage.put_file(key, io.BytesIO(b"x"), "application/octet-stream")

    assert storage.list_keys(prefix) == sorted(keys)
    assert storage.list_keys(f"{prefix}cand/1/") == keys[:2]
    assert storage.list_keys(f"{prefix}cand/1") == keys[:3]
    assert storage.list_keys(f"{prefix}nothing/") == []


def test_delete_prefix_removes_only_matching_objects(storage: Storage, prefix: str) -> None:
    for key in ("cand/1/video.mp4", "cand/1/poster.jpg", "cand/12/video.mp4"):
        storage.put_file(prefix + key, io.BytesIO(b"x"), "application/octet-stream")

    assert storage.delete_prefix(f"{prefix}cand/1/") == 2
    assert storage.list_keys(prefix) == [f"{prefix}cand/12/video.mp4"]
    assert storage.delete_prefix(f"{prefix}cand/1/") == 0
    with pytest.raises(StorageError):
        storage.delete_prefix("")


@pytest.mark.parametrize("bad_key", ["", "/abs.mp4", "../up.mp4", "a/../b.mp4", "a//b.mp4", ".meta/x", "a/.tmp",
                                     "sp ace.mp4", "trailing/", "back\\slash", "x" * 600])
def test_unsafe_keys_are_refused_everywhere(storage: Storage, bad_key: str) -> None:
    with pytest.raises(StorageError):
        storage.put_file(bad_key, io.BytesIO(b"x"), VIDEO)
    with pytest.raises(StorageError):
        storage.stat(bad_key)
    with pytest.raises(StorageError):
        storage.delete(bad_key)
    with pytest.raises(StorageError):
        storage.create_upload(bad_key, VIDEO, 10)


def test_size_limit_keeps_nothing(storage: Storage, prefix: str) -> None:
    key = f"{prefix}too-big.mp4"
    with pytest.raises(UploadTooLarge):
        storage.put_file(key, chunks(2 * 1024 * 1024), VIDEO, max_bytes=1024 * 1024)
    with pytest.raises(UploadTooLarge):
        storage.receive_upload(key, io.BytesIO(b"12345"), max_bytes=4)
    assert not storage.exists(key)
    assert storage.list_keys(prefix) == []


def test_limit_is_inclusive(storage: Storage, prefix: str) -> None:
    stored = storage.receive_upload(f"{prefix}exact.mp4", io.BytesIO(b"1234"), max_bytes=4, content_type=VIDEO)
    assert (stored.size, stored.content_type) == (4, VIDEO)


def test_download_to_writes_the_whole_file(storage: Storage, prefix: str, tmp_path: Path) -> None:
    data = os.urandom(1024 * 1024 + 3)
    key = f"{prefix}orig.webm"
    storage.put_file(key, io.BytesIO(data), "video/webm")
    target = tmp_path / "work" / "upload.bin"
    target.parent.mkdir()

    downloaded = storage.download_to(key, target)

    assert target.read_bytes() == data
    assert downloaded == StoredObject(key, len(data), hashlib.sha256(data).hexdigest(), "video/webm")
    assert os.listdir(target.parent) == ["upload.bin"]  # no temporary files left


def test_confirm_upload_deletes_an_oversized_object(storage: Storage, prefix: str) -> None:
    key = f"{prefix}upload.mp4"
    storage.put_file(key, io.BytesIO(b"0123456789"), VIDEO)
    assert storage.confirm_upload(key, max_bytes=10).size == 10
    with pytest.raises(UploadTooLarge):
        storage.confirm_upload(key, max_bytes=9)
    assert not storage.exists(key)
    with pytest.raises(ObjectNotFound):
        storage.confirm_upload(key, max_bytes=9)


def test_upload_ticket_describes_a_direct_upload(storage: Storage, prefix: str) -> None:
    ticket = storage.create_upload(f"{prefix}cand/3/original", VIDEO, max_bytes=1000, expires_in=60)
    assert ticket.key == f"{prefix}cand/3/original"
    assert (ticket.content_type, ticket.max_bytes) == (VIDEO, 1000)
    assert ticket.method in {"POST", "PUT"}
    assert ticket.url
    if ticket.method == "POST":
        assert ticket.fields["Content-Type"] == VIDEO
        assert ticket.fields["key"] == ticket.key
    else:
        assert ticket.headers["Content-Type"] == VIDEO


def test_playback_url_is_made_at_read_time(storage: Storage, prefix: str) -> None:
    key = f"{prefix}video.mp4"
    storage.put_file(key, io.BytesIO(b"x"), VIDEO)
    url = storage.playback_url(key, expires_in=60)
    assert url is None if storage.name == "local" else url.startswith("http")


def test_ping(storage: Storage) -> None:
    storage.ping()
