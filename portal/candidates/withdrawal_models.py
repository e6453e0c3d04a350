"""Attempts at the candidate's own withdrawal page, for rate limiting (per address and per code).

A row holds the requesting address, a keyed hash of the code that was tried (never the code) and
whether it matched an open consent. Nothing in it names a candidate; rows older than a day are
deleted by a periodic job (portal.candidates.withdrawal).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.core import db


class WithdrawalAttempt(db.Base):
    __tablename__ = "consent_withdrawal_attempts"
    __table_args__ = (
        Index("ix_consent_withdrawal_attempts_ip_at", "ip_address", "at"),
        Index("ix_consent_withdrawal_attempts_code_at", "code_hash", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)
    ip_address: Mapped[str] = mapped_column(String(64))
    code_hash: Mapped[str] = mapped_column(String(64))
    matched: Mapped[bool] = mapped_column(default=False)
