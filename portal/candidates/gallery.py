"""The employer gallery's filtering, in SQL, on top of the visibility rule.

    filters = GalleryFilters(sector="horeca", municipality="Zaanstad", days=["mon", "tue"],
                             min_levels={"spoken_interaction": 2})
    page = gallery_page(organisation, filters, per_page=12)   # portal.core.pagination.Page of Candidate

This module is the gallery's one home: `gallery_page` routes the filters through the search layer
(`search.run` with an `EmployerScope`: the backend enforces published + valid consent + scope),
then loads the hits with `visible_to_employer_clause` again, so a stale index can never show a
candidate out of scope. When the search backend is unavailable it falls back to the plain SQL
`gallery_query` (same filters, same rule): employers keep browsing. Imports go one way only
(this module -> search); search never imports portal.candidates.gallery.

The cards are loaded in a fixed number of statements whatever their number (`CARD_LOADS`:
languages, skills, sectors, consents with their organisations, the video profile with its
objects), so the page does no N+1.
Days: a candidate matches when it is available on EVERY chosen day (any daypart). Dutch levels:
at least the chosen level for each chosen skill. Never filters or sorts on gender or origin.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import logging
from typing import Any

from sqlalchemy import Select, String, and_, cast, exists, func, select
from sqlalchemy.orm import selectinload

from portal.candidates.models import LEVEL_COLUMNS, Candidate, CandidateLanguage, CandidateSectorInterest, Consent
from portal.candidates.visibility import visible_to_employer_clause
from portal.core import availability, db
from portal.core.pagination import Page, page_number, paginate
from search import EmployerScope, LanguageRequirement, SearchQuery, SearchUnavailable, run
from search.query import MAX_OFFSET

log = logging.getLogger(__name__)

PER_PAGE = 12


def card_loads() -> tuple[Any, ...]:
    """Eager loads for everything a card or a profile shows (one SELECT per relationship)."""
    from portal.candidates.video_models import VideoProfile

    return (
        selectinload(Candidate.languages), selectinload(Candidate.skills), selectinload(Candidate.sector_interests),
        selectinload(Candidate.consents).selectinload(Consent.organisations),
        selectinload(Candidate.video_profile).selectinload(VideoProfile.objects),
    )


@dataclass
class GalleryFilters:
    sector: str | None = None
    municipality: str | None = None
    days: list[str] = field(default_factory=list)
    min_levels: dict[str, int] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return bool(self.sector or self.municipality or self.days or any(self.min_levels.values()))


def gallery_query(organisation, filters: GalleryFilters | None = None) -> Select:
    filters = filters or GalleryFilters()
    query = select(Candidate).where(visible_to_employer_clause(organisation))
    if filters.sector:
        query = query.where(exists().where(CandidateSectorInterest.candidate_id == Candidate.id,
                                           CandidateSectorInterest.sector_code == filters.sector))
    if filters.municipality:
        query = query.where(func.lower(Candidate.municipality) == filters.municipality.strip().lower())
    availability_text = cast(Candidate.availability, String)
    for day in filters.days:
        if day in availability.DAYS:
            query = query.where(availability_text.contains(f'"{day}_', autoescape=True))
    levels = {skill: level for skill, level in filters.min_levels.items() if skill in LEVEL_COLUMNS and level}
    if levels:
        query = query.where(exists().where(
            CandidateLanguage.candidate_id == Candidate.id, CandidateLanguage.language_code == "nl",
            and_(*(getattr(CandidateLanguage, skill) >= level for skill, level in levels.items())),
        ))
    return query.order_by(Candidate.published_at.desc(), Candidate.id.desc())


def gallery_search_query(organisation, filters: GalleryFilters, number: int, per_page: int,
                         known_municipalities: list[str] | None = None) -> SearchQuery:
    """The gallery's filters as a SearchQuery with the organisation's employer scope."""
    municipality: tuple[str, ...] = ()
    if filters.municipality:
        wanted = filters.municipality.strip().lower()
        choices = known_municipalities if known_municipalities is not None else municipalities(organisation)
        municipality = tuple(m for m in choices if m.lower() == wanted) or (filters.municipality,)
    levels = {skill: int(level) for skill, level in (filters.min_levels or {}).items() if level}
    return SearchQuery(
        scope=EmployerScope(organisation.id),
        sectors=(filters.sector,) if filters.sector else (),
        municipalities=municipality,
        days=tuple(filters.days or ()),
        languages=(LanguageRequirement.of("nl", **levels),) if levels else (),
        sort="recent", offset=(number - 1) * per_page, limit=per_page, facets=False,
    )


def gallery_page(organisation, filters: GalleryFilters | None = None, per_page: int = PER_PAGE,
                 known_municipalities: list[str] | None = None) -> Page:
    """Through the search layer: the backend enforces the employer scope, the hits are loaded with the
    visibility rule again (and their cards' data eagerly); falls back to `gallery_query` when search is down."""
    filters = filters or GalleryFilters()
    number = min(page_number(), MAX_OFFSET // per_page)
    try:
        result = run(gallery_search_query(organisation, filters, number, per_page, known_municipalities))
    except SearchUnavailable:
        log.warning("search unavailable: employer gallery falls back to the database query")
        return paginate(gallery_query(organisation, filters).options(*card_loads()), per_page=per_page)
    if not result.ids:
        return Page([], number, per_page, result.total)
    rows = db.session.scalars(
        select(Candidate).where(Candidate.id.in_(result.ids), visible_to_employer_clause(organisation))
        .options(*card_loads())
    ).all()
    by_id = {c.id: c for c in rows}
    items = [by_id[i] for i in result.ids if i in by_id]
    return Page(items, number, per_page, result.total)


def municipalities(organisation) -> list[str]:
    """Municipalities of the candidates this organisation may see (for the filter's choices)."""
    return sorted(set(db.session.scalars(
        select(Candidate.municipality).where(visible_to_employer_clause(organisation)).distinct()
    )))
