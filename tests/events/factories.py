"""Factory helpers for events tests: events, visit slots, candidates with or without consent.

    ef = EventFactory(factory)
    event = ef.event(candidate_capacity=2)                    # published, in a week, 13:00–16:00 local
    slot = ef.visit(employer)                                 # open visit slot of employer's organisation
    candidate = ef.candidate(owner=am, consent=True)          # via tests.candidates.factories
"""
from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from portal.core import db
from tests.candidates.factories import CandidateFactory

ZONE = ZoneInfo("Europe/Amsterdam")


def local(days: int, hour: int, minute: int = 0) -> dt.datetime:
    day = dt.datetime.now(ZONE).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZONE).astimezone(dt.timezone.utc)


class EventFactory:
    def __init__(self, factory: Any) -> None:
        self.factory = factory
        self.app = factory.app
        self.candidates = CandidateFactory(factory)

    def event(self, *, status: str = "published", days: int = 7, start_hour: int = 13, end_hour: int = 16,
              **fields: Any) -> Any:
        from portal.events.models import Event, EventStatus

        values = dict(
            title="Meet & greet Zaandam", description="", starts_at=local(days, start_hour), ends_at=local(days, end_hour),
            venue_name="Stadhuis", venue_address="Stadhuisplein 100, Zaandam", accessibility_notes="Lift aanwezig",
            transport_directions="Station Zaandam", table_capacity=10, candidate_capacity=20, round_minutes=10,
            break_minutes=5, rounds_before_break=3, interpreter_languages=[], status=EventStatus(status),
        )
        values.update(fields)
        with self.app.app_context():
            event = Event(**values)
            db.session.add(event)
            db.commit()
            return event

    def visit(self, employer: Any, *, days: int = 10, start_hour: int = 9, end_hour: int = 11, **fields: Any) -> Any:
        from portal.events.models import VisitSlot, VisitStatus

        values = dict(
            organisation_id=employer.organisation_id, created_by_id=employer.id, title="Kijkje in de bakkerij",
            description="Rondleiding", starts_at=local(days, start_hour), ends_at=local(days, end_hour), max_group_size=4,
            meeting_point="Receptie", what_to_bring="Dichte schoenen", language_support=["ar"],
            language_support_note="", cancel_cutoff_hours=24, status=VisitStatus.OPEN,
        )
        values.update(fields)
        with self.app.app_context():
            slot = VisitSlot(**values)
            db.session.add(slot)
            db.commit()
            return slot

    def candidate(self, *, owner: Any, consent: bool = True, published: bool = True, **kwargs: Any) -> Any:
        return self.candidates.candidate(owner=owner, consent=consent, published=published and consent, **kwargs)

    def get(self, model: type[Any], object_id: int) -> Any:
        with self.app.app_context():
            return db.session.get(model, object_id)

    def count(self, model: type[Any], **where: Any) -> int:
        from sqlalchemy import func, select

        with self.app.app_context():
            query = select(func.count()).select_from(model)
            for key, value in where.items():
                query = query.where(getattr(model, key) == value)
            return db.session.scalar(query)

    def update(self, obj: Any, **values: Any) -> None:
        with self.app.app_context():
            row = db.session.get(type(obj), obj.id)
            for key, value in values.items():
                setattr(row, key, value)
            db.commit()
