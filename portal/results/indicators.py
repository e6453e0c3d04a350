"""The monitoring indicators: SQL aggregates only (GROUP BY), never a person in a Python loop.

Every function takes a `Filters` (period, municipality, breakdown) and returns an `Indicator`
whose `table` holds counts per row and column, already passed through
`portal.results.suppression.suppress`. The definitions of what each figure counts are in
`portal.results.definitions` (one entry per indicator key); keep the two in step.

No Flask here: the functions only need the database session.
"""
from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, exists, func, literal, or_, select, true, union
from sqlalchemy.sql.expression import ColumnElement, Select

from portal.accounts.models import Organisation, OrganisationStatus
from portal.candidates.models import Candidate, CandidateLanguage, Consent, Gender, Interest
from portal.candidates.video_models import VideoProfile, VideoState
from portal.core import db
from portal.events.followups import FollowUp, Outcome, SourceKind
from portal.events.models import (
    BookingStatus, CandidateRegistration, EmployerRegistration, Event, EventStatus, ScheduleSlot,
)
from portal.placements.models import Placement, PlacementType
from portal.results import sql
from portal.results.facts import BEFORE_FIRST_YEAR, NEVER
from portal.results.periods import Period, quarter_label
from portal.results.suppression import Table, suppress

TOTAL = "__total__"
UNKNOWN = "__unknown__"

#: Breakdowns ("uitsplitsen naar").
DIMENSIONS = ("municipality", "type", "sector", "cohort")

#: Months after the start at which "still in work or placement" is measured, and the days they stand for.
RETENTION_MONTHS = {3: 91, 6: 182, 12: 365}
#: A start "came from" an event when it began within this many days after the event.
EVENT_START_WINDOW_DAYS = 91

HAS_TRAJECTS = importlib.util.find_spec("portal.trajects") is not None
HAS_AFTERCARE = importlib.util.find_spec("portal.aftercare") is not None


@dataclass(frozen=True)
class Filters:
    period: Period
    municipality: str | None = None
    breakdown: str | None = None


@dataclass
class Indicator:
    key: str
    table: Table
    row_labels: dict[Hashable, str] = field(default_factory=dict)
    column_labels: dict[Hashable, str] = field(default_factory=dict)
    #: Set when the chosen breakdown does not apply to this table (it shows the total only).
    breakdown_ignored: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def row_label(self, row: Hashable) -> str:
        return self.row_labels.get(row, str(row))

    def column_label(self, column: Hashable) -> str:
        return self.column_labels.get(column, str(column))


# --- dimensions --------------------------------------------------------------------------------

def _placement_dimension(name: str | None) -> ColumnElement | None:
    if name == "type":
        return Placement.type
    if name == "sector":
        return Placement.sector
    return None


def dimension_label(name: str, value: Any, labeller: Callable[[str, Any], str] | None = None) -> str:
    if value is None or value == UNKNOWN:
        return "Onbekend"
    if labeller is not None:
        return labeller(name, value)
    return str(value)


def _rows_with_total(values: Iterable[Hashable]) -> list[Hashable]:
    rows = sorted({v if v is not None else UNKNOWN for v in values}, key=lambda v: (v == UNKNOWN, str(v)))
    return [*rows, TOTAL]


def _grouped(query: Select, dimension: ColumnElement | None, *, partition: bool = True) -> dict[Hashable, int]:
    """Run a COUNT query with an optional GROUP BY on the dimension: {row: count} plus TOTAL.

    When every counted thing falls in exactly one row (`partition`), TOTAL is the sum of the rows
    and no second query runs."""
    counts: dict[Hashable, int] = {}
    if dimension is not None:
        grouped = query.add_columns(dimension.label("dim")).group_by(dimension)
        for row in db.session.execute(grouped).all():
            key = row[-1] if row[-1] is not None else UNKNOWN
            if hasattr(key, "value"):
                key = key.value
            counts[key] = counts.get(key, 0) + row[0]
        if partition:
            counts[TOTAL] = sum(counts.values())
            return counts
    counts[TOTAL] = db.session.scalar(query) or 0
    return counts


