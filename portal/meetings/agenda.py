"""The employer's agenda: upcoming one-to-one meetings, meet-and-greets and company visits in ONE list.

    agenda_items(user) -> list[AgendaItem]      # this area's part (meetings)
    combined_agenda(user) -> list[AgendaItem]   # meetings + events + visits, sorted by start

Events' part comes from `portal.events.agenda.agenda_items(user)` when that module exists (the
events area owns its rules); until then it is read from the events models here (registrations of
the user's organisation that are not cancelled, and the company visits it offers).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.core import db
from portal.meetings.models import ACTIVE_STATUSES, MeetingBooking, MeetingSlot


@dataclass(frozen=True)
class AgendaItem:
    kind: str  # "meeting", "event", "visit"
    kind_label: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    where: str = ""
    status_label: str = ""
    url: str | None = None


def _url(endpoint: str, **values: Any) -> str | None:
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **values)


def agenda_items(user: Any, now: dt.datetime | None = None) -> list[AgendaItem]:
    now = now or db.utcnow()
    if user.organisation_id is None:
        return []
    bookings = db.session.scalars(
        select(MeetingBooking).join(MeetingSlot).where(
            MeetingBooking.organisation_id == user.organisation_id, MeetingBooking.status.in_(ACTIVE_STATUSES),
            MeetingSlot.ends_at > now).order_by(MeetingSlot.starts_at)
    ).all()
    return [AgendaItem(
        kind="meeting", kind_label=str(_l("Kennismakingsgesprek")),
        title=str(_l("Kennismaking met %(name)s", name=b.candidate.employer_name)),
        starts_at=b.slot.starts_at, ends_at=b.slot.ends_at, where=f"{b.slot.location_kind.label}",
        status_label=b.status.label, url=_url("meetings.booking_detail", meeting_booking_id=b.id),
    ) for b in bookings]


def _events_items(user: Any, now: dt.datetime) -> list[Any]:
    try:
        from portal.events import agenda as events_agenda  # type: ignore[attr-defined]
    except ImportError:
        events_agenda = None
    if events_agenda is not None and hasattr(events_agenda, "agenda_items"):
        return list(events_agenda.agenda_items(user))
    from portal.events.models import BookingStatus, EmployerRegistration, Event, EventStatus, VisitSlot, VisitStatus

    items: list[Any] = []
    registrations = db.session.scalars(
        select(EmployerRegistration).join(Event).where(
            EmployerRegistration.organisation_id == user.organisation_id,
            EmployerRegistration.status != BookingStatus.CANCELLED,
            Event.status.in_((EventStatus.PUBLISHED, EventStatus.CLOSED)), Event.ends_at > now)
    ).all()
    for reg in registrations:
        items.append(AgendaItem(
            kind="event", kind_label=str(_l("Meet-and-greet")), title=reg.event.title,
            starts_at=reg.event.starts_at, ends_at=reg.event.ends_at, where=reg.event.location_line,
            status_label=reg.status.label, url=_url("events.event_detail", event_id=reg.event_id)))
    visits = db.session.scalars(
        select(VisitSlot).where(VisitSlot.organisation_id == user.organisation_id, VisitSlot.status == VisitStatus.OPEN,
                                VisitSlot.ends_at > now)
    ).all()
    for visit in visits:
        items.append(AgendaItem(
            kind="visit", kind_label=str(_l("Bedrijfsbezoek")), title=visit.title,
            starts_at=visit.starts_at, ends_at=visit.ends_at, where=visit.meeting_point,
            status_label=str(_l("%(n)d aangemeld", n=len(visit.confirmed_bookings))),
            url=_url("events.visit_detail", visit_id=visit.id)))
    return items


def combined_agenda(user: Any, now: dt.datetime | None = None) -> list[Any]:
    now = now or db.utcnow()
    items = agenda_items(user, now) + _events_items(user, now)
    return sorted(items, key=lambda item: (item.starts_at, item.kind, item.title))
