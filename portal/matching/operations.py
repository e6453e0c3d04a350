"""Matching placements and candidates, with an explanation per requirement.

Placement -> candidates (`candidates_for_placement`):
1. Hard filter on the Dutch requirement, per skill. The effective minimum is the required level,
   or one level lower for every skill when the employer allows "one level below, with support on
   the floor" (and the placement offers support) — the rule documented in
   portal.placements.documents.
2. Score (search.scoring): required and nice-to-have skills, availability overlap
   (portal.core.availability.overlap) and travel distance between postcode areas. The backend
   ranks; this module explains each hit.
3. Candidates exactly one level below the effective minimum in one or more skills are offered
   separately as taalstage suggestions.

Candidate -> placements (`placements_for_candidate`): the same rule and score over the open
(published, approved organisation) placements, computed here in Python (there are far fewer
placements than candidates).
Candidates considered: status "ready" or "published" (intake, placed and paused are left out).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.core.i18n import ui_locale
from portal import reference
from portal.core import availability, db
from search import LanguageRequirement, Near, ScoreSpec, SearchQuery, geo, scoring
from search import run_many

MATCHABLE_STATUSES = ("ready", "published")
MET, WITH_SUPPORT, BELOW = "met", "with_support", "below"


@dataclass
class RequirementCheck:
    skill: str
    have: int
    need: int
    outcome: str  # met | with_support | below

    @property
    def text(self) -> str:
        skill = reference.skill_label(self.skill, ui_locale())
        have = reference.level_code(self.have, ui_locale())
        need = reference.level_code(self.need, ui_locale())
        if self.outcome == MET:
            verdict = _("voldoet")
        elif self.outcome == WITH_SUPPORT:
            verdict = _("één niveau lager (toegestaan met ondersteuning op de werkvloer)")
        elif self.need - self.have == 1:
            verdict = _("één niveau lager")
        else:
            verdict = _("%(n)d niveaus lager", n=self.need - self.have)
        return _("%(skill)s %(have)s, gevraagd %(need)s: %(verdict)s", skill=skill, have=have, need=need, verdict=verdict)


@dataclass
class Explanation:
    checks: list[RequirementCheck]
    required_skills: list[str]
    required_have: list[str]
    nice_have: list[str]
    overlap: list[str]
    distance_km: float | None
    score: float
    other_languages: list[str] = field(default_factory=list)

    @property
    def category(self) -> str:
        outcomes = {c.outcome for c in self.checks}
        if BELOW in outcomes:
            return "taalstage"
        if WITH_SUPPORT in outcomes:
            return "with_support"
        return "match"

    @property
    def lines(self) -> list[str]:
        out = [c.text for c in self.checks] or [_("Geen eisen aan het Nederlands")]
        if self.required_skills:
            out.append(_("Vereiste vaardigheden: %(have)d van %(total)d", have=len(self.required_have),
                         total=len(self.required_skills)))
        if self.nice_have:
            out.append(_("Gewenste vaardigheden: %(names)s", names=", ".join(_skill_names(self.nice_have))))
        if self.overlap:
            out.append(_("Beschikbaar op %(n)d gevraagde dagdelen", n=len(self.overlap)))
        else:
            out.append(_("Geen overlap in beschikbaarheid"))
        if self.distance_km is not None:
            out.append(_("Afstand ongeveer %(km)d km (hemelsbreed, per postcodegebied)", km=round(self.distance_km)))
        out += self.other_languages
        return out


def _skill_names(codes: list[str]) -> list[str]:
    return [reference.skill(c).label(ui_locale()) if reference.is_skill(c) else c for c in codes]


def support_allowed(placement: Any) -> bool:
    return bool(placement.allow_one_level_below_with_support and placement.support)


def effective_levels(placement: Any) -> dict[str, int]:
    """The per-skill minimum a candidate must have (one lower when support is allowed)."""
    drop = 1 if support_allowed(placement) else 0
    return {skill: max(0, need - drop) for skill, need in placement.dutch_levels.items() if need > 0}


def dutch_checks(candidate: Any, placement: Any) -> list[RequirementCheck]:
    dutch = candidate.dutch
    allowed = support_allowed(placement)
    checks = []
    for skill, need in placement.dutch_levels.items():
        if need <= 0:
            continue
        have = getattr(dutch, skill) if dutch is not None else 0
        if have >= need:
            outcome = MET
        elif allowed and have == need - 1:
            outcome = WITH_SUPPORT
        else:
            outcome = BELOW
        checks.append(RequirementCheck(skill, have, need, outcome))
    return checks


def explain(candidate: Any, placement: Any) -> Explanation:
    skills = set(candidate.skill_codes)
    overlap = availability.overlap(candidate.availability or [], placement.dayparts or [])
    distance = geo.area_distance_km(candidate.postcode_area, geo.postcode_area(placement.postcode))
    others = []
    for row in getattr(placement, "other_languages", []) or []:
        mine = candidate.language(row.language)
        if mine is not None and max(mine.levels.values()) >= row.level:
            others.append(_("Spreekt ook %(language)s: een werktaal in het team",
                            language=reference.language(row.language).label(ui_locale()) if reference.is_language(row.language) else row.language))
    return Explanation(
        checks=dutch_checks(candidate, placement),
        required_skills=list(placement.required_skills),
        required_have=[s for s in placement.required_skills if s in skills],
        nice_have=[s for s in placement.nice_to_have_skills if s in skills],
        overlap=overlap,
        distance_km=distance,
        score=scoring.score(skills=skills, slots=candidate.availability or [], distance_km=distance,
                            required_skills=placement.required_skills, nice_skills=placement.nice_to_have_skills,
                            wanted_slots=placement.dayparts or []),
        other_languages=others,
    )


def _score_spec(placement: Any) -> ScoreSpec:
    area = geo.postcode_area(placement.postcode)
    point = geo.centroid(area)
    origin = Near(area, None, point[0], point[1]) if area and point else None
    return ScoreSpec(required_skills=tuple(placement.required_skills), nice_skills=tuple(placement.nice_to_have_skills),
                     slots=tuple(placement.dayparts or ()), origin=origin)


@dataclass
class MatchResult:
    matches: list[tuple[Any, Explanation]]
    suggestions: list[tuple[Any, Explanation]]
    total_matches: int
    total_suggestions: int
    backend: str


def match_queries(placement: Any, *, limit: int = 25) -> tuple[SearchQuery, SearchQuery | None]:
    """(query for candidates that meet the requirement, query for those just below it, or None)."""
    minimum = {skill: level for skill, level in effective_levels(placement).items() if level > 0}
    below = {skill: max(0, level - 1) for skill, level in minimum.items()}
    meets = (LanguageRequirement.of("nl", **minimum),) if minimum else ()
    base = dict(statuses=MATCHABLE_STATUSES, score=_score_spec(placement), sort="score", limit=limit, facets=False)
    strict = SearchQuery(languages=meets, **base)
    if not minimum:
        return strict, None  # no Dutch needed (or none left after the allowance): nobody is "below"
    near_req = (LanguageRequirement.of("nl", **below),) if any(below.values()) else ()
    suggestions = SearchQuery(languages=near_req, languages_not=meets, **base)
    return strict, suggestions


def _load(ids: list[int]) -> list[Any]:
    from portal.candidates.models import Candidate

    if not ids:
        return []
    from portal.candidates.models import Consent

    # consents with their organisations too: the matches page says per candidate whether the consent
    # covers the placement's organisation (in a fixed number of statements, whatever the number of cards)
    rows = db.session.scalars(select(Candidate).where(Candidate.id.in_(ids)).options(
        selectinload(Candidate.languages), selectinload(Candidate.skills),
        selectinload(Candidate.consents).selectinload(Consent.organisations))).all()
    by_id = {c.id: c for c in rows}
    return [by_id[i] for i in ids if i in by_id]


def candidates_for_placement(placement: Any, *, limit: int = 25) -> MatchResult:
    """Ranked, explained candidates for a placement. Raises search.SearchUnavailable when search is down."""
    strict, below = match_queries(placement, limit=limit)
    if below is None:
        (found,), near = run_many([strict]), None
    else:
        found, near = run_many([strict, below])
    matches = [(c, explain(c, placement)) for c in _load(found.ids)]
    suggestions = []
    if near is not None:
        # only those exactly one level below in the skills they miss (the backend filtered on that)
        suggestions = [(c, explain(c, placement)) for c in _load(near.ids)]
    return MatchResult(matches, suggestions, found.total, near.total if near else 0, found.backend)


def open_placements() -> list[Any]:
    """Published placements of approved organisations with a place left (a full placement, whose
    places are all taken by started trajects, leaves the matches until the employer reopens one)."""
    from portal.placements.models import Placement

    return list(db.session.scalars(open_placements_query().options(
        selectinload(Placement.other_languages), selectinload(Placement.organisation))))


def open_placements_query() -> Any:
    """The select() behind `open_placements`, for pages that need only a count or the newest few."""
    from sqlalchemy import func

    from portal.accounts.models import Organisation, OrganisationStatus
    from portal.placements.models import Placement, PlacementStatus
    from portal.trajects.models import Traject, TrajectStage

    # Counted once per placement in one grouped pass (a correlated count per placement row costs
    # ~0.1 ms each: 170 ms for 2,000 placements on PostgreSQL). count(*) over (stage, placement_id)
    # is read from the index ix_trajects_stage_placement alone (no visit of the trajects table).
    filled = (select(Traject.placement_id, func.count().label("n"))
              .where(Traject.stage == TrajectStage.STARTED).group_by(Traject.placement_id).subquery())
    return (select(Placement).join(Organisation, Placement.organisation_id == Organisation.id)
            .outerjoin(filled, filled.c.placement_id == Placement.id)
            .where(Placement.status == PlacementStatus.PUBLISHED, Organisation.status == OrganisationStatus.APPROVED,
                   Placement.places > func.coalesce(filled.c.n, 0)))


def placements_for_candidate(candidate: Any) -> tuple[list[tuple[Any, Explanation]], list[tuple[Any, Explanation]]]:
    """(placements the candidate meets, placements where the candidate is just below: taalstage ideas)."""
    matches, suggestions = [], []
    for placement in open_placements():
        explanation = explain(candidate, placement)
        outcomes = [c for c in explanation.checks if c.outcome == BELOW]
        if not outcomes:
            matches.append((placement, explanation))
        elif all(c.need - c.have == (1 if not support_allowed(placement) else 2) for c in outcomes):
            suggestions.append((placement, explanation))
    key = lambda item: (-item[1].score, item[0].id)  # noqa: E731
    return sorted(matches, key=key), sorted(suggestions, key=key)
