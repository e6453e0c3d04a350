"""Benchmark: speed-date schedule for 40 tables, 120 candidates, 10 rounds (issue 7).

Run with ``.venv/bin/python -m tests.benchmarks.bench_schedule`` (not a pytest
test: the file name does not start with ``test_``). It prints the time taken
and the mutual interests satisfied by the scheduler and by the greedy
round-robin baseline on the same seeded synthetic input. The goal is under
2 seconds and at least as many mutual interests as greedy.

:func:`synthetic_problem` is also used by ``tests/events/test_scheduling.py``
so the test and the benchmark compare on the same kind of input.
"""

from __future__ import annotations

import argparse
import random
import time

from portal.events.scheduling import (
    Candidate,
    Interest,
    MeetingRequest,
    SchedulingProblem,
    Table,
    generate_schedule,
    greedy_schedule,
)

INTERPRETER_LANGUAGES = ("ar", "ti", "prs", "so")
SECTORS = ("logistiek", "zorg", "horeca", "schoonmaak", "bouw", "techniek", "detailhandel", "productie")


def synthetic_problem(
    seed: int = 2024,
    tables: int = 40,
    candidates: int = 120,
    rounds: int = 10,
    max_consecutive_rounds: int = 3,
) -> SchedulingProblem:
    """A plausible meet-and-greet: sector-driven, skewed popularity, some interpreter needs.

    Employers mark 8–14 candidates, account managers mark 3–6 tables per
    candidate; both weighted towards the same sector and towards popular
    people, so a few tables and candidates are over-asked (which is where a
    careless schedule loses mutual interests). Pairs marked by both sides are
    mutual, by one side one-sided; a few extra pairs are only suggested by the
    matching score.
    """
    rng = random.Random(seed)
    table_list = [
        Table(
            id=f"T{i:02d}",
            interpreter_languages=frozenset([rng.choice(INTERPRETER_LANGUAGES)]) if rng.random() < 0.3 else frozenset(),
        )
        for i in range(1, tables + 1)
    ]
    candidate_list = [
        Candidate(id=f"C{i:03d}", interpreter_language=rng.choice(INTERPRETER_LANGUAGES) if rng.random() < 0.12 else None)
        for i in range(1, candidates + 1)
    ]
    table_sector = {t.id: rng.choice(SECTORS) for t in table_list}
    candidate_sectors = {c.id: set(rng.sample(SECTORS, 2)) for c in candidate_list}
    table_popularity = {t.id: rng.lognormvariate(0, 0.8) for t in table_list}
    candidate_popularity = {c.id: rng.lognormvariate(0, 0.8) for c in candidate_list}

    def weighted_sample(population: list[str], weights: list[float], k: int) -> set[str]:
        chosen: set[str] = set()
        while len(chosen) < min(k, len(population)):
            chosen.add(rng.choices(population, weights)[0])
        return chosen

    candidate_ids = [c.id for c in candidate_list]
    table_ids = [t.id for t in table_list]
    employer_marks = {
        (t, c)
        for t in table_ids
        for c in weighted_sample(
            candidate_ids,
            [candidate_popularity[c] * (4 if table_sector[t] in candidate_sectors[c] else 1) for c in candidate_ids],
            rng.randint(8, 14),
        )
    }
    candidate_marks = {
        (t, c)
        for c in candidate_ids
        for t in weighted_sample(
            table_ids,
            [table_popularity[t] * (4 if table_sector[t] in candidate_sectors[c] else 1) for t in table_ids],
            rng.randint(3, 6),
        )
    }
    suggested = {(rng.choice(table_ids), rng.choice(candidate_ids)) for _ in range(tables * 4)}
    requests = []
    for pair in sorted(employer_marks | candidate_marks | suggested):
        if pair in employer_marks and pair in candidate_marks:
            interest = Interest.MUTUAL
        elif pair in employer_marks or pair in candidate_marks:
            interest = Interest.ONE_SIDED
        else:
            interest = Interest.SUGGESTED
        requests.append(MeetingRequest(pair[0], pair[1], interest, round(rng.random(), 3)))
    return SchedulingProblem(
        tables=table_list,
        candidates=candidate_list,
        requests=requests,
        rounds=rounds,
        max_consecutive_rounds=max_consecutive_rounds,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=3, help="runs to time; the best is reported")
    args = parser.parse_args()

    problem = synthetic_problem(args.seed)
    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        schedule = generate_schedule(problem)
        timings.append(time.perf_counter() - started)
    started = time.perf_counter()
    baseline = greedy_schedule(problem)
    greedy_time = time.perf_counter() - started

    requested = schedule.report.requested
    mutual_not_allowed = sum(r.interest is Interest.MUTUAL for r in schedule.report.not_allowed)
    print(
        f"input: {len(problem.tables)} tables, {len(problem.candidates)} candidates, {problem.rounds} rounds, "
        f"max {problem.max_consecutive_rounds} rounds in a row; requests: "
        f"{requested[Interest.MUTUAL]} mutual, {requested[Interest.ONE_SIDED]} one-sided, "
        f"{requested[Interest.SUGGESTED]} suggested (seed {args.seed}); "
        f"{mutual_not_allowed} mutual requests lack the interpreter the candidate needs"
    )
    for name, result, seconds in (
        ("scheduler", schedule, min(timings)),
        ("greedy", baseline, greedy_time),
    ):
        report = result.report
        counts = sorted(report.meetings_per_candidate.values())
        print(
            f"{name:>9}: {seconds:.3f} s; mutual {report.mutual_satisfied}/{report.mutual_requested}, "
            f"one-sided {report.satisfied[Interest.ONE_SIDED]}, suggested {report.satisfied[Interest.SUGGESTED]}, "
            f"meetings {report.meetings_placed}; per candidate min {counts[0]} median {counts[len(counts) // 2]} "
            f"max {counts[-1]}; longest run {report.longest_run}"
        )
    ok_time = min(timings) < 2.0
    ok_mutual = schedule.report.mutual_satisfied >= baseline.report.mutual_satisfied
    print(f"goal: under 2 s {'met' if ok_time else 'MISSED'}; at least greedy's mutual interests {'met' if ok_mutual else 'MISSED'}")


if __name__ == "__main__":
    main()
