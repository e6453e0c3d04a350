"""Speed-date schedules for meet-and-greets (DESIGN.md §9, issue 7).

Requested meetings form a bipartite graph of employer tables × candidates. A
schedule is a sequence of rounds; each round is a matching in that graph. By
Kőnig's edge-colouring theorem all requests fit in as many rounds as the
busiest person has requests, so we build the schedule round by round with a
*maximum-weight* matching whose weights encode, in strict priority order:

1. mutual interest, then one-sided interest, then any other requested meeting
   (each as a count: one more mutual meeting beats any number of lesser ones);
2. urgency of mutual requests: people whose remaining mutual requests barely
   fit in the rounds left are served first, so later rounds are not stuck with
   requests that no longer fit (the Kőnig argument, made greedy);
3. fair spread: candidates with fewer meetings so far come first;
4. the matching score.

Hard constraints, checked in one place (:class:`_Timetable`): nobody in two
places at once, no pair twice, no more than ``max_consecutive_rounds`` meetings
in a row for a candidate, interpreter needs (a candidate who needs interpreter
language X only meets tables that bring X), at most ``max_tables_per_round``
tables in use per round, and previously announced slots (pins) are kept where
still valid. Everything is ordered by id, never by dict or set order, so the
same input always gives the same schedule.

:func:`greedy_schedule` is the simple round-robin baseline the benchmark
compares against. Pure Python, no Flask, no database.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TypeAlias

TableId: TypeAlias = int | str
CandidateId: TypeAlias = int | str

__all__ = [
    "Candidate",
    "CandidateId",
    "Interest",
    "MeetingRequest",
    "Schedule",
    "ScheduleReport",
    "SchedulingProblem",
    "Slot",
    "Table",
    "TableId",
    "generate_schedule",
    "greedy_schedule",
    "max_weight_matching",
]


def _id_key(value: int | str) -> tuple[str, int | str]:
    """Sort key that orders ints and strings without comparing them to each other."""
    return (type(value).__name__, value)


class Interest(IntEnum):
    """Why a meeting is requested; higher is placed first."""

    SUGGESTED = 0  # nobody marked interest; the matching score suggests the meeting
    ONE_SIDED = 1  # the employer or the candidate's account manager asked for it
    MUTUAL = 2  # both sides asked


@dataclass(frozen=True, slots=True)
class Table:
    """An employer table; ``interpreter_languages`` are ISO 639 codes the employer can interpret in."""

    id: TableId
    interpreter_languages: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Candidate:
    """A candidate; ``interpreter_language`` is set when they can only talk through an interpreter."""

    id: CandidateId
    interpreter_language: str | None = None


@dataclass(frozen=True, slots=True)
class MeetingRequest:
    """A wish that ``table_id`` meets ``candidate_id``; ``score`` (0–1) ranks requests of equal interest."""

    table_id: TableId
    candidate_id: CandidateId
    interest: Interest = Interest.ONE_SIDED
    score: float = 0.0

    @property
    def pair(self) -> tuple[TableId, CandidateId]:
        return (self.table_id, self.candidate_id)


@dataclass(frozen=True, slots=True)
class Slot:
    """One meeting: in ``round`` (0-based), ``candidate_id`` sits at ``table_id``."""

    round: int
    table_id: TableId
    candidate_id: CandidateId


@dataclass(frozen=True)
class SchedulingProblem:
    """Everything the scheduler needs; validated on construction.

    ``max_tables_per_round`` limits how many tables are in use at once (the
    venue may have fewer seats than employers); ``None`` means all tables.
    ``pinned`` are slots of a previously announced schedule; each is kept if
    its table and candidate are still present, the round still exists, the
    pair is allowed and it does not break a constraint together with the pins
    kept before it (pins are considered in round, table, candidate order). A
    pin does not need a matching request: an announced meeting is a promise.
    Duplicate requests for one pair are merged, keeping the highest priority.
    """

    tables: Sequence[Table]
    candidates: Sequence[Candidate]
    requests: Sequence[MeetingRequest]
    rounds: int
    max_consecutive_rounds: int = 3
    max_tables_per_round: int | None = None
    pinned: Sequence[Slot] = ()

    def __post_init__(self) -> None:
        if self.rounds < 1:
            raise ValueError("rounds must be at least 1")
        if self.max_consecutive_rounds < 1:
            raise ValueError("max_consecutive_rounds must be at least 1")
        if self.max_tables_per_round is not None and self.max_tables_per_round < 0:
            raise ValueError("max_tables_per_round must not be negative")
        for label, ids in (("table", [t.id for t in self.tables]), ("candidate", [c.id for c in self.candidates])):
            duplicates = sorted((i for i, n in Counter(ids).items() if n > 1), key=_id_key)
            if duplicates:
                raise ValueError(f"duplicate {label} ids: {duplicates}")
        table_ids = {t.id for t in self.tables}
        candidate_ids = {c.id for c in self.candidates}
        for request in self.requests:
            if request.table_id not in table_ids or request.candidate_id not in candidate_ids:
                raise ValueError(f"request refers to an unknown table or candidate: {request}")
            if not 0.0 <= request.score <= 1.0:
                raise ValueError(f"score must be between 0 and 1: {request}")

    @property
    def table_capacity(self) -> int:
        """How many meetings one round can hold."""
        if self.max_tables_per_round is None:
            return len(self.tables)
        return min(self.max_tables_per_round, len(self.tables))

    def allows(self, table: Table, candidate: Candidate) -> bool:
        """The interpreter constraint: a candidate who needs language X only meets tables that bring X."""
        need = candidate.interpreter_language
        return need is None or need in table.interpreter_languages


@dataclass(frozen=True)
class ScheduleReport:
    """What a schedule achieves, for WSP staff and for the benchmark."""

    meetings_placed: int
    requested: Mapping[Interest, int]
    satisfied: Mapping[Interest, int]
    meetings_per_candidate: Mapping[CandidateId, int]
    breaks_per_candidate: Mapping[CandidateId, int]
    longest_run: int
    not_allowed: tuple[MeetingRequest, ...]
    pins_kept: tuple[Slot, ...]
    pins_dropped: tuple[Slot, ...]

    @property
    def mutual_requested(self) -> int:
        return self.requested[Interest.MUTUAL]

    @property
    def mutual_satisfied(self) -> int:
        return self.satisfied[Interest.MUTUAL]


@dataclass(frozen=True)
class Schedule:
    """``rounds[r]`` maps table id -> candidate id for round ``r`` (tables without a meeting are absent)."""

    rounds: tuple[Mapping[TableId, CandidateId], ...]
    report: ScheduleReport

    def slots(self) -> Iterator[Slot]:
        for number, meetings in enumerate(self.rounds):
            for table_id, candidate_id in meetings.items():
                yield Slot(number, table_id, candidate_id)

    def for_table(self, table_id: TableId) -> list[CandidateId | None]:
        """Per round, whom the table meets (None = free), for the printed table schedule."""
        return [meetings.get(table_id) for meetings in self.rounds]

    def for_candidate(self, candidate_id: CandidateId) -> list[TableId | None]:
        """Per round, where the candidate sits (None = break), for the printed personal schedule."""
        return [next((t for t, c in meetings.items() if c == candidate_id), None) for meetings in self.rounds]


# --- shared constraint bookkeeping ------------------------------------------------


@dataclass
class _Timetable:
    """The schedule under construction; the single place where the hard constraints are checked."""

    problem: SchedulingProblem
    tables: dict[TableId, Table] = field(init=False)
    candidates: dict[CandidateId, Candidate] = field(init=False)
    rounds: list[dict[TableId, CandidateId]] = field(init=False)
    busy: dict[CandidateId, list[bool]] = field(init=False)
    met: set[tuple[TableId, CandidateId]] = field(init=False)

    def __post_init__(self) -> None:
        p = self.problem
        self.tables = {t.id: t for t in sorted(p.tables, key=lambda t: _id_key(t.id))}
        self.candidates = {c.id: c for c in sorted(p.candidates, key=lambda c: _id_key(c.id))}
        self.rounds = [{} for _ in range(p.rounds)]
        self.busy = {c: [False] * p.rounds for c in self.candidates}
        self.met = set()

    def allowed(self, table_id: TableId, candidate_id: CandidateId) -> bool:
        return self.problem.allows(self.tables[table_id], self.candidates[candidate_id])

    def run_through(self, candidate_id: CandidateId, number: int) -> int:
        """Length of the run of consecutive meetings the candidate would have if they also met in ``number``."""
        busy = self.busy[candidate_id]
        left = number - 1
        while left >= 0 and busy[left]:
            left -= 1
        right = number + 1
        while right < len(busy) and busy[right]:
            right += 1
        return right - left - 1

    def candidate_free(self, candidate_id: CandidateId, number: int) -> bool:
        """Not yet seated in round ``number`` and not due a break then."""
        return (
            not self.busy[candidate_id][number]
            and self.run_through(candidate_id, number) <= self.problem.max_consecutive_rounds
        )

    def round_has_room(self, number: int) -> bool:
        return len(self.rounds[number]) < self.problem.table_capacity

    def can_place(self, number: int, table_id: TableId, candidate_id: CandidateId) -> bool:
        return (
            table_id in self.tables
            and candidate_id in self.candidates
            and 0 <= number < self.problem.rounds
            and self.round_has_room(number)
            and table_id not in self.rounds[number]
            and (table_id, candidate_id) not in self.met
            and self.allowed(table_id, candidate_id)
            and self.candidate_free(candidate_id, number)
        )

    def place(self, number: int, table_id: TableId, candidate_id: CandidateId) -> None:
        assert self.can_place(number, table_id, candidate_id), (number, table_id, candidate_id)
        self.rounds[number][table_id] = candidate_id
        self.busy[candidate_id][number] = True
        self.met.add((table_id, candidate_id))

    def apply_pins(self) -> tuple[tuple[Slot, ...], tuple[Slot, ...]]:
        """Place the still-valid pins first; return (kept, dropped)."""
        kept: list[Slot] = []
        dropped: list[Slot] = []
        ordered = sorted(set(self.problem.pinned), key=lambda s: (s.round, _id_key(s.table_id), _id_key(s.candidate_id)))
        for slot in ordered:
            if self.can_place(slot.round, slot.table_id, slot.candidate_id):
                self.place(slot.round, slot.table_id, slot.candidate_id)
                kept.append(slot)
            else:
                dropped.append(slot)
        return tuple(kept), tuple(dropped)

    def report(
        self, requests: Sequence[MeetingRequest], kept: tuple[Slot, ...], dropped: tuple[Slot, ...]
    ) -> ScheduleReport:
        requested = Counter({level: 0 for level in Interest})
        satisfied = Counter({level: 0 for level in Interest})
        for request in requests:
            requested[request.interest] += 1
            if request.pair in self.met:
                satisfied[request.interest] += 1
        runs = [self.longest_run(c) for c in self.candidates]
        return ScheduleReport(
            meetings_placed=sum(len(meetings) for meetings in self.rounds),
            requested=dict(requested),
            satisfied=dict(satisfied),
            meetings_per_candidate={c: sum(b) for c, b in self.busy.items()},
            breaks_per_candidate={c: b.count(False) for c, b in self.busy.items()},
            longest_run=max(runs, default=0),
            not_allowed=tuple(r for r in requests if not self.allowed(r.table_id, r.candidate_id)),
            pins_kept=kept,
            pins_dropped=dropped,
        )

    def longest_run(self, candidate_id: CandidateId) -> int:
        best = current = 0
        for busy in self.busy[candidate_id]:
            current = current + 1 if busy else 0
            best = max(best, current)
        return best

    def schedule(self, requests: Sequence[MeetingRequest], kept: tuple[Slot, ...], dropped: tuple[Slot, ...]) -> Schedule:
        rounds = tuple({t: meetings[t] for t in self.tables if t in meetings} for meetings in self.rounds)
        return Schedule(rounds=rounds, report=self.report(requests, kept, dropped))


def _merged_requests(problem: SchedulingProblem) -> list[MeetingRequest]:
    """One request per pair (the highest priority wins), sorted by pair for determinism."""
    best: dict[tuple[TableId, CandidateId], MeetingRequest] = {}
    for request in problem.requests:
        current = best.get(request.pair)
        if current is None or (request.interest, request.score) > (current.interest, current.score):
            best[request.pair] = request
    return sorted(best.values(), key=lambda r: (_id_key(r.table_id), _id_key(r.candidate_id)))


# --- maximum-weight bipartite matching ---------------------------------------------


def max_weight_matching(
    n_left: int, n_right: int, edges: Iterable[tuple[int, int, int]], max_size: int | None = None
) -> dict[int, int]:
    """A maximum-weight matching (left index -> right index) with at most ``max_size`` edges.

    Successive shortest augmenting paths (Dijkstra with Johnson potentials) on
    the min-cost-flow form of the problem: after k augmentations the matching
    is a maximum-weight matching of size k, and we stop as soon as the next
    augmenting path would not add weight or ``max_size`` is reached. Weights
    are integers (exact and deterministic; Python ints do not overflow);
    edges of weight ≤ 0 are ignored. Ties are broken by node index.
    Runs in O(k · E log V), which is milliseconds for a speed-date round.
    """
    adjacency: list[list[tuple[int, int]]] = [[] for _ in range(n_left)]
    for left, right, weight in sorted(edges):
        if weight > 0:
            adjacency[left].append((right, weight))
    limit = min(n_left, n_right) if max_size is None else min(max_size, n_left, n_right)
    match_left = [-1] * n_left
    match_right = [-1] * n_right
    match_weight = [0] * n_left  # weight of the edge left -> match_left[left]

    # Nodes: left i -> i, right j -> n_left + j, sink -> n_left + n_right. The source is
    # implicit with potential 0; costs are negated weights. Initial potentials make every
    # reduced cost non-negative: right nodes sit at their cheapest incoming edge.
    sink = n_left + n_right
    potential = [0] * (sink + 1)
    for left in range(n_left):
        for right, weight in adjacency[left]:
            potential[n_left + right] = min(potential[n_left + right], -weight)
    potential[sink] = min(potential[n_left:sink], default=0)

    for _ in range(limit):
        dist: list[int | None] = [None] * (sink + 1)
        parent = [-1] * (sink + 1)
        via_weight = [0] * (sink + 1)  # weight of the left -> right edge that reached a right node
        heap = [(-potential[left], left) for left in range(n_left) if match_left[left] == -1]
        for d, left in heap:
            dist[left] = d
        heapq.heapify(heap)
        done = [False] * (sink + 1)
        while heap:
            d, node = heapq.heappop(heap)
            if done[node]:
                continue
            done[node] = True
            if node == sink:
                break
            if node < n_left:  # forward along unmatched edges
                steps = [(n_left + r, -w, w) for r, w in adjacency[node] if r != match_left[node]]
            else:  # backward along the matched edge, or out to the sink if still free
                owner = match_right[node - n_left]
                steps = [(sink, 0, 0)] if owner == -1 else [(owner, match_weight[owner], 0)]
            for target, cost, weight in steps:
                reduced = d + cost + potential[node] - potential[target]
                current = dist[target]
                if current is None or reduced < current:
                    dist[target] = reduced
                    parent[target] = node
                    via_weight[target] = weight
                    heapq.heappush(heap, (reduced, target))
        found = dist[sink]
        if found is None or found + potential[sink] >= 0:
            break  # no augmenting path, or the best one would not add weight
        # Keep reduced costs non-negative: settled nodes move by their distance, all others
        # by the sink's (a lower bound on theirs).
        for node in range(sink + 1):
            potential[node] += dist[node] if done[node] else found  # type: ignore[operator]
        # Flip the path: sink <- right <- left <- right <- ... <- free left.
        right_node = parent[sink]
        while right_node != -1:
            left = parent[right_node]
            previous = match_left[left]
            match_left[left] = right_node - n_left
            match_right[right_node - n_left] = left
            match_weight[left] = via_weight[right_node]
            right_node = n_left + previous if previous != -1 else -1
    return {left: right for left, right in enumerate(match_left) if right != -1}


# --- the scheduler ------------------------------------------------------------------


def _radices(maxima: Sequence[int], edges_per_matching: int) -> list[int]:
    """Multipliers that make a sum of edge weights compare lexicographically by component.

    Component i's radix exceeds the largest possible total of all later
    components over a whole matching, so no amount of a lesser criterion can
    outweigh one unit of a greater one.
    """
    radices = [1] * len(maxima)
    for i in range(len(maxima) - 2, -1, -1):
        lower_total = sum(maxima[j] * radices[j] for j in range(i + 1, len(maxima)))
        radices[i] = edges_per_matching * lower_total + 1
    return radices


def _meetings_still_possible(timetable: _Timetable, candidate_id: CandidateId, number: int) -> int:
    """Upper bound on meetings a candidate can still have from round ``number`` on, given breaks."""
    busy = timetable.busy[candidate_id]
    run = 0
    while number - run - 1 >= 0 and busy[number - run - 1]:
        run += 1
    remaining = len(busy) - number
    return remaining - (run + remaining) // (timetable.problem.max_consecutive_rounds + 1)


def generate_schedule(problem: SchedulingProblem) -> Schedule:
    """Build the schedule with one maximum-weight matching per round (see the module docstring)."""
    timetable = _Timetable(problem)
    requests = _merged_requests(problem)
    kept, dropped = timetable.apply_pins()
    open_requests = [r for r in requests if r.pair not in timetable.met and timetable.allowed(*r.pair)]

    table_ids = list(timetable.tables)
    candidate_ids = list(timetable.candidates)
    table_index = {t: i for i, t in enumerate(table_ids)}
    candidate_index = {c: j for j, c in enumerate(candidate_ids)}
    rounds = problem.rounds
    # Components: mutual, one-sided, any request, mutual urgency, fairness, score.
    maxima = [1, 1, 1, 2 * rounds, rounds, 1000]
    radices = _radices(maxima, max(problem.table_capacity, 1))

    for number in range(rounds):
        capacity = problem.table_capacity - len(timetable.rounds[number])
        if capacity <= 0:
            continue
        mutual_left_per_table: Counter[TableId] = Counter()
        mutual_left_per_candidate: Counter[CandidateId] = Counter()
        for r in open_requests:
            if r.interest is Interest.MUTUAL:
                mutual_left_per_table[r.table_id] += 1
                mutual_left_per_candidate[r.candidate_id] += 1
        rounds_left = rounds - number
        edges: list[tuple[int, int, int]] = []
        for r in open_requests:
            if r.table_id in timetable.rounds[number] or not timetable.candidate_free(r.candidate_id, number):
                continue
            urgency = 0
            if r.interest is Interest.MUTUAL:
                table_slack = rounds_left - mutual_left_per_table[r.table_id]
                candidate_slack = (
                    _meetings_still_possible(timetable, r.candidate_id, number)
                    - mutual_left_per_candidate[r.candidate_id]
                )
                urgency = min(2 * rounds, max(0, rounds - min(table_slack, candidate_slack)))
            components = (
                int(r.interest is Interest.MUTUAL),
                int(r.interest is Interest.ONE_SIDED),
                1,
                urgency,
                rounds - sum(timetable.busy[r.candidate_id]),
                round(r.score * 1000),
            )
            weight = sum(c * radix for c, radix in zip(components, radices))
            edges.append((table_index[r.table_id], candidate_index[r.candidate_id], weight))
        matching = max_weight_matching(len(table_ids), len(candidate_ids), edges, max_size=capacity)
        for t, c in sorted(matching.items()):
            timetable.place(number, table_ids[t], candidate_ids[c])
        open_requests = [r for r in open_requests if r.pair not in timetable.met]
    return timetable.schedule(requests, kept, dropped)


def greedy_schedule(problem: SchedulingProblem) -> Schedule:
    """Baseline: each round, tables take turns (starting one further each round) picking their best open request.

    "Best" is highest interest, then highest score, then lowest candidate id.
    Same constraints and pins as :func:`generate_schedule`, no look-ahead.
    """
    timetable = _Timetable(problem)
    requests = _merged_requests(problem)
    kept, dropped = timetable.apply_pins()
    by_table: dict[TableId, list[MeetingRequest]] = {t: [] for t in timetable.tables}
    for r in requests:
        by_table[r.table_id].append(r)
    for wishes in by_table.values():
        wishes.sort(key=lambda r: (-r.interest, -r.score, _id_key(r.candidate_id)))
    table_ids = list(timetable.tables)
    for number in range(problem.rounds):
        shift = number % len(table_ids) if table_ids else 0
        for table_id in table_ids[shift:] + table_ids[:shift]:
            if not timetable.round_has_room(number):
                break
            for r in by_table[table_id]:
                if timetable.can_place(number, table_id, r.candidate_id):
                    timetable.place(number, table_id, r.candidate_id)
                    break
    return timetable.schedule(requests, kept, dropped)
