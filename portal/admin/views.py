"""Admins manage users and read the audit log and the mail log."""
from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from portal.accounts import operations
from portal.accounts.forms import UserEditForm
from portal.accounts.models import User
from portal.core.validators import parse_id
from portal.core import audit, db, labels
from portal.core.access import access
from portal.core.audit import AuditEntry
from portal.core.errors import DomainError
from portal.core.mail import MailMessage
from portal.core.pagination import paginate
from portal.core.roles import Role
from portal.core.views import render_form, show_domain_error
from portal.home.panels import panel

bp = Blueprint("admin", __name__, url_prefix="/beheer")


@bp.route("/gebruikers")
@access(Role.ADMIN)
def users():
    query = select(User).order_by(User.role, func.lower(User.name))
    return render_template("admin/users.html", page=paginate(query, per_page=50))


@bp.route("/gebruikers/<int:user_id>", methods=["GET", "POST"])
@access(Role.ADMIN)
def user_detail(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = UserEditForm(obj=None if request.method == "POST" else user)
    if request.method == "GET":
        form.role.data = user.role.value
    if form.validate_on_submit():
        try:
            operations.update_user(user, current_user, role=Role(form.role.data), active=form.active.data)
        except DomainError as exc:
            show_domain_error(form, exc)
            return render_form("admin/user_detail.html", form, user=user)
        flash(_("Gebruiker bijgewerkt."), "success")
        return redirect(url_for("admin.users"))
    return render_form("admin/user_detail.html", form, user=user)


@bp.route("/gebruikers/<int:user_id>/overal-uitloggen", methods=["POST"])
@access(Role.ADMIN)
def end_user_sessions(user_id: int):
    """Log this user out everywhere (a lost laptop, a shared password): every session ends now."""
    from flask_wtf import FlaskForm

    user = db.session.get(User, user_id) or abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    operations.end_sessions(user, current_user, reason="admin")
    flash(_("Alle sessies van deze gebruiker zijn beëindigd."), "success")
    if user.id == current_user.id:
        return redirect(url_for("accounts.login"))
    return redirect(url_for("admin.user_detail", user_id=user.id))


def _audit_filters() -> tuple[Any, dict[str, Any]]:
    """The audit query with the filters of the request (action, actor, date range); bad input is ignored."""
    args = request.args
    action = args.get("action", "")[:64]
    actor = args.get("actor", "")[:20]
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action == action)
    actor_id = parse_id(actor)  # bounded by MAX_ID: users.id is an INTEGER column (PostgreSQL int4)
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    since = _parse_day(args.get("van"))
    until = _parse_day(args.get("tot"))
    if since:
        query = query.where(AuditEntry.at >= dt.datetime.combine(since, dt.time.min, tzinfo=dt.timezone.utc))
    if until:
        query = query.where(AuditEntry.at < dt.datetime.combine(until, dt.time.min, tzinfo=dt.timezone.utc)
                            + dt.timedelta(days=1))
    return query, {"action": action, "actor": str(actor_id) if actor_id is not None else "",
                   "since": since.isoformat() if since else "", "until": until.isoformat() if until else ""}


def _parse_day(raw: str | None) -> dt.date | None:
    """A day of the audit filter; anything unreadable, or outside the years the log can hold, is ignored."""
    try:
        day = dt.date.fromisoformat((raw or "")[:10]) if raw else None
    except ValueError:
        return None
    return day if day is not None and 2000 <= day.year <= 2999 else None


def _actors(entries: list[AuditEntry]) -> dict[int, User]:
    ids = {e.actor_id for e in entries if e.actor_id}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}


@bp.route("/audit")
@access(Role.ADMIN)
def audit_log():
    query, filters = _audit_filters()
    page = paginate(query, per_page=50)
    codes = db.session.scalars(select(AuditEntry.action).distinct()).all()
    actions = sorted(((code, labels.action_label(code)) for code in codes), key=lambda pair: pair[1].lower())
    actor_ids = select(AuditEntry.actor_id).where(AuditEntry.actor_id.is_not(None)).distinct()
    staff = db.session.scalars(select(User).where(User.id.in_(actor_ids)).order_by(func.lower(User.name))).all()
    return render_template("admin/audit.html", page=page, filters=filters, actions=actions, staff=staff,
                           actors=_actors(page.items), labels=labels)


@bp.route("/audit.csv")
@access(Role.ADMIN)
def audit_export():
    """The filtered audit log as CSV (labels in the page's language, codes alongside for tools)."""
    query, _filters = _audit_filters()
    entries = db.session.scalars(query.limit(50_000)).all()
    actors = _actors(entries)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Tijdstip"), _("Wie"), _("Rol"), _("Actie"), _("Actiecode"), _("Object"), _("Objectnummer"), _("Details")])
    for e in entries:
        actor = actors.get(e.actor_id) if e.actor_id else None
        writer.writerow([
            e.at.replace(tzinfo=dt.UTC).isoformat(timespec="seconds") if e.at.tzinfo is None else e.at.isoformat(timespec="seconds"),
            actor.name if actor else "", labels.role_label(e.actor_role),
            labels.action_label(e.action), e.action, labels.object_label(e.object_type), e.object_id or "",
            "; ".join(f"{k}: {v}" for k, v in labels.detail_rows(e.details)),
        ])
    audit.record("audit.exported", None, rows=len(entries))
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="auditlog.csv"'})


@bp.route("/mail")
@access(Role.ADMIN)
def mail_log():
    query = select(MailMessage).order_by(MailMessage.created_at.desc(), MailMessage.id.desc())
    return render_template("admin/mail_log.html", page=paginate(query, per_page=50))


@bp.route("/mail/<int:message_id>")
@access(Role.ADMIN)
def mail_detail(message_id: int):
    message = db.session.get(MailMessage, message_id) or abort(404)
    return render_template("admin/mail_detail.html", message=message)


@bp.route("/mail/<int:message_id>/bijlage/<int:index>")
@access(Role.ADMIN)
def mail_attachment(message_id: int, index: int):
    message = db.session.get(MailMessage, message_id) or abort(404)
    if not 0 <= index < len(message.attachments):
        abort(404)
    item = message.attachments[index]
    return Response(
        message.attachment_bytes(index), mimetype=item["content_type"].split(";")[0],
        headers={"Content-Disposition": f'attachment; filename="{item["filename"]}"'},
    )


@panel(Role.ADMIN, order=10)
def _overview(user):
    today = db.utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    return "home/panel_admin.html", {
        "users": db.session.scalar(select(func.count(User.id)).where(User.active.is_(True))),
        "mails": db.session.scalar(select(func.count(MailMessage.id))),
        "audit_today": db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.at >= today)),
    }
