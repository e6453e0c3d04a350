"""Purpose limitation: an account manager keeps the full files of their own municipality only; other
municipalities' published candidates are seen as the employer-level profile, with a way to ask the owner."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.core import db
from portal.core.mail import MailMessage
from tests.conftest import both_databases

pytestmark = [both_databases]


@pytest.fixture
def region(factory, cf):
    zaanstad = factory.user("account_manager", municipality="Zaanstad")
    westland = factory.user("account_manager", municipality="Westland")
    own = cf.candidate(owner=zaanstad, published=True, first_name="Amina", surname="Eigengemeente")
    other = cf.candidate(owner=westland, published=True, municipality="Westland", first_name="Farid",
                         surname="Anderegemeente", support_needs="WESTLANDNOTITIE")
    return zaanstad, westland, own, other


def test_an_account_manager_sees_and_edits_full_files_of_their_own_municipality_only(make_client, region):
    zaanstad, _westland, own, other = region
    client = make_client()
    client.login(zaanstad)
    assert client.get(f"/kandidaten/beheer/{own.id}").status_code == 200
    assert client.get(f"/kandidaten/beheer/{other.id}").status_code == 404
    assert client.get(f"/kandidaten/beheer/{other.id}/bewerken").status_code == 404
    listing = client.get("/kandidaten/beheer").get_data(as_text=True)
    assert "Eigengemeente" in listing and "Anderegemeente" not in listing


def test_other_municipalities_published_candidates_show_as_the_employer_profile(make_client, region):
    zaanstad, _westland, own, other = region
    client = make_client()
    client.login(zaanstad)
    listing = client.get("/kandidaten/regio").get_data(as_text=True)
    assert "Farid" in listing and "Amina" not in listing
    page = client.get(f"/kandidaten/regio/{other.id}").get_data(as_text=True)
    assert "Farid" in page
    assert "Anderegemeente" not in page and "WESTLANDNOTITIE" not in page  # never the surname or staff notes
    assert client.get(f"/kandidaten/regio/{own.id}").status_code == 404  # own ones are in the full list


def test_asking_the_owner_to_propose_mails_the_owning_account_manager(app, make_client, region):
    zaanstad, westland, _own, other = region
    client = make_client()
    client.login(zaanstad)
    assert client.post_form(f"/kandidaten/regio/{other.id}", {"message": ""}).status_code == 400
    response = client.post_form(f"/kandidaten/regio/{other.id}", {"message": "Voor de bakkerij in Zaandam"})
    assert response.status_code == 302
    with app.app_context():
        mails = db.session.scalars(select(MailMessage).where(MailMessage.recipient == westland.email)).all()
    assert len(mails) == 1 and "Voor de bakkerij in Zaandam" in mails[0].body


def test_wsp_staff_keep_seeing_every_file(login_as, region):
    _zaanstad, _westland, own, other = region
    wsp = login_as("wsp")
    assert wsp.get(f"/kandidaten/beheer/{own.id}").status_code == 200
    assert wsp.get(f"/kandidaten/beheer/{other.id}").status_code == 200


def test_the_search_page_shows_full_files_of_the_own_municipality_only(make_client, region):
    zaanstad, westland, _own, _other = region
    client = make_client()
    client.login(zaanstad)
    page = client.get("/zoeken").get_data(as_text=True)
    assert "Eigengemeente" in page and "Anderegemeente" not in page
    asked = client.get("/zoeken?municipality=Westland").get_data(as_text=True)
    assert "Anderegemeente" not in asked


def test_an_account_manager_cannot_file_a_candidate_in_another_municipality(app, region):
    from portal.candidates import operations
    from portal.core.errors import DomainError

    zaanstad, _westland, own, _other = region
    with app.test_request_context():
        from portal.accounts.models import User
        from portal.candidates.models import Candidate

        actor = db.session.get(User, zaanstad.id)
        with pytest.raises(DomainError):
            operations.update_candidate(db.session.get(Candidate, own.id), actor, fields={"municipality": "Westland"})
