"""The pages of consent in the candidate's language in Chromium: axe-core (WCAG 2.1 A/AA) over the withdrawal
page (ltr, rtl), the consent form, the sheet and the caption editor; and the sheet on one A4 in every language."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from portal.core import db
from tests.a11y.test_axe import _login, axe_page, violations  # noqa: F401  (axe_page is a fixture)
from tests.video.access import ready_video

pytestmark = pytest.mark.browser


def _candidate(app) -> int:
    from portal.accounts.models import User
    from portal.candidates import operations
    from portal.candidates.models import ConsentScope

    with app.test_request_context():
        owner = db.session.scalar(select(User).where(User.email == "accountmanager@demo.test"))
        candidate = operations.create_candidate(
            owner, owner=owner, confirm_duplicate=True,
            fields=dict(first_name="Yonas", surname="Axetest", date_of_birth=dt.date(1990, 2, 2), municipality="Zaanstad",
                        postcode_area="1506", mobility=[], availability=[], hours_per_week=8, ambitions="", support_needs=""),
        )
        operations.record_consent(candidate, owner, scope=ConsentScope.ALL_APPROVED_EMPLOYERS, video_allowed=True,
                                  expires_at=db.utcnow() + dt.timedelta(days=60), text_language="ti")
        db.commit()
        return candidate.id


def test_consent_language_pages_have_no_axe_violations(live_portal, axe_page):
    app, base = live_portal
    cid = _candidate(app)
    ready_video(app, cid, captions=False)
    found: list[str] = []
    for url in ("/toestemming-stoppen", "/toestemming-stoppen?taal=ar", "/toestemming-stoppen?code=AAAA-BBBB&taal=ti"):
        axe_page.goto(base + url)
        found += violations(axe_page)
    _login(axe_page, base, "accountmanager@demo.test")
    for url in (f"/kandidaten/beheer/{cid}/toestemming?taal=prs", f"/kandidaten/beheer/{cid}/toestemming/blad",
                f"/kandidaten/beheer/{cid}/video/ondertitels/bewerken", "/kandidaten/toestemmingstekst"):
        axe_page.goto(base + url)
        axe_page.wait_for_load_state()
        found += violations(axe_page)
    assert found == []


def test_the_sheet_fits_on_one_a4_in_every_language(live_portal, page):
    from portal.candidates import consent_text as texts
    from portal.candidates.models import Candidate

    app, base = live_portal
    cid = _candidate(app)
    _login(page, base, "accountmanager@demo.test")
    pages = {}
    for language in texts.LANGUAGES:
        with app.app_context():
            db.session.get(Candidate, cid).valid_consent.text_language = language
            db.commit()
        page.goto(f"{base}/kandidaten/beheer/{cid}/toestemming/blad")
        page.get_by_role("button", name="Nieuwe code maken").click()
        page.wait_for_selector("[data-sheet-code]")
        assert page.locator("[data-consent-sheet]").get_attribute("lang") == language
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4", print_background=True)
        page.emulate_media(media="screen")
        pages[language] = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages == {language: 1 for language in texts.LANGUAGES}
