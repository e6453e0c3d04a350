"""Migration 0008 on SQLite and PostgreSQL: the tables exist and the database enforces the rules."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from portal.core import db
from portal.trajects.models import Traject, TrajectStage
from tests.conftest import both_databases

pytestmark = both_databases


def test_tables_and_constraints(app, base, trajects):
    with app.app_context():
        names = set(inspect(db.session.connection()).get_table_names())
        assert {"trajects", "traject_stage_changes", "proposals", "placement_starts",
                "placement_start_instruments"} <= names
        columns = {c["name"] for c in inspect(db.session.connection()).get_columns("company_visit_bookings")}
        assert {"checked_in_at", "outcome", "outcome_placement_id"} <= columns
    trajects.traject(base.candidate, base.placement)
    with app.app_context():
        now = db.utcnow()
        duplicate = Traject(candidate_id=base.candidate.id, placement_id=base.placement.id,
                            organisation_id=base.employer.organisation_id, stage=TrajectStage.MET, source="meeting",
                            opened_at=now, stage_changed_at=now)
        db.session.add(duplicate)
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        stopped_without_reason = Traject(candidate_id=base.candidate.id, placement_id=base.placement.id + 0,
                                         organisation_id=base.employer.organisation_id, stage=TrajectStage.STOPPED,
                                         source="meeting", opened_at=now, stage_changed_at=now)
        db.session.add(stopped_without_reason)
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
