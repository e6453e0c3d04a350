"""Mail the candidate's account managers when an employer shows interest or answers a proposal.

Driven by the audit log (`audit.on_record`), so every code path that records an interest
("candidate.interest_recorded") or an answer ("proposal.answered") notifies, in its own transaction.
Each recipient (the owner and the co-owners of the case) chooses on the account page: one mail at
once ("immediate"), or one overview a day ("daily": `PendingNotification` rows, sent by the
"casefile.digest" sender of the reminders registry, at most once a day, from DIGEST_HOUR on).
"""
from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.casefile.models import DigestLog, NotificationMode, PendingNotification
from portal.core import audit, db, reminders
from portal.core.mail import queue_mail
from portal.core.urls import external_url

NOTIFY_ACTIONS = ("candidate.interest_recorded", "proposal.answered")
DIGEST_HOUR = 7
DETAIL_KEYS = ("organisation_id", "placement_id", "answer", "decline_reason")


def _recipients(candidate: Any) -> list[Any]:
    from portal.accounts.models import User
    from portal.casefile.operations import co_owner_ids

    ids = [candidate.owner_id, *co_owner_ids(candidate.id)]
    users = db.session.scalars(select(User).where(User.id.in_(ids), User.active.is_(True))).all()
    return sorted(users, key=lambda u: ids.index(u.id))


def _context(candidate: Any, details: dict[str, Any]) -> dict[str, Any]:
    from portal.accounts.models import Organisation
    from portal.placements.models import Placement

    placement = db.session.get(Placement, details["placement_id"]) if details.get("placement_id") else None
    organisation_id = details.get("organisation_id") or (placement.organisation_id if placement is not None else None)
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    return {"candidate": candidate, "placement": placement, "organisation": organisation, "details": details}


def notification_line(action: str, details: dict[str, Any], candidate: Any) -> str:
    """One sentence for a mail or a digest, in the current locale."""
    ctx = _context(candidate, details)
    org = ctx["organisation"].name if ctx["organisation"] is not None else _("een werkgever")
    place = ctx["placement"].title if ctx["placement"] is not None else ""
    name = candidate.display_name
    if action == "candidate.interest_recorded":
        if place:
            return _("%(org)s wil kennismaken met %(name)s voor de plek %(place)s.", org=org, name=name, place=place)
        return _("%(org)s wil kennismaken met %(name)s.", org=org, name=name)
    if details.get("answer") == "invited":
        return _("%(org)s nodigt %(name)s uit voor een kennismaking (plek %(place)s).", org=org, name=name, place=place)
    from portal.trajects.models import DeclineReason

    try:
        reason = DeclineReason(details.get("decline_reason")).label
    except ValueError:
        reason = _("andere reden")
    return _("%(org)s zegt nu niet tegen de voordracht van %(name)s voor %(place)s: %(reason)s.", org=org, name=name,
             place=place, reason=reason.lower())


@audit.on_record
def _notify(entry: Any, obj: Any) -> None:
    if entry.action not in NOTIFY_ACTIONS:
        return
    from portal.candidates.models import Candidate

    candidate_id = (entry.details or {}).get("candidate_id") or getattr(obj, "candidate_id", None)
    candidate = db.session.get(Candidate, candidate_id) if isinstance(candidate_id, int) else None
    if candidate is None:
        return
    details = {k: entry.details.get(k) for k in DETAIL_KEYS if entry.details.get(k) is not None}
    if "placement_id" not in details and getattr(obj, "placement_id", None):
        details["placement_id"] = obj.placement_id
    for user in _recipients(candidate):
        if user.notification_mode == NotificationMode.DAILY.value:
            db.session.add(PendingNotification(user_id=user.id, candidate_id=candidate.id, action=entry.action,
                                               details=details))
            continue
        with force_locale(user.locale or "nl"):
            line = notification_line(entry.action, details, candidate)
        queue_mail(user.email, "casefile_notification", locale=user.locale or "nl", user=user, line=line,
                   interest=entry.action == "candidate.interest_recorded",
                   url=external_url("candidates.detail", candidate_id=candidate.id))


def _local_now(now: dt.datetime) -> dt.datetime:
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Amsterdam"))
    return now.astimezone(zone)


def claim_digest(user_id: int, digest: str, day: dt.date) -> bool:
    """Remember that `digest` goes to the user today; False when it already went (idempotent)."""
    exists = db.session.scalar(select(DigestLog.id).where(DigestLog.user_id == user_id, DigestLog.digest == digest,
                                                          DigestLog.day == day))
    if exists is not None:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(DigestLog(user_id=user_id, digest=digest, day=day))
    except IntegrityError:  # another worker claimed it at the same moment
        return False
    return True


def send_notification_digests(now: dt.datetime | None = None) -> int:
    """One overview per user who chose "daily" and has notifications waiting; at most once a day."""
    from portal.accounts.models import User
    from portal.candidates.models import Candidate

    now = now or db.utcnow()
    local = _local_now(now)
    if local.hour < DIGEST_HOUR:
        return 0
    user_ids = db.session.scalars(
        select(PendingNotification.user_id).where(PendingNotification.sent_at.is_(None)).distinct()
    ).all()
    sent = 0
    for user_id in sorted(user_ids):
        user = db.session.get(User, user_id)
        if user is None or not user.active or not claim_digest(user_id, "notifications", local.date()):
            continue
        pending = db.session.scalars(
            select(PendingNotification).where(PendingNotification.user_id == user_id,
                                              PendingNotification.sent_at.is_(None))
            .order_by(PendingNotification.created_at, PendingNotification.id)
        ).all()
        lines = []
        with force_locale(user.locale or "nl"):
            for item in pending:
                candidate = db.session.get(Candidate, item.candidate_id)
                if candidate is not None:
                    lines.append((notification_line(item.action, item.details or {}, candidate),
                                  external_url("candidates.detail", candidate_id=candidate.id)))
        for item in pending:
            item.sent_at = now
        if lines:
            queue_mail(user.email, "casefile_digest", locale=user.locale or "nl", user=user, lines=lines)
            sent += 1
    db.session.flush()
    return sent


reminders.sender("casefile.digest")(send_notification_digests)
