"""Placements: what an employer offers, and the Dutch the work really needs, per skill.

A placement belongs to one employer organisation. Its Dutch requirement is five integer columns
(0 = none, 1 = A1 … 6 = C2; DESIGN.md §4) so "the candidate meets it" is a comparison per skill,
and "placements needing at most B1 for speaking" is a plain `<=` in SQL. Other languages that are
enough to work in the team live in a child table (`placement_languages`).

Who sees what (`can_view`):
- an employer sees every placement of its own organisation, in any status (drafts included);
- account managers see published placements of approved organisations;
- WSP staff and admins see published, paused and closed placements of approved organisations
  (they follow up on what was offered), never an employer's unpublished draft.
Nothing is visible to anyone outside the organisation until the organisation is approved AND the
placement has been published. Only employers of the organisation edit (`can_edit`).
"""
from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint, and_, false, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import reference
from portal.accounts.models import Organisation, OrganisationStatus, User
from portal.core import db
from portal.core.roles import Role
from portal.core.types import enum_column

TITLE_MIN, TITLE_MAX = 3, 150
TASKS_MAX = 4000
HOURS_MIN, HOURS_MAX = 1, 40
PLACES_MAX = 99
DURATION_MAX_WEEKS = 156
PAY_INDICATION_MAX = 200


class PlacementType(enum.StrEnum):
    WERKERVARINGSPLEK = "werkervaringsplek"
    TAALSTAGE = "taalstage"
    PROEFPLAATSING = "proefplaatsing"
    BETAALDE_BAAN = "betaalde_baan"
    VRIJWILLIGERSWERK = "vrijwilligerswerk"

    @property
    def label(self) -> str:
        return str(PLACEMENT_TYPE_LABELS[self])

    @property
    def hint(self) -> str:
        return str(PLACEMENT_TYPE_HINTS[self])


PLACEMENT_TYPE_LABELS = {
    PlacementType.WERKERVARINGSPLEK: _l("Werkervaringsplek"),
    PlacementType.TAALSTAGE: _l("Taalstage"),
    PlacementType.PROEFPLAATSING: _l("Proefplaatsing"),
    PlacementType.BETAALDE_BAAN: _l("Betaalde baan"),
    PlacementType.VRIJWILLIGERSWERK: _l("Vrijwilligerswerk / ervaringsplek"),
}

PLACEMENT_TYPE_HINTS = {
    PlacementType.WERKERVARINGSPLEK: _l("Onbetaald werkervaring opdoen met begeleiding, meestal een paar maanden."),
    PlacementType.TAALSTAGE: _l("Vooral Nederlands leren in de praktijk, een paar uur tot dagen per week."),
    PlacementType.PROEFPLAATSING: _l("Proefperiode met behoud van uitkering, voordat er een contract komt."),
    PlacementType.BETAALDE_BAAN: _l("Een baan met een arbeidscontract en loon."),
    PlacementType.VRIJWILLIGERSWERK: _l("Vrijwilligerswerk om ervaring en contacten op te doen."),
}


class PlacementStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    PAUSED = "paused"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return str(PLACEMENT_STATUS_LABELS[self])


PLACEMENT_STATUS_LABELS = {
    PlacementStatus.DRAFT: _l("Concept"),
    PlacementStatus.PUBLISHED: _l("Gepubliceerd"),
    PlacementStatus.PAUSED: _l("Gepauzeerd"),
    PlacementStatus.CLOSED: _l("Gesloten"),
}

#: Support on the work floor: code -> label. Stored as a sorted list of codes.
SUPPORT_OPTIONS = {
    "jobcoach": _l("Jobcoach"),
    "buddy": _l("Buddy of mentor op de werkvloer"),
    "adjustments": _l("Aanpassingen van de werkplek"),
    "travel_allowance": _l("Reiskostenvergoeding"),
}

#: What the candidate gets: code -> label. The wage indication itself is free text.
OFFER_OPTIONS = {
    "allowance": _l("Vergoeding (bijvoorbeeld onkosten of premie)"),
    "wage": _l("Loon"),
    "certificate": _l("Certificaat of getuigschrift"),
}

#: The Dutch requirement columns, per CEFR skill in reference.LANGUAGE_SKILLS order.
DUTCH_COLUMNS = {skill: f"dutch_{skill}" for skill in reference.LANGUAGE_SKILLS}

#: Who (besides the organisation's own employers) may see which statuses.
STAFF_VISIBLE_STATUSES = {
    Role.ACCOUNT_MANAGER: frozenset({PlacementStatus.PUBLISHED}),
    Role.WSP: frozenset({PlacementStatus.PUBLISHED, PlacementStatus.PAUSED, PlacementStatus.CLOSED}),
    Role.ADMIN: frozenset({PlacementStatus.PUBLISHED, PlacementStatus.PAUSED, PlacementStatus.CLOSED}),
}


def _level_check(column: str) -> CheckConstraint:
    return CheckConstraint(f"{column} >= 0 AND {column} <= 6", name=f"{column}_level")


