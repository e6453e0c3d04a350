"""One-to-one meet-and-greets ("kennismakingsgesprekken") between an employer and a candidate.

- `MeetingSlot` (``meeting_slots``): a time an account manager offers, where (municipal office with
  an address, at the employer, or a video call with an https link), who attends besides the
  candidate (the account manager, an interpreter), for which candidates (``meeting_slot_candidates``),
  whether a booking is confirmed automatically, and the cut-off for changes.
- `AvailabilitySeries` (``meeting_availability_series``): recurring availability ("Tuesdays
  13:00–16:00, 30-minute slots, next 4 weeks") that generated slots.
- `MeetingBooking` (``meeting_bookings``): an employer's booking of a slot for one candidate:
  requested -> confirmed -> (cancelled); moved to another slot keeps the booking (same calendar UID).

Guarantees in the database (not only in code):
- a slot has at most one active booking: partial unique index ``uq_meeting_bookings_active_slot``
  on (slot_id) WHERE status IN ('requested', 'confirmed');
- a candidate is never booked twice at overlapping times, across meetings, events and visits: every
  active booking holds a `portal.events.commitments.CandidateCommitment` (kind "meeting"), reserved
  under a row lock of the candidate (PostgreSQL) / the SQLite write lock.
"""
from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

import portal.candidates.models  # noqa: F401  (slots refer to candidates)
import portal.events.models  # noqa: F401  (commitments and follow-ups)
from portal.core import db
from portal.core.roles import Role
from portal.core.types import enum_column

STAFF = (Role.ACCOUNT_MANAGER, Role.WSP, Role.ADMIN)


class LocationKind(enum.StrEnum):
    MUNICIPAL_OFFICE = "municipal_office"
    EMPLOYER = "employer"
    VIDEO_CALL = "video_call"

    @property
    def label(self) -> str:
        return str({
            LocationKind.MUNICIPAL_OFFICE: _l("Op het gemeentekantoor"),
            LocationKind.EMPLOYER: _l("Bij de werkgever"),
            LocationKind.VIDEO_CALL: _l("Videogesprek"),
        }[self])


class SlotStatus(enum.StrEnum):
    OPEN = "open"
    WITHDRAWN = "withdrawn"


class MeetingStatus(enum.StrEnum):
    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str({
            MeetingStatus.REQUESTED: _l("Aangevraagd, wacht op bevestiging"),
            MeetingStatus.CONFIRMED: _l("Bevestigd"),
            MeetingStatus.CANCELLED: _l("Geannuleerd"),
        }[self])


ACTIVE_STATUSES = (MeetingStatus.REQUESTED, MeetingStatus.CONFIRMED)


class CancelReason(enum.StrEnum):
    """Internal only: employers are told "no longer available" for UNAVAILABLE, never why."""

    EMPLOYER = "employer"
    ACCOUNT_MANAGER = "account_manager"
    UNAVAILABLE = "unavailable"


meeting_slot_candidates = Table(
    "meeting_slot_candidates",
    db.Base.metadata,
    Column("slot_id", ForeignKey("meeting_slots.id", ondelete="CASCADE"), primary_key=True),
    Column("candidate_id", ForeignKey("candidates.id", ondelete="CASCADE"), primary_key=True, index=True),
)

