"""Domain operations of the case file: validate, change, flush, audit; never commit.

The audit entries name the candidate in `candidate_id`, so that `portal.casefile.timeline`
writes the timeline entry in the same transaction.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.casefile import timeline
from portal.casefile.models import (
    CASELOAD_TARGET_MAX, DEFAULT_CASELOAD_TARGET, HANDOVER_NOTE_MAX, NOTE_MAX, SUMMARY_MAX, CaseCoOwner, CaseHandover,
    CaseloadSetting, CaseNote, ContactChannel, ContactMoment, NotificationMode,
)
from portal.core import audit, db
from portal.core.errors import DomainError
from portal.core.mail import queue_mail
from portal.core.roles import Role
from portal.core.urls import external_url


def _text(value: str | None, maximum: int, field: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(str(_l("Vul dit veld in.")), field=field)
    if len(value) > maximum:
        raise DomainError(str(_l("Maximaal %(n)d tekens.", n=maximum)), field=field)
    return value


def _account_manager(user: Any, field: str) -> Any:
    if user is None or user.role != Role.ACCOUNT_MANAGER or not user.active:
        raise DomainError(str(_l("Kies een actieve accountmanager.")), field=field)
    return user


# -- notes and contact moments ----------------------------------------------------------------

def add_note(candidate: Any, author: Any, body: str) -> CaseNote:
    note = CaseNote(candidate_id=candidate.id, author_id=author.id, body=_text(body, NOTE_MAX, "body"))
    db.session.add(note)
    db.session.flush()
    audit.record("casefile.note_added", note, actor=author, candidate_id=candidate.id)
    return note


def record_contact(candidate: Any, author: Any, *, channel: ContactChannel | str, happened_on: dt.date,
                   summary: str, today: dt.date | None = None) -> ContactMoment:
    try:
        channel = ContactChannel(channel)
    except ValueError:
        raise DomainError(str(_l("Kies een manier van contact uit de lijst.")), field="channel") from None
    today = today or db.utcnow().date()
    if not isinstance(happened_on, dt.date) or happened_on > today:
        raise DomainError(str(_l("Een contactmoment kan niet in de toekomst liggen.")), field="happened_on")
    if happened_on < today - dt.timedelta(days=366):
        raise DomainError(str(_l("Kies een datum in het afgelopen jaar.")), field="happened_on")
    moment = ContactMoment(candidate_id=candidate.id, author_id=author.id, channel=channel, happened_on=happened_on,
                           summary=_text(summary, SUMMARY_MAX, "summary"))
    db.session.add(moment)
    db.session.flush()
    audit.record("casefile.contact_recorded", moment, actor=author, candidate_id=candidate.id, channel=channel.value)
    return moment


# -- ownership -------------------------------------------------------------------------------

def co_owner_ids(candidate_id: int) -> list[int]:
    return list(db.session.scalars(
        select(CaseCoOwner.user_id).where(CaseCoOwner.candidate_id == candidate_id).order_by(CaseCoOwner.user_id)
    ))


def co_owners(candidate_id: int) -> list[Any]:
    from portal.accounts.models import User

    return list(db.session.scalars(
        select(User).join(CaseCoOwner, CaseCoOwner.user_id == User.id)
        .where(CaseCoOwner.candidate_id == candidate_id).order_by(User.name)
    ))


def hand_over(candidate: Any, actor: Any, new_owner: Any, note: str) -> CaseHandover:
    """Make `new_owner` the candidate's account manager, with a handover note mailed to them."""
    from portal.candidates import operations as candidate_operations

    new_owner = _account_manager(new_owner, "new_owner_id")
    if new_owner.id == candidate.owner_id:
        raise DomainError(str(_l("Deze accountmanager heeft het dossier al.")), field="new_owner_id")
    note = _text(note, HANDOVER_NOTE_MAX, "note")
    previous_id = candidate.owner_id
    with timeline.suppressed("candidate.owner_changed"):  # the handover entry below says it all
        candidate_operations.set_owner(candidate, actor, new_owner)
    handover = CaseHandover(candidate_id=candidate.id, from_user_id=previous_id, to_user_id=new_owner.id,
                            by_id=actor.id, note=note)
    db.session.add(handover)
    # The new owner no longer needs to be a co-owner of their own case.
    existing = db.session.get(CaseCoOwner, (candidate.id, new_owner.id))
    if existing is not None:
        db.session.delete(existing)
    db.session.flush()
    audit.record("casefile.handed_over", handover, actor=actor, candidate_id=candidate.id,
                 from_user_id=previous_id, to_user_id=new_owner.id)
    queue_mail(new_owner.email, "casefile_handover", locale=new_owner.locale or "nl", candidate=candidate,
               handover=handover, by=actor, new_owner=new_owner,
               url=external_url("candidates.detail", candidate_id=candidate.id))
    return handover


def add_co_owner(candidate: Any, actor: Any, user: Any) -> CaseCoOwner:
    user = _account_manager(user, "user_id")
    if user.id == candidate.owner_id:
        raise DomainError(str(_l("Dit is de accountmanager van het dossier zelf.")), field="user_id")
    if db.session.get(CaseCoOwner, (candidate.id, user.id)) is not None:
        raise DomainError(str(_l("Deze accountmanager deelt het dossier al.")), field="user_id")
    row = CaseCoOwner(candidate_id=candidate.id, user_id=user.id, added_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record("casefile.co_owner_added", candidate, actor=actor, user_id=user.id)
    return row


def remove_co_owner(candidate: Any, actor: Any, user_id: int) -> None:
    row = db.session.get(CaseCoOwner, (candidate.id, user_id))
    if row is None:
        raise DomainError(str(_l("Deze accountmanager deelt het dossier niet.")), field="user_id")
    db.session.delete(row)
    db.session.flush()
    audit.record("casefile.co_owner_removed", candidate, actor=actor, user_id=user_id)


# -- settings --------------------------------------------------------------------------------

def caseload_target() -> int:
    setting = db.session.get(CaseloadSetting, 1)
    return setting.target if setting is not None else DEFAULT_CASELOAD_TARGET


def set_caseload_target(actor: Any, target: int) -> CaseloadSetting:
    if isinstance(target, bool) or not isinstance(target, int) or not 1 <= target <= CASELOAD_TARGET_MAX:
        raise DomainError(str(_l("Kies een aantal van 1 tot en met %(n)d.", n=CASELOAD_TARGET_MAX)), field="target")
    setting = db.session.get(CaseloadSetting, 1)
    previous = setting.target if setting is not None else DEFAULT_CASELOAD_TARGET
    if setting is None:
        setting = CaseloadSetting(id=1, target=target, updated_by_id=actor.id)
        db.session.add(setting)
    setting.target, setting.updated_by_id, setting.updated_at = target, actor.id, db.utcnow()
    db.session.flush()
    audit.record("caseload.target_changed", setting, actor=actor, old=previous, new=target)
    return setting


def set_notification_mode(user: Any, mode: NotificationMode | str) -> None:
    try:
        mode = NotificationMode(mode)
    except ValueError:
        raise DomainError(str(_l("Kies hoe u meldingen wilt ontvangen.")), field="mode") from None
    if user.notification_mode == mode.value:
        return
    previous = user.notification_mode
    user.notification_mode = mode.value
    db.session.flush()
    audit.record("user.notification_mode_changed", user, actor=user, old=previous, new=mode.value)
