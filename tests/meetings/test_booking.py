"""Employers book a slot from the candidate's page; the account manager confirms; both sides can move
or cancel until the cut-off; bad input is refused with a clear message and nothing changes."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from portal.core import db
from portal.events.commitments import CandidateCommitment, CommitmentKind
from portal.meetings.models import MeetingBooking, MeetingStatus
from tests.meetings.factories import utc
from tests.meetings.helpers import booking_of, calendar_of, count, mails


def book(client, candidate_id, slot_id, **extra):
    data = {"meeting-csrf_token": client.csrf_token(), "meeting-slot_id": str(slot_id), **extra}
    return client.http.post(f"/gesprekken/kandidaat/{candidate_id}", data=data)


def only_booking(app) -> MeetingBooking:
    with app.app_context():
        [booking] = db.session.scalars(select(MeetingBooking)).all()
        return booking


def test_gallery_page_shows_free_slots_one_click_from_the_video(app, world):
    html = world.employer_client.get(f"/kandidaten/{world.candidate.id}").get_data(as_text=True)
    assert "Kennismakingsgesprek boeken" in html
    assert f'value="{world.slot.id}"' in html and 'name="meeting-slot_id"' in html
    assert f'action="/gesprekken/kandidaat/{world.candidate.id}"' in html


def test_request_confirm_journey_with_ics(app, world):
    page = world.employer_client.get(f"/gesprekken/kandidaat/{world.candidate.id}")
    assert page.status_code == 200 and f'value="{world.slot.id}"' in page.get_data(as_text=True)

    response = book(world.employer_client, world.candidate.id, world.slot.id, **{"meeting-note": "Over de bakkerij"})
    assert response.status_code == 302
    booking = only_booking(app)
    assert booking.status == MeetingStatus.REQUESTED and booking.note == "Over de bakkerij"
    assert count(app, CandidateCommitment, CandidateCommitment.kind == CommitmentKind.MEETING,
                 CandidateCommitment.active.is_(True)) == 1

    requested = mails(app, "meeting_requested")
    assert {m.recipient for m in requested} == {world.employer.email, world.manager.email}
    to_employer = next(m for m in requested if m.recipient == world.employer.email)
    assert world.candidate.surname not in to_employer.body and world.candidate.surname not in to_employer.subject
    cal, event = calendar_of(to_employer)
    assert cal["METHOD"] == "REQUEST" and event["STATUS"] == "TENTATIVE" and int(event["SEQUENCE"]) == 0
    uid = str(event["UID"])
    assert uid == f"meeting-{booking.id}@portal.test"
    assert event.decoded("DTSTART") == world.slot.starts_at

    # the account manager sees the request on the start page and confirms it
    start = world.manager_client.get("/accountmanager").get_data(as_text=True)
    assert "Aanvragen voor kennismakingsgesprekken" in start and f"/gesprekken/{booking.id}" in start
    assert world.manager_client.post_form(f"/gesprekken/{booking.id}/bevestigen").status_code == 302
    assert booking_of(app, booking.id).status == MeetingStatus.CONFIRMED
    confirmed = mails(app, "meeting_confirmed")
    assert {m.recipient for m in confirmed} == {world.employer.email, world.manager.email}
    for message in confirmed:
        cal, event = calendar_of(message)
        assert (cal["METHOD"], event["STATUS"], int(event["SEQUENCE"]), str(event["UID"])) == ("REQUEST", "CONFIRMED", 1, uid)
    start = world.manager_client.get("/accountmanager").get_data(as_text=True)
    assert "Er wachten geen aanvragen op bevestiging" in start

    # the employer's agenda lists it
    agenda = world.employer_client.get("/werkgever").get_data(as_text=True)
    assert "Agenda" in agenda and "Kennismaking met Amina" in agenda


def test_auto_confirm_slot(app, world, meetings):
    slot = meetings.slot(world.manager, [world.candidate], starts_at=utc(days=4), auto_confirm=True)
    assert book(world.employer_client, world.candidate.id, slot.id).status_code == 302
    assert only_booking(app).status == MeetingStatus.CONFIRMED
    [message, _other] = mails(app, "meeting_confirmed")
    _cal, event = calendar_of(message)
    assert event["STATUS"] == "CONFIRMED"


def _refused(app, world, response, text):
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert text in html, html[:3000]
    assert 'id="meeting-slot_id-error"' in html  # next to the field


def test_slot_in_the_past_is_refused(app, world, meetings):
    past = meetings.slot(world.manager, [world.candidate], starts_at=utc(hours=-2))
    _refused(app, world, book(world.employer_client, world.candidate.id, past.id), "in het verleden")
    assert count(app, MeetingBooking) == 0 and mails(app) == []


def test_slot_within_the_cutoff_is_refused(app, world, meetings):
    soon = meetings.slot(world.manager, [world.candidate], starts_at=utc(hours=5), cutoff_hours=24)
    _refused(app, world, book(world.employer_client, world.candidate.id, soon.id), "binnen 24 uur")
    assert count(app, MeetingBooking) == 0


def test_slot_already_taken_is_refused(app, world, factory, make_client):
    other = factory.user("employer")
    other_client = make_client()
    other_client.login(other)
    assert book(other_client, world.candidate.id, world.slot.id).status_code == 302
    before = mails(app)
    _refused(app, world, book(world.employer_client, world.candidate.id, world.slot.id), "al geboekt")
    assert count(app, MeetingBooking) == 1 and len(mails(app)) == len(before)


def test_slot_for_another_candidate_is_refused(app, world, meetings):
    other = meetings.candidate(world.manager)
    others_slot = meetings.slot(world.manager, [other], starts_at=utc(days=5))
    _refused(app, world, book(world.employer_client, world.candidate.id, others_slot.id), "niet voor deze kandidaat")
    _refused(app, world, book(world.employer_client, world.candidate.id, 999999), "bestaat niet")
    assert count(app, MeetingBooking) == 0


def test_candidate_outside_the_consent_scope_is_404(app, world, meetings, factory):
    elsewhere = factory.organisation()
    hidden = meetings.candidate(world.manager, organisations=[elsewhere])
    unpublished = meetings.candidate(world.manager, published=False)
    for candidate in (hidden, unpublished):
        slot = meetings.slot(world.manager, [candidate], starts_at=utc(days=7, hours=candidate.id))
        assert world.employer_client.get(f"/gesprekken/kandidaat/{candidate.id}").status_code == 404
        assert book(world.employer_client, candidate.id, slot.id).status_code == 404
    assert count(app, MeetingBooking) == 0


def test_unapproved_employer_cannot_book(app, world, factory, make_client):
    pending = factory.user("employer", organisation=factory.organisation(approved=False))
    client = make_client()
    client.login(pending)
    assert client.get(f"/gesprekken/kandidaat/{world.candidate.id}").status_code == 404
    assert book(client, world.candidate.id, world.slot.id).status_code == 404
    assert count(app, MeetingBooking) == 0


def test_candidate_busy_at_an_event_or_visit_is_refused(app, world):
    with app.app_context():
        db.session.add(CandidateCommitment(candidate_id=world.candidate.id, kind=CommitmentKind.VISIT, ref_id=4242,
                                           starts_at=world.slot.starts_at - dt.timedelta(minutes=15),
                                           ends_at=world.slot.starts_at + dt.timedelta(minutes=15),
                                           label="Bedrijfsbezoek Tuinderij"))
        db.commit()
    response = book(world.employer_client, world.candidate.id, world.slot.id)
    assert response.status_code == 400
    assert "Bedrijfsbezoek Tuinderij" in response.get_data(as_text=True)
    assert count(app, MeetingBooking) == 0 and mails(app) == []


def test_placement_of_another_organisation_is_refused(app, world, factory):
    from portal.placements.models import Placement, PlacementType

    other_org = factory.organisation()
    with app.app_context():
        placement = Placement(organisation_id=other_org.id, type=list(PlacementType)[0], title="Elders",
                              sector="logistiek", street_address="x 1", postcode="1011 AB", city="A", municipality="A",
                              hours_per_week=16, start_date=dt.date.today())
        db.session.add(placement)
        db.commit()
        placement_id = placement.id
    response = book(world.employer_client, world.candidate.id, world.slot.id, **{"meeting-placement_id": str(placement_id)})
    assert response.status_code == 400 and "eigen organisatie" in response.get_data(as_text=True)
    assert count(app, MeetingBooking) == 0


def test_employer_cancels_until_the_cutoff(app, world, meetings):
    assert book(world.employer_client, world.candidate.id, world.slot.id).status_code == 302
    booking = only_booking(app)
    uid = str(calendar_of(mails(app, "meeting_requested")[0])[1]["UID"])
    assert world.employer_client.post_form(f"/gesprekken/{booking.id}/annuleren").status_code == 302
    assert booking_of(app, booking.id).status == MeetingStatus.CANCELLED
    assert count(app, CandidateCommitment, CandidateCommitment.active.is_(True)) == 0
    cancelled = mails(app, "meeting_cancelled")
    assert {m.recipient for m in cancelled} == {world.employer.email, world.manager.email}
    cal, event = calendar_of(cancelled[0])
    assert (cal["METHOD"], event["STATUS"], str(event["UID"]), int(event["SEQUENCE"])) == ("CANCEL", "CANCELLED", uid, 1)
    # the slot is free again for someone else
    assert f'value="{world.slot.id}"' in world.employer_client.get(
        f"/gesprekken/kandidaat/{world.candidate.id}").get_data(as_text=True)

    late_slot = meetings.slot(world.manager, [world.candidate], starts_at=utc(hours=10), cutoff_hours=24)
    late = meetings.booking(late_slot, world.candidate, world.employer, status="confirmed")
    response = world.employer_client.post_form(f"/gesprekken/{late.id}/annuleren")
    assert response.status_code == 400 and "tot 24 uur voor het gesprek" in response.get_data(as_text=True)
    assert booking_of(app, late.id).status == MeetingStatus.CONFIRMED


def test_both_sides_can_propose_another_slot(app, world, meetings):
    second = meetings.slot(world.manager, [world.candidate], starts_at=utc(days=8))
    third = meetings.slot(world.manager, [world.candidate], starts_at=utc(days=9))
    assert book(world.employer_client, world.candidate.id, world.slot.id).status_code == 302
    booking = only_booking(app)
    world.manager_client.post_form(f"/gesprekken/{booking.id}/bevestigen")

    page = world.employer_client.get(f"/gesprekken/{booking.id}/verplaatsen").get_data(as_text=True)
    assert f'value="{second.id}"' in page and f'value="{world.slot.id}"' not in page
    response = world.employer_client.post_form(f"/gesprekken/{booking.id}/verplaatsen", {"slot_id": str(second.id)})
    assert response.status_code == 302
    moved = booking_of(app, booking.id)
    assert moved.slot_id == second.id and moved.status == MeetingStatus.REQUESTED  # needs confirmation again
    with app.app_context():
        [commitment] = db.session.scalars(select(CandidateCommitment).where(CandidateCommitment.active.is_(True))).all()
        assert commitment.starts_at == second.starts_at
    changed = mails(app, "meeting_changed")
    _cal, event = calendar_of(changed[0])
    assert int(event["SEQUENCE"]) == 2 and event.decoded("DTSTART") == second.starts_at
    assert str(event["UID"]) == f"meeting-{booking.id}@portal.test"

    # the account manager proposes the third slot: confirmed at once, the employer is told
    assert world.manager_client.post_form(f"/gesprekken/{booking.id}/verplaatsen",
                                          {"slot_id": str(third.id)}).status_code == 302
    assert booking_of(app, booking.id).status == MeetingStatus.CONFIRMED
    # moving to a taken or foreign slot is refused, nothing changes
    other = meetings.candidate(world.manager)
    foreign = meetings.slot(world.manager, [other], starts_at=utc(days=11))
    response = world.employer_client.post_form(f"/gesprekken/{booking.id}/verplaatsen", {"slot_id": str(foreign.id)})
    assert response.status_code == 400 and "niet voor deze kandidaat" in response.get_data(as_text=True)
    assert booking_of(app, booking.id).slot_id == third.id


def test_other_organisation_cannot_see_or_touch_a_booking(app, world, factory, make_client):
    book(world.employer_client, world.candidate.id, world.slot.id)
    booking = only_booking(app)
    stranger = factory.user("employer")
    client = make_client()
    client.login(stranger)
    assert client.get(f"/gesprekken/{booking.id}").status_code == 404
    assert client.post_form(f"/gesprekken/{booking.id}/annuleren").status_code == 404
    assert client.get(f"/gesprekken/{booking.id}/verplaatsen").status_code == 404
    assert booking_of(app, booking.id).status == MeetingStatus.REQUESTED


def test_a_narrower_new_consent_cancels_only_the_organisations_it_no_longer_covers(app, world, factory):
    import datetime as dt

    from portal.candidates import operations as candidate_operations
    from portal.candidates.models import Candidate, ConsentScope

    assert book(world.employer_client, world.candidate.id, world.slot.id).status_code == 302
    booking = only_booking(app)
    other = factory.organisation(name="Andere Werkgever BV")
    with app.test_request_context():
        candidate = db.session.get(Candidate, world.candidate.id)
        from portal.accounts.models import Organisation

        candidate_operations.record_consent(
            candidate, world.manager, scope=ConsentScope.SELECTED_ORGANISATIONS,
            organisations=[db.session.get(Organisation, other.id)], video_allowed=True,
            expires_at=db.utcnow() + dt.timedelta(days=60))
        db.commit()
    assert booking_of(app, booking.id).status == MeetingStatus.CANCELLED
    told = mails(app, "meeting_unavailable")
    assert {m.recipient for m in told} == {world.employer.email, world.manager.email}
    assert all("toestemming" not in m.body.lower() for m in told)


def test_a_new_consent_that_still_covers_the_organisation_keeps_the_booking(app, world):
    import datetime as dt

    from portal.candidates import operations as candidate_operations
    from portal.candidates.models import Candidate, ConsentScope

    assert book(world.employer_client, world.candidate.id, world.slot.id).status_code == 302
    booking = only_booking(app)
    with app.test_request_context():
        candidate = db.session.get(Candidate, world.candidate.id)
        candidate_operations.record_consent(candidate, world.manager, scope=ConsentScope.ALL_APPROVED_EMPLOYERS,
                                            video_allowed=True, expires_at=db.utcnow() + dt.timedelta(days=200))
        db.commit()
    assert booking_of(app, booking.id).status != MeetingStatus.CANCELLED
    assert mails(app, "meeting_unavailable") == []


def test_consent_withdrawn_after_booking_cancels_and_tells_both_sides(app, world):
    from portal.candidates import operations as candidate_operations
    from portal.candidates.models import Candidate

    assert book(world.employer_client, world.candidate.id, world.slot.id).status_code == 302
    booking = only_booking(app)
    with app.test_request_context():
        candidate = db.session.get(Candidate, world.candidate.id)
        candidate_operations.withdraw_consent(candidate, world.manager)
        db.commit()
    assert booking_of(app, booking.id).status == MeetingStatus.CANCELLED
    assert count(app, CandidateCommitment, CandidateCommitment.active.is_(True)) == 0
    told = mails(app, "meeting_unavailable")
    assert {m.recipient for m in told} == {world.employer.email, world.manager.email}
    to_employer = next(m for m in told if m.recipient == world.employer.email)
    assert "niet meer beschikbaar" in to_employer.body
    for word in ("toestemming", "ingetrokken", "consent", "withdrawn"):
        assert word not in to_employer.body.lower() and word not in to_employer.subject.lower()
    assert world.candidate.surname not in to_employer.body
    cal, event = calendar_of(to_employer)
    assert cal["METHOD"] == "CANCEL"
    # the employer no longer sees the candidate at all
    assert world.employer_client.get(f"/gesprekken/kandidaat/{world.candidate.id}").status_code == 404
    detail = world.employer_client.get(f"/gesprekken/{booking.id}").get_data(as_text=True)
    assert "niet meer beschikbaar" in detail and "toestemming" not in detail.lower()
    assert world.candidate.first_name not in detail


def test_outcome_creates_a_follow_up_for_the_account_manager(app, world, meetings):
    from portal.events.followups import FollowUp, Outcome

    past = meetings.slot(world.manager, [world.candidate], starts_at=utc(days=-1))
    booking = meetings.booking(past, world.candidate, world.employer, status="confirmed")
    future = meetings.booking(world.slot, world.candidate, world.employer, status="confirmed")
    early = world.employer_client.post_form(f"/gesprekken/{future.id}/uitkomst", {"outcome": Outcome.FOLLOW_UP.value})
    assert early.status_code == 400 and "gesprek voorbij is" in early.get_data(as_text=True)
    missing = world.employer_client.post_form(f"/gesprekken/{booking.id}/uitkomst", {})
    assert missing.status_code == 400 and "Kies een uitkomst" in missing.get_data(as_text=True)
    assert count(app, FollowUp) == 0

    form = world.employer_client.get(f"/gesprekken/{booking.id}/uitkomst").get_data(as_text=True)
    for outcome in Outcome:
        assert f'value="{outcome.value}"' in form
    response = world.employer_client.post_form(f"/gesprekken/{booking.id}/uitkomst",
                                               {"outcome": Outcome.INTERESTED_TAALSTAGE.value, "note": "Graag eerst een taalstage"})
    assert response.status_code == 302
    with app.app_context():
        [follow_up] = db.session.scalars(select(FollowUp)).all()
        assert follow_up.assigned_to_id == world.manager.id and follow_up.is_open
        assert follow_up.organisation_id == world.employer.organisation_id and follow_up.source_ref == booking.id
    start = world.manager_client.get("/accountmanager").get_data(as_text=True)
    assert "Vervolg na kennismakingsgesprekken" in start and "Graag eerst een taalstage" in start
    assert "Interesse in een taalstage" in start


def test_wsp_and_admin_can_view_but_not_change(app, world, login_as):
    book(world.employer_client, world.candidate.id, world.slot.id)
    booking = only_booking(app)
    for role in ("wsp", "admin"):
        client = login_as(role)
        assert client.get(f"/gesprekken/{booking.id}").status_code == 200
        assert client.post_form(f"/gesprekken/{booking.id}/annuleren").status_code == 403
    assert booking_of(app, booking.id).status == MeetingStatus.REQUESTED
