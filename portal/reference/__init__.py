"""Reference data shipped with the project: sectors, skills, languages, CEFR levels, language tasks.

Pure Python (no Flask, no database) so forms, models, search and tests can all
use it. Data lives in ``portal/reference/data/*.json``; each file is read once
per process and exposed as frozen dataclasses. Labels are chosen with a
``locale`` argument ("nl" default, or "en"; "en_GB" and the like are accepted).
"""

from ._data import LOCALES, Locale, fold_text, normalise_locale
from .catalogue import (
    Language,
    Sector,
    Skill,
    SkillKind,
    is_language,
    is_sector,
    is_skill,
    language,
    languages,
    search_skills,
    sector,
    sectors,
    skill,
    skills,
)
from .levels import (
    LANGUAGE_SKILLS,
    LEVELS,
    Equivalence,
    level_code,
    level_description,
    level_equivalences,
    level_label,
    parse_level,
    skill_label,
)
from .tasks import (
    LanguageTask,
    Source,
    is_language_task,
    language_task,
    language_task_sources,
    language_tasks,
    suggest_levels,
)

__all__ = [
    "LANGUAGE_SKILLS",
    "LEVELS",
    "LOCALES",
    "Equivalence",
    "Language",
    "LanguageTask",
    "Locale",
    "Sector",
    "Skill",
    "SkillKind",
    "Source",
    "fold_text",
    "is_language",
    "is_language_task",
    "is_sector",
    "is_skill",
    "language",
    "language_task",
    "language_task_sources",
    "language_tasks",
    "languages",
    "level_code",
    "level_description",
    "level_equivalences",
    "level_label",
    "normalise_locale",
    "parse_level",
    "search_skills",
    "sector",
    "sectors",
    "skill",
    "skill_label",
    "skills",
    "suggest_levels",
]
