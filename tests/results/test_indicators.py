"""Each indicator against a hand-computed expectation on the small world of conftest.py.

Raw counts (`table.values`) are checked here; what may be shown (suppression) in test_suppression.py.
"""
from __future__ import annotations

import pytest

from portal.results import indicators as ind
from portal.results.periods import Period
from tests.conftest import both_databases

pytestmark = both_databases

TOTAL = ind.TOTAL
YEAR = ind.Filters(Period(2024))


def raw(indicator, column, row=TOTAL):
    return indicator.table.values[(row, column)]


def compute(app, key, filters=YEAR):
    with app.app_context():
        return ind.ALL[key](filters)


def test_candidates(app, results_world):
    got = compute(app, "candidates")
    # active: created before 2025 and not paused (C6 is paused, C9 created in 2023 counts too)
    assert raw(got, "active") == 9
    assert raw(got, "published") == 8  # C1..C8 first published in 2024
    assert raw(got, "consent") == 8  # C9's consent expired in June
    assert raw(got, "video") == 2


def test_candidates_by_municipality_add_up(app, results_world):
    got = compute(app, "candidates", ind.Filters(Period(2024), breakdown="municipality"))
    assert raw(got, "published", "Zaanstad") == 6 and raw(got, "published", "Westland") == 2
    assert raw(got, "active", "Zaanstad") == 7  # C1-C5, C9, C10


def test_funnel_steps(app, results_world):
    got = compute(app, "funnel")
    assert [raw(got, step) for step in ind.FUNNEL_STEPS] == [8, 6, 6, 5, 5]
    # 3 / 6 / 12 months after the first start: C2 stopped before 3 months; C3 finished in
    # December with a contract, so is still in work.
    assert (raw(got, "measurable_3"), raw(got, "work_3")) == (5, 4)
    assert (raw(got, "measurable_6"), raw(got, "work_6")) == (5, 4)
    assert (raw(got, "measurable_12"), raw(got, "work_12")) == (5, 4)
    assert ind.conversion(got, "interest") == pytest.approx(6 / 8)
    assert ind.conversion(got, "started") == pytest.approx(5 / 5)


def test_funnel_by_cohort_and_municipality_filter(app, results_world):
    got = compute(app, "funnel", ind.Filters(Period(2024), breakdown="cohort"))
    assert raw(got, "published", 20241) == 6 and raw(got, "published", 20242) == 2
    assert raw(got, "started", 20241) == 5 and raw(got, "started", 20242) == 0
    westland = compute(app, "funnel", ind.Filters(Period(2024), municipality="Westland"))
    assert [raw(westland, step) for step in ind.FUNNEL_STEPS] == [2, 1, 1, 1, 0]


def test_starts_by_type(app, results_world):
    got = compute(app, "starts")
    assert raw(got, "starts") == 6
    assert raw(got, "starts", "werkervaringsplek") == 3
    assert raw(got, "starts", "taalstage") == 2
    assert raw(got, "starts", "betaalde_baan") == 1
    assert raw(got, "starts", "proefplaatsing") == 0


def test_a_start_on_the_last_day_of_a_quarter_belongs_to_that_quarter(app, results_world):
    per_quarter = compute(app, "starts_per_quarter")
    # C1 on 31 March and C9 in January; C2 on 1 April and C3 on 30 June; C4 on 1 July; C5 on 1 October
    assert [per_quarter.table.values[(q, "starts")] for q in (1, 2, 3, 4)] == [2, 2, 1, 1]
    assert raw(compute(app, "starts", ind.Filters(Period(2024, 1))), "starts") == 2
    assert raw(compute(app, "starts", ind.Filters(Period(2024, 2))), "starts") == 2
    assert raw(compute(app, "starts", ind.Filters(Period(2024, 3))), "starts") == 1
    assert raw(compute(app, "starts", ind.Filters(Period(2023, 4))), "starts") == 0


def test_results_and_stop_reasons(app, results_world):
    got = compute(app, "results")
    assert raw(got, TOTAL) == 3  # C2 stopped, C3 and C9 finished
    assert raw(got, "stopped", "taalstage") == 1
    assert raw(got, "contract", "taalstage") == 1
    assert raw(got, "education", "werkervaringsplek") == 1
    assert raw(got, "other") == 0 and raw(got, "extension") == 0
    assert raw(got, TOTAL, "taalstage") == 2 and raw(got, TOTAL, "werkervaringsplek") == 1
    reasons = compute(app, "stop_reasons")
    assert reasons.table.values[("language", "stopped")] == 1


def test_median_days_from_first_publication_to_first_start(app, results_world):
    got = compute(app, "median_days")
    # C9 75, C1 81, C2 81, C3 170, C4 170, C5 261 days: median (81 + 170) / 2
    assert raw(got, "candidates") == 6
    assert got.extra["medians"][TOTAL] == 125.5
    assert ind.median_of({1: 1, 2: 1, 10: 1}) == 2 and ind.median_of({}) is None


def test_events(app, results_world):
    got = compute(app, "events")
    (event_id,) = got.table.rows
    assert got.row_labels[event_id] == results_world.event_title
    row = {column: got.table.values[(event_id, column)] for column in got.table.columns}
    # C4 cancelled; C2 did not show; starts within 3 months from that table: C3 (30 June) only
    assert row == {"tables": 1, "candidates": 3, "speed_dates": 2, "follow_ups": 2, "starts": 1}


def test_employers(app, results_world):
    got = compute(app, "employers")
    # P1, P2, P4 published in 2024 by the approved organisation; P1 (1 place) and P2 (2 places)
    # are filled; P4 has one start for two places. Organisation B is not approved.
    assert [raw(got, c) for c in ("organisations", "published", "filled", "lowered")] == [1, 3, 2, 1]


def test_language(app, results_world):
    got = compute(app, "language")
    assert (raw(got, "started"), raw(got, "measured"), raw(got, "rose")) == (6, 3, 1)


def test_gender(app, results_world):
    got = compute(app, "gender")
    assert (raw(got, "active", "female"), raw(got, "active", "male"), raw(got, "active")) == (6, 3, 9)
    assert (raw(got, "started", "female"), raw(got, "started", "male")) == (5, 1)


def test_nothing_in_an_empty_period(app, results_world):
    empty = ind.Filters(Period(2021))
    with app.app_context():
        computed = ind.compute(empty)
    assert raw(computed["funnel"], "published") == 0
    assert raw(computed["starts"], "starts") == 0
    assert computed["events"].table.rows == []
