"""Demo data: one published meet-and-greet and one company visit (idempotent)."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select

from portal.accounts.models import Organisation, User
from portal.core import db
from portal.demo import demo_extension
from portal.events.models import Event, EventStatus, VisitSlot, VisitStatus

DEMO_EVENT_TITLE = "Meet & greet Zaanstad: werkervaringsplekken"
DEMO_VISIT_TITLE = "Kijkje in de bakkerij"


def _local(days: int, hour: int, minute: int = 0) -> dt.datetime:
    """A working day about `days` from now (moved forward past a weekend), at local time."""
    zone = ZoneInfo("Europe/Amsterdam")
    day = dt.datetime.now(zone).date() + dt.timedelta(days=days)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone).astimezone(dt.timezone.utc)


@demo_extension
def load_events() -> None:
    wsp = db.session.scalar(select(User).where(User.email == "wsp@demo.test"))
    if db.session.scalar(select(Event.id).where(Event.title == DEMO_EVENT_TITLE)) is None:
        db.session.add(Event(
            title=DEMO_EVENT_TITLE, description="Speeddates van 10 minuten tussen werkgevers en kandidaten.",
            starts_at=_local(21, 13), ends_at=_local(21, 16), venue_name="Stadhuis Zaanstad",
            venue_address="Stadhuisplein 100, 1506 MZ Zaandam",
            accessibility_notes="Rolstoeltoegankelijk, lift aanwezig, stiltekamer op de eerste verdieping.",
            transport_directions="Vanaf station Zaandam 3 minuten lopen.", table_capacity=12, candidate_capacity=36,
            round_minutes=10, break_minutes=5, rounds_before_break=3, interpreter_languages=["ar", "ti"],
            status=EventStatus.PUBLISHED, created_by_id=wsp.id if wsp else None,
        ))
    bakery = db.session.scalar(select(Organisation).where(Organisation.kvk_number == "12345678"))
    employer = db.session.scalar(select(User).where(User.email == "employer@demo.test"))
    if bakery is not None and db.session.scalar(select(VisitSlot.id).where(VisitSlot.title == DEMO_VISIT_TITLE)) is None:
        db.session.add(VisitSlot(
            organisation_id=bakery.id, created_by_id=employer.id if employer else None, title=DEMO_VISIT_TITLE,
            description="Rondleiding door de bakkerij en meehelpen met het vormen van broden.",
            starts_at=_local(14, 9), ends_at=_local(14, 11), max_group_size=6, meeting_point="Winkelingang, Westzijde 12",
            what_to_bring="Dichte schoenen; haarnetjes en schorten zijn er.", language_support=["ar"],
            language_support_note="Een collega spreekt Arabisch.", cancel_cutoff_hours=24, status=VisitStatus.OPEN,
        ))
    db.session.flush()