def _table(columns: list[Hashable], per_column: dict[Hashable, dict[Hashable, int]], *, partition: bool = True,
           row_total: Hashable | None = None, ratios: dict | None = None, people: bool = True) -> Table:
    rows = _rows_with_total(k for counts in per_column.values() for k in counts if k != TOTAL)
    values: dict[tuple[Hashable, Hashable], int | None] = {}
    for column in columns:
        counts = per_column.get(column)
        for row in rows:
            values[(row, column)] = None if counts is None else counts.get(row, 0)
    table = Table(rows=rows, columns=columns, values=values, row_total=row_total,
                  column_total=TOTAL if partition and len(rows) > 1 else None, ratios=ratios or {})
    if not people:
        table.hidden, table.suppressed = {}, True
        return table
    return suppress(table)


# --- candidates ----------------------------------------------------------------------------------

def candidates(filters: Filters) -> Indicator:
    """Active, published and with a video from the cube; consent (valid on a moment, so not in the
    cube) counted over the facts with a semi-join on the consents."""
    C = _cube()
    period = filters.period
    dimension = _cube_dimension(filters.breakdown) if filters.breakdown in ("municipality", "cohort") else None
    first, last = _quarter_keys(period)
    registered = C.created_q <= last
    per_column = _fact_counts({
        "active": and_(registered, C.paused.is_(False)),
        "published": C.cohort.between(first, last),
        "video": and_(registered, C.video_q != NEVER, C.video_q <= last),
    }, [], dimension, filters, source=C)
    per_column["consent"] = _consent_counts(period, filters)
    columns = ["active", "published", "consent", "video"]
    return Indicator("candidates", _table(columns, per_column), breakdown_ignored=_ignored(filters, dimension))


def _consent_counts(period: Period, filters: Filters) -> dict[Hashable, int]:
    """Candidates registered before the period's end with a valid consent on its reference moment:
    one count over the disjoint consent spans (a candidate is in at most one span on a moment)."""
    from portal.results.consent_spans import ConsentSpan as S  # noqa: PLC0415

    _facts()  # complete
    moment = period.reference_moment
    dimension = {"municipality": S.municipality, "cohort": S.cohort}.get(filters.breakdown or "")
    counts = _fact_counts({"consent": true()}, [S.registered_at < period.ends_at, S.valid_from <= moment,
                                                S.valid_until > moment], dimension, filters, source=S, weight=1)
    return counts["consent"]


def _ignored(filters: Filters, dimension: Any) -> bool:
    return bool(filters.breakdown) and dimension is None


# --- the funnel --------------------------------------------------------------------------------

def _traject_models() -> Any:
    from portal.trajects import models  # noqa: PLC0415 (optional until the trajects area exists)

    return models


def _funnel_conditions() -> dict[str, Any]:
    """Per funnel step, a condition on Candidate: reached the step at any time (up to now)."""
    conditions: dict[str, Any] = {
        "published": Candidate.first_published_at.is_not(None),
        "interest": exists().where(Interest.candidate_id == Candidate.id),
        "met": exists().where(FollowUp.candidate_id == Candidate.id, FollowUp.outcome != Outcome.NO_SHOW),
        "proposed": literal(False),
        "started": literal(False),
    }
    if HAS_TRAJECTS:
        m = _traject_models()
        reached_met = exists().where(
            m.Traject.candidate_id == Candidate.id, m.TrajectStageChange.traject_id == m.Traject.id,
            m.TrajectStageChange.to_stage.in_(("met", "trial", "started", "finished")),
        )
        conditions["interest"] = or_(conditions["interest"], exists().where(
            m.Traject.candidate_id == Candidate.id, m.Traject.source == "employer_interest"))
        conditions["met"] = or_(conditions["met"], reached_met)
        conditions["proposed"] = exists().where(m.Proposal.candidate_id == Candidate.id)
        conditions["started"] = exists().where(m.Traject.candidate_id == Candidate.id,
                                               m.PlacementStart.traject_id == m.Traject.id)
    return conditions


