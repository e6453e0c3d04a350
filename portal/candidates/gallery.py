"""The employer gallery's filtering, in SQL, on top of the visibility rule.

    filters = GalleryFilters(sector="horeca", municipality="Zaanstad", days=["mon", "tue"],
                             min_levels={"spoken_interaction": 2})
    page = gallery_page(organisation, filters, per_page=12, locale="nl")   # GalleryPage: a Page of card profiles + .asked

This module is the gallery's one home: `gallery_page` routes the filters through the search layer
(`search.run` with an `EmployerScope`: the backend enforces published + valid consent + scope),
then checks the hits with `visible_to_employer_clause` again, so a stale index can never show a
candidate out of scope, and builds their cards (`card_profiles`, kept while the data stays). When the search backend is unavailable it falls back to the plain SQL
`gallery_query` (same filters, same rule): employers keep browsing. Imports go one way only
(this module -> search); search never imports portal.candidates.gallery.

The cards are loaded in a fixed number of statements whatever their number (`load_card_data`:
languages, skills, sectors, consents, the video profile with its objects), so the page does no N+1.
Days: a candidate matches when it is available on EVERY chosen day (any daypart). Dutch levels:
at least the chosen level for each chosen skill. "Past bij mijn plek" (`placement`, one of the
organisation's published placements): the matching's hard rule (portal.matching.operations
.effective_levels: the placement's Dutch level per skill, one lower where it allows that with
support on the floor), combined per skill with any chosen minimum (the higher of the two); it goes
through the same `languages` filter of the search interface, so both backends and the database
fallback agree. Never filters or sorts on gender or origin.

`interests_by_candidate(organisation, ids)` answers "did we already ask to meet them" for a whole
page of cards in one statement.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import Select, String, and_, bindparam, cast, exists, func, select
from sqlalchemy.orm.attributes import set_committed_value

from portal.candidates.models import LEVEL_COLUMNS, Candidate, CandidateLanguage, CandidateSectorInterest, Consent
from portal.candidates.profile import employer_profile_facts, present_profile
from portal.candidates.visibility import visible_params, visible_to_employer_clause, visible_to_employer_template
from portal.core import availability, db, fragments
from portal.core.pagination import Page, page_number, paginate
from search import EmployerScope, LanguageRequirement, SearchQuery, SearchUnavailable, run
from search.query import MAX_OFFSET

log = logging.getLogger(__name__)

PER_PAGE = 12


@cache
def _card_statements() -> tuple[Any, ...]:
    """The statements that load what the cards show, built once per process (so SQLAlchemy computes
    their cache keys once): (relationship, statement) per collection of the candidates, then the
    video profiles and their objects. Orders are the relationships' own."""
    from portal.candidates.models import CandidateSkill
    from portal.candidates.video_models import MediaObject, VideoProfile

    ids = bindparam("ids", expanding=True)
    collections = (
        ("languages", select(CandidateLanguage).where(CandidateLanguage.candidate_id.in_(ids))
         .order_by(CandidateLanguage.language_code)),
        ("skills", select(CandidateSkill).where(CandidateSkill.candidate_id.in_(ids)).order_by(CandidateSkill.position)),
        ("sector_interests", select(CandidateSectorInterest).where(CandidateSectorInterest.candidate_id.in_(ids))
         .order_by(CandidateSectorInterest.sector_code)),
        ("consents", select(Consent).where(Consent.candidate_id.in_(ids)).order_by(Consent.recorded_at.desc(), Consent.id.desc())),
    )
    videos = select(VideoProfile).where(VideoProfile.candidate_id.in_(ids))
    objects = (select(MediaObject).where(MediaObject.video_profile_id.in_(bindparam("video_ids", expanding=True)))
               .order_by(MediaObject.id))
    return collections, videos, objects


def load_card_data(candidates: list[Candidate]) -> list[Candidate]:
    """Load everything a card shows for these candidates in a fixed number of statements (one per
    relationship: languages, skills, sectors, consents, video profiles, their objects) and set it
    on them as loaded, so building the cards sends no further SQL.

    Consents come without their organisations: the card needs only whether the valid consent
    allows video; the visibility rule (consent scope included) was checked in SQL. This is the
    work selectinload would do, without its per-request loader-option overhead."""
    if not candidates:
        return candidates
    collections, videos, objects = _card_statements()
    ids = [c.id for c in candidates]
    for name, statement in collections:
        grouped: dict[int, list[Any]] = {}
        for row in db.session.scalars(statement, {"ids": ids}):
            grouped.setdefault(row.candidate_id, []).append(row)
        for candidate in candidates:
            set_committed_value(candidate, name, grouped.get(candidate.id, []))
    profiles = {v.candidate_id: v for v in db.session.scalars(videos, {"ids": ids})}
    files: dict[int, list[Any]] = {}
    if profiles:
        for obj in db.session.scalars(objects, {"video_ids": [v.id for v in profiles.values()]}):
            files.setdefault(obj.video_profile_id, []).append(obj)
    for profile in profiles.values():
        set_committed_value(profile, "objects", files.get(profile.id, []))
    for candidate in candidates:
        set_committed_value(candidate, "video_profile", profiles.get(candidate.id))
    return candidates


