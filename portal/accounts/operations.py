"""Account operations: they change state, flush and audit; the request commits."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.accounts import passwords
from portal.accounts.models import (
    Invitation, LoginAttempt, Organisation, OrganisationStatus, ThrottleEvent, User, normalise_email,
)
from portal.core import audit, db
from portal.core.errors import DomainError
from portal.core.mail import queue_mail
from portal.core.roles import Role
from portal.core.urls import external_url


class LoginThrottled(DomainError):
    def __init__(self, minutes: int) -> None:
        super().__init__(
            _("Te veel mislukte pogingen. Probeer het over %(minutes)d minuten opnieuw.", minutes=minutes)
        )
        self.minutes = minutes


def _failures(since: dt.datetime, *conditions: Any) -> int:
    return db.session.scalar(
        select(func.count(LoginAttempt.id)).where(LoginAttempt.at >= since, LoginAttempt.succeeded.is_(False), *conditions)
    ) or 0


def _known_address(email: str, ip_address: str, cfg: Any) -> bool:
    since = db.utcnow() - dt.timedelta(days=cfg["LOGIN_KNOWN_ADDRESS_DAYS"])
    return db.session.scalar(
        select(LoginAttempt.id).where(LoginAttempt.email == email, LoginAttempt.ip_address == ip_address,
                                      LoginAttempt.succeeded.is_(True), LoginAttempt.at >= since).limit(1)
    ) is not None


def authenticate(email: str, password: str, ip_address: str) -> User:
    """Return the user for a correct email and password; record the attempt either way.

    Throttling, checked before the password (the message never says whether the address has an
    account), with three counters of failures in LOGIN_FAILURE_WINDOW_SECONDS:
      - this account from this address: LOGIN_MAX_FAILURES (5). Only the address that guesses is
        refused: someone elsewhere cannot lock the owner out of a known account with 5 tries.
      - from this address, any account: LOGIN_MAX_FAILURES_PER_IP (30), and
      - this account, all addresses together: LOGIN_MAX_FAILURES_PER_ACCOUNT (50).
    The last two do not apply at a "known address" (a successful login of this account from
    there within LOGIN_KNOWN_ADDRESS_DAYS): random e-mails from one proxy or office address no
    longer lock out everyone behind it, and a distributed guess does not lock the owner out at
    home. The count and the insert run under a lock on the account and the address.
    """
    from portal.core.locking import lock_key

    cfg = current_app.config
    email = normalise_email(email)
    window = dt.timedelta(seconds=cfg["LOGIN_FAILURE_WINDOW_SECONDS"])
    since = db.utcnow() - window
    lock_key("login-account", email)
    lock_key("login-address", ip_address)
    throttled = _failures(since, LoginAttempt.email == email, LoginAttempt.ip_address == ip_address) >= cfg["LOGIN_MAX_FAILURES"]
    if not throttled and not _known_address(email, ip_address, cfg):
        throttled = (
            _failures(since, LoginAttempt.ip_address == ip_address) >= cfg["LOGIN_MAX_FAILURES_PER_IP"]
            or _failures(since, LoginAttempt.email == email) >= cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
        )
    if throttled:
        raise LoginThrottled(minutes=max(1, int(window.total_seconds() // 60)))
    user = db.session.scalar(select(User).where(User.email == email))
    ok = passwords.verify_password(user.password_hash if user else None, password)
    ok = ok and user is not None and user.active
    db.session.add(LoginAttempt(email=email, ip_address=ip_address, succeeded=ok))
    if not ok:
        raise DomainError(_("Onjuist e-mailadres of wachtwoord."), field="password")
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = db.utcnow()
    audit.record("user.login", user, actor=user)
    return user


def end_sessions(user: User, actor: User, *, reason: str) -> None:
    """End every session of `user` server-side: logout, deactivation, an admin's "log out everywhere"."""
    user.end_sessions()
    audit.record("user.sessions_ended", user, actor=actor, reason=reason)


def set_password(user: User, new_password: str) -> None:
    user.password_hash = passwords.hash_password(new_password)
    audit.record("user.password_changed", user, actor=user)


PASSWORD_RESET_JOB = "accounts.password_reset_mail"


class ResetThrottled(DomainError):
    """Too many reset requests from this address."""


def _throttle_count(bucket: str, key: str, since: dt.datetime) -> int:
    return db.session.scalar(select(func.count(ThrottleEvent.id)).where(
        ThrottleEvent.bucket == bucket, ThrottleEvent.key == key, ThrottleEvent.at >= since)) or 0


