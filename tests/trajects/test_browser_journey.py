"""The traject journey in a real browser, on the demo data: the account manager proposes a candidate
from the matches page; the employer invites and books a one-to-one slot; the account manager
confirms; after the meeting the employer records the outcome; the account manager records the
start. Each step shows on the employer's board and the candidate's staff page."""
from __future__ import annotations

import datetime as dt

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


def _pick_pair(app):
    """A demo candidate with free meeting slots and a placement of employer@demo.test they can be proposed for."""
    from portal.accounts.models import User
    from portal.matching.operations import candidates_for_placement, open_placements
    from portal.meetings.operations import free_slots
    from portal.trajects.operations import why_not_proposable

    with app.test_request_context():
        employer = db.session.scalar(select(User).where(User.email == "employer@demo.test"))
        for placement in open_placements():
            if placement.organisation_id != employer.organisation_id:
                continue
            for candidate, _ex in candidates_for_placement(placement).matches:
                if why_not_proposable(candidate, placement) is None and free_slots(candidate.id):
                    return (candidate.id, candidate.display_name, candidate.employer_name, placement.id, placement.title)
    raise AssertionError("the demo data has no candidate to propose with free slots")


def test_propose_invite_meet_and_start_in_the_browser(live_portal, page):
    app, base = live_portal
    candidate_id, full_name, employer_name, placement_id, title = _pick_pair(app)

    # the account manager proposes from the matches page
    _login(page, base, "accountmanager@demo.test")
    page.goto(f"{base}/zoeken/plek/{placement_id}")
    match = page.locator("li.match", has_text=full_name).first
    match.get_by_role("link", name="Voordragen aan").click()
    page.wait_for_url(lambda url: "/trajecten/voordragen/" in url)
    page.get_by_label("Motivatie voor de werkgever").fill(
        "Werkt nauwkeurig, heeft ervaring in een winkel en kan op de gevraagde dagen.")
    page.get_by_role("button", name="Voordragen").click()
    page.wait_for_url(lambda url: "/trajecten/" in url and "voordragen" not in url)
    assert "Voorgedragen" in page.inner_text("main")
    _logout(page, base)

    # the employer sees the proposal on the start page and invites: straight into booking a slot
    _login(page, base, "employer@demo.test")
    page.goto(f"{base}/werkgever")
    page.locator("#panel-proposals").locator("..").get_by_role("link", name=employer_name).first.click()
    assert "heeft ervaring in een winkel" in page.inner_text("main")
    assert full_name not in page.inner_text("main")  # first name and initial only
    page.get_by_label("Uitnodigen voor een kennismaking").check()
    page.get_by_role("button", name="Antwoord versturen").click()
    page.wait_for_url(lambda url: f"/gesprekken/kandidaat/{candidate_id}" in url)
    assert page.get_by_label("Over welke plek (optioneel)").input_value() == str(placement_id)
    page.locator(".meeting-slot input[type=radio]").first.check()
    page.get_by_role("button", name="Gesprek aanvragen").click()
    page.wait_for_url(lambda url: "/gesprekken/" in url and "/kandidaat/" not in url)
    booking_url = page.url
    page.goto(f"{base}/trajecten")
    assert employer_name in page.locator("#col-meeting_planned").locator("..").inner_text()
    _logout(page, base)

    # the account manager confirms; the meeting then takes place (moved into the past here)
    _login(page, base, "accountmanager@demo.test")
    page.goto(booking_url)
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url(booking_url)
    from portal.meetings.models import MeetingBooking, MeetingSlot

    booking_id = int(booking_url.rstrip("/").rsplit("/", 1)[1])
    with app.app_context():
        booking = db.session.get(MeetingBooking, booking_id)
        slot = db.session.get(MeetingSlot, booking.slot_id)
        slot.starts_at = db.utcnow() - dt.timedelta(hours=2)
        slot.ends_at = slot.starts_at + dt.timedelta(minutes=30)
        db.commit()
    _logout(page, base)

    # the employer records the outcome
    _login(page, base, "employer@demo.test")
    page.goto(f"{base}/gesprekken/{booking_id}/uitkomst")
    page.get_by_label("Interesse in een plek (werkervaringsplek, proefplaatsing of baan)").check()
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(booking_url)
    page.goto(f"{base}/trajecten")
    assert employer_name in page.locator("#col-met").locator("..").inner_text()
    _logout(page, base)

    # the account manager records the start from the candidate's page
    _login(page, base, "accountmanager@demo.test")
    page.goto(f"{base}/kandidaten/beheer/{candidate_id}")
    section = page.locator("#trajects-title").locator("..")
    section.locator("li", has_text=title).get_by_role("link", name="Start vastleggen").click()
    page.wait_for_url(lambda url: url.endswith("/start"))
    page.get_by_label("Uren per week").fill("12")
    page.get_by_label("Jobcoach (naam, optioneel)").fill("Petra Jansen")
    page.locator("#taalvoucher").get_by_label("Aangevraagd").check()
    page.get_by_role("button", name="Start vastleggen").click()
    page.wait_for_url(lambda url: "/trajecten/" in url and not url.endswith("/start"))
    main = page.inner_text("main")
    assert "De start is vastgelegd" in page.inner_text("body") and "Gestart" in main and "Petra Jansen" in main
    page.goto(f"{base}/kandidaten/beheer/{candidate_id}")
    assert "Gestart" in page.locator("#trajects-title").locator("..").inner_text()
    _logout(page, base)

    _login(page, base, "employer@demo.test")
    page.goto(f"{base}/trajecten")
    assert employer_name in page.locator("#col-started").locator("..").inner_text()