@dataclass
class GalleryFilters:
    sector: str | None = None
    municipality: str | None = None
    days: list[str] = field(default_factory=list)
    min_levels: dict[str, int] = field(default_factory=dict)
    #: One of the organisation's published placements ("Past bij mijn plek"), or None.
    placement: Any = None

    @property
    def active(self) -> bool:
        return bool(self.sector or self.municipality or self.days or any(self.min_levels.values()) or self.placement)

    @property
    def active_count(self) -> int:
        """How many filters are set (the folded filter panel says "Filters (n actief)")."""
        return (bool(self.sector) + bool(self.municipality) + bool(self.days)
                + sum(1 for v in self.min_levels.values() if v) + bool(self.placement))

    def dutch_minimum(self) -> dict[str, int]:
        """Per skill the Dutch level a candidate must have: the chosen minimum, raised to what the
        chosen placement requires (the matching's effective levels)."""
        levels = {skill: int(level) for skill, level in (self.min_levels or {}).items() if skill in LEVEL_COLUMNS and level}
        if self.placement is not None:
            from portal.matching.operations import effective_levels

            for skill, level in effective_levels(self.placement).items():
                if level > 0:
                    levels[skill] = max(levels.get(skill, 0), level)
        return levels

    @classmethod
    def of(cls, accepted: dict[str, Any], placements: dict[int, Any]) -> GalleryFilters:
        """The filters from `accepted_filters`' values; the placement is one of `placements` (by id)."""
        return cls(sector=accepted["sector"], municipality=accepted["municipality"], days=list(accepted["days"]),
                   min_levels=dict(accepted["min_levels"]), placement=placements.get(accepted["placement"]))


#: The query-string names of the gallery's filters (the rest, such as `page`, does not change them).
FILTER_FIELDS = frozenset(("placement", "sector", "municipality", "days", *LEVEL_COLUMNS))


def accepted_filters(form: Any) -> dict[str, Any]:
    """The filter values the validated form accepts (a refused field filters nothing), as plain data."""
    wanted = form.placement.data if not form.placement.errors else None
    return {
        "sector": form.sector.data if not form.sector.errors else None,
        "municipality": form.municipality.data if not form.municipality.errors else None,
        "days": tuple(d for d in (form.days.data or []) if not form.days.errors),
        "min_levels": tuple((skill, getattr(form, skill).data or 0) for skill in LEVEL_COLUMNS
                            if not getattr(form, skill).errors),
        "placement": int(wanted) if wanted and str(wanted).isdigit() else None,
    }


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
    levels = filters.dutch_minimum()
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
    levels = filters.dutch_minimum()
    return SearchQuery(
        scope=EmployerScope(organisation.id),
        sectors=(filters.sector,) if filters.sector else (),
        municipalities=municipality,
        days=tuple(filters.days or ()),
        languages=(LanguageRequirement.of("nl", **levels),) if levels else (),
        sort="recent", offset=(number - 1) * per_page, limit=per_page, facets=False,
    )


@dataclass(frozen=True)
class GalleryPage(Page):
    """A page of the gallery: `items` are the cards' profiles (employer_profile), in the search's order."""

    #: {candidate id: this organisation's "Ik wil kennismaken" for that candidate, newest first}
    asked: dict[int, list[AskedToMeet]] = field(default_factory=dict)


