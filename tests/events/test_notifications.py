"""Booking mails read back from the real local SMTP server; their .ics parsed with `icalendar`."""
from __future__ import annotations

import datetime as dt
import uuid

import icalendar
import pytest

from portal.core import db, jobs
from tests.events.conftest import mails
from tests.events.factories import local

pytestmark = pytest.mark.smtp


@pytest.fixture
def app_config(smtp_server):
    return {"MAIL_BACKEND": "smtp", "SMTP_HOST": smtp_server.host, "SMTP_PORT": smtp_server.port}


@pytest.fixture
def am(factory, make_client):
    # a recipient address unique to this test, so parallel tests never read each other's mail
    user = factory.user("account_manager", email=f"am-{uuid.uuid4().hex[:10]}@example.nl")
    client = make_client()
    client.login(user)
    client.user = user
    return client


def received(smtp_server, address, count, timeout=10):
    import time

    deadline = time.monotonic() + timeout
    while True:
        found = [m for m in smtp_server.messages() if address in str(m.get("To", ""))]
        if len(found) >= count or time.monotonic() > deadline:
            assert len(found) >= count, f"expected {count} mails to {address}, got {[str(m['Subject']) for m in found]}"
            return found


def calendar_of(message):
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, "one .ics attachment"
    part = parts[0]
    raw = part.get_payload(decode=True)
    calendar = icalendar.Calendar.from_ical(raw)
    vevent = next(iter(calendar.walk("VEVENT")))
    assert part.get_param("method") == str(calendar["METHOD"])
    assert b"\r\n" in raw and all(len(line) <= 75 for line in raw.split(b"\r\n"))
    return calendar, vevent


def test_registration_waitlist_promotion_change_and_cancellation_mails_carry_a_valid_ics(app, smtp_server, am, ef,
                                                                                          login_as):
    title = 'Meet & greet: "Zaandam", Noord; 2e ronde\nلقاء 面试 Ελλάδα'
    event = ef.event(title=title, candidate_capacity=1, venue_name="Zaal 1, verdieping 2; ingang B")
    first, second = ef.candidate(owner=am.user), ef.candidate(owner=am.user)
    url = f"/meet-and-greets/{event.id}/kandidaat-aanmelden"
    assert am.post_form(url, {"candidate_id": first.id}).status_code == 302
    assert am.post_form(url, {"candidate_id": second.id}).status_code == 302

    confirmed, waitlisted = received(smtp_server, am.user.email, 2)
    assert "Aanmelding bevestigd" in confirmed["Subject"] and "Op de wachtlijst" in waitlisted["Subject"]
    calendar, vevent = calendar_of(confirmed)
    assert str(calendar["METHOD"]) == "REQUEST" and str(vevent["STATUS"]) == "CONFIRMED"
    assert str(vevent["SUMMARY"]).startswith(title)  # commas, semicolons, quotes, newline, Arabic, Chinese, Greek
    assert str(vevent["LOCATION"]).startswith("Zaal 1, verdieping 2; ingang B")
    assert vevent.decoded("DTSTART") == event.starts_at and vevent.decoded("DTEND") == event.ends_at
    first_uid, first_sequence = str(vevent["UID"]), int(vevent["SEQUENCE"])
    _, waiting = calendar_of(waitlisted)
    assert str(waiting["STATUS"]) == "TENTATIVE"
    second_uid = str(waiting["UID"])
    assert first_uid != second_uid

    with app.app_context():
        from sqlalchemy import select

        from portal.events.models import CandidateRegistration

        first_reg = db.session.scalars(select(CandidateRegistration).where(CandidateRegistration.candidate_id == first.id)).one()
        first_id = first_reg.id
    assert am.post_form(f"/meet-and-greets/kandidaten/{first_id}/afmelden").status_code == 302
    messages = received(smtp_server, am.user.email, 4)
    cancellation = next(m for m in messages if "Geannuleerd" in m["Subject"])
    promotion = next(m for m in messages if "Er is een plek vrij" in m["Subject"])
    calendar, cancelled = calendar_of(cancellation)
    assert str(calendar["METHOD"]) == "CANCEL" and str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["UID"]) == first_uid and int(cancelled["SEQUENCE"]) > first_sequence
    calendar, promoted = calendar_of(promotion)
    assert str(calendar["METHOD"]) == "REQUEST" and str(promoted["STATUS"]) == "CONFIRMED"
    assert str(promoted["UID"]) == second_uid and int(promoted["SEQUENCE"]) > int(waiting["SEQUENCE"])

    # a change of time: the same UID with a higher SEQUENCE
    from portal.events import operations
    from portal.events.models import Event

    wsp = login_as("wsp").user
    with app.test_request_context():
        row = db.session.get(Event, event.id)
        values = {k: getattr(row, k) for k in operations.EVENT_FIELDS}
        values.update(starts_at=row.starts_at + dt.timedelta(hours=1), ends_at=row.ends_at + dt.timedelta(hours=1))
        operations.update_event(row, wsp, **values)
        db.commit()
    change = next(m for m in received(smtp_server, am.user.email, 5) if "Gewijzigd" in m["Subject"])
    _, changed = calendar_of(change)
    assert str(changed["UID"]) == second_uid and int(changed["SEQUENCE"]) > int(promoted["SEQUENCE"])
    assert changed.decoded("DTSTART") == event.starts_at + dt.timedelta(hours=1)


