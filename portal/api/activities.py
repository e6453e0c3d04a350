"""/api/v1/events and /api/v1/company-visits (read): the same visibility as the portal pages.

Events (meet-and-greets): employers see every event that is not a draft; WSP staff see all.
Company visits: an employer sees its own organisation's visits; staff see all. Only counts of
bookings, never who booked (names of candidates are for the browser page, within consent).
Both need `placements:read`: they are part of an employer's recruiting, like its placements.
"""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields
from sqlalchemy import select

from portal.api.models import Scope
from portal.api.placements import OrganisationRef
from portal.api.problems import ApiProblem
from portal.api.v1 import PageQuery, current_actor, operation, page_schema, paginated
from portal.core import db
from portal.core.roles import Role
from portal.events.models import Event, EventStatus, VisitSlot

TAG = "events"


class EventOut(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    venue_name = fields.String(required=True)
    venue_address = fields.String(required=True)
    accessibility_notes = fields.String(required=True)
    transport_directions = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "published | closed | cancelled (draft alleen voor WSP)"})


class VisitOut(Schema):
    id = fields.Integer(required=True)
    organisation = fields.Nested(OrganisationRef, required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    meeting_point = fields.String(required=True)
    what_to_bring = fields.String(required=True)
    max_group_size = fields.Integer(required=True)
    confirmed_bookings = fields.Integer(required=True)
    places_left = fields.Integer(required=True)
    language_support = fields.List(fields.String(), required=True)
    status = fields.String(required=True, metadata={"description": "open | cancelled"})


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def event_document(event: Event) -> dict[str, Any]:
    return {
        "id": event.id, "title": event.title, "description": event.description,
        "starts_at": _iso(event.starts_at), "ends_at": _iso(event.ends_at),
        "venue_name": event.venue_name, "venue_address": event.venue_address,
        "accessibility_notes": event.accessibility_notes, "transport_directions": event.transport_directions,
        "status": event.status.value,
    }


def visit_document(slot: VisitSlot) -> dict[str, Any]:
    return {
        "id": slot.id, "organisation": {"id": slot.organisation_id, "name": slot.organisation.name},
        "title": slot.title, "description": slot.description,
        "starts_at": _iso(slot.starts_at), "ends_at": _iso(slot.ends_at),
        "meeting_point": slot.meeting_point, "what_to_bring": slot.what_to_bring,
        "max_group_size": slot.max_group_size, "confirmed_bookings": len(slot.confirmed_bookings),
        "places_left": slot.places_left, "language_support": list(slot.language_support or []),
        "status": slot.status.value,
    }


def _events_query() -> Any:
    query = select(Event).order_by(Event.starts_at, Event.id)
    if current_actor().role == Role.EMPLOYER:
        query = query.where(Event.status != EventStatus.DRAFT)
    return query


def _visits_query() -> Any:
    query = select(VisitSlot).order_by(VisitSlot.starts_at, VisitSlot.id)
    actor = current_actor()
    if actor.role == Role.EMPLOYER:
        query = query.where(VisitSlot.organisation_id == actor.organisation_id)
    return query


EventPage = page_schema(EventOut, "EventPage")
VisitPage = page_schema(VisitOut, "VisitPage")


@operation("/events", scopes=(Scope.PLACEMENTS_READ,), tag=TAG, query=PageQuery, response=EventPage,
           summary="Meet-and-greets")
def list_events(args: dict[str, Any]):
    return paginated(_events_query(), args, event_document)


@operation("/events/{event_id}", scopes=(Scope.PLACEMENTS_READ,), tag=TAG, response=EventOut, summary="Eén meet-and-greet")
def get_event(event_id: int):
    event = db.session.get(Event, event_id)
    if event is None or not event.can_view(current_actor()):
        raise ApiProblem("not-found")
    return event_document(event)


@operation("/company-visits", scopes=(Scope.PLACEMENTS_READ,), tag=TAG, query=PageQuery, response=VisitPage,
           summary="Bedrijfsbezoeken")
def list_company_visits(args: dict[str, Any]):
    return paginated(_visits_query(), args, visit_document)


@operation("/company-visits/{visit_id}", scopes=(Scope.PLACEMENTS_READ,), tag=TAG, response=VisitOut,
           summary="Eén bedrijfsbezoek")
def get_company_visit(visit_id: int):
    slot = db.session.get(VisitSlot, visit_id)
    if slot is None or not slot.can_view(current_actor()):
        raise ApiProblem("not-found")
    return visit_document(slot)
