"""Saved searches of account managers, optionally shared with colleagues."""
from __future__ import annotations

from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core import db
from portal.core.roles import Role

NAME_MAX = 100
QUERY_MAX = 2000


class SavedSearch(db.TimestampMixin, db.Base):
    """A named candidate search (its query string), private or shared with all colleagues."""

    __tablename__ = "saved_searches"
    __table_args__ = (
        CheckConstraint(f"length(name) >= 1 AND length(name) <= {NAME_MAX}", name="name_length"),
        CheckConstraint(f"length(query_string) <= {QUERY_MAX}", name="query_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    query_string: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    shared: Mapped[bool] = mapped_column(default=False)

    owner: Mapped[Any] = relationship("User")

    def can_view(self, user: Any) -> bool:
        if not getattr(user, "is_authenticated", False) or user.role not in (Role.ACCOUNT_MANAGER, Role.WSP):
            return False
        return self.shared or self.owner_id == user.id

    def can_edit(self, user: Any) -> bool:
        return getattr(user, "is_authenticated", False) and self.owner_id == user.id
