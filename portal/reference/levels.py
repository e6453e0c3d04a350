"""CEFR (ERK) levels and the five language skills, as stored and shown by the portal.

A level is stored as an integer 0–6 (0 = none, 1 = A1 … 6 = C2) per skill, so
"meets the requirement" is a plain comparison per skill (DESIGN.md §4). This
module turns those integers into codes, labels and one-line descriptions from
``data/cefr.json`` and parses user input back into integers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Final

from ._data import load_json, normalise_locale

LANGUAGE_SKILLS: Final[tuple[str, ...]] = (
    "listening",
    "reading",
    "spoken_interaction",
    "spoken_production",
    "writing",
)
"""The five CEFR skills, in the order forms and tables show them."""

LEVELS: Final[tuple[int, ...]] = (0, 1, 2, 3, 4, 5, 6)
"""Every storable level: 0 = none, 1 = A1 … 6 = C2."""

NO_LEVEL_CODE: Final[str] = "—"


@dataclass(frozen=True, slots=True)
class Equivalence:
    """A Dutch exam or reference level that corresponds roughly to a CEFR level."""

    name_nl: str
    name_en: str
    level: int


def _cefr() -> dict:
    return load_json("cefr.json")


@cache
def _level_entries() -> dict[int, dict]:
    return {entry["level"]: entry for entry in _cefr()["levels"]}


def _check_level(level: int) -> int:
    # bool is an int subclass; True must not silently mean A1.
    if isinstance(level, bool) or not isinstance(level, int) or level not in LEVELS:
        raise ValueError(f"not a level: {level!r}; expected an integer 0–6")
    return level


def _check_skill(skill: str) -> str:
    if skill not in LANGUAGE_SKILLS:
        raise ValueError(f"unknown language skill {skill!r}; expected one of {LANGUAGE_SKILLS}")
    return skill


def level_code(level: int, locale: str | None = None) -> str:
    """``2 -> "A2"``. Level 0 has no CEFR code: "—" without a locale, "geen"/"none" with one."""
    _check_level(level)
    if level == 0:
        if locale is None:
            return NO_LEVEL_CODE
        return _level_entries()[0][normalise_locale(locale)]
    return _level_entries()[level]["code"]


def level_label(level: int, locale: str | None = None) -> str:
    """A short name for a level, e.g. "A2 – basisgebruiker" / "A2 – basic user"."""
    _check_level(level)
    entry = _level_entries()[level]
    name = entry[normalise_locale(locale)]
    return name if level == 0 else f"{entry['code']} – {name}"


def level_description(level: int, skill: str, locale: str | None = None) -> str:
    """The project's one-line, plain-language description of ``level`` for ``skill``."""
    _check_level(level)
    _check_skill(skill)
    return _cefr()["descriptions"][skill][level][normalise_locale(locale)]


def skill_label(skill_key: str, locale: str | None = None) -> str:
    """``"spoken_interaction" -> "gesprekken voeren"`` (nl) or ``"spoken interaction"`` (en)."""
    _check_skill(skill_key)
    return _cefr()["skills"][skill_key][normalise_locale(locale)]


def parse_level(value: object) -> int:
    """Accept ``"A2"``, ``"a2"``, ``" A2 "``, ``"2"`` or ``2``; raise :class:`ValueError` for anything else.

    ``"0"`` and ``0`` mean "none". Free text such as ``"B1+"`` or ``"good"`` is
    refused rather than guessed, because a wrong guess becomes a wrong match.
    """
    if isinstance(value, bool):
        raise ValueError(f"not a level: {value!r}")
    if isinstance(value, int):
        return _check_level(value)
    if not isinstance(value, str):
        raise ValueError(f"not a level: {value!r}")
    text = value.strip().upper()
    if text.isdecimal() and len(text) == 1:
        return _check_level(int(text))
    for level, entry in _level_entries().items():
        if level and entry["code"] == text:
            return level
    raise ValueError(f"not a level: {value!r}; expected A1–C2 or 0–6")


@cache
def level_equivalences() -> tuple[Equivalence, ...]:
    """Staatsexamen NT2 and Referentiekader levels with their approximate CEFR level."""
    return tuple(
        Equivalence(name_nl=e["nl"], name_en=e["en"], level=e["level"])
        for e in _cefr()["equivalences"]["items"]
    )
