"""Booking mails with an iCalendar attachment (portal.core.ics).

Every booking (an employer's table, a candidate's place at an event, a company-visit booking) is
one calendar event for the person who made it: its UID is stable for the life of the booking
(``event-candidate-12@host``), and every mail that changes it (confirmed, promoted from the
waitlist, changed, cancelled) carries the next SEQUENCE, so calendar programs update the entry
they already have. Cancellations are METHOD:CANCEL with STATUS:CANCELLED; a waitlist place is a
TENTATIVE request. Mails are queued in the transaction and delivered after commit.
"""
from __future__ import annotations

from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.core import db, ics
from portal.core.mail import Attachment, queue_mail
from portal.core.urls import external_url
from portal.events.models import BookingStatus, CandidateRegistration, EmployerRegistration, Event, VisitBooking

KIND_EMPLOYER = "event-employer"
KIND_CANDIDATE = "event-candidate"
KIND_VISIT = "visit-booking"


def _hostname() -> str:
    return urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "werkportaal.local"


def booking_uid(kind: str, booking_id: int) -> str:
    return f"{kind}-{booking_id}@{_hostname()}"


def _organizer() -> ics.Person:
    name, address = parseaddr(current_app.config["MAIL_FROM"])
    return ics.Person(name or "Werkportaal", address or "no-reply@werkportaal.local")


def _recipient(booking: Any) -> Any:
    """Who gets the mails of a booking: the user who made it (or, if gone, the candidate's owner)."""
    user = getattr(booking, "registered_by", None) or getattr(booking, "booked_by", None)
    if (user is None or not user.active) and getattr(booking, "candidate", None) is not None:
        user = booking.candidate.owner
    return user


def _event_description(event: Event, extra: str = "") -> str:
    parts = [event.description, extra]
    if event.accessibility_notes:
        parts.append(_("Toegankelijkheid: %(notes)s", notes=event.accessibility_notes))
    if event.transport_directions:
        parts.append(_("Met het openbaar vervoer: %(route)s", route=event.transport_directions))
    return "\n\n".join(p for p in parts if p)


def _calendar_for_registration(registration: EmployerRegistration | CandidateRegistration, recipient: Any) -> ics.CalendarEvent:
    event = registration.event
    if isinstance(registration, CandidateRegistration):
        kind = KIND_CANDIDATE
        summary = f"{event.title} – {registration.candidate.display_name}"
        url = external_url("events.event_detail", event_id=event.id)
    else:
        kind = KIND_EMPLOYER
        summary = f"{event.title} – {registration.organisation.name}"
        url = external_url("events.event_detail", event_id=event.id)
    status = ics.EventStatus.TENTATIVE if registration.status == BookingStatus.WAITLISTED else ics.EventStatus.CONFIRMED
    return ics.CalendarEvent(
        uid=booking_uid(kind, registration.id), sequence=registration.ics_sequence,
        start=event.starts_at, end=event.ends_at, dtstamp=db.utcnow(), summary=summary,
        description=_event_description(event), location=event.location_line, organizer=_organizer(),
        attendees=(ics.Person(recipient.name, recipient.email),), status=status, url=url,
    )


def _calendar_for_visit(booking: VisitBooking, recipient: Any) -> ics.CalendarEvent:
    slot = booking.slot
    description = "\n\n".join(p for p in (
        slot.description,
        _("Verzamelen: %(point)s", point=slot.meeting_point),
        _("Meenemen / kleding: %(what)s", what=slot.what_to_bring) if slot.what_to_bring else "",
    ) if p)
    return ics.CalendarEvent(
        uid=booking_uid(KIND_VISIT, booking.id), sequence=booking.ics_sequence,
        start=slot.starts_at, end=slot.ends_at, dtstamp=db.utcnow(),
        summary=f"{_('Bedrijfsbezoek')} {slot.organisation.name}: {slot.title} – {booking.candidate.display_name}",
        description=description, location=f"{slot.meeting_point}, {slot.organisation.street_address}, {slot.organisation.city}",
        organizer=_organizer(), attendees=(ics.Person(recipient.name, recipient.email),),
        url=external_url("events.visit_detail", visit_id=slot.id),
    )


