"""Candidates: account managers curate profiles and consent; approved employers browse the gallery.

Staff URLs live under /kandidaten/beheer, the employer gallery under /kandidaten.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import get_day_names
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import case, func, select
from sqlalchemy.orm import contains_eager, joinedload

from portal.accounts.models import Organisation, OrganisationStatus, User
from portal.candidates import demo as _demo  # noqa: F401  (registers the demo extension)
from portal.candidates import erasure as _erasure  # noqa: F401  (registers the erasure of traces)
from portal.candidates.employer_views import counted_view_or_429
from portal.candidates import consent_text as texts
from portal.candidates import hooks, operations
from portal.candidates.consent_text import CONSENT_TEXTS, CURRENT_VERSION
from portal.candidates.forms import (
    CandidateForm, ConfirmForm, ConsentForm, EraseForm, GalleryFilterForm, InterestForm, PublishForm, StatusForm,
    level_meanings,
)
from portal.candidates.gallery import (
    FILTER_FIELDS, GalleryFilters, accepted_filters, card_profiles, fitting_placements, gallery_page,
    interests_by_candidate, municipalities,
)
from portal.candidates.models import LEVEL_COLUMNS, Candidate, CandidateStatus, Interest
from portal.candidates.profile import employer_profile
from portal.candidates.visibility import employer_candidate_or_404, full_file_clause
from portal.core import availability, db, fragments, jobs, navigation
from portal.core.access import access, get_visible_or_404
from portal.core.audit import AuditEntry
from portal.core.errors import DomainError, NotAllowed
from portal.core.i18n import ui_locale
from portal.core.pagination import paginate
from portal.core.roles import Role
from portal.core.skill_options import skill_kinds, skill_search_terms
from portal.core.views import render_form, show_domain_error
from portal.home.panels import panel

bp = Blueprint("candidates", __name__, url_prefix="/kandidaten")

STAFF = (Role.ACCOUNT_MANAGER, Role.WSP, Role.ADMIN)

navigation.nav_item("candidates.manage_list", _l("Kandidaten"), {Role.ACCOUNT_MANAGER, Role.ADMIN}, order=20)
navigation.nav_item("candidates.gallery", _l("Kandidaten"), {Role.EMPLOYER}, order=20)
navigation.nav_item("candidates.my_interests", _l("Mijn kennismakingsverzoeken"), {Role.EMPLOYER}, order=22)
navigation.nav_item("candidates.interests", _l("Interesse van werkgevers"), {Role.ACCOUNT_MANAGER, Role.WSP, Role.ADMIN}, order=25)


def _owners() -> list[tuple[int, str]]:
    query = select(User.id, User.name).where(User.role == Role.ACCOUNT_MANAGER, User.active.is_(True)).order_by(User.name)
    if current_user.role == Role.ACCOUNT_MANAGER:  # colleagues of the same municipality
        query = query.where(func.lower(User.municipality) == (current_user.municipality or "").strip().lower())
    users = db.session.execute(query).all()
    return [(u.id, u.name) for u in users]


def _approved_organisations() -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.status == OrganisationStatus.APPROVED).order_by(Organisation.name)
    ).all()
    return [(r.id, r.name) for r in rows]


def _candidate(candidate_id: int, *, edit: bool = False) -> Candidate:
    return get_visible_or_404(Candidate, candidate_id, edit=edit)


# -- account manager: list, create, edit, detail ---------------------------------------------

@bp.route("/beheer")
@access(Role.ACCOUNT_MANAGER, Role.ADMIN)
def manage_list():
    status = request.args.get("status", "")
    mine_first = case((Candidate.owner_id == current_user.id, 0), else_=1)
    query = (select(Candidate).where(full_file_clause(current_user))
             .order_by(mine_first, Candidate.updated_at.desc(), Candidate.id.desc()))
    if status in {s.value for s in CandidateStatus}:
        query = query.where(Candidate.status == status)
    if request.args.get("mine") == "1":
        query = query.where(Candidate.owner_id == current_user.id)
    return render_template("candidates/manage_list.html", page=paginate(query, per_page=25), status=status,
                           statuses=list(CandidateStatus), mine=request.args.get("mine") == "1")


def _form_context() -> dict:
    """What the candidate form shows beside its fields: combobox search words, level meanings, day names."""
    names = get_day_names("abbreviated", locale=ui_locale())
    return {
        "skill_search": skill_search_terms(), "skill_kinds": skill_kinds(), "level_meanings": level_meanings(),
        "day_short": {day: names[i] for i, day in enumerate(availability.DAYS)},
        "day_labels": availability.DAY_LABELS, "daypart_labels": availability.DAYPART_LABELS,
    }


@bp.route("/beheer/nieuw", methods=["GET", "POST"])
@access(Role.ACCOUNT_MANAGER)
def create():
    form = CandidateForm(owners=_owners())
    if request.method == "GET":
        form.owner_id.data = current_user.id
    duplicates: list[Candidate] = []
    if form.validate_on_submit():
        owner = db.session.get(User, form.owner_id.data)
        try:
            candidate = operations.create_candidate(
                current_user, owner=owner, fields=form.profile_fields(), languages=form.language_inputs(),
                skills=form.skills.data or [], sectors=form.sector_interests.data or [],
                experiences=form.experience_inputs(), confirm_duplicate=bool(form.confirm_duplicate.data),
            )
        except operations.DuplicateCandidate as exc:
            duplicates = exc.duplicates
            show_domain_error(form, exc)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Kandidaat %(name)s is aangemaakt. Leg nu de toestemming vast.", name=candidate.display_name), "success")
            return redirect(url_for("candidates.detail", candidate_id=candidate.id))
    return render_form("candidates/form.html", form, candidate=None, duplicates=duplicates, **_form_context())


@bp.route("/beheer/<int:candidate_id>/bewerken", methods=["GET", "POST"])
@access(Role.ACCOUNT_MANAGER)
def edit(candidate_id: int):
    candidate = _candidate(candidate_id, edit=True)
    form = CandidateForm(owners=_owners())
    if request.method == "GET":
        form.fill_from(candidate)
    if form.validate_on_submit():
        try:
            operations.update_candidate(
                candidate, current_user, fields=form.profile_fields(), languages=form.language_inputs(),
                skills=form.skills.data or [], sectors=form.sector_interests.data or [],
                experiences=form.experience_inputs(),
            )
            if form.owner_id.data != candidate.owner_id:
                owner = db.session.get(User, form.owner_id.data)
                operations.set_owner(candidate, current_user, owner)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("De wijzigingen zijn opgeslagen."), "success")
            return redirect(url_for("candidates.detail", candidate_id=candidate.id))
    return render_form("candidates/form.html", form, candidate=candidate, duplicates=[], **_form_context())


@bp.route("/beheer/<int:candidate_id>")
@access(*STAFF)
def detail(candidate_id: int):
    candidate = _candidate(candidate_id)
    status_form = StatusForm(status=candidate.status.value if candidate.status != CandidateStatus.PUBLISHED else "ready")
    return render_template("candidates/detail.html", candidate=candidate, consent=candidate.valid_consent,
                           confirm_form=ConfirmForm(), status_form=status_form, locale=ui_locale(),
                           sections=hooks.staff_sections(candidate, current_user),
                           can_edit=candidate.can_edit(current_user) and current_user.role == Role.ACCOUNT_MANAGER)


@bp.route("/beheer/<int:candidate_id>/status", methods=["POST"])
@access(Role.ACCOUNT_MANAGER)
def set_status(candidate_id: int):
    candidate = _candidate(candidate_id, edit=True)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        operations.set_status(candidate, current_user, CandidateStatus(form.status.data))
    except DomainError:
        abort(400)
    flash(_("De status is nu: %(status)s.", status=candidate.status.label), "success")
    return redirect(url_for("candidates.detail", candidate_id=candidate.id))


# -- consent ---------------------------------------------------------------------------------

def _end_of_day(day: dt.date) -> dt.datetime:
    tz = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Amsterdam"))
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=tz).astimezone(dt.timezone.utc)


@bp.route("/beheer/<int:candidate_id>/toestemming", methods=["GET", "POST"])
@access(Role.ACCOUNT_MANAGER)
def consent(candidate_id: int):
    candidate = _candidate(candidate_id, edit=True)
    form = ConsentForm(organisations=_approved_organisations())
    language = request.args.get("taal", "nl")
    if language not in texts.languages(CURRENT_VERSION):
        language = "nl"
    if request.method == "GET":
        form.expires_on.data = (operations.add_months(db.utcnow(), 12) - dt.timedelta(days=1)).date()
        form.text_language.data = language
    elif form.text_language.data in texts.languages(CURRENT_VERSION):
        language = form.text_language.data
    if form.validate_on_submit():
        organisations = [db.session.get(Organisation, oid) for oid in form.organisations.data or []]
        try:
            expires_at = _end_of_day(form.expires_on.data)
            # "12 months" is a calendar rule: a date up to the same day next year is fine.
            if form.expires_on.data <= operations.add_months(db.utcnow(), 12).date() and expires_at > operations.latest_allowed_expiry(db.utcnow()):
                expires_at = operations.latest_allowed_expiry(db.utcnow())
            recorded = operations.record_consent(
                candidate, current_user, scope=form.scope.data, expires_at=expires_at,
                video_allowed=bool(form.video_allowed.data), organisations=[o for o in organisations if o is not None],
                text_language=form.text_language.data,
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            from portal.candidates.withdrawal_views import remember_code_for_sheet

            remember_code_for_sheet(recorded)
            flash(_("De toestemming is vastgelegd. Druk het blad af en geef het de kandidaat mee."), "success")
            return redirect(url_for("withdrawal.sheet", candidate_id=candidate.id))
    return render_form("candidates/consent.html", form, candidate=candidate, version=CURRENT_VERSION,
                       document=texts.document(CURRENT_VERSION, language),
                       dutch=texts.document(CURRENT_VERSION, "nl"), language=language,
                       language_choices=texts.consent_language_choices())


@bp.route("/beheer/<int:candidate_id>/toestemming/intrekken", methods=["POST"])
@access(Role.ACCOUNT_MANAGER)
def withdraw_consent(candidate_id: int):
    candidate = _candidate(candidate_id, edit=True)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        operations.withdraw_consent(candidate, current_user)
    except DomainError as exc:
        flash(exc.message, "error")
        return redirect(url_for("candidates.detail", candidate_id=candidate.id))
    flash(_("De toestemming is ingetrokken. Werkgevers zien deze kandidaat niet meer."), "success")
    return redirect(url_for("candidates.detail", candidate_id=candidate.id))


@bp.route("/toestemmingstekst")
@access(*STAFF)
def consent_text_page():
    version = request.args.get("versie", CURRENT_VERSION)
    if version not in CONSENT_TEXTS:
        abort(404)
    documents = [texts.document(version, code) for code in texts.languages(version)]
    return render_template("candidates/consent_text.html", version=version, documents=documents,
                           versions=texts.versions(), language_name=texts.language_name)


# -- preview and publishing ------------------------------------------------------------------

@bp.route("/beheer/<int:candidate_id>/voorbeeld")
@access(Role.ACCOUNT_MANAGER)
def preview(candidate_id: int):
    candidate = _candidate(candidate_id, edit=True)
    profile = employer_profile(candidate, ui_locale())
    return render_template("candidates/preview.html", candidate=candidate, profile=profile,
                           consent=candidate.valid_consent, confirm_form=ConfirmForm(), publish_form=PublishForm())


def _video_without_captions(profile: dict) -> bool:
    video = profile.get("video")
    return bool(video) and not video.get("has_captions")


@bp.route("/beheer/<int:candidate_id>/publiceren", methods=["POST"])
@access(Role.ACCOUNT_MANAGER)
def publish(candidate_id: int):
    candidate = _candidate(candidate_id, edit=True)
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    if candidate.status != CandidateStatus.PUBLISHED and not form.without_captions.data:
        profile = employer_profile(candidate, ui_locale())
        if _video_without_captions(profile):
            form.without_captions.errors.append(_("Bevestig dat u wilt publiceren zonder ondertitels, of maak eerst ondertitels."))
            return render_template("candidates/preview.html", candidate=candidate, profile=profile,
                                   consent=candidate.valid_consent, confirm_form=ConfirmForm(), publish_form=form,
                                   error=_("De video heeft nog geen ondertitels.")), 400
    try:
        operations.publish(candidate, current_user)
    except DomainError as exc:
        profile = employer_profile(candidate, ui_locale())
        return render_template("candidates/preview.html", candidate=candidate, profile=profile, consent=None,
                               confirm_form=ConfirmForm(), publish_form=PublishForm(), error=exc.message), 400
    flash(_("Het profiel is gepubliceerd voor werkgevers binnen de toestemming."), "success")
    return redirect(url_for("candidates.detail", candidate_id=candidate.id))


@bp.route("/beheer/<int:candidate_id>/depubliceren", methods=["POST"])
@access(Role.ACCOUNT_MANAGER)
def unpublish(candidate_id: int):
    candidate = _candidate(candidate_id, edit=True)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    operations.unpublish(candidate, current_user)
    flash(_("Het profiel is niet meer zichtbaar voor werkgevers."), "success")
    return redirect(url_for("candidates.detail", candidate_id=candidate.id))


@bp.route("/beheer/<int:candidate_id>/verwijderen", methods=["GET", "POST"])
@access(Role.ACCOUNT_MANAGER, Role.ADMIN)
def erase(candidate_id: int):
    candidate = _candidate(candidate_id)
    form = EraseForm()
    if form.validate_on_submit():
        operations.erase_candidate(candidate, current_user)
        flash(_("Alle gegevens van de kandidaat zijn verwijderd."), "success")
        return redirect(url_for("candidates.manage_list") if current_user.role == Role.ACCOUNT_MANAGER else url_for("home.index"))
    return render_form("candidates/erase.html", form, candidate=candidate)


# -- interests (staff) -----------------------------------------------------------------------

@bp.route("/interesse")
@access(*STAFF)
def interests():
    query = select(Interest).join(Candidate).order_by(Interest.created_at.desc(), Interest.id.desc())
    if current_user.role == Role.ACCOUNT_MANAGER:
        # all: every interest in a full file of their own municipality; otherwise their own cases
        query = query.where(full_file_clause(current_user) if request.args.get("alle") == "1"
                            else Candidate.owner_id == current_user.id)
    return render_template("candidates/interests.html", page=paginate(query, per_page=50),
                           show_all=request.args.get("alle") == "1")


@bp.route("/beheer/inzage-geweigerd")
@access(Role.ADMIN)
def rate_limited():
    since = db.utcnow() - dt.timedelta(days=30)
    rows = db.session.execute(
        select(AuditEntry.actor_id, func.count(AuditEntry.id), func.min(AuditEntry.at), func.max(AuditEntry.at))
        .where(AuditEntry.action == operations.RATE_LIMITED_ACTION, AuditEntry.at >= since)
        .group_by(AuditEntry.actor_id).order_by(func.count(AuditEntry.id).desc())
    ).all()
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_([r[0] for r in rows if r[0]])))}
    return render_template("candidates/rate_limited.html", rows=[(users.get(r[0]), r[1], r[2], r[3]) for r in rows])


# -- employer gallery ------------------------------------------------------------------------

def _employer_organisation_or_notice():
    organisation = current_user.organisation
    if organisation is None or not organisation.is_approved:
        return None, (render_template("candidates/not_approved.html", organisation=organisation), 403)
    return organisation, None


@bp.route("")
@access(Role.EMPLOYER)
def gallery():
    organisation, refusal = _employer_organisation_or_notice()
    if refusal:
        return refusal
    choices = municipalities(organisation)
    placements = {p.id: p for p in fitting_placements(organisation)}
    placement_choices = tuple((p.id, p.title) for p in placements.values())
    submitted = tuple((k, v) for k, v in request.args.items(multi=True) if k in FILTER_FIELDS)
    key = (submitted, tuple(choices), placement_choices)
    built: list[GalleryFilterForm] = []

    def form() -> GalleryFilterForm:
        if not built:
            built.append(GalleryFilterForm(request.args, municipalities=choices, placements=list(placement_choices)))
            built[0].validate()
        return built[0]

    # what the filters accept follows from the same inputs as their HTML: worked out once per those
    accepted = fragments.cached("gallery-filter-values", key, lambda: accepted_filters(form()))
    filters = GalleryFilters.of(accepted, placements)
    page = gallery_page(organisation, filters, known_municipalities=choices, locale=ui_locale())
    return render_template("candidates/gallery.html", page=page, cards=page.items, filters=filters, asked=page.asked,
                           filter_form=_gallery_filter_form(form, filters, key))


def _gallery_filter_form(form: Callable[[], GalleryFilterForm], filters: GalleryFilters, key: tuple[Any, ...]) -> Markup:
    """The filter form's HTML: a function of the language, the submitted filter values and this
    organisation's choice lists (places, placements), so rendered once per those (portal.core.fragments);
    the form itself is built only when it is rendered."""
    template = current_app.jinja_env.get_template("candidates/_gallery_filters.html")
    return fragments.cached("gallery-filters", (template, *key), lambda: Markup(  # nosec B704: a rendered (autoescaped) template
        template.render(form=form(), filters=filters)))


@bp.route("/<int:candidate_id>")
@access(Role.EMPLOYER)
def gallery_detail(candidate_id: int):
    organisation, refusal = _employer_organisation_or_notice()
    if refusal:
        return refusal
    # the user itself rather than the proxy: the visibility rule reads it several times
    candidate = employer_candidate_or_404(candidate_id, current_user._get_current_object())
    refusal = counted_view_or_429(candidate, "detail")
    if refusal:
        return refusal
    return _render_gallery_detail(candidate, InterestForm(placements=_own_placements()))


@bp.route("/mijn-kennismakingsverzoeken")
@access(Role.EMPLOYER)
def my_interests():
    """The organisation's own "Ik wil kennismaken" requests and what became of them (a list: not a profile view)."""
    organisation, refusal = _employer_organisation_or_notice()
    if refusal:
        return refusal
    from portal.candidates.employer_interests import interests_page

    return render_template("candidates/my_interests.html", page=interests_page(organisation))


