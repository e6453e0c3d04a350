"""Errors of /api as `application/problem+json` (RFC 9457), each with a stable `type` URI.

    raise ApiProblem("not-found", 404)                       # anywhere inside an API view
    raise ApiProblem("invalid-params", 400, invalid_params=[{"name": "title", "reason": "..."}])

`problem_for_exception(exc)` turns any HTTPException (routing 404/405, 413 from Werkzeug …) or
unexpected error under /api into problem+json; portal/__init__.py calls it from the app's error
handlers so that no /api response is ever an HTML page.
"""
from __future__ import annotations

import json
from typing import Any

from flask import Response, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

API_PREFIX = "/api/"
API_VERSION = "1.0.0"
PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "urn:werkportaal:api:problem:"

#: type slug -> (status, title). The slugs are stable: clients may branch on them.
PROBLEMS: dict[str, tuple[int, Any]] = {
    "bad-request": (400, _l("Ongeldig verzoek")),
    "invalid-json": (400, _l("De body is geen geldige JSON")),
    "invalid-params": (400, _l("Een of meer parameters zijn ongeldig")),
    "unauthorized": (401, _l("Geen geldige API-sleutel")),
    "insufficient-scope": (403, _l("Deze sleutel heeft dat recht niet")),
    "forbidden": (403, _l("Geen toegang")),
    "not-found": (404, _l("Niet gevonden")),
    "method-not-allowed": (405, _l("Methode niet toegestaan")),
    "not-acceptable": (406, _l("Alleen JSON is beschikbaar")),
    "payload-too-large": (413, _l("De body is te groot")),
    "unsupported-media-type": (415, _l("Stuur de body als application/json")),
    "validation-failed": (422, _l("De gegevens voldoen niet aan de regels")),
    "rate-limited": (429, _l("Te veel verzoeken")),
    "internal-error": (500, _l("Er ging aan onze kant iets mis")),
    "service-unavailable": (503, _l("Tijdelijk niet beschikbaar")),
}

_BY_STATUS = {400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found", 405: "method-not-allowed",
              406: "not-acceptable", 413: "payload-too-large", 415: "unsupported-media-type",
              422: "validation-failed", 429: "rate-limited", 503: "service-unavailable"}


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX) or request.path == API_PREFIX.rstrip("/")


class ApiProblem(Exception):
    def __init__(self, slug: str, status: int | None = None, detail: str | None = None, *,
                 invalid_params: list[dict[str, str]] | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(slug)
        self.slug = slug
        self.status = status or PROBLEMS[slug][0]
        self.detail = detail
        self.invalid_params = invalid_params
        self.headers = headers or {}


def problem_response(slug: str, status: int | None = None, detail: str | None = None, *,
                     invalid_params: list[dict[str, str]] | None = None,
                     headers: dict[str, str] | None = None) -> Response:
    status = status or PROBLEMS[slug][0]
    body: dict[str, Any] = {
        "type": TYPE_BASE + slug,
        "title": str(PROBLEMS[slug][1]),
        "status": status,
        "instance": request.path[:500],
    }
    if detail:
        body["detail"] = str(detail)
    if invalid_params:
        body["invalid-params"] = invalid_params
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON)
    response.headers["API-Version"] = API_VERSION
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def from_problem(exc: ApiProblem) -> Response:
    return problem_response(exc.slug, exc.status, exc.detail, invalid_params=exc.invalid_params, headers=exc.headers)


def problem_for_exception(exc: BaseException) -> Response:
    """The problem+json answer for any exception under /api (never HTML, never a stack trace)."""
    if isinstance(exc, ApiProblem):
        return from_problem(exc)
    if isinstance(exc, HTTPException) and exc.code is not None and exc.code >= 400:
        headers = {}
        if exc.code == 405:
            allow = [h for h in exc.get_headers() if h[0].lower() == "allow"]
            headers = dict(allow)
        slug = _BY_STATUS.get(exc.code, "bad-request" if exc.code < 500 else "internal-error")
        return problem_response(slug, exc.code, headers=headers)
    return problem_response("internal-error", 500)
