"""Handover (mailed to the new owner, on the timeline, audited) and co-owners (shared caseload)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.casefile.models import CaseCoOwner, CaseHandover
from portal.core import db
from portal.core.audit import AuditEntry
from portal.core.mail import MailMessage


def test_handover_moves_the_case_mails_the_new_owner_and_shows_on_the_timeline(app, factory, case):
    colleague = factory.user("account_manager", name="Joost Collega")
    response = case.manager_client.post_form(f"/dossier/{case.candidate.id}/overdragen", {
        "new_owner_id": colleague.id, "note": "Amina heeft dinsdag een proefdag; bel haar maandag."})
    assert response.status_code == 302
    with app.app_context():
        from portal.candidates.models import Candidate

        assert db.session.get(Candidate, case.candidate.id).owner_id == colleague.id
        mail = db.session.scalars(select(MailMessage).where(MailMessage.recipient == colleague.email)).one()
        assert "bel haar maandag" in mail.body and "Dossier overgedragen" in mail.subject
        assert f"/kandidaten/beheer/{case.candidate.id}" in mail.body
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "casefile.handed_over")).one()
        assert entry.details["to_user_id"] == colleague.id and entry.details["from_user_id"] == case.manager.id
        assert "bel haar" not in str(entry.details)  # no free text in the audit log
    html = case.manager_client.get(f"/kandidaten/beheer/{case.candidate.id}").get_data(as_text=True)
    assert "Fatima Accountmanager droeg het dossier over aan Joost Collega." in html
    assert "bel haar maandag" in html
    assert "accountmanager van dit dossier" not in html  # one entry for the handover, not two


@pytest.mark.parametrize("locale, messages", [
    ("nl", ("Schrijf een overdrachtsnotitie.", "Kies een accountmanager.")),
    ("en", ("Write a handover note.", "Choose an account manager.")),
])
def test_handover_needs_a_colleague_and_a_note(app, factory, cases, make_client, locale, messages):
    manager = factory.user("account_manager", locale=locale)
    candidate = cases.candidate(manager)
    employer = factory.user("employer")
    client = make_client()
    client.login(manager)
    response = client.post_form(f"/dossier/{candidate.id}/overdragen", {"new_owner_id": "", "note": " "})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert messages[0] in html and messages[1] in html
    # an employer is no account manager, even when its id is posted
    response = client.post_form(f"/dossier/{candidate.id}/overdragen", {"new_owner_id": employer.id, "note": "Over"})
    assert response.status_code == 400
    with app.app_context():
        from portal.candidates.models import Candidate

        assert db.session.get(Candidate, candidate.id).owner_id == manager.id
        assert db.session.scalars(select(CaseHandover)).all() == []
        assert db.session.scalars(select(MailMessage).where(MailMessage.template == "casefile_handover")).all() == []


def test_a_co_owner_shares_the_case_and_sees_it_on_their_caseload(app, factory, case, make_client):
    colleague = factory.user("account_manager", name="Sanne Gedeeld")
    response = case.manager_client.post_form(f"/dossier/{case.candidate.id}/mede-eigenaren", {"user_id": colleague.id})
    assert response.status_code == 302
    client = make_client()
    client.login(colleague)
    caseload = client.get("/dossier/caseload").get_data(as_text=True)
    assert case.candidate.first_name in caseload and "mede-eigenaar" in caseload
    start = client.get("/accountmanager").get_data(as_text=True)
    assert "1 actieve dossiers" in start
    detail = case.manager_client.get(f"/kandidaten/beheer/{case.candidate.id}").get_data(as_text=True)
    assert "Sanne Gedeeld deelt nu het dossier als mede-eigenaar." in detail
    # adding twice is refused with a message; removing ends the sharing
    again = case.manager_client.post_form(f"/dossier/{case.candidate.id}/mede-eigenaren", {"user_id": colleague.id})
    assert again.status_code == 400
    removed = case.manager_client.post_form(f"/dossier/{case.candidate.id}/mede-eigenaren/verwijderen",
                                            {"user_id": colleague.id})
    assert removed.status_code == 302
    assert case.candidate.first_name not in client.get("/dossier/caseload").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(CaseCoOwner)).all() == []
        actions = set(db.session.scalars(select(AuditEntry.action)))
        assert {"casefile.co_owner_added", "casefile.co_owner_removed"} <= actions


def test_removing_someone_who_does_not_share_the_case_is_not_found(app, factory, case):
    other = factory.user("account_manager")
    response = case.manager_client.post_form(f"/dossier/{case.candidate.id}/mede-eigenaren/verwijderen",
                                             {"user_id": other.id})
    assert response.status_code == 404
    assert case.manager_client.post_form(f"/dossier/{case.candidate.id}/mede-eigenaren/verwijderen",
                                         {"user_id": "abc"}).status_code == 400
