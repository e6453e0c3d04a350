"""The database backend: candidate search with SQL over the portal's own tables (embedded default).

There is no separate index: every query reads the live candidate tables, so this backend is
always in sync (the outbox rows are simply cleared by the drain). Employer scope uses
portal.candidates.visibility (the one rule); filters follow the semantics in search.query,
and the match score is the SQL form of search.scoring.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import String, and_, case, cast, exists, false, func, literal, not_, or_, select
from sqlalchemy.sql import ColumnElement

from portal import reference
from portal.core import availability, db
from search import geo, scoring
from search.query import SearchQuery, SearchResult, words


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


class DatabaseBackend:
    """The embedded default: searches with SQL in the portal's own database."""

    name = "database"
    needs_sync = False

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.config = config
        self.recently_down = False

    def ping(self) -> bool:
        return True

    # The interface's write side is a no-op: the tables are the index.
    def write(self, docs: list[dict[str, Any]], deletes: Iterable[int] = (), **_kw: Any) -> set[int]:
        return set()

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

    def conditions(self, q: SearchQuery, now: dt.datetime) -> list[ColumnElement[bool]]:
        m = _models()
        C = m.Candidate
        conds: list[ColumnElement[bool]] = []
        if q.scope is not None:
            from portal.accounts.models import Organisation
            from portal.candidates.visibility import visible_to_employer_clause

            organisation = db.session.get(Organisation, q.scope.organisation_id)
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
        m = _models()
        return list(db.session.scalars(select(m.Candidate.postcode_area).distinct()))

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
    def search(self, q: SearchQuery) -> SearchResult:
        m = _models()
        C = m.Candidate
        now = q.now or db.utcnow()
        conds = self.conditions(q, now)
        total = db.session.scalar(select(func.count(C.id)).where(*conds)) or 0
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
        rows = db.session.execute(query.limit(q.limit).offset(q.offset)).all()
        result = SearchResult(ids=[row[0] for row in rows], total=total, backend=self.name)
        if score_col is not None:
            result.scores = {row[0]: float(row[1]) for row in rows}
        if distance_col is not None:
            result.distances = {row[0]: float(row[1]) for row in rows if row[1] < 1e8}
        if q.facets:
            result.facets = self.facets(conds, now, total)
        return result

    def facets(self, conds: list[ColumnElement[bool]], now: dt.datetime, total: int) -> dict[str, dict[str, int]]:
        m = _models()
        C = m.Candidate
        matching = select(C.id).where(*conds).scalar_subquery() if conds else None

        def grouped(column: Any, candidate_column: Any) -> dict[str, int]:
            query = select(column, func.count()).group_by(column)
            if matching is not None:
                query = query.where(candidate_column.in_(matching))
            return {str(getattr(value, "value", value)): int(count) for value, count in db.session.execute(query)}

        facets = {
            "skills": grouped(m.CandidateSkill.skill_code, m.CandidateSkill.candidate_id),
            "sectors": grouped(m.CandidateSectorInterest.sector_code, m.CandidateSectorInterest.candidate_id),
            "languages": grouped(m.CandidateLanguage.language_code, m.CandidateLanguage.candidate_id),
        }
        for name, column in (("municipalities", C.municipality), ("statuses", C.status)):
            facets[name] = {str(getattr(v, "value", v)): int(n)
                            for v, n in db.session.execute(select(column, func.count()).where(*conds).group_by(column))}
        day_counts = db.session.execute(select(
            *(func.coalesce(func.sum(case((_has_slot_like(C.availability, f'%"{escape_like(d)}\\_%'), 1), else_=0)), 0)
              for d in availability.DAYS)
        ).where(*conds)).one()
        facets["days"] = {d: int(n) for d, n in zip(availability.DAYS, day_counts) if n}
        yes = db.session.scalar(select(func.count(C.id)).where(*conds, self.consent_valid_clause(now))) or 0
        facets["consent_valid"] = {"yes": int(yes), "no": int(total - yes)}
        return facets

    # -- check ------------------------------------------------------------------------------
    def indexed_versions(self) -> dict[int, str | None]:
        return {}
