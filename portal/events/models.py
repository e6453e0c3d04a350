"""Meet-and-greets (events) with employer and candidate registrations and speed-date schedules,
and company visits (slots offered by employers, booked by account managers).

Capacity is never a counter: places are computed by counting confirmed registrations or bookings
under a lock (see operations.py and portal.core.locking). A candidate's time is reserved in
`portal.events.commitments` so overlapping bookings of any kind are refused in one place.

Who sees what:
- events: WSP staff and admins see all; everyone else signed in sees published, closed and
  cancelled events (never drafts);
- employer registrations: the employer's own organisation, WSP staff, admins, account managers;
- candidate registrations: staff only (employers see candidates only through the schedule of
  their own table, with the employer-facing minimal profile);
- visit slots: the offering organisation, account managers, WSP staff, admins;
- visit bookings: staff; the employer of the slot (minimal profile only).
"""
from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core import db
from portal.core.roles import Role
from portal.core.types import enum_column
from portal.events.commitments import CandidateCommitment  # noqa: F401  (registers the table)
from portal.events.followups import FollowUp  # noqa: F401  (registers the table)

STAFF = (Role.WSP, Role.ADMIN)
ALL_STAFF = (Role.ACCOUNT_MANAGER, Role.WSP, Role.ADMIN)


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str({
            EventStatus.DRAFT: _l("Concept"),
            EventStatus.PUBLISHED: _l("Gepubliceerd"),
            EventStatus.CLOSED: _l("Gesloten"),
            EventStatus.CANCELLED: _l("Geannuleerd"),
        }[self])


class BookingStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str({
            BookingStatus.CONFIRMED: _l("Bevestigd"),
            BookingStatus.WAITLISTED: _l("Wachtlijst"),
            BookingStatus.CANCELLED: _l("Geannuleerd"),
        }[self])


