"""Playback with range requests and the local upload endpoint, through a tiny Flask app.

The app wires the library the way the portal's candidate views will.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from flask import Flask, abort, jsonify, request
from werkzeug.exceptions import NotFound
from werkzeug.test import EnvironBuilder, run_wsgi_app

from media.serving import playback_response, range_response
from media.storage import (
    UPLOAD_TOKEN_HEADER,
    InvalidUploadToken,
    LocalStorage,
    Storage,
    UploadTooLarge,
    verify_upload_token,
)

from .conftest import SECRET

SIZE = 200_000
DATA = os.urandom(SIZE)


def make_app(storage: Storage) -> Flask:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET

    @app.get("/media/<path:key>")
    def play(key: str):  # the portal checks consent and scope before this line
        return playback_response(storage, key, request, "video/mp4")

    @app.put("/media/upload")
    def upload():
        try:
            grant = verify_upload_token(app.config["SECRET_KEY"], request.headers.get(UPLOAD_TOKEN_HEADER, ""))
        except InvalidUploadToken:
            abort(403)
        if request.content_length is not None and request.content_length > grant.max_bytes:
            abort(413)  # refuse before reading a byte
        if request.mimetype != grant.content_type:
            abort(415)
        try:
            stored = storage.receive_upload(grant.key, request.stream, grant.max_bytes, grant.content_type)
        except UploadTooLarge:
            abort(413)  # no or lying Content-Length
        return jsonify(key=stored.key, size=stored.size, sha256=stored.checksum_sha256)

    return app


@pytest.fixture
def local(tmp_path: Path) -> LocalStorage:
    storage = LocalStorage(tmp_path / "store", secret_key=SECRET)
    storage.put_file("cand/1/video.mp4", io.BytesIO(DATA), "video/mp4")
    return storage


@pytest.fixture
def client(local: LocalStorage):
    return make_app(local).test_client()


def test_full_response_advertises_ranges(client) -> None:
    response = client.get("/media/cand/1/video.mp4")
    assert response.status_code == 200
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.headers["Content-Length"] == str(SIZE)
    assert response.headers["Content-Type"] == "video/mp4"
    assert "private" in response.headers["Cache-Control"]
    assert response.is_streamed
    assert response.data == DATA


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [("bytes=0-99", 0, 99), ("bytes=1000-", 1000, SIZE - 1), ("bytes=-500", SIZE - 500, SIZE - 1),
     (f"bytes=150000-{SIZE * 2}", 150000, SIZE - 1)],
)
def test_range_requests_get_206(client, header: str, start: int, end: int) -> None:
    response = client.get("/media/cand/1/video.mp4", headers={"Range": header})
    assert response.status_code == 206
    assert response.headers["Content-Range"] == f"bytes {start}-{end}/{SIZE}"
    assert response.headers["Content-Length"] == str(end - start + 1)
    assert response.data == DATA[start : end + 1]


@pytest.mark.parametrize("header", [f"bytes={SIZE}-", f"bytes={SIZE + 10}-{SIZE + 20}", "bytes=500-100"])
def test_unsatisfiable_ranges_get_416(client, header: str) -> None:
    response = client.get("/media/cand/1/video.mp4", headers={"Range": header})
    assert response.status_code == 416
    assert response.headers["Content-Range"] == f"bytes */{SIZE}"


def test_conditional_requests_use_the_checksum_as_etag(client, local: LocalStorage) -> None:
    etag = local.stat("cand/1/video.mp4").checksum_sha256
    assert client.get("/media/cand/1/video.mp4").headers["ETag"] == f'"{etag}"'
    assert client.get("/media/cand/1/video.mp4", headers={"If-None-Match": f'"{etag}"'}).status_code == 304
    stale = client.get("/media/cand/1/video.mp4", headers={"Range": "bytes=0-9", "If-Range": '"old"'})
    assert stale.status_code == 200  # the file changed since: send it whole


def test_head_and_missing_objects(client) -> None:
    head = client.head("/media/cand/1/video.mp4")
    assert (head.status_code, head.headers["Content-Length"], head.data) == (200, str(SIZE), b"")
    assert client.get("/media/cand/1/gone.mp4").status_code == 404


def test_range_response_takes_plain_headers_and_a_download_name(local: LocalStorage) -> None:
    response = range_response(local, "cand/1/video.mp4", {"Range": "bytes=10-19"}, "video/mp4",
                              download_name="Amal – profiel.mp4")
    assert response.status_code == 206
    assert b"".join(response.response) == DATA[10:20]
    assert "filename*=UTF-8''Amal%20%E2%80%93%20profiel.mp4" in response.headers["Content-Disposition"]
    response.close()
    with pytest.raises(NotFound):
        range_response(local, "cand/1/none.mp4", {}, "video/mp4")


def test_local_upload_endpoint_round_trip(client, local: LocalStorage) -> None:
    ticket = local.create_upload("cand/2/original", "video/webm", max_bytes=1000)
    body = b"w" * 1000
    response = client.open(ticket.url, method=ticket.method, headers=ticket.headers, data=body)
    assert response.status_code == 200, response.data
    assert response.json["size"] == 1000
    assert local.stat("cand/2/original").content_type == "video/webm"


def test_local_upload_endpoint_refusals(client, local: LocalStorage) -> None:
    ticket = local.create_upload("cand/3/original", "video/webm", max_bytes=1000)
    assert client.put(ticket.url, headers=ticket.headers, data=b"w" * 1001).status_code == 413
    wrong_type = {**ticket.headers, "Content-Type": "text/html"}
    assert client.put(ticket.url, headers=wrong_type, data=b"w").status_code == 415
    forged = {**ticket.headers, UPLOAD_TOKEN_HEADER: "forged"}
    assert client.put(ticket.url, headers=forged, data=b"w").status_code == 403

    # A chunked body (no Content-Length, as a WSGI server passes it on) is
    # cut off by receive_upload itself.
    class Endless(io.RawIOBase):
        def readinto(self, buffer) -> int:
            buffer[:] = b"w" * len(buffer)
            return len(buffer)

    environ = EnvironBuilder(ticket.url, method="PUT", headers=ticket.headers).get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ.update({"wsgi.input": Endless(), "wsgi.input_terminated": True, "HTTP_TRANSFER_ENCODING": "chunked"})
    _, status, _ = run_wsgi_app(client.application, environ, buffered=True)
    assert status.startswith("413")
    assert local.list_keys("cand/3/") == []


@pytest.mark.s3
def test_s3_playback_redirects_to_a_presigned_url_that_serves_ranges(s3_settings, tmp_path: Path) -> None:
    import urllib.request
    import uuid

    from .conftest import s3_storage_from

    s3 = s3_storage_from(s3_settings)
    key = f"test-{uuid.uuid4().hex[:12]}/video.mp4"
    s3.put_file(key, io.BytesIO(DATA), "video/mp4")
    try:
        response = make_app(s3).test_client().get(f"/media/{key}")
        assert response.status_code == 302
        assert "no-store" in response.headers["Cache-Control"]
        ranged = urllib.request.Request(response.headers["Location"], headers={"Range": "bytes=100-199"})
        with urllib.request.urlopen(ranged, timeout=10) as answer:
            assert answer.status == 206
            assert answer.read() == DATA[100:200]
    finally:
        s3.delete(key)
