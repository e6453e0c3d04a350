"""The consent figure reads disjoint spans per candidate, kept in step with the consents.

A consent recorded back-dated while an earlier one was still open overlaps it (the earlier one is
superseded only at the moment of recording): the candidate must still count once. Withdrawal ends
the span at once; erasure removes it."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from portal.core import db
from portal.results import indicators as ind
from portal.results.consent_spans import ConsentSpan, merged
from portal.results.facts import rebuild
from portal.results.periods import Period, today
from tests.conftest import both_databases

UTC = dt.timezone.utc
NOW = ind.Filters(Period(today().year))


def moment(y, m, d, h=0):
    return dt.datetime(y, m, d, h, tzinfo=UTC)


def test_overlapping_and_touching_intervals_merge_into_disjoint_spans():
    a, b, c, d, e = (moment(2024, month, 1) for month in (1, 3, 5, 7, 9))
    assert merged([(a, c), (b, d)]) == [(a, d, 2)]  # overlap
    assert merged([(c, d), (a, c)]) == [(a, d, 2)]  # touching, given out of order
    assert merged([(a, b), (c, d)]) == [(a, b, 1), (c, d, 1)]  # a gap stays a gap
    assert merged([(b, b), (a, c), (d, e)]) == [(a, c, 2), (d, e, 1)]  # an empty one counts as merged


def _rows():
    return sorted((s.candidate_id, s.municipality, s.cohort, s.valid_from, s.valid_until, s.consents)
                  for s in db.session.scalars(select(ConsentSpan)))


def _assert_in_step():
    kept = _rows()
    rebuild()
    assert _rows() == kept
    db.session.rollback()


def _consent_now(app, row=ind.TOTAL):
    with app.app_context():
        return ind.candidates(NOW).table.values[(row, "consent")]


@both_databases
def test_a_back_dated_consent_counts_once_withdrawal_and_erasure_remove_it(app, results_world, factory):
    from portal.candidates.models import Candidate
    from portal.candidates.operations import record_consent, withdraw_consent

    manager = factory.user("account_manager")
    cid = results_world.candidates["C10"]  # never had a consent
    before = _consent_now(app)
    with app.test_request_context():
        candidate = db.session.get(Candidate, cid)
        now = db.utcnow()
        record_consent(candidate, manager, scope="all_approved_employers", expires_at=now + dt.timedelta(days=300))
        db.commit()
    assert _consent_now(app) == before + 1
    with app.test_request_context():
        candidate = db.session.get(Candidate, cid)
        now = db.utcnow()
        # recorded "a week ago": overlaps the open consent, which is superseded only now
        record_consent(candidate, manager, scope="all_approved_employers", recorded_at=now - dt.timedelta(days=7),
                       expires_at=now + dt.timedelta(days=200))
        db.commit()
        assert len([s for s in db.session.scalars(select(ConsentSpan).where(ConsentSpan.candidate_id == cid))]) == 1
        _assert_in_step()
    assert _consent_now(app) == before + 1  # once, not twice
    with app.test_request_context():
        withdraw_consent(db.session.get(Candidate, cid), manager)
        db.commit()
        _assert_in_step()
    assert _consent_now(app) == before
    with app.app_context():
        db.session.delete(db.session.get(Candidate, cid))
        db.commit()
        assert db.session.scalars(select(ConsentSpan).where(ConsentSpan.candidate_id == cid)).all() == []


@both_databases
def test_a_candidate_who_moves_is_counted_in_the_new_municipality(app, results_world):
    from portal.candidates.models import Candidate

    filters = ind.Filters(Period(2024), breakdown="municipality")
    with app.app_context():
        table = ind.candidates(filters).table
        zaanstad, westland = table.values[("Zaanstad", "consent")], table.values[("Westland", "consent")]
        db.session.get(Candidate, results_world.candidates["C1"]).municipality = "Westland"
        db.commit()
        table = ind.candidates(filters).table
        assert (table.values[("Zaanstad", "consent")], table.values[("Westland", "consent")]) == (zaanstad - 1, westland + 1)
        _assert_in_step()