FUNNEL_STEPS = ("published", "interest", "met", "proposed", "started")


def funnel(filters: Filters) -> Indicator:
    """The cohort of candidates first published in the period, and how far each got (until today):
    the steps from the cube, the months in work (which depend on today) from the facts of those with
    a first start long enough ago."""
    C, F = _cube(), _facts()
    dimension = _cube_dimension(filters.breakdown) if filters.breakdown in ("municipality", "cohort") else None
    first, last = _quarter_keys(filters.period)
    measures: dict[str, Any] = {
        "published": true(), "interest": C.has_interest, "met": C.has_met, "proposed": C.has_proposal,
        "started": C.start_q != NEVER,
    }
    per_column = _fact_counts(measures, [C.cohort.between(first, last)], dimension, filters, source=C)
    if HAS_TRAJECTS:
        today = dt.date.today()
        retention: dict[str, Any] = {}
        for months, days in RETENTION_MONTHS.items():
            measurable = F.first_start_date <= today - dt.timedelta(days=days)
            retention[f"measurable_{months}"] = measurable
            retention[f"work_{months}"] = and_(measurable, getattr(F, f"work_{months}"))
        shortest = min(RETENTION_MONTHS.values())
        cohort = [F.first_published_at >= filters.period.starts_at, F.first_published_at < filters.period.ends_at,
                  F.first_start_date <= today - dt.timedelta(days=shortest)]
        per_column.update(_fact_counts(retention, cohort, _fact_dimension(filters.breakdown) if dimension is not None
                                       else None, filters))
        measures.update(retention)
    table = _table(list(measures), per_column)
    conversions = {}
    for previous, step in zip(FUNNEL_STEPS, FUNNEL_STEPS[1:]):
        conversions[step] = ((TOTAL, step), (TOTAL, previous))
    for months in RETENTION_MONTHS:
        conversions[f"work_{months}"] = ((TOTAL, f"work_{months}"), (TOTAL, f"measurable_{months}"))
    return Indicator("funnel", table, breakdown_ignored=_ignored(filters, dimension),
                     extra={"conversions": conversions})


def conversion(indicator: Indicator, step: str) -> float | None:
    """The share of a funnel step against the step before it, or None when it may not be shown."""
    numerator, denominator = indicator.extra["conversions"][step]
    table = indicator.table
    if numerator in table.hidden or denominator in table.hidden:
        return None
    top, bottom = table.values.get(numerator), table.values.get(denominator)
    if top is None or not bottom or bottom < 5:
        return None
    return top / bottom


def _first_start_date() -> Any:
    m = _traject_models()
    return (select(func.min(m.PlacementStart.start_date))
            .join(m.Traject, m.Traject.id == m.PlacementStart.traject_id)
            .where(m.Traject.candidate_id == Candidate.id).correlate(Candidate).scalar_subquery())


def _in_work_on_day_after_first_start() -> Callable[[int], Any]:
    """A condition builder on Candidate: in work or a placement on the day N days after the first start."""
    m = _traject_models()
    first_start = _first_start_date()

    def condition(days: int) -> Any:
        on_day = sql.days_after(first_start, days)
        return and_(first_start.is_not(None), exists().where(
            m.Traject.candidate_id == Candidate.id, m.PlacementStart.traject_id == m.Traject.id,
            m.PlacementStart.start_date <= on_day,
            or_(m.Traject.closed_at.is_(None), func.date(m.Traject.closed_at) >= on_day, _continues_after_end(m)),
        ))

    return condition


def _language_conditions() -> tuple[Any, Any]:
    from portal.results import aftercare_adapter  # noqa: PLC0415

    return aftercare_adapter.language_conditions(_traject_models())


def _facts() -> Any:
    from portal.results.facts import CandidateFacts, ensure_complete  # noqa: PLC0415

    ensure_complete()
    return CandidateFacts


def _fact_dimension(name: str | None) -> Any:
    F = _facts()
    return {"municipality": F.municipality, "cohort": F.cohort, "gender": F.gender}.get(name or "")