class Event(db.TimestampMixin, db.Base):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("table_capacity >= 0", name="table_capacity_not_negative"),
        CheckConstraint("candidate_capacity >= 0", name="candidate_capacity_not_negative"),
        CheckConstraint("round_minutes > 0", name="round_minutes_positive"),
        CheckConstraint("break_minutes >= 0", name="break_minutes_not_negative"),
        CheckConstraint("rounds_before_break >= 1", name="rounds_before_break_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[dt.datetime] = mapped_column(index=True)
    ends_at: Mapped[dt.datetime]
    venue_name: Mapped[str] = mapped_column(String(200))
    venue_address: Mapped[str] = mapped_column(String(300))
    accessibility_notes: Mapped[str] = mapped_column(Text, default="")
    transport_directions: Mapped[str] = mapped_column(Text, default="")
    table_capacity: Mapped[int]
    candidate_capacity: Mapped[int]
    round_minutes: Mapped[int]
    break_minutes: Mapped[int] = mapped_column(default=0)
    #: A candidate gets a break after at most this many rounds in a row.
    rounds_before_break: Mapped[int] = mapped_column(default=3)
    #: Languages (ISO 639 codes) in which interpreters are available at the event, for every table.
    interpreter_languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[EventStatus] = mapped_column(enum_column(EventStatus, "event_status"), default=EventStatus.DRAFT,
                                                index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    schedule_generated_at: Mapped[dt.datetime | None]
    schedule_announced_at: Mapped[dt.datetime | None]

    employer_registrations: Mapped[list[EmployerRegistration]] = relationship(
        back_populates="event", order_by="EmployerRegistration.id", cascade="all, delete-orphan", passive_deletes=True)
    candidate_registrations: Mapped[list[CandidateRegistration]] = relationship(
        back_populates="event", order_by="CandidateRegistration.id", cascade="all, delete-orphan", passive_deletes=True)
    slots: Mapped[list[ScheduleSlot]] = relationship(
        back_populates="event", order_by="(ScheduleSlot.round_number, ScheduleSlot.employer_registration_id)",
        cascade="all, delete-orphan", passive_deletes=True)

    # -- derived ----------------------------------------------------------------------------
    @property
    def round_count(self) -> int:
        """How many rounds fit between start and end (a break between two rounds, none after the last)."""
        total = (self.ends_at - self.starts_at).total_seconds() / 60
        step = self.round_minutes + self.break_minutes
        return max(0, int((total + self.break_minutes) // step)) if step > 0 else 0

    def round_times(self, number: int) -> tuple[dt.datetime, dt.datetime]:
        start = self.starts_at + dt.timedelta(minutes=number * (self.round_minutes + self.break_minutes))
        return start, start + dt.timedelta(minutes=self.round_minutes)

    @property
    def is_open_for_registration(self) -> bool:
        return self.status == EventStatus.PUBLISHED and self.starts_at > db.utcnow()

    @property
    def location_line(self) -> str:
        return ", ".join(part for part in (self.venue_name, self.venue_address) if part)

    def confirmed(self, registrations: list[Any]) -> list[Any]:
        return [r for r in registrations if r.status == BookingStatus.CONFIRMED]

    @property
    def confirmed_employers(self) -> list[EmployerRegistration]:
        return self.confirmed(self.employer_registrations)

    @property
    def confirmed_candidates(self) -> list[CandidateRegistration]:
        return self.confirmed(self.candidate_registrations)

    @property
    def waitlisted_candidates(self) -> list[CandidateRegistration]:
        return [r for r in self.candidate_registrations if r.status == BookingStatus.WAITLISTED]

    @property
    def waitlisted_employers(self) -> list[EmployerRegistration]:
        return [r for r in self.employer_registrations if r.status == BookingStatus.WAITLISTED]

    # -- object rules -----------------------------------------------------------------------
    def can_view(self, user: Any) -> bool:
        if not user.is_authenticated:
            return False
        if user.role in STAFF:
            return True
        return self.status != EventStatus.DRAFT

    def can_edit(self, user: Any) -> bool:
        return user.is_authenticated and user.role in STAFF


class EmployerRegistration(db.Base):
    """An employer organisation's table at an event (one row per organisation and event)."""

    __tablename__ = "event_employer_registrations"
    __table_args__ = (
        UniqueConstraint("event_id", "organisation_id", name="uq_event_employer_registrations_event_organisation"),
        CheckConstraint("representatives >= 1 AND representatives <= 10", name="representatives_range"),
        CheckConstraint("ics_sequence >= 0", name="ics_sequence_not_negative"),
        Index("ix_event_employer_registrations_event_status", "event_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[BookingStatus] = mapped_column(enum_column(BookingStatus, "employer_registration_status"))
    representatives: Mapped[int] = mapped_column(default=1)
    #: Sector codes (portal.reference.sectors) the employer recruits for at this event.
    sectors: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Languages (ISO 639) the employer's representatives speak besides Dutch (interpreting at the table).
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)
    #: Waitlist order: the moment of the (latest) registration.
    queued_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)
    cancelled_at: Mapped[dt.datetime | None]
    checked_in_at: Mapped[dt.datetime | None]
    ics_sequence: Mapped[int] = mapped_column(default=0)
    reminder_sent_at: Mapped[dt.datetime | None]

    event: Mapped[Event] = relationship(back_populates="employer_registrations")
    organisation: Mapped[Any] = relationship("Organisation")
    registered_by: Mapped[Any] = relationship("User")
    placements: Mapped[list[Any]] = relationship("Placement", secondary="event_registration_placements",
                                                 order_by="Placement.title")

    @property
    def is_active(self) -> bool:
        return self.status != BookingStatus.CANCELLED

    def can_view(self, user: Any) -> bool:
        if not user.is_authenticated:
            return False
        if user.role == Role.EMPLOYER:
            return user.organisation_id == self.organisation_id
        return user.role in ALL_STAFF

    def can_edit(self, user: Any) -> bool:
        if not user.is_authenticated:
            return False
        if user.role == Role.EMPLOYER:
            return user.organisation_id == self.organisation_id
        return user.role in STAFF


event_registration_placements = Table(
    "event_registration_placements",
    db.Base.metadata,
    Column("registration_id", ForeignKey("event_employer_registrations.id", ondelete="CASCADE"), primary_key=True),
    Column("placement_id", ForeignKey("placements.id", ondelete="CASCADE"), primary_key=True, index=True),
)

event_candidate_wishes = Table(
    "event_candidate_wishes",
    db.Base.metadata,
    Column("registration_id", ForeignKey("event_candidate_registrations.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class CandidateRegistration(db.Base):
    """A candidate's place at an event, registered by an account manager with the candidate's consent."""

    __tablename__ = "event_candidate_registrations"
    __table_args__ = (
        UniqueConstraint("event_id", "candidate_id", name="uq_event_candidate_registrations_event_candidate"),
        CheckConstraint("ics_sequence >= 0", name="ics_sequence_not_negative"),
        Index("ix_event_candidate_registrations_event_status", "event_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    status: Mapped[BookingStatus] = mapped_column(enum_column(BookingStatus, "candidate_registration_status"))
    #: Set when the candidate can only talk through an interpreter in this language (ISO 639).
    interpreter_language: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)
    queued_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)
    cancelled_at: Mapped[dt.datetime | None]
    checked_in_at: Mapped[dt.datetime | None]
    ics_sequence: Mapped[int] = mapped_column(default=0)
    reminder_sent_at: Mapped[dt.datetime | None]

    event: Mapped[Event] = relationship(back_populates="candidate_registrations")
    candidate: Mapped[Any] = relationship("Candidate")
    registered_by: Mapped[Any] = relationship("User")
    #: Organisations the candidate would like to meet (the candidate's side of "mutual interest").
    wishes: Mapped[list[Any]] = relationship("Organisation", secondary=event_candidate_wishes,
                                             order_by="Organisation.name")

    @property
    def is_active(self) -> bool:
        return self.status != BookingStatus.CANCELLED

    def can_view(self, user: Any) -> bool:
        return user.is_authenticated and user.role in ALL_STAFF

    def can_edit(self, user: Any) -> bool:
        if not user.is_authenticated:
            return False
        if user.role == Role.ACCOUNT_MANAGER:
            return self.candidate.can_edit(user)
        return user.role in STAFF


class ScheduleSlot(db.Base):
    """One speed date: in round `round_number`, a candidate sits at an employer's table."""

    __tablename__ = "event_schedule_slots"
    __table_args__ = (
        UniqueConstraint("event_id", "round_number", "employer_registration_id", name="uq_event_schedule_slots_table_round"),
        UniqueConstraint("event_id", "round_number", "candidate_registration_id",
                         name="uq_event_schedule_slots_candidate_round"),
        UniqueConstraint("employer_registration_id", "candidate_registration_id", name="uq_event_schedule_slots_pair"),
        CheckConstraint("round_number >= 0", name="round_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    round_number: Mapped[int]
    employer_registration_id: Mapped[int] = mapped_column(
        ForeignKey("event_employer_registrations.id", ondelete="CASCADE"), index=True)
    candidate_registration_id: Mapped[int] = mapped_column(
        ForeignKey("event_candidate_registrations.id", ondelete="CASCADE"), index=True)
    #: Why the meeting was planned: 2 mutual, 1 one-sided, 0 suggested (scheduling.Interest).
    interest: Mapped[int] = mapped_column(default=0)
    announced: Mapped[bool] = mapped_column(default=False)
    outcome: Mapped[str | None] = mapped_column(String(32))
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    outcome_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    outcome_at: Mapped[dt.datetime | None]

    event: Mapped[Event] = relationship(back_populates="slots")
    employer_registration: Mapped[EmployerRegistration] = relationship()
    candidate_registration: Mapped[CandidateRegistration] = relationship()

    @property
    def times(self) -> tuple[dt.datetime, dt.datetime]:
        return self.event.round_times(self.round_number)

    def can_view(self, user: Any) -> bool:
        if not user.is_authenticated:
            return False
        if user.role == Role.EMPLOYER:
            return user.organisation_id == self.employer_registration.organisation_id
        return user.role in ALL_STAFF

    def can_edit(self, user: Any) -> bool:
        """Record the outcome: the employer at that table, WSP staff, admins."""
        if not user.is_authenticated:
            return False
        if user.role == Role.EMPLOYER:
            return user.organisation_id == self.employer_registration.organisation_id
        return user.role in STAFF


class VisitStatus(enum.StrEnum):
    OPEN = "open"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str({VisitStatus.OPEN: _l("Open"), VisitStatus.CANCELLED: _l("Geannuleerd")}[self])


class VisitSlot(db.TimestampMixin, db.Base):
    """A company visit offered by an employer: a time, a group size, what to expect."""

    __tablename__ = "company_visit_slots"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("max_group_size >= 1 AND max_group_size <= 50", name="group_size_range"),
        CheckConstraint("cancel_cutoff_hours >= 0", name="cutoff_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[dt.datetime] = mapped_column(index=True)
    ends_at: Mapped[dt.datetime]
    max_group_size: Mapped[int]
    meeting_point: Mapped[str] = mapped_column(String(300))
    what_to_bring: Mapped[str] = mapped_column(Text, default="")
    #: Languages (ISO 639) in which someone on site can help, besides Dutch.
    language_support: Mapped[list[str]] = mapped_column(JSON, default=list)
    language_support_note: Mapped[str] = mapped_column(String(300), default="")
    #: Bookings can be made and cancelled until this many hours before the start.
    cancel_cutoff_hours: Mapped[int] = mapped_column(default=24)
    status: Mapped[VisitStatus] = mapped_column(enum_column(VisitStatus, "visit_status"), default=VisitStatus.OPEN)
    cancelled_at: Mapped[dt.datetime | None]

    organisation: Mapped[Any] = relationship("Organisation")
    created_by: Mapped[Any] = relationship("User")
    bookings: Mapped[list[VisitBooking]] = relationship(back_populates="slot", order_by="VisitBooking.id",
                                                        cascade="all, delete-orphan", passive_deletes=True)

    @property
    def cutoff(self) -> dt.datetime:
        return self.starts_at - dt.timedelta(hours=self.cancel_cutoff_hours)

    @property
    def confirmed_bookings(self) -> list[VisitBooking]:
        return [b for b in self.bookings if b.status == BookingStatus.CONFIRMED]

    @property
    def places_left(self) -> int:
        return max(0, self.max_group_size - len(self.confirmed_bookings))

    @property
    def is_bookable(self) -> bool:
        return self.status == VisitStatus.OPEN and db.utcnow() < self.cutoff

    def can_view(self, user: Any) -> bool:
        if not user.is_authenticated:
            return False
        if user.role == Role.EMPLOYER:
            return user.organisation_id == self.organisation_id
        return user.role in ALL_STAFF

    def can_edit(self, user: Any) -> bool:
        if not user.is_authenticated:
            return False
        if user.role == Role.EMPLOYER:
            return user.organisation_id == self.organisation_id
        return user.role in STAFF


class VisitBooking(db.Base):
    __tablename__ = "company_visit_bookings"
    __table_args__ = (
        UniqueConstraint("slot_id", "candidate_id", name="uq_company_visit_bookings_slot_candidate"),
        CheckConstraint("status IN ('confirmed', 'cancelled')", name="no_waitlist"),
        Index("ix_company_visit_bookings_slot_status", "slot_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("company_visit_slots.id", ondelete="CASCADE"))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    status: Mapped[BookingStatus] = mapped_column(enum_column(BookingStatus, "visit_booking_status"))
    interpreter_language: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)
    cancelled_at: Mapped[dt.datetime | None]
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    ics_sequence: Mapped[int] = mapped_column(default=0)
    reminder_sent_at: Mapped[dt.datetime | None]
    #: Check-in and outcome, recorded by the host employer or WSP staff (migration 0008).
    checked_in_at: Mapped[dt.datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(32))
    outcome_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    outcome_at: Mapped[dt.datetime | None]
    outcome_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The host's placement the outcome is about (optional; moves that traject).
    outcome_placement_id: Mapped[int | None] = mapped_column(ForeignKey("placements.id", ondelete="SET NULL"))

    slot: Mapped[VisitSlot] = relationship(back_populates="bookings")
    candidate: Mapped[Any] = relationship("Candidate")
    booked_by: Mapped[Any] = relationship("User", foreign_keys=[booked_by_id])

    def can_view(self, user: Any) -> bool:
        if not user.is_authenticated:
            return False
        if user.role == Role.EMPLOYER:
            return user.organisation_id == self.slot.organisation_id
        return user.role in ALL_STAFF

    def can_record_outcome(self, user: Any) -> bool:
        """Check-in and outcome: the host employer, WSP staff, admins."""
        if not user.is_authenticated:
            return False
        if user.role == Role.EMPLOYER:
            return user.organisation_id == self.slot.organisation_id
        return user.role in (Role.WSP, Role.ADMIN)

    def can_edit(self, user: Any) -> bool:
        """Cancel: the employer of the slot, account managers who may edit the candidate, WSP, admins."""
        if not user.is_authenticated:
            return False
        if user.role == Role.EMPLOYER:
            return user.organisation_id == self.slot.organisation_id
        if user.role == Role.ACCOUNT_MANAGER:
            return self.candidate.can_edit(user)
        return user.role in STAFF
