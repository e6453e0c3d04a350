"""The per-start summary table follows every path that changes its sources, in the same transaction:
a start recorded, an end result recorded, a traject stopped because consent was withdrawn, erasure,
a bulk UPDATE through the session. After each, the figures move as a person would expect, and the
rows kept in step equal the rows of a full rebuild."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from portal.core import db
from portal.results import indicators as ind
from portal.results.facts import CandidateCube, CandidateFacts, StartFacts, rebuild
from portal.results.periods import Period, today
from tests.conftest import both_databases

pytestmark = both_databases

TOTAL = ind.TOTAL
YEAR = ind.Filters(Period(2024))
NOW = ind.Filters(Period(today().year))


def _rows(model):
    rows = db.session.scalars(select(model).where(model.n != 0) if model is CandidateCube else select(model))
    return sorted(tuple(getattr(f, c.name) for c in model.__table__.columns) for f in rows)


def assert_in_step(app):
    """What the transactions left equals a rebuild from the source tables (the cube: its counted
    rows; a combination that fell to 0 may stay until the next rebuild)."""
    with app.app_context():
        kept = _rows(StartFacts), _rows(CandidateFacts), _rows(CandidateCube)
        assert kept[2], "the cube counts the candidates"
        rebuild()
        assert (_rows(StartFacts), _rows(CandidateFacts), _rows(CandidateCube)) == kept
        db.session.rollback()


def _figure(app, key, column, row=TOTAL, filters=YEAR):
    with app.app_context():
        return ind.ALL[key](filters).table.values[(row, column)]


def _traject(candidate_id):
    from portal.trajects.models import Traject

    return db.session.scalars(select(Traject).where(Traject.candidate_id == candidate_id)).one()


def test_a_recorded_start_counts_at_once(app, results_world, factory):
    from portal.trajects.models import TrajectStage
    from portal.trajects.operations import move_stage, record_start

    manager = factory.user("account_manager")
    assert _figure(app, "starts", "starts") == 6
    assert _figure(app, "starts", "starts", "taalstage") == 2
    with app.test_request_context():
        traject = _traject(results_world.candidates["C8"])  # proposed at P2 (a taalstage)
        move_stage(traject, TrajectStage.MET, by=manager, reason="meeting")
        record_start(traject, by=manager, start_date=dt.date(2024, 8, 1), hours_per_week=16, days=["mon"],
                     placement_type="taalstage")
        db.commit()
    assert _figure(app, "starts", "starts") == 7
    assert _figure(app, "starts", "starts", "taalstage") == 3
    assert _figure(app, "starts", "starts", filters=ind.Filters(Period(2024), municipality="Westland")) == 1
    with app.app_context():
        row = db.session.scalars(select(StartFacts).where(StartFacts.candidate_id == results_world.candidates["C8"])).one()
        assert (row.municipality, row.cohort, row.sector, row.ended_at) == ("Westland", 20242, "horeca", None)
    assert_in_step(app)


def test_a_recorded_result_ends_the_start_with_that_result(app, results_world, factory):
    from portal.aftercare.operations import record_result

    manager = factory.user("account_manager")
    before = _figure(app, "results", "contract", filters=NOW)
    with app.test_request_context():
        start = _traject(results_world.candidates["C1"]).start  # a werkervaringsplek, still on
        record_result(start, manager, kind="contract", contract_kind="permanent", ended_on=dt.date(2024, 12, 1))
        db.commit()
    assert _figure(app, "results", "contract", filters=NOW) == before + 1
    assert _figure(app, "results", "contract", "werkervaringsplek", filters=NOW) >= 1
    with app.app_context():
        row = db.session.scalars(select(StartFacts).where(StartFacts.candidate_id == results_world.candidates["C1"])).one()
        assert row.result == "contract" and row.ended_at is not None and not row.stopped
    assert_in_step(app)


def test_a_traject_stopped_by_consent_withdrawal_counts_as_stopped_with_that_reason(app, results_world, factory):
    from portal.candidates.models import Candidate
    from portal.candidates.operations import withdraw_consent

    manager = factory.user("account_manager")
    with app.test_request_context():
        withdraw_consent(db.session.get(Candidate, results_world.candidates["C4"]), manager)  # C4's start is still on
        db.commit()
    assert _figure(app, "stop_reasons", "stopped", "consent_ended", filters=NOW) == 1
    assert _figure(app, "results", "stopped", "werkervaringsplek", filters=NOW) == 1
    with app.app_context():
        row = db.session.scalars(select(StartFacts).where(StartFacts.candidate_id == results_world.candidates["C4"])).one()
        assert row.stopped and row.stop_reason == "consent_ended" and row.result == "stopped"
    assert_in_step(app)


def test_erasure_takes_the_start_out_of_every_figure(app, results_world, factory):
    from portal.candidates.models import Candidate
    from portal.candidates.operations import erase_candidate

    manager = factory.user("account_manager")
    assert _figure(app, "results", "contract", "taalstage") == 1  # C3's contract
    with app.test_request_context():
        erase_candidate(db.session.get(Candidate, results_world.candidates["C3"]), manager)
        db.commit()
    assert _figure(app, "starts", "starts") == 5
    assert _figure(app, "results", "contract", "taalstage") == 0
    with app.app_context():
        assert db.session.scalars(select(StartFacts).where(
            StartFacts.candidate_id == results_world.candidates["C3"])).first() is None
    assert_in_step(app)


def test_a_bulk_update_through_the_session_is_seen_too(app, results_world):
    from portal.candidates.models import Candidate

    westland = ind.Filters(Period(2024), municipality="Westland")
    assert _figure(app, "starts", "starts", filters=westland) == 0
    with app.app_context():
        db.session.execute(update(Candidate).where(Candidate.id == results_world.candidates["C1"])
                           .values(municipality="Westland"))
        db.commit()
    assert _figure(app, "starts", "starts", filters=westland) == 1
    assert _figure(app, "funnel", "published", filters=westland) == 3
    assert_in_step(app)
