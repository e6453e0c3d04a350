"""Erasure reaches the traces a candidate leaves outside their own rows (DESIGN.md §5).

Registered as an `on_candidate_erased` hook, inside the erasing transaction:
- the mail log: every message that names the candidate (full name, "First S." as employers see it,
  or the surname) has those names replaced in its subject, body and attachments (.ics files);
  the first name alone is replaced in those same messages;
- background jobs: queued or failed jobs whose payload refers to the candidate (or its video) are
  deleted, and any job payload or error text naming the candidate is emptied (finished jobs
  keep no payload at all, see portal.core.jobs);
- the audit log: entries about the candidate keep who did what and when, but lose their details;
  any other entry whose details name the candidate has those values redacted.
The rendered cards and profiles kept in memory are dropped once the erasure has committed
(portal.core.fragments.forget_all; other processes' copies expire within minutes).
The database's free pages are covered in portal.core.db (SQLite: `secure_delete` and a WAL
checkpoint after the erasing commit; PostgreSQL: VACUUM, see .github/SECURITY.md).
"""
from __future__ import annotations

import base64
import json
import re
from typing import Any

from sqlalchemy import select

from portal.candidates.hooks import on_candidate_erased
from portal.core import db, fragments

REDACTED = "[verwijderd]"


def _names(candidate: Any) -> tuple[list[str], str]:
    first = (candidate.first_name or "").strip()
    surname = (candidate.surname or "").strip()
    strong = [n for n in {f"{first} {surname}".strip(), f"{first} {surname[:1]}.".strip() if surname else "",
                          surname if len(surname) >= 3 else ""} if n]
    return sorted(strong, key=len, reverse=True), first


def _pattern(names: list[str]) -> re.Pattern[str] | None:
    names = [n for n in names if n]
    if not names:
        return None
    return re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in sorted(names, key=len, reverse=True)),
                      re.IGNORECASE)


def _redact_text(text: str | None, strong: re.Pattern[str] | None, weak: re.Pattern[str] | None) -> tuple[str | None, bool]:
    if not text or strong is None or not strong.search(text):
        return text, False
    text = strong.sub(REDACTED, text)
    if weak is not None:
        text = weak.sub(REDACTED, text)
    return text, True


def _redact_mail(strong: re.Pattern[str] | None, weak: re.Pattern[str] | None) -> None:
    from portal.core.mail import MailMessage

    for message in db.session.scalars(select(MailMessage)):
        subject, hit_subject = _redact_text(message.subject, strong, weak)
        body, hit_body = _redact_text(message.body, strong, weak)
        attachments, hit_attachment = [], False
        for attachment in message.attachments or []:
            try:
                content = base64.b64decode(attachment.get("data", "")).decode("utf-8")
            except (ValueError, UnicodeDecodeError):
                attachments.append(attachment)
                continue
            # iCalendar folds long lines (CRLF + space): unfold before looking for the name
            unfolded = re.sub(r"\r?\n[ \t]", "", content)
            redacted, hit = _redact_text(unfolded, strong, weak)
            if hit:
                hit_attachment = True
                attachment = {**attachment, "data": base64.b64encode(redacted.encode()).decode()}
            attachments.append(attachment)
        if hit_subject or hit_body or hit_attachment:
            if weak is not None:  # the first name alone, only in messages that name this candidate
                subject = weak.sub(REDACTED, subject or "")
                body = weak.sub(REDACTED, body or "")
            message.subject, message.body, message.attachments = subject, body, attachments


def _mentions(value: Any, strong: re.Pattern[str] | None) -> bool:
    return strong is not None and bool(strong.search(json.dumps(value, ensure_ascii=False, default=str)))


def _refers_to(payload: dict[str, Any], candidate_id: int, video_ids: set[int]) -> bool:
    return payload.get("candidate_id") == candidate_id or payload.get("video_id") in video_ids


def _clean_jobs(candidate_id: int, video_ids: set[int], strong: re.Pattern[str] | None) -> None:
    from portal.core.jobs import Job

    for job in db.session.scalars(select(Job)):
        payload = job.payload or {}
        if job.state in ("queued", "failed") and _refers_to(payload, candidate_id, video_ids):
            if job.name.endswith("purge") or "purge" in job.name:
                continue  # the deletion of its stored media must still run
            db.session.delete(job)
            continue
        if _mentions(payload, strong):
            job.payload = {}
        if job.last_error and strong is not None and strong.search(job.last_error):
            job.last_error = REDACTED


def _redact_details(details: Any, strong: re.Pattern[str] | None) -> Any:
    if isinstance(details, dict):
        return {k: _redact_details(v, strong) for k, v in details.items()}
    if isinstance(details, list):
        return [_redact_details(v, strong) for v in details]
    if isinstance(details, str) and strong is not None:
        return strong.sub(REDACTED, details)
    return details


def _clean_audit(candidate_id: int, strong: re.Pattern[str] | None) -> None:
    from portal.core.audit import AuditEntry

    for entry in db.session.scalars(select(AuditEntry)):
        about = entry.object_type == "candidates" and entry.object_id == candidate_id
        if about:
            entry.details = {}
        elif (entry.details or {}).get("candidate_id") == candidate_id or _mentions(entry.details, strong):
            entry.details = _redact_details(entry.details, strong)


@on_candidate_erased
def erase_traces(candidate: Any) -> None:
    from portal.candidates.video_models import VideoProfile

    strong_names, first = _names(candidate)
    strong, weak = _pattern(strong_names), _pattern([first] if len(first) >= 2 else [])
    video_ids = set(db.session.scalars(select(VideoProfile.id).where(VideoProfile.candidate_id == candidate.id)))
    _redact_mail(strong, weak)
    _clean_jobs(candidate.id, video_ids, strong)
    _clean_audit(candidate.id, strong)
    db.after_commit(db.checkpoint_free_pages)
    db.after_commit(fragments.forget_all)
