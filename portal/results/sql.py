"""Small SQL building blocks that SQLite and PostgreSQL spell differently."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, Integer, case, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from portal.results.periods import FIRST_YEAR, Period, today


class days_after(FunctionElement):  # noqa: N801 (reads like a SQL function)
    """`date_column + n days`, as a date."""

    type = Date()
    inherit_cache = True


@compiles(days_after)
def _days_after_default(element: Any, compiler: Any, **kw: Any) -> str:
    column, days = list(element.clauses)
    return f"({compiler.process(column, **kw)} + CAST({compiler.process(days, **kw)} AS INTEGER))"


@compiles(days_after, "sqlite")
def _days_after_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    column, days = list(element.clauses)
    return f"date({compiler.process(column, **kw)}, '+' || {compiler.process(days, **kw)} || ' days')"


class days_between(FunctionElement):  # noqa: N801
    """Whole days from the date of a UTC timestamp (first argument) to a date (second argument)."""

    type = Integer()
    inherit_cache = True


@compiles(days_between)
def _days_between_default(element: Any, compiler: Any, **kw: Any) -> str:
    moment, day = list(element.clauses)
    return (f"({compiler.process(day, **kw)} - CAST(({compiler.process(moment, **kw)} AT TIME ZONE 'UTC') AS DATE))")


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    moment, day = list(element.clauses)
    return (f"CAST(julianday({compiler.process(day, **kw)}) - julianday(date({compiler.process(moment, **kw)})) "
            "AS INTEGER)")


def quarter_key(column: ColumnElement, *, is_date: bool) -> ColumnElement:
    """The quarter a timestamp or date falls in, as year * 10 + quarter (20263 = 2026 K3), by
    local calendar: a CASE over the quarters since FIRST_YEAR (exact at the edges, on both databases)."""
    whens = []
    for year in range(FIRST_YEAR, today().year + 2):
        for quarter in (1, 2, 3, 4):
            period = Period(year, quarter)
            low, high = (period.first, period.after) if is_date else (period.starts_at, period.ends_at)
            whens.append(((column >= low) & (column < high), year * 10 + quarter))
    return case(*whens, else_=literal(None, Integer))


def split_quarter_key(key: int) -> tuple[int, int]:
    return key // 10, key % 10


def add_days(day: dt.date, days: int) -> dt.date:
    return day + dt.timedelta(days=days)
