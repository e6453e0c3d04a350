"""Demo data: a few Thursday-morning meeting slots of the demo account manager for the demo
candidates that are published (idempotent; nothing when the candidates area has no demo data)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from config.settings import DEMO_EMAIL_DOMAIN
from portal.accounts.models import User
from portal.candidates.models import Candidate, CandidateStatus
from portal.core import db
from portal.demo import demo_extension
from portal.meetings.models import LocationKind, MeetingSlot


@demo_extension
def meeting_slots() -> None:
    from portal.meetings.operations import WhereAndWho, create_series

    manager = db.session.scalar(select(User).where(User.email == f"accountmanager@{DEMO_EMAIL_DOMAIN}"))
    if manager is None:
        return
    if db.session.scalar(select(MeetingSlot.id).where(MeetingSlot.owner_id == manager.id).limit(1)) is not None:
        return
    candidates = db.session.scalars(
        select(Candidate).where(Candidate.owner_id == manager.id, Candidate.status == CandidateStatus.PUBLISHED)
        .order_by(Candidate.id).limit(3)
    ).all()
    if not candidates:
        return
    create_series(
        manager, weekday=3, start=dt.time(9, 30), end=dt.time(11, 30), slot_minutes=30,
        first_date=dt.date.today() + dt.timedelta(days=2), weeks=3, candidates=candidates,
        spec=WhereAndWho(location_kind=LocationKind.MUNICIPAL_OFFICE, address="Stadhuisplein 100, 1506 MZ Zaandam",
                         account_manager_attends=True),
    )
