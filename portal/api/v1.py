"""/api/v1: key authentication, scopes, rate limit, audit, request validation, JSON responses.

Order for every call (one request, one transaction, as everywhere in the portal):
  1. the app's access check sees `@access(API_KEY)` and leaves authentication to this module;
  2. `_authenticate` (before_request): Bearer key -> usable client (401), rate limit (429);
  3. the `@operation` wrapper: scope (403), Accept (406), Content-Type (415), size (413),
     query and body through the marshmallow schemas (400 `invalid-params`);
  4. the view loads objects with the SAME rules the browser pages use (404 when not visible to
     the client's role), calls domain operations and returns data;
  5. `_audit` (after_request): one audit entry per call, also for refused calls (their changes are
     rolled back first, the audit entry is kept).
"""
from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, g, request
from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate

from portal.api import operations as client_ops
from portal.api.models import ApiClient, Scope
from portal.api.problems import API_VERSION, ApiProblem, from_problem
from portal.api.spec import MAX_ID, OPERATIONS, Operation
from portal.core import db
from portal.core.access import API_KEY, PUBLIC, access
from portal.core.hardening import accepts_json

#: Every body here is JSON by design; `_load_body` checks the content type itself (415 problem+json).
bp = accepts_json(Blueprint("api_v1", __name__, url_prefix="/api/v1"))

MAX_BODY_BYTES = 64 * 1024
DEFAULT_RATE_LIMIT = 120  # calls per client per minute (config API_RATE_LIMIT_PER_MINUTE)


def current_client() -> ApiClient:
    return g.api_client


def current_actor() -> Any:
    """The client's service account: the user every object rule and domain operation is asked about."""
    return g.api_client.service_user


# -- authentication, rate limit, audit ----------------------------------------------------------

def _bearer_key() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def _is_public_endpoint() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return PUBLIC in getattr(view, "__portal_access__", frozenset())


@bp.before_request
def _authenticate() -> Response | None:
    if request.method == "OPTIONS" or _is_public_endpoint():
        return None
    db.writes_in_request()  # every call is audited and rate-limited (count, then insert), GETs too
    client = client_ops.authenticate(_bearer_key())
    if client is None:
        return from_problem(ApiProblem("unauthorized", headers={"WWW-Authenticate": 'Bearer realm="werkportaal"'}))
    g.api_client = client
    limit = int(current_app.config.get("API_RATE_LIMIT_PER_MINUTE", DEFAULT_RATE_LIMIT))
    wait = client_ops.seconds_until_allowed(client, limit)
    if wait:
        g.api_rate_limited = True
        return from_problem(ApiProblem("rate-limited", detail=f"{limit} per minute", headers={"Retry-After": str(wait)}))
    return None


@bp.after_request
def _audit(response: Response) -> Response:
    response.headers["API-Version"] = API_VERSION
    if request.method == "OPTIONS":  # no CORS: just the allowed methods, no body
        response.status_code = 204
        response.set_data(b"")
        response.headers.pop("Content-Type", None)
        return response
    client = g.get("api_client")
    if client is None:
        return response
    if response.status_code >= 400:
        db.rollback()  # nothing of a refused call is kept, except its audit entry
        db.keep_changes_on_error()
        client = db.session.get(ApiClient, client.id)
    client_ops.record_call(client, method=request.method, path=request.full_path.rstrip("?"),
                           status=response.status_code, rate_limited=bool(g.get("api_rate_limited")))
    return response


# -- declaring operations ---------------------------------------------------------------------

def _flask_rule(path: str) -> str:
    return "".join(f"<int:{part[1:-1]}>" if part.startswith("{") else part
                   for part in __import__("re").split(r"({\w+})", path))


def _messages(errors: Any, prefix: str = "") -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            out += _messages(value, name)
    elif isinstance(errors, list):
        if all(isinstance(e, str) for e in errors):
            out += [{"name": prefix or "body", "reason": e} for e in errors]
        else:
            for e in errors:
                out += _messages(e, prefix)
    else:
        out.append({"name": prefix or "body", "reason": str(errors)})
    return out


def _check_accept() -> None:
    if request.headers.get("Accept") and request.accept_mimetypes.best_match(
            ["application/json", "application/problem+json"]) is None:
        raise ApiProblem("not-acceptable")


