"""WSP staff approve employer organisations and invite employer contacts and colleagues."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.accounts import operations
from portal.accounts.forms import InvitationForm, ReviewOrganisationForm
from portal.accounts.models import Invitation, Organisation, OrganisationStatus
from portal.core import db
from portal.core.access import access, get_visible_or_404
from portal.core.errors import DomainError
from portal.core.roles import Role
from portal.core.validators import parse_id
from portal.core.views import render_form, show_domain_error
from portal.home.panels import panel

bp = Blueprint("wsp", __name__, url_prefix="/wsp")

INVITABLE = {
    Role.ADMIN: [Role.EMPLOYER, Role.ACCOUNT_MANAGER, Role.WSP, Role.ADMIN, Role.POLICY_OFFICER],
    Role.WSP: [Role.EMPLOYER, Role.ACCOUNT_MANAGER, Role.WSP],
}


@bp.route("/organisaties")
@access(Role.WSP, Role.ADMIN)
def organisations():
    status = request.args.get("status", "")
    query = select(Organisation).order_by(Organisation.status != OrganisationStatus.PENDING, Organisation.name)
    if status in {s.value for s in OrganisationStatus}:
        query = query.where(Organisation.status == status)
    return render_template(
        "wsp/organisations.html", organisations=db.session.scalars(query).all(), status=status,
        statuses=list(OrganisationStatus),
    )


@bp.route("/organisaties/<int:organisation_id>", methods=["GET", "POST"])
@access(Role.WSP, Role.ADMIN)
def organisation_detail(organisation_id: int):
    organisation = get_visible_or_404(Organisation, organisation_id)
    form = ReviewOrganisationForm()
    if form.validate_on_submit():
        try:
            operations.review_organisation(
                organisation, current_user, approve=form.decision.data == "approve", note=form.note.data or ""
            )
        except DomainError as exc:
            show_domain_error(form, exc)
            return render_form("wsp/organisation_detail.html", form, organisation=organisation)
        flash(_("Organisatie %(name)s is %(status)s.", name=organisation.name, status=organisation.status.label.lower()), "success")
        if operations.first_user_invitation_defaults(organisation) is not None:
            # approved, nobody of the organisation can log in yet: invite its first user now
            return redirect(url_for("wsp.invitations", organisation_id=organisation.id))
        return redirect(url_for("wsp.organisations"))
    return render_form("wsp/organisation_detail.html", form, organisation=organisation)


@bp.route("/uitnodigingen", methods=["GET", "POST"])
@access(Role.WSP, Role.ADMIN)
def invitations():
    organisations = db.session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.status != OrganisationStatus.REJECTED).order_by(Organisation.name)
    ).all()
    form = InvitationForm(roles=INVITABLE[current_user.role], organisations=[(o.id, o.name) for o in organisations])
    first_for = None
    chosen_id = parse_id(request.args.get("organisation_id", ""))
    if request.method == "GET" and chosen_id is not None and any(o.id == chosen_id for o in organisations):
        form.organisation_id.data = chosen_id
        form.role.data = Role.EMPLOYER.value
        chosen = db.session.get(Organisation, chosen_id)
        defaults = operations.first_user_invitation_defaults(chosen)
        if defaults is not None:
            first_for = chosen
            form.email.data, form.name.data = defaults["email"], defaults["name"]
    recent = db.session.scalars(select(Invitation).order_by(Invitation.created_at.desc()).limit(50)).all()
    if form.validate_on_submit():
        organisation = db.session.get(Organisation, form.organisation_id.data) if form.organisation_id.data else None
        try:
            operations.invite(
                current_user, email=form.email.data, role=Role(form.role.data), name=form.name.data or "",
                organisation=organisation,
            )
        except DomainError as exc:
            show_domain_error(form, exc)
            return render_form("wsp/invitations.html", form, invitations=recent, first_for=None)
        flash(_("Uitnodiging verstuurd naar %(email)s.", email=form.email.data), "success")
        return redirect(url_for("wsp.invitations"))
    return render_form("wsp/invitations.html", form, invitations=recent, first_for=first_for)


@bp.route("/mijn-organisatie")
@access(Role.EMPLOYER)
def own_organisation():
    """An employer sees its own organisation and its status; never another's."""
    return render_template("wsp/own_organisation.html", organisation=current_user.organisation)


@panel(Role.EMPLOYER, order=10)
def _organisation_status(user):
    return "home/panel_pending_organisation.html", {"organisation": user.organisation}


@panel(Role.WSP, order=10)
def _pending_reviews(user):
    pending = db.session.scalars(
        select(Organisation).where(Organisation.status == OrganisationStatus.PENDING).order_by(Organisation.created_at)
    ).all()
    return "home/panel_pending_reviews.html", {"pending": pending}