@cache
def _own_placements_statement() -> Any:
    from sqlalchemy import bindparam

    from portal.placements.models import Placement, PlacementStatus

    return (select(Placement.id, Placement.title).where(Placement.organisation_id == bindparam("organisation_id"),
                                                        Placement.status == PlacementStatus.PUBLISHED)
            .order_by(Placement.title))


def _own_placements() -> list[tuple[int, str]]:
    """The placements an interest can be for: this organisation's published ones (a draft or a closed
    placement is not something a candidate can be met for). The statement is built once per process."""
    if current_user.organisation_id is None:
        return []
    rows = db.session.execute(_own_placements_statement(), {"organisation_id": current_user.organisation_id}).all()
    return [(r.id, r.title) for r in rows]


def _interest_fields(form: InterestForm) -> Callable[[Callable[[], Markup]], Markup]:
    """For the template: `interest_fields(render)` is the HTML of the interest form's fields. Until
    the form is submitted they show no values and no errors, only this organisation's placements to
    choose from, so that HTML is rendered once per language and choice list (portal.core.fragments);
    a submitted form (its values, its errors) is rendered as it is."""
    if form.is_submitted():
        return lambda render: render()
    key = tuple(form.placement_id.choices[1:])  # the placements (the first choice, "none", is fixed text)
    return lambda render: fragments.cached("interest-fields", key, render)


