"""Days and dayparts: when a placement needs someone, and when a candidate can work.

Shared by placements (what the work needs) and candidates (what fits around language classes),
so matching compares like with like. A set of dayparts is stored as a sorted list of codes such as
"mon_morning"; hours per week are stored beside it.
"""
from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAYPARTS = ("morning", "afternoon", "evening")

DAY_LABELS = {
    "mon": _l("maandag"), "tue": _l("dinsdag"), "wed": _l("woensdag"), "thu": _l("donderdag"),
    "fri": _l("vrijdag"), "sat": _l("zaterdag"), "sun": _l("zondag"),
}
DAYPART_LABELS = {"morning": _l("ochtend"), "afternoon": _l("middag"), "evening": _l("avond")}

#: Hours one daypart can hold at most (used to check "more days than hours allow").
HOURS_PER_DAYPART = 4

SLOTS = tuple(f"{day}_{part}" for day in DAYS for part in DAYPARTS)


def is_slot(code: str) -> bool:
    return code in SLOTS


def normalise(codes: Iterable[str]) -> list[str]:
    """Unique, known codes in week order; raises ValueError on an unknown code."""
    codes = set(codes)
    unknown = codes - set(SLOTS)
    if unknown:
        raise ValueError(f"unknown daypart(s): {', '.join(sorted(unknown))}")
    return [slot for slot in SLOTS if slot in codes]


def days_of(codes: Iterable[str]) -> list[str]:
    present = {code.split("_", 1)[0] for code in codes}
    return [day for day in DAYS if day in present]


def slot_label(code: str) -> str:
    day, part = code.split("_", 1)
    return f"{DAY_LABELS[day]} {DAYPART_LABELS[part]}"


def choices() -> list[tuple[str, str]]:
    return [(code, slot_label(code)) for code in SLOTS]


def overlap(a: Iterable[str], b: Iterable[str]) -> list[str]:
    b_set = set(b)
    return [slot for slot in SLOTS if slot in set(a) and slot in b_set]
