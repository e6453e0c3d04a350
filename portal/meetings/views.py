"""Views of one-to-one meetings: account managers publish availability and confirm requests;
employers book from a candidate's gallery page, move, cancel and record the outcome."""
from __future__ import annotations

from functools import cache
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from portal.candidates.models import Candidate
from portal.candidates.visibility import can_employer_view, employer_candidate_or_404
from portal.core import db
from portal.core.access import access, get_visible_or_404
from portal.core.errors import DomainError
from portal.core.navigation import nav_item
from portal.core.roles import Role
from portal.core.views import render_form, show_domain_error
from portal.home.panels import panel
from portal.meetings import demo as _demo  # noqa: F401  (registers the demo data)
from portal.meetings import hooks as _hooks  # noqa: F401  (registers the consent hook)
from portal.meetings import operations
from portal.meetings.agenda import combined_agenda
from portal.meetings.forms import ActionForm, BookingForm, MoveForm, OutcomeForm, SeriesForm, SlotForm
from portal.meetings.models import ACTIVE_STATUSES, MeetingBooking, MeetingSlot, MeetingStatus, SlotStatus

bp = Blueprint("meetings", __name__, url_prefix="/gesprekken")

#: The booking form sits on the candidate's gallery page next to the candidates area's interest form:
#: a prefix keeps the field ids unique ("meeting-slot_id", "meeting-placement_id", "meeting-note").
BOOKING_PREFIX = "meeting"

nav_item("meetings.index", _l("Gesprekken"), {Role.EMPLOYER, Role.ACCOUNT_MANAGER}, order=40)
nav_item("meetings.availability", _l("Beschikbaarheid"), {Role.ACCOUNT_MANAGER}, order=41)


# -- helpers ----------------------------------------------------------------------------------

def _own_candidates() -> list[Candidate]:
    return list(db.session.scalars(
        select(Candidate).where(Candidate.owner_id == current_user.id).order_by(Candidate.first_name, Candidate.surname)
    ))


def _candidate_choices(form: Any) -> list[Candidate]:
    candidates = _own_candidates()
    form.candidate_ids.choices = [(c.id, c.display_name) for c in candidates]
    return candidates


def _chosen(candidates: list[Candidate], ids: list[int] | None) -> list[Candidate]:
    wanted = set(ids or ())
    return [c for c in candidates if c.id in wanted]


@cache
def _own_placements_statement() -> Any:
    from portal.placements.models import Placement, PlacementStatus

    return (select(Placement.id, Placement.title).where(Placement.organisation_id == bindparam("organisation_id"),
                                                        Placement.status != PlacementStatus.CLOSED)
            .order_by(Placement.title))


def _own_placements() -> list[tuple[int | None, str]]:
    """The organisation's placements that are not closed (the statement is built once per process)."""
    if current_user.organisation_id is None:
        return [(None, _("Geen bepaalde plek"))]
    rows = db.session.execute(_own_placements_statement(), {"organisation_id": current_user.organisation_id}).all()
    return [(None, _("Geen bepaalde plek"))] + [(r.id, r.title) for r in rows]


def _booking(meeting_booking_id: int, *, edit: bool = False) -> MeetingBooking:
    return get_visible_or_404(MeetingBooking, meeting_booking_id, edit=edit)


def _slot_choices(form_field: Any, slots: list[MeetingSlot]) -> None:
    form_field.choices = [(s.id, s.id) for s in slots]


# -- account manager: availability -----------------------------------------------------------

@bp.route("/beschikbaarheid")
@access(Role.ACCOUNT_MANAGER)
def availability():
    slots = db.session.scalars(
        select(MeetingSlot).where(MeetingSlot.owner_id == current_user.id, MeetingSlot.status == SlotStatus.OPEN,
                                  MeetingSlot.ends_at > db.utcnow()).order_by(MeetingSlot.starts_at)
    ).all()
    return render_template("meetings/availability.html", slots=slots, action_form=ActionForm())


@bp.route("/beschikbaarheid/tijdslot", methods=["GET", "POST"])
@access(Role.ACCOUNT_MANAGER)
def new_slot():
    form = SlotForm()
    candidates = _candidate_choices(form)
    if form.validate_on_submit():
        try:
            slot = operations.create_slot(current_user, date=form.date.data, start=form.start.data,
                                          minutes=form.minutes.data, spec=form.spec(),
                                          candidates=_chosen(candidates, form.candidate_ids.data))
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Het tijdslot is gepubliceerd."), "success")
            return redirect(url_for("meetings.availability", _anchor=f"slot-{slot.id}"))
    return render_form("meetings/slot_form.html", form, candidates=candidates)


