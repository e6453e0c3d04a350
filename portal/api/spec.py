"""The OpenAPI 3 document, generated from the code (apispec + marshmallow).

Each API view is declared once with `@operation(...)`: its path, method, scope, query schema,
body schema and response schema. The same marshmallow schemas validate the request (in
portal.api.v1) and describe it in the document, so the document cannot drift from the code.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import Schema, fields

from portal.api.problems import API_VERSION, PROBLEM_JSON, PROBLEMS
from portal.core.hardening import MAX_ID  # noqa: F401  (the portal's one id bound; portal.api.v1 imports it from here)


@dataclass
class Operation:
    path: str                      # OpenAPI style: /placements/{placement_id}
    method: str
    endpoint: str
    summary: str
    tag: str
    scopes: tuple[str, ...]
    query: type[Schema] | None = None
    body: type[Schema] | None = None
    response: type[Schema] | None = None
    status: int = 200
    errors: tuple[int, ...] = ()
    description: str = ""
    public: bool = False
    extra_responses: dict[int, Any] = field(default_factory=dict)

    @property
    def path_params(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.path)


OPERATIONS: list[Operation] = []

DESCRIPTION = """\
Integratie-API van het Werkportaal, volgens de API Design Rules (ADR 2.x) van het Kennisplatform API's.

* **Authenticatie**: `Authorization: Bearer <sleutel>`. Een beheerder maakt een client aan (beheerpagina
  of `flask api create-client`); de sleutel wordt één keer getoond. Een client handelt als één rol:
  werkgever van één organisatie, of (zonder organisatie) medewerker van het Werkgeversservicepunt.
  Een sleutel geeft nooit meer dan die rol in de browser mag; de rechten (scopes) beperken verder.
* **Versie**: de hoofdversie staat in de URL (`/api/v1`), de volledige versie in de response-header `API-Version`.
* **Fouten**: `application/problem+json` (RFC 9457) met een vaste `type`-URI per fout en
  `invalid-params` per veld.
* **Paginering**: `page` (vanaf 1) en `page_size` (1-100); het antwoord heeft `_links` (self, first,
  last, prev, next) en `total`. Gekozen boven cursors: de lijsten zijn klein, stabiel gesorteerd en
  de portal-pagina's pagineren ook per pagina.
* **Limiet**: per client een vast aantal verzoeken per minuut; daarboven 429 met `Retry-After`.
* **CORS**: geen. De API is voor server-naar-server-koppelingen; een sleutel hoort niet in een browser,
  dus er worden geen `Access-Control-Allow-*`-headers gegeven en browsers van andere origins worden geweigerd.
* **Formaat**: alleen JSON (`application/json`), UTF-8; datums en tijden in ISO 8601 (UTC).
"""


class ProblemSchema(Schema):
    type = fields.String(required=True, metadata={"format": "uri", "example": "urn:werkportaal:api:problem:not-found"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    instance = fields.String()
    invalid_params = fields.List(fields.Dict(keys=fields.String(), values=fields.String()), data_key="invalid-params")


def _problem_response(status: int) -> dict[str, Any]:
    titles = sorted({str(t) for s, t in PROBLEMS.values() if s == status})
    return {
        "description": " / ".join(titles) or "Error",
        "headers": {"API-Version": {"$ref": "#/components/headers/API-Version"}},
        "content": {PROBLEM_JSON: {"schema": "Problem"}},
    }


def build_spec(server_url: str = "/api/v1") -> dict[str, Any]:
    spec = APISpec(
        title="Werkportaal API", version=API_VERSION, openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={
            "description": DESCRIPTION,
            "contact": {"name": "Werkportaal", "url": "https://github.com/"},
            "license": {"name": "EUPL-1.2", "url": "https://eupl.eu/1.2/nl/"},
        },
        servers=[{"url": server_url}],
    )
    spec.components.schema("Problem", schema=ProblemSchema)
    spec.components.security_scheme("apiKey", {"type": "http", "scheme": "bearer", "description": "wpk_…-sleutel"})
    spec.components.header("API-Version", {"description": "De volledige versie van de API (semver).",
                                           "schema": {"type": "string", "example": API_VERSION}})
    for op in OPERATIONS:
        parameters: list[Any] = [
            {"name": name, "in": "path", "required": True,
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}
            for name in op.path_params
        ]
        if op.query is not None:
            parameters.append({"in": "query", "schema": op.query})
        responses: dict[Any, Any] = {}
        ok: dict[str, Any] = {"description": "OK", "headers": {"API-Version": {"$ref": "#/components/headers/API-Version"}}}
        if op.response is not None:
            ok["content"] = {"application/json": {"schema": op.response}}
        if op.status == 201:
            ok["description"] = "Created"
            ok["headers"]["Location"] = {"schema": {"type": "string"}, "description": "URL van de nieuwe resource"}
        responses[str(op.status)] = ok
        statuses = set(op.errors) | {400, 406}
        if not op.public:
            statuses |= {401, 403, 429}
        if op.path_params:
            statuses.add(404)
        if op.body is not None:
            statuses |= {413, 415, 422}
        for status in sorted(statuses):
            responses[str(status)] = _problem_response(status)
        operation: dict[str, Any] = {
            "operationId": op.endpoint, "summary": op.summary, "tags": [op.tag], "parameters": parameters,
            "responses": responses,
        }
        if op.description:
            operation["description"] = op.description
        if op.public:
            operation["security"] = []
        else:
            operation["security"] = [{"apiKey": []}]
            operation["description"] = (op.description + "\n\n" if op.description else "") + \
                "Rechten: " + ", ".join(f"`{s}`" for s in op.scopes)
        if op.body is not None:
            operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": op.body}}}
        spec.path(path=op.path, operations={op.method.lower(): operation})
    return spec.to_dict()
