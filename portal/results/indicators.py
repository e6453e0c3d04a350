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

from sqlalchemy import and_, exists, func, literal, or_, select, union
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

def _candidate_dimension(name: str | None) -> ColumnElement | None:
    if name == "municipality":
        return Candidate.municipality
    if name == "cohort":
        return sql.quarter_key(Candidate.first_published_at, is_date=False)
    return None


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


def _grouped(query: Select, dimension: ColumnElement | None) -> dict[Hashable, int]:
    """Run a COUNT query with an optional GROUP BY on the dimension: {row: count} plus TOTAL."""
    counts: dict[Hashable, int] = {}
    if dimension is not None:
        grouped = query.add_columns(dimension.label("dim")).group_by(dimension)
        for row in db.session.execute(grouped).all():
            key = row[-1] if row[-1] is not None else UNKNOWN
            if hasattr(key, "value"):
                key = key.value
            counts[key] = counts.get(key, 0) + row[0]
    counts[TOTAL] = db.session.scalar(query) or 0
    return counts


def _distinct_candidates(*conditions: Any, filters: Filters, joins: Iterable[tuple[Any, Any]] = ()) -> Select:
    query = select(func.count(func.distinct(Candidate.id))).select_from(Candidate)
    for target, on in joins:
        query = query.join(target, on)
    if filters.municipality:
        query = query.where(Candidate.municipality == filters.municipality)
    return query.where(*conditions)


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

def _valid_consent_at(moment: dt.datetime) -> Any:
    return exists().where(
        Consent.candidate_id == Candidate.id, Consent.recorded_at <= moment, Consent.expires_at > moment,
        or_(Consent.withdrawn_at.is_(None), Consent.withdrawn_at > moment),
        or_(Consent.superseded_at.is_(None), Consent.superseded_at > moment),
    )


def _first_published_in(period: Period) -> Any:
    return and_(Candidate.first_published_at >= period.starts_at, Candidate.first_published_at < period.ends_at)


def candidates(filters: Filters) -> Indicator:
    period = filters.period
    dimension = _candidate_dimension(filters.breakdown)
    moment = period.reference_moment
    registered = Candidate.created_at < period.ends_at
    columns = ["active", "published", "consent", "video"]
    per_column = {
        "active": _grouped(_distinct_candidates(registered, Candidate.status != "paused", filters=filters), dimension),
        "published": _grouped(_distinct_candidates(_first_published_in(period), filters=filters), dimension),
        "consent": _grouped(_distinct_candidates(registered, _valid_consent_at(moment), filters=filters), dimension),
        "video": _grouped(_distinct_candidates(
            registered, exists().where(VideoProfile.candidate_id == Candidate.id, VideoProfile.state == VideoState.READY,
                                       VideoProfile.processed_at < period.ends_at),
            filters=filters), dimension),
    }
    return Indicator("candidates", _table(columns, per_column), breakdown_ignored=_ignored(filters, dimension))


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
    """The cohort of candidates first published in the period, and how far each got (until today)."""
    dimension = _candidate_dimension(filters.breakdown)
    cohort = _first_published_in(filters.period)
    conditions = _funnel_conditions()
    per_column = {step: _grouped(_distinct_candidates(cohort, conditions[step], filters=filters), dimension)
                  for step in FUNNEL_STEPS}
    retention = _retention_counts(filters, dimension, cohort)
    per_column.update(retention)
    columns = [*FUNNEL_STEPS, *retention.keys()]
    table = _table(columns, per_column)
    # Conversions: each step against the one before it (hidden when either count is hidden).
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


def _retention_counts(filters: Filters, dimension: Any, cohort: Any) -> dict[str, dict[Hashable, int]]:
    """Per N months: started candidates whose first start lies N months back (measurable), and of
    those, how many were in work or a placement on that day."""
    if not HAS_TRAJECTS:
        return {}
    m = _traject_models()
    today = dt.date.today()
    first_start = _first_start_date()
    out: dict[str, dict[Hashable, int]] = {}
    for months, days in RETENTION_MONTHS.items():
        measurable = and_(first_start.is_not(None), sql.days_after(first_start, days) <= today)
        on_day = sql.days_after(first_start, days)
        in_work = exists().where(
            m.Traject.candidate_id == Candidate.id, m.PlacementStart.traject_id == m.Traject.id,
            m.PlacementStart.start_date <= on_day,
            or_(m.Traject.closed_at.is_(None), func.date(m.Traject.closed_at) >= on_day, _continues_after_end(m)),
        )
        out[f"measurable_{months}"] = _grouped(_distinct_candidates(cohort, measurable, filters=filters), dimension)
        out[f"work_{months}"] = _grouped(_distinct_candidates(cohort, measurable, in_work, filters=filters), dimension)
    return out


def _continues_after_end(m: Any) -> Any:
    """A finished traject whose end result is a contract or an extension: the work goes on."""
    if not HAS_AFTERCARE:
        return literal(False)
    from portal.results import aftercare_adapter  # noqa: PLC0415

    return aftercare_adapter.work_continues(m.Traject.id)


# --- starts and results -------------------------------------------------------------------------

def starts(filters: Filters) -> Indicator:
    """Starts whose start date lies in the period, by placement type (or the chosen breakdown)."""
    if not HAS_TRAJECTS:
        return Indicator("starts", _table(["starts"], {"starts": {}}))
    m = _traject_models()
    breakdown = filters.breakdown or "type"
    dimension = (m.PlacementStart.placement_type if breakdown == "type"
                 else _placement_dimension(breakdown) if breakdown == "sector" else _candidate_dimension(breakdown))
    query = (select(func.count(m.PlacementStart.id)).select_from(m.PlacementStart)
             .join(m.Traject, m.Traject.id == m.PlacementStart.traject_id)
             .join(Candidate, Candidate.id == m.Traject.candidate_id)
             .join(Placement, Placement.id == m.Traject.placement_id)
             .where(m.PlacementStart.start_date >= filters.period.first, m.PlacementStart.start_date <= filters.period.last))
    if filters.municipality:
        query = query.where(Candidate.municipality == filters.municipality)
    counts = _grouped(query, dimension)
    if breakdown == "type":
        for t in PlacementType:
            counts.setdefault(t.value, 0)
    return Indicator("starts", _table(["starts"], {"starts": counts}), extra={"breakdown": breakdown})


def starts_per_quarter(filters: Filters) -> Indicator:
    """Starts per quarter of the period's year (the chart); a start counts in the quarter of its start date."""
    year = filters.period.year
    counts: dict[Hashable, int] = {q: 0 for q in (1, 2, 3, 4)}
    if HAS_TRAJECTS:
        m = _traject_models()
        key = sql.quarter_key(m.PlacementStart.start_date, is_date=True)
        query = (select(key, func.count(m.PlacementStart.id)).select_from(m.PlacementStart)
                 .join(m.Traject, m.Traject.id == m.PlacementStart.traject_id)
                 .join(Candidate, Candidate.id == m.Traject.candidate_id)
                 .where(m.PlacementStart.start_date >= dt.date(year, 1, 1), m.PlacementStart.start_date <= dt.date(year, 12, 31))
                 .group_by(key))
        if filters.municipality:
            query = query.where(Candidate.municipality == filters.municipality)
        for quarter_key, count in db.session.execute(query).all():
            if quarter_key is not None:
                counts[quarter_key % 10] = count
    rows = [1, 2, 3, 4, TOTAL]
    values = {(q, "starts"): counts[q] for q in (1, 2, 3, 4)}
    values[(TOTAL, "starts")] = sum(counts.values())
    table = suppress(Table(rows=rows, columns=["starts"], values=values, column_total=TOTAL))
    return Indicator("starts_per_quarter", table, row_labels={q: quarter_label(year, q) for q in (1, 2, 3, 4)})


