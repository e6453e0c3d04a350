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
        return self.trajects.candidate(owner, **kwargs)

    def placement(self, organisation: Any, **fields: Any) -> Any:
        return self.trajects.placement(organisation, **fields)

    def started(self, candidate: Any, employer: Any, *, start_date: dt.date | None = None,
                planned_end: dt.date | None = None, by: Any = None, placement: Any = None) -> Any:
        """A traject met -> started with a placement record, recorded as the trajects area does
        (audit "placement_start.recorded"), so aftercare plans its check-ins. Returns the start."""
        from portal.accounts.models import User
        from portal.core import audit
        from portal.trajects.models import PlacementStart, Traject, TrajectStage
        from portal.trajects.operations import move_stage

        placement = placement or self.placement(employer.organisation_id, places=3)
        traject = self.trajects.traject(candidate, placement, stage="met")
        with self.app.test_request_context():
            traject = db.session.get(Traject, traject.id)
            actor = db.session.get(User, getattr(by, "id", None) or candidate.owner_id)
            start = PlacementStart(traject=traject, start_date=start_date or dt.date.today(),
                                   planned_end_date=planned_end, hours_per_week=16, days=["mon", "tue"],
                                   placement_type=traject.placement.type)
            db.session.add(start)
            db.session.flush()
            move_stage(traject, TrajectStage.STARTED, by=actor)
            audit.record("placement_start.recorded", start, actor=actor, candidate_id=traject.candidate_id,
                         placement_id=traject.placement_id)
            db.commit()
            start_id = start.id
        with self.app.app_context():
            return db.session.get(PlacementStart, start_id)
