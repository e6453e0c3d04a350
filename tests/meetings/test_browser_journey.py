"""The Done-when journey in a real browser, on the demo data: the account manager publishes Tuesday
afternoon slots for a demo candidate, the demo employer books one from the candidate's page (where the
video is), the account manager confirms; the mails with .ics are in the mail log."""
from __future__ import annotations

import base64
import re

import icalendar
import pytest
from sqlalchemy import select

from portal.core import db

pytestmark = pytest.mark.browser


def _login(page, base, email):
    page.goto(f"{base}/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill("demo-portal")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/login" not in url)


def _logout(page, base):
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(f"{base}/login")


def test_done_when_journey_in_the_browser(live_portal, page):
    app, base = live_portal
    from portal.accounts.models import Organisation, User
    from portal.candidates.visibility import visible_candidates_query

    with app.app_context():
        manager = db.session.scalar(select(User).where(User.email == "accountmanager@demo.test"))
        employer = db.session.scalar(select(User).where(User.email == "employer@demo.test"))
        organisation = db.session.get(Organisation, employer.organisation_id)
        candidate = db.session.scalars(visible_candidates_query(organisation).order_by("id")).first()
        assert candidate is not None and candidate.owner_id == manager.id
        candidate_id, full_name, employer_name = candidate.id, candidate.display_name, candidate.employer_name

    # the account manager publishes Tuesday afternoon slots
    _login(page, base, "accountmanager@demo.test")
    page.goto(f"{base}/gesprekken/beschikbaarheid/reeks")
    page.get_by_label("Dag van de week").select_option(label="dinsdag")
    page.get_by_label("Van", exact=True).fill("13:00")
    page.get_by_label("Tot", exact=True).fill("16:00")
    page.get_by_label("Lengte van een gesprek").select_option(label="30 minuten")
    page.get_by_label("Aantal weken").fill("4")
    page.get_by_label("Adres van het gemeentekantoor").fill("Stadhuisplein 100, 1506 MZ Zaandam")
    page.get_by_label(full_name, exact=True).check()
    page.get_by_role("button", name="Tijdsloten maken").click()
    page.wait_for_url(f"{base}/gesprekken/beschikbaarheid")
    assert "24 tijdsloten gepubliceerd" in page.inner_text("main")
    _logout(page, base)

    # the employer watches the candidate's page and books a Tuesday slot there
    _login(page, base, "employer@demo.test")
    page.goto(f"{base}/kandidaten/{candidate_id}")
    section = page.locator("#kennismaken")
    assert "Kennismakingsgesprek boeken" in section.inner_text()
    # slots read "di 8 dec 2026, 10:00"
    section.locator(".meeting-slot", has_text=re.compile(r"\bdi \d")).first.locator("input[type=radio]").check()
    section.get_by_label("Korte toelichting (optioneel)").fill("Kennismaken voor de bakkerij")
    section.get_by_role("button", name="Gesprek aanvragen").click()
    page.wait_for_url(lambda url: "/gesprekken/" in url and "/kandidaat/" not in url)
    assert "Aangevraagd" in page.inner_text("main") and employer_name in page.inner_text("h1")
    booking_url = page.url
    _logout(page, base)

    # the account manager confirms from the start page
    _login(page, base, "accountmanager@demo.test")
    page.goto(f"{base}/accountmanager")
    page.locator("#panel-meeting-requests").locator("..").get_by_role("link", name=full_name).click()
    page.wait_for_url(booking_url)
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url(booking_url)
    assert "Bevestigd" in page.inner_text("main")

    from portal.core.mail import MailMessage

    with app.app_context():
        messages = db.session.scalars(select(MailMessage).where(MailMessage.template.like("meeting_%"))
                                      .order_by(MailMessage.id)).all()
        to_employer = [m for m in messages if m.recipient == "employer@demo.test"]
        assert [m.template for m in to_employer] == ["meeting_requested", "meeting_confirmed"]
        for message in to_employer:
            cal = icalendar.Calendar.from_ical(base64.b64decode(message.attachments[0]["data"]))
            assert cal["METHOD"] == "REQUEST" and len(cal.walk("VEVENT")) == 1