def _cube() -> Any:
    from portal.results.facts import CandidateCube, ensure_complete  # noqa: PLC0415

    ensure_complete()
    return CandidateCube


def _quarter_keys(period: Period) -> tuple[int, int]:
    """The period's first and last quarter as cube keys (year * 10 + quarter)."""
    quarters = period.quarters
    return quarters[0][0] * 10 + quarters[0][1], quarters[-1][0] * 10 + quarters[-1][1]


def _cube_dimension(name: str | None) -> Any:
    """A breakdown on the cube, spelled as on the facts: never published (no cohort) and an unknown
    gender are empty, shown as "Onbekend"."""
    C = _cube()
    return {"municipality": C.municipality, "cohort": case((C.cohort > BEFORE_FIRST_YEAR, C.cohort)),
            "gender": func.nullif(C.gender, "")}.get(name or "")


def _fact_counts(measures: dict[str, Any], where: list[Any], dimension: Any,
                 filters: Filters, *, source: Any = None, weight: Any = None) -> dict[str, dict[Hashable, int]]:
    """One query over the facts table (or another summary `source` with a `municipality` column;
    the cube's rows count `n` candidates each): per measure, the number of candidates per row
    (+ TOTAL, the sum of the rows: every candidate is in exactly one row of these dimensions)."""
    F = source if source is not None else _facts()
    if weight is None:
        weight = F.n if source is not None else 1
    columns = [func.sum(case((condition, weight), else_=0)) for condition in measures.values()]
    query = select(*columns).select_from(F).where(*where)
    if filters.municipality:
        query = query.where(F.municipality == filters.municipality)
    out: dict[str, dict[Hashable, int]] = {key: {} for key in measures}
    if dimension is not None:
        query = query.add_columns(dimension).group_by(dimension)
    for row in db.session.execute(query).all():
        key = TOTAL if dimension is None else (row[-1] if row[-1] is not None else UNKNOWN)
        for index, measure in enumerate(measures):
            value = int(row[index] or 0)
            out[measure][key] = out[measure].get(key, 0) + value
            if dimension is not None:
                out[measure][TOTAL] = out[measure].get(TOTAL, 0) + value
    for counts in out.values():
        counts.setdefault(TOTAL, 0)
    return out


def _continues_after_end(m: Any) -> Any:
    """A finished traject whose end result is a contract or an extension: the work goes on."""
    if not HAS_AFTERCARE:
        return literal(False)
    from portal.results import aftercare_adapter  # noqa: PLC0415

    return aftercare_adapter.work_continues(m.Traject.id)


# --- starts and results -------------------------------------------------------------------------

def _start_facts() -> Any:
    from portal.results.facts import StartFacts, ensure_complete  # noqa: PLC0415

    ensure_complete()
    return StartFacts


def _start_fact_dimension(name: str | None) -> Any:
    S = _start_facts()
    return {"type": S.placement_type, "sector": S.sector, "municipality": S.municipality, "cohort": S.cohort}.get(name or "")


def starts(filters: Filters) -> Indicator:
    """Starts whose start date lies in the period, by placement type (or the chosen breakdown)."""
    if not HAS_TRAJECTS:
        return Indicator("starts", _table(["starts"], {"starts": {}}))
    S = _start_facts()
    breakdown = filters.breakdown or "type"
    query = (select(func.count()).select_from(S)
             .where(S.start_date >= filters.period.first, S.start_date <= filters.period.last))
    if filters.municipality:
        query = query.where(S.municipality == filters.municipality)
    counts = _grouped(query, _start_fact_dimension(breakdown))
    if breakdown == "type":
        for t in PlacementType:
            counts.setdefault(t.value, 0)
    return Indicator("starts", _table(["starts"], {"starts": counts}), extra={"breakdown": breakdown})


