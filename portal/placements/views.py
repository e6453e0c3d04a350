"""Placement pages (Dutch URLs).

Employers:   /plekken (own list), /plekken/nieuw, /plekken/<id>, /plekken/<id>/bewerken,
             /plekken/<id>/controleren (the summary before publishing; its form posts to publiceren),
             POST /plekken/<id>/publiceren|pauzeren|sluiten|heropenen
Staff:       /plekken/aanbod (published placements, filterable, paginated)
Everyone who may see the placement: /plekken/<id> and /plekken/<id>.json

Load → check access (404 for what the user may not see) → validate → domain operation; the request
commits once. An invalid form is rendered with status 400, so nothing is saved.
"""
from __future__ import annotations

from babel.dates import get_day_names
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, selectinload
from wtforms.validators import ValidationError

from portal import reference
from portal.accounts.models import Organisation, OrganisationStatus
from portal.core import availability, db
from portal.core.access import access, get_visible_or_404
from portal.core.errors import DomainError
from portal.core.i18n import ui_locale
from portal.core.navigation import nav_item
from portal.core.pagination import paginate
from portal.core.roles import Role
from portal.core.skill_options import skill_kinds, skill_search_terms
from portal.core.views import render_form, show_domain_error
from portal.home.panels import panel
from portal.placements import demo as _demo  # noqa: F401  (registers the demo data)
from portal.placements import operations
from portal.placements.documents import placement_document
from portal.placements.forms import (
    PlacementFilterForm,
    PublishForm,
    StatusForm,
    build_placement_form,
    level_descriptions,
)
from portal.placements.review import review_version
from portal.placements.models import (
    DUTCH_COLUMNS,
    OFFER_OPTIONS,
    STAFF_VISIBLE_STATUSES,
    SUPPORT_OPTIONS,
    Placement,
    PlacementStatus,
    PlacementType,
)

bp = Blueprint("placements", __name__, url_prefix="/plekken")

STAFF = (Role.ACCOUNT_MANAGER, Role.WSP, Role.ADMIN)
EVERYONE_SIGNED_IN = (Role.EMPLOYER, *STAFF)

nav_item("placements.own_list", _l("Mijn plekken"), {Role.EMPLOYER}, order=20)
nav_item("placements.overview", _l("Plekken"), set(STAFF), order=20)


# --- helpers for the templates ---------------------------------------------------------------

def _form_context(form, placement=None):
    locale = ui_locale()
    return {
        "placement": placement,
        "level_fields": [(getattr(form, name), skill, reference.skill_label(skill, locale), level_descriptions(skill))
                         for name, skill in form.level_fields()],
        "task_levels": {t.code: dict(t.levels) for t in reference.language_tasks()},
        "task_sources": reference.language_task_sources(),
        "skill_search": skill_search_terms(),
        "skill_kinds": skill_kinds(),
        "type_hints": {t.value: t.hint for t in PlacementType},
        "day_labels": availability.DAY_LABELS,
        "day_short": _short_day_names(locale),
        "daypart_labels": availability.DAYPART_LABELS,
    }


def _short_day_names(locale: str) -> dict[str, str]:
    """"ma", "di" … / "Mon", "Tue" … from the locale data (column headers of the daypart grid)."""
    names = get_day_names("abbreviated", locale=locale)
    return {day: names[index] for index, day in enumerate(availability.DAYS)}


def _display_context() -> dict:
    locale = ui_locale()
    return {
        "skill_name": lambda code: reference.skill(code).label(locale) if reference.is_skill(code) else code,
        "language_name": lambda code: reference.language(code).label(locale) if reference.is_language(code) else code,
        "level_label": lambda level: reference.level_label(level, locale),
        "level_code": lambda level: reference.level_code(level, locale),
        "level_description": lambda level, skill: reference.level_description(level, skill, locale),
        "skill_label": lambda skill: reference.skill_label(skill, locale),
        "task_label": lambda code: reference.language_task(code).label(locale) if reference.is_language_task(code) else code,
        "slot_label": availability.slot_label,
        "support_labels": SUPPORT_OPTIONS,
        "offer_labels": OFFER_OPTIONS,
        "language_skills": reference.LANGUAGE_SKILLS,
    }


# --- employer: own list, create, edit, status ------------------------------------------------

@bp.route("")
@access(Role.EMPLOYER)
def own_list():
    status = request.args.get("status", "")
    query = (select(Placement).where(Placement.organisation_id == current_user.organisation_id)
             .options(selectinload(Placement.other_languages)))
    if status in {s.value for s in PlacementStatus}:
        query = query.where(Placement.status == status)
    else:
        status = ""
    query = query.order_by(Placement.updated_at.desc(), Placement.id.desc())
    counts = _status_counts(current_user.organisation_id)
    return render_template(
        "placements/own_list.html", page=paginate(query, per_page=20), status=status, counts=counts,
        statuses=list(PlacementStatus), organisation=current_user.organisation,
    )


