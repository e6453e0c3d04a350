"""Candidates: profiles, languages per skill, consent, interests.

Stable API for other areas (search, events, meetings, video):

- `Candidate` (table ``candidates``) with children `CandidateLanguage` (``candidate_languages``),
  `CandidateSkill` (``candidate_skills``), `CandidateSectorInterest` (``candidate_sector_interests``),
  `CandidateExperience` (``candidate_experiences``); all children are deleted with the candidate
  (ON DELETE CASCADE and ORM cascade).
- `Consent` (``consents``) + ``consent_organisations`` association; `Candidate.valid_consent`
  is the latest consent that is neither withdrawn nor expired (or None).
- `Interest` (``candidate_interests``): an employer's "I'd like to meet".
- Enums: `CandidateStatus`, `InburgeringStatus`, `EducationLevel`, `Gender`, `ConsentScope`,
  `Mobility` (codes stored in `Candidate.mobility`).

Which candidates an employer may see is answered ONLY by `portal.candidates.visibility`; what an
employer may see of a candidate ONLY by `portal.candidates.profile.employer_profile`.
`Candidate.can_view(user)` / `can_edit(user)` are staff rules (employers: False; use visibility).
"""
from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON, CheckConstraint, Column, Date, ForeignKey, Index, String, Table, Text, UniqueConstraint, func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

import portal.placements.models  # noqa: F401  (interests refer to placements)
from portal.core import availability, db
from portal.core.roles import Role
from portal.core.types import enum_column


class CandidateStatus(enum.StrEnum):
    INTAKE = "intake"
    READY = "ready"
    PUBLISHED = "published"
    PLACED = "placed"
    PAUSED = "paused"

    @property
    def label(self) -> str:
        return str({
            CandidateStatus.INTAKE: _l("Intake"),
            CandidateStatus.READY: _l("Klaar voor publicatie"),
            CandidateStatus.PUBLISHED: _l("Gepubliceerd"),
            CandidateStatus.PLACED: _l("Geplaatst"),
            CandidateStatus.PAUSED: _l("Gepauzeerd"),
        }[self])


class InburgeringStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    B1_ROUTE = "b1_route"
    ONDERWIJSROUTE = "onderwijsroute"
    Z_ROUTE = "z_route"
    COMPLETED = "completed"
    EXEMPT = "exempt"

    @property
    def label(self) -> str:
        return str({
            InburgeringStatus.NOT_STARTED: _l("Nog niet begonnen"),
            InburgeringStatus.B1_ROUTE: _l("Bezig: B1-route"),
            InburgeringStatus.ONDERWIJSROUTE: _l("Bezig: onderwijsroute"),
            InburgeringStatus.Z_ROUTE: _l("Bezig: Z-route"),
            InburgeringStatus.COMPLETED: _l("Afgerond"),
            InburgeringStatus.EXEMPT: _l("Vrijgesteld"),
        }[self])


class EducationLevel(enum.StrEnum):
    NONE = "none"
    PRIMARY = "primary"
    SECONDARY = "secondary"
    VOCATIONAL = "vocational"
    HIGHER = "higher"
    UNIVERSITY = "university"

    @property
    def label(self) -> str:
        return str({
            EducationLevel.NONE: _l("Geen of weinig onderwijs"),
            EducationLevel.PRIMARY: _l("Basisonderwijs"),
            EducationLevel.SECONDARY: _l("Voortgezet onderwijs"),
            EducationLevel.VOCATIONAL: _l("Beroepsonderwijs (mbo-niveau)"),
            EducationLevel.HIGHER: _l("Hoger beroepsonderwijs (hbo-niveau)"),
            EducationLevel.UNIVERSITY: _l("Universiteit (wo-niveau)"),
        }[self])


