from __future__ import annotations

from typing import Any

import icalendar
from sqlalchemy import func, select

from portal.core import db


def count(app: Any, model: Any, *where: Any) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def mails(app: Any, template: str | None = None) -> list[Any]:
    from portal.core.mail import MailMessage

    with app.app_context():
        query = select(MailMessage).order_by(MailMessage.id)
        if template:
            query = query.where(MailMessage.template == template)
        rows = db.session.scalars(query).all()
        db.session.expunge_all()
        return rows


def calendar_of(message: Any) -> tuple[Any, Any]:
    """(VCALENDAR, VEVENT) of a mail-log message's .ics attachment, parsed with the icalendar package."""
    [item] = [a for a in message.attachments if a["content_type"].startswith("text/calendar")]
    import base64

    cal = icalendar.Calendar.from_ical(base64.b64decode(item["data"]))
    [event] = [c for c in cal.walk("VEVENT")]
    return cal, event


def booking_of(app: Any, booking_id: int) -> Any:
    from portal.meetings.models import MeetingBooking

    with app.app_context():
        booking = db.session.get(MeetingBooking, booking_id)
        _ = booking.slot, booking.candidate
        db.session.expunge_all()
        return booking