def starts_per_quarter(filters: Filters) -> Indicator:
    """Starts per quarter of the period's year (the chart); a start counts in the quarter of its start date."""
    year = filters.period.year
    counts: dict[Hashable, int] = {q: 0 for q in (1, 2, 3, 4)}
    if HAS_TRAJECTS:
        S = _start_facts()
        key = case(*((S.start_date < Period(year, q).after, year * 10 + q) for q in (1, 2, 3)), else_=year * 10 + 4)
        query = (select(key, func.count()).select_from(S)
                 .where(S.start_date >= dt.date(year, 1, 1), S.start_date <= dt.date(year, 12, 31))
                 .group_by(key))
        if filters.municipality:
            query = query.where(S.municipality == filters.municipality)
        for quarter_key, count in db.session.execute(query).all():
            if quarter_key is not None:
                counts[quarter_key % 10] = count
    rows = [1, 2, 3, 4, TOTAL]
    values = {(q, "starts"): counts[q] for q in (1, 2, 3, 4)}
    values[(TOTAL, "starts")] = sum(counts.values())
    table = suppress(Table(rows=rows, columns=["starts"], values=values, column_total=TOTAL))
    return Indicator("starts_per_quarter", table, row_labels={q: quarter_label(year, q) for q in (1, 2, 3, 4)})


def results(filters: Filters) -> Indicator:
    """Trajects that ended in the period (after a start), by placement type and result: one query."""
    columns = ["contract", "extension", "education", "stopped", "other"]
    if not HAS_TRAJECTS:
        return Indicator("results", _table([*columns, TOTAL], {c: {} for c in [*columns, TOTAL]}, row_total=TOTAL))
    S = _start_facts()
    query = (select(S.placement_type, S.result, func.count())
             .where(S.ended_at >= filters.period.starts_at, S.ended_at < filters.period.ends_at)
             .group_by(S.placement_type, S.result))
    if filters.municipality:
        query = query.where(S.municipality == filters.municipality)
    per_column: dict[Hashable, dict[Hashable, int]] = {c: {} for c in [*columns, TOTAL]}
    for row, column, count in db.session.execute(query).all():
        column = column if column in per_column else "other"
        for col in (column, TOTAL):
            per_column[col][row] = per_column[col].get(row, 0) + count
            per_column[col][TOTAL] = per_column[col].get(TOTAL, 0) + count
    for counts in per_column.values():
        counts.setdefault(TOTAL, 0)
        for t in PlacementType:
            counts.setdefault(t.value, 0)
    return Indicator("results", _table([*columns, TOTAL], per_column, row_total=TOTAL))


def stop_reasons(filters: Filters) -> Indicator:
    """Why started trajects stopped, for those stopped in the period."""
    if not HAS_TRAJECTS:
        return Indicator("stop_reasons", _table(["stopped"], {"stopped": {}}))
    S = _start_facts()
    query = (select(func.count()).select_from(S)
             .where(S.stopped.is_(True), S.ended_at >= filters.period.starts_at, S.ended_at < filters.period.ends_at))
    if filters.municipality:
        query = query.where(S.municipality == filters.municipality)
    counts = _grouped(query, S.stop_reason)
    return Indicator("stop_reasons", _table(["stopped"], {"stopped": counts}))


# --- time to the first start -----------------------------------------------------------------

