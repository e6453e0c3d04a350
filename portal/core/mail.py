"""Outgoing mail: every message is a row in the mail log, delivered after commit.

The mail log is also the outbox: a message is written in the same transaction as the change that
causes it, then delivered after commit by the configured backend ("log": nothing leaves the
machine, admins read the mail log page; "smtp": sent through the relay). Failed deliveries stay
queued and are retried by a periodic task, so no message is lost and none is sent for a change
that was rolled back.
"""
from __future__ import annotations

import base64
import datetime as dt
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import JSON, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from portal.core import db, jobs


class MailMessage(db.Base):
    __tablename__ = "mail_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=db.utcnow, index=True)
    recipient: Mapped[str] = mapped_column(String(320), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    template: Mapped[str] = mapped_column(String(120))
    attachments: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(16), default="queued")  # queued, sent, logged, failed
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)

    def attachment_bytes(self, index: int) -> bytes:
        return base64.b64decode(self.attachments[index]["data"])


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


MAX_ATTEMPTS = 8


def queue_mail(
    recipient: str,
    template: str,
    *,
    locale: str = "nl",
    attachments: tuple[Attachment, ...] = (),
    **context: Any,
) -> MailMessage:
    """Render `templates/emails/<template>.txt` in the recipient's language and queue it.

    The template's first line is `Subject: ...`; the rest is the plain-text body.
    """
    with force_locale(locale):
        rendered = render_template(f"emails/{template}.txt", **context).lstrip()
    first, _, body = rendered.partition("\n")
    if not first.startswith("Subject:"):
        raise ValueError(f"mail template {template} must start with 'Subject:'")
    message = MailMessage(
        recipient=recipient,
        subject=first.removeprefix("Subject:").strip(),
        body=body.strip() + "\n",
        template=template,
        attachments=[
            {"filename": a.filename, "content_type": a.content_type, "data": base64.b64encode(a.data).decode()}
            for a in attachments
        ],
    )
    db.session.add(message)
    db.session.flush()
    message_id = message.id
    db.after_commit(lambda: deliver(message_id))
    return message


def build_email(message: MailMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain="werkportaal.local")
    email.set_content(message.body)
    for item in message.attachments:
        maintype, _, subtype = item["content_type"].partition("/")
        params = {}
        if "; " in subtype:  # e.g. text/calendar; method=REQUEST
            subtype, _, raw = subtype.partition("; ")
            params = dict(p.split("=", 1) for p in raw.split("; ") if "=" in p)
        email.add_attachment(
            base64.b64decode(item["data"]), maintype=maintype, subtype=subtype,
            filename=item["filename"], params=params,
        )
    return email


def _send_smtp(email: EmailMessage) -> None:
    cfg = current_app.config
    with smtplib.SMTP(cfg["SMTP_HOST"], int(cfg["SMTP_PORT"]), timeout=float(cfg["SMTP_TIMEOUT"])) as smtp:
        if cfg["SMTP_STARTTLS"]:
            smtp.starttls()
        if cfg["SMTP_USERNAME"]:
            smtp.login(cfg["SMTP_USERNAME"], cfg["SMTP_PASSWORD"])
        smtp.send_message(email)


def deliver(message_id: int) -> None:
    """Deliver one queued message in its own transaction; failures stay queued for a retry."""
    message = db.session.get(MailMessage, message_id)
    if message is None or message.state in ("sent", "logged"):
        return
    message.attempts += 1
    if current_app.config["MAIL_BACKEND"] == "smtp":
        try:
            _send_smtp(build_email(message, current_app.config["MAIL_FROM"]))
        except (OSError, smtplib.SMTPException) as exc:
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            message.state = "failed" if message.attempts >= MAX_ATTEMPTS else "queued"
            current_app.logger.warning("mail %s to %s not delivered: %s", message.id, message.recipient, exc)
            db.session.commit()
            return
        message.state = "sent"
    else:
        message.state = "logged"
        current_app.logger.info("mail logged: to=%s subject=%s", message.recipient, message.subject)
    message.sent_at = db.utcnow()
    message.last_error = None
    db.session.commit()


@jobs.periodic("mail.retry", interval_seconds=60)
def retry_queued_mail() -> None:
    ids = db.session.scalars(
        select(MailMessage.id).where(MailMessage.state == "queued").order_by(MailMessage.id).limit(200)
    ).all()
    for message_id in ids:
        deliver(message_id)


def formatted_address(name: str, email: str) -> str:
    return formataddr((name, email))