def request_password_reset(email: str, ip_address: str = "") -> None:
    """Queue a reset mail for the address; say nothing about whether it has an account.

    The request does the same work for every address (count, queue a job); the lookup and the
    mail happen in the background, so the answer takes as long for an unknown address as for a
    known one. Rate limits in PASSWORD_RESET_WINDOW_SECONDS: PASSWORD_RESET_MAX_PER_ADDRESS
    requests from one client address (beyond: ResetThrottled, a 429), and
    PASSWORD_RESET_MAX_PER_EMAIL mails to one e-mail address (beyond: silently no mail, so the
    answer stays the same and nobody's mailbox can be flooded).
    """
    from portal.core import jobs
    from portal.core.locking import lock_key

    cfg = current_app.config
    email = normalise_email(email)
    since = db.utcnow() - dt.timedelta(seconds=cfg["PASSWORD_RESET_WINDOW_SECONDS"])
    lock_key("reset-address", ip_address)
    lock_key("reset-email", email)
    if _throttle_count("reset-address", ip_address, since) >= cfg["PASSWORD_RESET_MAX_PER_ADDRESS"]:
        raise ResetThrottled(_("U heeft te vaak een herstellink aangevraagd. Probeer het over een uur opnieuw."))
    db.session.add(ThrottleEvent(bucket="reset-address", key=ip_address))
    if _throttle_count("reset-email", email, since) >= cfg["PASSWORD_RESET_MAX_PER_EMAIL"]:
        return
    db.session.add(ThrottleEvent(bucket="reset-email", key=email))
    jobs.enqueue(PASSWORD_RESET_JOB, email=email)


