"""/api/v1/trajects (read): the trajects of the organisation's placements, as an employer sees them.

- An employer's client: only trajects of its own organisation's placements (`Traject.can_view`).
  Never the staff's stop note; a stop reason only when the employer gave it (otherwise "stopped",
  or "no longer available" when consent ended: `employer_stop_label`). The candidate appears as
  the employer profile's name (first name + initial) only while the candidate is inside the
  organisation's consent scope; otherwise `candidate` is null.
- A region-wide client (as WSP staff): every traject, with stage, source and dates but without
  any candidate (it has no consent scope; the figures are what it needs).
"""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate
from sqlalchemy import select

from portal.api.models import Scope
from portal.api.problems import ApiProblem
from portal.api.v1 import PageQuery, current_actor, operation, page_schema, paginated
from portal.candidates.visibility import can_employer_view
from portal.core import db
from portal.core.hardening import MAX_ID
from portal.core.roles import Role
from portal.trajects.models import Traject, TrajectStage

TAG = "trajects"


class TrajectCandidate(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class TrajectStart(Schema):
    start_date = fields.Date(required=True)
    planned_end_date = fields.Date(required=True, allow_none=True)
    hours_per_week = fields.Integer(required=True)
    days = fields.List(fields.String(), required=True)


class TrajectOut(Schema):
    id = fields.Integer(required=True)
    placement_id = fields.Integer(required=True)
    organisation_id = fields.Integer(required=True)
    stage = fields.String(required=True, validate=validate.OneOf([s.value for s in TrajectStage]))
    stage_label = fields.String(required=True)
    stop = fields.String(required=True, allow_none=True, metadata={"description": "wat de werkgever over een stop mag lezen"})
    source = fields.String(required=True)
    opened_at = fields.DateTime(required=True)
    stage_changed_at = fields.DateTime(required=True)
    closed_at = fields.DateTime(required=True, allow_none=True)
    candidate = fields.Nested(TrajectCandidate, required=True, allow_none=True)
    start = fields.Nested(TrajectStart, required=True, allow_none=True)


class TrajectQuery(PageQuery):
    placement_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))
    stage = fields.String(validate=validate.OneOf([s.value for s in TrajectStage]))


TrajectPage = page_schema(TrajectOut, "TrajectPage")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def traject_document(traject: Traject) -> dict[str, Any]:
    actor = current_actor()
    employer = actor.role == Role.EMPLOYER
    candidate = None
    if employer and can_employer_view(traject.candidate, actor):
        candidate = {"id": traject.candidate_id, "name": traject.candidate.employer_name}
    if traject.stage == TrajectStage.STOPPED:
        stop = traject.employer_stop_label() if employer else (traject.stop_reason.value if traject.stop_reason else None)
    else:
        stop = None
    start = traject.start
    return {
        "id": traject.id, "placement_id": traject.placement_id, "organisation_id": traject.organisation_id,
        "stage": traject.stage.value, "stage_label": str(traject.stage.label), "stop": stop,
        "source": traject.source.value, "opened_at": _iso(traject.opened_at),
        "stage_changed_at": _iso(traject.stage_changed_at), "closed_at": _iso(traject.closed_at),
        "candidate": candidate,
        "start": None if start is None else {
            "start_date": _iso(start.start_date), "planned_end_date": _iso(start.planned_end_date),
            "hours_per_week": start.hours_per_week, "days": list(start.days or []),
        },
    }


@operation("/trajects", scopes=(Scope.TRAJECTS_READ,), tag=TAG, query=TrajectQuery, response=TrajectPage,
           summary="Trajecten van de plekken van de organisatie")
def list_trajects(args: dict[str, Any]):
    actor = current_actor()
    query = select(Traject).order_by(Traject.id)
    if actor.role == Role.EMPLOYER:
        query = query.where(Traject.organisation_id == actor.organisation_id)
    if args.get("placement_id"):
        query = query.where(Traject.placement_id == args["placement_id"])
    if args.get("stage"):
        query = query.where(Traject.stage == args["stage"])
    return paginated(query, args, traject_document)


@operation("/trajects/{traject_id}", scopes=(Scope.TRAJECTS_READ,), tag=TAG, response=TrajectOut, summary="Eén traject")
def get_traject(traject_id: int):
    traject = db.session.get(Traject, traject_id)
    if traject is None or not traject.can_view(current_actor()):
        raise ApiProblem("not-found")
    return traject_document(traject)
