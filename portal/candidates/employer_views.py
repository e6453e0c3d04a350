"""Recording an employer's sight of a candidate: counted, audited, rate-limited (DESIGN.md §5).

Every way an employer sees a candidate goes through `record_employer_view(user, candidate, via=...)`:
the gallery detail page (also when its interest form is re-rendered with errors), the meeting
booking page (GET and every re-rendered POST), and the first request of a video or its captions.

- One audited view per window: repeated views of the same candidate by the same user within
  CANDIDATE_VIEW_REPEAT_SECONDS (default 30 minutes) are the same view and write nothing.
- The limits count DISTINCT candidates, per user (CANDIDATE_VIEWS_PER_HOUR / _PER_DAY) and per
  organisation (CANDIDATE_VIEWS_PER_ORGANISATION_PER_HOUR / _PER_DAY), so an organisation with many
  accounts does not multiply them. Re-opening a candidate already seen in a window is free.
- A refusal writes "candidate.view_rate_limited" (admins see it) and raises ViewRateLimited; the
  entry is kept even though the page answers 429 (`db.keep_on_error`).
- The check and the insert run under a lock on the organisation row (PostgreSQL; SQLite's
  write transaction already serialises), so parallel requests cannot slip past a limit.
"""
from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, distinct, func, select

from portal.core import audit, db
from portal.core.audit import AuditEntry
from portal.core.errors import DomainError

VIEW_ACTION = "candidate.viewed_by_employer"
RATE_LIMITED_ACTION = "candidate.view_rate_limited"

#: How an employer saw the candidate (kept in the audit details).
VIA = ("detail", "interest_form", "booking", "video", "captions")


class ViewRateLimited(DomainError):
    """Too many distinct candidates viewed by one account or one organisation in the window."""


def _views(since: dt.datetime):
    return select(AuditEntry).where(AuditEntry.action == VIEW_ACTION, AuditEntry.at >= since)


@cache
def _last_view_statement() -> Any:
    """The user's latest audited view of one candidate since a moment; built once per process (every
    employer view of a profile asks it first)."""
    return select(func.max(AuditEntry.at)).where(
        AuditEntry.action == VIEW_ACTION, AuditEntry.actor_id == bindparam("actor_id"),
        AuditEntry.object_type == "candidates", AuditEntry.object_id == bindparam("object_id"),
        AuditEntry.at >= bindparam("since", type_=AuditEntry.at.type))


def _last_view_at(user: Any, candidate_id: int, since: dt.datetime) -> dt.datetime | None:
    return db.session.scalar(_last_view_statement(), {"actor_id": user.id, "object_id": candidate_id, "since": since})


def _member_ids(user: Any) -> list[int]:
    from portal.accounts.models import User

    if user.organisation_id is None:
        return [user.id]
    return list(db.session.scalars(select(User.id).where(User.organisation_id == user.organisation_id)))


def _distinct_candidates(actor_ids: list[int], since: dt.datetime, exclude: int) -> int:
    return db.session.scalar(
        select(func.count(distinct(AuditEntry.object_id))).where(
            AuditEntry.action == VIEW_ACTION, AuditEntry.actor_id.in_(actor_ids), AuditEntry.at >= since,
            AuditEntry.object_type == "candidates", AuditEntry.object_id != exclude,
        )
    ) or 0


def _seen(actor_ids: list[int], candidate_id: int, since: dt.datetime) -> bool:
    return db.session.scalar(
        select(AuditEntry.id).where(AuditEntry.action == VIEW_ACTION, AuditEntry.actor_id.in_(actor_ids),
                                    AuditEntry.object_type == "candidates",
                                    AuditEntry.object_id == candidate_id, AuditEntry.at >= since).limit(1)
    ) is not None


def _lock_organisation(user: Any) -> None:
    from portal.accounts.models import Organisation, User
    from portal.core.locking import lock

    if user.organisation_id is not None:
        lock((Organisation, [user.organisation_id]))
    else:
        lock((User, [user.id]))


def record_employer_view(user: Any, candidate: Any, now: dt.datetime | None = None, *, via: str = "detail") -> bool:
    """Count and audit this sight of `candidate`; True when a new audited view was written.

    Raises ViewRateLimited beyond a limit (after recording the refusal).
    """
    now = now or db.utcnow()
    config = current_app.config
    repeat = dt.timedelta(seconds=int(config.get("CANDIDATE_VIEW_REPEAT_SECONDS", 30 * 60)))
    _lock_organisation(user)
    if _last_view_at(user, candidate.id, now - repeat) is not None:
        return False  # the same view: audited already, within the repeat window
    members = _member_ids(user)
    limits = (
        ("hour", dt.timedelta(hours=1), [user.id], int(config.get("CANDIDATE_VIEWS_PER_HOUR", 60)), "user"),
        ("day", dt.timedelta(days=1), [user.id], int(config.get("CANDIDATE_VIEWS_PER_DAY", 200)), "user"),
        ("hour", dt.timedelta(hours=1), members,
         int(config.get("CANDIDATE_VIEWS_PER_ORGANISATION_PER_HOUR", 150)), "organisation"),
        ("day", dt.timedelta(days=1), members,
         int(config.get("CANDIDATE_VIEWS_PER_ORGANISATION_PER_DAY", 500)), "organisation"),
    )
    for window, span, actors, limit, scope in limits:
        since = now - span
        if _seen(actors, candidate.id, since):
            continue
        if _distinct_candidates(actors, since, candidate.id) >= limit:
            _write(RATE_LIMITED_ACTION, candidate, user, now, window=window, limit=limit, scope=scope, via=via)
            raise ViewRateLimited(str(_l("U heeft in korte tijd erg veel kandidaten bekeken. Probeer het later opnieuw.")))
    _write(VIEW_ACTION, candidate, user, now, via=via)
    return True


def _write(action: str, candidate: Any, user: Any, now: dt.datetime, **details: Any) -> None:
    """The audit entry, kept even when the request ends in an error response (db.keep_on_error)."""
    entry = audit.record(action, candidate, actor=user, organisation_id=user.organisation_id, **details)
    entry.at = now
    db.keep_on_error(_keep(_entry_values(entry)))


def _keep(values: dict[str, Any]) -> Any:
    """Re-add an audit entry after the request's rollback (see db.keep_on_error)."""
    return lambda: db.session.add(AuditEntry(**values))


def _entry_values(entry: AuditEntry) -> dict[str, Any]:
    return {column: getattr(entry, column) for column in
            ("at", "actor_id", "actor_role", "action", "object_type", "object_id", "details", "ip_address")}


def counted_view_or_429(candidate: Any, via: str) -> Any:
    """For employer views: record the sight; None to go on, or the 429 response to return.

    The audited view (or the refusal) is kept even when the page answers with an error (a form
    re-rendered with 400), while everything else of that request is rolled back.
    """
    from flask import render_template
    from flask_babel import gettext as _
    from flask_login import current_user

    try:
        record_employer_view(current_user, candidate, via=via)
    except ViewRateLimited:
        return render_template("errors/error.html", code=429, title=_("Te veel verzoeken"),
                               message=_("U heeft in korte tijd erg veel kandidaten bekeken. Probeer het later opnieuw.")), 429
    return None
