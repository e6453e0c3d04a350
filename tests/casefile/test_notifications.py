"""An employer's interest and answer to a proposal mail the owning account manager: at once, or
in one daily digest, as each user chooses on the account page."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from portal.casefile.models import PendingNotification
from portal.core import db
from portal.core.mail import MailMessage


def _mails(app, recipient):
    with app.app_context():
        return db.session.scalars(select(MailMessage).where(MailMessage.recipient == recipient)
                                  .order_by(MailMessage.id)).all()


def _interest(case):
    return case.employer_client.post_form(f"/kandidaten/{case.candidate.id}/ontmoeten", {"note": "Graag!"})


def test_interest_mails_the_owner_at_once_by_default(app, case):
    assert _interest(case).status_code == 302
    mails = _mails(app, case.manager.email)
    assert len(mails) == 1
    assert mails[0].subject == "Interesse van een werkgever"
    assert case.candidate.first_name in mails[0].body and f"/kandidaten/beheer/{case.candidate.id}" in mails[0].body


def test_the_account_page_switches_to_a_daily_digest(app, case):
    page = case.manager_client.get("/account").get_data(as_text=True)
    assert "Eén keer per dag, in een overzicht" in page
    assert case.manager_client.post_form("/dossier/meldingen", {"mode": "daily"}).status_code == 302
    assert _interest(case).status_code == 302
    assert _mails(app, case.manager.email) == []
    from portal.casefile.notifications import send_notification_digests

    morning = dt.datetime(2026, 6, 2, 4, 0, tzinfo=dt.timezone.utc)  # 06:00 in Amsterdam: not yet
    later = dt.datetime(2026, 6, 2, 6, 30, tzinfo=dt.timezone.utc)   # 08:30 in Amsterdam
    with app.test_request_context():
        assert send_notification_digests(morning) == 0
        assert send_notification_digests(later) == 1
        assert send_notification_digests(later + dt.timedelta(hours=1)) == 0  # once a day
        db.commit()
    mails = _mails(app, case.manager.email)
    assert len(mails) == 1 and mails[0].template == "casefile_digest"
    assert "wil kennismaken met" in mails[0].body
    with app.app_context():
        assert all(p.sent_at is not None for p in db.session.scalars(select(PendingNotification)))


def test_an_answer_to_a_proposal_notifies_through_the_same_listener(app, case, cases):
    from portal.accounts.models import User
    from portal.candidates.models import Candidate
    from portal.placements.models import Placement
    from portal.trajects import operations as traject_operations

    placement = cases.placement(case.employer.organisation_id, title="Inpakker")
    with app.test_request_context():
        manager = db.session.get(User, case.manager.id)
        proposal = traject_operations.propose(db.session.get(Candidate, case.candidate.id),
                                              db.session.get(Placement, placement.id),
                                              "Amina is precies en houdt van aanpakken.", by=manager)
        traject_operations.answer_proposal(proposal, "declined", by=db.session.get(User, case.employer.id),
                                           decline_reason="days_hours")
        db.commit()
    mails = _mails(app, case.manager.email)
    assert [m.subject for m in mails] == ["Antwoord op een voordracht"]
    assert "Inpakker" in mails[0].body and "dagen of uren passen niet" in mails[0].body


def test_a_made_up_mode_is_refused_and_nothing_changes(app, case):
    response = case.manager_client.post_form("/dossier/meldingen", {"mode": "hourly"})
    assert response.status_code == 400
    with app.app_context():
        from portal.accounts.models import User

        assert db.session.get(User, case.manager.id).notification_mode == "immediate"
