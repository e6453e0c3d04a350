"""Company visits get a check-in and outcomes (host employer or WSP staff); outcomes move the traject."""
from __future__ import annotations

from portal.core import db
from portal.events.followups import FollowUp
from portal.trajects.models import TrajectStage
from tests.events.factories import EventFactory, local
from tests.trajects.helpers import count, load_traject


def _booked_visit(app, factory, world, *, days=-1):
    from portal.events.models import BookingStatus, VisitBooking

    ef = EventFactory(factory)
    slot = ef.visit(world.employer, days=days, start_hour=9, end_hour=11)
    with app.app_context():
        booking = VisitBooking(slot_id=slot.id, candidate_id=world.candidate.id, booked_by_id=world.manager.id,
                               status=BookingStatus.CONFIRMED)
        db.session.add(booking)
        db.commit()
        return slot, booking


def test_host_checks_in_and_records_an_outcome_for_a_placement(app, factory, world, trajects):
    second = trajects.placement(world.employer.organisation_id, title="Kassamedewerker")
    slot, booking = _booked_visit(app, factory, world)
    page = world.employer_client.get(f"/bedrijfsbezoeken/{slot.id}").get_data(as_text=True)
    assert f"/bedrijfsbezoeken/aanmeldingen/{booking.id}/uitkomst" in page
    checked = world.employer_client.post_form(f"/bedrijfsbezoeken/aanmeldingen/{booking.id}/binnenkomst", {"present": "1"})
    assert checked.status_code == 302

    url = f"/bedrijfsbezoeken/aanmeldingen/{booking.id}/uitkomst"
    form = world.employer_client.get(url).get_data(as_text=True)
    assert "Kassamedewerker" in form and world.candidate.surname not in form
    bad = world.employer_client.post_form(url, {"outcome": "", "placement_id": str(second.id)})
    assert bad.status_code == 400 and "Kies een uitkomst" in bad.get_data(as_text=True)
    assert count(app, FollowUp) == 0
    ok = world.employer_client.post_form(url, {"outcome": "interested_placement", "placement_id": str(second.id),
                                               "note": "Enthousiast"})
    assert ok.status_code == 302
    traject = load_traject(app, world.candidate.id, second.id)
    assert traject.stage == TrajectStage.MET and traject.source.value == "company_visit"
    assert load_traject(app, world.candidate.id, world.placement.id) is None
    assert count(app, FollowUp) == 1
    from portal.events.models import VisitBooking

    with app.app_context():
        stored = db.session.get(VisitBooking, booking.id)
        assert stored.checked_in_at is not None and stored.outcome == "interested_placement"


def test_outcomes_wait_for_the_visit_and_account_managers_cannot_record_them(app, factory, world):
    slot, booking = _booked_visit(app, factory, world, days=5)
    url = f"/bedrijfsbezoeken/aanmeldingen/{booking.id}/uitkomst"
    early = world.employer_client.post_form(url, {"outcome": "follow_up"})
    assert early.status_code == 400 and "pas als het bezoek is begonnen" in early.get_data(as_text=True)
    assert world.manager_client.get(url).status_code == 403
    other = factory.user("employer")
    from tests.conftest import Client

    stranger = Client(app)
    stranger.login(other)
    assert stranger.get(url).status_code == 404