@bp.route("/beschikbaarheid/reeks", methods=["GET", "POST"])
@access(Role.ACCOUNT_MANAGER)
def new_series():
    form = SeriesForm()
    candidates = _candidate_choices(form)
    if form.validate_on_submit():
        try:
            series = operations.create_series(
                current_user, weekday=form.weekday.data, start=form.start.data, end=form.end.data,
                slot_minutes=form.slot_minutes.data, first_date=form.first_date.data, weeks=form.weeks.data,
                spec=form.spec(), candidates=_chosen(candidates, form.candidate_ids.data))
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            count = db.session.scalar(select(func.count(MeetingSlot.id)).where(MeetingSlot.series_id == series.id))
            flash(_("%(n)d tijdsloten gepubliceerd.", n=count), "success")
            return redirect(url_for("meetings.availability"))
    return render_form("meetings/series_form.html", form, candidates=candidates)


@bp.route("/tijdslot/<int:meeting_slot_id>/intrekken", methods=["POST"])
@access(Role.ACCOUNT_MANAGER)
def withdraw_slot(meeting_slot_id: int):
    slot = get_visible_or_404(MeetingSlot, meeting_slot_id, edit=True)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        operations.withdraw_slot(slot, current_user)
    except DomainError as exc:
        flash(exc.message, "error")
        return redirect(url_for("meetings.availability"))
    flash(_("Het tijdslot is ingetrokken."), "success")
    return redirect(url_for("meetings.availability"))


# -- lists ------------------------------------------------------------------------------------

@bp.route("")
@access(Role.EMPLOYER, Role.ACCOUNT_MANAGER)
def index():
    now = db.utcnow()
    query = select(MeetingBooking).join(MeetingSlot)
    if current_user.role == Role.EMPLOYER:
        query = query.where(MeetingBooking.organisation_id == current_user.organisation_id)
    else:
        query = query.join(Candidate, Candidate.id == MeetingBooking.candidate_id).where(
            or_(MeetingSlot.owner_id == current_user.id, Candidate.owner_id == current_user.id))
    bookings = db.session.scalars(query.order_by(MeetingSlot.starts_at.desc()).limit(200)).all()
    upcoming = sorted((b for b in bookings if b.is_active and b.slot.ends_at > now), key=lambda b: b.slot.starts_at)
    past = [b for b in bookings if b not in upcoming]
    return render_template("meetings/index.html", upcoming=upcoming, past=past)


# -- employer: booking ------------------------------------------------------------------------

def _booking_page(candidate: Candidate, form: BookingForm, status: int = 200):
    from portal.candidates.profile import employer_profile
    from portal.core.i18n import ui_locale

    slots = operations.free_slots(candidate.id)
    return render_template("meetings/book.html", candidate=candidate, profile=employer_profile(candidate, ui_locale()),
                           slots=slots, form=form), status


@bp.route("/kandidaat/<int:for_candidate_id>", methods=["GET", "POST"])
@access(Role.EMPLOYER)
def book(for_candidate_id: int):
    candidate = employer_candidate_or_404(for_candidate_id, current_user)
    form = BookingForm(prefix=BOOKING_PREFIX)
    form.placement_id.choices = _own_placements()
    from portal.candidates.employer_views import counted_view_or_429

    refusal = counted_view_or_429(candidate, "booking")  # every answer of this page shows the profile
    if refusal:
        return refusal
    if request.method == "GET":
        wanted = request.args.get("placement_id", "")
        if wanted.isdigit() and any(value == int(wanted) for value, _label in form.placement_id.choices):
            form.placement_id.data = int(wanted)  # invited from a proposal: the placement it was for
        return _booking_page(candidate, form)
    if not form.validate_on_submit():
        return _booking_page(candidate, form, 400)
    placement = None
    if form.placement_id.data:
        from portal.placements.models import Placement

        placement = db.session.get(Placement, form.placement_id.data)
        if placement is None:
            show_domain_error(form, DomainError(_("Kies een plek van uw eigen organisatie."), field="placement_id"))
            return _booking_page(candidate, form, 400)
    try:
        booking = operations.book(current_user, candidate, form.slot_id.data, placement=placement,
                                  note=form.note.data or "")
    except DomainError as exc:
        show_domain_error(form, exc)
        return _booking_page(candidate, form, 400)
    if booking.status == MeetingStatus.CONFIRMED:
        flash(_("Het gesprek is geboekt en bevestigd. U ontvangt een e-mail met een agendabestand."), "success")
    else:
        flash(_("Uw aanvraag is verstuurd. De accountmanager bevestigt het gesprek; u ontvangt een e-mail."), "success")
    return redirect(url_for("meetings.booking_detail", meeting_booking_id=booking.id))


