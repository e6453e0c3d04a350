"""What the results area reads from aftercare (check-ins and end results), in one place.

Until the aftercare area exists, a finished traject counts as "other result" and language
progress is not measured; the functions keep the same shape either way.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import case, literal

from portal.results import indicators as _indicators


def result_expression(m: Any) -> Any:
    """Per traject row: "contract", "extension", "education", "stopped" or "other"."""
    return case((m.Traject.stage == "stopped", literal("stopped")), else_=literal("other"))


def work_continues(traject_id: Any) -> Any:
    return literal(False)


def language_conditions(m: Any) -> tuple[Any, Any]:
    return literal(False), literal(False)


__all__ = ["result_expression", "work_continues", "language_conditions", "_indicators"]