def _render_gallery_detail(candidate: Candidate, form: InterestForm, status: int = 200):
    interests = interests_by_candidate(current_user.organisation, [candidate.id]).get(candidate.id, [])
    # the profile's data is kept under the data token like the gallery's cards (the same facts)
    profile = card_profiles([candidate.id], ui_locale(), loaded=[candidate])[0]
    return render_template("candidates/gallery_detail.html", profile=profile, form=form, interests=interests,
                           interest_fields=_interest_fields(form)), status


@bp.route("/<int:candidate_id>/ontmoeten", methods=["POST"])
@access(Role.EMPLOYER)
def interest(candidate_id: int):
    organisation, refusal = _employer_organisation_or_notice()
    if refusal:
        return refusal
    candidate = employer_candidate_or_404(candidate_id, current_user)
    refusal = counted_view_or_429(candidate, "interest_form")  # a re-rendered form shows the profile too
    if refusal:
        return refusal
    form = InterestForm(placements=_own_placements())
    if not form.validate_on_submit():
        return _render_gallery_detail(candidate, form, 400)
    placement = None
    if form.placement_id.data:
        from portal.placements.models import Placement

        placement = db.session.get(Placement, form.placement_id.data)
    try:
        operations.record_interest(current_user, candidate, placement=placement, note=form.note.data or "")
    except NotAllowed:
        abort(404)
    except DomainError as exc:
        show_domain_error(form, exc)
        return _render_gallery_detail(candidate, form, 400)
    flash(_("Uw interesse is doorgegeven aan de accountmanager. U hoort van ons."), "success")
    return redirect(url_for("candidates.gallery_detail", candidate_id=candidate.id))


