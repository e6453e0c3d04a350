"""Logging in and out, throttling, CSRF, and landing on the right start page."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.accounts.models import LoginAttempt, User
from portal.core import db

START_PAGES = {"employer": "/werkgever", "account_manager": "/accountmanager", "wsp": "/wsp", "admin": "/beheer"}


@pytest.mark.parametrize("role", sorted(START_PAGES))
def test_each_role_lands_on_its_own_start_page(factory, client, role):
    user = factory.user(role)
    response = client.post_form("/login", {"email": user.email, "password": factory.password}, follow_redirects=True)
    assert response.status_code == 200
    assert response.request.path == START_PAGES[role]
    assert user.name in response.get_data(as_text=True)


def test_email_is_case_insensitive_on_login(factory, client):
    user = factory.user("wsp", email="Pieter.Jansen@Example.nl")
    assert user.email == "pieter.jansen@example.nl"
    response = client.post_form("/login", {"email": "PIETER.jansen@example.NL", "password": factory.password})
    assert response.status_code == 302


@pytest.mark.parametrize("email,password", [("known", "wrong password"), ("nobody@example.nl", "whatever it is")])
def test_wrong_password_or_unknown_email_gives_the_same_message(factory, client, email, password):
    user = factory.user("wsp")
    response = client.post_form("/login", {"email": user.email if email == "known" else email, "password": password})
    assert response.status_code == 400
    assert "Onjuist e-mailadres of wachtwoord." in response.get_data(as_text=True)
    assert client.get("/wsp").status_code == 302  # still not logged in


def test_failed_attempts_are_recorded_and_then_throttled(app, factory, client):
    user = factory.user("admin")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert client.post_form("/login", {"email": user.email, "password": "nope nope"}).status_code == 400
    with app.app_context():
        failures = db.session.scalar(select(func.count(LoginAttempt.id)).where(LoginAttempt.email == user.email))
    assert failures == app.config["LOGIN_MAX_FAILURES"]
    # Even the right password is refused while throttled.
    response = client.post_form("/login", {"email": user.email, "password": factory.password})
    assert response.status_code == 429
    assert "Te veel mislukte pogingen" in response.get_data(as_text=True)


def test_inactive_account_cannot_log_in(factory, client):
    user = factory.user("account_manager", active=False)
    assert client.post_form("/login", {"email": user.email, "password": factory.password}).status_code == 400


def test_login_without_csrf_token_is_refused_and_changes_nothing(app, factory, client):
    user = factory.user("admin")
    response = client.post("/login", data={"email": user.email, "password": factory.password})
    assert response.status_code == 400
    assert "Formulier verlopen" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(LoginAttempt.id))) == 0
        assert db.session.get(User, user.id).last_login_at is None


def test_login_records_last_login_and_logout_ends_the_session(app, factory, client):
    user = factory.user("wsp")
    client.login(user)
    with app.app_context():
        assert db.session.get(User, user.id).last_login_at is not None
    assert client.get("/wsp").status_code == 200
    assert client.logout().status_code == 302
    assert client.get("/wsp").status_code == 302


def test_next_parameter_is_followed_only_within_the_site(factory, client):
    user = factory.user("admin")
    response = client.post_form("/login", {"email": user.email, "password": factory.password, "next": "https://evil.example/x"})
    assert response.headers["Location"] == "/"
    client.logout()
    response = client.post_form("/login", {"email": user.email, "password": factory.password, "next": "/beheer/audit"})
    assert response.headers["Location"] == "/beheer/audit"


def test_changing_the_password_ends_other_sessions(factory, make_client):
    user = factory.user("account_manager")
    first, second = make_client(), make_client()
    first.login(user)
    second.login(user)
    response = first.post_form("/account", {"current_password": factory.password, "password": "a brand new passphrase",
                                            "password_repeat": "a brand new passphrase"})
    assert response.status_code == 302
    assert first.get("/accountmanager").status_code == 200
    assert second.get("/accountmanager").status_code == 302  # the other session is gone


def test_employer_cannot_open_staff_pages(login_as):
    employer = login_as("employer")
    assert employer.get("/wsp/organisaties").status_code == 403
    assert employer.get("/beheer/gebruikers").status_code == 403