def _status_counts(organisation_id: int) -> dict[PlacementStatus, int]:
    rows = db.session.execute(
        select(Placement.status, func.count(Placement.id))
        .where(Placement.organisation_id == organisation_id).group_by(Placement.status)
    ).all()
    found = {PlacementStatus(status): count for status, count in rows}
    return {status: found.get(status, 0) for status in PlacementStatus}


@bp.route("/nieuw", methods=["GET", "POST"])
@access(Role.EMPLOYER)
def create():
    organisation = current_user.organisation
    form = build_placement_form(request.form if request.method == "POST" else None, organisation=organisation)
    context = {**_form_context(form), **_display_context(), "organisation": organisation}
    if request.method == "POST" and form.suggest.data:
        return _suggest(form, "placements/form.html", context)
    if form.validate_on_submit():
        try:
            placement = operations.create_placement(organisation, current_user, form.placement_fields())
        except DomainError as exc:
            show_domain_error(form, exc)
            return render_form("placements/form.html", form, **context)
        flash(_("De plek ‘%(title)s’ is opgeslagen als concept. Controleer hieronder wat anderen zien en publiceer hem als hij klaar is.",
                title=placement.title), "success")
        return redirect(url_for("placements.review", placement_id=placement.id))
    return render_form("placements/form.html", form, **context)


@bp.route("/<int:placement_id>/bewerken", methods=["GET", "POST"])
@access(Role.EMPLOYER)
def edit(placement_id: int):
    placement = get_visible_or_404(Placement, placement_id, edit=True)
    form = build_placement_form(request.form if request.method == "POST" else None, placement=placement)
    context = {**_form_context(form, placement), **_display_context(), "organisation": placement.organisation}
    if request.method == "POST" and form.suggest.data:
        return _suggest(form, "placements/form.html", context)
    if form.validate_on_submit():
        try:
            changed = operations.update_placement(placement, current_user, form.placement_fields())
        except DomainError as exc:
            show_domain_error(form, exc)
            return render_form("placements/form.html", form, **context)
        if changed:
            flash(_("Uw wijzigingen zijn opgeslagen."), "success")
        else:
            flash(_("Er was niets gewijzigd."), "info")
        if "publish" in operations.allowed_actions(placement):  # not yet published: check, then publish
            return redirect(url_for("placements.review", placement_id=placement.id))
        return redirect(url_for("placements.detail", placement_id=placement.id))
    return render_form("placements/form.html", form, **context)


def _suggest(form, template, context):
    """"Niveaus voorstellen": fill the levels from the ticked situations and show the form again.

    Nothing is saved; other fields keep what the employer typed, without error messages yet.
    """
    form.language_tasks.errors = []
    try:
        form.language_tasks.pre_validate(form)
    except ValidationError as exc:  # an unknown task code from a stale or forged form
        form.language_tasks.errors = [str(exc)]
        return render_form(template, form, **context)
    suggestion = form.apply_suggestion()
    context = {**context, "suggested": suggestion}
    return render_template(template, form=form, **context), 200


def _status_view(placement_id: int, action: str, done_message: str):
    placement = get_visible_or_404(Placement, placement_id, edit=True)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        operations.change_status(placement, current_user, action)
    except DomainError as exc:
        flash(exc.message, "error")
        return redirect(url_for("placements.detail", placement_id=placement.id))
    flash(done_message, "success")
    return redirect(url_for("placements.detail", placement_id=placement.id))


def _review_page(placement, form, *, status: int = 200, stale: bool = False):
    can_publish = "publish" in operations.allowed_actions(placement)
    html = render_template(
        "placements/review.html", placement=placement, publish_form=form, can_publish=can_publish,
        approved=placement.organisation.is_approved, stale=stale, **_display_context(),
    )
    return html, status


@bp.route("/<int:placement_id>/controleren")
@access(Role.EMPLOYER)
def review(placement_id: int):
    """The summary before publishing: read-only, what account managers and candidates will see."""
    placement = get_visible_or_404(Placement, placement_id, edit=True)
    form = PublishForm(formdata=None, version=review_version(placement))
    return _review_page(placement, form)


@bp.route("/<int:placement_id>/publiceren", methods=["POST"])
@access(Role.EMPLOYER)
def publish(placement_id: int):
    """Publish what the employer checked on the summary page, and nothing else.

    Refused (400, nothing published, the summary shown again) without the summary's version or
    when the placement changed after the summary was shown."""
    placement = get_visible_or_404(Placement, placement_id, edit=True)
    form = PublishForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _review_page(placement, PublishForm(formdata=None, version=review_version(placement)),
                            status=400, stale=True)
    if form.version.data != review_version(placement):
        return _review_page(placement, PublishForm(formdata=None, version=review_version(placement)),
                            status=400, stale=True)
    return _status_view(placement_id, "publish", _("De plek is gepubliceerd. Accountmanagers van de gemeente zien hem nu."))


