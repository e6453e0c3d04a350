"""The case file of a candidate: one timeline, notes, contact moments, ownership, notifications.

- `TimelineEntry` (``timeline_entries``): one row per thing that happened to a candidate, written
  in the same transaction as the change (from the audit log, see `portal.casefile.timeline`).
  Entries hold codes and ids only; the sentence is made when the page is shown, in the reader's
  language. Indexed for "newest first for one candidate", with or without a kind.
- `CaseNote` (``case_notes``): written by account managers, staff only, never shown to employers.
- `ContactMoment` (``case_contact_moments``): a conversation with the candidate, by channel.
- `CaseHandover` (``case_handovers``): the case moved to another account manager, with a note.
- `CaseCoOwner` (``case_co_owners``): an account manager who shares the case with its owner.
- `PendingNotification` (``case_pending_notifications``): a notification waiting for the daily digest.
- `DigestLog` (``case_digest_log``): which daily digest went to whom on which day (idempotency).
- `CaseloadSetting` (``caseload_settings``): the caseload target set by an admin (one row).

Everything that names a candidate is deleted with the candidate (ON DELETE CASCADE, and the
erasure hook in `portal.casefile.hooks`).
"""
from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

import portal.accounts.models  # noqa: F401  (users)
import portal.candidates.models  # noqa: F401  (entries refer to candidates)
from portal.core import db
from portal.core.roles import Role
from portal.core.types import enum_column

NOTE_MAX = 4000
SUMMARY_MAX = 2000
HANDOVER_NOTE_MAX = 2000
DEFAULT_CASELOAD_TARGET = 25
CASELOAD_TARGET_MAX = 500


class TimelineKind(enum.StrEnum):
    NOTE = "note"
    CONTACT = "contact"
    INTEREST = "interest"
    PROPOSAL = "proposal"
    STAGE = "stage"
    BOOKING = "booking"
    OUTCOME = "outcome"
    CONSENT = "consent"
    START = "start"
    CHECKIN = "checkin"
    OWNERSHIP = "ownership"

    @property
    def label(self) -> str:
        return str(TIMELINE_KIND_LABELS[self])


TIMELINE_KIND_LABELS = {
    TimelineKind.NOTE: _l("Notities"),
    TimelineKind.CONTACT: _l("Contactmomenten"),
    TimelineKind.INTEREST: _l("Interesse van werkgevers"),
    TimelineKind.PROPOSAL: _l("Voordrachten"),
    TimelineKind.STAGE: _l("Trajectfasen"),
    TimelineKind.BOOKING: _l("Afspraken en aanmeldingen"),
    TimelineKind.OUTCOME: _l("Uitkomsten van gesprekken"),
    TimelineKind.CONSENT: _l("Toestemming"),
    TimelineKind.START: _l("Starts"),
    TimelineKind.CHECKIN: _l("Nazorg en resultaat"),
    TimelineKind.OWNERSHIP: _l("Dossierhouders"),
}


