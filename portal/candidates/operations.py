"""Domain operations on candidates: change, flush, audit; never commit, never touch `request`.

Audit entries name the candidate by id only: no names, dates of birth or other personal data,
so they can stay after erasure.

Hooks for other areas (media, events, search) are in `portal.candidates.hooks` and re-exported
here: `on_consent_ended(func(candidate, reason))`, `on_candidate_erased(func(candidate))`.
They are called by `withdraw_consent`, `expire_consents` (periodic job "candidates.expire_consents"),
`record_consent` (reason "video_not_allowed" when a new consent drops video) and `erase_candidate`.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import distinct, func, select
from sqlalchemy.orm import contains_eager

from portal import reference
from portal.candidates import hooks
from portal.candidates.consent_text import CONSENT_TEXTS, CURRENT_VERSION, MAX_CONSENT_MONTHS
from portal.candidates.hooks import on_candidate_erased, on_consent_ended  # noqa: F401  (re-exported)
from portal.candidates.models import (
    LEVEL_COLUMNS, Candidate, CandidateExperience, CandidateLanguage, CandidateSectorInterest, CandidateSkill,
    CandidateStatus, Consent, ConsentScope, Interest,
)
from portal.candidates.visibility import can_employer_view
from portal.core import audit, db
from portal.core.audit import AuditEntry
from portal.core.errors import DomainError, NotAllowed

from portal.candidates.employer_views import (  # noqa: E402,F401  (one place for view recording)
    RATE_LIMITED_ACTION, VIEW_ACTION, ViewRateLimited, record_employer_view,
)

PROFILE_FIELDS = (
    "first_name", "surname", "date_of_birth", "gender", "municipality", "postcode_area", "mobility",
    "availability", "hours_per_week", "available_from", "inburgering_status", "inburgering_exam_level",
    "education_level", "education_country", "education_recognised", "ambitions", "support_needs",
)


class DuplicateCandidate(DomainError):
    """Name and date of birth match existing candidates; the account manager must confirm."""

    def __init__(self, duplicates: Sequence[Candidate]) -> None:
        super().__init__(str(_l("Er bestaat al een kandidaat met deze naam en geboortedatum. Controleer of het "
                                "om dezelfde persoon gaat; is het een ander, bevestig dat dan en sla opnieuw op.")),
                         field="confirm_duplicate")
        self.duplicates = list(duplicates)


@dataclass
class LanguageInput:
    language_code: str
    is_first_language: bool = False
    levels: dict[str, int] = field(default_factory=dict)


@dataclass
class ExperienceInput:
    skill_code: str | None = None
    occupation: str = ""
    years: int = 0
    country: str = ""


# -- profiles --------------------------------------------------------------------------------

def find_duplicates(first_name: str, surname: str, date_of_birth: dt.date, exclude_id: int | None = None) -> list[Candidate]:
    query = select(Candidate).where(
        func.lower(Candidate.first_name) == (first_name or "").strip().lower(),
        func.lower(Candidate.surname) == (surname or "").strip().lower(),
        Candidate.date_of_birth == date_of_birth,
    )
    if exclude_id is not None:
        query = query.where(Candidate.id != exclude_id)
    return list(db.session.scalars(query.order_by(Candidate.id)))


def _check_codes(languages: Sequence[LanguageInput], skills: Sequence[str], sectors: Sequence[str],
                 experiences: Sequence[ExperienceInput]) -> None:
    seen = set()
    for entry in languages:
        if not reference.is_language(entry.language_code):
            raise DomainError(str(_l("Onbekende taal.")), field="languages")
        if entry.language_code in seen:
            raise DomainError(str(_l("Elke taal mag maar één keer voorkomen.")), field="languages")
        seen.add(entry.language_code)
        for skill in LEVEL_COLUMNS:
            level = entry.levels.get(skill, 0)
            if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 6:
                raise DomainError(str(_l("Een taalniveau loopt van 0 (geen) tot 6 (C2).")), field="languages")
    for code in skills:
        if not reference.is_skill(code):
            raise DomainError(str(_l("Kies vaardigheden uit de lijst.")), field="skills")
    for code in sectors:
        if not reference.is_sector(code):
            raise DomainError(str(_l("Kies sectoren uit de lijst.")), field="sector_interests")
    for exp in experiences:
        if exp.skill_code and not reference.is_skill(exp.skill_code):
            raise DomainError(str(_l("Kies een beroep uit de lijst of beschrijf het zelf.")), field="experiences")
        if not exp.skill_code and not exp.occupation.strip():
            raise DomainError(str(_l("Vul bij werkervaring een beroep in.")), field="experiences")


def _apply(candidate: Candidate, fields: dict[str, Any], languages: Sequence[LanguageInput], skills: Sequence[str],
           sectors: Sequence[str], experiences: Sequence[ExperienceInput]) -> None:
    _check_codes(languages, skills, sectors, experiences)
    for name in PROFILE_FIELDS:
        if name in fields:
            value = fields[name]
            if isinstance(value, str) and name not in ("ambitions", "support_needs"):
                value = value.strip()
            setattr(candidate, name, value)
    # Languages: update in place so ids stay stable, remove the ones no longer listed.
    wanted = {entry.language_code: entry for entry in languages}
    for row in list(candidate.languages):
        if row.language_code not in wanted:
            candidate.languages.remove(row)
    existing = {row.language_code: row for row in candidate.languages}
    for code, entry in wanted.items():
        row = existing.get(code)
        if row is None:
            row = CandidateLanguage(language_code=code)
            candidate.languages.append(row)
        row.is_first_language = bool(entry.is_first_language)
        for skill in LEVEL_COLUMNS:
            setattr(row, skill, int(entry.levels.get(skill, 0)))
    unique_skills = list(dict.fromkeys(skills))
    current_skills = {row.skill_code: row for row in candidate.skills}
    for code, row in current_skills.items():
        if code not in unique_skills:
            candidate.skills.remove(row)
    for position, code in enumerate(unique_skills):
        row = current_skills.get(code)
        if row is None:
            candidate.skills.append(CandidateSkill(skill_code=code, position=position))
        else:
            row.position = position
    unique_sectors = list(dict.fromkeys(sectors))
    for row in list(candidate.sector_interests):
        if row.sector_code not in unique_sectors:
            candidate.sector_interests.remove(row)
    have = {row.sector_code for row in candidate.sector_interests}
    for code in unique_sectors:
        if code not in have:
            candidate.sector_interests.append(CandidateSectorInterest(sector_code=code))
    candidate.experiences.clear()
    for exp in experiences:
        candidate.experiences.append(CandidateExperience(
            skill_code=exp.skill_code or None, occupation=exp.occupation.strip(), years=exp.years, country=exp.country.strip(),
        ))


def _own_municipality_only(actor: Any, fields: dict[str, Any], owner: Any = None) -> None:
    """An account manager keeps files of their own municipality only (and hands them to a colleague there)."""
    from portal.candidates.models import same_municipality
    from portal.core.roles import Role

    probe = Candidate(municipality=fields.get("municipality") or "")
    for person, field_name in ((actor, "municipality"), (owner, "owner_id")):
        if person is not None and getattr(person, "role", None) == Role.ACCOUNT_MANAGER and not same_municipality(person, probe):
            raise DomainError(str(_l("Een accountmanager legt alleen kandidaten van de eigen gemeente (%(municipality)s) vast.",
                                     municipality=person.municipality or "-")), field=field_name)


def create_candidate(actor: Any, *, owner: Any = None, fields: dict[str, Any], languages: Sequence[LanguageInput] = (),
                     skills: Sequence[str] = (), sectors: Sequence[str] = (), experiences: Sequence[ExperienceInput] = (),
                     confirm_duplicate: bool = False) -> Candidate:
    _own_municipality_only(actor, fields, owner)
    duplicates = find_duplicates(fields["first_name"], fields["surname"], fields["date_of_birth"])
    if duplicates and not confirm_duplicate:
        raise DuplicateCandidate(duplicates)
    owner = owner or actor
    candidate = Candidate(owner_id=owner.id, status=CandidateStatus.INTAKE)
    _apply(candidate, fields, languages, skills, sectors, experiences)
    db.session.add(candidate)
    db.session.flush()
    audit.record("candidate.created", candidate, actor=actor, duplicate_confirmed=bool(duplicates))
    return candidate


def update_candidate(candidate: Candidate, actor: Any, *, fields: dict[str, Any], languages: Sequence[LanguageInput] = (),
                     skills: Sequence[str] = (), sectors: Sequence[str] = (), experiences: Sequence[ExperienceInput] = ()) -> Candidate:
    _own_municipality_only(actor, fields)
    _apply(candidate, fields, languages, skills, sectors, experiences)
    candidate.updated_at = db.utcnow()
    db.session.flush()
    audit.record("candidate.updated", candidate, actor=actor)
    return candidate


def set_owner(candidate: Candidate, actor: Any, owner: Any) -> None:
    candidate.owner_id = owner.id
    db.session.flush()
    audit.record("candidate.owner_changed", candidate, actor=actor, owner_id=owner.id)


def set_status(candidate: Candidate, actor: Any, status: CandidateStatus) -> None:
    """Move between intake / ready / placed / paused. Publishing goes through `publish`."""
    status = CandidateStatus(status)
    if status == CandidateStatus.PUBLISHED:
        raise DomainError(str(_l("Publiceren gaat via de voorvertoning.")), field="status")
    candidate.status = status
    candidate.published_at = None
    db.session.flush()
    audit.record("candidate.status_changed", candidate, actor=actor, status=status.value)


def publish(candidate: Candidate, actor: Any) -> None:
    if candidate.valid_consent is None:
        raise DomainError(str(_l("Publiceren kan alleen met een geldige toestemming van de kandidaat.")))
    if candidate.status == CandidateStatus.PUBLISHED:
        return
    candidate.status = CandidateStatus.PUBLISHED
    candidate.published_at = db.utcnow()
    if candidate.first_published_at is None:
        candidate.first_published_at = candidate.published_at
    db.session.flush()
    audit.record("candidate.published", candidate, actor=actor)


def unpublish(candidate: Candidate, actor: Any, *, reason: str = "manual") -> None:
    if candidate.status != CandidateStatus.PUBLISHED:
        return
    candidate.status = CandidateStatus.READY
    candidate.published_at = None
    db.session.flush()
    audit.record("candidate.unpublished", candidate, actor=actor, reason=reason)


# -- consent ---------------------------------------------------------------------------------

def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def latest_allowed_expiry(recorded_at: dt.datetime) -> dt.datetime:
    return add_months(recorded_at, MAX_CONSENT_MONTHS)


def record_consent(candidate: Candidate, actor: Any, *, scope: ConsentScope | str, expires_at: dt.datetime,
                   video_allowed: bool = False, organisations: Iterable[Any] = (),
                   text_version: str = CURRENT_VERSION, recorded_at: dt.datetime | None = None,
                   text_language: str = "nl") -> Consent:
    """Record a new consent; the previous open consent (if any) is superseded by it."""
    now = db.utcnow()
    recorded_at = recorded_at or now
    scope = ConsentScope(scope)
    organisations = list(organisations)
    if text_version not in CONSENT_TEXTS:
        raise DomainError(str(_l("Onbekende versie van de toestemmingstekst.")), field="text_version")
    if text_language not in CONSENT_TEXTS[text_version]:
        raise DomainError(str(_l("De toestemmingstekst bestaat niet in deze taal.")), field="text_language")
    if expires_at.tzinfo is None:
        raise ValueError("expires_at must be timezone-aware")
    if expires_at <= recorded_at:
        raise DomainError(str(_l("De einddatum moet na vandaag liggen.")), field="expires_on")
    if expires_at > latest_allowed_expiry(recorded_at):
        raise DomainError(str(_l("Toestemming geldt hoogstens 12 maanden.")), field="expires_on")
    if scope == ConsentScope.SELECTED_ORGANISATIONS and not organisations:
        raise DomainError(str(_l("Kies ten minste één organisatie.")), field="organisations")
    if scope == ConsentScope.ALL_APPROVED_EMPLOYERS:
        organisations = []
    previous = candidate.valid_consent_at(now)
    for old in candidate.consents:
        if old.withdrawn_at is None and old.superseded_at is None and old.ended_at is None:
            old.superseded_at = now
            old.ended_at = now
    consent = Consent(
        candidate=candidate, recorded_at=recorded_at, recorded_by_id=getattr(actor, "id", None), text_version=text_version,
        text_language=text_language,
        scope=scope, video_allowed=bool(video_allowed), expires_at=expires_at, organisations=organisations,
    )
    db.session.add(consent)
    db.session.flush()
    audit.record("consent.recorded", consent, actor=actor, candidate_id=candidate.id, scope=scope.value,
                 video_allowed=bool(video_allowed), text_version=text_version, text_language=text_language,
                 organisation_ids=[org.id for org in organisations], expires_at=expires_at.isoformat())
    if previous is not None and previous.video_allowed and not consent.video_allowed:
        hooks.run_consent_ended(candidate, hooks.VIDEO_NOT_ALLOWED)
    if previous is not None:
        hooks.run_consent_replaced(candidate)
    return consent


def _end_consent(candidate: Candidate, actor: Any, reason: str) -> None:
    unpublish(candidate, actor, reason=f"consent_{reason}")
    hooks.run_consent_ended(candidate, reason)


def withdraw_consent(candidate: Candidate, actor: Any) -> int:
    """Withdraw every open consent of the candidate; hidden from employers at once. Returns the count."""
    now = db.utcnow()
    count = 0
    for consent in candidate.consents:
        if consent.withdrawn_at is None and consent.superseded_at is None and consent.ended_at is None:
            consent.withdrawn_at = now
            consent.withdrawn_by_id = getattr(actor, "id", None)
            consent.ended_at = now
            count += 1
            audit.record("consent.withdrawn", consent, actor=actor, candidate_id=candidate.id)
    if not count:
        raise DomainError(str(_l("Deze kandidaat heeft geen lopende toestemming.")))
    db.session.flush()
    _end_consent(candidate, actor, hooks.WITHDRAWN)
    return count


def expire_consents(now: dt.datetime | None = None) -> int:
    """End consents whose expiry passed (idempotent): unpublish, run the hooks, audit."""
    now = now or db.utcnow()
    expired = db.session.scalars(
        select(Consent).where(Consent.expires_at <= now, Consent.ended_at.is_(None), Consent.withdrawn_at.is_(None),
                              Consent.superseded_at.is_(None)).order_by(Consent.id)
    ).all()
    for consent in expired:
        consent.ended_at = now
        audit.record("consent.expired", consent, actor=None, candidate_id=consent.candidate_id)
        db.session.flush()
        candidate = consent.candidate
        if candidate.valid_consent_at(now) is None:
            _end_consent(candidate, None, hooks.EXPIRED)
    db.session.flush()
    return len(expired)


def consents_expiring(within_days: int = 30, owner: Any = None, now: dt.datetime | None = None) -> list[Consent]:
    now = now or db.utcnow()
    query = (
        select(Consent).join(Candidate)
        .where(Consent.withdrawn_at.is_(None), Consent.superseded_at.is_(None), Consent.expires_at > now,
               Consent.expires_at <= now + dt.timedelta(days=within_days))
        .options(contains_eager(Consent.candidate))  # lists name the candidate: no query per consent
        .order_by(Consent.expires_at)
    )
    if owner is not None:
        query = query.where(Candidate.owner_id == owner.id)
    return list(db.session.scalars(query))


# -- erasure ---------------------------------------------------------------------------------

def erase_candidate(candidate: Candidate, actor: Any) -> None:
    """Delete the candidate and everything that refers to it; an audit entry without personal data remains."""
    hooks.run_consent_ended(candidate, hooks.ERASED)
    hooks.run_erased(candidate)
    audit.record("candidate.erased", candidate, actor=actor)
    db.session.delete(candidate)
    db.session.flush()


# -- employer views and interests ------------------------------------------------------------

# record_employer_view lives in portal.candidates.employer_views (re-exported above).


def record_interest(user: Any, candidate: Candidate, *, placement: Any = None, note: str = "") -> Interest:
    if not can_employer_view(candidate, user):
        raise NotAllowed(str(_l("Deze kandidaat is niet beschikbaar.")))
    if placement is not None and placement.organisation_id != user.organisation_id:
        raise DomainError(str(_l("Kies een vacature van uw eigen organisatie.")), field="placement_id")
    placement_id = placement.id if placement is not None else None
    exists = db.session.scalar(
        select(Interest.id).where(Interest.organisation_id == user.organisation_id, Interest.candidate_id == candidate.id,
                                  func.coalesce(Interest.placement_id, 0) == (placement_id or 0))
    )
    if exists is not None:
        raise DomainError(str(_l("Uw organisatie heeft al aangegeven deze kandidaat te willen ontmoeten"
                                 " (voor deze vacature).")), field="placement_id")
    interest = Interest(organisation_id=user.organisation_id, user_id=user.id, candidate_id=candidate.id,
                        placement_id=placement_id, note=(note or "").strip())
    db.session.add(interest)
    db.session.flush()
    audit.record("candidate.interest_recorded", interest, actor=user, candidate_id=candidate.id,
                 organisation_id=user.organisation_id, placement_id=placement_id)
    from portal.trajects.sources import interest_recorded

    interest_recorded(interest, by=user)
    return interest
