"""Sectors, skills/occupations and languages: fixed bilingual lists with stable codes.

Codes are what the database stores; labels are only for display and may be
improved without a migration. Every list is built once from its JSON file
(see :mod:`._data`) into frozen dataclasses and kept in a dict by code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from ._data import fold_text, load_json, normalise_locale

SkillKind = Literal["occupation", "skill"]


@dataclass(frozen=True, slots=True)
class Sector:
    code: str
    nl: str
    en: str

    def label(self, locale: str | None = None) -> str:
        return getattr(self, normalise_locale(locale))


@dataclass(frozen=True, slots=True)
class Language:
    """A language by its ISO 639 code (639-1 where one exists, else 639-3)."""

    code: str
    nl: str
    en: str

    def label(self, locale: str | None = None) -> str:
        return getattr(self, normalise_locale(locale))


@dataclass(frozen=True, slots=True)
class Skill:
    """An occupation (``occ.*``) or practical skill/certificate (``skill.*``)."""

    code: str
    kind: SkillKind
    nl: str
    en: str
    synonyms_nl: tuple[str, ...]
    synonyms_en: tuple[str, ...]
    sectors: tuple[str, ...]
    deprecated: bool = False

    def label(self, locale: str | None = None) -> str:
        return getattr(self, normalise_locale(locale))

    def synonyms(self, locale: str | None = None) -> tuple[str, ...]:
        return self.synonyms_en if normalise_locale(locale) == "en" else self.synonyms_nl


# --- sectors -----------------------------------------------------------------


@cache
def _sectors() -> dict[str, Sector]:
    return {e["code"]: Sector(code=e["code"], nl=e["nl"], en=e["en"]) for e in load_json("sectors.json")["sectors"]}


def sectors() -> tuple[Sector, ...]:
    """All sectors in display order ('overig' last)."""
    return tuple(_sectors().values())


def sector(code: str) -> Sector:
    """The sector with ``code``; :class:`KeyError` if unknown."""
    return _sectors()[code]


def is_sector(code: object) -> bool:
    return isinstance(code, str) and code in _sectors()


# --- languages ---------------------------------------------------------------


@cache
def _languages() -> dict[str, Language]:
    return {
        e["code"]: Language(code=e["code"], nl=e["nl"], en=e["en"]) for e in load_json("languages.json")["languages"]
    }


def languages() -> tuple[Language, ...]:
    """All languages in file order (Dutch, English, then the languages candidates most often speak)."""
    return tuple(_languages().values())


def language(code: str) -> Language:
    """The language with ISO 639 ``code``; :class:`KeyError` if unknown."""
    return _languages()[code]


def is_language(code: object) -> bool:
    return isinstance(code, str) and code in _languages()


# --- skills and occupations --------------------------------------------------


@cache
def _skills() -> dict[str, Skill]:
    return {
        e["code"]: Skill(
            code=e["code"],
            kind=e["kind"],
            nl=e["nl"],
            en=e["en"],
            synonyms_nl=tuple(e["synonyms"]["nl"]),
            synonyms_en=tuple(e["synonyms"]["en"]),
            sectors=tuple(e["sectors"]),
            deprecated=bool(e.get("deprecated", False)),
        )
        for e in load_json("skills.json")["entries"]
    }


def skills(kind: SkillKind | None = None) -> tuple[Skill, ...]:
    """All skills and occupations (or only one ``kind``), deprecated ones included so old data still resolves."""
    return tuple(s for s in _skills().values() if kind is None or s.kind == kind)


def skill(code: str) -> Skill:
    """The skill or occupation with ``code``; :class:`KeyError` if unknown."""
    return _skills()[code]


def is_skill(code: object) -> bool:
    return isinstance(code, str) and code in _skills()


@cache
def _search_terms() -> tuple[tuple[Skill, tuple[tuple[str, int], ...]], ...]:
    """Per active skill, its folded search terms with a rank: 0 label, 1 synonym (other locale's label counts as 1).

    Built once; the locale-dependent part (which label is "own") is applied in
    :func:`search_skills` so that one index serves both locales.
    """
    index = []
    for s in _skills().values():
        if s.deprecated:
            continue
        terms = [(fold_text(s.nl), 0), (fold_text(s.en), 0)]
        terms += [(fold_text(t), 1) for t in (*s.synonyms_nl, *s.synonyms_en)]
        index.append((s, tuple(terms)))
    return tuple(index)


def _match_rank(query: str, term: str) -> int | None:
    """0 exact, 1 prefix, 2 prefix of a later word, 3 anywhere; None if no match."""
    if term == query:
        return 0
    if term.startswith(query):
        return 1
    if any(word.startswith(query) for word in term.replace("-", " ").replace("/", " ").split()[1:]):
        return 2
    if query in term:
        return 3
    return None


def search_skills(query: str, locale: str | None = None, limit: int = 10) -> list[Skill]:
    """Skills and occupations whose label or synonym (Dutch or English) matches ``query``.

    Matching ignores case and accents ("hygiene" finds "HACCP-hygiëne").
    Both languages are searched because employers type whichever word they
    know; ``locale`` only breaks ties in favour of labels in the user's own
    language. Best matches first: exact, then prefix, then word prefix, then
    substring; labels before synonyms; then by label. Deprecated entries are
    left out.
    """
    folded = fold_text(query)
    if not folded or limit <= 0:
        return []
    own = normalise_locale(locale)
    scored: list[tuple[tuple[int, int, int, str], Skill]] = []
    for s, terms in _search_terms():
        best: tuple[int, int, int] | None = None
        own_label = fold_text(s.label(own))
        for term, term_rank in terms:
            match = _match_rank(folded, term)
            if match is None:
                continue
            key = (match, term_rank, 0 if term == own_label else 1)
            if best is None or key < best:
                best = key
        if best is not None:
            scored.append(((*best, fold_text(s.label(own))), s))
    scored.sort(key=lambda item: (item[0], item[1].code))
    return [s for _, s in scored[:limit]]
