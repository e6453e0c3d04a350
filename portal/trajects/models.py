"""Trajects: one candidate × one placement, from interest or proposal to a lasting result.

- `Traject` (``trajects``): the stage (`TrajectStage`), where it came from (`TrajectSource`), and
  when it was opened, last moved and closed; `organisation_id` is the placement's organisation,
  kept on the row so employer access filters need no join. One per (candidate, placement).
- `TrajectStageChange` (``traject_stage_changes``): every move, who made it and why.
- `Proposal` (``proposals``): an account manager's "voordracht" with a motivation the employer
  reads, and the employer's answer (invite to meet, or not now with a `DeclineReason`).
- `PlacementStart` (``placement_starts``): the placement record of a started traject (dates,
  hours and days, type, jobcoach, buddy and the language they share), with its
  `StartInstrument` rows (``placement_start_instruments``).

Stages move ONLY through `portal.trajects.operations.move_stage`, which checks `ALLOWED`.

Who sees what:
- employers see trajects of their own organisation's placements, never `stop_note`, and a stop
  reason only when the employer gave it themselves (`stopped_by_employer`); a traject stopped
  because consent ended shows "Niet meer beschikbaar", never why;
- account managers, WSP staff and admins see all trajects.
"""
from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

import portal.candidates.models  # noqa: F401  (trajects refer to candidates)
import portal.placements.models  # noqa: F401
from portal.core import db
from portal.core.roles import Role
from portal.core.types import enum_column
from portal.placements.models import PlacementType

STAFF = (Role.ACCOUNT_MANAGER, Role.WSP, Role.ADMIN)

MOTIVATION_MIN, MOTIVATION_MAX = 10, 1000
NOTE_MAX = 1000
REASON_MAX = 300


class TrajectStage(enum.StrEnum):
    INTEREST = "interest"
    PROPOSED = "proposed"
    MEETING_PLANNED = "meeting_planned"
    MET = "met"
    TRIAL = "trial"
    STARTED = "started"
    FINISHED = "finished"
    STOPPED = "stopped"

    @property
    def label(self) -> str:
        return str(STAGE_LABELS[self])

    @property
    def is_open(self) -> bool:
        return self not in CLOSED_STAGES

    @property
    def rank(self) -> int:
        """Order along the journey (stopped has no place on it)."""
        return STAGE_ORDER.index(self) if self in STAGE_ORDER else -1


STAGE_LABELS = {
    TrajectStage.INTEREST: _l("Interesse"),
    TrajectStage.PROPOSED: _l("Voorgedragen"),
    TrajectStage.MEETING_PLANNED: _l("Kennismaking gepland"),
    TrajectStage.MET: _l("Kennisgemaakt"),
    TrajectStage.TRIAL: _l("Meeloopdag of proefplaatsing"),
    TrajectStage.STARTED: _l("Gestart"),
    TrajectStage.FINISHED: _l("Afgerond"),
    TrajectStage.STOPPED: _l("Gestopt"),
}

#: The journey, in order (the board's columns).
STAGE_ORDER = (
    TrajectStage.INTEREST, TrajectStage.PROPOSED, TrajectStage.MEETING_PLANNED, TrajectStage.MET,
    TrajectStage.TRIAL, TrajectStage.STARTED, TrajectStage.FINISHED,
)
CLOSED_STAGES = frozenset({TrajectStage.FINISHED, TrajectStage.STOPPED})
OPEN_STAGES = tuple(s for s in TrajectStage if s not in CLOSED_STAGES)