@bp.route("/<int:placement_id>/pauzeren", methods=["POST"])
@access(Role.EMPLOYER)
def pause(placement_id: int):
    return _status_view(placement_id, "pause", _("De plek is gepauzeerd. Accountmanagers zien hem niet meer tot u hem weer publiceert."))


@bp.route("/<int:placement_id>/sluiten", methods=["POST"])
@access(Role.EMPLOYER)
def close(placement_id: int):
    return _status_view(placement_id, "close", _("De plek is gesloten."))


@bp.route("/<int:placement_id>/heropenen", methods=["POST"])
@access(Role.EMPLOYER)
def reopen(placement_id: int):
    return _status_view(placement_id, "reopen", _("De plek is heropend als concept. Controleer de gegevens en publiceer hem opnieuw."))


# --- detail and JSON --------------------------------------------------------------------------

@bp.route("/<int:placement_id>")
@access(*EVERYONE_SIGNED_IN)
def detail(placement_id: int):
    placement = get_visible_or_404(Placement, placement_id)
    can_edit = placement.can_edit(current_user)
    return render_template(
        "placements/detail.html", placement=placement, can_edit=can_edit,
        actions=operations.allowed_actions(placement) if can_edit else [], status_form=StatusForm(),
        **_display_context(),
    )


@bp.route("/<int:placement_id>.json")
@access(*EVERYONE_SIGNED_IN)
def document(placement_id: int):
    placement = get_visible_or_404(Placement, placement_id)
    return jsonify(placement_document(placement))


# --- staff overview ---------------------------------------------------------------------------

@bp.route("/aanbod")
@access(*STAFF)
def overview():
    statuses = sorted(STAFF_VISIBLE_STATUSES[current_user.role], key=list(PlacementStatus).index)
    visible = Placement.visible_to(current_user)
    municipalities = db.session.scalars(
        select(Placement.municipality).join(Organisation).where(visible).distinct().order_by(Placement.municipality)
    ).all()
    form = PlacementFilterForm(request.args, municipalities=list(municipalities),
                               statuses=statuses if len(statuses) > 1 else [])
    query = (
        select(Placement).join(Organisation).where(visible)
        .options(contains_eager(Placement.organisation), selectinload(Placement.other_languages))
        .order_by(Placement.published_at.desc(), Placement.id.desc())
    )
    valid = form.validate()
    if valid:
        if form.type.data:
            query = query.where(Placement.type == PlacementType(form.type.data))
        if form.sector.data:
            query = query.where(Placement.sector == form.sector.data)
        if form.municipality.data:
            query = query.where(Placement.municipality == form.municipality.data)
        if form.status.data:
            query = query.where(Placement.status == PlacementStatus(form.status.data))
        for skill, level in form.max_levels().items():
            query = query.where(getattr(Placement, DUTCH_COLUMNS[skill]) <= level)
    page = paginate(query, per_page=20)
    html = render_template(
        "placements/overview.html", page=page, form=form, show_status=len(statuses) > 1,
        filtered=any(request.args.get(f.name) for f in form), **_display_context(),
    )
    return html, (200 if valid else 400)


# --- start-page panels ------------------------------------------------------------------------

@panel(Role.EMPLOYER, order=20)
def _employer_placements(user):
    counts = _status_counts(user.organisation_id)
    recent = db.session.scalars(
        select(Placement).where(Placement.organisation_id == user.organisation_id)
        .order_by(Placement.updated_at.desc(), Placement.id.desc()).limit(5)
    ).all()
    return "placements/panel_employer.html", {
        "counts": counts, "recent": recent, "total": sum(counts.values()),
        "approved": user.organisation_approved,
    }


def _staff_panel(user):
    # One statement: the newest five with their organisation (the template names it), the total as a window count.
    rows = db.session.execute(
        select(Placement, func.count().over().label("total")).join(Organisation)
        .where(Organisation.status == OrganisationStatus.APPROVED, Placement.status == PlacementStatus.PUBLISHED)
        .options(contains_eager(Placement.organisation))
        .order_by(Placement.published_at.desc(), Placement.id.desc()).limit(5)
    ).all()
    return "placements/panel_staff.html", {"published": int(rows[0].total) if rows else 0,
                                           "recent": [row[0] for row in rows]}


for _role, _order in ((Role.ACCOUNT_MANAGER, 20), (Role.WSP, 30), (Role.ADMIN, 30)):
    panel(_role, order=_order)(_staff_panel)
