"""HTTP responses that play stored media in a ``<video>`` element.

A browser seeks in a video by asking for byte ranges; without ``206 Partial
Content`` answers the seek bar does not work. In S3 mode the browser gets a
short-lived presigned URL and S3 answers the ranges; in local mode the portal
answers them itself, streaming from disk in chunks.

Access control stays in the portal view: call these only after checking that
the user may see the object (consent, scope), so a stale link gives 404.
"""

from __future__ import annotations

from collections.abc import Mapping

from werkzeug.exceptions import NotFound, RequestedRangeNotSatisfiable
from werkzeug.utils import redirect, send_file
from werkzeug.wrappers import Request, Response

from media.storage import ObjectNotFound, Storage

PLAYBACK_URL_SECONDS = 300


def playback_response(
    storage: Storage,
    key: str,
    request: Request | Mapping[str, str],
    content_type: str,
    download_name: str | None = None,
    expires_in: int = PLAYBACK_URL_SECONDS,
) -> Response:
    """What a portal media view returns for any backend.

    Redirects to a fresh presigned URL where the backend has one (S3), else
    streams with range support (local). The redirect is never cached: the URL
    it points to expires.
    """
    url = storage.playback_url(key, expires_in=expires_in)
    if url is None:
        return range_response(storage, key, request, content_type, download_name)
    response = redirect(url, code=302)
    response.cache_control.no_store = True
    return response


def range_response(
    storage: Storage,
    key: str,
    request: Request | Mapping[str, str],
    content_type: str,
    download_name: str | None = None,
) -> Response:
    """Serve ``key`` with HTTP range support: 200, 206, 304 or 416.

    ``request`` is the current Werkzeug/Flask request, or just its headers.
    The backend must open objects as seekable files (local); the body is
    streamed in chunks, never read whole. Raises NotFound for a missing key.
    Range parsing and conditional requests are Werkzeug's (RFC 9110).
    """
    environ = _environ(request)
    try:
        info = storage.stat(key)
        body = storage.open_read(key)
    except ObjectNotFound as exc:
        raise NotFound() from exc
    if not body.seekable():
        body.close()
        raise TypeError(f"{storage!r} streams are not seekable; use playback_response for this backend")
    # send_file handles Content-Disposition (incl. non-ASCII names); ranges
    # are applied below because it cannot know the length of a file object.
    response = send_file(body, environ, mimetype=content_type, download_name=download_name, conditional=False,
                         etag=info.checksum_sha256 or False)
    response.content_length = info.size
    response.cache_control.private = True  # personal data: never in shared caches
    response.headers["X-Content-Type-Options"] = "nosniff"
    try:
        return response.make_conditional(environ, accept_ranges=True, complete_length=info.size)
    except RequestedRangeNotSatisfiable as exc:
        response.close()
        return exc.get_response(environ)


def _environ(request: Request | Mapping[str, str]) -> dict[str, object]:
    if isinstance(request, Request):
        return request.environ
    environ: dict[str, object] = {"REQUEST_METHOD": "GET"}
    for name, value in request.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ
