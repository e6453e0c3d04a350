"""From an indicator to what a person reads: labelled rows and cells of display strings.

The page, the CSV and the XLSX export all render `present(indicator, filters)`, so the figures
in a download are the figures on the page, suppression included.
"""
from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import format_date, format_decimal
from flask_babel import lazy_gettext as _l

from portal import reference
from portal.candidates.models import Gender
from portal.core.i18n import ui_locale
from portal.placements.models import PlacementType
from portal.results import indicators as ind
from portal.results.definitions import definition
from portal.results.periods import quarter_label
from portal.results.sql import split_quarter_key
from portal.results.suppression import PRIMARY_MARK, SECONDARY_MARK

DIMENSION_LABELS = {
    "municipality": _l("Gemeente"),
    "type": _l("Soort plek"),
    "sector": _l("Sector"),
    "cohort": _l("Cohort (kwartaal van eerste publicatie)"),
}


@dataclass
class Presented:
    key: str
    title: str
    row_heading: str
    columns: list[str]
    rows: list[tuple[str, list[str]]]
    note: str = ""
    #: Raw shown numbers per (row key, column key), None where hidden: for charts and summaries.
    numbers: dict[tuple[Hashable, Hashable], float | None] = field(default_factory=dict)
    row_keys: list[Hashable] = field(default_factory=list)
    column_keys: list[Hashable] = field(default_factory=list)


def value_label(dimension: str | None, value: Any) -> str:
    if value == ind.TOTAL:
        return str(_l("Totaal"))
    if value in (None, ind.UNKNOWN):
        return str(_l("Onbekend"))
    locale = ui_locale()
    if dimension == "type":
        return PlacementType(value).label if value in {t.value for t in PlacementType} else str(value)
    if dimension == "sector":
        return reference.sector(value).label(locale) if reference.is_sector(value) else str(value)
    if dimension == "cohort":
        year, quarter = split_quarter_key(int(value))
        return quarter_label(year, quarter)
    if dimension == "gender":
        return Gender(value).label
    if dimension == "stop_reason":
        from portal.trajects.models import StopReason

        return StopReason(value).label if value in {r.value for r in StopReason} else str(value)
    return str(value)


def _row_dimension(indicator: ind.Indicator, filters: ind.Filters) -> str | None:
    if indicator.key in ("results",):
        return "type"
    if indicator.key == "starts":
        return indicator.extra.get("breakdown")
    if indicator.key == "gender":
        return "gender"
    if indicator.key == "stop_reasons":
        return "stop_reason"
    if indicator.key in ("events", "starts_per_quarter"):
        return None
    return None if indicator.breakdown_ignored else filters.breakdown


