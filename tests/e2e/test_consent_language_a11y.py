"""axe-core (WCAG 2.1 A/AA) over the pages of consent in the candidate's language and the caption editor:
the withdrawal page in a left-to-right and a right-to-left language, the consent form, the sheet, the editor."""
from __future__ import annotations

import datetime as dt

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
