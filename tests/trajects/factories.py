"""Factory helpers for the traject tests: a candidate with consent, a placement, a traject."""
from __future__ import annotations

from typing import Any

from portal.core import db
from tests.meetings.factories import MeetingFactory
from tests.placements.factories import create_placement


class TrajectFactory:
    def __init__(self, factory: Any) -> None:
        self.factory = factory
        self.app = factory.app
        self.meetings = MeetingFactory(factory)

    def candidate(self, owner: Any, **kwargs: Any) -> Any:
        return self.meetings.candidate(owner, **kwargs)

    def placement(self, organisation: Any, **fields: Any) -> Any:
        return create_placement(self.factory, organisation, **fields)

    def traject(self, candidate: Any, placement: Any, *, stage: str = "interest", source: str = "employer_interest",
                by: Any = None) -> Any:
        """A traject opened at `stage` directly (for set-ups), committed."""
        from portal.candidates.models import Candidate
        from portal.placements.models import Placement
        from portal.trajects.models import TrajectSource, TrajectStage
        from portal.trajects.operations import open_traject

        from portal.trajects.models import PlacementStart, StopReason
        from portal.trajects.operations import move_stage

        stage = TrajectStage(stage)
        with self.app.test_request_context():
            placement = db.session.get(Placement, placement.id)
            first = stage if stage.is_open else TrajectStage.STARTED
            traject = open_traject(db.session.get(Candidate, candidate.id), placement,
                                   TrajectSource(source), by=by, stage=first)
            if first == TrajectStage.STARTED:
                import datetime as dt

                traject.start = PlacementStart(start_date=dt.date.today(), hours_per_week=16, days=["mon"],
                                               placement_type=placement.type)
                db.session.flush()
            if not stage.is_open:
                move_stage(traject, stage, by=by, reason=StopReason.OTHER if stage == TrajectStage.STOPPED else None)
            db.commit()
            return traject
