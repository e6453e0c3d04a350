"""Users and employer organisations."""
from __future__ import annotations

import datetime as dt
import enum
import hashlib
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from portal.core import db
from portal.core.roles import STAFF_ROLES, Role
from portal.core.types import enum_column


class OrganisationStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return str({
            OrganisationStatus.PENDING: _l("Wacht op goedkeuring"),
            OrganisationStatus.APPROVED: _l("Goedgekeurd"),
            OrganisationStatus.REJECTED: _l("Afgewezen"),
        }[self])


class Organisation(db.TimestampMixin, db.Base):
    """An employer organisation. Nothing of it is visible to others until WSP staff approve it."""

    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint("length(kvk_number) = 8", name="kvk_eight_digits"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kvk_number: Mapped[str] = mapped_column(String(8), unique=True)
    sector: Mapped[str] = mapped_column(String(64))
    street_address: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(7))
    city: Mapped[str] = mapped_column(String(100))
    municipality: Mapped[str] = mapped_column(String(100))
    contact_name: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str] = mapped_column(String(320))
    contact_phone: Mapped[str] = mapped_column(String(32), default="")
    status: Mapped[OrganisationStatus] = mapped_column(
        enum_column(OrganisationStatus, "organisation_status"), default=OrganisationStatus.PENDING
    )
    reviewed_at: Mapped[dt.datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL", use_alter=True))
    review_note: Mapped[str] = mapped_column(String(1000), default="")

    members: Mapped[list[User]] = relationship(
        back_populates="organisation", foreign_keys="User.organisation_id", order_by="User.id"
    )

    @property
    def is_approved(self) -> bool:
        return self.status == OrganisationStatus.APPROVED

    def can_view(self, user: Any) -> bool:
        if not user.is_authenticated:
            return False
        if user.role == Role.EMPLOYER:
            return user.organisation_id == self.id
        return user.role in STAFF_ROLES

    def can_edit(self, user: Any) -> bool:
        return self.can_view(user)


class User(db.TimestampMixin, db.Base):
    __tablename__ = "users"
    __table_args__ = (
        Index("uq_users_email_lower", text("lower(email)"), unique=True),
        CheckConstraint(
            "(role = 'employer') = (organisation_id IS NOT NULL)", name="employer_has_one_organisation"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    password_hash: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role, "user_role"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    last_login_at: Mapped[dt.datetime | None]
    #: How case notifications reach this user: "immediate" (one mail each) or "daily" (a digest).
    notification_mode: Mapped[str] = mapped_column(
        String(16), CheckConstraint("notification_mode IN ('immediate', 'daily')", name="notification_mode_known"),
        default="immediate", server_default="immediate",
    )

    organisation: Mapped[Organisation | None] = relationship(back_populates="members", foreign_keys=[organisation_id])

    @validates("email")
    def _normalise_email(self, _key: str, value: str) -> str:
        return normalise_email(value)

    # flask-login
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        # The session remembers the user and a fingerprint of the password hash, so changing the
        # password (or a reset) ends every other session of this user.
        return f"{self.id}:{self.session_fingerprint}"

    @property
    def session_fingerprint(self) -> str:
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]

    @property
    def is_employer(self) -> bool:
        return self.role == Role.EMPLOYER

    @property
    def organisation_approved(self) -> bool:
        return self.organisation is not None and self.organisation.is_approved


def normalise_email(value: str) -> str:
    return (value or "").strip().lower()


class Invitation(db.Base):
    """An invitation to create an account with a given role (and organisation, for employers)."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[Role] = mapped_column(enum_column(Role, "invitation_role"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)
    expires_at: Mapped[dt.datetime]
    accepted_at: Mapped[dt.datetime | None]

    organisation: Mapped[Organisation | None] = relationship()
    invited_by: Mapped[User | None] = relationship()

    @validates("email")
    def _normalise_email(self, _key: str, value: str) -> str:
        return normalise_email(value)

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > db.utcnow()


class LoginAttempt(db.Base):
    """Failed and successful logins, for throttling repeated failures."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_email_at", "email", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    ip_address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=db.utcnow)
    succeeded: Mapped[bool] = mapped_column(default=False)