def results(filters: Filters) -> Indicator:
    """Trajects that ended in the period (after a start), by placement type and result."""
    columns = ["contract", "extension", "education", "stopped", "other"]
    if not HAS_TRAJECTS:
        return Indicator("results", _table([*columns, TOTAL], {c: {} for c in [*columns, TOTAL]}, row_total=TOTAL))
    m = _traject_models()
    from portal.results import aftercare_adapter  # noqa: PLC0415

    result = aftercare_adapter.result_expression(m)
    base = (select(func.count(m.Traject.id)).select_from(m.Traject)
            .join(m.PlacementStart, m.PlacementStart.traject_id == m.Traject.id)
            .join(Candidate, Candidate.id == m.Traject.candidate_id)
            .where(m.Traject.closed_at >= filters.period.starts_at, m.Traject.closed_at < filters.period.ends_at,
                   m.Traject.stage.in_(("finished", "stopped"))))
    if filters.municipality:
        base = base.where(Candidate.municipality == filters.municipality)
    per_column: dict[Hashable, dict[Hashable, int]] = {}
    for column in columns:
        per_column[column] = _grouped(base.where(result == column), m.PlacementStart.placement_type)
    per_column[TOTAL] = _grouped(base, m.PlacementStart.placement_type)
    for counts in per_column.values():
        for t in PlacementType:
            counts.setdefault(t.value, 0)
    return Indicator("results", _table([*columns, TOTAL], per_column, row_total=TOTAL))


def stop_reasons(filters: Filters) -> Indicator:
    """Why started trajects stopped, for those stopped in the period."""
    if not HAS_TRAJECTS:
        return Indicator("stop_reasons", _table(["stopped"], {"stopped": {}}))
    m = _traject_models()
    query = (select(func.count(m.Traject.id)).select_from(m.Traject)
             .join(m.PlacementStart, m.PlacementStart.traject_id == m.Traject.id)
             .join(Candidate, Candidate.id == m.Traject.candidate_id)
             .where(m.Traject.stage == "stopped", m.Traject.closed_at >= filters.period.starts_at,
                    m.Traject.closed_at < filters.period.ends_at))
    if filters.municipality:
        query = query.where(Candidate.municipality == filters.municipality)
    counts = _grouped(query, m.Traject.stop_reason)
    return Indicator("stop_reasons", _table(["stopped"], {"stopped": counts}))


# --- time to the first start -----------------------------------------------------------------

