"""A booking that waits too long for a lock held by another transaction answers "busy, try again"
on the form (never a 500 from the aborted transaction), and saves nothing. Real PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.core import db
from portal.events.models import VisitBooking
from tests.events.test_concurrency import PLACES, world  # noqa: F401 - the committing world fixture


@pytest.mark.parametrize("database", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_a_booking_that_waits_too_long_for_a_held_lock_answers_busy_on_the_form(world):
    """Another transaction holds the visit's row lock past the lock timeout: the booking form comes back
    with "busy, try again" (400), the page still renders on the same transaction, nothing is saved."""
    from sqlalchemy import create_engine, text

    app, factory, ef, am_user, am = world
    employer = factory.user("employer")
    slot = ef.visit(employer, max_group_size=PLACES)
    candidate_id = ef.candidate(owner=am_user).id
    holder = create_engine(app.config["DATABASE_URL"])
    with holder.connect() as connection:
        transaction = connection.begin()
        connection.execute(text("SELECT id FROM company_visit_slots WHERE id = :id FOR UPDATE"), {"id": slot.id})
        response = am.post_form(f"/bedrijfsbezoeken/{slot.id}/aanmelden", {"candidate_id": candidate_id})
        transaction.rollback()
    holder.dispose()
    assert response.status_code == 400
    assert "Probeer het over een paar seconden opnieuw" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(VisitBooking.id)).where(VisitBooking.slot_id == slot.id)) == 0
