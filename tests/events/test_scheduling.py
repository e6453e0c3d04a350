"""Speed-date scheduling: every guarantee on seeded random inputs, determinism, pins, and the greedy comparison."""

from __future__ import annotations

import itertools
import random

import pytest

from portal.events.scheduling import (
    Candidate,
    Interest,
    MeetingRequest,
    Schedule,
    SchedulingProblem,
    Slot,
    Table,
    generate_schedule,
    greedy_schedule,
    max_weight_matching,
)
from tests.benchmarks.bench_schedule import synthetic_problem

SCHEDULERS = [generate_schedule, greedy_schedule]


# --- an independent checker -------------------------------------------------------------


def assert_valid(problem: SchedulingProblem, schedule: Schedule) -> None:
    """Check every hard guarantee from scratch, without using the scheduler's own bookkeeping."""
    tables = {t.id: t for t in problem.tables}
    candidates = {c.id: c for c in problem.candidates}
    requested = {(r.table_id, r.candidate_id) for r in problem.requests}
    pinned = set(schedule.report.pins_kept)
    capacity = len(tables) if problem.max_tables_per_round is None else problem.max_tables_per_round
    assert len(schedule.rounds) == problem.rounds
    seen_pairs: set[tuple[object, object]] = set()
    for number, meetings in enumerate(schedule.rounds):
        assert len(meetings) <= capacity, f"round {number} uses more tables than allowed"
        seated = list(meetings.values())
        assert len(seated) == len(set(seated)), f"a candidate is at two tables in round {number}"
        for table_id, candidate_id in meetings.items():
            assert table_id in tables and candidate_id in candidates
            pair = (table_id, candidate_id)
            assert pair not in seen_pairs, f"{pair} meet twice"
            seen_pairs.add(pair)
            assert pair in requested or Slot(number, *pair) in pinned, f"{pair} was never asked for"
            need = candidates[candidate_id].interpreter_language
            assert need is None or need in tables[table_id].interpreter_languages, f"{pair} lacks an interpreter"
    for candidate_id in candidates:
        run = 0
        for meetings in schedule.rounds:
            run = run + 1 if candidate_id in meetings.values() else 0
            assert run <= problem.max_consecutive_rounds, f"{candidate_id} gets no break"


def assert_report_consistent(problem: SchedulingProblem, schedule: Schedule) -> None:
    report = schedule.report
    slots = list(schedule.slots())
    met = {(s.table_id, s.candidate_id) for s in slots}
    assert report.meetings_placed == len(slots)
    best: dict[tuple[object, object], Interest] = {}
    for r in problem.requests:
        best[(r.table_id, r.candidate_id)] = max(best.get((r.table_id, r.candidate_id), r.interest), r.interest)
    for level in Interest:
        assert report.requested[level] == sum(1 for v in best.values() if v == level)
        assert report.satisfied[level] == sum(1 for p, v in best.items() if v == level and p in met)
    for c in problem.candidates:
        timetable = schedule.for_candidate(c.id)
        assert report.meetings_per_candidate[c.id] == sum(t is not None for t in timetable)
        assert report.breaks_per_candidate[c.id] == problem.rounds - report.meetings_per_candidate[c.id]
    for t in problem.tables:
        for number, candidate_id in enumerate(schedule.for_table(t.id)):
            assert schedule.rounds[number].get(t.id) == candidate_id
    assert report.longest_run <= problem.max_consecutive_rounds


# --- random inputs ------------------------------------------------------------------------


def random_problem(rng: random.Random, with_pins: bool = False) -> SchedulingProblem:
    languages = ["ar", "ti", "uk"]
    tables = [
        Table(i, frozenset(rng.sample(languages, rng.randint(0, 2))) if rng.random() < 0.4 else frozenset())
        for i in range(1, rng.randint(1, 7) + 1)
    ]
    candidates = [
        Candidate(f"c{i}", rng.choice(languages) if rng.random() < 0.2 else None) for i in range(rng.randint(1, 12))
    ]
    requests = [
        MeetingRequest(t.id, c.id, rng.choice(list(Interest)), round(rng.random(), 2))
        for t, c in itertools.product(tables, candidates)
        if rng.random() < 0.5
    ]
    rounds = rng.randint(1, 7)
    pins: list[Slot] = []
    if with_pins:
        for _ in range(rng.randint(0, 8)):
            pins.append(Slot(rng.randint(0, rounds), rng.choice(tables).id, rng.choice(candidates).id))
        pins.append(Slot(0, 999, candidates[0].id))  # a table that has left
    return SchedulingProblem(
        tables=tables,
        candidates=candidates,
        requests=requests,
        rounds=rounds,
        max_consecutive_rounds=rng.randint(1, 3),
        max_tables_per_round=rng.choice([None, None, 1, 2, 3]),
        pinned=pins,
    )