class Gender(enum.StrEnum):
    """Only for aggregated monitoring (groups of at least 5); never shown to employers, never filtered on."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str({Gender.FEMALE: _l("Vrouw"), Gender.MALE: _l("Man"), Gender.OTHER: _l("Anders")}[self])


class Mobility(enum.StrEnum):
    BIKE = "bike"
    PUBLIC_TRANSPORT = "public_transport"
    DRIVING_LICENCE = "driving_licence"

    @property
    def label(self) -> str:
        return str({
            Mobility.BIKE: _l("Fiets"),
            Mobility.PUBLIC_TRANSPORT: _l("Openbaar vervoer"),
            Mobility.DRIVING_LICENCE: _l("Rijbewijs B"),
        }[self])


class ConsentScope(enum.StrEnum):
    ALL_APPROVED_EMPLOYERS = "all_approved_employers"
    SELECTED_ORGANISATIONS = "selected_organisations"

    @property
    def label(self) -> str:
        return str({
            ConsentScope.ALL_APPROVED_EMPLOYERS: _l("Alle goedgekeurde werkgevers"),
            ConsentScope.SELECTED_ORGANISATIONS: _l("Alleen geselecteerde organisaties"),
        }[self])


LEVEL_COLUMNS = ("listening", "reading", "spoken_interaction", "spoken_production", "writing")


class Candidate(db.TimestampMixin, db.Base):
    __tablename__ = "candidates"
    __table_args__ = (
        CheckConstraint("length(postcode_area) = 4", name="postcode_area_four_digits"),
        CheckConstraint("hours_per_week IS NULL OR (hours_per_week >= 0 AND hours_per_week <= 40)",
                        name="hours_per_week_range"),
        CheckConstraint("inburgering_exam_level IS NULL OR (inburgering_exam_level >= 0 AND inburgering_exam_level <= 6)",
                        name="exam_level_range"),
        Index("ix_candidates_identity", "surname", "date_of_birth"),
        # search pages' default order (newest change first) without sorting the whole table
        Index("ix_candidates_recent", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    surname: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[dt.date] = mapped_column(Date)
    gender: Mapped[Gender | None] = mapped_column(enum_column(Gender, "candidate_gender"))
    municipality: Mapped[str] = mapped_column(String(100), index=True)
    postcode_area: Mapped[str] = mapped_column(String(4))
    #: Sorted list of `Mobility` codes.
    mobility: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Sorted list of daypart codes from portal.core.availability (e.g. "mon_morning").
    availability: Mapped[list[str]] = mapped_column(JSON, default=list)
    hours_per_week: Mapped[int | None]
    available_from: Mapped[dt.date | None] = mapped_column(Date)
    inburgering_status: Mapped[InburgeringStatus] = mapped_column(
        enum_column(InburgeringStatus, "inburgering_status"), default=InburgeringStatus.NOT_STARTED
    )
    #: Level (0–6) of the inburgering exam taken or aimed at, if known.
    inburgering_exam_level: Mapped[int | None]
    education_level: Mapped[EducationLevel | None] = mapped_column(enum_column(EducationLevel, "education_level"))
    education_country: Mapped[str] = mapped_column(String(100), default="")
    #: True / False / None (unknown or not applied for).
    education_recognised: Mapped[bool | None]
    ambitions: Mapped[str] = mapped_column(Text, default="")
    #: Internal only: never employer-facing.
    support_needs: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    status: Mapped[CandidateStatus] = mapped_column(
        enum_column(CandidateStatus, "candidate_status"), default=CandidateStatus.INTAKE, index=True
    )
    published_at: Mapped[dt.datetime | None]
    #: The first time the candidate was published (kept when unpublished): the results cohort.
    first_published_at: Mapped[dt.datetime | None] = mapped_column(index=True)

    owner: Mapped[Any] = relationship("User", foreign_keys=[owner_id])
    languages: Mapped[list[CandidateLanguage]] = relationship(
        back_populates="candidate", cascade="all, delete-orphan", passive_deletes=True,
        order_by="CandidateLanguage.language_code",
    )
    skills: Mapped[list[CandidateSkill]] = relationship(
        back_populates="candidate", cascade="all, delete-orphan", passive_deletes=True,
        order_by="CandidateSkill.position",
    )
    sector_interests: Mapped[list[CandidateSectorInterest]] = relationship(
        back_populates="candidate", cascade="all, delete-orphan", passive_deletes=True,
        order_by="CandidateSectorInterest.sector_code",
    )
    experiences: Mapped[list[CandidateExperience]] = relationship(
        back_populates="candidate", cascade="all, delete-orphan", passive_deletes=True,
        order_by="CandidateExperience.id",
    )
    consents: Mapped[list[Consent]] = relationship(
        back_populates="candidate", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Consent.recorded_at.desc(), Consent.id.desc()",
    )
    interests: Mapped[list[Interest]] = relationship(
        back_populates="candidate", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Interest.created_at.desc()",
    )

    @validates("mobility")
    def _check_mobility(self, _key: str, value: Any) -> list[str]:
        codes = set(value or ())
        known = {m.value for m in Mobility}
        if codes - known:
            raise ValueError(f"unknown mobility code(s): {sorted(codes - known)}")
        return [m.value for m in Mobility if m.value in codes]

    @validates("availability")
    def _check_availability(self, _key: str, value: Any) -> list[str]:
        return availability.normalise(value or ())

    # -- convenience -------------------------------------------------------------------------
    @property
    def display_name(self) -> str:
        """Full name: staff pages only."""
        return f"{self.first_name} {self.surname}"

    @property
    def employer_name(self) -> str:
        """First name and initial of the surname: what employers see."""
        initial = self.surname.strip()[:1].upper()
        return f"{self.first_name} {initial}." if initial else self.first_name

    @property
    def mobility_labels(self) -> list[str]:
        return [Mobility(code).label for code in self.mobility or ()]

    @property
    def skill_codes(self) -> list[str]:
        return [s.skill_code for s in self.skills]

    @property
    def sector_codes(self) -> list[str]:
        return [s.sector_code for s in self.sector_interests]

    def language(self, code: str) -> CandidateLanguage | None:
        return next((row for row in self.languages if row.language_code == code), None)

    @property
    def sorted_languages(self) -> list[CandidateLanguage]:
        """Dutch first, then first languages, then the others by code."""
        return sorted(self.languages, key=lambda r: (r.language_code != "nl", not r.is_first_language, r.language_code))

    @property
    def dutch(self) -> CandidateLanguage | None:
        return self.language("nl")

    def valid_consent_at(self, when: dt.datetime | None = None) -> Consent | None:
        when = when or db.utcnow()
        for consent in self.consents:  # newest first
            if consent.is_valid_at(when):
                return consent
        return None

    @property
    def valid_consent(self) -> Consent | None:
        return self.valid_consent_at()

    @property
    def is_published(self) -> bool:
        return self.status == CandidateStatus.PUBLISHED

    # -- object rules (staff) ----------------------------------------------------------------
    def can_view(self, user: Any) -> bool:
        """The full file: WSP staff and admins; account managers of the candidate's own municipality.

        Employers are answered by portal.candidates.visibility.can_employer_view; account managers of
        other municipalities see published candidates only as the employer-level profile (region page).
        """
        if not user.is_authenticated:
            return False
        if user.role == Role.ACCOUNT_MANAGER:
            return same_municipality(user, self)
        return user.role in (Role.WSP, Role.ADMIN)

    def can_edit(self, user: Any) -> bool:
        if not user.is_authenticated:
            return False
        if user.role == Role.ACCOUNT_MANAGER:
            return same_municipality(user, self)
        return user.role == Role.ADMIN


def same_municipality(user: Any, candidate: Any) -> bool:
    """An account manager works for one municipality; a manager without one sees no full files."""
    mine = (getattr(user, "municipality", "") or "").strip().lower()
    return bool(mine) and mine == (candidate.municipality or "").strip().lower()


class CandidateLanguage(db.Base):
    """A language the candidate knows, with a CEFR level 0–6 per skill. Dutch is code "nl"."""

    __tablename__ = "candidate_languages"
    __table_args__ = (
        UniqueConstraint("candidate_id", "language_code", name="uq_candidate_languages_candidate_language"),
        *(CheckConstraint(f"{col} >= 0 AND {col} <= 6", name=f"{col}_level_range") for col in LEVEL_COLUMNS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    language_code: Mapped[str] = mapped_column(String(16), index=True)
    is_first_language: Mapped[bool] = mapped_column(default=False)
    listening: Mapped[int] = mapped_column(default=0)
    reading: Mapped[int] = mapped_column(default=0)
    spoken_interaction: Mapped[int] = mapped_column(default=0)
    spoken_production: Mapped[int] = mapped_column(default=0)
    writing: Mapped[int] = mapped_column(default=0)

    candidate: Mapped[Candidate] = relationship(back_populates="languages")

    @property
    def levels(self) -> dict[str, int]:
        return {col: getattr(self, col) for col in LEVEL_COLUMNS}


class CandidateSkill(db.Base):
    """A skill or occupation code from the reference list (portal.reference.skills)."""

    __tablename__ = "candidate_skills"

    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), primary_key=True)
    skill_code: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    #: Order as entered; the first ones are the "top skills" on cards.
    position: Mapped[int] = mapped_column(default=0)

    candidate: Mapped[Candidate] = relationship(back_populates="skills")


class CandidateSectorInterest(db.Base):
    """A sector (portal.reference.sectors) the candidate wants to work in; employers filter on it."""

    __tablename__ = "candidate_sector_interests"

    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), primary_key=True)
    sector_code: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)

    candidate: Mapped[Candidate] = relationship(back_populates="sector_interests")


class CandidateExperience(db.Base):
    """Work experience: an occupation code from the reference list or free text, years, country."""

    __tablename__ = "candidate_experiences"
    __table_args__ = (
        CheckConstraint("years >= 0 AND years <= 60", name="years_range"),
        CheckConstraint("skill_code IS NOT NULL OR length(occupation) > 0", name="has_occupation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    skill_code: Mapped[str | None] = mapped_column(String(64))
    occupation: Mapped[str] = mapped_column(String(200), default="")
    years: Mapped[int] = mapped_column(default=0)
    country: Mapped[str] = mapped_column(String(100), default="")

    candidate: Mapped[Candidate] = relationship(back_populates="experiences")


consent_organisations = Table(
    "consent_organisations",
    db.Base.metadata,
    Column("consent_id", ForeignKey("consents.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Consent(db.Base):
    """A recorded consent of a candidate. The valid one is the latest not withdrawn and not expired."""

    __tablename__ = "consents"
    __table_args__ = (
        CheckConstraint("expires_at > recorded_at", name="expires_after_recording"),
        # covers the visibility rule's consent check (portal.candidates.visibility): no row reads
        Index("ix_consents_candidate_valid", "candidate_id", "withdrawn_at", "superseded_at", "expires_at",
              "recorded_at", "scope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Version key of portal.candidates.consent_text.CONSENT_TEXTS shown to the candidate.
    text_version: Mapped[str] = mapped_column(String(32))
    #: Language the text was shown in (portal.candidates.consent_text.LANGUAGES).
    text_language: Mapped[str] = mapped_column(String(16), default="nl", server_default="nl")
    #: Keyed hash of the candidate's personal withdrawal code (portal.candidates.withdrawal); never the code.
    withdrawal_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    withdrawal_code_issued_at: Mapped[dt.datetime | None]
    scope: Mapped[ConsentScope] = mapped_column(enum_column(ConsentScope, "consent_scope"))
    video_allowed: Mapped[bool] = mapped_column(default=False)
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)
    withdrawn_at: Mapped[dt.datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Set when a newer consent replaced this one (at most one consent is open at a time).
    superseded_at: Mapped[dt.datetime | None]
    #: When the end of this consent (withdrawal or expiry) was processed: hooks ran, media deleted.
    ended_at: Mapped[dt.datetime | None] = mapped_column(index=True)

    candidate: Mapped[Candidate] = relationship(back_populates="consents")
    recorded_by: Mapped[Any] = relationship("User", foreign_keys=[recorded_by_id])
    withdrawn_by: Mapped[Any] = relationship("User", foreign_keys=[withdrawn_by_id])
    organisations: Mapped[list[Any]] = relationship(
        "Organisation", secondary=consent_organisations, order_by="Organisation.name"
    )

    def is_valid_at(self, when: dt.datetime) -> bool:
        return (self.withdrawn_at is None and self.superseded_at is None and self.expires_at > when
                and self.recorded_at <= when)

    @property
    def state(self) -> str:
        """"valid", "withdrawn", "superseded" or "expired"."""
        if self.withdrawn_at is not None:
            return "withdrawn"
        if self.superseded_at is not None:
            return "superseded"
        if self.expires_at <= db.utcnow():
            return "expired"
        return "valid"

    @property
    def state_label(self) -> str:
        return str({"valid": _l("Geldig"), "withdrawn": _l("Ingetrokken"), "superseded": _l("Vervangen"),
                    "expired": _l("Verlopen")}[self.state])

    @property
    def is_valid(self) -> bool:
        return self.is_valid_at(db.utcnow())

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= db.utcnow()

    def covers(self, organisation: Any) -> bool:
        """Whether the scope includes `organisation` (approval of the organisation is checked elsewhere)."""
        if organisation is None:
            return False
        if self.scope == ConsentScope.ALL_APPROVED_EMPLOYERS:
            return True
        return any(org.id == organisation.id for org in self.organisations)

    def can_view(self, user: Any) -> bool:
        return self.candidate.can_view(user)

    def can_edit(self, user: Any) -> bool:
        return self.candidate.can_edit(user)


class Interest(db.Base):
    """An employer's "I'd like to meet" a candidate, optionally for one of its placements."""

    __tablename__ = "candidate_interests"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    #: A placement of the employer's organisation (placements.id), or None.
    placement_id: Mapped[int | None] = mapped_column(ForeignKey("placements.id", ondelete="CASCADE"), index=True)
    note: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)

    organisation: Mapped[Any] = relationship("Organisation")
    user: Mapped[Any] = relationship("User")
    candidate: Mapped[Candidate] = relationship(back_populates="interests")
    placement: Mapped[Any] = relationship("Placement")

    def can_view(self, user: Any) -> bool:
        if not user.is_authenticated:
            return False
        if user.role == Role.EMPLOYER:
            return user.organisation_id == self.organisation_id
        return user.role in (Role.ACCOUNT_MANAGER, Role.WSP, Role.ADMIN)

    def can_edit(self, user: Any) -> bool:
        return self.can_view(user)


# One interest per organisation + candidate + placement (no placement counts as one value).
Index("uq_candidate_interests_org_candidate_placement", Interest.organisation_id, Interest.candidate_id,
      func.coalesce(Interest.placement_id, 0), unique=True)
