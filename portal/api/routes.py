"""The /api/v1 blueprint with all its resources, the OpenAPI document and its documentation page."""
from __future__ import annotations

import functools
from typing import Any

from flask import render_template, request

from portal.api import activities, candidates, placements  # noqa: F401  (register their operations)
from portal.api.problems import ApiProblem, from_problem
from portal.api.spec import build_spec
from portal.api.v1 import bp, json_response, operation
from portal.core.access import PUBLIC, access

for _module in ("portal.api.trajects", "portal.api.monitoring"):
    try:  # resources whose areas land separately
        __import__(_module)
    except ModuleNotFoundError as exc:
        if exc.name not in (_module, "portal.trajects", "portal.results"):
            raise


@bp.errorhandler(ApiProblem)
def _problem(exc: ApiProblem):
    return from_problem(exc)


@functools.lru_cache(maxsize=4)
def _spec(server_url: str) -> dict[str, Any]:
    return build_spec(server_url)


def spec_document() -> dict[str, Any]:
    return _spec(request.host_url.rstrip("/") + bp.url_prefix)


@operation("/openapi.json", tag="meta", summary="Dit OpenAPI-document", public=True)
def openapi_document():
    return json_response(spec_document())


@bp.route("/docs")
@access(PUBLIC)
def docs():
    """Browsable documentation, rendered by the portal from the same document (no CDN, no script)."""
    return render_template("api/docs.html", spec=spec_document())


@bp.route("/docs/swagger")
@access(PUBLIC)
def swagger_docs():
    """The same document in Swagger UI (npm package swagger-ui-dist, served from static/vendor/)."""
    return render_template("api/swagger.html")



def _exempt_from_csrf() -> None:
    """API calls carry a key, not a browser session: no CSRF token (and no cookie is ever trusted)."""
    from portal import csrf

    csrf.exempt(bp)


_exempt_from_csrf()
