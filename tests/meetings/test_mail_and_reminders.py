"""Real messages through the local SMTP server, parsed with `icalendar`; the day-before reminder
command is idempotent; the employer's agenda lists meetings, events and visits together."""
from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from sqlalchemy import select

from portal.core import db
from portal.meetings.models import MeetingBooking
from tests.meetings.factories import utc
from tests.meetings.helpers import booking_of, mails


def _ics_parts(message):
    return [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]


@pytest.mark.smtp
class TestSmtp:
    @pytest.fixture
    def app_config(self, smtp_server):
        return {"MAIL_BACKEND": "smtp", "SMTP_HOST": smtp_server.host, "SMTP_PORT": smtp_server.port}

    def test_request_confirm_cancel_arrive_with_valid_ics(self, app, world, smtp_server):
        smtp_server.clear()
        response = world.employer_client.http.post(
            f"/gesprekken/kandidaat/{world.candidate.id}",
            data={"meeting-csrf_token": world.employer_client.csrf_token(), "meeting-slot_id": str(world.slot.id)})
        assert response.status_code == 302
        with app.app_context():
            booking_id = db.session.scalar(select(MeetingBooking.id))

        request = smtp_server.wait_for(lambda m: m["To"] == world.employer.email and "Aanvraag" in m["Subject"])
        [part] = _ics_parts(request)
        assert part.get_param("method") == "REQUEST"
        cal = icalendar.Calendar.from_ical(part.get_payload(decode=True))
        [event] = cal.walk("VEVENT")
        uid = str(event["UID"])
        assert cal["METHOD"] == "REQUEST" and int(event["SEQUENCE"]) == 0
        assert event.decoded("DTSTART") == world.slot.starts_at
        assert {str(a).lower() for a in event.get("ATTENDEE")} == {
            f"mailto:{world.employer.email}", f"mailto:{world.manager.email}"}
        smtp_server.wait_for(lambda m: m["To"] == world.manager.email and "Aanvraag" in m["Subject"])

        assert world.manager_client.post_form(f"/gesprekken/{booking_id}/bevestigen").status_code == 302
        confirmed = smtp_server.wait_for(lambda m: m["To"] == world.employer.email and "Bevestigd" in m["Subject"])
        [event] = icalendar.Calendar.from_ical(_ics_parts(confirmed)[0].get_payload(decode=True)).walk("VEVENT")
        assert (str(event["UID"]), int(event["SEQUENCE"]), str(event["STATUS"])) == (uid, 1, "CONFIRMED")

        assert world.employer_client.post_form(f"/gesprekken/{booking_id}/annuleren").status_code == 302
        cancelled = smtp_server.wait_for(lambda m: m["To"] == world.manager.email and "Geannuleerd" in m["Subject"])
        [part] = _ics_parts(cancelled)
        assert part.get_param("method") == "CANCEL"
        cal = icalendar.Calendar.from_ical(part.get_payload(decode=True))
        [event] = cal.walk("VEVENT")
        assert (cal["METHOD"], str(event["UID"]), int(event["SEQUENCE"]), str(event["STATUS"])) == (
            "CANCEL", uid, 2, "CANCELLED")


def test_reminders_are_sent_once_the_day_before(app, world, meetings):
    from portal.meetings.operations import local_zone

    tomorrow = (utc().astimezone(local_zone()) + dt.timedelta(days=1)).replace(hour=10, minute=0, second=0)
    slot = meetings.slot(world.manager, [world.candidate], starts_at=tomorrow.astimezone(dt.timezone.utc),
                         cutoff_hours=0)
    due = meetings.booking(slot, world.candidate, world.employer, status="confirmed")
    requested = meetings.booking(world.slot, world.candidate, world.employer)  # in 3 days, not confirmed: no reminder
    runner = app.test_cli_runner()
    first = runner.invoke(args=["send-reminders", "--only", "meetings"])
    assert first.exit_code == 0 and "meetings: sent 1 reminder(s)." in first.output
    reminders = mails(app, "meeting_reminder")
    assert {m.recipient for m in reminders} == {world.employer.email, world.manager.email}
    assert "Herinnering" in reminders[0].subject
    second = runner.invoke(args=["send-reminders", "--only", "meetings"])
    assert "meetings: sent 0 reminder(s)." in second.output
    assert len(mails(app, "meeting_reminder")) == 2
    assert booking_of(app, due.id).reminder_sent_at is not None
    assert booking_of(app, requested.id).reminder_sent_at is None


def test_employer_agenda_combines_meetings_events_and_visits(app, world, meetings):
    from portal.events.models import BookingStatus, EmployerRegistration, Event, EventStatus, VisitSlot

    meetings.booking(world.slot, world.candidate, world.employer, status="confirmed")
    with app.app_context():
        event = Event(title="Meet & greet Zaandam", starts_at=utc(days=2), ends_at=utc(days=2, hours=3),
                      venue_name="Stadhuis", venue_address="Stadhuisplein 100", table_capacity=10,
                      candidate_capacity=20, round_minutes=10, status=EventStatus.PUBLISHED)
        db.session.add(event)
        db.session.flush()
        db.session.add(EmployerRegistration(event_id=event.id, organisation_id=world.employer.organisation_id,
                                            status=BookingStatus.CONFIRMED))
        db.session.add(VisitSlot(organisation_id=world.employer.organisation_id, title="Rondleiding bakkerij",
                                 starts_at=utc(days=5), ends_at=utc(days=5, hours=1), max_group_size=5,
                                 meeting_point="Hoofdingang"))
        db.commit()
    html = world.employer_client.get("/werkgever").get_data(as_text=True)
    section = html[html.index('id="panel-agenda"'):]
    section = section[:section.index("</section>")]
    positions = [section.index(text) for text in ("Meet &amp; greet Zaandam", "Kennismaking met Amina",
                                                  "Rondleiding bakkerij")]
    assert positions == sorted(positions)  # one list, by start time
