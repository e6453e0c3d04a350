"""Browser-style direct uploads to the real S3-compatible server with presigned POSTs.

The POST is sent with http.client exactly as a browser's FormData would send
it: every ticket field first, the file last.
"""

from __future__ import annotations

import http.client
import urllib.parse
import uuid
from collections.abc import Iterator

import pytest

from media.storage import Storage, UploadTicket

from .conftest import s3_storage_from

pytestmark = pytest.mark.s3


@pytest.fixture
def s3(s3_settings: dict[str, str]) -> Iterator[Storage]:
    storage = s3_storage_from(s3_settings)
    yield storage


@pytest.fixture
def prefix(s3: Storage) -> Iterator[str]:
    value = f"test-{uuid.uuid4().hex[:12]}/"
    yield value
    s3.delete_prefix(value)


def post_form(ticket: UploadTicket, payload: bytes, file_content_type: str | None = None) -> tuple[int, bytes]:
    """POST ``payload`` as multipart/form-data following the ticket; return (status, body)."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in ticket.fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{ticket.file_field}"; filename="clip.webm"\r\n'
        f"Content-Type: {file_content_type or ticket.content_type}\r\n\r\n".encode()
        + payload + f"\r\n--{boundary}--\r\n".encode()
    )
    body = b"".join(parts)
    url = urllib.parse.urlsplit(ticket.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        connection.request(ticket.method, url.path or "/", body=body,
                           headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_presigned_post_upload_lands_in_the_bucket(s3: Storage, prefix: str) -> None:
    ticket = s3.create_upload(f"{prefix}cand/1/original", "video/webm", max_bytes=64 * 1024, expires_in=120)
    assert ticket.method == "POST"
    payload = b"\x1a\x45\xdf\xa3" + b"v" * 50_000

    status, body = post_form(ticket, payload)

    assert status in (200, 201, 204), body
    stored = s3.confirm_upload(ticket.key, ticket.max_bytes)
    assert (stored.size, stored.content_type) == (len(payload), "video/webm")
    assert stored.checksum_sha256 is None  # the bytes never passed through the portal
    with s3.open_read(ticket.key) as uploaded:
        assert uploaded.read() == payload


def test_oversize_post_is_refused_by_content_length_range(s3: Storage, prefix: str) -> None:
    ticket = s3.create_upload(f"{prefix}cand/2/original", "video/webm", max_bytes=10_000, expires_in=120)

    status, body = post_form(ticket, b"v" * 10_001)

    assert status == 400, body
    assert b"EntityTooLarge" in body
    assert not s3.exists(ticket.key)


def test_post_with_another_content_type_is_refused(s3: Storage, prefix: str) -> None:
    ticket = s3.create_upload(f"{prefix}cand/4/original", "video/webm", max_bytes=10_000, expires_in=120)
    html = UploadTicket(**{**ticket.__dict__, "fields": {**ticket.fields, "Content-Type": "text/html"}})

    status, _ = post_form(html, b"<script>alert(1)</script>", file_content_type="text/html")

    assert status == 403
    assert not s3.exists(ticket.key)


def test_tampered_post_is_refused(s3: Storage, prefix: str) -> None:
    ticket = s3.create_upload(f"{prefix}cand/3/original", "video/webm", max_bytes=10_000, expires_in=120)
    signature_field = next(name for name in ticket.fields if name.lower() in ("x-amz-signature", "signature"))
    forged = UploadTicket(**{**ticket.__dict__, "fields": {**ticket.fields, signature_field: "0" * 64}})

    status, _ = post_form(forged, b"v" * 100)

    assert status == 403
    assert not s3.exists(ticket.key)