def test_visit_booking_and_cancellation_mails(app, smtp_server, am, ef, login_as):
    employer = login_as("employer")
    slot = ef.visit(employer.user, title="Bezoek, magazijn; hal 3")
    candidate = ef.candidate(owner=am.user)
    assert am.post_form(f"/bedrijfsbezoeken/{slot.id}/aanmelden", {"candidate_id": candidate.id}).status_code == 302
    booked = received(smtp_server, am.user.email, 1)[0]
    _, vevent = calendar_of(booked)
    assert "Bezoek, magazijn; hal 3" in str(vevent["SUMMARY"]) and str(vevent["STATUS"]) == "CONFIRMED"
    with app.app_context():
        from sqlalchemy import select

        from portal.events.models import VisitBooking

        booking_id = db.session.scalars(select(VisitBooking.id)).one()
    assert employer.post_form(f"/bedrijfsbezoeken/aanmeldingen/{booking_id}/annuleren").status_code == 302
    cancelled = received(smtp_server, am.user.email, 2)[1]
    calendar, cancel = calendar_of(cancelled)
    assert str(calendar["METHOD"]) == "CANCEL" and str(cancel["UID"]) == str(vevent["UID"])
    assert int(cancel["SEQUENCE"]) > int(vevent["SEQUENCE"])


def test_reminders_the_day_before_are_sent_once(app, smtp_server, am, ef, login_as):
    tomorrow = ef.event(starts_at=local(1, 13), ends_at=local(1, 16), title="Morgen")
    later = ef.event(starts_at=local(5, 13), ends_at=local(5, 16), title="Later")
    employer = login_as("employer")
    slot = ef.visit(employer.user, starts_at=local(1, 9) + dt.timedelta(days=0), ends_at=local(1, 11), cancel_cutoff_hours=0)
    a, b, c = (ef.candidate(owner=am.user) for _ in range(3))
    am.post_form(f"/meet-and-greets/{tomorrow.id}/kandidaat-aanmelden", {"candidate_id": a.id})
    am.post_form(f"/meet-and-greets/{later.id}/kandidaat-aanmelden", {"candidate_id": b.id})
    assert am.post_form(f"/bedrijfsbezoeken/{slot.id}/aanmelden", {"candidate_id": c.id}).status_code == 302
    before = len(received(smtp_server, am.user.email, 3))

    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-reminders", "--only", "events"])
    assert result.exit_code == 0, result.output
    assert "events: sent 2 reminder(s)." in result.output
    again = runner.invoke(args=["send-reminders", "--only", "events"])
    assert "events: sent 0 reminder(s)." in again.output
    with app.app_context():
        jobs.run_periodic({})  # the periodic task is idempotent too
    messages = received(smtp_server, am.user.email, before + 2)
    reminders = [m for m in messages if "Herinnering" in m["Subject"]]
    assert len(reminders) == 2
    assert {calendar_of(m)[1]["SUMMARY"].split(" – ")[0] for m in reminders} >= {"Morgen"}
    assert len([m for m in mails(app) if m.template.endswith("_reminder")]) == 2