# -- start-page panels and periodic work -----------------------------------------------------

@panel(Role.ACCOUNT_MANAGER, order=20)
def _expiring_consents(user):
    return "candidates/panel_expiring.html", {"consents": operations.consents_expiring(30, owner=user)}


@panel(Role.ACCOUNT_MANAGER, order=25)
def _recent_interests(user):
    since = db.utcnow() - dt.timedelta(days=30)
    rows = db.session.scalars(
        select(Interest).join(Candidate).where(Candidate.owner_id == user.id, Interest.created_at >= since)
        .options(contains_eager(Interest.candidate), joinedload(Interest.organisation), joinedload(Interest.placement))
        .order_by(Interest.created_at.desc()).limit(10)
    ).all()
    return "candidates/panel_interests.html", {"interests": rows}


@panel(Role.ADMIN, order=30)
def _refused_views(user):
    since = db.utcnow() - dt.timedelta(days=7)
    count = db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == operations.RATE_LIMITED_ACTION, AuditEntry.at >= since)) or 0
    accounts = db.session.scalar(select(func.count(func.distinct(AuditEntry.actor_id))).where(
        AuditEntry.action == operations.RATE_LIMITED_ACTION, AuditEntry.at >= since)) or 0
    return "candidates/panel_refused_views.html", {"count": count, "accounts": accounts}


@jobs.periodic("candidates.expire_consents", 15 * 60)
def _expire_consents_job() -> None:
    operations.expire_consents()