def _load_body(schema: type[Schema]) -> dict[str, Any]:
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise ApiProblem("payload-too-large")
    if request.mimetype != "application/json":
        raise ApiProblem("unsupported-media-type")
    raw = request.get_data(cache=True)
    if len(raw) > MAX_BODY_BYTES:
        raise ApiProblem("payload-too-large")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ApiProblem("invalid-json") from None
    try:
        return schema(unknown=RAISE).load(data)
    except ValidationError as exc:
        raise ApiProblem("invalid-params", invalid_params=_messages(exc.messages)) from None


def _load_query(schema: type[Schema]) -> dict[str, Any]:
    try:
        return schema(unknown=EXCLUDE).load(request.args)
    except ValidationError as exc:
        raise ApiProblem("invalid-params", invalid_params=_messages(exc.messages)) from None


def operation(path: str, method: str = "GET", *, scopes: tuple[Scope, ...] = (), summary: str, tag: str,
              query: type[Schema] | None = None, body: type[Schema] | None = None,
              response: type[Schema] | None = None, status: int = 200, errors: tuple[int, ...] = (),
              description: str = "", public: bool = False) -> Callable:
    """Declare an API operation: the Flask route, its access rule, validation and its OpenAPI entry."""

    def decorate(view: Callable) -> Callable:
        endpoint = view.__name__

        @functools.wraps(view)
        def wrapper(**path_values: Any) -> Any:
            if any(value > MAX_ID for value in path_values.values()):
                raise ApiProblem("not-found")
            _check_accept()
            if not public:
                missing = [str(s) for s in scopes if s not in current_client().scope_set]
                if missing:
                    raise ApiProblem("insufficient-scope", detail="Nodig: " + ", ".join(missing))
            kwargs = dict(path_values)
            if query is not None:
                kwargs["args"] = _load_query(query)
            if body is not None:
                kwargs["data"] = _load_body(body)
            result = view(**kwargs)
            if isinstance(result, Response):
                return result
            return json_response(result, status)

        wrapper = access(PUBLIC if public else API_KEY)(wrapper)
        bp.add_url_rule(_flask_rule(path), endpoint=endpoint, view_func=wrapper, methods=[method],
                        strict_slashes=True)
        OPERATIONS.append(Operation(path=path, method=method, endpoint=endpoint, summary=summary, tag=tag,
                                    scopes=tuple(str(s) for s in scopes), query=query, body=body,
                                    response=response, status=status, errors=errors, description=description,
                                    public=public))
        return wrapper

    return decorate


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    response = Response(json.dumps(data, ensure_ascii=False, default=str), status=status, mimetype="application/json")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


# -- pagination -------------------------------------------------------------------------------

MAX_PAGE = 10_000


class PageQuery(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE),
                          metadata={"description": "Paginanummer, vanaf 1"})
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100),
                               metadata={"description": "Aantal items per pagina (1-100)"})


class LinkSchema(Schema):
    href = fields.String(required=True)


class LinksSchema(Schema):
    self_ = fields.Nested(LinkSchema, data_key="self", required=True)
    first = fields.Nested(LinkSchema, required=True)
    last = fields.Nested(LinkSchema, required=True)
    prev = fields.Nested(LinkSchema)
    next = fields.Nested(LinkSchema)


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    """The envelope of a list: items, page, page_size, total, total_pages, _links."""
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item), required=True),
        "page": fields.Integer(required=True),
        "page_size": fields.Integer(required=True),
        "total": fields.Integer(required=True),
        "total_pages": fields.Integer(required=True),
        "_links": fields.Nested(LinksSchema, required=True),
    }, name=name)


def paginated(query: Any, args: dict[str, Any], serialise: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    from sqlalchemy import func, select

    number, size = args["page"], args["page_size"]
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = db.session.scalars(query.limit(size).offset((number - 1) * size)).all() if (number - 1) * size < total else []
    return page_envelope([serialise(row) for row in rows], number, size, total)


def page_envelope(items: list[Any], number: int, size: int, total: int) -> dict[str, Any]:
    pages = max(1, math.ceil(total / size))
    other = {k: v for k, v in request.args.items(multi=True) if k not in ("page", "page_size")}

    def href(n: int) -> dict[str, str]:
        return {"href": request.base_url + "?" + urlencode([*other.items(), ("page", n), ("page_size", size)])}

    links = {"self": href(number), "first": href(1), "last": href(pages)}
    if number > 1:
        links["prev"] = href(min(number - 1, pages))
    if number < pages:
        links["next"] = href(number + 1)
    return {"items": items, "page": number, "page_size": size, "total": total, "total_pages": pages, "_links": links}
