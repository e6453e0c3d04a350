"""Password reset by an emailed, signed token that expires and works once."""
from __future__ import annotations

import re

from sqlalchemy import select

from portal.core import db
from portal.core.mail import MailMessage


def _reset_link(app, email: str) -> str:
    from portal.core import jobs

    with app.app_context():
        jobs.run_pending()  # the lookup and the mail happen in the background
        message = db.session.scalars(select(MailMessage).where(MailMessage.recipient == email)).one()
    return re.search(r"http://portal\.test(/wachtwoord-herstellen/\S+)", message.body).group(1)


def test_reset_link_sets_a_new_password_once(app, factory, client):
    user = factory.user("wsp")
    response = client.post_form("/wachtwoord-vergeten", {"email": user.email.upper()})
    assert response.status_code == 302
    link = _reset_link(app, user.email)
    assert client.get(link).status_code == 200
    response = client.post_form(link, {"password": "een nieuw lang wachtwoord", "password_repeat": "een nieuw lang wachtwoord"})
    assert response.status_code == 302
    client.login(user, "een nieuw lang wachtwoord")
    client.logout()
    # The same link again: refused, and the password stays as it is.
    response = client.post_form(link, {"password": "nog een ander wachtwoord", "password_repeat": "nog een ander wachtwoord"})
    assert response.status_code == 400
    assert "ongeldig of al gebruikt" in response.get_data(as_text=True)
    client.login(user, "een nieuw lang wachtwoord")


def test_expired_reset_link_is_refused(app, factory, client):
    user = factory.user("admin")
    client.post_form("/wachtwoord-vergeten", {"email": user.email})
    link = _reset_link(app, user.email)
    app.config["PASSWORD_RESET_MAX_AGE_SECONDS"] = -1
    response = client.post_form(link, {"password": "een nieuw lang wachtwoord", "password_repeat": "een nieuw lang wachtwoord"})
    assert response.status_code == 400
    assert "verlopen" in response.get_data(as_text=True)
    client.login(user)  # old password still works


def test_forged_token_is_refused(client):
    response = client.get("/wachtwoord-herstellen/not-a-real-token")
    assert response.status_code == 400


def test_unknown_address_gets_the_same_answer_and_no_mail(app, client):
    response = client.post_form("/wachtwoord-vergeten", {"email": "nobody@example.nl"}, follow_redirects=True)
    assert "Als dit adres bij een account hoort" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(MailMessage)).all() == []


def test_new_password_must_be_long_enough_and_repeated(app, factory, client):
    user = factory.user("wsp")
    client.post_form("/wachtwoord-vergeten", {"email": user.email})
    link = _reset_link(app, user.email)
    response = client.post_form(link, {"password": "kort", "password_repeat": "kort"})
    assert response.status_code == 400
    assert "minstens 10 tekens" in response.get_data(as_text=True)
    response = client.post_form(link, {"password": "een nieuw lang wachtwoord", "password_repeat": "iets anders helemaal"})
    assert "niet gelijk" in response.get_data(as_text=True)
    client.login(user)


def test_unknown_and_known_addresses_get_the_same_answer_and_the_work_is_in_the_background(app, factory, make_client):
    from portal.core.jobs import Job

    user = factory.user("wsp")
    known = make_client().post_form("/wachtwoord-vergeten", {"email": user.email})
    unknown = make_client().post_form("/wachtwoord-vergeten", {"email": "nobody-here@example.nl"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    with app.app_context():
        # no mail yet in either case: both requests only queued the same job
        assert db.session.scalars(select(MailMessage)).all() == []
        assert len(db.session.scalars(select(Job).where(Job.name == "accounts.password_reset_mail")).all()) == 2
    _reset_link(app, user.email)


def test_password_reset_is_rate_limited_per_address_and_per_email(app, factory, make_client):
    user = factory.user("admin")
    client = make_client()
    answers = [client.post_form("/wachtwoord-vergeten", {"email": user.email}).status_code for _ in range(10)]
    assert answers[:5] == [302] * 5 and set(answers[5:]) == {429}
    from portal.core import jobs

    with app.app_context():
        jobs.run_pending()
        sent = db.session.scalars(select(MailMessage).where(MailMessage.recipient == user.email)).all()
    assert len(sent) == app.config["PASSWORD_RESET_MAX_PER_EMAIL"]  # 10 requests, 3 mails
