"""The period a results page is about: a calendar year or one of its quarters (local dates)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

FIRST_YEAR = 2020


def local_zone() -> ZoneInfo:
    name = current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Amsterdam") if has_app_context() else "Europe/Amsterdam"
    return ZoneInfo(name)


def today() -> dt.date:
    return dt.datetime.now(local_zone()).date()


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


@dataclass(frozen=True)
class Period:
    """From `first` to `last`, both included (local calendar dates)."""

    year: int
    quarter: int | None = None

    @classmethod
    def this_year(cls) -> Period:
        return cls(today().year)

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, 1 if self.quarter is None else 3 * self.quarter - 2, 1)

    @property
    def last(self) -> dt.date:
        if self.quarter is None or self.quarter == 4:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.quarter + 1, 1) - dt.timedelta(days=1)

    @property
    def after(self) -> dt.date:
        """The first day after the period."""
        return self.last + dt.timedelta(days=1)

    @property
    def starts_at(self) -> dt.datetime:
        """The first moment of the period, in UTC (for timestamp columns)."""
        return dt.datetime.combine(self.first, dt.time(), local_zone()).astimezone(dt.timezone.utc)

    @property
    def ends_at(self) -> dt.datetime:
        """The first moment after the period, in UTC (exclusive bound)."""
        return dt.datetime.combine(self.after, dt.time(), local_zone()).astimezone(dt.timezone.utc)

    @property
    def reference_moment(self) -> dt.datetime:
        """For "at the end of the period" figures: the period's end, or now if that is still to come."""
        return min(self.ends_at, dt.datetime.now(dt.timezone.utc))

    @property
    def quarters(self) -> list[tuple[int, int]]:
        """The (year, quarter) pairs the period covers."""
        return [(self.year, q) for q in ([self.quarter] if self.quarter else [1, 2, 3, 4])]

    @property
    def label(self) -> str:
        if self.quarter is None:
            return str(self.year)
        return str(_l("%(year)d, kwartaal %(quarter)d", year=self.year, quarter=self.quarter))

    @property
    def slug(self) -> str:
        return f"{self.year}" if self.quarter is None else f"{self.year}-k{self.quarter}"

    @property
    def query_args(self) -> dict[str, str]:
        return {"jaar": str(self.year), **({"kwartaal": str(self.quarter)} if self.quarter else {})}


def quarter_label(year: int, quarter: int) -> str:
    return str(_l("%(year)d K%(quarter)d", year=year, quarter=quarter))


def selectable_years() -> list[int]:
    return list(range(today().year, FIRST_YEAR - 1, -1))
