"""/api/v1/monitoring/indicators: the monitoring tables, with the pages' small-cell suppression.

The figures come from portal.results.indicators (already passed through
portal.results.suppression.suppress); each cell carries `display` exactly as the page shows it
("<5", "x" for a secondarily suppressed cell, "–" not applicable) and `value` only when the page
would show the number. Region-wide clients only (WSP staff see the results pages; employers don't).
"""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from portal.api.models import Scope
from portal.api.problems import ApiProblem
from portal.api.v1 import current_actor, operation
from portal.core.roles import Role
from portal.results import indicators as ind
from portal.results.periods import Period

TAG = "monitoring"


class IndicatorQuery(Schema):
    year = fields.Integer(load_default=None, validate=validate.Range(min=2000, max=2100))
    quarter = fields.Integer(load_default=None, validate=validate.Range(min=1, max=4))
    municipality = fields.String(load_default=None, validate=validate.Length(max=100))
    breakdown = fields.String(load_default=None, validate=validate.OneOf(ind.DIMENSIONS))


class Cell(Schema):
    column = fields.String(required=True)
    label = fields.String(required=True)
    display = fields.String(required=True, metadata={"description": "zoals op de pagina: getal, <5, x of –"})
    value = fields.Float(required=True, allow_none=True, metadata={"description": "null als het getal verborgen is"})


class Row(Schema):
    row = fields.String(required=True)
    label = fields.String(required=True)
    cells = fields.List(fields.Nested(Cell), required=True)


class IndicatorOut(Schema):
    key = fields.String(required=True)
    rows = fields.List(fields.Nested(Row), required=True)
    breakdown_ignored = fields.Boolean(required=True)


class IndicatorList(Schema):
    period = fields.String(required=True)
    municipality = fields.String(required=True, allow_none=True)
    items = fields.List(fields.Nested(IndicatorOut), required=True)


def _indicator(indicator: Any) -> dict[str, Any]:
    table = indicator.table
    return {
        "key": indicator.key,
        "breakdown_ignored": bool(indicator.breakdown_ignored),
        "rows": [{
            "row": str(row), "label": str(indicator.row_label(row)),
            "cells": [{"column": str(column), "label": str(indicator.column_label(column)),
                       "display": table.display(row, column), "value": table.shown(row, column)}
                      for column in table.columns],
        } for row in table.rows],
    }


@operation("/monitoring/indicators", scopes=(Scope.MONITOR_READ,), tag=TAG, query=IndicatorQuery,
           response=IndicatorList, summary="Monitoringcijfers (alleen totalen, kleine aantallen verborgen)")
def monitoring_indicators(args: dict[str, Any]):
    if current_actor().role == Role.EMPLOYER:
        raise ApiProblem("forbidden")
    if args["quarter"] is not None and args["year"] is None:
        raise ApiProblem("invalid-params", invalid_params=[{"name": "year", "reason": "Nodig bij quarter."}])
    period = Period(args["year"], args["quarter"]) if args["year"] else Period.this_year()
    municipality = args["municipality"] or None
    computed = ind.compute(ind.Filters(period, municipality, args["breakdown"]))
    return {"period": period.slug, "municipality": municipality,
            "items": [_indicator(indicator) for indicator in computed.values()]}
