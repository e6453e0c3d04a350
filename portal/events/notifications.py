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
from collections.abc import Iterable
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


def _attachment(calendar: ics.CalendarEvent, method: str, filename: str) -> Attachment:
    data = ics.build_calendar(calendar, method)  # type: ignore[arg-type]
    return Attachment(filename, ics.content_type(method), data)  # type: ignore[arg-type]


def _filename(index: int, count: int) -> str:
    return "uitnodiging.ics" if count == 1 else f"uitnodiging-{index}.ics"


def _registration_attachment(registration: EmployerRegistration | CandidateRegistration, recipient: Any,
                             filename: str) -> Attachment:
    with force_locale(recipient.locale or "nl"):
        calendar = _calendar_for_registration(registration, recipient)
        method = "REQUEST"
        if registration.status == BookingStatus.CANCELLED:
            calendar, method = _reseq(calendar.cancelled(db.utcnow()), registration.ics_sequence), "CANCEL"
        return _attachment(calendar, method, filename)


def _visit_attachment(booking: VisitBooking, recipient: Any, filename: str) -> Attachment:
    with force_locale(recipient.locale or "nl"):
        calendar = _calendar_for_visit(booking, recipient)
        method = "REQUEST"
        if booking.status == BookingStatus.CANCELLED or booking.slot.status.value == "cancelled":
            calendar, method = _reseq(calendar.cancelled(db.utcnow()), booking.ics_sequence), "CANCEL"
        return _attachment(calendar, method, filename)


def _grouped(bookings: Iterable[Any], key: Any, bump: bool, recipient: Any = None) -> list[tuple[Any, list[Any]]]:
    """The bookings per recipient (and per event or visit): one mail each, never one per booking.

    An account manager with six candidates at one event gets one mail that names the six, with
    one calendar file per booking (each keeps its own UID and SEQUENCE)."""
    groups: dict[tuple[Any, ...], tuple[Any, list[Any]]] = {}
    for booking in bookings:
        if bump:
            booking.ics_sequence += 1
        person = recipient or _recipient(booking)
        if person is None or not person.email:
            continue
        groups.setdefault((person.id, type(booking).__name__, key(booking)), (person, []))[1].append(booking)
    return list(groups.values())


def registration_mail(registration: EmployerRegistration | CandidateRegistration, template: str, *,
                      bump: bool = True, **context: Any) -> None:
    """Mail the person who made the registration, with its .ics (REQUEST, or CANCEL when cancelled)."""
    registration_mails([registration], template, bump=bump, **context)


def registration_mails(registrations: Iterable[EmployerRegistration | CandidateRegistration], template: str, *,
                       bump: bool = True, **context: Any) -> int:
    """One mail per recipient and event for these registrations (the same change to all of them),
    listing the candidates concerned, with one .ics per registration. Returns the mails queued."""
    groups = _grouped(registrations, lambda r: r.event_id, bump)
    for recipient, items in groups:
        attachments = tuple(_registration_attachment(r, recipient, _filename(i, len(items)))
                            for i, r in enumerate(items, start=1))
        queue_mail(recipient.email, template, locale=recipient.locale or "nl", attachments=attachments,
                   booking=items[0], bookings=items, person=recipient, event=items[0].event,
                   link=external_url("events.event_detail", event_id=items[0].event_id), **context)
    return len(groups)


def visit_mail(booking: VisitBooking, template: str, *, bump: bool = True, recipient: Any = None, **context: Any) -> None:
    visit_mails([booking], template, bump=bump, recipient=recipient, **context)


def visit_mails(bookings: Iterable[VisitBooking], template: str, *, bump: bool = True, recipient: Any = None,
                **context: Any) -> int:
    """One mail per recipient and visit for these bookings, naming the candidates concerned."""
    groups = _grouped(bookings, lambda b: b.slot_id, bump, recipient)
    for person, items in groups:
        attachments = tuple(_visit_attachment(b, person, _filename(i, len(items))) for i, b in enumerate(items, start=1))
        queue_mail(person.email, template, locale=person.locale or "nl", attachments=attachments,
                   booking=items[0], bookings=items, person=person, slot=items[0].slot,
                   link=external_url("events.visit_detail", visit_id=items[0].slot_id), **context)
    return len(groups)


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
