"""Employer self-registration, approval by WSP staff, and invitations."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal.accounts.models import Invitation, Organisation, OrganisationStatus, User
from portal.core import db
from portal.core.mail import MailMessage

VALID = {
    "organisation_name": "Schoonmaakbedrijf Glans", "kvk_number": "87654321", "sector": "schoonmaak",
    "street_address": "Dam 1", "postcode": "1012jS", "city": "Amsterdam", "municipality": "Amsterdam",
    "contact_phone": "", "name": "Sanne Smit", "email": "sanne@glans.example.nl",
    "password": "schoon en glanzend werk", "password_repeat": "schoon en glanzend werk", "agree": "y",
}


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)))


def test_registration_creates_a_pending_organisation_and_tells_wsp(app, factory, client):
    wsp = factory.user("wsp")
    response = client.post_form("/registreren", VALID, follow_redirects=True)
    assert response.status_code == 200
    assert "wacht op goedkeuring" in response.get_data(as_text=True)
    with app.app_context():
        org = db.session.scalars(select(Organisation).where(Organisation.kvk_number == "87654321")).one()
        assert org.status == OrganisationStatus.PENDING
        assert org.postcode == "1012 JS"
        assert [m.recipient for m in db.session.scalars(select(MailMessage))] == [wsp.email]


@pytest.mark.parametrize("field,value,message", [
    ("kvk_number", "1234567", "precies 8 cijfers"),
    ("kvk_number", "1234567a", "precies 8 cijfers"),
    ("postcode", "0123 AB", "geldige Nederlandse postcode"),
    ("sector", "ruimtevaart", "Ongeldige keuze"),
    ("email", "not-an-email", "Ongeldig e-mailadres"),
    ("password_repeat", "something else entirely", "niet gelijk"),
    ("organisation_name", "", "Dit veld is vereist"),
    # a right-to-left override would make the name read differently in the WSP approval list
    ("organisation_name", "Glans \u202etnemnaps", "leesrichting"),
    ("name", "Sanne\u200b Smit", "onzichtbare tekens"),
])
def test_bad_registration_shows_the_error_at_the_field_and_saves_nothing(app, client, field, value, message):
    response = client.post_form("/registreren", {**VALID, field: value})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    assert message.lower() in html.lower()
    assert _count(app, Organisation) == 0 and _count(app, User) == 0


def test_a_known_email_gets_the_same_answer_and_its_owner_a_mail(app, factory, make_client):
    """Registration does not reveal known addresses: same page, nothing saved, a mail to the known address."""
    known = factory.user("wsp", email="sanne@glans.example.nl")
    fresh = make_client().post_form("/registreren", {**VALID, "email": "other@glans.example.nl", "kvk_number": "11223344"},
                                    follow_redirects=True)
    again = make_client().post_form("/registreren", {**VALID, "email": "Sanne@Glans.example.nl"}, follow_redirects=True)
    assert again.status_code == fresh.status_code == 200
    assert again.request.path == fresh.request.path
    assert "bestaat al" not in again.get_data(as_text=True)
    assert _count(app, Organisation) == 1  # only the fresh one
    with app.app_context():
        mails = db.session.scalars(select(MailMessage).where(MailMessage.recipient == known.email)).all()
    assert [m.template for m in mails if m.template.startswith("registration")] == ["registration_known_email"]


def test_a_known_kvk_number_gets_the_same_answer_and_a_mail_to_the_applicant(app, factory, make_client):
    factory.organisation(kvk_number="87654321")
    response = make_client().post_form("/registreren", VALID, follow_redirects=True)
    assert response.status_code == 200 and "al aangemeld" not in response.get_data(as_text=True)
    assert _count(app, User) == 0
    with app.app_context():
        mails = db.session.scalars(select(MailMessage).where(MailMessage.recipient == VALID["email"])).all()
    assert [m.template for m in mails] == ["registration_known_organisation"]


def test_wsp_approves_and_the_employer_is_told(app, factory, client, login_as):
    client.post_form("/registreren", VALID)
    with app.app_context():
        org_id = db.session.scalar(select(Organisation.id).where(Organisation.kvk_number == "87654321"))
    wsp = login_as("wsp")
    assert wsp.post_form(f"/wsp/organisaties/{org_id}", {"decision": "approve"}).status_code == 302
    with app.app_context():
        assert db.session.get(Organisation, org_id).status == OrganisationStatus.APPROVED
        subjects = [m.subject for m in db.session.scalars(select(MailMessage).where(MailMessage.recipient == VALID["email"]))]
    assert subjects == ["Uw organisatie is goedgekeurd"]


def test_rejection_needs_a_reason(app, factory, login_as):
    org = factory.organisation(approved=False)
    wsp = login_as("wsp")
    response = wsp.post_form(f"/wsp/organisaties/{org.id}", {"decision": "reject", "note": ""})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Organisation, org.id).status == OrganisationStatus.PENDING


def test_employer_sees_only_its_own_organisation(factory, login_as):
    other = factory.organisation(name="Andere Organisatie BV")
    employer = login_as("employer")
    page = employer.get("/wsp/mijn-organisatie").get_data(as_text=True)
    assert employer.user.organisation_id != other.id
    assert "Andere Organisatie BV" not in page
    assert employer.get(f"/wsp/organisaties/{other.id}").status_code == 403


def _invitation_link(app, email: str) -> str:
    with app.app_context():
        body = db.session.scalars(select(MailMessage.body).where(MailMessage.recipient == email)).one()
    return re.search(r"http://portal\.test(/uitnodiging/\S+)", body).group(1)


def test_wsp_invites_an_employer_contact_who_accepts(app, factory, login_as, make_client):
    org = factory.organisation()
    wsp = login_as("wsp")
    response = wsp.post_form("/wsp/uitnodigingen", {"email": "nieuw@bedrijf.example.nl", "name": "Nieuwe Collega",
                                                    "role": "employer", "organisation_id": str(org.id)})
    assert response.status_code == 302
    link = _invitation_link(app, "nieuw@bedrijf.example.nl")
    guest = make_client()
    response = guest.post_form(link, {"name": "Nieuwe Collega", "password": "welkom bij het portaal",
                                      "password_repeat": "welkom bij het portaal"}, follow_redirects=True)
    assert response.request.path == "/werkgever"
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == "nieuw@bedrijf.example.nl")).one()
        assert user.organisation_id == org.id
    # The link works once.
    assert make_client().get(link).status_code == 404


def test_wsp_cannot_invite_an_admin_and_nothing_is_saved(app, login_as):
    wsp = login_as("wsp")
    response = wsp.post_form("/wsp/uitnodigingen", {"email": "baas@example.nl", "role": "admin", "organisation_id": ""})
    assert response.status_code == 400
    assert _count(app, Invitation) == 0


def test_employer_invitation_needs_an_organisation(app, login_as):
    admin = login_as("admin")
    response = admin.post_form("/wsp/uitnodigingen", {"email": "x@example.nl", "role": "employer", "organisation_id": ""})
    assert response.status_code == 400
    assert "Kies de organisatie" in response.get_data(as_text=True)
    assert _count(app, Invitation) == 0


def test_expired_invitation_is_refused(app, factory, login_as, make_client):
    wsp = login_as("wsp")
    wsp.post_form("/wsp/uitnodigingen", {"email": "laat@example.nl", "role": "account_manager", "organisation_id": ""})
    link = _invitation_link(app, "laat@example.nl")
    with app.app_context():
        invitation = db.session.scalars(select(Invitation)).one()
        invitation.expires_at = db.utcnow().replace(year=2000)
        db.commit()
    response = make_client().post_form(link, {"name": "Te Laat", "password": "welkom bij het portaal", "password_repeat": "welkom bij het portaal"})
    assert response.status_code == 404
    assert _count(app, User) == 1  # only the WSP user


def test_admin_changes_a_role_and_deactivates(app, factory, login_as):
    target = factory.user("account_manager")
    admin = login_as("admin")
    assert admin.post_form(f"/beheer/gebruikers/{target.id}", {"role": "wsp", "active": ""}).status_code == 302
    with app.app_context():
        user = db.session.get(User, target.id)
        assert (user.role.value, user.active) == ("wsp", False)
    # Admins cannot lock themselves out.
    response = admin.post_form(f"/beheer/gebruikers/{admin.user.id}", {"role": "admin", "active": ""})
    assert response.status_code == 400


def test_approving_an_organisation_without_accounts_mails_its_contact_and_leads_to_the_first_invitation(app, factory, login_as):
    org = factory.organisation(approved=False, contact_name="Samira Okafor", contact_email="samira@bakkerij.example.nl")
    wsp = login_as("wsp")
    response = wsp.post_form(f"/wsp/organisaties/{org.id}", {"decision": "approve", "note": ""})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/wsp/uitnodigingen?organisation_id={org.id}")
    with app.app_context():
        [mail] = db.session.scalars(select(MailMessage).where(MailMessage.recipient == "samira@bakkerij.example.nl")).all()
    assert mail.template == "organisation_reviewed" and mail.subject == "Uw organisatie is goedgekeurd"
    assert "Beste Samira Okafor" in mail.body and "vacatures publiceren" in mail.body
    assert "uitnodiging" in mail.body and "http://portal.test/login" in mail.body
    page = wsp.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nog niemand van" in page
    assert 'value="samira@bakkerij.example.nl"' in page and 'value="Samira Okafor"' in page
    response = wsp.post_form("/wsp/uitnodigingen", {"email": "samira@bakkerij.example.nl", "name": "Samira Okafor",
                                                    "role": "employer", "organisation_id": str(org.id)})
    assert response.status_code == 302
    with app.app_context():
        templates = [m.template for m in db.session.scalars(
            select(MailMessage).where(MailMessage.recipient == "samira@bakkerij.example.nl").order_by(MailMessage.id))]
        assert templates == ["organisation_reviewed", "invitation"]
    # with an open invitation the form no longer offers the contact again
    assert "Nog niemand van" not in wsp.get(f"/wsp/uitnodigingen?organisation_id={org.id}").get_data(as_text=True)


def test_approving_a_self_registered_organisation_mails_its_member_once_with_a_login_link(app, client, login_as):
    client.post_form("/registreren", VALID)
    with app.app_context():
        org_id = db.session.scalar(select(Organisation.id).where(Organisation.kvk_number == "87654321"))
    wsp = login_as("wsp")
    response = wsp.post_form(f"/wsp/organisaties/{org_id}", {"decision": "approve"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/wsp/organisaties")
    with app.app_context():
        bodies = [m.body for m in db.session.scalars(select(MailMessage).where(
            MailMessage.recipient == VALID["email"], MailMessage.template == "organisation_reviewed"))]
    assert len(bodies) == 1 and "Log in met uw e-mailadres" in bodies[0] and "http://portal.test/login" in bodies[0]


def test_rejecting_an_organisation_mails_its_contact_with_the_reason(app, factory, login_as):
    org = factory.organisation(approved=False, contact_email="contact@afgewezen.example.nl")
    wsp = login_as("wsp")
    response = wsp.post_form(f"/wsp/organisaties/{org.id}", {"decision": "reject", "note": "Geen KvK-inschrijving gevonden"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/wsp/organisaties")
    with app.app_context():
        [mail] = db.session.scalars(select(MailMessage).where(MailMessage.recipient == "contact@afgewezen.example.nl")).all()
    assert mail.subject == "Uw aanmelding is niet goedgekeurd" and "Geen KvK-inschrijving gevonden" in mail.body
