"""Trajects: propose ("voordragen"), answer a proposal, the board, stage moves and the start form.

Routes (all under /trajecten):
    /voordragen/<candidate_id>           account manager proposes a candidate for a placement
    /voordracht/<proposal_id>            the employer reads and answers a proposal
    /                                    the board: employers see their own placements' trajects
                                         by stage; staff see all (filter by placement)
    /<traject_id>                        one traject: stages, proposals, placement record
    /<traject_id>/fase                   move a stage (small form; works without JavaScript)
    /<traject_id>/start                  the placement record form (account manager)
    /plek/<placement_id>/plaatsen        the employer reopens places (raises `places`)
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.candidates.models import Candidate
from portal.candidates.visibility import full_file_clause
from portal.core import db, navigation
from portal.core.access import access, get_visible_or_404
from portal.core.errors import DomainError
from portal.core.roles import Role
from portal.core.views import render_form, show_domain_error
from portal.home.panels import panel
from portal.trajects import demo as _demo  # noqa: F401  (registers the demo data)
from portal.trajects import hooks as _hooks  # noqa: F401  (registers the consent hooks)
from portal.trajects import operations
from portal.trajects.forms import AnswerForm, MoveForm, PlacesForm, ProposeForm, StartForm
from portal.trajects.models import (
    STAGE_ORDER, Proposal, ProposalAnswer, Traject, TrajectStage,
)

bp = Blueprint("trajects", __name__, url_prefix="/trajecten")

STAFF = (Role.ACCOUNT_MANAGER, Role.WSP, Role.ADMIN)
EVERYONE = (Role.EMPLOYER, *STAFF)
#: Stages an employer may move a traject to by hand (starts are recorded by the account manager).
EMPLOYER_MOVES = frozenset({TrajectStage.MET, TrajectStage.TRIAL, TrajectStage.STOPPED})

navigation.nav_item("trajects.board", _l("Trajecten"), {Role.EMPLOYER, Role.ACCOUNT_MANAGER, Role.WSP}, order=45)


# --- helpers for other areas' templates -------------------------------------------------------

def _open_placements_for(candidate: Any) -> list[Any]:
    from portal.matching.operations import open_placements

    placements = open_placements()
    full = operations.full_placement_ids(placements)
    return sorted((p for p in placements if p.id not in full), key=lambda p: (p.organisation.name, p.title))


@bp.app_template_global("employer_may_see")
def _employer_may_see(candidate: Any) -> bool:
    """Whether the current employer may still see this candidate (consent); staff always may."""
    from portal.candidates.visibility import can_employer_view

    return current_user.role != Role.EMPLOYER or can_employer_view(candidate, current_user)


@bp.app_template_global("placement_places")
def _placement_places(placement: Any) -> dict[str, int]:
    filled = operations.filled_count(placement.id)
    return {"places": placement.places, "filled": filled, "remaining": max(0, placement.places - filled)}


@bp.app_template_global("placement_trajects")
def _placement_trajects(placement: Any) -> dict[str, Any]:
    """For the placement page: places, pending proposals and the trajects (for its employer / staff)."""
    trajects = operations.trajects_of_organisation(placement.organisation_id, placement.id)
    return {
        "places": _placement_places(placement),
        "proposals": [t.pending_proposal for t in trajects if t.pending_proposal is not None],
        "trajects": trajects,
        "answer_form": AnswerForm(),
        "places_form": PlacesForm(places=placement.places),
    }


@bp.app_template_global("candidate_trajects")
def _candidate_trajects(candidate: Any) -> dict[str, Any]:
    """For the candidate's staff page: every traject, with the stage forms."""
    trajects = operations.trajects_of_candidate(candidate.id)
    return {"trajects": trajects, "forms": {t.id: _move_form(t) for t in trajects},
            "can_propose": current_user.role == Role.ACCOUNT_MANAGER}


def _moves_for(traject: Traject) -> list[TrajectStage]:
    allowed = traject.allowed_moves() - {TrajectStage.STARTED}
    if current_user.role == Role.EMPLOYER:
        allowed = allowed & EMPLOYER_MOVES
    return [s for s in (*STAGE_ORDER, TrajectStage.STOPPED) if s in allowed]


def _move_form(traject: Traject, formdata: Any = None) -> MoveForm | None:
    if not traject.can_edit(current_user) or traject.no_longer_available:
        return None
    stages = _moves_for(traject)
    if not stages:
        return None
    return MoveForm(formdata=formdata, stages=stages, prefix=f"t{traject.id}",
                    employer=current_user.role == Role.EMPLOYER)


# --- propose ----------------------------------------------------------------------------------

def _propose_page(candidate: Any, form: ProposeForm, placements: list[Any], status: int = 200):
    return render_template("trajects/propose.html", candidate=candidate, form=form, placements=placements), status


