"""Column types shared by the models."""
from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import Enum


def enum_column(enum_cls: type[enum.Enum], name: str) -> Enum:
    """A string column restricted to the enum's values by a CHECK constraint in the database."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
    )


def enum_values(enum_cls: type[enum.Enum]) -> list[Any]:
    return [member.value for member in enum_cls]