def median_days(filters: Filters) -> Indicator:
    """Median days from the first publication to the first start, for candidates whose first
    start lies in the period. SQL groups the candidates by their number of days (a histogram); the
    median is read from those counts."""
    from portal.results.facts import ensure_complete  # noqa: PLC0415

    ensure_complete()
    F = _facts()
    dimension = _fact_dimension(filters.breakdown) if filters.breakdown in ("municipality", "cohort") else None
    histograms: dict[Hashable, dict[int, int]] = {}
    columns = [F.days_to_first_start, func.count()]
    if dimension is not None:
        columns.append(dimension)
    query = (select(*columns).where(F.first_published_at.is_not(None), F.days_to_first_start.is_not(None),
                                    F.first_start_date >= filters.period.first, F.first_start_date <= filters.period.last)
             .group_by(F.days_to_first_start, *([dimension] if dimension is not None else [])))
    if filters.municipality:
        query = query.where(F.municipality == filters.municipality)
    for row in db.session.execute(query).all():
        value, count = row[0], row[1]
        keys = [TOTAL] + ([row[2] if row[2] is not None else UNKNOWN] if dimension is not None else [])
        for key in keys:
            bucket = histograms.setdefault(key, {})
            bucket[int(value)] = bucket.get(int(value), 0) + count
    rows = _rows_with_total(k for k in histograms if k != TOTAL)
    counts = {row: sum(histograms.get(row, {}).values()) for row in rows}
    values: dict[tuple[Hashable, Hashable], int | None] = {(row, "candidates"): counts[row] for row in rows}
    table = suppress(Table(rows=rows, columns=["candidates", "median"], values=values,
                           column_total=TOTAL if len(rows) > 1 else None))
    medians = {}
    for row in rows:
        hidden = (row, "candidates") in table.hidden or counts[row] < 5
        medians[row] = None if hidden else median_of(histograms.get(row, {}))
        table.values[(row, "median")] = None
    return Indicator("median_days", table, breakdown_ignored=_ignored(filters, dimension), extra={"medians": medians})


def median_of(histogram: dict[int, int]) -> float | None:
    """The median of values given as {value: how many}."""
    total = sum(histogram.values())
    if total == 0:
        return None
    ordered = sorted(histogram.items())

    def nth(n: int) -> int:
        seen = 0
        for value, count in ordered:
            seen += count
            if n < seen:
                return value
        raise AssertionError("unreachable")

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


# --- meet-and-greets ---------------------------------------------------------------------------

def events(filters: Filters) -> Indicator:
    """Per meet-and-greet held in the period: tables, candidates, speed dates, follow-ups, starts."""
    period = filters.period
    event_rows = db.session.execute(
        select(Event.id, Event.title, Event.starts_at)
        .where(Event.starts_at >= period.starts_at, Event.starts_at < period.ends_at,
               Event.status.in_((EventStatus.PUBLISHED, EventStatus.CLOSED)))
        .order_by(Event.starts_at, Event.id)
    ).all()
    ids = [row.id for row in event_rows]
    municipality = [Candidate.municipality == filters.municipality] if filters.municipality else []

    def per_event(query: Select) -> dict[Hashable, int]:
        found = dict(db.session.execute(query).all()) if ids else {}
        return {event_id: found.get(event_id, 0) for event_id in ids}

    tables = per_event(select(EmployerRegistration.event_id, func.count(EmployerRegistration.id))
                       .where(EmployerRegistration.event_id.in_(ids), EmployerRegistration.status == BookingStatus.CONFIRMED)
                       .group_by(EmployerRegistration.event_id))
    place = (select(CandidateRegistration.event_id, func.count(CandidateRegistration.id))
             .join(Candidate, Candidate.id == CandidateRegistration.candidate_id)
             .where(CandidateRegistration.event_id.in_(ids), CandidateRegistration.status == BookingStatus.CONFIRMED,
                    *municipality).group_by(CandidateRegistration.event_id))
    registered = per_event(place)
    held = per_event(select(ScheduleSlot.event_id, func.count(ScheduleSlot.id))
                     .join(CandidateRegistration, CandidateRegistration.id == ScheduleSlot.candidate_registration_id)
                     .join(Candidate, Candidate.id == CandidateRegistration.candidate_id)
                     .where(ScheduleSlot.event_id.in_(ids), ScheduleSlot.outcome.is_not(None),
                            ScheduleSlot.outcome != Outcome.NO_SHOW.value, *municipality)
                     .group_by(ScheduleSlot.event_id))
    follow_ups = per_event(select(ScheduleSlot.event_id, func.count(FollowUp.id))
                           .join(ScheduleSlot, and_(FollowUp.source_kind == SourceKind.EVENT_MEETING,
                                                    FollowUp.source_ref == ScheduleSlot.id))
                           .join(Candidate, Candidate.id == FollowUp.candidate_id)
                           .where(ScheduleSlot.event_id.in_(ids), FollowUp.outcome.in_(
                               (Outcome.INTERESTED_PLACEMENT, Outcome.INTERESTED_TAALSTAGE, Outcome.FOLLOW_UP)),
                               *municipality)
                           .group_by(ScheduleSlot.event_id))
    started = {event_id: 0 for event_id in ids}
    if HAS_TRAJECTS and ids:
        S = _start_facts()
        event_day = func.date(Event.starts_at)
        query = (select(Event.id, func.count(func.distinct(S.start_id)))
                 .select_from(Event)
                 .join(CandidateRegistration, and_(CandidateRegistration.event_id == Event.id,
                                                   CandidateRegistration.status == BookingStatus.CONFIRMED))
                 .join(EmployerRegistration, and_(EmployerRegistration.event_id == Event.id,
                                                  EmployerRegistration.status == BookingStatus.CONFIRMED))
                 .join(S, and_(S.candidate_id == CandidateRegistration.candidate_id,
                               S.organisation_id == EmployerRegistration.organisation_id))
                 .where(Event.id.in_(ids), S.start_date >= event_day,
                        S.start_date <= sql.days_after(event_day, EVENT_START_WINDOW_DAYS),
                        *([S.municipality == filters.municipality] if filters.municipality else []))
                 .group_by(Event.id))
        started = per_event(query)
    columns = ["tables", "candidates", "speed_dates", "follow_ups", "starts"]
    data = {"tables": tables, "candidates": registered, "speed_dates": held, "follow_ups": follow_ups, "starts": started}
    values = {(event_id, column): data[column][event_id] for event_id in ids for column in columns}
    table = Table(rows=ids, columns=columns, values=values)
    # Tables are organisations, not people: never hidden.
    suppress(table)
    table.hidden = {key: why for key, why in table.hidden.items() if key[1] != "tables"}
    labels = {row.id: row.title for row in event_rows}
    return Indicator("events", table, row_labels=labels, extra={"dates": {row.id: row.starts_at for row in event_rows}})


