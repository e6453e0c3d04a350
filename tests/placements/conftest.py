"""Fixtures for the placement tests."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from portal.core import db


@pytest.fixture
def employer(login_as):
    """A logged-in employer of an approved organisation (`.user`)."""
    return login_as("employer")


@pytest.fixture
def count_placements(app):
    def count() -> int:
        from portal.placements.models import Placement

        with app.app_context():
            return db.session.scalar(select(func.count(Placement.id))) or 0

    return count


@pytest.fixture
def load(app):
    """Reload a placement from the database: `load(placement_id)` -> Placement with its languages."""

    def _load(placement_id: int) -> Any:
        from portal.placements.models import Placement

        with app.app_context():
            placement = db.session.get(Placement, placement_id)
            if placement is not None:
                _ = placement.other_languages, placement.organisation
            return placement

    return _load