@bp.route("/voordragen/<int:candidate_id>", methods=["GET", "POST"])
@access(Role.ACCOUNT_MANAGER)
def propose(candidate_id: int):
    from portal.candidates.models import Candidate
    from portal.placements.models import Placement

    candidate = get_visible_or_404(Candidate, candidate_id)
    placements = _open_placements_for(candidate)
    form = ProposeForm()
    form.placement_id.choices = [(None, _("Kies een plek"))] + [
        (p.id, f"{p.title} – {p.organisation.name} ({p.municipality})") for p in placements]
    if request.method == "GET":
        wanted = request.args.get("placement_id", "")
        if wanted.isdigit():
            form.placement_id.data = int(wanted)
        return _propose_page(candidate, form, placements)
    if not form.validate_on_submit():
        return _propose_page(candidate, form, placements, 400)
    placement = db.session.get(Placement, form.placement_id.data)
    if placement is None or not placement.can_view(current_user):
        show_domain_error(form, DomainError(_("Kies een plek uit de lijst."), field="placement_id"))
        return _propose_page(candidate, form, placements, 400)
    try:
        proposal = operations.propose(candidate, placement, form.motivation.data or "", by=current_user)
    except DomainError as exc:
        show_domain_error(form, exc)
        return _propose_page(candidate, form, placements, 400)
    flash(_("%(name)s is voorgedragen voor “%(title)s”. De werkgever ziet de voordracht op de startpagina.",
            name=candidate.first_name, title=placement.title), "success")
    return redirect(url_for("trajects.detail", traject_id=proposal.traject_id))


# --- the employer answers ---------------------------------------------------------------------

def _proposal_page(proposal: Proposal, form: AnswerForm, status: int = 200):
    from portal.candidates.visibility import can_employer_view

    visible = current_user.role != Role.EMPLOYER or can_employer_view(proposal.candidate, current_user)
    return render_template("trajects/proposal.html", proposal=proposal, form=form, visible=visible), status


@bp.route("/voordracht/<int:proposal_id>", methods=["GET", "POST"])
@access(*EVERYONE)
def proposal(proposal_id: int):
    item = get_visible_or_404(Proposal, proposal_id)
    form = AnswerForm()
    if request.method == "GET":
        return _proposal_page(item, form)
    if not item.can_edit(current_user):
        abort(403)
    from portal.candidates.visibility import can_employer_view

    if not can_employer_view(item.candidate, current_user):
        abort(404)
    if not form.validate_on_submit():
        return _proposal_page(item, form, 400)
    try:
        operations.answer_proposal(item, form.answer.data, by=current_user, decline_reason=form.decline_reason.data or None)
    except DomainError as exc:
        show_domain_error(form, exc)
        return _proposal_page(item, form, 400)
    if item.answer == ProposalAnswer.INVITED:
        flash(_("Kies hieronder een tijdslot voor de kennismaking."), "success")
        return redirect(url_for("meetings.book", for_candidate_id=item.candidate_id, placement_id=item.placement_id))
    flash(_("Uw antwoord is doorgegeven aan de accountmanager."), "success")
    return redirect(url_for("placements.detail", placement_id=item.placement_id))


# --- board and detail -------------------------------------------------------------------------

def _board_query(placement_id: int | None) -> Any:
    query = select(Traject).options(selectinload(Traject.candidate), selectinload(Traject.placement),
                                    selectinload(Traject.proposals))
    if current_user.role == Role.EMPLOYER:
        query = query.where(Traject.organisation_id == current_user.organisation_id)
    elif current_user.role == Role.ACCOUNT_MANAGER:  # full files of their own municipality only
        query = query.where(Traject.candidate_id.in_(select(Candidate.id).where(full_file_clause(current_user))))
    if placement_id is not None:
        query = query.where(Traject.placement_id == placement_id)
    return query.order_by(Traject.stage_changed_at.desc(), Traject.id.desc()).limit(1000)


@bp.route("")
@access(*EVERYONE)
def board():
    raw = request.args.get("placement_id", "")
    placement_id = int(raw) if raw.isdigit() and len(raw) < 10 else None
    trajects = list(db.session.scalars(_board_query(placement_id)))
    columns = [(stage, [t for t in trajects if t.stage == stage]) for stage in (*STAGE_ORDER, TrajectStage.STOPPED)]
    placements = sorted({t.placement for t in trajects}, key=lambda p: p.title) if placement_id is None else []
    return render_template("trajects/board.html", columns=columns, forms={t.id: _move_form(t) for t in trajects},
                           placement_id=placement_id, placements=placements, total=len(trajects))


@bp.route("/<int:traject_id>")
@access(*EVERYONE)
def detail(traject_id: int):
    traject = get_visible_or_404(Traject, traject_id)
    return render_template("trajects/detail.html", traject=traject, stage_form=_move_form(traject),
                           answer_form=AnswerForm(), places=_placement_places(traject.placement),
                           can_start=current_user.role in (Role.ACCOUNT_MANAGER, Role.ADMIN)
                           and traject.stage in operations.STARTABLE and traject.start is None)


