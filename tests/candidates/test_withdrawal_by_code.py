"""Withdrawal by the candidate with the code on the sheet: no account, at once, rate-limited, leaks nothing."""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from portal.candidates.models import Candidate, Consent
from portal.core import db
from portal.core.audit import AuditEntry
from portal.core.mail import MailMessage
from tests.conftest import CSRF_RE, both_databases

pytestmark = both_databases


def html(response) -> str:
    return response.get_data(as_text=True)


def _consent_with_code(app, cf, login_as, *, language="ar", **fields):
    candidate = cf.candidate(published=True, **fields)
    manager = login_as("account_manager")
    with app.test_request_context():
        from portal.candidates.withdrawal import issue_code

        consent = db.session.get(Candidate, candidate.id).valid_consent
        consent.text_language = language
        code = issue_code(consent, None)
        db.commit()
    return candidate, manager, code


def _confirm(client, code, **extra):
    page = html(client.get(f"/toestemming-stoppen?code={code}"))
    token = CSRF_RE.search(page).group(1)
    data = {"csrf_token": token, "code": code, "step": "confirm", **extra}
    taal = re.search(r'name="taal" type="hidden" value="([^"]*)"', page)
    if taal:
        data.setdefault("taal", taal.group(1))
    return client.post("/toestemming-stoppen", data=data)


def test_the_code_is_stored_only_as_a_keyed_hash(app, cf, login_as):
    candidate, _manager, code = _consent_with_code(app, cf, login_as)
    with app.app_context():
        consent = db.session.get(Candidate, candidate.id).valid_consent
        row = " ".join(str(v) for v in db.session.execute(select(Consent.__table__).where(Consent.id == consent.id)).one())
        import hashlib

        plain = code.replace("-", "")
        assert plain not in row and code not in row
        assert consent.withdrawal_code_hash != hashlib.sha256(plain.encode()).hexdigest()  # keyed, not a bare hash


def test_the_code_withdraws_at_once_and_the_account_manager_is_mailed(app, cf, login_as, client, employer_client):
    candidate, _manager, code = _consent_with_code(app, cf, login_as, first_name="Samira", surname="Verborgen")
    employer = employer_client()
    assert "Samira" in html(employer.get("/kandidaten"))

    page = html(client.get(f"/toestemming-stoppen?code={code.lower().replace('-', ' ')}"))  # typed loosely
    assert "data-withdraw-confirm" in page and "Samira" in page and 'lang="ar" dir="rtl"' in page
    response = _confirm(client, code)
    assert response.status_code == 200 and "data-withdraw-done" in html(response)

    assert "Samira" not in html(employer.get("/kandidaten"))
    assert employer.get(f"/kandidaten/{candidate.id}").status_code == 404
    with app.app_context():
        fresh = db.session.get(Candidate, candidate.id)
        assert fresh.valid_consent is None and fresh.status.value != "published"
        consent = fresh.consents[0]
        assert consent.withdrawn_at is not None and consent.withdrawn_by_id is None
        assert consent.withdrawal_code_hash is None  # the code cannot be used twice
        actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == consent.id)))
        assert {"consent.withdrawn", "consent.withdrawn_with_code"} <= actions
        mail = db.session.scalars(select(MailMessage).where(MailMessage.template == "consent_withdrawn_by_candidate")).one()
        assert mail.recipient == fresh.owner.email
        assert "Verborgen" not in mail.body and f"/kandidaten/beheer/{candidate.id}" in mail.body
    # The same code again: unknown (nothing about the candidate).
    again = html(client.get(f"/toestemming-stoppen?code={code}"))
    assert "Samira" not in again and "data-withdraw-confirm" not in again


def test_withdrawal_by_code_deletes_the_video_like_the_account_manager_would(app, cf, login_as, client):
    from portal.candidates import video
    from tests.video.access import ready_video

    candidate, _manager, code = _consent_with_code(app, cf, login_as)
    ready_video(app, candidate.id)
    _confirm(client, code)
    with app.app_context():
        assert video.profile_of(candidate.id) is None


