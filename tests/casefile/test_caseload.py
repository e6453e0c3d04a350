"""The account manager's start page: caseload by stage, on hold, check-ins due, against the target."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from portal.core import db
from portal.core.audit import AuditEntry
from tests.conftest import both_databases


@both_databases
def test_start_page_counts_active_on_hold_and_stages_against_the_target(app, factory, case, cases, login_as):
    from portal.candidates.models import Candidate, CandidateStatus

    paused = cases.candidate(case.manager)
    with app.app_context():
        db.session.get(Candidate, paused.id).status = CandidateStatus.PAUSED
        db.commit()
    placement = cases.placement(case.employer.organisation_id)
    cases.trajects.traject(case.candidate, placement, stage="met")
    html = case.manager_client.get("/accountmanager").get_data(as_text=True)
    assert "1 actieve dossiers, norm 25" in html and "1 in de wacht" in html
    assert "<td>Kennisgemaakt</td><td>1</td>" in html
    # an admin lowers the target: the page says the caseload is over it
    admin = login_as("admin")
    assert admin.post_form("/dossier/instellingen", {"target": "1"}).status_code == 302
    cases.candidate(case.manager)
    html = case.manager_client.get("/accountmanager").get_data(as_text=True)
    assert "2 actieve dossiers, norm 1" in html and "1 dossiers meer dan de norm" in html
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "caseload.target_changed")).one()
        assert entry.details == {"old": 25, "new": 1}


@both_databases
def test_start_page_counts_overdue_and_this_weeks_check_ins(app, case, cases):
    today = dt.date.today()
    cases.started(case.candidate, case.employer, start_date=today - dt.timedelta(days=8))  # week 1 is overdue
    html = case.manager_client.get("/accountmanager").get_data(as_text=True)
    assert "<dt>Nazorg te laat</dt><dd>1</dd>" in html


@pytest.mark.parametrize("locale, value, message", [
    ("nl", "0", "Kies een aantal van 1 tot en met 500."), ("en", "abc", "Not a valid integer value."),
    ("nl", "", "Vul een aantal in."), ("en", "501", "Choose a number from 1 to 500."),
])
def test_bad_target_is_refused_with_a_field_error(app, factory, make_client, locale, value, message):
    admin = factory.user("admin", locale=locale)
    client = make_client()
    client.login(admin)
    response = client.post_form("/dossier/instellingen", {"target": value})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    with app.app_context():
        from portal.casefile.operations import caseload_target

        assert caseload_target() == 25