_S = TrajectStage
#: The allowed moves (from -> to). Anything else is refused by `move_stage`.
#: A stopped traject may be reopened by a new interest, proposal or meeting; finished is final.
ALLOWED: dict[TrajectStage, frozenset[TrajectStage]] = {
    _S.INTEREST: frozenset({_S.PROPOSED, _S.MEETING_PLANNED, _S.MET, _S.STOPPED}),
    _S.PROPOSED: frozenset({_S.MEETING_PLANNED, _S.MET, _S.STOPPED}),
    _S.MEETING_PLANNED: frozenset({_S.MET, _S.STOPPED}),
    _S.MET: frozenset({_S.MEETING_PLANNED, _S.TRIAL, _S.STARTED, _S.STOPPED}),
    _S.TRIAL: frozenset({_S.STARTED, _S.STOPPED}),
    _S.STARTED: frozenset({_S.FINISHED, _S.STOPPED}),
    _S.FINISHED: frozenset(),
    _S.STOPPED: frozenset({_S.INTEREST, _S.PROPOSED, _S.MEETING_PLANNED, _S.MET}),
}


class StopReason(enum.StrEnum):
    CANDIDATE_WITHDREW = "candidate_withdrew"
    EMPLOYER_WITHDREW = "employer_withdrew"
    NO_MATCH = "no_match"
    LANGUAGE = "language"
    SCHEDULE = "schedule"
    OTHER_WORK = "other_work"
    PLACEMENT_FILLED = "placement_filled"
    NO_SHOW = "no_show"
    PERSONAL = "personal"
    #: Set by the system when consent ended or no longer covers the organisation.
    CONSENT_ENDED = "consent_ended"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(STOP_REASON_LABELS[self])


STOP_REASON_LABELS = {
    StopReason.CANDIDATE_WITHDREW: _l("Kandidaat ziet ervan af"),
    StopReason.EMPLOYER_WITHDREW: _l("Werkgever ziet ervan af"),
    StopReason.NO_MATCH: _l("Geen match na kennismaking"),
    StopReason.LANGUAGE: _l("Taalniveau past (nog) niet"),
    StopReason.SCHEDULE: _l("Dagen, uren of reistijd passen niet"),
    StopReason.OTHER_WORK: _l("Kandidaat heeft ander werk of een opleiding"),
    StopReason.PLACEMENT_FILLED: _l("De plek is al vervuld"),
    StopReason.NO_SHOW: _l("Niet verschenen"),
    StopReason.PERSONAL: _l("Persoonlijke omstandigheden"),
    StopReason.CONSENT_ENDED: _l("Niet meer beschikbaar"),
    StopReason.OTHER: _l("Andere reden"),
}

#: Reasons a user may choose (CONSENT_ENDED is set by the system only).
CHOOSABLE_STOP_REASONS = tuple(r for r in StopReason if r is not StopReason.CONSENT_ENDED)
#: Reasons an employer may give (nothing about the candidate's personal situation).
EMPLOYER_STOP_REASONS = (StopReason.EMPLOYER_WITHDREW, StopReason.NO_MATCH, StopReason.LANGUAGE, StopReason.SCHEDULE,
                         StopReason.PLACEMENT_FILLED, StopReason.NO_SHOW, StopReason.OTHER)


class TrajectSource(enum.StrEnum):
    EMPLOYER_INTEREST = "employer_interest"
    PROPOSAL = "proposal"
    MEETING = "meeting"
    SPEED_DATE = "speed_date"
    COMPANY_VISIT = "company_visit"
    FOLLOW_UP = "follow_up"

    @property
    def label(self) -> str:
        return str({
            TrajectSource.EMPLOYER_INTEREST: _l("Interesse van de werkgever"),
            TrajectSource.PROPOSAL: _l("Voordracht"),
            TrajectSource.MEETING: _l("Kennismakingsgesprek"),
            TrajectSource.SPEED_DATE: _l("Speeddate op meet-and-greet"),
            TrajectSource.COMPANY_VISIT: _l("Bedrijfsbezoek"),
            TrajectSource.FOLLOW_UP: _l("Vervolgactie"),
        }[self])