@pytest.mark.parametrize("scheduler", SCHEDULERS)
@pytest.mark.parametrize("seed", range(60))
def test_guarantees_hold_on_random_inputs(scheduler, seed: int) -> None:
    problem = random_problem(random.Random(seed), with_pins=seed % 2 == 1)
    schedule = scheduler(problem)
    assert_valid(problem, schedule)
    assert_report_consistent(problem, schedule)


@pytest.mark.parametrize("seed", range(30))
def test_scheduler_places_at_least_as_many_mutual_interests_as_greedy_on_small_inputs(seed: int) -> None:
    problem = random_problem(random.Random(1000 + seed))
    assert generate_schedule(problem).report.mutual_satisfied >= greedy_schedule(problem).report.mutual_satisfied


@pytest.mark.parametrize("seed", [2024, 1, 3, 7])
def test_benchmark_sized_input_beats_or_equals_greedy(seed: int) -> None:
    problem = synthetic_problem(seed)
    schedule, baseline = generate_schedule(problem), greedy_schedule(problem)
    assert_valid(problem, schedule)
    assert_valid(problem, baseline)
    assert schedule.report.mutual_satisfied >= baseline.report.mutual_satisfied
    # Every mutual interest the interpreter rule allows fits on this input; the scheduler finds them all.
    allowed_mutual = schedule.report.mutual_requested - sum(
        r.interest is Interest.MUTUAL for r in schedule.report.not_allowed
    )
    assert schedule.report.mutual_satisfied == allowed_mutual


# --- determinism ---------------------------------------------------------------------------


@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_same_input_in_any_order_gives_the_same_schedule(scheduler) -> None:
    problem = synthetic_problem(5, tables=12, candidates=30, rounds=6)
    expected = scheduler(problem)
    rng = random.Random(0)
    for _ in range(3):
        shuffled = SchedulingProblem(
            tables=rng.sample(list(problem.tables), len(problem.tables)),
            candidates=rng.sample(list(problem.candidates), len(problem.candidates)),
            requests=rng.sample(list(problem.requests), len(problem.requests)),
            rounds=problem.rounds,
            max_consecutive_rounds=problem.max_consecutive_rounds,
        )
        result = scheduler(shuffled)
        assert result.rounds == expected.rounds
        assert [list(m) for m in result.rounds] == [list(m) for m in expected.rounds]  # also the key order


# --- priorities ----------------------------------------------------------------------------


def test_mutual_interest_is_placed_before_one_sided_and_suggested() -> None:
    problem = SchedulingProblem(
        tables=[Table("A")],
        candidates=[Candidate("x"), Candidate("y"), Candidate("z")],
        requests=[
            MeetingRequest("A", "x", Interest.ONE_SIDED, 1.0),
            MeetingRequest("A", "y", Interest.MUTUAL, 0.0),
            MeetingRequest("A", "z", Interest.SUGGESTED, 1.0),
        ],
        rounds=1,
    )
    assert generate_schedule(problem).rounds == ({"A": "y"},)


def test_matching_beats_greedy_when_the_first_choice_blocks_another_table() -> None:
    problem = SchedulingProblem(
        tables=[Table("A"), Table("B")],
        candidates=[Candidate("x"), Candidate("y")],
        requests=[
            MeetingRequest("A", "x", Interest.MUTUAL, 0.9),
            MeetingRequest("A", "y", Interest.MUTUAL, 0.1),
            MeetingRequest("B", "x", Interest.MUTUAL, 0.5),
        ],
        rounds=1,
    )
    assert greedy_schedule(problem).report.mutual_satisfied == 1
    schedule = generate_schedule(problem)
    assert schedule.rounds == ({"A": "y", "B": "x"},)
    assert schedule.report.mutual_satisfied == 2


