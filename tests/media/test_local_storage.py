"""What only the local backend has: upload tokens, bounded receiving, disk layout."""

from __future__ import annotations

import io
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from media.storage import (
    UPLOAD_TOKEN_HEADER,
    InvalidUploadToken,
    LocalStorage,
    StorageError,
    UploadTooLarge,
    create_storage,
    verify_upload_token,
)
from media.storage.local import UploadGrant, sign_upload_token

from .conftest import SECRET

MB = 1024 * 1024


@pytest.fixture
def local(tmp_path: Path) -> LocalStorage:
    return LocalStorage(tmp_path / "store", secret_key=SECRET)


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_2gb_upload_is_refused_after_the_limit_without_writing_it(local: LocalStorage) -> None:
    """A 2 GB stream stops being read just past the 5 MB limit; nothing is kept."""
    consumed = 0

    def two_gigabytes() -> Iterator[bytes]:
        nonlocal consumed
        block = b"\0" * MB
        for _ in range(2048):
            consumed += 1
            yield block

    with pytest.raises(UploadTooLarge) as raised:
        local.receive_upload("cand/1/original", two_gigabytes(), max_bytes=5 * MB, content_type="video/mp4")

    assert raised.value.max_bytes == 5 * MB
    assert consumed <= 6  # read 5 MB + the chunk that crossed the limit, not 2 GB
    assert files_under(local.root) == []
    assert not (local.root / "cand").exists()  # no empty folders either


def test_a_failing_stream_leaves_nothing_behind(local: LocalStorage) -> None:
    def broken() -> Iterator[bytes]:
        yield b"x" * MB
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        local.receive_upload("cand/1/original", broken(), max_bytes=10 * MB)
    assert files_under(local.root) == []


def test_upload_token_round_trip(local: LocalStorage) -> None:
    ticket = local.create_upload("cand/1/original", "video/webm", max_bytes=300 * MB, expires_in=900)
    assert ticket.method == "PUT"
    assert ticket.url == "/media/upload"
    grant = verify_upload_token(SECRET, ticket.headers[UPLOAD_TOKEN_HEADER])
    assert grant == UploadGrant("cand/1/original", "video/webm", 300 * MB, ticket.expires_at)
    assert abs(grant.expires_at - (time.time() + 900)) < 5


def test_upload_tokens_cannot_be_forged_tampered_or_reused_late() -> None:
    grant = UploadGrant("cand/1/original", "video/mp4", 1000, int(time.time()) + 60)
    token = sign_upload_token(SECRET, grant)
    with pytest.raises(InvalidUploadToken):
        verify_upload_token("another-secret", token)
    with pytest.raises(InvalidUploadToken):
        verify_upload_token(SECRET, token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1])
    with pytest.raises(InvalidUploadToken):
        verify_upload_token(SECRET, "garbage")
    with pytest.raises(InvalidUploadToken, match="expired"):
        verify_upload_token(SECRET, token, now=grant.expires_at + 1)
    forged_key = sign_upload_token(SECRET, UploadGrant("../etc/passwd", "video/mp4", 1, grant.expires_at))
    with pytest.raises(InvalidUploadToken):
        verify_upload_token(SECRET, forged_key)


def test_tickets_need_a_secret(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="secret"):
        LocalStorage(tmp_path).create_upload("a", "video/mp4", 10)


def test_a_key_cannot_also_be_a_folder(local: LocalStorage) -> None:
    """Known gap versus S3, reported as a StorageError rather than an OSError."""
    local.put_file("cand/1", io.BytesIO(b"x"), "text/plain")
    with pytest.raises(StorageError):
        local.put_file("cand/1/video.mp4", io.BytesIO(b"x"), "video/mp4")


def test_deleting_prunes_empty_folders(local: LocalStorage) -> None:
    local.put_file("cand/7/video.mp4", io.BytesIO(b"x"), "video/mp4")
    local.delete("cand/7/video.mp4")
    assert not (local.root / "cand").exists()
    assert not (local.root / ".meta" / "cand").exists()


def test_stat_survives_lost_metadata(local: LocalStorage) -> None:
    local.put_file("a.mp4", io.BytesIO(b"abc"), "video/mp4")
    (local.root / ".meta" / "a.mp4.json").unlink()
    info = local.stat("a.mp4")
    assert (info.size, info.checksum_sha256, info.content_type) == (3, None, "application/octet-stream")


def test_ping_fails_on_an_unwritable_root(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError):
        LocalStorage(blocker / "store").ping()


def test_factory_builds_the_configured_backend(tmp_path: Path) -> None:
    local = create_storage({"STORAGE_BACKEND": "local", "STORAGE_LOCAL_PATH": str(tmp_path), "SECRET_KEY": "s",
                            "STORAGE_LOCAL_UPLOAD_URL": "/kandidaten/upload"})
    assert isinstance(local, LocalStorage) and local.name == "local"
    assert local.create_upload("k", "video/mp4", 1).url == "/kandidaten/upload"
    s3 = create_storage({"STORAGE_BACKEND": "s3", "S3_BUCKET": "media", "S3_ENDPOINT_URL": "http://127.0.0.1:1",
                         "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b", "AWS_DEFAULT_REGION": "eu-west-1"})
    assert s3.name == "s3"
    assert s3.playback_url("k").startswith("http://127.0.0.1:1/media/k?")  # path-style addressing
    assert "X-Amz-Signature=" in s3.playback_url("k")  # SigV4
    with pytest.raises(StorageError):
        s3.ping()  # nothing listens on port 1
    for bad in ({"STORAGE_BACKEND": "ftp"}, {"STORAGE_BACKEND": "local"}, {"STORAGE_BACKEND": "s3"}):
        with pytest.raises(ValueError):
            create_storage(bad)


def test_stored_files_are_readable_only_by_their_owner(local: LocalStorage) -> None:
    """Videos of candidates are personal data; other local users get nothing."""
    stored = local.put_file("a.mp4", io.BytesIO(b"x"), "video/mp4")
    assert os.stat(local.root / stored.key).st_mode & 0o077 == 0