def gallery_page(organisation, filters: GalleryFilters | None = None, per_page: int = PER_PAGE,
                 known_municipalities: list[str] | None = None, locale: str = "nl") -> GalleryPage:
    """Through the search layer: the backend enforces the employer scope, the hits are checked with the
    visibility rule again and their cards built (`card_profiles`); falls back to `gallery_query` when
    search is down. The organisation's own interests in the cards come with the hits (the same statement)."""
    filters = filters or GalleryFilters()
    number = min(page_number(), MAX_OFFSET // per_page)
    try:
        result = run(gallery_search_query(organisation, filters, number, per_page, known_municipalities))
    except SearchUnavailable:
        log.warning("search unavailable: employer gallery falls back to the database query")
        page = paginate(gallery_query(organisation, filters), per_page=per_page)
        ids = [c.id for c in page.items]
        return GalleryPage(card_profiles(ids, locale, loaded=list(page.items)), page.number, page.per_page, page.total,
                           interests_by_candidate(organisation, ids))
    if not result.ids:
        return GalleryPage([], number, per_page, result.total)
    params = visible_params(organisation)
    if params is None:
        return GalleryPage([], number, per_page, 0)
    visible: set[int] = set()
    asked: dict[int, list[AskedToMeet]] = {}
    for candidate_id, created_at, title in db.session.execute(_hits_statement(), {**params, "ids": list(result.ids)}):
        visible.add(candidate_id)
        if created_at is not None:
            asked.setdefault(candidate_id, []).append(AskedToMeet(created_at, title))
    ids = [i for i in result.ids if i in visible]
    return GalleryPage(card_profiles(ids, locale), number, per_page, result.total, asked)


@cache
def _hits_statement() -> Select:
    """The ids of the gallery's hits that the visibility rule admits, with this organisation's interests
    in them (parameters: `ids` and `visible_params`); built once per process."""
    from portal.candidates.models import Interest
    from portal.placements.models import Placement

    return (select(Candidate.id, Interest.created_at, Placement.title)
            .outerjoin(Interest, and_(Interest.candidate_id == Candidate.id,
                                      Interest.organisation_id == bindparam("visible_organisation_id")))
            .outerjoin(Placement, Placement.id == Interest.placement_id)
            .where(Candidate.id.in_(bindparam("ids", expanding=True)), visible_to_employer_template())
            .order_by(Interest.created_at.desc(), Interest.id.desc()))


@cache
def _candidates_statement() -> Select:
    return select(Candidate).where(Candidate.id.in_(bindparam("ids", expanding=True)))


def card_profiles(ids: list[int], locale: str, loaded: list[Candidate] | None = None) -> list[dict[str, Any]]:
    """The employer profile of each of these candidates, in this order, for the gallery's cards (the
    caller has checked that the organisation may see them).

    What a profile shows follows from the candidate's data, the language and the day (the age band):
    its facts (`employer_profile_facts`) are kept per process under the data token of search.freshness
    (a new one with every write to a candidate's rows, consents and video) and today's date, so a card
    seen before costs no SQL; the rest are loaded in a fixed number of statements (`load_card_data`,
    or the given `loaded` candidates). Every card is then presented for this request
    (`present_profile`: the video's URLs are bound to the viewer and short-lived)."""
    from search import freshness

    token = freshness.current_token()
    today = dt.date.today().isoformat()
    keys = {i: (token, i, today, locale) for i in ids}
    found = fragments.kept("employer-card", list(keys.values())) if token is not None else {}
    facts = {i: found[keys[i]] for i in ids if keys[i] in found}
    missing = [i for i in ids if i not in facts]
    if missing:
        candidates = loaded if loaded is not None else list(db.session.scalars(_candidates_statement(), {"ids": missing}))
        wanted = set(missing)
        for candidate in load_card_data([c for c in candidates if c.id in wanted]):
            facts[candidate.id] = employer_profile_facts(candidate, locale)
            if token is not None:
                fragments.keep("employer-card", keys[candidate.id], facts[candidate.id])
    return [present_profile(facts[i]) for i in ids if i in facts]


@cache
def _municipalities_statement() -> Select:
    return select(Candidate.municipality).where(visible_to_employer_template()).distinct()


def municipalities(organisation) -> list[str]:
    """Municipalities of the candidates this organisation may see (for the filter's choices).

    Finding them reads every visible candidate (about 1 ms at 10,000), so the answer is kept per
    process under the data token of search.freshness (a write to a candidate or a consent makes a
    new one) until the next moment a consent starts or ends by the clock, as the search's totals are."""
    from search import freshness

    params = visible_params(organisation)
    if params is None:
        return []
    key = organisation.id
    found = freshness.remembered(
        lambda k: fragments.kept("gallery-municipalities", [k]).get(k),
        lambda k, kept: fragments.keep("gallery-municipalities", k, kept), key, params["visible_now"],
        lambda: tuple(sorted(set(db.session.scalars(_municipalities_statement(), params)))))
    return list(found)


@cache
def _fitting_placements_statement() -> Select:
    from portal.placements.models import Placement, PlacementStatus

    return (select(Placement).where(Placement.organisation_id == bindparam("organisation_id"),
                                    Placement.status == PlacementStatus.PUBLISHED)
            .order_by(Placement.title, Placement.id))


def fitting_placements(organisation) -> list[Any]:
    """The organisation's published placements, for the "Past bij mijn plek" filter (the statement
    is built once per process)."""
    return list(db.session.scalars(_fitting_placements_statement(), {"organisation_id": organisation.id}))


@dataclass(frozen=True)
class AskedToMeet:
    """This organisation's "Ik wil kennismaken" for a candidate (for the card and the profile)."""

    created_at: Any
    placement_title: str | None


@cache
def _interests_statement() -> Select:
    """An organisation's interests in some candidates, newest first (`organisation_id`, `ids`); built once."""
    from portal.candidates.models import Interest
    from portal.placements.models import Placement

    return (select(Interest.candidate_id, Interest.created_at, Placement.title)
            .outerjoin(Placement, Placement.id == Interest.placement_id)
            .where(Interest.organisation_id == bindparam("organisation_id"),
                   Interest.candidate_id.in_(bindparam("ids", expanding=True)))
            .order_by(Interest.created_at.desc(), Interest.id.desc()))


def interests_by_candidate(organisation, candidate_ids: list[int]) -> dict[int, list[AskedToMeet]]:
    """{candidate id: this organisation's interests, newest first} for the given candidates, in one statement."""
    if organisation is None or not candidate_ids:
        return {}
    rows = db.session.execute(_interests_statement(), {"organisation_id": organisation.id, "ids": list(candidate_ids)}).all()
    out: dict[int, list[AskedToMeet]] = {}
    for candidate_id, created_at, title in rows:
        out.setdefault(candidate_id, []).append(AskedToMeet(created_at, title))
    return out