def test_the_page_reveals_nothing_but_the_first_name(app, cf, login_as, client):
    candidate, _manager, code = _consent_with_code(
        app, cf, login_as, language="nl", first_name="Nadia", surname="Achternaamgeheim", municipality="Edam-Volendam",
        date_of_birth=dt.date(1987, 3, 14), ambitions="Ik wil timmerman worden", support_needs="GEHEIM")
    pages = [html(client.get(f"/toestemming-stoppen?code={code}"))]
    confirm = pages[0]
    assert "Nadia" in confirm
    pages.append(html(client.get("/toestemming-stoppen?code=AAAA-BBBB")))
    for page in pages:
        for secret in ("Achternaamgeheim", "Edam-Volendam", "1987", "14-03", "timmerman", "GEHEIM",
                       f"/kandidaten/beheer/{candidate.id}", "Zaanstad"):
            assert secret not in page
    assert "Nadia" not in pages[1]


def test_wrong_codes_are_rate_limited_per_address(app, cf, login_as, make_client):
    candidate, _manager, code = _consent_with_code(app, cf, login_as)
    app.config["WITHDRAWAL_ATTEMPTS_PER_IP"] = 3
    guesser = make_client()
    env = {"REMOTE_ADDR": "192.0.2.7"}
    for guess in ("AAAA-AAAA", "BBBB-BBBB", "CCCC-CCCC"):
        assert "data-withdraw-confirm" not in html(guesser.get(f"/toestemming-stoppen?code={guess}", environ_base=env))
    refused = guesser.get(f"/toestemming-stoppen?code={code}", environ_base=env)
    assert refused.status_code == 429 and "data-withdraw-confirm" not in html(refused)
    # Another address is not blocked by this one's guesses.
    other = make_client().get(f"/toestemming-stoppen?code={code}", environ_base={"REMOTE_ADDR": "198.51.100.9"})
    assert other.status_code == 200 and "data-withdraw-confirm" in html(other)
    with app.app_context():
        assert db.session.get(Candidate, candidate.id).valid_consent is not None


def test_one_code_is_rate_limited_across_addresses(app, cf, login_as, make_client):
    _candidate, _manager, code = _consent_with_code(app, cf, login_as)
    app.config["WITHDRAWAL_ATTEMPTS_PER_CODE"] = 2
    statuses = [make_client().get(f"/toestemming-stoppen?code={code}", environ_base={"REMOTE_ADDR": f"203.0.113.{i}"}).status_code
                for i in range(3)]
    assert statuses == [200, 200, 429]


def test_withdrawal_needs_the_csrf_token(app, cf, login_as, client):
    candidate, _manager, code = _consent_with_code(app, cf, login_as)
    response = client.post("/toestemming-stoppen", data={"code": code, "step": "confirm", "taal": "nl"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Candidate, candidate.id).valid_consent is not None


def test_hostile_input_never_gives_a_server_error(client):
    for url in ("/toestemming-stoppen?code=" + "A" * 5000, "/toestemming-stoppen?code=%00%ff", "/toestemming-stoppen?taal=../../x",
                "/toestemming-stoppen?code=ABCD-EFGH&taal=zz"):
        assert client.get(url).status_code < 500
    token = CSRF_RE.search(html(client.get("/toestemming-stoppen"))).group(1)
    for data in ({"code": "x" * 100}, {"code": "", "step": "confirm"}, {"code": "ABCD-EFGH", "step": "weird"}):
        assert client.post("/toestemming-stoppen", data={"csrf_token": token, **data}).status_code < 500


def test_every_language_has_its_page(client):
    from portal.candidates import consent_text as texts

    for code in texts.LANGUAGES:
        page = html(client.get(f"/toestemming-stoppen?taal={code}"))
        labels = texts.sheet_labels(code)
        assert f'lang="{code}" dir="{labels.dir}"' in page and labels["page_intro"] in page


def test_attempts_are_forgotten_after_a_day(app, client):
    from portal.candidates.withdrawal import forget_old_attempts
    from portal.candidates.withdrawal_models import WithdrawalAttempt

    client.get("/toestemming-stoppen?code=AAAA-BBBB")
    with app.app_context():
        assert db.session.scalar(select(WithdrawalAttempt.ip_address)) is not None
        for row in db.session.scalars(select(WithdrawalAttempt)):
            row.at = db.utcnow() - dt.timedelta(days=2)
        forget_old_attempts()
        db.commit()
        assert db.session.scalars(select(WithdrawalAttempt)).first() is None
