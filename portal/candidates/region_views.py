"""Matching across the region: an account manager sees other municipalities' published candidates
as the employer-level profile (never the full file) and can ask the owning account manager to propose.

A candidate's file belongs to their own municipality (purpose limitation); one labour-market region
shares one WSP and one portal, so for matching an account manager may see what an approved employer
would see, and the owner decides. Routes: /kandidaten/regio (list) and /kandidaten/regio/<id>
(profile and the "ask the owner" form; the owner gets a mail, the request is audited).
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from portal.candidates.models import Candidate
from portal.candidates.profile import employer_profile
from portal.candidates.visibility import region_clause
from portal.core import audit, db, navigation
from portal.core.access import access
from portal.core.i18n import ui_locale
from portal.core.mail import queue_mail
from portal.core.pagination import paginate
from portal.core.roles import Role
from portal.core.urls import external_url
from portal.core.validators import NoControlCharacters, strip_filter
from portal.core.views import render_form

bp = Blueprint("region", __name__, url_prefix="/kandidaten/regio")

navigation.nav_item("region.index", _l("Kandidaten in de regio"), {Role.ACCOUNT_MANAGER}, order=21)


class AskOwnerForm(FlaskForm):
    message = TextAreaField(_l("Uw vraag aan de accountmanager"), filters=[strip_filter],
                            validators=[InputRequired(_l("Schrijf kort voor welke plek of werkgever.")),
                                        Length(max=1000), NoControlCharacters()],
                            description=_l("Bijvoorbeeld voor welke werkgever of vacature u deze kandidaat wilt voordragen."))


def _region_candidate_or_404(candidate_id: int) -> Candidate:
    candidate = db.session.scalar(select(Candidate).where(Candidate.id == candidate_id, region_clause(current_user)))
    if candidate is None:
        abort(404)
    return candidate


def _profile(candidate: Candidate) -> dict:
    profile = dict(employer_profile(candidate, ui_locale()))
    profile["video"] = None  # playback stays with the owner's municipality and the employers in scope
    return profile


@bp.route("")
@access(Role.ACCOUNT_MANAGER)
def index():
    query = select(Candidate).where(region_clause(current_user)).order_by(Candidate.published_at.desc(), Candidate.id.desc())
    page = paginate(query, per_page=24)
    return render_template("region/index.html", page=page, cards=[_profile(c) for c in page.items])


@bp.route("/<int:region_candidate_id>", methods=["GET", "POST"])
@access(Role.ACCOUNT_MANAGER)
def detail(region_candidate_id: int):
    candidate = _region_candidate_or_404(region_candidate_id)
    form = AskOwnerForm()
    if form.validate_on_submit():
        owner = candidate.owner
        if owner is not None and owner.active:
            queue_mail(owner.email, "region_proposal_request", locale=owner.locale, owner=owner, asker=current_user,
                       first_name=candidate.first_name, message=form.message.data,
                       link=external_url("candidates.detail", candidate_id=candidate.id))
        audit.record("candidate.proposal_requested", candidate, municipality=current_user.municipality)
        flash(_("Uw vraag is naar de accountmanager van deze kandidaat gestuurd."), "success")
        return redirect(url_for("region.detail", region_candidate_id=candidate.id))
    return render_form("region/detail.html", form, profile=_profile(candidate), municipality=candidate.municipality)