def test_candidates_with_fewer_meetings_get_priority() -> None:
    problem = SchedulingProblem(
        tables=[Table("T1"), Table("T2")],
        candidates=[Candidate("x"), Candidate("y")],
        requests=[
            MeetingRequest("T1", "x", Interest.ONE_SIDED, 1.0),
            MeetingRequest("T2", "x", Interest.ONE_SIDED, 1.0),
            MeetingRequest("T1", "y", Interest.ONE_SIDED, 0.0),
        ],
        rounds=2,
        max_tables_per_round=1,
    )
    schedule = generate_schedule(problem)
    assert schedule.report.meetings_per_candidate == {"x": 1, "y": 1}
    assert greedy_schedule(problem).report.meetings_per_candidate == {"x": 2, "y": 0}


def test_a_break_after_max_consecutive_rounds() -> None:
    tables = [Table(i) for i in range(6)]
    problem = SchedulingProblem(
        tables=tables,
        candidates=[Candidate("x")],
        requests=[MeetingRequest(t.id, "x", Interest.MUTUAL) for t in tables],
        rounds=6,
        max_consecutive_rounds=2,
    )
    schedule = generate_schedule(problem)
    assert [t is not None for t in schedule.for_candidate("x")] == [True, True, False, True, True, False]
    assert schedule.report.breaks_per_candidate == {"x": 2}


def test_interpreter_needs_are_respected_and_reported() -> None:
    problem = SchedulingProblem(
        tables=[Table("A", frozenset({"ti"})), Table("B")],
        candidates=[Candidate("x", interpreter_language="ti"), Candidate("y")],
        requests=[
            MeetingRequest("B", "x", Interest.MUTUAL),
            MeetingRequest("A", "x", Interest.ONE_SIDED),
            MeetingRequest("B", "y", Interest.ONE_SIDED),
        ],
        rounds=2,
    )
    schedule = generate_schedule(problem)
    assert ("B", "x") not in {(s.table_id, s.candidate_id) for s in schedule.slots()}
    assert schedule.report.not_allowed == (MeetingRequest("B", "x", Interest.MUTUAL),)
    assert schedule.report.meetings_per_candidate == {"x": 1, "y": 1}


def test_duplicate_requests_keep_the_highest_priority() -> None:
    problem = SchedulingProblem(
        tables=[Table("A")],
        candidates=[Candidate("x")],
        requests=[MeetingRequest("A", "x", Interest.ONE_SIDED), MeetingRequest("A", "x", Interest.MUTUAL)],
        rounds=2,
    )
    report = generate_schedule(problem).report
    assert (report.mutual_requested, report.mutual_satisfied, report.meetings_placed) == (1, 1, 1)


# --- pins ------------------------------------------------------------------------------------


def test_regeneration_keeps_announced_slots_that_are_still_valid() -> None:
    original = synthetic_problem(11, tables=15, candidates=45, rounds=8)
    announced = list(generate_schedule(original).slots())
    leaving = original.candidates[0].id
    late = Candidate("C999")
    changed = SchedulingProblem(
        tables=original.tables,
        candidates=[c for c in original.candidates if c.id != leaving] + [late],
        requests=[r for r in original.requests if r.candidate_id != leaving]
        + [MeetingRequest(t.id, late.id, Interest.MUTUAL) for t in original.tables[:5]],
        rounds=original.rounds,
        max_consecutive_rounds=original.max_consecutive_rounds,
        pinned=announced,
    )
    schedule = generate_schedule(changed)
    assert_valid(changed, schedule)
    still_valid = [s for s in announced if s.candidate_id != leaving]
    assert set(schedule.report.pins_kept) == set(still_valid)
    assert {s for s in announced if s.candidate_id == leaving} == set(schedule.report.pins_dropped)
    slots = set(schedule.slots())
    assert all(s in slots for s in still_valid)
    assert schedule.report.meetings_per_candidate[late.id] > 0


