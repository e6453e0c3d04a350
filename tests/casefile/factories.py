"""Factory helpers for the case file and aftercare tests.

    cases = CaseFactory(factory)
    candidate = cases.candidate(manager)                       # published, consent for all employers
    start = cases.started(candidate, employer, start_date=..., planned_end=...)   # traject started + check-ins
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from portal.core import db
from tests.trajects.factories import TrajectFactory


class CaseFactory:
    def __init__(self, factory: Any) -> None:
        self.factory = factory
        self.app = factory.app
        self.trajects = TrajectFactory(factory)

    def candidate(self, owner: Any, **kwargs: Any) -> Any:
        """Made through the candidates area's operations (so consent is on the timeline), published."""
        from tests.candidates.factories import CandidateFactory

        kwargs.setdefault("published", True)
        return CandidateFactory(self.factory).candidate(owner=owner, **kwargs)

    def placement(self, organisation: Any, **fields: Any) -> Any:
        return self.trajects.placement(organisation, **fields)

    def started(self, candidate: Any, employer: Any, *, start_date: dt.date | None = None,
                planned_end: dt.date | None = None, by: Any = None, placement: Any = None) -> Any:
        """A traject met -> started through the trajects area's `record_start` (so aftercare plans
        its check-ins in the same transaction). Returns the start."""
        from portal.trajects.models import PlacementStart

        from portal.accounts.models import User
        from portal.trajects.models import Traject
        from portal.trajects.operations import record_start

        placement = placement or self.placement(employer.organisation_id, places=3)
        traject = self.trajects.traject(candidate, placement, stage="met")
        with self.app.test_request_context():
            traject = db.session.get(Traject, traject.id)
            actor = db.session.get(User, getattr(by, "id", None) or candidate.owner_id)
            start = record_start(traject, by=actor, start_date=start_date or dt.date.today(),
                                 planned_end_date=planned_end, hours_per_week=16, days=["mon", "tue"],
                                 placement_type=traject.placement.type)
            db.commit()
            start_id = start.id
        with self.app.app_context():
            return db.session.get(PlacementStart, start_id)
