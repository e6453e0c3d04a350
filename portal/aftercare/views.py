"""Views of aftercare (nazorg): the Nazorg list, a start's check-ins and schedule, recording a
check-in and the result. Account managers act; admins may look."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import Select, case, select

from portal.aftercare import demo as _demo  # noqa: F401  (registers the demo data)
from portal.aftercare import hooks as _hooks  # noqa: F401  (registers the erasure hook)
from portal.aftercare import operations, reminders as _reminders  # noqa: F401  (registers the digest)
from portal.aftercare.forms import CheckInForm, ConfirmForm, DueDateForm, ResultForm
from portal.aftercare.models import CheckIn
from portal.core import db
from portal.core.access import access, get_visible_or_404
from portal.core.errors import DomainError
from portal.core.navigation import nav_item
from portal.core.pagination import paginate
from portal.core.roles import Role
from portal.core.views import render_form, submit_form
from portal.home.panels import panel
from portal.trajects.models import PlacementStart

bp = Blueprint("aftercare", __name__, url_prefix="/nazorg")

nav_item("aftercare.index", _l("Nazorg"), {Role.ACCOUNT_MANAGER}, order=22)


def _today() -> dt.date:
    return db.utcnow().date()


def _start(aftercare_start_id: int, *, edit: bool = False) -> PlacementStart:
    start = db.session.get(PlacementStart, aftercare_start_id)
    if start is None or current_user.role not in (Role.ACCOUNT_MANAGER, Role.ADMIN):
        abort(404)
    if edit and not start.can_edit(current_user):
        abort(404)
    return start


def _checkin(checkin_id: int, *, edit: bool = False) -> CheckIn:
    return get_visible_or_404(CheckIn, checkin_id, edit=edit)


def _open_checkins(user_id: int, today: dt.date, until: dt.date | None = None) -> Select:
    """Open check-ins of the user's cases (read from the (candidate_id, done_at, due_on) index of
    that user's cases only): overdue first (oldest first), then by due date."""
    from portal.casefile.caseload import case_ids_query

    query = select(CheckIn).where(CheckIn.candidate_id.in_(case_ids_query(user_id)), CheckIn.done_at.is_(None))
    if until is not None:
        query = query.where(CheckIn.due_on <= until)
    return query.order_by(case((CheckIn.due_on < today, 0), else_=1), CheckIn.due_on, CheckIn.id)


def _with_names(query: Select) -> Select:
    """The candidate, organisation and placement each line names, in the same statement."""
    from sqlalchemy.orm import joinedload

    from portal.trajects.models import Traject

    traject = joinedload(CheckIn.start).joinedload(PlacementStart.traject)
    return query.options(joinedload(CheckIn.candidate), traject.joinedload(Traject.organisation),
                         traject.joinedload(Traject.placement))


def open_checkins_query(user_id: int, today: dt.date) -> Select:
    return _with_names(_open_checkins(user_id, today))


def due_checkins(user_id: int, today: dt.date, until: dt.date, limit: int) -> list[CheckIn]:
    """The first `limit` open check-ins due up to `until`, with their names, in one statement: the
    few are chosen first, then joined to their starts, trajects and names by primary key (joining
    first made PostgreSQL hash every placement start)."""
    first = _open_checkins(user_id, today, until).with_only_columns(CheckIn.id).limit(limit).subquery()
    query = _with_names(_open_checkins(user_id, today).join(first, first.c.id == CheckIn.id))
    return list(db.session.scalars(query))


@bp.route("")
@access(Role.ACCOUNT_MANAGER)
def index():
    today = _today()
    page = paginate(open_checkins_query(current_user.id, today), per_page=50)
    return render_template("aftercare/index.html", page=page, today=today)


@panel(Role.ACCOUNT_MANAGER, order=15)
def _due_checkins(user):
    today = _today()
    from portal.casefile.caseload import week_end

    rows = due_checkins(user.id, today, week_end(today), 10)
    return "aftercare/panel_checkins.html", {"checkins": rows, "today": today}


# -- one start ---------------------------------------------------------------------------------