def median_days(filters: Filters) -> Indicator:
    """Median days from the first publication to the first start, for candidates whose first
    start lies in the period. SQL groups the candidates by their number of days (a histogram); the
    median is read from those counts."""
    dimension = _candidate_dimension(filters.breakdown)
    histograms: dict[Hashable, dict[int, int]] = {}
    if HAS_TRAJECTS:
        first_start = _first_start_date()
        days = sql.days_between(Candidate.first_published_at, first_start)
        conditions = [Candidate.first_published_at.is_not(None), first_start >= filters.period.first,
                      first_start <= filters.period.last]
        if filters.municipality:
            conditions.append(Candidate.municipality == filters.municipality)
        columns = [days.label("days"), func.count(Candidate.id)]
        if dimension is not None:
            columns.append(dimension.label("dim"))
        query = select(*columns).where(*conditions).group_by(days, *([dimension] if dimension is not None else []))
        for row in db.session.execute(query).all():
            value, count = row[0], row[1]
            if value is None:
                continue
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
        m = _traject_models()
        event_day = func.date(Event.starts_at)
        query = (select(Event.id, func.count(func.distinct(m.PlacementStart.id)))
                 .select_from(Event)
                 .join(CandidateRegistration, and_(CandidateRegistration.event_id == Event.id,
                                                   CandidateRegistration.status == BookingStatus.CONFIRMED))
                 .join(EmployerRegistration, and_(EmployerRegistration.event_id == Event.id,
                                                  EmployerRegistration.status == BookingStatus.CONFIRMED))
                 .join(m.Traject, and_(m.Traject.candidate_id == CandidateRegistration.candidate_id,
                                       m.Traject.organisation_id == EmployerRegistration.organisation_id))
                 .join(m.PlacementStart, m.PlacementStart.traject_id == m.Traject.id)
                 .join(Candidate, Candidate.id == m.Traject.candidate_id)
                 .where(Event.id.in_(ids), m.PlacementStart.start_date >= event_day,
                        m.PlacementStart.start_date <= sql.days_after(event_day, EVENT_START_WINDOW_DAYS), *municipality)
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

    def count(expression: Any, *conditions: Any) -> dict[Hashable, int]:
        return _grouped(base.add_columns(expression).where(*conditions), dimension)

    per_column = {
        "organisations": count(func.count(func.distinct(Placement.organisation_id)), published),
        "published": count(func.count(Placement.id), published),
        "lowered": count(func.count(Placement.id), published, Placement.dutch_lowered_with_helper.is_(True)),
    }
    if HAS_TRAJECTS:
        m = _traject_models()
        starts_of = (select(func.count(m.PlacementStart.id)).join(m.Traject, m.Traject.id == m.PlacementStart.traject_id)
                     .where(m.Traject.placement_id == Placement.id, m.PlacementStart.start_date < period.after)
                     .correlate(Placement).scalar_subquery())
        per_column["filled"] = count(func.count(Placement.id), published, starts_of >= Placement.places)
    else:
        per_column["filled"] = {TOTAL: 0}
    columns = ["organisations", "published", "filled", "lowered"]
    return Indicator("employers", _table(columns, per_column, partition=dimension is not None and filters.breakdown != "sector",
                                         people=False),
                     breakdown_ignored=bool(filters.breakdown) and dimension is None)


# --- language ----------------------------------------------------------------------------------

def language(filters: Filters) -> Indicator:
    """Of the candidates who started in the period: how many have a check-in with Dutch levels,
    and how many rose in at least one skill against their intake."""
    dimension = _candidate_dimension(filters.breakdown)
    per_column: dict[Hashable, dict[Hashable, int]] = {"started": {}, "measured": {}, "rose": {}}
    if HAS_TRAJECTS:
        m = _traject_models()
        started_in = exists().where(
            m.Traject.candidate_id == Candidate.id, m.PlacementStart.traject_id == m.Traject.id,
            m.PlacementStart.start_date >= filters.period.first, m.PlacementStart.start_date <= filters.period.last)
        per_column["started"] = _grouped(_distinct_candidates(started_in, filters=filters), dimension)
        if HAS_AFTERCARE:
            from portal.results import aftercare_adapter  # noqa: PLC0415

            measured, rose = aftercare_adapter.language_conditions(m)
            per_column["measured"] = _grouped(_distinct_candidates(started_in, measured, filters=filters), dimension)
            per_column["rose"] = _grouped(_distinct_candidates(started_in, rose, filters=filters), dimension)
    table = _table(["started", "measured", "rose"], per_column)
    return Indicator("language", table, breakdown_ignored=_ignored(filters, dimension))


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
    """Participation by gender (aggregates only): registered, published in the period, started in the period."""
    period = filters.period
    columns = ["active", "published", "started"]
    dimension = Candidate.gender
    per_column = {
        "active": _grouped(_distinct_candidates(Candidate.created_at < period.ends_at, Candidate.status != "paused",
                                                filters=filters), dimension),
        "published": _grouped(_distinct_candidates(_first_published_in(period), filters=filters), dimension),
        "started": {TOTAL: 0},
    }
    if HAS_TRAJECTS:
        m = _traject_models()
        started_in = exists().where(
            m.Traject.candidate_id == Candidate.id, m.PlacementStart.traject_id == m.Traject.id,
            m.PlacementStart.start_date >= period.first, m.PlacementStart.start_date <= period.last)
        per_column["started"] = _grouped(_distinct_candidates(started_in, filters=filters), dimension)
    for counts in per_column.values():
        for g in Gender:
            counts.setdefault(g.value, 0)
    return Indicator("gender", _table(columns, per_column))


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
    return list(db.session.scalars(select(Candidate.municipality).distinct().order_by(Candidate.municipality)))


def compute(filters: Filters, keys: Iterable[str] | None = None) -> dict[str, Indicator]:
    return {key: ALL[key](filters) for key in (keys or ALL)}


__all__ = ["ALL", "DIMENSIONS", "Filters", "Indicator", "TOTAL", "UNKNOWN", "compute", "union"]
