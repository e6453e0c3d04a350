"""The whole journey in a real browser, on the demo data: the trajects journey (propose, invite, book,
meet, outcome, start: tests/trajects/test_browser_journey.py), then three check-ins and a contract,
each step on the candidate's timeline and the traject on the employer's board as finished."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from portal.core import db
from tests.trajects import test_browser_journey as trajects_journey

pytestmark = pytest.mark.browser

CHECKINS = [
    ("Goed", "Taalmaatje geregeld; over vijf weken weer langs."),
    ("Aandacht nodig", "Werkinstructies met plaatjes afspreken met de leidinggevende."),
    ("Goed", "Gesprek over een contract plannen met de werkgever."),
]


def _started(app, candidate_id, placement_id):
    from portal.trajects.models import PlacementStart, Traject

    with app.app_context():
        start = db.session.scalars(select(PlacementStart).join(Traject, Traject.id == PlacementStart.traject_id)
                                   .where(Traject.candidate_id == candidate_id,
                                          Traject.placement_id == placement_id)).one()
        return start.id, start.start_date


def test_three_check_ins_and_a_contract_after_the_start(live_portal, page):
    app, base = live_portal
    candidate_id, full_name, employer_name, placement_id, title = trajects_journey._pick_pair(app)
    trajects_journey.test_propose_invite_meet_and_start_in_the_browser(live_portal, page)
    trajects_journey._logout(page, base)
    start_id, start_date = _started(app, candidate_id, placement_id)

    trajects_journey._login(page, base, "accountmanager@demo.test")
    page.goto(f"{base}/kandidaten/beheer/{candidate_id}")
    page.locator("#nazorg").locator("..").locator(f"a[href$='/nazorg/start/{start_id}']").click()
    page.wait_for_url(f"{base}/nazorg/start/{start_id}")
    for assessment, step in CHECKINS:
        page.get_by_role("link", name="Vastleggen").first.click()
        page.wait_for_url(lambda url: "/nazorg/contact/" in url)
        page.get_by_label(assessment, exact=True).check()
        page.get_by_label("Gesprekken voeren").select_option("2")
        page.get_by_label("Volgende stap").fill(step)
        page.get_by_role("button", name="Opslaan").click()
        page.wait_for_url(f"{base}/nazorg/start/{start_id}")
        assert "Het nazorgcontact is vastgelegd" in page.inner_text("body")
    page.get_by_role("link", name="Resultaat vastleggen").click()
    page.get_by_label("Arbeidscontract").check()
    page.get_by_label("Soort contract").select_option("fixed_term")
    page.get_by_label("Einddatum van de plaatsing").fill((start_date + dt.timedelta(days=120)).isoformat())
    page.get_by_role("button", name="Resultaat opslaan").click()
    page.wait_for_url(f"{base}/nazorg/start/{start_id}")
    assert "Arbeidscontract (tijdelijk contract)" in page.inner_text("main")

    # every step is on the candidate's timeline, newest first
    page.goto(f"{base}/kandidaten/beheer/{candidate_id}")
    timeline = page.locator("ol.timeline").inner_text()
    expected_newest_first = [
        "ging van Gestart naar Afgerond",
        f"({title}): Arbeidscontract (tijdelijk contract).",
        CHECKINS[2][1], CHECKINS[1][1], CHECKINS[0][1],
        "De kandidaat start bij",
        "ging van Kennisgemaakt naar Gestart",
        "Uitkomst van het kennismakingsgesprek",
        "Het kennismakingsgesprek met",  # confirmed
        "plande een kennismakingsgesprek",
        "nodigt de kandidaat uit voor een kennismaking",
        "droeg de kandidaat voor bij",
    ]
    positions = [timeline.find(text) for text in expected_newest_first]
    assert all(p >= 0 for p in positions), list(zip(expected_newest_first, positions))
    assert positions == sorted(positions), list(zip(expected_newest_first, positions))
    trajects_journey._logout(page, base)

    # the employer's board shows the traject as finished; notes never reach the employer
    trajects_journey._login(page, base, "employer@demo.test")
    page.goto(f"{base}/trajecten")
    assert employer_name in page.locator("#col-finished").locator("..").inner_text()
    assert CHECKINS[1][1] not in page.content()
