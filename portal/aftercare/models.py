"""Aftercare (nazorg) after a start: scheduled check-ins and the end result.

- `CheckIn` (``aftercare_checkins``): a task for the candidate's account manager, due on a day
  after a `PlacementStart` (``placement_starts``); done when recorded with an `Assessment`, optional
  Dutch levels per skill (0–6, portal.reference) and the next step. `candidate_id` is kept on the
  row so a caseload's check-ins need no join through trajects.
- `AftercareResult` (``aftercare_results``): how the placement ended (contract and its kind,
  extended, education, stopped with a reason); recording it moves the traject to finished or stopped
  through `portal.trajects.operations.move_stage`.

Both are staff-only (account managers and admins) and are deleted with the candidate.
"""
from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

import portal.trajects.models  # noqa: F401  (check-ins follow a placement start)
from portal.core import db
from portal.core.roles import Role
from portal.core.types import enum_column

NEXT_STEP_MAX = 500
RESULT_NOTE_MAX = 1000


class CheckInMoment(enum.StrEnum):
    WEEK_1 = "week_1"
    WEEK_6 = "week_6"
    MONTH_3 = "month_3"
    MONTH_6 = "month_6"
    BEFORE_END = "before_end"
    EXTRA = "extra"

    @property
    def label(self) -> str:
        return str(MOMENT_LABELS[self])


MOMENT_LABELS = {
    CheckInMoment.WEEK_1: _l("na 1 week"),
    CheckInMoment.WEEK_6: _l("na 6 weken"),
    CheckInMoment.MONTH_3: _l("na 3 maanden"),
    CheckInMoment.MONTH_6: _l("na 6 maanden"),
    CheckInMoment.BEFORE_END: _l("4 weken voor het einde"),
    CheckInMoment.EXTRA: _l("extra contact"),
}


class Assessment(enum.StrEnum):
    GOOD = "good"
    ATTENTION = "attention"
    WORRYING = "worrying"

    @property
    def label(self) -> str:
        return str({
            Assessment.GOOD: _l("Goed"),
            Assessment.ATTENTION: _l("Aandacht nodig"),
            Assessment.WORRYING: _l("Zorgelijk"),
        }[self])


class _StaffOnly:
    def can_view(self, user: Any) -> bool:
        return bool(getattr(user, "is_authenticated", False)) and user.role in (Role.ACCOUNT_MANAGER, Role.ADMIN)

    def can_edit(self, user: Any) -> bool:
        return bool(getattr(user, "is_authenticated", False)) and user.role == Role.ACCOUNT_MANAGER


class CheckIn(_StaffOnly, db.Base):
    __tablename__ = "aftercare_checkins"
    __table_args__ = (
        CheckConstraint("(done_at IS NULL) = (assessment IS NULL)", name="done_has_assessment"),
        CheckConstraint(f"length(next_step) <= {NEXT_STEP_MAX}", name="next_step_length"),
        Index("ix_aftercare_checkins_candidate_open", "candidate_id", "done_at", "due_on"),
        Index("ix_aftercare_checkins_open_due", "done_at", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    start_id: Mapped[int] = mapped_column(ForeignKey("placement_starts.id", ondelete="CASCADE"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"))
    moment: Mapped[CheckInMoment] = mapped_column(enum_column(CheckInMoment, "checkin_moment"))
    due_on: Mapped[dt.date] = mapped_column(Date)
    done_at: Mapped[dt.datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assessment: Mapped[Assessment | None] = mapped_column(enum_column(Assessment, "checkin_assessment"))
    #: Dutch level now per skill (portal.reference.LANGUAGE_SKILLS -> 0..6); only the skills measured.
    dutch_levels: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    next_step: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)

    start: Mapped[Any] = relationship("PlacementStart")
    candidate: Mapped[Any] = relationship("Candidate")
    done_by: Mapped[Any] = relationship("User")

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def moment_label(self) -> str:
        return self.moment.label

    def is_overdue(self, today: dt.date) -> bool:
        return not self.is_done and self.due_on < today

    def levels_summary(self) -> str:
        from portal import reference
        from portal.core.i18n import ui_locale

        if not self.dutch_levels:
            return ""
        parts = []
        locale = ui_locale()
        for skill in reference.LANGUAGE_SKILLS:
            level = (self.dutch_levels or {}).get(skill)
            if isinstance(level, int) and 0 <= level <= 6:
                parts.append(f"{reference.skill_label(skill, locale)} {reference.level_code(level, locale)}")
        if not parts:
            return ""
        return _("Nederlands nu: %(levels)s.", levels=", ".join(parts))


class ResultKind(enum.StrEnum):
    CONTRACT = "contract"
    EXTENDED = "extended"
    EDUCATION = "education"
    STOPPED = "stopped"

    @property
    def label(self) -> str:
        return str({
            ResultKind.CONTRACT: _l("Arbeidscontract"),
            ResultKind.EXTENDED: _l("Plaatsing verlengd"),
            ResultKind.EDUCATION: _l("Naar een opleiding"),
            ResultKind.STOPPED: _l("Gestopt"),
        }[self])


class ContractKind(enum.StrEnum):
    PERMANENT = "permanent"
    FIXED_TERM = "fixed_term"
    ON_CALL = "on_call"
    AGENCY = "agency"

    @property
    def label(self) -> str:
        return str({
            ContractKind.PERMANENT: _l("vast contract"),
            ContractKind.FIXED_TERM: _l("tijdelijk contract"),
            ContractKind.ON_CALL: _l("oproepcontract"),
            ContractKind.AGENCY: _l("via een uitzendbureau"),
        }[self])


class AftercareResult(_StaffOnly, db.Base):
    __tablename__ = "aftercare_results"
    __table_args__ = (
        CheckConstraint("(kind = 'contract') = (contract_kind IS NOT NULL)", name="contract_has_kind"),
        CheckConstraint("(kind = 'stopped') = (stop_reason IS NOT NULL)", name="stopped_has_reason"),
        CheckConstraint(f"length(note) <= {RESULT_NOTE_MAX}", name="note_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    start_id: Mapped[int] = mapped_column(ForeignKey("placement_starts.id", ondelete="CASCADE"), unique=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ResultKind] = mapped_column(enum_column(ResultKind, "aftercare_result_kind"))
    contract_kind: Mapped[ContractKind | None] = mapped_column(enum_column(ContractKind, "aftercare_contract_kind"))
    #: A `portal.trajects.models.StopReason` code (stopped only).
    stop_reason: Mapped[str | None] = mapped_column(String(32))
    #: Staff only.
    note: Mapped[str] = mapped_column(Text, default="")
    ended_on: Mapped[dt.date] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    start: Mapped[Any] = relationship("PlacementStart")

    def summary(self) -> str:
        if self.kind == ResultKind.CONTRACT and self.contract_kind is not None:
            return _("%(kind)s (%(contract)s)", kind=self.kind.label, contract=self.contract_kind.label)
        if self.kind == ResultKind.STOPPED and self.stop_reason:
            from portal.trajects.models import StopReason

            try:
                reason = StopReason(self.stop_reason).label
            except ValueError:
                reason = _("andere reden")
            return _("%(kind)s (%(reason)s)", kind=self.kind.label, reason=reason.lower())
        return self.kind.label
