"""The employer gallery's filtering, in SQL, on top of the visibility rule.

    filters = GalleryFilters(sector="horeca", municipality="Zaanstad", days=["mon", "tue"],
                             min_levels={"spoken_interaction": 2})
    page = gallery_page(organisation, filters, per_page=12)   # portal.core.pagination.Page of Candidate

`gallery_query(organisation, filters)` returns the Select, so the search engineer can route the
same filters through search/ later and keep `visible_to_employer_clause` as the database-side check.
Days: a candidate matches when it is available on EVERY chosen day (any daypart). Dutch levels:
at least the chosen level for each chosen skill. Never filters or sorts on gender or origin.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, String, and_, cast, exists, func, select

from portal.candidates.models import LEVEL_COLUMNS, Candidate, CandidateLanguage, CandidateSectorInterest
from portal.candidates.visibility import visible_to_employer_clause
from portal.core import availability
from portal.core.pagination import Page, paginate

PER_PAGE = 12


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


def gallery_page(organisation, filters: GalleryFilters | None = None, per_page: int = PER_PAGE) -> Page:
    """Through the search layer (search.employer): the backend enforces the employer scope, the hits
    are loaded with the visibility rule again; falls back to `gallery_query` when search is down."""
    from search.employer import gallery_search_page

    return gallery_search_page(organisation, filters or GalleryFilters(), per_page)


def municipalities(organisation) -> list[str]:
    """Municipalities of the candidates this organisation may see (for the filter's choices)."""
    from portal.core import db

    return sorted(set(db.session.scalars(
        select(Candidate.municipality).where(visible_to_employer_clause(organisation)).distinct()
    )))