def test_invalid_pins_are_dropped_not_obeyed() -> None:
    problem = SchedulingProblem(
        tables=[Table("A"), Table("B", frozenset({"ar"}))],
        candidates=[Candidate("x"), Candidate("y", interpreter_language="ar")],
        requests=[],
        rounds=2,
        pinned=[
            Slot(0, "A", "x"),
            Slot(0, "B", "x"),  # x already sits at A in round 0
            Slot(1, "A", "x"),  # pair A–x already meets
            Slot(1, "A", "y"),  # y needs Arabic, A has none
            Slot(2, "B", "y"),  # round 2 does not exist
            Slot(1, "B", "y"),
        ],
    )
    schedule = generate_schedule(problem)
    assert schedule.report.pins_kept == (Slot(0, "A", "x"), Slot(1, "B", "y"))
    assert set(schedule.report.pins_dropped) == {Slot(0, "B", "x"), Slot(1, "A", "x"), Slot(1, "A", "y"), Slot(2, "B", "y")}
    assert schedule.rounds == ({"A": "x"}, {"B": "y"})


def test_pins_count_towards_breaks() -> None:
    tables = [Table(i) for i in range(4)]
    problem = SchedulingProblem(
        tables=tables,
        candidates=[Candidate("x")],
        requests=[MeetingRequest(t.id, "x", Interest.MUTUAL) for t in tables],
        rounds=4,
        max_consecutive_rounds=2,
        pinned=[Slot(1, 0, "x"), Slot(2, 1, "x")],
    )
    schedule = generate_schedule(problem)
    assert_valid(problem, schedule)
    assert schedule.for_candidate("x")[0] is None and schedule.for_candidate("x")[3] is None


# --- input validation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"rounds": 0},
        {"max_consecutive_rounds": 0},
        {"max_tables_per_round": -1},
        {"tables": [Table("A"), Table("A")]},
        {"candidates": [Candidate("x"), Candidate("x")]},
        {"requests": [MeetingRequest("A", "nobody")]},
        {"requests": [MeetingRequest("Z", "x")]},
        {"requests": [MeetingRequest("A", "x", score=1.5)]},
    ],
)
def test_bad_problems_are_refused(changes: dict) -> None:
    arguments = {"tables": [Table("A")], "candidates": [Candidate("x")], "requests": [], "rounds": 2} | changes
    with pytest.raises(ValueError):
        SchedulingProblem(**arguments)


def test_empty_event_gives_empty_rounds() -> None:
    problem = SchedulingProblem(tables=[], candidates=[], requests=[], rounds=3)
    for scheduler in SCHEDULERS:
        schedule = scheduler(problem)
        assert schedule.rounds == ({}, {}, {})
        assert schedule.report.meetings_placed == 0 and schedule.report.longest_run == 0


# --- the matching itself ---------------------------------------------------------------------


def _best_by_brute_force(n_left: int, n_right: int, weights: dict[tuple[int, int], int], limit: int) -> int:
    best = 0
    for size in range(min(limit, n_left, n_right) + 1):
        for combo in itertools.combinations(weights, size):
            if len({l for l, _ in combo}) == size == len({r for _, r in combo}):
                best = max(best, sum(weights[e] for e in combo))
    return best


@pytest.mark.parametrize("seed", range(150))
def test_max_weight_matching_is_optimal_on_small_graphs(seed: int) -> None:
    rng = random.Random(seed)
    n_left, n_right = rng.randint(1, 5), rng.randint(1, 5)
    weights = {
        (rng.randrange(n_left), rng.randrange(n_right)): rng.choice([1, 2, 3, 10, 1000, rng.randint(1, 60)])
        for _ in range(rng.randint(0, 10))
    }
    limit = rng.randint(0, 5)
    matching = max_weight_matching(n_left, n_right, [(l, r, w) for (l, r), w in weights.items()], max_size=limit)
    assert len(matching) <= limit and len(set(matching.values())) == len(matching)
    assert all((l, r) in weights for l, r in matching.items())
    assert sum(weights[(l, r)] for l, r in matching.items()) == _best_by_brute_force(n_left, n_right, weights, limit)
