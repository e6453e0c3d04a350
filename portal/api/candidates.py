"""/api/v1/candidates and /api/v1/placements/{id}/matches: only what an employer may see.

- Only candidates inside the client organisation's consent scope: `visible_to_employer_clause`,
  the gallery's rule (published, valid consent that covers the organisation, approved organisation).
- Only the minimised employer profile (`portal.candidates.profile.employer_profile`); lists give
  the gallery card's part of it, the detail gives the whole profile and is recorded as an employer
  view through `record_employer_view` (audited, counted, rate-limited like the gallery detail page).
- Matches: the matching rule and explanations of portal.matching, restricted to the same scope;
  the distance (derived from the candidate's postcode area) is left out, as employers never see
  where a candidate lives.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from marshmallow import Schema, fields
from sqlalchemy import select

from portal.api.models import Scope
from portal.api.placements import visible_placement_or_404
from portal.api.problems import ApiProblem
from portal.api.v1 import PageQuery, current_actor, operation, page_envelope, page_schema, paginated
from portal.candidates import operations as candidate_ops
from portal.candidates.gallery import gallery_query
from portal.candidates.models import Candidate
from portal.candidates.profile import employer_profile
from portal.candidates.visibility import can_employer_view, visible_to_employer_clause
from portal.core import db
from portal.core.i18n import ui_locale
from portal.core.roles import Role

TAG = "candidates"


class CodeLabel(Schema):
    code = fields.String(required=True)
    label = fields.String(required=True)


class LevelEntry(Schema):
    skill = fields.String(required=True)
    skill_label = fields.String(required=True)
    level = fields.Integer(required=True)
    code = fields.String(required=True)
    description = fields.String(required=True)


class LanguageEntry(Schema):
    code = fields.String(required=True)
    label = fields.String(required=True)
    is_first_language = fields.Boolean(required=True)
    levels = fields.List(fields.Nested(LevelEntry), required=True)
    highest = fields.Integer(required=True)


class Availability(Schema):
    slots = fields.List(fields.String(), required=True)
    days = fields.List(fields.String(), required=True)
    day_labels = fields.List(fields.String(), required=True)
    slot_labels = fields.List(fields.String(), required=True)
    hours_per_week = fields.Integer(required=True, allow_none=True)
    available_from = fields.String(required=True, allow_none=True)


class CandidateSummary(Schema):
    """The gallery card: name (first name + initial), age band, municipality, Dutch, top skills."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    age_band = fields.String(required=True)
    municipality = fields.String(required=True)
    dutch = fields.Nested(LanguageEntry, required=True, allow_none=True)
    top_skills = fields.List(fields.Nested(CodeLabel), required=True)


class CandidateProfile(CandidateSummary):
    """The employer profile of portal.candidates.profile: never surname, birth date, contact data."""

    languages = fields.List(fields.Nested(LanguageEntry), required=True)
    other_languages = fields.List(fields.Nested(LanguageEntry), required=True)
    skills = fields.List(fields.Nested(CodeLabel), required=True)
    sector_interests = fields.List(fields.Nested(CodeLabel), required=True)
    availability = fields.Nested(Availability, required=True)
    ambitions = fields.String(required=True, allow_none=True)
    video = fields.Dict(required=True, allow_none=True)


SUMMARY_KEYS = ("id", "name", "age_band", "municipality", "dutch", "top_skills")
PROFILE_KEYS = (*SUMMARY_KEYS, "languages", "other_languages", "skills", "sector_interests", "availability",
                "ambitions", "video")


def summary(candidate: Candidate) -> dict[str, Any]:
    profile = employer_profile(candidate, ui_locale())
    return {key: profile[key] for key in SUMMARY_KEYS}


def _organisation_or_403() -> Any:
    actor = current_actor()
    if actor.role != Role.EMPLOYER:
        raise ApiProblem("forbidden")
    return actor.organisation


CandidatePage = page_schema(CandidateSummary, "CandidatePage")


@operation("/candidates", scopes=(Scope.CANDIDATES_READ,), tag=TAG, query=PageQuery, response=CandidatePage,
           summary="Kandidaten binnen de toestemming",
           description="Dezelfde kandidaten als de galerij van de organisatie: gepubliceerd, met geldige toestemming "
           "die de organisatie omvat. Alleen de kaartgegevens van het werkgeversprofiel.")
def list_candidates(args: dict[str, Any]):
    return paginated(gallery_query(_organisation_or_403()), args, summary)