# --- employers ---------------------------------------------------------------------------------

def employers(filters: Filters) -> Indicator:
    """Organisations and their placements (no people: nothing is hidden)."""
    period = filters.period
    dimension = _placement_dimension(filters.breakdown) if filters.breakdown in ("type", "sector") else (
        Placement.municipality if filters.breakdown == "municipality" else None)
    published = and_(Placement.published_at >= period.starts_at, Placement.published_at < period.ends_at)
    base = select().select_from(Placement).join(Organisation, Organisation.id == Placement.organisation_id).where(
        Organisation.status == OrganisationStatus.APPROVED)
    if filters.municipality:
        base = base.where(Placement.municipality == filters.municipality)

    # One pass over the period's published placements for all four columns (the starts per
    # placement up to the period's end joined as one grouped subquery); the organisations' total
    # is a second, ungrouped count when there is a breakdown (an organisation may be in several rows).
    lowered = func.sum(case((Placement.dutch_lowered_with_helper.is_(True), 1), else_=0))
    placements = base
    if HAS_TRAJECTS:
        S = _start_facts()
        starts_of = (select(S.placement_id, func.count().label("n")).where(S.start_date < period.after)
                     .group_by(S.placement_id).subquery())
        base = base.outerjoin(starts_of, starts_of.c.placement_id == Placement.id)
        filled = func.sum(case((starts_of.c.n >= Placement.places, 1), else_=0))
    else:
        filled = literal(0)
    organisations = func.count(func.distinct(Placement.organisation_id))
    query = base.add_columns(organisations, func.count(Placement.id), filled, lowered).where(published)
    names = ("organisations", "published", "filled", "lowered")
    per_column: dict[Hashable, dict[Hashable, int]] = {name: {} for name in names}
    if dimension is not None:
        query = query.add_columns(dimension).group_by(dimension)
    for row in db.session.execute(query).all():
        key = TOTAL
        if dimension is not None:
            key = row[-1] if row[-1] is not None else UNKNOWN
            key = getattr(key, "value", key)
        for name, value in zip(names, row):
            per_column[name][key] = per_column[name].get(key, 0) + int(value or 0)
            if dimension is not None and name != "organisations":
                per_column[name][TOTAL] = per_column[name].get(TOTAL, 0) + int(value or 0)
    if dimension is not None:
        per_column["organisations"][TOTAL] = db.session.scalar(placements.add_columns(organisations).where(published)) or 0
    for counts in per_column.values():
        counts.setdefault(TOTAL, 0)
    columns = ["organisations", "published", "filled", "lowered"]
    return Indicator("employers", _table(columns, per_column, partition=dimension is not None and filters.breakdown != "sector",
                                         people=False),
                     breakdown_ignored=bool(filters.breakdown) and dimension is None)


