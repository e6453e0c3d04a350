"""The employer gallery's filters through the search layer (portal.candidates.gallery calls this).

The backend enforces the employer scope itself (published + valid consent + scope covers the
organisation); the hits are then loaded with `visible_to_employer_clause` as well, so the
database rule is applied a second time and a stale index can never show a candidate that is
out of scope. When the search backend is unavailable, the gallery falls back to the plain SQL
query of portal.candidates.gallery (same filters, same rule): employers keep browsing.
"""
from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select

from portal.core import db
from portal.core.pagination import Page, page_number
from search import EmployerScope, LanguageRequirement, SearchQuery, SearchUnavailable, run
from search.query import MAX_OFFSET

log = logging.getLogger(__name__)


def gallery_query_for(organisation: Any, filters: Any, number: int, per_page: int) -> SearchQuery:
    from portal.candidates.gallery import municipalities

    municipality = ()
    if filters.municipality:
        wanted = filters.municipality.strip().lower()
        municipality = tuple(m for m in municipalities(organisation) if m.lower() == wanted) or (filters.municipality,)
    levels = {skill: int(level) for skill, level in (filters.min_levels or {}).items() if level}
    return SearchQuery(
        scope=EmployerScope(organisation.id),
        sectors=(filters.sector,) if filters.sector else (),
        municipalities=municipality,
        days=tuple(filters.days or ()),
        languages=(LanguageRequirement.of("nl", **levels),) if levels else (),
        sort="recent", offset=(number - 1) * per_page, limit=per_page, facets=False,
    )


def gallery_search_page(organisation: Any, filters: Any, per_page: int) -> Page:
    from portal.candidates.gallery import gallery_query
    from portal.candidates.models import Candidate
    from portal.candidates.visibility import visible_to_employer_clause
    from portal.core.pagination import paginate

    number = min(page_number(), MAX_OFFSET // per_page)
    try:
        result = run(gallery_query_for(organisation, filters, number, per_page))
    except SearchUnavailable:
        log.warning("search unavailable: employer gallery falls back to the database query")
        return paginate(gallery_query(organisation, filters), per_page=per_page)
    if not result.ids:
        return Page([], number, per_page, result.total)
    rows = db.session.scalars(
        select(Candidate).where(Candidate.id.in_(result.ids), visible_to_employer_clause(organisation))
    ).all()
    by_id = {c.id: c for c in rows}
    items = [by_id[i] for i in result.ids if i in by_id]
    return Page(items, number, per_page, result.total)
