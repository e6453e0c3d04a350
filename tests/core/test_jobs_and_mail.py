"""Background jobs and mail are written in the request's transaction: kept on commit, gone on rollback."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.core import db, jobs
from portal.core.mail import Attachment, MailMessage, queue_mail

CALLS: list[dict] = []


@jobs.handler("test.record")
def _record(**payload):
    CALLS.append(payload)
    if payload.get("fail_times", 0) > len([c for c in CALLS if c.get("key") == payload.get("key")]) - 1:
        raise RuntimeError("temporary failure")


@pytest.fixture(autouse=True)
def _clear_calls():
    CALLS.clear()


def test_a_job_runs_after_commit_and_not_after_rollback(app):
    with app.app_context():
        jobs.enqueue("test.record", key="kept")
        db.commit()
        jobs.enqueue("test.record", key="dropped")
        db.rollback()
        assert jobs.run_pending() == 1
    assert CALLS == [{"key": "kept"}]


def test_a_failing_job_is_retried_later_and_then_done(app):
    with app.app_context():
        job = jobs.enqueue("test.record", key="flaky", fail_times=1)
        db.commit()
        jobs.run_pending()
        job = db.session.get(jobs.Job, job.id)
        assert (job.state, job.attempts) == ("queued", 1)
        assert "temporary failure" in job.last_error
        job.run_after = db.utcnow()  # skip the back-off
        db.commit()
        jobs.run_pending()
        assert db.session.get(jobs.Job, job.id).state == "done"


def test_unknown_job_name_is_refused(app):
    with app.app_context(), pytest.raises(KeyError):
        jobs.enqueue("no.such.job")


def _queue_invitation_mail(**kwargs):
    return queue_mail("ontvanger@example.nl", "organisation_registered",
                      organisation=type("Org", (), {"name": "Bakkerij, De Korenaar; Zaandam", "kvk_number": "12345678", "municipality": "Zaanstad"})(),
                      link="http://portal.test/x", **kwargs)


def test_mail_log_backend_keeps_the_message_for_admins(app, login_as):
    with app.app_context():
        message = _queue_invitation_mail()
        db.commit()
        assert db.session.get(MailMessage, message.id).state == "logged"
    admin = login_as("admin")
    page = admin.get("/beheer/mail").get_data(as_text=True)
    assert "Nieuwe aanmelding: Bakkerij, De Korenaar; Zaandam" in page
    assert admin.get(f"/beheer/mail/{message.id}").status_code == 200


def test_mail_is_not_sent_when_the_transaction_rolls_back(app):
    with app.app_context():
        _queue_invitation_mail()
        db.rollback()
        assert db.session.scalar(select(func.count(MailMessage.id))) == 0


@pytest.mark.smtp
def test_smtp_backend_delivers_with_attachment(app, smtp_server):
    app.config.update(MAIL_BACKEND="smtp", SMTP_HOST=smtp_server.host, SMTP_PORT=smtp_server.port)
    smtp_server.clear()
    ics = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    with app.app_context():
        message = _queue_invitation_mail(attachments=(Attachment("uitnodiging.ics", "text/calendar; method=REQUEST", ics),))
        db.commit()
        assert db.session.get(MailMessage, message.id).state == "sent"
    received = smtp_server.wait_for(lambda m: m["To"] == "ontvanger@example.nl")
    assert received["Subject"] == "Nieuwe aanmelding: Bakkerij, De Korenaar; Zaandam"
    parts = [p for p in received.iter_attachments()]
    assert parts[0].get_content_type() == "text/calendar"
    assert parts[0].get_param("method") == "REQUEST"
    content = parts[0].get_content()
    assert (content if isinstance(content, str) else content.decode()) == ics.decode()


@pytest.mark.smtp
def test_unreachable_smtp_relay_keeps_the_message_queued_for_retry(app, smtp_server):
    app.config.update(MAIL_BACKEND="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=1, SMTP_TIMEOUT=1.0)
    with app.app_context():
        message = _queue_invitation_mail()
        db.commit()
        stored = db.session.get(MailMessage, message.id)
        assert stored.state == "queued" and "Error" in stored.last_error
        app.config.update(SMTP_HOST=smtp_server.host, SMTP_PORT=smtp_server.port)
        from portal.core.mail import retry_queued_mail

        retry_queued_mail()
        assert db.session.get(MailMessage, message.id).state == "sent"


def test_run_jobs_command_runs_what_is_due(app):
    with app.app_context():
        jobs.enqueue("test.record", key="from-cli")
        db.commit()
    result = app.test_cli_runner().invoke(args=["run-jobs"])
    assert result.exit_code == 0 and "Ran 1 job(s)." in result.output
    assert CALLS == [{"key": "from-cli"}]


def test_send_reminders_refuses_an_unknown_area(app):
    result = app.test_cli_runner().invoke(args=["send-reminders", "--only", "nothing"])
    assert result.exit_code != 0 and "choose from aftercare.digest, casefile.digest, events, meetings" in result.output
