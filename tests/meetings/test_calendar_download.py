"""The booking page offers the meeting's calendar file (the one its mails attach) and names the
account manager with an address to reach them; the file is only for the booking's organisation and staff."""
from __future__ import annotations

import icalendar

from tests.meetings.helpers import calendar_of, mails
from tests.meetings.test_booking import book, only_booking


def _download(client, booking_id):
    return client.get(f"/gesprekken/{booking_id}/agenda.ics")


def test_booking_page_links_the_ics_and_names_the_account_manager(app, world):
    assert book(world.employer_client, world.candidate.id, world.slot.id).status_code == 302
    booking = only_booking(app)
    page = world.employer_client.get(f"/gesprekken/{booking.id}").get_data(as_text=True)
    assert f'href="/gesprekken/{booking.id}/agenda.ics"' in page
    assert world.manager.name in page and f'href="mailto:{world.manager.email}"' in page

    response = _download(world.employer_client, booking.id)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar" and "attachment" in response.headers["Content-Disposition"]
    cal = icalendar.Calendar.from_ical(response.data)
    [event] = cal.walk("VEVENT")
    # the same event as the mail's attachment: same UID and SEQUENCE, same start
    _mail_cal, mail_event = calendar_of(next(m for m in mails(app, "meeting_requested") if m.recipient == world.employer.email))
    assert str(event["UID"]) == str(mail_event["UID"]) == f"meeting-{booking.id}@portal.test"
    assert int(event["SEQUENCE"]) == int(mail_event["SEQUENCE"])
    assert event.decoded("DTSTART") == world.slot.starts_at
    assert world.candidate.surname not in response.get_data(as_text=True)  # employer: first name + initial

    # downloading twice changes nothing (stable SEQUENCE); after confirming, the file follows the mails
    again = icalendar.Calendar.from_ical(_download(world.employer_client, booking.id).data)
    assert int(again.walk("VEVENT")[0]["SEQUENCE"]) == int(event["SEQUENCE"])
    assert world.manager_client.post_form(f"/gesprekken/{booking.id}/bevestigen").status_code == 302
    confirmed = icalendar.Calendar.from_ical(_download(world.employer_client, booking.id).data).walk("VEVENT")[0]
    assert int(confirmed["SEQUENCE"]) == int(event["SEQUENCE"]) + 1 and str(confirmed["STATUS"]) == "CONFIRMED"

    # staff get it too, with the candidate's full name
    staff = _download(world.manager_client, booking.id)
    assert staff.status_code == 200 and world.candidate.surname in staff.get_data(as_text=True)

    # a cancelled booking's file is a CANCEL with the same UID
    assert world.employer_client.post_form(f"/gesprekken/{booking.id}/annuleren").status_code == 302
    cancelled = icalendar.Calendar.from_ical(_download(world.employer_client, booking.id).data)
    assert str(cancelled["METHOD"]) == "CANCEL"
    assert str(cancelled.walk("VEVENT")[0]["UID"]) == f"meeting-{booking.id}@portal.test"


def test_another_organisation_gets_no_calendar_file(app, world, factory, make_client):
    assert book(world.employer_client, world.candidate.id, world.slot.id).status_code == 302
    booking = only_booking(app)
    stranger = make_client()
    stranger.login(factory.user("employer"))
    assert _download(stranger, booking.id).status_code == 404
    assert stranger.get(f"/gesprekken/{booking.id}").status_code == 404
    anonymous = make_client()
    assert _download(anonymous, booking.id).status_code in (302, 401)
    assert _download(world.employer_client, 999999).status_code == 404