class Placement(db.TimestampMixin, db.Base):
    __tablename__ = "placements"
    __table_args__ = (
        CheckConstraint(f"length(title) >= {TITLE_MIN} AND length(title) <= {TITLE_MAX}", name="title_length"),
        CheckConstraint(f"length(tasks) <= {TASKS_MAX}", name="tasks_length"),
        CheckConstraint(f"hours_per_week >= {HOURS_MIN} AND hours_per_week <= {HOURS_MAX}", name="hours_per_week_range"),
        CheckConstraint(f"places >= 1 AND places <= {PLACES_MAX}", name="places_range"),
        CheckConstraint(
            f"duration_weeks IS NULL OR (duration_weeks >= 1 AND duration_weeks <= {DURATION_MAX_WEEKS})",
            name="duration_weeks_range",
        ),
        CheckConstraint("status NOT IN ('published', 'paused') OR published_at IS NOT NULL", name="published_has_date"),
        *(_level_check(column) for column in DUTCH_COLUMNS.values()),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    type: Mapped[PlacementType] = mapped_column(enum_column(PlacementType, "placement_type"), index=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    tasks: Mapped[str] = mapped_column(Text, default="")
    sector: Mapped[str] = mapped_column(String(64), index=True)
    street_address: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(7))
    city: Mapped[str] = mapped_column(String(100))
    municipality: Mapped[str] = mapped_column(String(100), index=True)
    hours_per_week: Mapped[int] = mapped_column(Integer)
    dayparts: Mapped[list[str]] = mapped_column(JSON, default=list)
    start_date: Mapped[dt.date] = mapped_column(Date)
    duration_weeks: Mapped[int | None] = mapped_column(Integer)
    places: Mapped[int] = mapped_column(Integer, default=1)
    support: Mapped[list[str]] = mapped_column(JSON, default=list)
    offers: Mapped[list[str]] = mapped_column(JSON, default=list)
    pay_indication: Mapped[str] = mapped_column(String(PAY_INDICATION_MAX), default="")
    required_skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    nice_to_have_skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    dutch_listening: Mapped[int] = mapped_column(Integer, default=0)
    dutch_reading: Mapped[int] = mapped_column(Integer, default=0)
    dutch_spoken_interaction: Mapped[int] = mapped_column(Integer, default=0)
    dutch_spoken_production: Mapped[int] = mapped_column(Integer, default=0)
    dutch_writing: Mapped[int] = mapped_column(Integer, default=0)
    allow_one_level_below_with_support: Mapped[bool] = mapped_column(default=False)
    language_tasks: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: The Dutch levels per skill just before the employer applied the task helper's suggestion
    #: ("Niveaus voorstellen"), or None when the helper was never applied.
    dutch_levels_before_helper: Mapped[dict[str, int] | None] = mapped_column(JSON)
    #: Set when a save applied the helper's suggestion and at least one skill ended lower than
    #: before: "the Dutch requirement was lowered with the task helper" (results area).
    dutch_lowered_with_helper: Mapped[bool] = mapped_column(default=False)
    status: Mapped[PlacementStatus] = mapped_column(
        enum_column(PlacementStatus, "placement_status"), default=PlacementStatus.DRAFT, index=True
    )
    published_at: Mapped[dt.datetime | None] = mapped_column(index=True)  # results: placements published in a period

    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User | None] = relationship()
    other_languages: Mapped[list[PlacementLanguage]] = relationship(
        back_populates="placement", cascade="all, delete-orphan", order_by="PlacementLanguage.id",
        passive_deletes=True,
    )

    # --- language requirement ------------------------------------------------------------

    def dutch_level(self, skill: str) -> int:
        return getattr(self, DUTCH_COLUMNS[skill])

    @property
    def dutch_levels(self) -> dict[str, int]:
        """Per skill, in reference.LANGUAGE_SKILLS order: {"listening": 2, ...}."""
        return {skill: self.dutch_level(skill) for skill in reference.LANGUAGE_SKILLS}

    @property
    def needs_dutch(self) -> bool:
        return any(self.dutch_levels.values())

    # --- access --------------------------------------------------------------------------

    @property
    def is_public(self) -> bool:
        """Seen by account managers: published by an approved organisation."""
        return self.status == PlacementStatus.PUBLISHED and self.organisation.is_approved

    def can_view(self, user: Any) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        if user.role == Role.EMPLOYER:
            return user.organisation_id == self.organisation_id
        statuses = STAFF_VISIBLE_STATUSES.get(user.role, frozenset())
        return self.organisation.is_approved and self.status in statuses

    def can_edit(self, user: Any) -> bool:
        return (
            getattr(user, "is_authenticated", False)
            and user.role == Role.EMPLOYER
            and user.organisation_id == self.organisation_id
        )

    @classmethod
    def visible_to(cls, user: Any) -> Any:
        """A SQL condition equal to `can_view(user)`, for lists (join Organisation first)."""
        if user.role == Role.EMPLOYER:
            return cls.organisation_id == user.organisation_id
        statuses = STAFF_VISIBLE_STATUSES.get(user.role)
        if not statuses:
            return false()
        return and_(Organisation.status == OrganisationStatus.APPROVED, or_(*(cls.status == s for s in statuses)))


class PlacementLanguage(db.Base):
    """Another language that is enough to work in the team, with the level it needs (A1–C2)."""

    __tablename__ = "placement_languages"
    __table_args__ = (
        UniqueConstraint("placement_id", "language", name="uq_placement_languages_placement_language"),
        CheckConstraint("level >= 1 AND level <= 6", name="level_range"),
        CheckConstraint("language <> 'nl'", name="not_dutch"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    level: Mapped[int] = mapped_column(Integer)

    placement: Mapped[Placement] = relationship(back_populates="other_languages")