@cache
def _upcoming_bookings_statement() -> Any:
    """This organisation's active bookings of one candidate whose slot has not ended, each with its
    slot (the section shows when it starts): one statement, built once per process."""
    return (select(MeetingBooking).join(MeetingSlot).options(contains_eager(MeetingBooking.slot))
            .where(MeetingBooking.candidate_id == bindparam("candidate_id"),
                   MeetingBooking.organisation_id == bindparam("organisation_id"),
                   MeetingBooking.status.in_(ACTIVE_STATUSES),
                   MeetingSlot.ends_at > bindparam("now", type_=MeetingSlot.ends_at.type)))


def booking_section(candidate_id: int) -> dict[str, Any] | None:
    """For the candidate's gallery page: the free slots and the booking form (template global).

    Without free slots there is nothing to book: `form` is then None (the section shows only the
    notice), so no form is built and no placements are read."""
    user = current_user._get_current_object()  # read several times below: once through the proxy
    if not user.is_authenticated or user.role != Role.EMPLOYER:
        return None
    candidate = db.session.get(Candidate, candidate_id)
    if not can_employer_view(candidate, user):
        return None
    slots = operations.free_slots(candidate_id)
    form = None
    if slots:
        form = BookingForm(formdata=None, prefix=BOOKING_PREFIX)
        form.placement_id.choices = _own_placements()
    upcoming = db.session.scalars(_upcoming_bookings_statement(), {
        "candidate_id": candidate_id, "organisation_id": user.organisation_id, "now": db.utcnow()}).all()
    return {"candidate_id": candidate_id, "slots": slots, "form": form,
            "bookings": upcoming, "action": url_for("meetings.book", for_candidate_id=candidate_id)}


def candidate_name(booking: MeetingBooking) -> str:
    """Staff see the full name; an employer first name + initial, and nothing once the candidate is no
    longer visible to it (consent withdrawn, expired, out of scope)."""
    if current_user.role != Role.EMPLOYER:
        return booking.candidate.display_name
    if can_employer_view(booking.candidate, current_user):
        return booking.candidate.employer_name
    return _("kandidaat (niet meer beschikbaar)")


@bp.app_context_processor
def _gallery_helpers() -> dict[str, Any]:
    return {"meeting_booking_section": booking_section, "meeting_candidate_name": candidate_name}


# -- one booking ------------------------------------------------------------------------------

def _detail(booking: MeetingBooking, status: int = 200, error: str | None = None):
    follow_up = operations.follow_up_for(booking) if current_user.role != Role.EMPLOYER else None
    from portal.events.followups import Outcome
    from portal.meetings.notifications import account_manager

    return render_template("meetings/detail.html", booking=booking, action_form=ActionForm(), error=error,
                           follow_up=follow_up, now=db.utcnow(), account_manager=account_manager(booking),
                           outcome_labels={o.value: o.label for o in Outcome}), status


@bp.route("/<int:meeting_booking_id>")
@access(Role.EMPLOYER, Role.ACCOUNT_MANAGER, Role.WSP, Role.ADMIN)
def booking_detail(meeting_booking_id: int):
    return _detail(_booking(meeting_booking_id))


@bp.route("/<int:meeting_booking_id>/agenda.ics")
@access(Role.EMPLOYER, Role.ACCOUNT_MANAGER, Role.WSP, Role.ADMIN)
def calendar_file(meeting_booking_id: int):
    """The booking's calendar file (the one its mails attach: same UID, current SEQUENCE); only the
    booking's own organisation and staff (MeetingBooking.can_view), 404 for anyone else."""
    from portal.meetings.notifications import calendar_download

    booking = _booking(meeting_booking_id)
    employer_view = current_user.role == Role.EMPLOYER
    if employer_view and not can_employer_view(booking.candidate, current_user):
        abort(404)  # consent ended or out of scope: the file would name the candidate
    content_type, data = calendar_download(booking, for_employer=employer_view)
    return Response(data, content_type=content_type, headers={
        "Content-Disposition": f'attachment; filename="kennismaking-{booking.id}.ics"',
        "Cache-Control": "private, no-store"})


