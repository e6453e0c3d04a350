"""The summary table follows every change in the same transaction; a rebuild gives the same rows."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select

from portal.core import db
from portal.results import indicators as ind
from portal.results.facts import CandidateCube, CandidateFacts, rebuild
from portal.results.periods import Period
from tests.conftest import both_databases

pytestmark = both_databases

YEAR = ind.Filters(Period(2024))


def _interest(app):
    with app.app_context():
        return ind.funnel(YEAR).table.values[(ind.TOTAL, "interest")]


def _rows(app):
    """The facts and the cube's counted combinations (one that fell to 0 may stay until a rebuild)."""
    with app.app_context():
        facts = sorted(tuple(getattr(f, c.name) for c in CandidateFacts.__table__.columns)
                       for f in db.session.scalars(select(CandidateFacts)))
        cube = sorted(tuple(getattr(r, c.name) for c in CandidateCube.__table__.columns)
                      for r in db.session.scalars(select(CandidateCube).where(CandidateCube.n != 0)))
        return facts, cube


def _assert_rebuild_keeps(app):
    """What the transactions left equals a rebuild from scratch."""
    before = _rows(app)
    with app.app_context():
        rebuild()
        db.commit()
    assert _rows(app) == before


def _counted(app):
    with app.app_context():
        return db.session.scalar(select(func.sum(CandidateCube.n)))


def test_a_change_through_the_orm_updates_the_facts_at_commit(app, results_world):
    from portal.candidates.models import Candidate, Interest

    assert _interest(app) == 6
    with app.app_context():
        db.session.add(Interest(organisation_id=results_world.org_a.id, candidate_id=results_world.candidates["C6"],
                                created_at=dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)))
        db.commit()
    assert _interest(app) == 7
    _assert_rebuild_keeps(app)
    counted = _counted(app)
    with app.app_context():
        db.session.delete(db.session.get(Candidate, results_world.candidates["C6"]))
        db.commit()
        assert db.session.get(CandidateFacts, results_world.candidates["C6"]) is None
    assert _interest(app) == 6
    assert _counted(app) == counted - 1  # the deleted candidate left the cube too
    _assert_rebuild_keeps(app)


def test_a_bulk_delete_through_the_session_leaves_the_cube_in_step(app, results_world):
    from portal.candidates.models import Candidate

    counted = _counted(app)
    gone = [results_world.candidates["C6"], results_world.candidates["C7"]]
    with app.app_context():
        db.session.execute(delete(Candidate).where(Candidate.id.in_(gone)))
        db.commit()
    assert _counted(app) == counted - 2
    _assert_rebuild_keeps(app)


def test_the_refresh_command(app, results_world):
    result = app.test_cli_runner().invoke(args=["results", "refresh"])
    assert result.exit_code == 0 and "10 candidate(s)" in result.output
