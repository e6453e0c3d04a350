"""The daily aftercare digest: each account manager gets one mail a day listing the check-ins of
their cases (owned or shared) that are due today or overdue. Registered in the one reminders
registry ("aftercare.digest"); sent from DIGEST_HOUR local time, at most once a day per person."""
from __future__ import annotations

import datetime as dt

from flask_babel import force_locale
from sqlalchemy import select

from portal.aftercare.models import CheckIn
from portal.core import db, reminders
from portal.core.mail import queue_mail
from portal.core.urls import external_url


def send_aftercare_digests(now: dt.datetime | None = None) -> int:
    from portal.accounts.models import User
    from portal.candidates.models import Candidate
    from portal.casefile.models import CaseCoOwner
    from portal.casefile.notifications import DIGEST_HOUR, _local_now, claim_digest

    now = now or db.utcnow()
    local = _local_now(now)
    if local.hour < DIGEST_HOUR:
        return 0
    today = local.date()
    due = db.session.execute(
        select(CheckIn.id, Candidate.owner_id, CheckIn.candidate_id).join(Candidate, Candidate.id == CheckIn.candidate_id)
        .where(CheckIn.done_at.is_(None), CheckIn.due_on <= today)
    ).all()
    if not due:
        return 0
    candidate_ids = {row.candidate_id for row in due}
    shared: dict[int, set[int]] = {}
    for candidate_id, user_id in db.session.execute(
        select(CaseCoOwner.candidate_id, CaseCoOwner.user_id).where(CaseCoOwner.candidate_id.in_(candidate_ids))
    ).all():
        shared.setdefault(candidate_id, set()).add(user_id)
    per_user: dict[int, list[int]] = {}
    for checkin_id, owner_id, candidate_id in due:
        for user_id in {owner_id, *shared.get(candidate_id, set())}:
            per_user.setdefault(user_id, []).append(checkin_id)
    sent = 0
    for user_id in sorted(per_user):
        user = db.session.get(User, user_id)
        if user is None or not user.active or not claim_digest(user_id, "aftercare", today):
            continue
        checkins = db.session.scalars(select(CheckIn).where(CheckIn.id.in_(per_user[user_id]))
                                      .order_by(CheckIn.due_on, CheckIn.id)).all()
        with force_locale(user.locale or "nl"):
            items = [(c, c.due_on < today, external_url("aftercare.record", checkin_id=c.id)) for c in checkins]
        queue_mail(user.email, "aftercare_digest", locale=user.locale or "nl", user=user, items=items, today=today)
        sent += 1
    db.session.flush()
    return sent


reminders.sender("aftercare.digest")(send_aftercare_digests)