@operation("/candidates/{candidate_id}", scopes=(Scope.CANDIDATES_READ,), tag=TAG, response=CandidateProfile,
           summary="Werkgeversprofiel van een kandidaat",
           description="Telt als bekeken profiel (auditlog) en valt onder dezelfde limiet als de galerij.")
def get_candidate(candidate_id: int):
    _organisation_or_403()
    actor = current_actor()
    candidate = db.session.get(Candidate, candidate_id)
    if not can_employer_view(candidate, actor):
        raise ApiProblem("not-found")
    try:
        candidate_ops.record_employer_view(actor, candidate)
    except candidate_ops.ViewRateLimited as exc:
        raise ApiProblem("rate-limited", detail=exc.message, headers={"Retry-After": "3600"}) from None
    profile = employer_profile(candidate, ui_locale())
    return {key: profile[key] for key in PROFILE_KEYS}


# -- matches ----------------------------------------------------------------------------------

class Check(Schema):
    skill = fields.String(required=True)
    have = fields.Integer(required=True)
    need = fields.Integer(required=True)
    outcome = fields.String(required=True, metadata={"description": "met | with_support | below"})
    text = fields.String(required=True)


class MatchExplanation(Schema):
    category = fields.String(required=True, metadata={"description": "match | with_support | taalstage"})
    score = fields.Float(required=True)
    dutch = fields.List(fields.Nested(Check), required=True)
    required_skills = fields.List(fields.String(), required=True)
    required_skills_met = fields.List(fields.String(), required=True)
    nice_to_have_skills_met = fields.List(fields.String(), required=True)
    common_dayparts = fields.List(fields.String(), required=True)
    lines = fields.List(fields.String(), required=True)


class Match(Schema):
    candidate = fields.Nested(CandidateSummary, required=True)
    kind = fields.String(required=True, metadata={"description": "match (voldoet) | suggestion (net onder het niveau: taalstage)"})
    explanation = fields.Nested(MatchExplanation, required=True)


MatchPage = page_schema(Match, "MatchPage")
MATCH_LIMIT = 100


def _explanation(explanation: Any) -> dict[str, Any]:
    from flask_babel import gettext as _

    distance = _("Afstand ongeveer %(km)d km (hemelsbreed, per postcodegebied)", km=round(explanation.distance_km)) \
        if explanation.distance_km is not None else None
    return {
        "category": explanation.category,
        "score": float(explanation.score),
        "dutch": [{"skill": c.skill, "have": c.have, "need": c.need, "outcome": c.outcome, "text": c.text}
                  for c in explanation.checks],
        "required_skills": list(explanation.required_skills),
        "required_skills_met": list(explanation.required_have),
        "nice_to_have_skills_met": list(explanation.nice_have),
        "common_dayparts": list(explanation.overlap),
        "lines": [line for line in explanation.lines if line != distance],
    }


@operation("/placements/{placement_id}/matches", scopes=(Scope.PLACEMENTS_READ, Scope.CANDIDATES_READ), tag=TAG,
           query=PageQuery, response=MatchPage, errors=(503,), summary="Passende kandidaten voor een plek",
           description="De matching van de portal (Nederlands per vaardigheid, vaardigheden, dagdelen) met uitleg, "
           "alleen over kandidaten binnen de toestemming van de organisatie. Eerst wie voldoet, dan wie net één niveau "
           "lager zit (idee voor een taalstage).")
def placement_matches(placement_id: int, args: dict[str, Any]):
    from portal.matching.operations import explain, match_queries
    from search import EmployerScope, SearchUnavailable
    from search import run as run_search

    organisation = _organisation_or_403()
    placement = visible_placement_or_404(placement_id)
    scope = EmployerScope(organisation.id)
    strict, below = match_queries(placement, limit=MATCH_LIMIT)
    results: list[tuple[Candidate, str]] = []
    try:
        for query, kind in ((strict, "match"), (below, "suggestion")):
            if query is None:
                continue
            found = run_search(dataclasses.replace(query, scope=scope, statuses=("published",)))
            rows = db.session.scalars(select(Candidate).where(
                Candidate.id.in_(found.ids), visible_to_employer_clause(organisation))).all() if found.ids else []
            by_id = {c.id: c for c in rows}
            seen = {c.id for c, _k in results}
            results += [(by_id[i], kind) for i in found.ids if i in by_id and i not in seen]
    except SearchUnavailable:
        raise ApiProblem("service-unavailable", headers={"Retry-After": "30"}) from None
    number, size = args["page"], args["page_size"]
    window = results[(number - 1) * size: number * size]
    items = [{"candidate": summary(c), "kind": kind, "explanation": _explanation(explain(c, placement))}
             for c, kind in window]
    return page_envelope(items, number, size, len(results))
