"""The employer's table at a meet-and-greet: the event page offers the registration's calendar file
(the one its mails attach) and names the organiser to contact; only the organisation and staff get it."""
from __future__ import annotations

import icalendar
from sqlalchemy import select

from portal.core import db
from portal.events.models import EmployerRegistration
from tests.events.conftest import mails
from tests.meetings.helpers import calendar_of


def test_table_calendar_download_and_organiser_contact(app, login_as, ef, factory, make_client):
    organiser = factory.user("wsp", name="Petra Organisator")
    event = ef.event(created_by_id=organiser.id)
    employer = login_as("employer")
    assert employer.post_form(f"/meet-and-greets/{event.id}/werkgever-aanmelden", {"representatives": "1"}).status_code == 302
    with app.app_context():
        registration_id = db.session.scalars(select(EmployerRegistration.id)).one()

    page = employer.get(f"/meet-and-greets/{event.id}").get_data(as_text=True)
    url = f"/meet-and-greets/tafels/{registration_id}/agenda.ics"
    assert f'href="{url}"' in page
    assert "Petra Organisator" in page and f'href="mailto:{organiser.email}"' in page

    response = employer.get(url)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    [vevent] = icalendar.Calendar.from_ical(response.data).walk("VEVENT")
    [mail] = [m for m in mails(app) if m.attachments]
    _cal, mailed = calendar_of(mail)
    assert str(vevent["UID"]) == str(mailed["UID"]) and int(vevent["SEQUENCE"]) == int(mailed["SEQUENCE"])
    assert vevent.decoded("DTSTART") == mailed.decoded("DTSTART")

    assert login_as("wsp").get(url).status_code == 200
    stranger = login_as("employer")  # another organisation
    assert stranger.get(url).status_code == 404
    assert login_as("account_manager").get(url).status_code == 403
    assert employer.get("/meet-and-greets/tafels/999999/agenda.ics").status_code == 404