@bp.route("/<int:traject_id>/fase", methods=["POST"])
@access(Role.EMPLOYER, Role.ACCOUNT_MANAGER, Role.ADMIN)
def move(traject_id: int):
    traject = get_visible_or_404(Traject, traject_id, edit=True)
    form = _move_form(traject, formdata=request.form)
    back = request.form.get("back", "")
    if form is None:
        abort(400)
    if not form.validate_on_submit():
        return render_form("trajects/move.html", form, traject=traject)
    to_stage = TrajectStage(form.to_stage.data)
    note = form.note.data if current_user.role != Role.EMPLOYER else None
    try:
        operations.move_stage(traject, to_stage, by=current_user, reason=form.reason.data or None, note=note)
    except DomainError as exc:
        show_domain_error(form, exc)
        return render_form("trajects/move.html", form, traject=traject)
    flash(_("Het traject staat nu op ‘%(stage)s’.", stage=to_stage.label), "success")
    if back == "board":
        return redirect(url_for("trajects.board"))
    if back == "candidate" and current_user.role != Role.EMPLOYER:
        return redirect(url_for("candidates.detail", candidate_id=traject.candidate_id))
    return redirect(url_for("trajects.detail", traject_id=traject.id))


# --- start ------------------------------------------------------------------------------------

@bp.route("/<int:traject_id>/start", methods=["GET", "POST"])
@access(Role.ACCOUNT_MANAGER, Role.ADMIN)
def start(traject_id: int):
    traject = get_visible_or_404(Traject, traject_id, edit=True)
    places = _placement_places(traject.placement)
    form = StartForm()
    if request.method == "GET":
        placement = traject.placement
        form.placement_type.data = placement.type.value
        form.hours_per_week.data = placement.hours_per_week
        form.start_date.data = placement.start_date
        from portal.core import availability

        form.days.data = availability.days_of(placement.dayparts or [])
        return render_form("trajects/start.html", form, traject=traject, places=places)
    if not form.validate_on_submit():
        return render_form("trajects/start.html", form, traject=traject, places=places)
    instruments = []
    for kind, sub in form.instrument_fields:
        if sub.form.status.data:
            instruments.append({"kind": kind.value, "status": sub.form.status.data, "amount": sub.form.amount_cents,
                                "period_start": sub.form.period_start.data, "period_end": sub.form.period_end.data})
    try:
        operations.record_start(
            traject, by=current_user, start_date=form.start_date.data, planned_end_date=form.planned_end_date.data,
            hours_per_week=form.hours_per_week.data, days=form.days.data or [], placement_type=form.placement_type.data,
            jobcoach_name=form.jobcoach_name.data, jobcoach_organisation=form.jobcoach_organisation.data,
            buddy_name=form.buddy_name.data, buddy_language_code=form.buddy_language_code.data,
            instruments=instruments,
        )
    except DomainError as exc:
        show_domain_error(form, exc)
        return render_form("trajects/start.html", form, traject=traject, places=_placement_places(traject.placement))
    flash(_("De start is vastgelegd."), "success")
    return redirect(url_for("trajects.detail", traject_id=traject.id))


# --- places -----------------------------------------------------------------------------------

@bp.route("/plek/<int:placement_id>/plaatsen", methods=["POST"])
@access(Role.EMPLOYER)
def places(placement_id: int):
    from portal.placements.models import Placement
    from portal.placements.operations import set_places

    placement = get_visible_or_404(Placement, placement_id, edit=True)
    form = PlacesForm()
    if not form.validate_on_submit():
        for message in form.places.errors:
            flash(message, "error")
        return redirect(url_for("placements.detail", placement_id=placement.id)), 303
    try:
        set_places(placement, form.places.data, by=current_user, filled=operations.filled_count(placement.id))
    except DomainError as exc:
        flash(exc.message, "error")
        return redirect(url_for("placements.detail", placement_id=placement.id)), 303
    flash(_("Het aantal plekken is nu %(n)d.", n=placement.places), "success")
    return redirect(url_for("placements.detail", placement_id=placement.id))


# --- start-page panels ------------------------------------------------------------------------

@panel(Role.EMPLOYER, order=15)
def _employer_proposals(user: Any) -> tuple[str, dict[str, Any]] | None:
    if user.organisation_id is None:
        return None
    from portal.candidates.visibility import can_employer_view

    proposals = [p for p in operations.pending_proposals_for_organisation(user.organisation_id)
                 if can_employer_view(p.candidate, user)]
    if not proposals:
        return None
    return "trajects/panel_proposals.html", {"proposals": proposals[:10], "total": len(proposals)}


@bp.app_template_global("day_label")
def _day_label(code: str) -> str:
    from portal.core import availability

    return str(availability.DAY_LABELS.get(code, ""))


@bp.app_template_global("language_label")
def _language_label(code: str) -> str:
    from portal import reference
    from portal.core.i18n import ui_locale

    return reference.language(code).label(ui_locale()) if reference.is_language(code) else ""


@bp.app_template_filter("euro")
def _euro(cents: int | None) -> str:
    if cents is None:
        return "—"
    from flask_babel import format_currency

    return format_currency(cents / 100, "EUR")
