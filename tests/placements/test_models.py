"""The database itself refuses impossible placements (CHECK, unique, FK), on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, StatementError

from portal.core import db
from tests.conftest import both_databases
from tests.placements.factories import create_placement

pytestmark = both_databases


def _update_fails(app, placement_id: int, sql: str) -> bool:
    with app.app_context():
        nested = db.session.begin_nested()
        try:
            db.session.execute(text(sql), {"id": placement_id})
            db.session.flush()
        except (IntegrityError, StatementError):
            nested.rollback()
            return True
        nested.rollback()
        return False


@pytest.mark.parametrize("sql", [
    "UPDATE placements SET hours_per_week = 0 WHERE id = :id",
    "UPDATE placements SET hours_per_week = 41 WHERE id = :id",
    "UPDATE placements SET places = 0 WHERE id = :id",
    "UPDATE placements SET title = 'ab' WHERE id = :id",
    "UPDATE placements SET duration_weeks = 0 WHERE id = :id",
    "UPDATE placements SET dutch_listening = 7 WHERE id = :id",
    "UPDATE placements SET dutch_reading = -1 WHERE id = :id",
    "UPDATE placements SET dutch_spoken_interaction = 7 WHERE id = :id",
    "UPDATE placements SET dutch_spoken_production = 7 WHERE id = :id",
    "UPDATE placements SET dutch_writing = 9 WHERE id = :id",
    "UPDATE placements SET status = 'archived' WHERE id = :id",
    "UPDATE placements SET type = 'stage' WHERE id = :id",
    "UPDATE placements SET published_at = NULL WHERE id = :id",
    "UPDATE placements SET organisation_id = 987654 WHERE id = :id",
    "INSERT INTO placement_languages (placement_id, language, level) VALUES (:id, 'ar', 0)",
    "INSERT INTO placement_languages (placement_id, language, level) VALUES (:id, 'ar', 7)",
    "INSERT INTO placement_languages (placement_id, language, level) VALUES (:id, 'nl', 3)",
    "INSERT INTO placement_languages (placement_id, language, level) VALUES (:id, 'en', 3)",  # duplicate
])
def test_database_refuses_impossible_values(app, factory, sql):
    placement = create_placement(factory, factory.organisation(), status="published", other_languages=(("en", 2),))
    assert _update_fails(app, placement.id, sql)


def test_valid_values_are_stored_and_read_back(app, factory):
    from portal.placements.models import Placement

    placement = create_placement(factory, factory.organisation(), status="draft", dutch_listening=6, dutch_writing=0,
                                 hours_per_week=40, places=99, duration_weeks=None, other_languages=(("ar", 6), ("ti", 1)))
    with app.app_context():
        loaded = db.session.get(Placement, placement.id)
        assert loaded.dutch_levels["listening"] == 6 and loaded.published_at is None
        assert sorted((r.language, r.level) for r in loaded.other_languages) == [("ar", 6), ("ti", 1)]
        assert loaded.dayparts == ["mon_morning", "mon_afternoon", "tue_morning", "tue_afternoon"]


def test_deleting_an_organisation_removes_its_placements_and_languages(app, factory):
    from portal.placements.models import Placement, PlacementLanguage

    organisation = factory.organisation()
    placement = create_placement(factory, organisation, other_languages=(("ar", 3),))
    with app.app_context():
        db.session.execute(text("DELETE FROM organisations WHERE id = :id"), {"id": organisation.id})
        db.session.expire_all()
        assert db.session.get(Placement, placement.id) is None
        assert db.session.query(PlacementLanguage).filter_by(placement_id=placement.id).count() == 0