@bp.route("/<int:meeting_booking_id>/bevestigen", methods=["POST"])
@access(Role.ACCOUNT_MANAGER)
def confirm(meeting_booking_id: int):
    booking = _booking(meeting_booking_id, edit=True)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        operations.confirm(booking, current_user)
    except DomainError as exc:
        return _detail(booking, 400, exc.message)
    flash(_("Het gesprek is bevestigd; beide kanten krijgen een e-mail."), "success")
    return redirect(url_for("meetings.booking_detail", meeting_booking_id=booking.id))


@bp.route("/<int:meeting_booking_id>/annuleren", methods=["POST"])
@access(Role.EMPLOYER, Role.ACCOUNT_MANAGER)
def cancel(meeting_booking_id: int):
    booking = _booking(meeting_booking_id, edit=True)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        operations.cancel(booking, current_user)
    except DomainError as exc:
        return _detail(booking, 400, exc.message)
    flash(_("Het gesprek is geannuleerd; beide kanten krijgen een e-mail."), "success")
    return redirect(url_for("meetings.booking_detail", meeting_booking_id=booking.id))


@bp.route("/<int:meeting_booking_id>/verplaatsen", methods=["GET", "POST"])
@access(Role.EMPLOYER, Role.ACCOUNT_MANAGER)
def move(meeting_booking_id: int):
    booking = _booking(meeting_booking_id, edit=True)
    if current_user.role == Role.EMPLOYER and not can_employer_view(booking.candidate, current_user):
        abort(404)
    form = MoveForm()
    slots = operations.free_slots(booking.candidate_id, exclude=booking.slot_id) if booking.changeable else []
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                operations.move(booking, form.slot_id.data, current_user)
            except DomainError as exc:
                show_domain_error(form, exc)
            else:
                flash(_("Het gesprek is verplaatst; beide kanten krijgen een e-mail."), "success")
                return redirect(url_for("meetings.booking_detail", meeting_booking_id=booking.id))
        return render_form("meetings/move.html", form, booking=booking, slots=slots)
    return render_template("meetings/move.html", form=form, booking=booking, slots=slots)


@bp.route("/<int:meeting_booking_id>/uitkomst", methods=["GET", "POST"])
@access(Role.EMPLOYER)
def outcome(meeting_booking_id: int):
    booking = _booking(meeting_booking_id, edit=True)
    form = OutcomeForm(outcome=booking.outcome, note=booking.outcome_note)
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                operations.record_meeting_outcome(booking, form.outcome.data, form.note.data or "", current_user)
            except DomainError as exc:
                show_domain_error(form, exc)
            else:
                flash(_("Dank u. De accountmanager ziet de uitkomst en neemt contact op waar nodig."), "success")
                return redirect(url_for("meetings.booking_detail", meeting_booking_id=booking.id))
        return render_form("meetings/outcome.html", form, booking=booking)
    return render_template("meetings/outcome.html", form=form, booking=booking)


# -- start-page panels ------------------------------------------------------------------------

@panel(Role.EMPLOYER, order=15)
def _employer_agenda(user):
    return "meetings/panel_agenda.html", {"items": combined_agenda(user)[:15]}


@panel(Role.ACCOUNT_MANAGER, order=15)
def _account_manager_requests(user):
    from portal.events.followups import FollowUp, SourceKind

    now = db.utcnow()
    waiting = db.session.scalars(
        select(MeetingBooking).join(MeetingSlot).join(Candidate, Candidate.id == MeetingBooking.candidate_id).where(
            MeetingBooking.status == MeetingStatus.REQUESTED, MeetingSlot.starts_at > now,
            or_(MeetingSlot.owner_id == user.id, Candidate.owner_id == user.id))
        .options(contains_eager(MeetingBooking.slot), contains_eager(MeetingBooking.candidate),
                 joinedload(MeetingBooking.organisation))  # the panel names them: no query per line
        .order_by(MeetingSlot.starts_at)
    ).all()
    follow_ups = db.session.scalars(
        select(FollowUp).where(FollowUp.assigned_to_id == user.id, FollowUp.done_at.is_(None),
                               FollowUp.source_kind == SourceKind.MEETING)
        .options(joinedload(FollowUp.candidate), joinedload(FollowUp.organisation)).order_by(FollowUp.created_at)
    ).all()
    return "meetings/panel_requests.html", {"waiting": waiting, "follow_ups": follow_ups}
