"""Admin pages for API clients: list, create (the key is shown once), revoke."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from portal.accounts.models import Organisation, OrganisationStatus
from portal.api import operations
from portal.api.forms import ClientForm, RevokeForm
from portal.api.models import ApiClient
from portal.core import db, navigation
from portal.core.access import access
from portal.core.errors import DomainError
from portal.core.pagination import paginate
from portal.core.roles import Role
from portal.core.views import render_form, show_domain_error

bp = Blueprint("api_clients", __name__, url_prefix="/beheer/api-clients")

navigation.nav_item("api_clients.client_list", _l("API-clients"), {Role.ADMIN}, order=94)


def _organisations() -> list[tuple[int, str]]:
    rows = db.session.execute(select(Organisation.id, Organisation.name)
                              .where(Organisation.status == OrganisationStatus.APPROVED).order_by(Organisation.name)).all()
    return [(r.id, r.name) for r in rows]


def end_of_day(day: dt.date) -> dt.datetime:
    tz = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Amsterdam"))
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=tz).astimezone(dt.timezone.utc)


@bp.route("")
@access(Role.ADMIN)
def client_list():
    query = select(ApiClient).order_by(ApiClient.created_at.desc(), ApiClient.id.desc())
    return render_template("api/clients.html", page=paginate(query, per_page=50), revoke_form=RevokeForm())


@bp.route("/nieuw", methods=["GET", "POST"])
@access(Role.ADMIN)
def create():
    form = ClientForm(organisations=_organisations())
    if form.validate_on_submit():
        organisation = db.session.get(Organisation, int(form.organisation_id.data)) if form.organisation_id.data else None
        try:
            client, key = operations.create_client(
                current_user, name=form.name.data, organisation=organisation, scopes=form.scopes.data or [],
                expires_at=end_of_day(form.expires_on.data),
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            # Shown once, on this response only (never stored, never in a redirect or the session).
            return render_template("api/client_created.html", client=client, key=key)
    return render_form("api/client_form.html", form)


@bp.route("/<int:client_id>/intrekken", methods=["POST"])
@access(Role.ADMIN)
def revoke(client_id: int):
    client = db.session.get(ApiClient, client_id) or abort(404)
    if not RevokeForm().validate_on_submit():
        abort(400)
    operations.revoke_client(client, current_user)
    flash(_("De sleutel van %(name)s is ingetrokken; hij werkt vanaf nu niet meer.", name=client.name), "success")
    return redirect(url_for("api_clients.client_list"))
