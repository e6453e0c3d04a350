"""The database backend: candidate search with SQL over the portal's own tables (embedded default).

There is no separate index: every query reads the live candidate tables, so this backend is
always in sync (the outbox rows are simply cleared by the drain). Employer scope uses
portal.candidates.visibility (the one rule); filters follow the semantics in search.query,
and the match score is the SQL form of search.scoring. A search remembers its total and facets
(with the page of ids in the default order) until the searched data or a consent changes
(`_remembered`, search.freshness); pages still load what they show, under the visibility rule.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from functools import cache
from typing import Any

from sqlalchemy import String, and_, bindparam, case, cast, column, exists, false, func, literal, not_, or_, select, table, union_all
from sqlalchemy.sql import ColumnElement

from portal import reference
from portal.core import availability, db
from search import freshness, geo, scoring  # freshness: its listeners change the token with every write
from search.query import SearchQuery, SearchResult, words


#: How many totals a backend remembers (per process) before it forgets them all.
TOTALS_KEPT = 4096


def _models() -> Any:
    from portal.candidates import models

    return models


def _json_text(column: Any) -> Any:
    return cast(column, String)


def escape_like(text: str) -> str:
    """Escape LIKE's wildcards (and the escape character) so user text matches literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _has_slot_like(column: Any, pattern: str) -> ColumnElement[bool]:
    return _json_text(column).like(pattern, escape="\\")


@cache
def _facets_statement(filtered: bool, paged: bool) -> Any:
    """Every facet, the total and (when `paged`) the page of ids over the matching set, as one
    UNION ALL built once per process: the matching set is the table `matching`, a MATERIALIZED CTE
    of the search's conditions that `facets_and_total` adds to it per search (`add_cte`); the
    moment and the page are bound (`facets_now`, `page_limit`, `page_offset`). Only the conditions
    are built per search. `filtered`: whether there are conditions at all (without any, every
    candidate matches and the child tables are counted as they are)."""
    from portal.candidates.visibility import valid_consent_clause

    models = _models()
    C = models.Candidate
    cte = table("matching", column("id", C.id.type), column("municipality", C.municipality.type),
                column("status", C.status.type), column("updated_at", C.updated_at.type), column("slots", String()))

    def rows(name: str, value: Any, source: Any, *where: Any) -> Any:
        return select(literal(name).label("facet"), cast(value, String).label("value"),
                      func.count().label("n")).select_from(source).where(*where).group_by(value)

    parts = []
    matching_ids = select(cte.c.id)
    for name, child, column_name in (
        ("skills", models.CandidateSkill.__table__, "skill_code"),
        ("sectors", models.CandidateSectorInterest.__table__, "sector_code"),
    ):
        # IN (the materialised set): the engine scans the child table once and probes the set
        # (faster than a join per matching candidate when the set is large); with no filter at
        # all every candidate matches and the child table is counted as it is
        where = [child.c.candidate_id.in_(matching_ids)] if filtered else []
        parts.append(rows(name, child.c[column_name], child, *where))
    # municipality and status in one grouping (split in Python below)
    parts.append(select(literal("place"), (cast(cte.c.status, String) + literal(" ") + cast(cte.c.municipality, String)),
                        func.count()).select_from(cte).group_by(cte.c.municipality, cte.c.status))
    Consent = models.Consent
    now = bindparam("facets_now", type_=Consent.expires_at.type)
    # the days, the valid consents and the total in ONE pass over the matching set (it was nine)
    one = func.sum(case((exists().where(Consent.candidate_id == cte.c.id, valid_consent_clause(now)), 1), else_=0))
    sums = [func.count().label("total"), one.label("consent_yes")]
    sums += [func.sum(case((cte.c.slots.like(f'%"{escape_like(day)}\\_%', escape="\\"), 1), else_=0)).label(f"day_{day}")
             for day in availability.DAYS]
    counts = select(*sums).select_from(cte).cte("counts").prefix_with("MATERIALIZED")
    for name, value, col in [("total", "", counts.c.total), ("consent_valid", "yes", counts.c.consent_yes)] + [
            ("days", day, counts.c[f"day_{day}"]) for day in availability.DAYS]:
        parts.append(select(literal(name), literal(value), col))
    if paged:
        ranked = (select(cte.c.id, func.row_number().over(order_by=(cte.c.updated_at.desc(), cte.c.id.desc()))
                         .label("position"))
                  .select_from(cte).order_by(cte.c.updated_at.desc(), cte.c.id.desc())
                  .limit(bindparam("page_limit")).offset(bindparam("page_offset")).subquery())
        parts.append(select(literal("page"), cast(ranked.c.id, String), ranked.c.position))
    return union_all(*parts)


