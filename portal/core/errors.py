"""Errors that domain operations raise for the view to show next to a field or at the top."""
from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the change; `field` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    """The user may not do this to this object (views turn it into 403 or 404)."""
