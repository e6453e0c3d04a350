"""The printable consent sheet (account manager) and the candidate's own withdrawal page (anyone).

    GET  /kandidaten/beheer/<id>/toestemming/blad              one A4 in the consent's language: first
                                                               name, scope, expiry, the text, code + link + QR
    POST /kandidaten/beheer/<id>/toestemming/blad/nieuwe-code  a new code (the old one stops working)
    GET  /toestemming-stoppen[?code=…&taal=…]                  no account: type (or scan) the code
    POST /toestemming-stoppen                                  look up (step=lookup) or withdraw (step=confirm)

The withdrawal page shows nothing of the candidate but the first name, is rate-limited per address
and per code (portal.candidates.withdrawal) and CSRF-protected like every form.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import segno
from babel.dates import format_date
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import HiddenField, StringField
from wtforms.validators import InputRequired, Length

from portal import reference
from portal.candidates import consent_text as texts
from portal.candidates import withdrawal
from portal.candidates.models import Candidate, ConsentScope
from portal.core import db
from portal.core.access import PUBLIC, access, get_visible_or_404
from portal.core.i18n import ui_locale
from portal.core.roles import Role

bp = Blueprint("withdrawal", __name__)

_SESSION_KEY = "consent_sheet_code"


class NewCodeForm(FlaskForm):
    pass


class CodeForm(FlaskForm):
    code = StringField(_l("Code"), validators=[InputRequired(), Length(max=32)])
    taal = HiddenField()
    step = HiddenField(default="lookup")


# -- the sheet ---------------------------------------------------------------------------------

def remember_code_for_sheet(consent: Any) -> str:
    """Issue a code for `consent` and keep it for the next sheet view only (never stored in clear)."""
    code = withdrawal.issue_code(consent, current_user)
    session[_SESSION_KEY] = {"consent_id": consent.id, "code": code}
    return code


def local_date(moment: dt.datetime) -> dt.date:
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Amsterdam"))).date()


def _date_in(day: dt.date, language: str) -> str:
    for locale in (language, {"prs": "fa_AF"}.get(language, ""), "nl"):
        if not locale:
            continue
        try:
            return format_date(day, format="long", locale=locale)
        except Exception:  # noqa: BLE001  (Babel has no data for this locale: try the next)
            continue
    return day.isoformat()


def qr_svg(url: str) -> Markup:
    """An inline SVG QR code (segno): no script, no style attribute, so the CSP allows it."""
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff")
    return Markup(svg)  # noqa: S704  # nosec B704: segno's own SVG markup; the URL is encoded as modules, not text


def withdraw_url(code: str | None, language: str) -> str:
    args: dict[str, Any] = {"taal": language}
    if code:
        args["code"] = code
    return url_for("withdrawal.withdraw", _external=True, **args)


@bp.route("/kandidaten/beheer/<int:candidate_id>/toestemming/blad")
@access(Role.ACCOUNT_MANAGER)
def sheet(candidate_id: int):
    candidate = get_visible_or_404(Candidate, candidate_id, edit=True)
    consent = candidate.valid_consent
    if consent is None:
        flash(_("Er is geen geldige toestemming, dus ook geen afdrukblad."), "error")
        return redirect(url_for("candidates.detail", candidate_id=candidate.id))
    stash = session.pop(_SESSION_KEY, None)
    code = stash["code"] if isinstance(stash, dict) and stash.get("consent_id") == consent.id else None
    language = consent.text_language if consent.text_language in texts.languages(consent.text_version) else "nl"
    labels = texts.sheet_labels(language)
    document = texts.document(consent.text_version, language)
    expires = local_date(consent.expires_at)
    return render_template(
        "candidates/consent_sheet.html", candidate=candidate, consent=consent, labels=labels, document=document,
        code=code, link=withdraw_url(None, language), qr=qr_svg(withdraw_url(code, language)) if code else None,
        expires=_date_in(expires, language), all_employers=consent.scope == ConsentScope.ALL_APPROVED_EMPLOYERS,
        form=NewCodeForm(),
    )


@bp.route("/kandidaten/beheer/<int:candidate_id>/toestemming/blad/nieuwe-code", methods=["POST"])
@access(Role.ACCOUNT_MANAGER)
def new_code(candidate_id: int):
    candidate = get_visible_or_404(Candidate, candidate_id, edit=True)
    if not NewCodeForm().validate_on_submit():
        abort(400)
    consent = candidate.valid_consent
    if consent is None:
        flash(_("Er is geen geldige toestemming, dus ook geen afdrukblad."), "error")
        return redirect(url_for("candidates.detail", candidate_id=candidate.id))
    remember_code_for_sheet(consent)
    flash(_("Er is een nieuwe code gemaakt; de vorige code werkt niet meer."), "success")
    return redirect(url_for("withdrawal.sheet", candidate_id=candidate.id))


# -- the candidate's own page ------------------------------------------------------------------

def _language(value: str | None, fallback: str = "nl") -> str:
    return value if texts.is_known_language(value) else fallback


def _page(language: str, *, state: str, form: CodeForm, first_name: str | None = None, status: int = 200,
          error: str | None = None):
    labels = texts.sheet_labels(language)
    choices = [(code, texts.language_name(code)) for code in texts.LANGUAGES if texts.is_known_language(code)]
    return render_template("candidates/withdraw.html", labels=labels, state=state, form=form, first_name=first_name,
                           error=error, language_choices=choices, language=language), status


@bp.route("/toestemming-stoppen", methods=["GET", "POST"])
@access(PUBLIC)
def withdraw():
    form = CodeForm()
    language = _language(request.values.get("taal"))
    ip = request.remote_addr
    if request.method == "GET":
        raw = request.args.get("code", "")
        if not raw:
            return _page(language, state="start", form=form)
        form.code.data = raw[:32]
        step = "lookup"
    else:
        if not form.validate_on_submit():
            error = texts.sheet_labels(language)["page_not_found"] if not form.csrf_token.errors else None
            return _page(language, state="start", form=form, status=400, error=error)
        raw, step = form.code.data, form.step.data or "lookup"
    try:
        consent = withdrawal.lookup(raw, ip)
    except withdrawal.TooManyAttempts:
        db.keep_changes_on_error()
        return _page(language, state="start", form=form, status=429,
                     error=texts.sheet_labels(language)["page_rate_limited"])
    if consent is None:
        db.keep_changes_on_error()  # the failed look-up counts towards the limits
        return _page(language, state="start", form=form, status=404 if request.method == "POST" else 200,
                     error=texts.sheet_labels(language)["page_not_found"])
    if "taal" not in request.values:
        language = _language(consent.text_language)
    if step == "confirm" and request.method == "POST":
        withdrawal.withdraw_with_code(consent)
        return _page(language, state="done", form=CodeForm(formdata=None))
    form.step.data = "confirm"
    form.taal.data = language
    return _page(language, state="confirm", form=form, first_name=consent.candidate.first_name)


@bp.app_template_global("consent_language_label")
def consent_language_label(code: str | None) -> str:
    code = code or "nl"
    return reference.language(code).label(ui_locale()) if reference.is_language(code) else code
