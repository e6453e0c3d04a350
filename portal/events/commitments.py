"""Candidate commitments: one candidate is never booked twice at overlapping times.

Every booking that puts a candidate somewhere at a given time — a meet-and-greet registration
(kind "event"), a company-visit booking ("visit") or a one-to-one meeting ("meeting", issue 8) —
holds one row in ``candidate_commitments``. The rule "no overlapping bookings" is therefore
checked in ONE place, across all kinds.

API (stable; issue 8 calls it):

    from portal.events.commitments import book_candidate_time, release, CommitmentKind

    book_candidate_time(candidate, starts_at, ends_at, CommitmentKind.MEETING, meeting.id)
        # inside the transaction that creates (or re-activates, or moves) the booking.
        # Locks the candidate row (portal.core.locking.lock; SQLite: BEGIN IMMEDIATE), then
        # refuses with DomainError(field="candidate_id") when another ACTIVE commitment of the
        # candidate overlaps [starts_at, ends_at). Times must be timezone-aware; ends_at > starts_at.
        # Calling it again for the same (kind, ref_id) moves that commitment (it never conflicts
        # with itself) — use that when a meeting is rescheduled. Returns the CandidateCommitment.

    release(CommitmentKind.MEETING, meeting.id)
        # when the booking is cancelled: marks its commitment(s) inactive (idempotent).

    commitments_for(candidate_id) -> list of active commitments, ordered by start (for agendas).

Intervals are half-open: a meeting 10:00–10:30 and another 10:30–11:00 do not overlap.

Locking order: when the caller must also lock the row that owns a capacity (an event, a visit
slot), lock both in ONE call, e.g. ``lock((Candidate, [cid]), (VisitSlot, [sid]))`` — `lock`
sorts by table name — and then call `book_candidate_time` (re-locking an already locked row is
a no-op). Never lock the capacity row first and the candidate afterwards in a separate call.
"""
from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from portal.core.i18n import format_time, format_when
from flask_babel import gettext as _
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, select
from sqlalchemy.orm import Mapped, mapped_column

from portal.core import audit, db
from portal.core.errors import DomainError
from portal.core.locking import lock
from portal.core.types import enum_column


class CommitmentKind(enum.StrEnum):
    EVENT = "event"  # event_candidate_registrations.id
    VISIT = "visit"  # company_visit_bookings.id
    MEETING = "meeting"  # one-to-one meetings (issue 8)


class CandidateCommitment(db.Base):
    __tablename__ = "candidate_commitments"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_candidate_commitments_candidate_active", "candidate_id", "active", "starts_at"),
        Index("ix_candidate_commitments_ref", "kind", "ref_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"))
    starts_at: Mapped[dt.datetime]
    ends_at: Mapped[dt.datetime]
    kind: Mapped[CommitmentKind] = mapped_column(enum_column(CommitmentKind, "commitment_kind"))
    ref_id: Mapped[int]
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)
    released_at: Mapped[dt.datetime | None]
    #: Short human description for the conflict message ("Meet & greet Zaandam").
    label: Mapped[str] = mapped_column(String(200), default="")


class CandidateBusy(DomainError):
    """The candidate already has something at that time."""


def _check_times(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ValueError("use timezone-aware datetimes")
    if ends_at <= starts_at:
        raise DomainError(_("Het einde moet na het begin liggen."), field="ends_at")


def book_candidate_time(
    candidate: Any, starts_at: dt.datetime, ends_at: dt.datetime, kind: CommitmentKind | str, ref_id: int,
    *, label: str = "",
) -> CandidateCommitment:
    """Reserve the candidate's time for a booking; refuse overlaps with any other active commitment."""
    from portal.candidates.models import Candidate

    kind = CommitmentKind(kind)
    _check_times(starts_at, ends_at)
    candidate_id = candidate if isinstance(candidate, int) else candidate.id
    lock((Candidate, [candidate_id]))
    clash = db.session.scalars(
        select(CandidateCommitment)
        .where(
            CandidateCommitment.candidate_id == candidate_id,
            CandidateCommitment.active.is_(True),
            CandidateCommitment.starts_at < ends_at,
            CandidateCommitment.ends_at > starts_at,
            ~((CandidateCommitment.kind == kind) & (CandidateCommitment.ref_id == ref_id)),
        )
        .order_by(CandidateCommitment.starts_at, CandidateCommitment.id)
        .limit(1)
    ).first()
    if clash is not None:
        raise CandidateBusy(
            _("Deze kandidaat heeft op dat moment al iets anders (%(what)s, %(start)s–%(end)s).",
              what=clash.label or _kind_label(clash.kind), start=format_when(clash.starts_at),
              end=format_time(clash.ends_at)),
            field="candidate_id",
        )
    existing = db.session.scalars(
        select(CandidateCommitment).where(CandidateCommitment.kind == kind, CandidateCommitment.ref_id == ref_id,
                                          CandidateCommitment.candidate_id == candidate_id)
    ).first()
    if existing is None:
        existing = CandidateCommitment(candidate_id=candidate_id, kind=kind, ref_id=ref_id)
        db.session.add(existing)
    existing.starts_at, existing.ends_at, existing.active, existing.released_at = starts_at, ends_at, True, None
    existing.label = label[:200]
    db.session.flush()
    audit.record("commitment.booked", existing, kind=kind.value, ref_id=ref_id)
    return existing


def release(kind: CommitmentKind | str, ref_id: int) -> int:
    """Free the time held by a booking (cancelled); returns how many commitments were released."""
    kind = CommitmentKind(kind)
    rows = db.session.scalars(
        select(CandidateCommitment).where(CandidateCommitment.kind == kind, CandidateCommitment.ref_id == ref_id,
                                          CandidateCommitment.active.is_(True))
    ).all()
    for row in rows:
        row.active, row.released_at = False, db.utcnow()
    db.session.flush()
    return len(rows)


def commitments_for(candidate_id: int) -> list[CandidateCommitment]:
    return list(db.session.scalars(
        select(CandidateCommitment)
        .where(CandidateCommitment.candidate_id == candidate_id, CandidateCommitment.active.is_(True))
        .order_by(CandidateCommitment.starts_at, CandidateCommitment.id)
    ))


def _kind_label(kind: CommitmentKind) -> str:
    return {
        CommitmentKind.EVENT: _("meet-and-greet"),
        CommitmentKind.VISIT: _("bedrijfsbezoek"),
        CommitmentKind.MEETING: _("kennismakingsgesprek"),
    }[kind]