class TimelineEntry(db.Base):
    __tablename__ = "timeline_entries"
    __table_args__ = (
        Index("ix_timeline_entries_candidate_at", "candidate_id", "at", "id"),
        Index("ix_timeline_entries_candidate_kind_at", "candidate_id", "kind", "at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)
    kind: Mapped[TimelineKind] = mapped_column(enum_column(TimelineKind, "timeline_kind"))
    #: The audit action the entry comes from ("traject.stage_changed", "casefile.note_added", ...).
    action: Mapped[str] = mapped_column(String(64))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    object_type: Mapped[str | None] = mapped_column(String(64))
    object_id: Mapped[int | None]
    #: Codes, ids and dates only (from the audit details and the object); never free text.
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[Any] = relationship("User")


class ContactChannel(enum.StrEnum):
    CONVERSATION = "conversation"
    PHONE = "phone"
    WHATSAPP = "whatsapp"
    EMAIL = "email"
    HOME_VISIT = "home_visit"

    @property
    def label(self) -> str:
        return str(CHANNEL_LABELS[self])


CHANNEL_LABELS = {
    ContactChannel.CONVERSATION: _l("Gesprek"),
    ContactChannel.PHONE: _l("Telefoon"),
    ContactChannel.WHATSAPP: _l("WhatsApp"),
    ContactChannel.EMAIL: _l("E-mail"),
    ContactChannel.HOME_VISIT: _l("Huisbezoek"),
}


class _StaffOnly:
    """Notes and contact moments: account managers and admins; employers and WSP staff never."""

    def can_view(self, user: Any) -> bool:
        return bool(getattr(user, "is_authenticated", False)) and user.role in (Role.ACCOUNT_MANAGER, Role.ADMIN)

    def can_edit(self, user: Any) -> bool:
        return bool(getattr(user, "is_authenticated", False)) and user.role == Role.ACCOUNT_MANAGER


class CaseNote(_StaffOnly, db.Base):
    __tablename__ = "case_notes"
    __table_args__ = (CheckConstraint(f"length(body) >= 1 AND length(body) <= {NOTE_MAX}", name="body_length"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)
    body: Mapped[str] = mapped_column(Text)

    author: Mapped[Any] = relationship("User")


class ContactMoment(_StaffOnly, db.Base):
    __tablename__ = "case_contact_moments"
    __table_args__ = (
        CheckConstraint(f"length(summary) >= 1 AND length(summary) <= {SUMMARY_MAX}", name="summary_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    channel: Mapped[ContactChannel] = mapped_column(enum_column(ContactChannel, "contact_channel"))
    #: The day the contact took place (may be earlier than the day it was written down).
    happened_on: Mapped[dt.date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)

    author: Mapped[Any] = relationship("User")


class CaseHandover(db.Base):
    __tablename__ = "case_handovers"
    __table_args__ = (CheckConstraint(f"length(note) <= {HANDOVER_NOTE_MAX}", name="note_length"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    from_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    to_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)
    note: Mapped[str] = mapped_column(Text, default="")

    from_user: Mapped[Any] = relationship("User", foreign_keys=[from_user_id])
    to_user: Mapped[Any] = relationship("User", foreign_keys=[to_user_id])


class CaseCoOwner(db.Base):
    __tablename__ = "case_co_owners"

    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    added_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[Any] = relationship("User", foreign_keys=[user_id])


class NotificationMode(enum.StrEnum):
    IMMEDIATE = "immediate"
    DAILY = "daily"

    @property
    def label(self) -> str:
        return str({
            NotificationMode.IMMEDIATE: _l("Direct, een e-mail per melding"),
            NotificationMode.DAILY: _l("Eén keer per dag, in een overzicht"),
        }[self])


class PendingNotification(db.Base):
    """A notification for the daily digest (users who chose "daily"); sent once, then marked."""

    __tablename__ = "case_pending_notifications"
    __table_args__ = (Index("ix_case_pending_notifications_user_sent", "user_id", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(64))
    #: Codes and ids only (organisation_id, placement_id, answer, decline_reason).
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)
    sent_at: Mapped[dt.datetime | None]


class DigestLog(db.Base):
    """One row per daily digest sent: a second run on the same day sends nothing."""

    __tablename__ = "case_digest_log"
    __table_args__ = (UniqueConstraint("user_id", "digest", "day", name="uq_case_digest_log_user_digest_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: "notifications" or "aftercare".
    digest: Mapped[str] = mapped_column(String(32))
    day: Mapped[dt.date] = mapped_column(Date)
    sent_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)


class CaseloadSetting(db.Base):
    """The caseload target of account managers (active cases), set by an admin. One row, id 1."""

    __tablename__ = "caseload_settings"
    __table_args__ = (
        CheckConstraint(f"target >= 1 AND target <= {CASELOAD_TARGET_MAX}", name="target_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target: Mapped[int] = mapped_column(default=DEFAULT_CASELOAD_TARGET)
    updated_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