def _send(booking: Any, template: str, calendar: ics.CalendarEvent, method: str, recipient: Any, **context: Any) -> None:
    if recipient is None or not recipient.email:
        return
    data = ics.build_calendar(calendar, method)  # type: ignore[arg-type]
    queue_mail(
        recipient.email, template, locale=recipient.locale or "nl",
        attachments=(Attachment("uitnodiging.ics", ics.content_type(method), data),),  # type: ignore[arg-type]
        booking=booking, person=recipient, **context,
    )


def registration_mail(registration: EmployerRegistration | CandidateRegistration, template: str, *,
                      bump: bool = True, **context: Any) -> None:
    """Mail the person who made the registration, with its .ics (REQUEST, or CANCEL when cancelled)."""
    if bump:
        registration.ics_sequence += 1
    recipient = _recipient(registration)
    if recipient is None:
        return
    with force_locale(recipient.locale or "nl"):
        calendar = _calendar_for_registration(registration, recipient)
        method = "REQUEST"
        if registration.status == BookingStatus.CANCELLED:
            calendar, method = calendar.cancelled(db.utcnow()), "CANCEL"
            calendar = _reseq(calendar, registration.ics_sequence)
    _send(registration, template, calendar, method, recipient, event=registration.event,
          link=external_url("events.event_detail", event_id=registration.event_id), **context)


def visit_mail(booking: VisitBooking, template: str, *, bump: bool = True, recipient: Any = None, **context: Any) -> None:
    if bump:
        booking.ics_sequence += 1
    recipient = recipient or _recipient(booking)
    if recipient is None:
        return
    with force_locale(recipient.locale or "nl"):
        calendar = _calendar_for_visit(booking, recipient)
        method = "REQUEST"
        if booking.status == BookingStatus.CANCELLED or booking.slot.status.value == "cancelled":
            calendar, method = _reseq(calendar.cancelled(db.utcnow()), booking.ics_sequence), "CANCEL"
    _send(booking, template, calendar, method, recipient, slot=booking.slot,
          link=external_url("events.visit_detail", visit_id=booking.slot_id), **context)


def _reseq(calendar: ics.CalendarEvent, sequence: int) -> ics.CalendarEvent:
    """`cancelled()` adds one to the sequence; the booking already counted this mail."""
    import dataclasses

    return dataclasses.replace(calendar, sequence=sequence)


def _host(slot: Any) -> Any:
    """The employer user who offered the visit (or, if gone, an active colleague)."""
    if slot.created_by is not None and slot.created_by.active:
        return slot.created_by
    return next((member for member in slot.organisation.members if member.active), None)


def visit_host_mail(booking: VisitBooking, *, cancelled: bool) -> None:
    """Tell the employer who comes, or no longer comes, to its company visit: first name and initial
    only, never why (a withdrawn consent looks like any other cancellation)."""
    host = _host(booking.slot)
    if host is None or not host.email:
        return
    queue_mail(host.email, "visit_host_update", locale=host.locale or "nl", person=host, slot=booking.slot,
               candidate_name=booking.candidate.employer_name, cancelled=cancelled,
               link=external_url("events.visit_detail", visit_id=booking.slot_id))


def registration_calendar_download(registration: EmployerRegistration | CandidateRegistration,
                                   fallback: Any) -> tuple[str, bytes]:
    """(content type, .ics bytes) for the event page's download link: the calendar the registration's
    mails attach (same UID, current SEQUENCE; a download changes nothing), CANCEL once cancelled.
    `fallback` is the attendee when the person who registered is gone (the user downloading)."""
    recipient = _recipient(registration)
    if recipient is None or not recipient.email:
        recipient = fallback
    calendar = _calendar_for_registration(registration, recipient)
    method = "REQUEST"
    if registration.status == BookingStatus.CANCELLED:
        calendar, method = _reseq(calendar.cancelled(db.utcnow()), registration.ics_sequence), "CANCEL"
    return ics.content_type(method), ics.build_calendar(calendar, method)  # type: ignore[arg-type]