def _render_start(start: PlacementStart, *, add_form: DueDateForm | None = None, status: int = 200):
    checkins = operations.checkins_of(start.id)
    return render_template(
        "aftercare/start.html", start=start, traject=start.traject, checkins=checkins, today=_today(),
        result=operations.result_of(start.id), add_form=add_form or DueDateForm(prefix="extra"),
        due_forms={c.id: DueDateForm(prefix=f"c{c.id}", formdata=None, due_on=c.due_on) for c in checkins if not c.is_done},
        confirm_form=ConfirmForm(), can_edit=start.can_edit(current_user) and current_user.role == Role.ACCOUNT_MANAGER,
    ), status


@bp.route("/start/<int:aftercare_start_id>")
@access(Role.ACCOUNT_MANAGER, Role.ADMIN)
def start(aftercare_start_id: int):
    return _render_start(_start(aftercare_start_id))


@bp.route("/start/<int:aftercare_start_id>/extra", methods=["POST"])
@access(Role.ACCOUNT_MANAGER)
def add(aftercare_start_id: int):
    start = _start(aftercare_start_id, edit=True)
    form = DueDateForm(prefix="extra")
    done = submit_form(form, lambda: operations.add_checkin(start, form.due_on.data, current_user),
                       _("Het extra nazorgcontact is ingepland."),
                       url_for("aftercare.start", aftercare_start_id=start.id))
    return done or _render_start(start, add_form=form, status=400)


@bp.route("/contact/<int:checkin_id>/verplaatsen", methods=["POST"])
@access(Role.ACCOUNT_MANAGER)
def reschedule(checkin_id: int):
    checkin = _checkin(checkin_id, edit=True)
    form = DueDateForm(prefix=f"c{checkin.id}")
    if form.validate_on_submit():
        try:
            operations.reschedule(checkin, form.due_on.data, current_user)
        except DomainError as exc:
            flash(exc.message, "error")
            return _render_start(checkin.start, status=400)
        flash(_("De datum is gewijzigd."), "success")
        return redirect(url_for("aftercare.start", aftercare_start_id=checkin.start_id))
    flash(_("Vul een geldige datum in."), "error")
    return _render_start(checkin.start, status=400)


@bp.route("/contact/<int:checkin_id>/verwijderen", methods=["POST"])
@access(Role.ACCOUNT_MANAGER)
def remove(checkin_id: int):
    checkin = _checkin(checkin_id, edit=True)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    start_id = checkin.start_id
    try:
        operations.remove_checkin(checkin, current_user)
    except DomainError as exc:
        flash(exc.message, "error")
        return _render_start(checkin.start, status=400)
    flash(_("Het nazorgcontact is uit de planning gehaald."), "success")
    return redirect(url_for("aftercare.start", aftercare_start_id=start_id))


@bp.route("/contact/<int:checkin_id>", methods=["GET", "POST"])
@access(Role.ACCOUNT_MANAGER)
def record(checkin_id: int):
    checkin = _checkin(checkin_id, edit=True)
    if checkin.is_done:
        return redirect(url_for("aftercare.start", aftercare_start_id=checkin.start_id))
    form = CheckInForm()
    done = submit_form(form, lambda: operations.record_checkin(checkin, current_user, assessment=form.assessment.data,
                                                                dutch_levels=form.levels(),
                                                                next_step=form.next_step.data),
                       _("Het nazorgcontact is vastgelegd."),
                       url_for("aftercare.start", aftercare_start_id=checkin.start_id))
    return done or render_form("aftercare/checkin_form.html", form, checkin=checkin, traject=checkin.start.traject,
                       today=_today())


@bp.route("/start/<int:aftercare_start_id>/resultaat", methods=["GET", "POST"])
@access(Role.ACCOUNT_MANAGER)
def result(aftercare_start_id: int):
    start = _start(aftercare_start_id, edit=True)
    if operations.result_of(start.id) is not None:
        return redirect(url_for("aftercare.start", aftercare_start_id=start.id))
    form = ResultForm()
    if request.method == "GET":
        form.ended_on.data = start.planned_end_date if start.planned_end_date and start.planned_end_date <= _today() else _today()
    done = submit_form(form, lambda: operations.record_result(start, current_user, kind=form.kind.data,
                                                               ended_on=form.ended_on.data,
                                                               contract_kind=form.contract_kind.data or None,
                                                               stop_reason=form.stop_reason.data or None,
                                                               note=form.note.data or ""),
                       _("Het resultaat is vastgelegd en het traject is afgesloten."),
                       url_for("aftercare.start", aftercare_start_id=start.id))
    return done or render_form("aftercare/result_form.html", form, start=start, traject=start.traject)
