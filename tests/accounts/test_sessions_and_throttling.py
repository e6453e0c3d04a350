"""Sessions end server-side; throttling by account+address, by address and by account, behind proxies."""
from __future__ import annotations

from portal.accounts.models import User
from portal.core import db

OFFICE = {"REMOTE_ADDR": "198.51.100.7"}
ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}


def _copy_session(app, source):
    """A second browser holding a copy of `source`'s session cookie (as a thief would)."""
    thief = app.test_client()
    cookie = source.http.get_cookie("session")
    assert cookie is not None
    thief.set_cookie("session", cookie.value)
    return thief


def test_a_cookie_copied_before_logout_no_longer_works(app, factory, client):
    user = factory.user("wsp")
    client.login(user)
    thief = _copy_session(app, client)
    assert thief.get("/wsp").status_code == 200
    client.logout()
    response = thief.get("/wsp")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_deactivation_and_password_change_end_other_sessions(app, factory, make_client, client):
    admin = factory.user("admin")
    user = factory.user("account_manager")
    first = make_client()
    first.login(user)
    stolen = _copy_session(app, first)
    first.post_form("/account", {"current_password": factory.password, "password": "a brand new passphrase",
                                 "password_repeat": "a brand new passphrase"})
    assert first.get("/accountmanager").status_code == 200  # the browser that changed it stays in
    assert stolen.get("/accountmanager").status_code == 302
    second = make_client()
    second.login(user, password="a brand new passphrase")
    client.login(admin)
    client.post_form(f"/beheer/gebruikers/{user.id}", {"role": "account_manager"})  # active unchecked
    assert second.get("/accountmanager").status_code == 302


def test_an_admin_logs_a_user_out_everywhere(app, factory, make_client, client):
    admin = factory.user("admin")
    user = factory.user("employer")
    browsers = [make_client(), make_client()]
    for browser in browsers:
        browser.login(user)
    client.login(admin)
    response = client.post_form(f"/beheer/gebruikers/{user.id}/overal-uitloggen")
    assert response.status_code == 302
    assert all(browser.get("/werkgever").status_code == 302 for browser in browsers)
    assert client.get("/beheer").status_code == 200  # the admin's own session is untouched
    with app.app_context():
        assert db.session.get(User, user.id).active  # the account itself still works
    browsers[0].login(user)


def test_random_emails_from_one_address_do_not_lock_out_its_known_users(app, factory, make_client):
    colleague = factory.user("account_manager")
    regular = make_client()
    regular.http.environ_base.update(OFFICE)
    regular.login(colleague)  # a known address for this account
    regular.logout()
    attacker = make_client()
    attacker.http.environ_base.update(OFFICE)  # behind the same proxy / office NAT
    for n in range(app.config["LOGIN_MAX_FAILURES_PER_IP"] + 1):
        attacker.post_form("/login", {"email": f"random{n}@example.nl", "password": "guess guess"})
    assert attacker.post_form("/login", {"email": "random-x@example.nl", "password": "guess"}).status_code == 429
    assert regular.post_form("/login", {"email": colleague.email, "password": factory.password}).status_code == 302


def test_five_wrong_tries_from_elsewhere_do_not_lock_the_owner_out(app, factory, make_client):
    owner = factory.user("wsp")
    attacker = make_client()
    attacker.http.environ_base.update(ATTACKER)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        attacker.post_form("/login", {"email": owner.email, "password": "not the password"})
    # The guessing address is refused, even with the right password ...
    assert attacker.post_form("/login", {"email": owner.email, "password": factory.password}).status_code == 429
    # ... the owner at the office is not.
    office = make_client()
    office.http.environ_base.update(OFFICE)
    assert office.post_form("/login", {"email": owner.email, "password": factory.password}).status_code == 302


def test_many_addresses_guessing_one_account_are_stopped(app, factory, make_client):
    app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] = 6
    target = factory.user("admin")
    for n in range(6):
        guesser = make_client()
        guesser.http.environ_base.update({"REMOTE_ADDR": f"192.0.2.{n + 1}"})
        assert guesser.post_form("/login", {"email": target.email, "password": "wrong"}).status_code == 400
    fresh = make_client()
    fresh.http.environ_base.update({"REMOTE_ADDR": "192.0.2.200"})
    assert fresh.post_form("/login", {"email": target.email, "password": factory.password}).status_code == 429