def _scope_only(conds: list[ColumnElement[bool]]) -> bool:
    """Whether the conditions are the employer scope alone, as the visibility rule's template."""
    from portal.candidates.visibility import visible_to_employer_template

    return len(conds) == 1 and conds[0] is visible_to_employer_template()


@cache
def _newest_in_scope_statement() -> Any:
    """The page of ids an organisation may see, newest change first (parameters: `visible_params`,
    `page_limit`, `page_offset`)."""
    from portal.candidates.visibility import visible_to_employer_template

    C = _models().Candidate
    return (select(C.id).where(visible_to_employer_template()).order_by(C.updated_at.desc(), C.id.desc())
            .limit(bindparam("page_limit")).offset(bindparam("page_offset")))


class DatabaseBackend:
    """The embedded default: searches with SQL in the portal's own database."""

    name = "database"
    needs_sync = False

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.config = config
        self.recently_down = False
        #: {(data token, search, what): (total or facets, valid until)}: see `_remembered`
        self._totals: dict[Any, tuple[Any, dt.datetime | None]] = {}
        #: {(data token, "areas"): (the candidates' postcode areas, None)}: see `_all_areas`
        self._areas: dict[Any, tuple[list[str], None]] = {}

    def ping(self) -> bool:
        return True

    # The interface's write side is a no-op: the tables are the index.
    def write(self, docs: list[dict[str, Any]], deletes: Iterable[int] = (), **_kw: Any) -> set[int]:
        return set()

    def write_versioned(self, docs: list[dict[str, Any]], deletes: Iterable[int] = (),
                        versions: Mapping[int, int] | None = None, **_kw: Any) -> tuple[set[int], set[int]]:
        return set(), set()

    def index(self, docs: list[dict[str, Any]], **_kw: Any) -> set[int]:
        return set()

    def delete(self, ids: Iterable[int], **_kw: Any) -> set[int]:
        return set()

    def refresh(self) -> None:
        return None

    def rebuild(self, documents: Iterable[dict[str, Any]], **_kw: Any) -> dict[str, Any]:
        return {"index": None, "documents": 0, "errors": 0, "seconds": 0.0}

    def stats(self) -> dict[str, Any]:
        m = _models()
        return {"index": "(database tables)", "alias": None,
                "documents": db.session.scalar(select(func.count(m.Candidate.id))) or 0}

    # -- conditions -----------------------------------------------------------------------
    def consent_valid_clause(self, now: dt.datetime) -> ColumnElement[bool]:
        from portal.candidates.visibility import valid_consent_clause

        m = _models()
        return exists().where(m.Consent.candidate_id == m.Candidate.id, valid_consent_clause(now))

    def _text_clause(self, text: str, staff: bool) -> ColumnElement[bool] | None:
        m = _models()
        C = m.Candidate
        clauses = []
        for word in words(text):
            pattern = f"%{escape_like(word)}%"  # a typed % or _ is a character, not a wildcard
            codes = [s.code for s in reference.search_skills(word, limit=50)]
            options: list[ColumnElement[bool]] = [
                func.lower(C.ambitions).like(pattern, escape="\\"),
                exists().where(m.CandidateExperience.candidate_id == C.id,
                               func.lower(m.CandidateExperience.occupation).like(pattern, escape="\\")),
            ]
            if codes:
                options.append(exists().where(m.CandidateSkill.candidate_id == C.id, m.CandidateSkill.skill_code.in_(codes)))
                options.append(exists().where(m.CandidateExperience.candidate_id == C.id,
                                              m.CandidateExperience.skill_code.in_(codes)))
            if staff:
                options.append(func.lower(C.first_name).like(pattern, escape="\\"))
            clauses.append(or_(*options))
        return and_(*clauses) if clauses else None

    def conditions(self, q: SearchQuery, now: dt.datetime,
                   params: dict[str, Any] | None = None) -> list[ColumnElement[bool]]:
        """The query's filters as SQL conditions on `Candidate`. With `params` (a dict the caller
        passes to every statement built on the conditions) the employer scope is the visibility
        rule's template with its values put in `params` (built once per process), else a clause."""
        m = _models()
        C = m.Candidate
        conds: list[ColumnElement[bool]] = []
        if q.scope is not None:
            from portal.accounts.models import Organisation
            from portal.candidates.visibility import (
                visible_params, visible_to_employer_clause, visible_to_employer_template,
            )

            organisation = db.session.get(Organisation, q.scope.organisation_id)
            bound = visible_params(organisation, now) if params is not None else None
            if bound is not None and params is not None:
                params.update(bound)
                conds.append(visible_to_employer_template())
            else:
                conds.append(visible_to_employer_clause(organisation, now) if organisation is not None else false())
        if q.text.strip():
            clause = self._text_clause(q.text, staff=q.scope is None)
            if clause is not None:
                conds.append(clause)
        for code in q.skills:
            conds.append(exists().where(m.CandidateSkill.candidate_id == C.id, m.CandidateSkill.skill_code == code))
        if q.sectors:
            conds.append(exists().where(m.CandidateSectorInterest.candidate_id == C.id,
                                        m.CandidateSectorInterest.sector_code.in_(q.sectors)))
        for req in q.languages:
            conds.append(self._language_clause(req))
        for req in q.languages_not:
            conds.append(not_(self._language_clause(req)))
        for day in q.days:
            conds.append(_has_slot_like(C.availability, f'%"{escape_like(day)}\\_%'))
        if q.slots:
            conds.append(or_(*(_has_slot_like(C.availability, f'%"{escape_like(slot)}"%') for slot in q.slots)))
        if q.municipalities:
            conds.append(C.municipality.in_(q.municipalities))
        if q.statuses:
            conds.append(C.status.in_(q.statuses))
        if q.consent_valid is True:
            conds.append(self.consent_valid_clause(now))
        elif q.consent_valid is False:
            conds.append(not_(self.consent_valid_clause(now)))
        if q.near is not None and q.near.max_km is not None:
            areas = self._areas_within(q.near)
            conds.append(C.postcode_area.in_(sorted(areas)) if areas else false())
        if q.exclude_ids:
            conds.append(C.id.not_in(q.exclude_ids))
        return conds

    def _language_clause(self, req: Any) -> ColumnElement[bool]:
        m = _models()
        L = m.CandidateLanguage
        levels = [getattr(L, skill) >= level for skill, level in req.min_levels]
        return exists().where(L.candidate_id == m.Candidate.id, L.language_code == req.code, *levels)

    def _all_areas(self) -> list[str]:
        """The postcode areas candidates live in (a distance search turns them into kilometres).

        Finding them reads every candidate (about 20 ms at 100,000 on PostgreSQL), and a distance
        search asks up to three times, so the answer is kept under the data token (search.freshness):
        a write to a candidate makes a new token, so a new or moved candidate's area is there at once.
        Unlike a total it does not depend on consents, so the clock does not end it."""
        m = _models()
        return freshness.remembered(
            self._areas.get, self._keep_areas, "areas", None,
            lambda: sorted(a for a in db.session.scalars(select(m.Candidate.postcode_area).distinct()) if a))

    def _keep_areas(self, key: Any, kept: tuple[list[str], None]) -> None:
        self._areas = {key: kept}  # only the newest token's

    def _areas_within(self, near: Any) -> dict[str, float]:
        return geo.areas_within((near.lat, near.lon), float(near.max_km), self._all_areas())

    def _distance_case(self, near: Any) -> Any:
        """SQL expression: the candidate's distance to `near` (km), 1e9 when unknown."""
        m = _models()
        distances = {a: geo.distance_km((near.lat, near.lon), p) for a in self._all_areas()
                     if (p := geo.centroid(a)) is not None}
        if not distances:
            return literal(1e9)
        return case(distances, value=m.Candidate.postcode_area, else_=literal(1e9))

    def _score_expression(self, q: SearchQuery) -> Any:
        m = _models()
        C, S = m.Candidate, m.CandidateSkill
        spec = q.score
        assert spec is not None
        expr: Any = literal(scoring.BASE)

        def skill_count(codes: tuple[str, ...]) -> Any:
            return (select(func.count()).where(S.candidate_id == C.id, S.skill_code.in_(codes))
                    .correlate(C).scalar_subquery())

        if spec.required_skills:
            expr = expr + scoring.REQUIRED_SKILL * skill_count(spec.required_skills)
        if spec.nice_skills:
            expr = expr + scoring.NICE_SKILL * skill_count(spec.nice_skills)
        for slot in spec.slots:
            expr = expr + case((_has_slot_like(C.availability, f'%"{escape_like(slot)}"%'), scoring.SLOT), else_=0.0)
        if spec.origin is not None:
            weights = {}
            for area in self._all_areas():
                point = geo.centroid(area)
                if point is not None:
                    d = geo.distance_km((spec.origin.lat, spec.origin.lon), point)
                    weights[area] = scoring.DISTANCE * scoring.gauss_km(d)
            if weights:
                expr = expr + case(weights, value=C.postcode_area, else_=0.0)
        return expr

    # -- search ---------------------------------------------------------------------------
    def search_many(self, queries: Sequence[SearchQuery]) -> list[SearchResult]:
        """The searches one after the other (the interface's several-at-once call)."""
        return [self.search(q) for q in queries]

    def search(self, q: SearchQuery) -> SearchResult:
        m = _models()
        C = m.Candidate
        now = q.now or db.utcnow()
        params: dict[str, Any] = {}
        conds = self.conditions(q, now, params)
        facets: dict[str, dict[str, int]] | None = None
        recent = q.score is None and not (q.sort == "distance" and q.near is not None)
        if q.facets:
            # one statement: the matching set is computed once and every facet, the total (and,
            # in the default order, the page of ids) are taken from it
            page = (q.limit, q.offset) if recent else None
            # the page of ids is part of the answer only in the default order (else it is selected below)
            shape = q if page is not None else replace(q, offset=0, limit=0, sort="relevance", score=None)
            total, facets, page_ids = self._remembered(
                ("facets", shape), q, params, now, lambda: self.facets_and_total(conds, now, page, params))
            facets = {name: dict(counts) for name, counts in facets.items()}  # the caller's own copy
            if page_ids is not None:
                page_ids = list(page_ids)
                return SearchResult(ids=page_ids, total=total, facets=facets, backend=self.name)
        else:
            total = self._total(q, conds, params, now)
        query = select(C.id).where(*conds)
        score_col = None
        distance_col = None
        if q.score is not None:
            score_col = self._score_expression(q).label("score")
            query = select(C.id, score_col).where(*conds).order_by(score_col.desc(), C.id.asc())
        elif q.sort == "distance" and q.near is not None:
            distance_col = self._distance_case(q.near).label("distance")
            query = select(C.id, distance_col).where(*conds).order_by(distance_col.asc(), C.id.asc())
        else:
            query = query.order_by(C.updated_at.desc(), C.id.desc())
        if score_col is None and distance_col is None and _scope_only(conds):
            # the unfiltered gallery: the same page statement, built once per process
            paged, params = _newest_in_scope_statement(), {**params, "page_limit": q.limit, "page_offset": q.offset}
        else:
            paged = query.limit(q.limit).offset(q.offset)
        rows = db.session.execute(paged, params).all() if total else []
        result = SearchResult(ids=[row[0] for row in rows], total=total, backend=self.name)
        if score_col is not None:
            result.scores = {row[0]: float(row[1]) for row in rows}
        if distance_col is not None:
            result.distances = {row[0]: float(row[1]) for row in rows if row[1] < 1e8}
        if facets is not None:
            result.facets = facets
        return result

    def _total(self, q: SearchQuery, conds: list[ColumnElement[bool]], params: dict[str, Any], now: dt.datetime) -> int:
        """The number of matches (of a search without facets): what it depends on is the filters and
        scope, not the page, order or score."""
        return self._remembered(
            ("total", replace(q, offset=0, limit=0, sort="relevance", score=None)), q, params, now,
            lambda: db.session.scalar(select(func.count(_models().Candidate.id)).where(*conds), params) or 0)

    def _remembered(self, shape: Any, q: SearchQuery, params: dict[str, Any], now: dt.datetime,
                    compute: Any) -> Any:
        """`compute()`, or what it gave for the same `shape` of search under the same data token
        (search.freshness) and before the next consent moment: the data it counted has not changed,
        nor has any consent started or ended. A search at a given moment (`q.now`) is always computed.
        The key holds whether the employer scope's organisation may see anyone (`conditions` puts its
        parameters in `params` only then)."""
        if q.now is not None:
            return compute()
        return freshness.remembered(self._totals.get, self._keep_total,
                                    (replace(shape[1], now=None), shape[0], "visible_organisation_id" in params),
                                    now, compute)

    def _keep_total(self, key: Any, kept: tuple[Any, dt.datetime | None]) -> None:
        if len(self._totals) >= TOTALS_KEPT:
            self._totals.clear()  # simply start again: a full cache means many different searches
        self._totals[key] = kept

    def facets_and_total(self, conds: list[ColumnElement[bool]], now: dt.datetime,
                         page: tuple[int, int] | None = None, bound: dict[str, Any] | None = None,
                         ) -> tuple[int, dict[str, dict[str, int]], list[int] | None]:
        """The total and every facet in ONE statement, in one pass over the matching candidates.

        With `page` = (limit, offset): also the ids of that page in the default order (newest change
        first), so the filters are evaluated exactly once for the whole search.

        The matching set is a CTE (MATERIALIZED: evaluated once, on SQLite and PostgreSQL alike);
        the facets are grouped counts over it joined to the skill/sector/language tables (indexed
        by candidate id), combined with UNION ALL into (facet, value, count) rows. `bound`: the
        values of bound parameters in `conds` (see `conditions`).
        """
        models = _models()
        C = models.Candidate
        matching = select(C.id, C.municipality, C.status, C.updated_at,
                          _json_text(C.availability).label("slots")).where(*conds)
        cte = matching.cte("matching").prefix_with("MATERIALIZED")
        params: dict[str, Any] = {**(bound or {}), "facets_now": now}
        if page is not None:
            params["page_limit"], params["page_offset"] = page
        statement = _facets_statement(bool(conds), page is not None).add_cte(cte)
        facets: dict[str, dict[str, int]] = {
            "skills": {}, "sectors": {}, "municipalities": {}, "statuses": {}, "days": {},
        }
        total = 0
        yes = 0
        ranked_ids: list[tuple[int, int]] = []
        for facet, value, count in db.session.execute(statement, params):
            if facet == "page":
                ranked_ids.append((int(count), int(value)))
            elif facet == "total":
                total = int(count)
            elif facet == "consent_valid":
                yes = int(count or 0)
            elif facet == "place":
                status, municipality = str(value).split(" ", 1)
                if count:
                    facets["statuses"][status] = facets["statuses"].get(status, 0) + int(count)
                    facets["municipalities"][municipality] = facets["municipalities"].get(municipality, 0) + int(count)
            elif count:
                facets[facet][str(value)] = int(count)
        facets["days"] = {d: facets["days"][d] for d in availability.DAYS if d in facets["days"]}
        facets["consent_valid"] = {"yes": yes, "no": total - yes}
        return total, facets, ([i for _pos, i in sorted(ranked_ids)] if page is not None else None)

    # -- check ------------------------------------------------------------------------------
    def indexed_versions(self) -> dict[int, str | None]:
        return {}
