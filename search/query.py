"""What a search asks and what it answers: the value objects shared by both backends.

A `SearchQuery` is validated before it reaches a backend (see `search.params` for parsing user
input); a backend never sees an unknown code, a negative offset or a page of 10,000. Filters mean
exactly the same on both backends (the contract suite in tests/search checks it):

- `skills`: the candidate has ALL of them; `sectors`: ANY of them; `municipalities`: ANY of them;
  `statuses`: ANY of them; `days`: available on ALL of these days (any daypart);
  `slots`: available in ANY of these dayparts (matching uses it for "some overlap").
- `languages`: for EACH requirement, the candidate knows that language with at least the given
  level for each named skill.
- `languages_not`: for EACH requirement, the candidate does NOT meet it (missing language counts
  as not meeting it).
- `consent_valid`: True = has a valid consent now, False = has none, None = no filter.
- `near`: within `max_km` of the postcode area's centroid (search.geo), straight-line.
- `scope`: an employer's view: published status + valid consent now + consent scope covering the
  organisation. Enforced by the backend itself, whatever else the query says.
- `text`: free text, matched literally (every word must occur). Known gap: the Elasticsearch
  backend stems Dutch words ("bakkers" finds "bakker"), the database backend matches substrings
  of the folded text; results for free text may therefore differ. Filters never differ.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

Sort = Literal["relevance", "recent", "distance", "score"]

MAX_PER_PAGE = 100
MAX_OFFSET = 10_000  # Elasticsearch's default max_result_window
MAX_TEXT = 200


@dataclass(frozen=True)
class LanguageRequirement:
    code: str
    #: {skill: minimum level 1..6}; skills not named are not required.
    min_levels: tuple[tuple[str, int], ...] = ()

    @property
    def levels(self) -> dict[str, int]:
        return dict(self.min_levels)

    @classmethod
    def of(cls, code: str, **levels: int) -> LanguageRequirement:
        return cls(code, tuple(sorted((k, int(v)) for k, v in levels.items() if v)))


@dataclass(frozen=True)
class EmployerScope:
    """Restrict to what an (approved) employer organisation may see."""

    organisation_id: int


@dataclass(frozen=True)
class Near:
    postcode_area: str
    max_km: float | None = None  # None: no distance filter, only distance sort/score
    lat: float = 0.0
    lon: float = 0.0


@dataclass(frozen=True)
class ScoreSpec:
    """Placement matching score: weights are summed; see search.scoring for the formula."""

    required_skills: tuple[str, ...] = ()
    nice_skills: tuple[str, ...] = ()
    slots: tuple[str, ...] = ()
    origin: Near | None = None


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    skills: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    languages: tuple[LanguageRequirement, ...] = ()
    #: the candidate does NOT meet these requirements (matching: "just below the level")
    languages_not: tuple[LanguageRequirement, ...] = ()
    days: tuple[str, ...] = ()
    slots: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    consent_valid: bool | None = None
    near: Near | None = None
    scope: EmployerScope | None = None
    exclude_ids: tuple[int, ...] = ()
    sort: Sort = "relevance"
    score: ScoreSpec | None = None
    offset: int = 0
    limit: int = 20
    facets: bool = True
    now: dt.datetime | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.offset <= MAX_OFFSET:
            raise ValueError("offset out of range")
        if not 0 <= self.limit <= max(MAX_PER_PAGE, 1000):
            raise ValueError("limit out of range")
        if len(self.text) > MAX_TEXT:
            raise ValueError("text too long")


@dataclass
class SearchResult:
    ids: list[int]
    total: int
    #: {facet name: {value: count}}; facet names: skills, sectors, languages, days, municipalities,
    #: statuses, consent_valid ("yes"/"no").
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    #: {id: km} when the query has `near`.
    distances: dict[int, float] = field(default_factory=dict)
    #: {id: score} when the query has `score`.
    scores: dict[int, float] = field(default_factory=dict)
    backend: str = ""


class SearchUnavailable(RuntimeError):
    """The search backend cannot answer now (down, slow, misconfigured); pages show a notice."""


def words(text: str) -> list[str]:
    """The literal words of a free-text query (folded, punctuation and operators dropped)."""
    from portal.reference import fold_text

    folded = fold_text(text or "")
    out, current = [], []
    for ch in folded:
        if ch.isalnum():
            current.append(ch)
        else:
            if current:
                out.append("".join(current))
            current = []
    if current:
        out.append("".join(current))
    return out[:20]


def as_payload(query: SearchQuery) -> dict[str, Any]:
    """A JSON-able form of the filters (saved searches store the query string instead)."""
    return {k: v for k, v in query.__dict__.items() if v not in ((), None, "", False)}
