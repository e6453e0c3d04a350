"""Views of the case file: the timeline section of the candidate's staff page, notes, contact
moments, handover and co-owners, the caseload page, the caseload target (admins) and the
notification preference (on the account page)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from portal.accounts.models import User
from portal.candidates.hooks import on_candidate_erased, staff_section
from portal.candidates.models import Candidate
from portal.casefile import caseload, hooks, notifications, operations, timeline
from portal.casefile import demo as _demo  # noqa: F401  (registers the demo data)
from portal.casefile.forms import (
    CaseloadTargetForm, CoOwnerForm, ContactForm, HandoverForm, NoteForm, NotificationForm, RemoveCoOwnerForm,
    TimelineFilterForm,
)
from portal.casefile.models import TimelineKind
from portal.core import db
from portal.core.access import access, get_visible_or_404
from portal.core.errors import DomainError
from portal.core.navigation import nav_item
from portal.core.roles import Role
from portal.core.views import render_form, show_domain_error, submit_form
from portal.home.panels import panel

bp = Blueprint("casefile", __name__, url_prefix="/dossier")

TIMELINE_PER_PAGE = 20

nav_item("casefile.caseload_page", _l("Mijn caseload"), {Role.ACCOUNT_MANAGER}, order=21)
nav_item("casefile.settings", _l("Caseloadnorm"), {Role.ADMIN}, order=94)

on_candidate_erased(hooks.erase_case_file)
del notifications  # imported for its audit listener and digest sender


def _candidate(candidate_id: int, *, edit: bool = False) -> Candidate:
    return get_visible_or_404(Candidate, candidate_id, edit=edit)


def _managers(exclude: set[int] = frozenset()) -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(User.id, User.name).where(User.role == Role.ACCOUNT_MANAGER, User.active.is_(True)).order_by(User.name)
    ).all()
    return [(r.id, r.name) for r in rows if r.id not in exclude]


def _back_url(candidate: Candidate) -> str:
    return url_for("candidates.detail", candidate_id=candidate.id) + "#dossier"


# -- the timeline on the candidate's staff page ------------------------------------------------

def timeline_context(candidate: Candidate) -> dict:
    form = TimelineFilterForm(request.args)
    kind = None
    if form.validate() and form.soort.data:
        kind = TimelineKind(form.soort.data)
    page = timeline.entries_page(candidate.id, kind, TIMELINE_PER_PAGE)
    from portal.trajects.models import PlacementStart, Traject

    from sqlalchemy.orm import joinedload

    starts = db.session.scalars(select(PlacementStart).join(Traject, Traject.id == PlacementStart.traject_id)
                                .where(Traject.candidate_id == candidate.id)
                                .options(joinedload(PlacementStart.traject).joinedload(Traject.organisation),
                                         joinedload(PlacementStart.traject).joinedload(Traject.placement))
                                .order_by(PlacementStart.start_date.desc())).all()
    return {"candidate": candidate, "filter_form": form, "kind": kind, "page": page, "starts": starts,
            "lines": timeline.describe(page.items), "co_owners": operations.co_owners(candidate.id),
            "can_write": current_user.role == Role.ACCOUNT_MANAGER}


@staff_section(order=60)
def _case_file_section(candidate: Candidate, user):
    if user.role not in (Role.ACCOUNT_MANAGER, Role.ADMIN):
        return None  # WSP staff see the profile, not the case file
    return "casefile/section.html", timeline_context(candidate)


# -- notes and contact moments ----------------------------------------------------------------

@bp.route("/<int:candidate_id>/notitie", methods=["GET", "POST"])
@access(Role.ACCOUNT_MANAGER)
def add_note(candidate_id: int):
    candidate = _candidate(candidate_id, edit=True)
    form = NoteForm()
    done = submit_form(form, lambda: operations.add_note(candidate, current_user, form.body.data),
                       _("De notitie is opgeslagen."), lambda: _back_url(candidate))
    return done or render_form("casefile/note_form.html", form, candidate=candidate)


@bp.route("/<int:candidate_id>/contactmoment", methods=["GET", "POST"])
@access(Role.ACCOUNT_MANAGER)
def add_contact(candidate_id: int):
    candidate = _candidate(candidate_id, edit=True)
    form = ContactForm()
    if request.method == "GET":
        form.happened_on.data = db.utcnow().date()
    done = submit_form(form, lambda: operations.record_contact(candidate, current_user, channel=form.channel.data,
                                                                happened_on=form.happened_on.data,
                                                                summary=form.summary.data),
                       _("Het contactmoment is opgeslagen."), lambda: _back_url(candidate))
    return done or render_form("casefile/contact_form.html", form, candidate=candidate)


# -- ownership -------------------------------------------------------------------------------

@bp.route("/<int:candidate_id>/overdragen", methods=["GET", "POST"])
@access(Role.ACCOUNT_MANAGER, Role.ADMIN)
def handover(candidate_id: int):
    candidate = _candidate(candidate_id, edit=True)
    form = HandoverForm(managers=_managers(exclude={candidate.owner_id}))

    def new_owner() -> User:  # validated by the form's choices; loaded once (the session's identity map)
        return db.session.get(User, form.new_owner_id.data)

    done = submit_form(form, lambda: operations.hand_over(candidate, current_user, new_owner(), form.note.data),
                       lambda: _("Het dossier is overgedragen aan %(name)s; die krijgt de overdrachtsnotitie per "
                                 "e-mail.", name=new_owner().name), lambda: _back_url(candidate))
    return done or render_form("casefile/handover_form.html", form, candidate=candidate)


@bp.route("/<int:candidate_id>/mede-eigenaren", methods=["GET", "POST"])
@access(Role.ACCOUNT_MANAGER, Role.ADMIN)
def co_owners(candidate_id: int):
    candidate = _candidate(candidate_id, edit=True)
    current = operations.co_owners(candidate.id)
    form = CoOwnerForm(managers=_managers(exclude={candidate.owner_id, *(u.id for u in current)}))
    done = submit_form(form, lambda: operations.add_co_owner(candidate, current_user,
                                                              db.session.get(User, form.user_id.data)),
                       _("Het dossier wordt nu gedeeld."), url_for("casefile.co_owners", candidate_id=candidate.id))
    return done or render_form("casefile/co_owners.html", form, candidate=candidate, co_owners=current,
                       remove_form=RemoveCoOwnerForm())


@bp.route("/<int:candidate_id>/mede-eigenaren/verwijderen", methods=["POST"])
@access(Role.ACCOUNT_MANAGER, Role.ADMIN)
def remove_co_owner(candidate_id: int):
    candidate = _candidate(candidate_id, edit=True)
    form = RemoveCoOwnerForm()
    if not form.validate_on_submit() or not (form.user_id.data or "").isdigit():
        abort(400)
    try:
        operations.remove_co_owner(candidate, current_user, int(form.user_id.data))
    except DomainError:
        abort(404)
    flash(_("Het dossier wordt niet meer met deze accountmanager gedeeld."), "success")
    return redirect(url_for("casefile.co_owners", candidate_id=candidate.id))


# -- caseload --------------------------------------------------------------------------------

@bp.route("/caseload")
@access(Role.ACCOUNT_MANAGER)
def caseload_page():
    return render_template("casefile/caseload.html", load=caseload.caseload(current_user),
                           cases=caseload.cases(current_user))


@panel(Role.ACCOUNT_MANAGER, order=10)
def _caseload_panel(user):
    return "casefile/panel_caseload.html", {"load": caseload.caseload(user)}


@bp.route("/instellingen", methods=["GET", "POST"])
@access(Role.ADMIN)
def settings():
    form = CaseloadTargetForm()
    if request.method == "GET":
        form.target.data = operations.caseload_target()
    done = submit_form(form, lambda: operations.set_caseload_target(current_user, form.target.data),
                       _("De caseloadnorm is opgeslagen."), url_for("casefile.settings"))
    return done or render_form("casefile/settings.html", form)


# -- notification preference (shown on the account page) ---------------------------------------

@bp.app_context_processor
def _notification_form():
    def notification_form() -> NotificationForm | None:
        if not current_user.is_authenticated or current_user.role != Role.ACCOUNT_MANAGER:
            return None
        return NotificationForm(formdata=None, mode=current_user.notification_mode)

    return {"notification_form": notification_form}


@bp.route("/meldingen", methods=["POST"])
@access(Role.ACCOUNT_MANAGER)
def notification_preference():
    from portal.accounts.forms import ChangePasswordForm

    form = NotificationForm()
    if form.validate_on_submit():
        try:
            operations.set_notification_mode(current_user, form.mode.data)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Uw keuze voor meldingen is opgeslagen."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", form=ChangePasswordForm(formdata=None),
                           notification_form=lambda: form), 400
