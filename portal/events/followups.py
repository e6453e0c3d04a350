"""Follow-ups: what an account manager must do after a candidate met an employer.

Generic on purpose: meet-and-greet meetings (issue 7), company visits and one-to-one meetings
(issue 8) all record their outcome through ONE function and ONE outcome list.

API (stable; issue 8 calls it):

    from portal.events.followups import FollowUp, Outcome, SourceKind, record_outcome

    follow_up = record_outcome(
        candidate, SourceKind.MEETING, meeting.id, Outcome.FOLLOW_UP,
        organisation=meeting.organisation, note="...", by=current_user,
    )
        # Creates (or, when called again for the same candidate + source, updates) the follow-up,
        # assigned to the candidate's owning account manager (Candidate.owner_id). Outcomes that
        # need no action (Outcome.needs_action False) are stored already done, so they show in the
        # history but not in the to-do list. Audited; never commits.

    mark_done(follow_up, by=user)   # the account manager closes it

    FollowUp.can_view(user) / can_edit(user): account managers (all; the owner sees it on the start
    page), WSP, admin; an employer only views follow-ups of its own organisation.

`Outcome` is the shared outcome list (codes stored in the database; labels in Dutch).
"""
from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core import audit, db
from portal.core.roles import Role
from portal.core.types import enum_column


class Outcome(enum.StrEnum):
    """The one shared list of meeting outcomes."""

    INTERESTED_PLACEMENT = "interested_placement"  # wants to offer a placement, trial day or job
    INTERESTED_TAALSTAGE = "interested_taalstage"  # wants to offer a language internship first
    FOLLOW_UP = "follow_up"  # another conversation wanted before deciding
    NOT_NOW = "not_now"  # no match this time
    NO_SHOW = "no_show"  # the candidate (or employer) did not come

    @property
    def label(self) -> str:
        return str(OUTCOME_LABELS[self])

    @property
    def needs_action(self) -> bool:
        return self is not Outcome.NOT_NOW


OUTCOME_LABELS = {
    Outcome.INTERESTED_PLACEMENT: _l("Interesse in een plek (werkervaringsplek, proefplaatsing of baan)"),
    Outcome.INTERESTED_TAALSTAGE: _l("Interesse in een taalstage"),
    Outcome.FOLLOW_UP: _l("Vervolg: nog een gesprek"),
    Outcome.NOT_NOW: _l("Nu niet"),
    Outcome.NO_SHOW: _l("Niet verschenen"),
}


class SourceKind(enum.StrEnum):
    EVENT_MEETING = "event_meeting"  # event_schedule_slots.id (a speed date)
    VISIT = "visit"  # company_visit_bookings.id
    MEETING = "meeting"  # one-to-one meetings (issue 8)

    @property
    def label(self) -> str:
        return str({
            SourceKind.EVENT_MEETING: _l("Speeddate op meet-and-greet"),
            SourceKind.VISIT: _l("Bedrijfsbezoek"),
            SourceKind.MEETING: _l("Kennismakingsgesprek"),
        }[self])


class FollowUp(db.TimestampMixin, db.Base):
    __tablename__ = "follow_ups"
    __table_args__ = (
        UniqueConstraint("candidate_id", "source_kind", "source_ref", name="uq_follow_ups_candidate_source"),
        Index("ix_follow_ups_assigned_open", "assigned_to_id", "done_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    source_kind: Mapped[SourceKind] = mapped_column(enum_column(SourceKind, "follow_up_source_kind"))
    source_ref: Mapped[int]
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"), index=True)
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome, "follow_up_outcome"))
    note: Mapped[str] = mapped_column(Text, default="")
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    done_at: Mapped[dt.datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Short description of the source for lists ("Meet & greet Zaandam, ronde 3").
    source_label: Mapped[str] = mapped_column(String(300), default="")

    candidate: Mapped[Any] = relationship("Candidate")
    organisation: Mapped[Any] = relationship("Organisation")
    assigned_to: Mapped[Any] = relationship("User", foreign_keys=[assigned_to_id])
    created_by: Mapped[Any] = relationship("User", foreign_keys=[created_by_id])

    @property
    def is_open(self) -> bool:
        return self.done_at is None

    def can_view(self, user: Any) -> bool:
        if not user.is_authenticated:
            return False
        if user.role == Role.EMPLOYER:
            return self.organisation_id is not None and user.organisation_id == self.organisation_id
        return user.role in (Role.ACCOUNT_MANAGER, Role.WSP, Role.ADMIN)

    def can_edit(self, user: Any) -> bool:
        return user.is_authenticated and user.role in (Role.ACCOUNT_MANAGER, Role.WSP, Role.ADMIN)


def record_outcome(
    candidate: Any, source_kind: SourceKind | str, source_ref: int, outcome: Outcome | str, *,
    organisation: Any = None, note: str = "", by: Any = None, source_label: str = "", placement: Any = None,
) -> FollowUp:
    """Create or update the follow-up for this candidate and source (see the module docstring).

    Every outcome also moves the candidate's traject for `placement` (or the placement resolved
    from the organisation) through portal.trajects.sources.outcome_recorded."""
    source_kind, outcome = SourceKind(source_kind), Outcome(outcome)
    follow_up = db.session.scalars(
        select(FollowUp).where(FollowUp.candidate_id == candidate.id, FollowUp.source_kind == source_kind,
                               FollowUp.source_ref == source_ref)
    ).first()
    if follow_up is None:
        follow_up = FollowUp(candidate_id=candidate.id, source_kind=source_kind, source_ref=source_ref)
        db.session.add(follow_up)
    follow_up.outcome = outcome
    follow_up.note = note or ""
    follow_up.organisation_id = getattr(organisation, "id", organisation)
    follow_up.assigned_to_id = candidate.owner_id
    follow_up.created_by_id = getattr(by, "id", None)
    follow_up.source_label = source_label[:300]
    if outcome.needs_action:
        follow_up.done_at, follow_up.done_by_id = None, None
    elif follow_up.done_at is None:
        follow_up.done_at, follow_up.done_by_id = db.utcnow(), getattr(by, "id", None)
    db.session.flush()
    audit.record("follow_up.recorded", follow_up, actor=by, outcome=outcome.value, source=source_kind.value,
                 candidate_id=candidate.id)
    from portal.trajects.sources import outcome_recorded

    outcome_recorded(candidate, source_kind.value, outcome.value, organisation=organisation, placement=placement, by=by)
    return follow_up


def mark_done(follow_up: FollowUp, *, by: Any) -> None:
    if follow_up.done_at is None:
        follow_up.done_at, follow_up.done_by_id = db.utcnow(), by.id
        db.session.flush()
        audit.record("follow_up.done", follow_up, actor=by)


def open_follow_ups(user: Any) -> list[FollowUp]:
    return list(db.session.scalars(
        select(FollowUp).where(FollowUp.assigned_to_id == user.id, FollowUp.done_at.is_(None))
        .order_by(FollowUp.created_at, FollowUp.id)
    ))
