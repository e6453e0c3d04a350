"""Login, logout, password reset, invitations, employer self-registration, language choice."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal.accounts import operations
from portal.accounts.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LocaleForm,
    LoginForm,
    RegisterEmployerForm,
    ResetPasswordForm,
)
from portal.accounts import passwords
from portal.core import db
from portal.core.access import AUTHENTICATED, PUBLIC, access
from portal.core.errors import DomainError
from portal.core.views import render_form, safe_next, show_domain_error

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
@access(PUBLIC)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = operations.authenticate(form.email.data, form.password.data, request.remote_addr or "")
        except operations.LoginThrottled as exc:
            form.form_errors.append(exc.message)
            return render_template("accounts/login.html", form=form), 429
        except DomainError as exc:
            db.keep_changes_on_error()  # the failed attempt counts towards throttling
            show_domain_error(form, exc)
            return render_form("accounts/login.html", form)
        session.clear()
        login_user(user)
        session["locale"] = user.locale
        return redirect(safe_next(form.next.data, url_for("home.index")))
    return render_form("accounts/login.html", form)


@bp.route("/logout", methods=["POST"])
@access(AUTHENTICATED)
def logout():
    # Server-side: the session version moves on, so a copy of this cookie no longer works either.
    operations.end_sessions(current_user._get_current_object(), current_user._get_current_object(), reason="logout")
    logout_user()
    session.clear()
    flash(_("U bent uitgelogd."), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@access(PUBLIC)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        try:
            operations.request_password_reset(form.email.data, request.remote_addr or "")
        except operations.ResetThrottled as exc:
            form.form_errors.append(exc.message)
            return render_template("accounts/forgot_password.html", form=form), 429
        flash(_("Als dit adres bij een account hoort, ontvangt u binnen enkele minuten een e-mail met een herstellink."), "success")
        return redirect(url_for("accounts.login"))
    return render_form("accounts/forgot_password.html", form)


@bp.route("/wachtwoord-herstellen/<reset_token>", methods=["GET", "POST"])
@access(PUBLIC)
def reset_password(reset_token: str):
    form = ResetPasswordForm()
    try:
        passwords.read_reset_token(reset_token)
    except passwords.InvalidToken as exc:
        message = _("Deze herstellink is verlopen. Vraag een nieuwe aan.") if exc.expired else _("Deze herstellink is ongeldig of al gebruikt. Vraag een nieuwe aan.")
        return render_template("accounts/token_invalid.html", message=message), 400
    if form.validate_on_submit():
        try:
            operations.reset_password(reset_token, form.password.data)
        except DomainError as exc:
            return render_template("accounts/token_invalid.html", message=exc.message), 400
        flash(_("Uw wachtwoord is gewijzigd. U kunt nu inloggen."), "success")
        return redirect(url_for("accounts.login"))
    return render_form("accounts/reset_password.html", form)


@bp.route("/uitnodiging/<invitation_token>", methods=["GET", "POST"])
@access(PUBLIC)
def accept_invitation(invitation_token: str):
    invitation = operations.find_open_invitation(invitation_token)
    if invitation is None:
        return render_template("accounts/token_invalid.html", message=_("Deze uitnodiging is verlopen of al gebruikt.")), 404
    form = AcceptInvitationForm(name=invitation.name)
    if form.validate_on_submit():
        try:
            user = operations.accept_invitation(invitation, name=form.name.data, password=form.password.data)
        except DomainError as exc:
            show_domain_error(form, exc)
            return render_form("accounts/accept_invitation.html", form, invitation=invitation)
        session.clear()
        login_user(user)
        flash(_("Welkom! Uw account is aangemaakt."), "success")
        return redirect(url_for("home.index"))
    return render_form("accounts/accept_invitation.html", form, invitation=invitation)


@bp.route("/registreren", methods=["GET", "POST"])
@access(PUBLIC)
def register():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = RegisterEmployerForm()
    if form.validate_on_submit():
        fields = form.organisation_fields() | {"contact_name": form.name.data, "contact_email": form.email.data}
        try:
            operations.register_employer(fields, name=form.name.data, email=form.email.data, password=form.password.data)
        except DomainError as exc:
            show_domain_error(form, exc)
            return render_form("accounts/register.html", form)
        # The same answer whether the address or KvK number was known (then a mail says why): not logged in.
        flash(_("Uw aanmelding is ontvangen en wacht op goedkeuring door het Werkgeversservicepunt. U ontvangt een "
                "e-mail; tot de goedkeuring ziet niemand anders uw gegevens. U kunt inloggen met uw e-mailadres en wachtwoord."), "success")
        return redirect(url_for("accounts.login"))
    return render_form("accounts/register.html", form)


@bp.route("/taal", methods=["POST"])
@access(PUBLIC)
def set_language():
    form = LocaleForm()
    if not form.validate_on_submit():
        abort(400)
    session["locale"] = form.locale.data
    if current_user.is_authenticated:
        operations.set_locale(current_user, form.locale.data)
    return redirect(safe_next(form.next.data, url_for("home.index")))


@bp.route("/account", methods=["GET", "POST"])
@access(AUTHENTICATED)
def account():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not passwords.verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("Dit is niet uw huidige wachtwoord."))
            return render_form("accounts/account.html", form)
        operations.set_password(current_user, form.password.data)
        login_user(current_user._get_current_object())  # keep this session valid after the password change
        flash(_("Uw wachtwoord is gewijzigd."), "success")
        return redirect(url_for("accounts.account"))
    return render_form("accounts/account.html", form)