series_candidates = Table(
    "meeting_series_candidates",
    db.Base.metadata,
    Column("series_id", ForeignKey("meeting_availability_series.id", ondelete="CASCADE"), primary_key=True),
    Column("candidate_id", ForeignKey("candidates.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class _WhereAndWho:
    """Columns shared by a series and its slots."""

    location_kind: Mapped[LocationKind] = mapped_column(enum_column(LocationKind, "meeting_location_kind"))
    #: Address of the municipal office (empty for the other kinds).
    address: Mapped[str] = mapped_column(String(300), default="")
    #: https link of the video call (only for VIDEO_CALL).
    video_url: Mapped[str] = mapped_column(String(500), default="")
    account_manager_attends: Mapped[bool] = mapped_column(default=True)
    interpreter_attends: Mapped[bool] = mapped_column(default=False)
    #: Language (ISO 639) the interpreter speaks with the candidate, if known.
    interpreter_language: Mapped[str] = mapped_column(String(16), default="")
    auto_confirm: Mapped[bool] = mapped_column(default=False)
    #: Booking, cancelling and moving are possible until this many hours before the start.
    cutoff_hours: Mapped[int] = mapped_column(default=24)


class AvailabilitySeries(_WhereAndWho, db.Base):
    __tablename__ = "meeting_availability_series"
    __table_args__ = (
        CheckConstraint("weekday >= 0 AND weekday <= 6", name="weekday_range"),
        CheckConstraint("slot_minutes >= 10 AND slot_minutes <= 240", name="slot_minutes_range"),
        CheckConstraint("weeks >= 1 AND weeks <= 26", name="weeks_range"),
        CheckConstraint("cutoff_hours >= 0", name="cutoff_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int]
    start_time: Mapped[str] = mapped_column(String(5))  # "13:00", local time
    end_time: Mapped[str] = mapped_column(String(5))
    slot_minutes: Mapped[int]
    first_date: Mapped[dt.date]
    weeks: Mapped[int]
    created_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)

    owner: Mapped[Any] = relationship("User")
    candidates: Mapped[list[Any]] = relationship("Candidate", secondary=series_candidates)


class MeetingSlot(_WhereAndWho, db.Base):
    __tablename__ = "meeting_slots"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("cutoff_hours >= 0", name="cutoff_not_negative"),
        CheckConstraint("location_kind != 'video_call' OR video_url LIKE 'https://%'", name="video_url_https"),
        Index("ix_meeting_slots_owner_start", "owner_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    series_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_availability_series.id", ondelete="SET NULL"),
                                                  index=True)
    starts_at: Mapped[dt.datetime] = mapped_column(index=True)
    ends_at: Mapped[dt.datetime]
    status: Mapped[SlotStatus] = mapped_column(enum_column(SlotStatus, "meeting_slot_status"), default=SlotStatus.OPEN)
    created_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)

    owner: Mapped[Any] = relationship("User")
    series: Mapped[AvailabilitySeries | None] = relationship()
    candidates: Mapped[list[Any]] = relationship("Candidate", secondary=meeting_slot_candidates,
                                                 order_by="Candidate.first_name")
    bookings: Mapped[list[MeetingBooking]] = relationship(back_populates="slot", order_by="MeetingBooking.id")

    @property
    def cutoff(self) -> dt.datetime:
        return self.starts_at - dt.timedelta(hours=self.cutoff_hours)

    @property
    def active_booking(self) -> MeetingBooking | None:
        return next((b for b in self.bookings if b.status in ACTIVE_STATUSES), None)

    @property
    def is_free(self) -> bool:
        return self.status == SlotStatus.OPEN and self.active_booking is None

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def is_for(self, candidate_id: int) -> bool:
        return any(c.id == candidate_id for c in self.candidates)

    def location_text(self, organisation: Any = None) -> str:
        if self.location_kind == LocationKind.MUNICIPAL_OFFICE:
            return self.address
        if self.location_kind == LocationKind.EMPLOYER:
            if organisation is not None:
                return f"{organisation.name}, {organisation.street_address}, {organisation.postcode} {organisation.city}"
            return str(LocationKind.EMPLOYER.label)
        return self.video_url

    def can_view(self, user: Any) -> bool:
        return bool(user.is_authenticated) and user.role in STAFF

    def can_edit(self, user: Any) -> bool:
        if not user.is_authenticated:
            return False
        return user.role == Role.ADMIN or (user.role == Role.ACCOUNT_MANAGER and user.id == self.owner_id)


class MeetingBooking(db.Base):
    __tablename__ = "meeting_bookings"
    __table_args__ = (
        CheckConstraint("ics_sequence >= 0", name="ics_sequence_not_negative"),
        CheckConstraint("length(note) <= 500", name="note_length"),
        Index("ix_meeting_bookings_organisation_status", "organisation_id", "status"),
        Index("uq_meeting_bookings_active_slot", "slot_id", unique=True,
              sqlite_where=text("status IN ('requested', 'confirmed')"),
              postgresql_where=text("status IN ('requested', 'confirmed')")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("meeting_slots.id", ondelete="CASCADE"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    placement_id: Mapped[int | None] = mapped_column(ForeignKey("placements.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[MeetingStatus] = mapped_column(enum_column(MeetingStatus, "meeting_status"),
                                                  default=MeetingStatus.REQUESTED)
    created_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)
    confirmed_at: Mapped[dt.datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    cancelled_at: Mapped[dt.datetime | None]
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    cancel_reason: Mapped[CancelReason | None] = mapped_column(enum_column(CancelReason, "meeting_cancel_reason"))
    ics_sequence: Mapped[int] = mapped_column(default=0)
    reminder_sent_at: Mapped[dt.datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(32))
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    outcome_at: Mapped[dt.datetime | None]
    outcome_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    slot: Mapped[MeetingSlot] = relationship(back_populates="bookings")
    candidate: Mapped[Any] = relationship("Candidate")
    organisation: Mapped[Any] = relationship("Organisation")
    booked_by: Mapped[Any] = relationship("User", foreign_keys=[booked_by_id])
    placement: Mapped[Any] = relationship("Placement")

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def starts_at(self) -> dt.datetime:
        return self.slot.starts_at

    @property
    def ends_at(self) -> dt.datetime:
        return self.slot.ends_at

    @property
    def changeable(self) -> bool:
        """Cancel or move: active and before the slot's cut-off."""
        return self.is_active and db.utcnow() < self.slot.cutoff

    @property
    def outcome_due(self) -> bool:
        return self.status == MeetingStatus.CONFIRMED and self.slot.ends_at <= db.utcnow()

    @property
    def location(self) -> str:
        return self.slot.location_text(self.organisation)

    def can_view(self, user: Any) -> bool:
        if not user.is_authenticated:
            return False
        if user.role == Role.EMPLOYER:
            return user.organisation_id == self.organisation_id
        return user.role in STAFF

    def can_edit(self, user: Any) -> bool:
        """Cancel or move: the employer's organisation, account managers, admins."""
        if not user.is_authenticated:
            return False
        if user.role == Role.EMPLOYER:
            return user.organisation_id == self.organisation_id
        return user.role in (Role.ACCOUNT_MANAGER, Role.ADMIN)