class Traject(db.Base):
    __tablename__ = "trajects"
    __table_args__ = (
        UniqueConstraint("candidate_id", "placement_id", name="uq_trajects_candidate_placement"),
        CheckConstraint("(stage = 'stopped') = (stop_reason IS NOT NULL)", name="stopped_has_reason"),
        CheckConstraint(f"length(stop_note) <= {NOTE_MAX}", name="stop_note_length"),
        Index("ix_trajects_organisation_stage", "organisation_id", "stage"),
        Index("ix_trajects_placement_stage", "placement_id", "stage"),
        #: places filled per placement: the started trajects, read from the index alone
        Index("ix_trajects_stage_placement", "stage", "placement_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    stage: Mapped[TrajectStage] = mapped_column(enum_column(TrajectStage, "traject_stage"))
    stop_reason: Mapped[StopReason | None] = mapped_column(enum_column(StopReason, "traject_stop_reason"))
    #: Staff only: never shown to employers.
    stop_note: Mapped[str] = mapped_column(Text, default="")
    #: The employer stopped it (then the employer may see its own reason).
    stopped_by_employer: Mapped[bool] = mapped_column(default=False)
    source: Mapped[TrajectSource] = mapped_column(enum_column(TrajectSource, "traject_source"))
    opened_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    stage_changed_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(index=True)

    candidate: Mapped[Any] = relationship("Candidate")
    placement: Mapped[Any] = relationship("Placement")
    organisation: Mapped[Any] = relationship("Organisation")
    changes: Mapped[list[TrajectStageChange]] = relationship(
        back_populates="traject", cascade="all, delete-orphan", passive_deletes=True,
        order_by="TrajectStageChange.at, TrajectStageChange.id",
    )
    proposals: Mapped[list[Proposal]] = relationship(
        back_populates="traject", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Proposal.proposed_at, Proposal.id",
    )
    start: Mapped[PlacementStart | None] = relationship(
        back_populates="traject", cascade="all, delete-orphan", passive_deletes=True, uselist=False,
    )

    @property
    def is_open(self) -> bool:
        return self.stage.is_open

    @property
    def no_longer_available(self) -> bool:
        return self.stage == TrajectStage.STOPPED and self.stop_reason == StopReason.CONSENT_ENDED

    @property
    def pending_proposal(self) -> Proposal | None:
        return next((p for p in self.proposals if p.answer == ProposalAnswer.PENDING), None)

    def allowed_moves(self) -> frozenset[TrajectStage]:
        return ALLOWED[self.stage]

    def employer_stop_label(self) -> str:
        """What an employer may read about a stop: its own reason, else only 'stopped'."""
        if self.stage != TrajectStage.STOPPED:
            return ""
        if self.no_longer_available:
            return str(StopReason.CONSENT_ENDED.label)
        if self.stopped_by_employer and self.stop_reason is not None:
            return self.stop_reason.label
        return str(TrajectStage.STOPPED.label)

    def can_view(self, user: Any) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        if user.role == Role.EMPLOYER:
            return user.organisation_id == self.organisation_id
        if user.role == Role.ACCOUNT_MANAGER:
            return self.candidate.can_view(user)  # the candidate's own municipality only
        return user.role in STAFF

    def can_edit(self, user: Any) -> bool:
        """Move stages: the placement's employers, account managers of the candidate's municipality, admins."""
        if not getattr(user, "is_authenticated", False):
            return False
        if user.role == Role.EMPLOYER:
            return user.organisation_id == self.organisation_id
        if user.role == Role.ACCOUNT_MANAGER:
            return self.candidate.can_edit(user)
        return user.role == Role.ADMIN


class TrajectStageChange(db.Base):
    __tablename__ = "traject_stage_changes"
    __table_args__ = (Index("ix_traject_stage_changes_traject_at", "traject_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    traject_id: Mapped[int] = mapped_column(ForeignKey("trajects.id", ondelete="CASCADE"))
    from_stage: Mapped[TrajectStage | None] = mapped_column(enum_column(TrajectStage, "traject_from_stage"))
    to_stage: Mapped[TrajectStage] = mapped_column(enum_column(TrajectStage, "traject_to_stage"))
    at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: What caused the move (a source code such as "meeting" or a stop reason code); no free text.
    reason: Mapped[str] = mapped_column(String(REASON_MAX), default="")

    traject: Mapped[Traject] = relationship(back_populates="changes")
    by: Mapped[Any] = relationship("User")


class ProposalAnswer(enum.StrEnum):
    PENDING = "pending"
    INVITED = "invited"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return str({
            ProposalAnswer.PENDING: _l("Wacht op antwoord"),
            ProposalAnswer.INVITED: _l("Uitgenodigd voor kennismaking"),
            ProposalAnswer.DECLINED: _l("Nu niet"),
        }[self])


class DeclineReason(enum.StrEnum):
    NO_PLACE_NOW = "no_place_now"
    LANGUAGE_LEVEL = "language_level"
    SKILLS = "skills"
    DAYS_HOURS = "days_hours"
    DISTANCE = "distance"
    ALREADY_FOUND = "already_found"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(DECLINE_REASON_LABELS[self])


DECLINE_REASON_LABELS = {
    DeclineReason.NO_PLACE_NOW: _l("Op dit moment geen plek"),
    DeclineReason.LANGUAGE_LEVEL: _l("Het taalniveau past nog niet bij het werk"),
    DeclineReason.SKILLS: _l("Ervaring of vaardigheden passen niet"),
    DeclineReason.DAYS_HOURS: _l("Dagen of uren passen niet"),
    DeclineReason.DISTANCE: _l("De reisafstand is te groot"),
    DeclineReason.ALREADY_FOUND: _l("We hebben al iemand gevonden"),
    DeclineReason.OTHER: _l("Andere reden"),
}


class Proposal(db.Base):
    __tablename__ = "proposals"
    __table_args__ = (
        CheckConstraint(f"length(motivation) <= {MOTIVATION_MAX}", name="motivation_length"),
        CheckConstraint("(answer = 'declined') = (decline_reason IS NOT NULL)", name="declined_has_reason"),
        CheckConstraint("(answer = 'pending') = (answered_at IS NULL)", name="answered_has_date"),
        Index("uq_proposals_pending_traject", "traject_id", unique=True,
              sqlite_where=text("answer = 'pending'"), postgresql_where=text("answer = 'pending'")),
        Index("ix_proposals_placement_answer", "placement_id", "answer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    traject_id: Mapped[int] = mapped_column(ForeignKey("trajects.id", ondelete="CASCADE"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id", ondelete="CASCADE"))
    #: The employer reads this.
    motivation: Mapped[str] = mapped_column(Text)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    proposed_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)
    answer: Mapped[ProposalAnswer] = mapped_column(enum_column(ProposalAnswer, "proposal_answer"),
                                                   default=ProposalAnswer.PENDING)
    decline_reason: Mapped[DeclineReason | None] = mapped_column(enum_column(DeclineReason, "proposal_decline_reason"))
    answered_at: Mapped[dt.datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    traject: Mapped[Traject] = relationship(back_populates="proposals")
    candidate: Mapped[Any] = relationship("Candidate")
    placement: Mapped[Any] = relationship("Placement")
    proposed_by: Mapped[Any] = relationship("User", foreign_keys=[proposed_by_id])
    answered_by: Mapped[Any] = relationship("User", foreign_keys=[answered_by_id])

    @property
    def is_pending(self) -> bool:
        return self.answer == ProposalAnswer.PENDING

    def can_view(self, user: Any) -> bool:
        return self.traject.can_view(user)

    def can_edit(self, user: Any) -> bool:
        """Answer: only the placement's employers."""
        return (getattr(user, "is_authenticated", False) and user.role == Role.EMPLOYER
                and user.organisation_id == self.traject.organisation_id)


class InstrumentKind(enum.StrEnum):
    TAALVOUCHER = "taalvoucher"
    PROEFPLAATSING_RETAINED_BENEFIT = "proefplaatsing_retained_benefit"
    LOONKOSTENSUBSIDIE = "loonkostensubsidie"
    NO_RISK_POLIS = "no_risk_polis"

    @property
    def label(self) -> str:
        return str({
            InstrumentKind.TAALVOUCHER: _l("Taalvoucher"),
            InstrumentKind.PROEFPLAATSING_RETAINED_BENEFIT: _l("Proefplaatsing met behoud van uitkering"),
            InstrumentKind.LOONKOSTENSUBSIDIE: _l("Loonkostensubsidie"),
            InstrumentKind.NO_RISK_POLIS: _l("No-riskpolis"),
        }[self])


class InstrumentStatus(enum.StrEnum):
    REQUESTED = "requested"
    GRANTED = "granted"

    @property
    def label(self) -> str:
        return str({InstrumentStatus.REQUESTED: _l("Aangevraagd"), InstrumentStatus.GRANTED: _l("Toegekend")}[self])


HOURS_MIN, HOURS_MAX = 1, 40
NAME_MAX = 150
AMOUNT_MAX_CENTS = 10_000_000  # € 100.000


class PlacementStart(db.Base):
    """The placement record: where and on which terms a candidate started."""

    __tablename__ = "placement_starts"
    __table_args__ = (
        CheckConstraint(f"hours_per_week >= {HOURS_MIN} AND hours_per_week <= {HOURS_MAX}", name="hours_range"),
        CheckConstraint("planned_end_date IS NULL OR planned_end_date >= start_date", name="end_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    traject_id: Mapped[int] = mapped_column(ForeignKey("trajects.id", ondelete="CASCADE"), unique=True)
    start_date: Mapped[dt.date] = mapped_column(Date, index=True)
    planned_end_date: Mapped[dt.date | None] = mapped_column(Date)
    hours_per_week: Mapped[int] = mapped_column(Integer)
    #: Weekday codes of portal.core.availability.DAYS ("mon", "tue", ...), in week order.
    days: Mapped[list[str]] = mapped_column(JSON, default=list)
    placement_type: Mapped[PlacementType] = mapped_column(enum_column(PlacementType, "placement_type"))
    jobcoach_name: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    jobcoach_organisation: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    buddy_name: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    #: ISO 639 code of the language the buddy and the candidate share ("" = none / Dutch only).
    buddy_language_code: Mapped[str] = mapped_column(String(16), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)

    traject: Mapped[Traject] = relationship(back_populates="start")
    recorded_by: Mapped[Any] = relationship("User")
    instruments: Mapped[list[StartInstrument]] = relationship(
        back_populates="start", cascade="all, delete-orphan", passive_deletes=True, order_by="StartInstrument.id",
    )

    def can_view(self, user: Any) -> bool:
        return self.traject.can_view(user)

    def can_edit(self, user: Any) -> bool:
        return getattr(user, "is_authenticated", False) and user.role in (Role.ACCOUNT_MANAGER, Role.ADMIN)


class StartInstrument(db.Base):
    __tablename__ = "placement_start_instruments"
    __table_args__ = (
        UniqueConstraint("start_id", "kind", name="uq_placement_start_instruments_start_kind"),
        CheckConstraint(f"amount IS NULL OR (amount >= 0 AND amount <= {AMOUNT_MAX_CENTS})", name="amount_range"),
        CheckConstraint("period_end IS NULL OR period_start IS NULL OR period_end >= period_start",
                        name="period_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    start_id: Mapped[int] = mapped_column(ForeignKey("placement_starts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[InstrumentKind] = mapped_column(enum_column(InstrumentKind, "start_instrument_kind"))
    status: Mapped[InstrumentStatus] = mapped_column(enum_column(InstrumentStatus, "start_instrument_status"))
    #: Euro cents.
    amount: Mapped[int | None] = mapped_column(Integer)
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)

    start: Mapped[PlacementStart] = relationship(back_populates="instruments")
