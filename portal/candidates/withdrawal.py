"""Withdrawal by the candidate: a short personal code on the printed sheet, no account needed.

- `issue_code(consent, actor)` makes a new code for a consent (the sheet shows it once); only a
  keyed hash (HMAC-SHA256 with the app's secret key) is stored, so the database alone cannot
  give the code away, and printing a new sheet makes the previous code useless.
- `lookup(code, ip_address)` finds the open consent of a code, within the rate limits: per address
  (`WITHDRAWAL_ATTEMPTS_PER_IP`, failed look-ups per hour) and per code
  (`WITHDRAWAL_ATTEMPTS_PER_CODE`, look-ups per hour), counted and inserted under a lock on the
  address and on the code (`portal.core.locking.lock_key`). Refusals raise `TooManyAttempts`.
- `withdraw_with_code(consent)` withdraws exactly as the account manager does
  (`operations.withdraw_consent`: hidden from employers at once, media deleted, meetings and
  visits cancelled by the consent hooks) and mails the candidate's account manager.

Operations flush and audit but never commit.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from typing import Any

from flask import current_app
from sqlalchemy import delete, func, select

from portal.candidates import operations
from portal.candidates.models import Candidate, Consent
from portal.candidates.withdrawal_models import WithdrawalAttempt
from portal.core import audit, db, jobs
from portal.core.mail import queue_mail

#: No 0/O, 1/I/L: a code read aloud or typed from paper should not be ambiguous.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
_CODE_RE = re.compile(rf"^[{ALPHABET}]{{{CODE_LENGTH}}}$")
WINDOW = dt.timedelta(hours=1)


class TooManyAttempts(Exception):
    """Too many look-ups from this address, or for this code, within the hour."""


def normalise_code(raw: str | None) -> str | None:
    """'abcd-efgh ' -> 'ABCDEFGH'; None when it cannot be a code."""
    code = re.sub(r"[\s\-–.]", "", (raw or "")).upper()[:32]
    return code if _CODE_RE.match(code) else None


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def code_hash(code: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, b"consent-withdrawal:" + code.encode(), hashlib.sha256).hexdigest()


def issue_code(consent: Consent, actor: Any) -> str:
    """A new personal code for `consent` (replaces an earlier one). Returns the code, formatted."""
    if not consent.is_valid:
        raise ValueError("a withdrawal code is only issued for a valid consent")
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        digest = code_hash(code)
        if db.session.scalar(select(Consent.id).where(Consent.withdrawal_code_hash == digest)) is None:
            break
    consent.withdrawal_code_hash = digest
    consent.withdrawal_code_issued_at = db.utcnow()
    db.session.flush()
    audit.record("consent.withdrawal_code_issued", consent, actor=actor, candidate_id=consent.candidate_id)
    return format_code(code)


def _count(*conditions: Any) -> int:
    return db.session.scalar(select(func.count(WithdrawalAttempt.id)).where(*conditions)) or 0


def lookup(raw_code: str | None, ip_address: str | None, *, now: dt.datetime | None = None) -> Consent | None:
    """The open consent the code belongs to, or None; every look-up counts towards the limits."""
    now = now or db.utcnow()
    config = current_app.config
    ip = (ip_address or "unknown")[:64]
    code = normalise_code(raw_code)
    digest = code_hash(code) if code else code_hash("invalid:" + (raw_code or "")[:64])
    since = now - WINDOW
    # Count, then insert, under a lock on the address and on the code: parallel guesses cannot
    # all read the same count and slip past a limit (PostgreSQL; SQLite's write transaction serialises).
    from portal.core.locking import lock_key

    lock_key("withdrawal-address", ip)
    lock_key("withdrawal-code", digest)
    if _count(WithdrawalAttempt.ip_address == ip, WithdrawalAttempt.at >= since,
              WithdrawalAttempt.matched.is_(False)) >= int(config.get("WITHDRAWAL_ATTEMPTS_PER_IP", 10)):
        raise TooManyAttempts()
    if _count(WithdrawalAttempt.code_hash == digest, WithdrawalAttempt.at >= since) >= int(
            config.get("WITHDRAWAL_ATTEMPTS_PER_CODE", 10)):
        raise TooManyAttempts()
    consent = None
    if code:
        consent = db.session.scalar(select(Consent).where(Consent.withdrawal_code_hash == digest))
        if consent is not None and not consent.is_valid_at(now):
            consent = None
    db.session.add(WithdrawalAttempt(at=now, ip_address=ip, code_hash=digest, matched=consent is not None))
    db.session.flush()
    return consent


def withdraw_with_code(consent: Consent) -> Candidate:
    """Withdraw `consent`'s candidate's consent (the same operation as the account manager's)."""
    candidate = consent.candidate
    operations.withdraw_consent(candidate, None)
    consent.withdrawal_code_hash = None
    db.session.flush()
    audit.record("consent.withdrawn_with_code", consent, actor=None, candidate_id=candidate.id)
    owner = candidate.owner
    if owner is not None and owner.email:
        queue_mail(owner.email, "consent_withdrawn_by_candidate", locale=getattr(owner, "locale", None) or "nl",
                   person=owner, candidate_name=candidate.employer_name, candidate_id=candidate.id,
                   withdrawn_at=db.utcnow())
    return candidate


@jobs.periodic("candidates.withdrawal_attempts_cleanup", 6 * 60 * 60)
def forget_old_attempts() -> None:
    db.session.execute(delete(WithdrawalAttempt).where(WithdrawalAttempt.at < db.utcnow() - dt.timedelta(days=1)))
