"""The language task helper: concrete work situations and the CEFR level each needs per skill.

Employers describe work in tasks, not in levels ("reads a simple work
schedule"); the placement form turns ticked tasks into a suggested minimum
level per skill with :func:`suggest_levels`. The table itself is data
(``data/language_tasks.json``) with its sources, so an NT2 teacher can review
it without reading code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from ._data import load_json, normalise_locale
from .levels import LANGUAGE_SKILLS


@dataclass(frozen=True, slots=True)
class LanguageTask:
    """A work situation and the minimum level per skill it needs (only the skills it involves)."""

    code: str
    nl: str
    en: str
    levels: Mapping[str, int]

    def label(self, locale: str | None = None) -> str:
        return getattr(self, normalise_locale(locale))


@dataclass(frozen=True, slots=True)
class Source:
    citation: str
    used_for: str


@cache
def _tasks() -> dict[str, LanguageTask]:
    return {
        e["code"]: LanguageTask(code=e["code"], nl=e["nl"], en=e["en"], levels=MappingProxyType(dict(e["levels"])))
        for e in load_json("language_tasks.json")["tasks"]
    }


def language_tasks() -> tuple[LanguageTask, ...]:
    """All tasks in display order (roughly from least to most language)."""
    return tuple(_tasks().values())


def language_task(code: str) -> LanguageTask:
    """The task with ``code``; :class:`KeyError` if unknown."""
    return _tasks()[code]


def is_language_task(code: object) -> bool:
    return isinstance(code, str) and code in _tasks()


@cache
def language_task_sources() -> tuple[Source, ...]:
    """The published sources whose descriptors the task table is based on."""
    return tuple(Source(citation=s["citation"], used_for=s["used_for"]) for s in load_json("language_tasks.json")["sources"])


def suggest_levels(task_codes: Iterable[str]) -> dict[str, int]:
    """Per skill, the highest minimum level among the ticked tasks; 0 where no ticked task involves the skill.

    The result always has all five skills, in :data:`LANGUAGE_SKILLS` order, so
    a form can prefill every field. An unknown task code raises
    :class:`KeyError`: a stale form must not silently lower a requirement.
    """
    suggestion = dict.fromkeys(LANGUAGE_SKILLS, 0)
    for code in task_codes:
        for skill_key, level in language_task(code).levels.items():
            suggestion[skill_key] = max(suggestion[skill_key], level)
    return suggestion