def send_password_reset(email: str) -> None:
    """The background half of a reset request: mail a link when the address has an active account."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.active:
        return
    token = passwords.make_reset_token(user.id, user.password_hash)
    queue_mail(
        user.email, "password_reset", locale=user.locale, user=user,
        link=external_url("accounts.reset_password", reset_token=token),
        hours=current_app.config["PASSWORD_RESET_MAX_AGE_SECONDS"] // 3600,
    )
    audit.record("user.password_reset_requested", user, actor=user)


def _register_reset_job() -> None:
    from portal.core import jobs

    jobs.handler(PASSWORD_RESET_JOB)(send_password_reset)


_register_reset_job()


def reset_password(token: str, new_password: str) -> User:
    """Set a new password from a reset token; the token stops working once the password changes."""
    try:
        user_id, fingerprint = passwords.read_reset_token(token)
    except passwords.InvalidToken as exc:
        raise DomainError(
            _("Deze herstellink is verlopen. Vraag een nieuwe aan.") if exc.expired
            else _("Deze herstellink is ongeldig of al gebruikt. Vraag een nieuwe aan.")
        ) from exc
    user = db.session.get(User, user_id)
    if user is None or not user.active or not passwords.reset_token_matches(fingerprint, user.password_hash):
        raise DomainError(_("Deze herstellink is ongeldig of al gebruikt. Vraag een nieuwe aan."))
    set_password(user, new_password)
    return user


def _email_taken(email: str) -> bool:
    return db.session.scalar(select(func.count(User.id)).where(User.email == normalise_email(email))) > 0


def invite(inviter: User, *, email: str, role: Role, name: str = "", organisation: Organisation | None = None) -> Invitation:
    """Invite someone; WSP staff may invite employer contacts and account managers, admins anyone."""
    allowed = {Role.ADMIN: set(Role), Role.WSP: {Role.EMPLOYER, Role.ACCOUNT_MANAGER, Role.WSP}}.get(inviter.role, set())
    if role not in allowed:
        raise DomainError(_("U mag geen uitnodiging voor deze rol versturen."), field="role")
    if role == Role.EMPLOYER and organisation is None:
        raise DomainError(_("Kies de organisatie van deze werkgever."), field="organisation_id")
    if role != Role.EMPLOYER:
        organisation = None
    if _email_taken(email):
        raise DomainError(_("Er bestaat al een account met dit e-mailadres."), field="email")
    token, token_hash = passwords.new_invitation_token()
    invitation = Invitation(
        email=email, name=name, role=role, organisation=organisation, token_hash=token_hash,
        invited_by_id=inviter.id,
        expires_at=db.utcnow() + dt.timedelta(days=current_app.config["INVITATION_MAX_AGE_DAYS"]),
    )
    db.session.add(invitation)
    db.session.flush()
    queue_mail(
        invitation.email, "invitation", locale=inviter.locale, invitation=invitation, inviter=inviter,
        link=external_url("accounts.accept_invitation", invitation_token=token),
        days=current_app.config["INVITATION_MAX_AGE_DAYS"],
    )
    audit.record("invitation.created", invitation, role=str(role), organisation_id=getattr(organisation, "id", None))
    return invitation


def find_open_invitation(token: str) -> Invitation | None:
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == passwords.hash_invitation_token(token))
    )
    return invitation if invitation is not None and invitation.is_open else None


def accept_invitation(invitation: Invitation, *, name: str, password: str) -> User:
    if not invitation.is_open:
        raise DomainError(_("Deze uitnodiging is verlopen of al gebruikt."))
    if _email_taken(invitation.email):
        raise DomainError(_("Er bestaat al een account met dit e-mailadres."))
    user = User(
        email=invitation.email, name=name, role=invitation.role,
        organisation_id=invitation.organisation_id, password_hash=passwords.hash_password(password),
    )
    db.session.add(user)
    invitation.accepted_at = db.utcnow()
    db.session.flush()
    audit.record("invitation.accepted", invitation, actor=user)
    return user


def register_employer(organisation_fields: Mapping[str, Any], *, name: str, email: str, password: str) -> User | None:
    """Self-registration: a pending organisation and its first contact; WSP staff are told.

    The answer never says whether the e-mail address or the KvK number is already known: for a
    known address the owner of that mailbox is told by mail (with a link to reset the password),
    for a known KvK number the applicant is told by mail to ask a colleague for an invitation;
    nothing else is saved and None is returned. The view answers the same page either way.
    """
    if _email_taken(email):
        passwords.hash_password(password)  # the same work as a real registration: no timing difference
        known = db.session.scalar(select(User).where(User.email == normalise_email(email)))
        queue_mail(known.email, "registration_known_email", locale=known.locale, user=known,
                   link=external_url("accounts.forgot_password"))
        return None
    kvk = organisation_fields["kvk_number"]
    if db.session.scalar(select(func.count(Organisation.id)).where(Organisation.kvk_number == kvk)):
        passwords.hash_password(password)
        queue_mail(normalise_email(email), "registration_known_organisation", name=name, kvk_number=kvk)
        return None
    organisation = Organisation(**organisation_fields, status=OrganisationStatus.PENDING)
    user = User(
        email=email, name=name, role=Role.EMPLOYER, organisation=organisation,
        password_hash=passwords.hash_password(password),
    )
    db.session.add_all([organisation, user])
    db.session.flush()
    audit.record("organisation.registered", organisation, actor=user)
    for staff in db.session.scalars(select(User).where(User.role == Role.WSP, User.active.is_(True))):
        queue_mail(
            staff.email, "organisation_registered", locale=staff.locale, organisation=organisation,
            link=external_url("wsp.organisation_detail", organisation_id=organisation.id),
        )
    return user


def review_organisation(organisation: Organisation, reviewer: User, *, approve: bool, note: str = "") -> None:
    if organisation.status != OrganisationStatus.PENDING and approve == organisation.is_approved:
        raise DomainError(_("Deze organisatie heeft deze status al."))
    organisation.status = OrganisationStatus.APPROVED if approve else OrganisationStatus.REJECTED
    organisation.reviewed_at = db.utcnow()
    organisation.reviewed_by_id = reviewer.id
    organisation.review_note = note
    audit.record("organisation.approved" if approve else "organisation.rejected", organisation)
    # The registered contact and every active member hear the decision, each once: members with a
    # link to log in, a contact without an account that an invitation to create one follows.
    members = [m for m in organisation.members if m.active]
    known = {normalise_email(m.email) for m in members}
    for member in members:
        queue_mail(
            member.email, "organisation_reviewed", locale=member.locale, organisation=organisation,
            approved=approve, note=note, has_account=True, name=member.name, link=external_url("accounts.login"),
        )
    contact = normalise_email(organisation.contact_email or "")
    if contact and contact not in known:
        queue_mail(
            contact, "organisation_reviewed", locale="nl", organisation=organisation, approved=approve, note=note,
            has_account=False, name=organisation.contact_name, link=external_url("accounts.login"),
        )


def first_user_invitation_defaults(organisation: Organisation) -> dict[str, str] | None:
    """The invitation an approved organisation without any active account needs: its registered
    contact (None when someone of the organisation can already log in or has an open invitation)."""
    if not organisation.is_approved or any(m.active for m in organisation.members):
        return None
    open_invitation = db.session.scalar(select(Invitation.id).where(
        Invitation.organisation_id == organisation.id, Invitation.accepted_at.is_(None),
        Invitation.expires_at > db.utcnow()).limit(1))
    if open_invitation is not None:
        return None
    email = normalise_email(organisation.contact_email or "")
    return {"email": "" if _email_taken(email) else email, "name": organisation.contact_name or ""}


def update_user(user: User, actor: User, *, role: Role | None = None, active: bool | None = None) -> None:
    if user.id == actor.id and (active is False or (role is not None and role != user.role)):
        raise DomainError(_("U kunt uw eigen rol of toegang niet wijzigen."))
    changes: dict[str, Any] = {}
    if role is not None and role != user.role:
        if (role == Role.EMPLOYER) != (user.organisation_id is not None):
            raise DomainError(_("Een werkgever hoort bij precies één organisatie; nodig deze persoon opnieuw uit."), field="role")
        changes["role"] = [str(user.role), str(role)]
        user.role = role
    if active is not None and active != user.active:
        changes["active"] = [user.active, active]
        user.active = active
        if not active:
            user.end_sessions()
    if changes:
        audit.record("user.updated", user, **changes)


def set_locale(user: User, locale: str) -> None:
    if locale not in current_app.config["LANGUAGES"]:
        raise DomainError(_("Onbekende taal."))
    user.locale = locale
