"""The stage rules: every allowed move is made by `move_stage`, every other move is refused."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.core import db
from portal.core.audit import AuditEntry
from portal.core.errors import DomainError
from portal.trajects.models import ALLOWED, StopReason, Traject, TrajectSource, TrajectStage, TrajectStageChange
from portal.trajects.operations import TransitionRefused, advance, move_stage, open_traject

PAIRS = [(a, b) for a in TrajectStage for b in TrajectStage if a != b]


def _start_stub(traject):
    """A started traject needs its placement record; tests of the table give it one directly."""
    import datetime as dt

    from portal.trajects.models import PlacementStart

    traject.start = PlacementStart(start_date=dt.date.today(), hours_per_week=16, days=["mon"],
                                   placement_type=traject.placement.type)
    db.session.flush()


@pytest.mark.parametrize("from_stage,to_stage", PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_every_pair_is_allowed_or_refused_by_the_table(app, base, trajects, from_stage, to_stage):
    made = trajects.traject(base.candidate, base.placement, stage=from_stage.value)
    with app.test_request_context():
        traject = db.session.get(Traject, made.id)
        if to_stage == TrajectStage.STARTED and traject.start is None:
            _start_stub(traject)
        reason = StopReason.NO_MATCH if to_stage == TrajectStage.STOPPED else None
        if to_stage in ALLOWED[from_stage]:
            change = move_stage(traject, to_stage, by=base.manager, reason=reason)
            assert traject.stage == to_stage and change.from_stage == from_stage
            entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "traject.stage_changed",
                                                                AuditEntry.object_id == traject.id)
                                       .order_by(AuditEntry.id.desc())).first()
            assert entry.details["candidate_id"] == base.candidate.id
            assert entry.details["placement_id"] == base.placement.id
            assert (entry.details["from_stage"], entry.details["to_stage"]) == (from_stage.value, to_stage.value)
        else:
            with pytest.raises(TransitionRefused):
                move_stage(traject, to_stage, by=base.manager, reason=reason)
            assert traject.stage == from_stage


def test_the_journey_from_interest_to_finished(app, base, trajects):
    made = trajects.traject(base.candidate, base.placement)
    with app.test_request_context():
        traject = db.session.get(Traject, made.id)
        for stage in (TrajectStage.MEETING_PLANNED, TrajectStage.MET, TrajectStage.TRIAL):
            move_stage(traject, stage, by=base.manager)
        _start_stub(traject)
        move_stage(traject, TrajectStage.STARTED, by=base.manager)
        move_stage(traject, TrajectStage.FINISHED, by=base.manager)
        assert traject.closed_at is not None
        stages = [c.to_stage for c in db.session.scalars(select(TrajectStageChange).where(
            TrajectStageChange.traject_id == traject.id).order_by(TrajectStageChange.id))]
        assert stages == [TrajectStage.INTEREST, TrajectStage.MEETING_PLANNED, TrajectStage.MET, TrajectStage.TRIAL,
                          TrajectStage.STARTED, TrajectStage.FINISHED]


def test_started_needs_a_placement_record(app, base, trajects):
    made = trajects.traject(base.candidate, base.placement, stage="met")
    with app.test_request_context():
        traject = db.session.get(Traject, made.id)
        with pytest.raises(TransitionRefused, match="start"):
            move_stage(traject, TrajectStage.STARTED, by=base.manager)


def test_stopping_needs_a_reason_and_keeps_the_note(app, base, trajects):
    made = trajects.traject(base.candidate, base.placement, stage="met")
    with app.test_request_context():
        traject = db.session.get(Traject, made.id)
        with pytest.raises(DomainError):
            move_stage(traject, TrajectStage.STOPPED, by=base.manager)
        with pytest.raises(DomainError):
            move_stage(traject, TrajectStage.STOPPED, by=base.manager, reason="no-such-reason")
        assert traject.stage == TrajectStage.MET
        move_stage(traject, TrajectStage.STOPPED, by=base.manager, reason="schedule", note="Reistijd te lang")
        assert traject.stop_reason == StopReason.SCHEDULE and traject.stop_note == "Reistijd te lang"
        assert not traject.stopped_by_employer
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "traject.stage_changed")
                                   .order_by(AuditEntry.id.desc())).first()
        assert "Reistijd" not in str(entry.details)


def test_open_traject_is_idempotent(app, base):
    with app.test_request_context():
        from portal.candidates.models import Candidate
        from portal.placements.models import Placement

        candidate, placement = db.session.get(Candidate, base.candidate.id), db.session.get(Placement, base.placement.id)
        first = open_traject(candidate, placement, TrajectSource.EMPLOYER_INTEREST, by=base.employer)
        again = open_traject(candidate, placement, TrajectSource.MEETING, by=base.employer)
        assert first.id == again.id and again.source == TrajectSource.EMPLOYER_INTEREST
        assert first.organisation_id == base.employer.organisation_id
        count = len(list(db.session.scalars(select(Traject.id).where(Traject.candidate_id == candidate.id))))
        assert count == 1


def test_advance_only_moves_forward(app, base, trajects):
    made = trajects.traject(base.candidate, base.placement, stage="trial")
    with app.test_request_context():
        traject = db.session.get(Traject, made.id)
        assert advance(traject, TrajectStage.MET, by=base.manager) is False
        assert advance(traject, TrajectStage.MEETING_PLANNED, by=base.manager) is False
        assert traject.stage == TrajectStage.TRIAL


def test_advance_reopens_a_stopped_traject_but_not_one_stopped_by_consent(app, base, trajects):
    made = trajects.traject(base.candidate, base.placement, stage="met")
    with app.test_request_context():
        traject = db.session.get(Traject, made.id)
        move_stage(traject, TrajectStage.STOPPED, by=base.manager, reason="no_match")
        assert advance(traject, TrajectStage.MEETING_PLANNED, by=base.manager) is True
        assert traject.stage == TrajectStage.MEETING_PLANNED and traject.stop_reason is None
        move_stage(traject, TrajectStage.STOPPED, by=None, reason=StopReason.CONSENT_ENDED)
        assert advance(traject, TrajectStage.MEETING_PLANNED, by=base.manager) is False
        assert traject.no_longer_available
