"""Mails about a one-to-one meeting, each with an iCalendar attachment, to both sides: the employer
contact (the user who booked, or the organisation's contact address) and the account manager who
published the slot.

One calendar event per booking: UID ``meeting-<booking id>@<host>`` for its whole life (also when it
moves to another slot); every mail that changes it (confirmed, changed, cancelled) carries the next
SEQUENCE. A request that is not yet confirmed is TENTATIVE; cancellations are METHOD:CANCEL. The
employer never sees more of the candidate than first name and initial; an "unavailable" cancellation
never says why.
"""
from __future__ import annotations

import dataclasses
from email.utils import parseaddr
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.core import db, ics
from portal.core.mail import Attachment, queue_mail
from portal.core.urls import external_url

KIND = "meeting"


def booking_uid(booking_id: int) -> str:
    host = urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "werkportaal.local"
    return f"{KIND}-{booking_id}@{host}"


def _organizer() -> ics.Person:
    name, address = parseaddr(current_app.config["MAIL_FROM"])
    return ics.Person(name or "Werkportaal", address or "no-reply@werkportaal.local")


def employer_contact(booking: Any) -> Any:
    user = booking.booked_by
    if user is not None and user.active and user.email:
        return user
    org = booking.organisation
    return SimpleNamespace(name=org.contact_name, email=org.contact_email, locale="nl", role="employer")


def account_manager(booking: Any) -> Any:
    user = booking.slot.owner
    if user is None or not user.active:
        user = booking.candidate.owner
    return user


def _calendar(booking: Any, for_employer: bool, employer: Any, manager: Any) -> ics.CalendarEvent:
    from portal.meetings.models import MeetingStatus

    slot = booking.slot
    candidate_name = booking.candidate.employer_name if for_employer else booking.candidate.display_name
    summary = (_("Kennismaking met %(name)s", name=candidate_name) if for_employer
               else _("Kennismaking %(name)s – %(org)s", name=candidate_name, org=booking.organisation.name))
    lines = []
    if slot.account_manager_attends:
        lines.append(_("De accountmanager (%(name)s) is erbij.", name=manager.name))
    if slot.interpreter_attends:
        lines.append(_("Er is een tolk bij."))
    if booking.placement is not None:
        lines.append(_("Over de plek: %(title)s", title=booking.placement.title))
    if booking.note:
        lines.append(_("Toelichting: %(note)s", note=booking.note))
    status = ics.EventStatus.CONFIRMED if booking.status == MeetingStatus.CONFIRMED else ics.EventStatus.TENTATIVE
    attendees = tuple(ics.Person(p.name, p.email) for p in (employer, manager) if p is not None and p.email)
    return ics.CalendarEvent(
        uid=booking_uid(booking.id), sequence=booking.ics_sequence, start=slot.starts_at, end=slot.ends_at,
        dtstamp=db.utcnow(), summary=summary, description="\n".join(lines), location=booking.location,
        organizer=_organizer(), attendees=attendees, status=status,
        url=external_url("meetings.booking_detail", meeting_booking_id=booking.id),
    )


def _method_and_calendar(booking: Any, for_employer: bool, employer: Any, manager: Any) -> tuple[str, bytes]:
    from portal.meetings.models import MeetingStatus

    calendar = _calendar(booking, for_employer, employer, manager)
    method = "REQUEST"
    if booking.status == MeetingStatus.CANCELLED:
        calendar = dataclasses.replace(calendar, status=ics.EventStatus.CANCELLED)
        method = "CANCEL"
    return method, ics.build_calendar(calendar, method)  # type: ignore[arg-type]


def calendar_download(booking: Any, for_employer: bool) -> tuple[str, bytes]:
    """(content type, .ics bytes): the calendar the last mail attached, for the booking page's download
    link. Same UID and the current SEQUENCE (a download changes nothing), in the current locale."""
    method, data = _method_and_calendar(booking, for_employer, employer_contact(booking), account_manager(booking))
    return ics.content_type(method), data  # type: ignore[arg-type]


def notify(booking: Any, template: str, *, bump: bool = True, **context: Any) -> None:
    """Queue `templates/emails/<template>.txt` to both sides with the booking's .ics (CANCEL when cancelled)."""
    if bump:
        booking.ics_sequence += 1
        db.session.flush()
    employer, manager = employer_contact(booking), account_manager(booking)
    for recipient, for_employer in ((employer, True), (manager, False)):
        if recipient is None or not recipient.email:
            continue
        with force_locale(getattr(recipient, "locale", None) or "nl"):
            method, data = _method_and_calendar(booking, for_employer, employer, manager)
        queue_mail(
            recipient.email, template, locale=getattr(recipient, "locale", None) or "nl",
            attachments=(Attachment("kennismaking.ics", ics.content_type(method), data),),  # type: ignore[arg-type]
            booking=booking, slot=booking.slot, person=recipient, for_employer=for_employer,
            candidate_name=booking.candidate.employer_name if for_employer else booking.candidate.display_name,
            location=booking.location, link=external_url("meetings.booking_detail", meeting_booking_id=booking.id),
            **context,
        )