def _percent(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{format_decimal(round(value * 100))}%"


def present(indicator: ind.Indicator, filters: ind.Filters) -> Presented:
    d = definition(indicator.key)
    table = indicator.table
    dimension = _row_dimension(indicator, filters)
    column_keys = list(table.columns)
    columns = [str(d.columns.get(str(c), c)) for c in column_keys]
    if indicator.key == "language":
        columns.append(str(_l("Aandeel gestegen")))
    if indicator.key == "events":
        columns.insert(0, str(_l("Datum")))
    rows = []
    numbers: dict[tuple[Hashable, Hashable], float | None] = {}
    for row in table.rows:
        label = indicator.row_labels.get(row) if row in indicator.row_labels else value_label(dimension, row)
        cells = []
        for column in column_keys:
            if indicator.key == "median_days" and column == "median":
                median = indicator.extra["medians"].get(row)
                cells.append("–" if median is None else format_decimal(median))
                numbers[(row, column)] = median
                continue
            cells.append(table.display(row, column))
            numbers[(row, column)] = table.shown(row, column)
        if indicator.key == "language":
            cells.append(_percent(ind.language_share(indicator, row)))
        if indicator.key == "events":
            cells.insert(0, format_date(indicator.extra["dates"][row], "medium"))
        rows.append((label, cells))
    note = ""
    if indicator.breakdown_ignored and filters.breakdown:
        note = str(_l("Deze tabel is niet uit te splitsen naar %(dimension)s; hij toont het totaal.",
                      dimension=str(DIMENSION_LABELS[filters.breakdown]).lower()))
    heading = str(DIMENSION_LABELS.get(dimension, "")) if dimension in DIMENSION_LABELS else {
        "gender": str(_l("Gender")), "stop_reason": str(_l("Reden")),
    }.get(dimension or "", "")
    if indicator.key == "events":
        heading = str(_l("Meet-and-greet"))
    if indicator.key == "starts_per_quarter":
        heading = str(_l("Kwartaal"))
    return Presented(indicator.key, str(d.title), heading or str(_l("Groep")), columns, rows, note, numbers,
                     list(table.rows), column_keys)


# --- chart data --------------------------------------------------------------------------------

@dataclass
class Bar:
    label: str
    value: float | None
    display: str
    extra: str = ""


def funnel_bars(indicator: ind.Indicator) -> list[Bar]:
    d = definition("funnel")
    table = indicator.table
    bars = []
    steps = [*ind.FUNNEL_STEPS, *(f"work_{m}" for m in ind.RETENTION_MONTHS)]
    for index, step in enumerate(steps):
        if (ind.TOTAL, step) not in table.values:
            continue
        conversion = ind.conversion(indicator, step) if index else None
        extra = "" if not index else str(_l("%(percent)s van de vorige stap", percent=_percent(conversion)))
        if step.startswith("work_"):
            extra = str(_l("%(percent)s van wie toen al zo lang geleden startte", percent=_percent(conversion)))
        bars.append(Bar(str(d.columns[step]), table.shown(ind.TOTAL, step), table.display(ind.TOTAL, step), extra))
    return bars


def quarter_bars(indicator: ind.Indicator) -> list[Bar]:
    table = indicator.table
    return [Bar(indicator.row_labels[q], table.shown(q, "starts"), table.display(q, "starts")) for q in (1, 2, 3, 4)]


def result_bars(indicator: ind.Indicator) -> list[tuple[str, list[Bar]]]:
    """Per placement type: one bar per result (a grouped chart)."""
    d = definition("results")
    table = indicator.table
    out = []
    for row in table.rows:
        if row == ind.TOTAL:
            continue
        bars = [Bar(str(d.columns[c]), table.shown(row, c), table.display(row, c)) for c in table.columns
                if c != ind.TOTAL]
        out.append((value_label("type", row), bars))
    return out


def summary_funnel(indicator: ind.Indicator) -> str:
    table = indicator.table
    published, started = table.display(ind.TOTAL, "published"), table.display(ind.TOTAL, "started")
    return str(_l("Van de %(published)s kandidaten die in deze periode voor het eerst zijn gepubliceerd, zijn er "
                  "%(started)s gestart op een plek.", published=published, started=started))


def summary_quarters(indicator: ind.Indicator) -> str:
    table = indicator.table
    shown = {q: table.shown(q, "starts") for q in (1, 2, 3, 4)}
    best = max((q for q in shown if shown[q]), key=lambda q: shown[q] or 0, default=None)
    total = table.display(ind.TOTAL, "starts")
    if best is None:
        return str(_l("In dit jaar zijn %(total)s starts vastgelegd.", total=total))
    return str(_l("In dit jaar zijn %(total)s starts vastgelegd; de meeste in %(quarter)s.", total=total,
                  quarter=indicator.row_labels[best]))


def summary_results(indicator: ind.Indicator) -> str:
    table = indicator.table
    return str(_l("In deze periode zijn %(total)s gestarte trajecten afgesloten, waarvan %(contract)s met een contract.",
                  total=table.display(ind.TOTAL, ind.TOTAL), contract=table.display(ind.TOTAL, "contract")))


HIDDEN_MARKS = (PRIMARY_MARK, SECONDARY_MARK)