# --- language ----------------------------------------------------------------------------------

def language(filters: Filters) -> Indicator:
    """Of the candidates whose first start lies in the period: how many have a check-in with Dutch
    levels, and how many rose in at least one skill against their intake."""
    C = _cube()
    dimension = _cube_dimension(filters.breakdown) if filters.breakdown in ("municipality", "cohort") else None
    first, last = _quarter_keys(filters.period)
    per_column = _fact_counts({"started": true(), "measured": C.language_measured,
                               "rose": and_(C.language_measured, C.language_rose)}, [C.start_q.between(first, last)],
                              dimension, filters, source=C)
    return Indicator("language", _table(["started", "measured", "rose"], per_column),
                     breakdown_ignored=_ignored(filters, dimension))


def language_share(indicator: Indicator, row: Hashable = TOTAL) -> float | None:
    table = indicator.table
    top, bottom = (row, "rose"), (row, "measured")
    if top in table.hidden or bottom in table.hidden:
        return None
    measured = table.values.get(bottom) or 0
    if measured < 5:
        return None
    return (table.values.get(top) or 0) / measured


# --- gender ------------------------------------------------------------------------------------

def gender(filters: Filters) -> Indicator:
    """Participation by gender (aggregates only): active, first published in the period, first start in the period."""
    C = _cube()
    first, last = _quarter_keys(filters.period)
    measures = {
        "active": and_(C.created_q <= last, C.paused.is_(False)),
        "published": C.cohort.between(first, last),
        "started": C.start_q.between(first, last),
    }
    per_column = _fact_counts(measures, [], _cube_dimension("gender"), filters, source=C)
    for counts in per_column.values():
        for g in Gender:
            counts.setdefault(g.value, 0)
    return Indicator("gender", _table(list(measures), per_column))


# --- all of it -----------------------------------------------------------------------------------

ALL: dict[str, Callable[[Filters], Indicator]] = {
    "candidates": candidates,
    "funnel": funnel,
    "starts": starts,
    "starts_per_quarter": starts_per_quarter,
    "results": results,
    "stop_reasons": stop_reasons,
    "median_days": median_days,
    "events": events,
    "employers": employers,
    "language": language,
    "gender": gender,
}


def municipalities() -> list[str]:
    """The municipalities to choose from (those of candidates: a name, no person)."""
    from portal.results.facts import CandidateFacts, ensure_complete  # noqa: PLC0415

    ensure_complete()
    # The facts table holds every candidate's municipality, indexed: walk the index from one name to
    # the next (a few probes) instead of reading every row for a DISTINCT.
    F = CandidateFacts
    names = select(func.min(F.municipality).label("name")).cte("names", recursive=True)
    following = (select(func.min(F.municipality)).where(F.municipality > names.c.name)
                 .scalar_subquery())
    names = names.union_all(select(following).where(names.c.name.is_not(None)))
    return [n for n in db.session.scalars(select(names.c.name)) if n is not None]


def compute(filters: Filters, keys: Iterable[str] | None = None) -> dict[str, Indicator]:
    return {key: ALL[key](filters) for key in (keys or ALL)}


__all__ = ["ALL", "DIMENSIONS", "Filters", "Indicator", "TOTAL", "UNKNOWN", "compute", "union"]
