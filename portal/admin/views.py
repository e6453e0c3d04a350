"""Admins manage users and read the audit log and the mail log."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from portal.accounts import operations
from portal.accounts.forms import UserEditForm
from portal.accounts.models import User
from portal.core import db
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


@bp.route("/audit")
@access(Role.ADMIN)
def audit_log():
    action = request.args.get("action", "")[:64]
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action == action)
    actions = db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)).all()
    return render_template("admin/audit.html", page=paginate(query, per_page=50), action=action, actions=actions)


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
