"""Meet-and-greets (WSP staff organise; employers and account managers register) and company
visits (employers offer; account managers book). Views are thin: load (404), check, call an
operation, render; the request commits once."""
from __future__ import annotations

from typing import Any, NamedTuple

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from portal.core import db, navigation
from portal.core.access import access, get_visible_or_404
from portal.core.errors import DomainError, NotAllowed
from portal.core.validators import parse_id
from portal.core.roles import Role
from portal.core.views import render_form, show_domain_error
from portal.events import operations
from portal.events.followups import FollowUp, Outcome, mark_done, open_follow_ups
from portal.events.forms import (
    VisitOutcomeForm,
    ActionForm, CandidateRegistrationForm, CheckInForm, EmployerRegistrationForm, EventForm, EventStatusForm,
    OutcomeForm, VisitBookingForm, VisitSlotForm,
)
from portal.events.models import (
    BookingStatus, CandidateRegistration, EmployerRegistration, Event, EventStatus, ScheduleSlot, VisitBooking,
    VisitSlot, VisitStatus,
)
from portal.home.panels import panel

bp = Blueprint("events", __name__)

STAFF = (Role.WSP, Role.ADMIN)
SIGNED_IN = (Role.EMPLOYER, Role.ACCOUNT_MANAGER, Role.WSP, Role.ADMIN)

navigation.nav_item("events.event_list", _l("Meet & greets"), set(SIGNED_IN), order=40)
navigation.nav_item("events.visit_list", _l("Bedrijfsbezoeken"), set(SIGNED_IN), order=45)
navigation.nav_item("events.follow_ups", _l("Opvolging"), {Role.ACCOUNT_MANAGER, Role.WSP}, order=46)


class _Choice(NamedTuple):
    id: int
    first_name: str
    surname: str

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.surname}"


def _own_candidates() -> list[_Choice]:
    """The candidates this user may register: an account manager's own; all for WSP staff and admins.

    Only the columns the choice list needs (this runs on every registration request)."""
    from portal.candidates.models import Candidate

    query = select(Candidate.id, Candidate.first_name, Candidate.surname).order_by(
        Candidate.first_name, Candidate.surname, Candidate.id)
    if current_user.role == Role.ACCOUNT_MANAGER:
        query = query.where(Candidate.owner_id == current_user.id)
    return [_Choice(*row) for row in db.session.execute(query)]


def _own_registration(event: Event) -> EmployerRegistration | None:
    if current_user.role != Role.EMPLOYER:
        return None
    return next((r for r in event.employer_registrations if r.organisation_id == current_user.organisation_id), None)


def _employer_view_of(candidate: Any) -> dict[str, Any] | None:
    """What an employer may see of a candidate on an event or visit page: the card (a list, not a
    counted view; see .github/SECURITY.md), or nothing outside consent. The profile itself (and
    the video) only on the candidate's gallery page, where it is counted."""
    from portal.candidates.profile import employer_card
    from portal.candidates.visibility import can_employer_view

    if current_user.role != Role.EMPLOYER:
        return None
    if not can_employer_view(candidate, current_user):
        return None
    return employer_card(candidate, current_user.locale or "nl")


# ---------------------------------------------------------------------------------------------
# meet-and-greets
# ---------------------------------------------------------------------------------------------

@bp.route("/meet-and-greets")
@access(*SIGNED_IN)
def event_list():
    query = select(Event).order_by(Event.starts_at.desc())
    if current_user.role not in STAFF:
        query = query.where(Event.status != EventStatus.DRAFT)
    return render_template("events/event_list.html", events=db.session.scalars(query).all(), now=db.utcnow())


@bp.route("/meet-and-greets/nieuw", methods=["GET", "POST"])
@access(*STAFF)
def event_new():
    form = EventForm()
    if form.validate_on_submit():
        try:
            event = operations.create_event(current_user, **form.values())
        except DomainError as exc:
            show_domain_error(form, exc)
            return render_form("events/event_form.html", form, event=None)
        flash(_("De bijeenkomst is aangemaakt als concept. Publiceer hem als alles klopt."), "success")
        return redirect(url_for("events.event_detail", event_id=event.id))
    return render_form("events/event_form.html", form, event=None)


@bp.route("/meet-and-greets/<int:event_id>")
@access(*SIGNED_IN)
def event_detail(event_id: int):
    event = get_visible_or_404(Event, event_id)
    own = _own_registration(event)
    my_candidates = []
    if current_user.role == Role.ACCOUNT_MANAGER:
        my_candidates = [r for r in event.candidate_registrations
                         if r.registered_by_id == current_user.id or r.candidate.owner_id == current_user.id]
    table = []
    if own is not None and own.status == BookingStatus.CONFIRMED:
        table = [(n, start, end, slot, _employer_view_of(slot.candidate_registration.candidate) if slot else None)
                 for n, start, end, slot in operations.table_schedule(own)]
    from portal.accounts.models import User

    organiser = db.session.get(User, event.created_by_id) if event.created_by_id else None
    return render_template(
        "events/event_detail.html", event=event, own=own, my_candidates=my_candidates, table=table,
        organiser=organiser if organiser is not None and organiser.active else None,
        action_form=ActionForm(), status_form=EventStatusForm(), transitions=sorted(operations.ALLOWED_TRANSITIONS[event.status], key=lambda s: (s == EventStatus.CANCELLED, s.value)),
        now=db.utcnow(), personal_schedule=operations.personal_schedule, table_numbers=operations.table_numbers(event),
    )


@bp.route("/meet-and-greets/<int:event_id>/wijzigen", methods=["GET", "POST"])
@access(*STAFF)
def event_edit(event_id: int):
    event = get_visible_or_404(Event, event_id, edit=True)
    form = EventForm(obj=event)
    if request.method == "GET":
        form.set_times(event.starts_at, event.ends_at)
    if form.validate_on_submit():
        try:
            changed = operations.update_event(event, current_user, confirmed=form.confirm.data or None, **form.values())
        except operations.NeedsConfirmation as exc:
            form.confirm.data = exc.token
            return render_form("events/event_form.html", form, event=event, warnings=exc.warnings)
        except DomainError as exc:
            show_domain_error(form, exc)
            return render_form("events/event_form.html", form, event=event)
        flash(_("Opgeslagen.") if changed else _("Er is niets gewijzigd."), "success")
        return redirect(url_for("events.event_detail", event_id=event.id))
    return render_form("events/event_form.html", form, event=event)


@bp.route("/meet-and-greets/<int:event_id>/status", methods=["POST"])
@access(*STAFF)
def event_status(event_id: int):
    event = get_visible_or_404(Event, event_id, edit=True)
    form = EventStatusForm()
    if not form.validate_on_submit() or form.status.data not in {s.value for s in EventStatus}:
        abort(400)
    try:
        operations.set_event_status(event, EventStatus(form.status.data), current_user)
    except DomainError as exc:
        return _refused(event, exc)
    flash(_("De status is nu: %(status)s.", status=event.status.label), "success")
    return redirect(url_for("events.event_detail", event_id=event.id))


@bp.route("/meet-and-greets/<int:event_id>/werkgever-aanmelden", methods=["GET", "POST"])
@access(Role.EMPLOYER)
def employer_register(event_id: int):
    from portal.placements.models import Placement, PlacementStatus

    event = get_visible_or_404(Event, event_id)
    placements = db.session.scalars(select(Placement).where(
        Placement.organisation_id == current_user.organisation_id, Placement.status != PlacementStatus.CLOSED,
    ).order_by(Placement.title)).all()
    form = EmployerRegistrationForm(placements=placements)
    if form.validate_on_submit():
        chosen = [p for p in placements if p.id in set(form.placement_ids.data or [])]
        try:
            registration = operations.register_employer(
                event, current_user, representatives=form.representatives.data, sectors=form.sectors.data or [],
                languages=form.languages.data or [], placements=chosen,
            )
        except NotAllowed:
            abort(403)
        except DomainError as exc:
            show_domain_error(form, exc)
            return render_form("events/employer_register.html", form, event=event)
        if registration.status == BookingStatus.WAITLISTED:
            flash(_("Alle tafels zijn bezet. U staat op de wachtlijst; u krijgt bericht als er een plek vrijkomt."), "info")
        else:
            flash(_("U bent aangemeld. U ontvangt een bevestiging per e-mail."), "success")
        return redirect(url_for("events.event_detail", event_id=event.id))
    return render_form("events/employer_register.html", form, event=event)


@bp.route("/meet-and-greets/tafels/<int:employer_registration_id>/afmelden", methods=["POST"])
@access(Role.EMPLOYER, Role.WSP, Role.ADMIN)
def employer_registration_cancel(employer_registration_id: int):
    registration = get_visible_or_404(EmployerRegistration, employer_registration_id, edit=True)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        operations.cancel_employer_registration(registration, current_user)
    except DomainError as exc:
        return _refused(registration.event, exc)
    flash(_("De aanmelding is geannuleerd."), "success")
    return redirect(url_for("events.event_detail", event_id=registration.event_id))


@bp.route("/meet-and-greets/tafels/<int:employer_registration_id>/agenda.ics")
@access(Role.EMPLOYER, Role.WSP, Role.ADMIN)
def employer_registration_calendar(employer_registration_id: int):
    """The table's calendar file (the one its mails attach); only its own organisation and staff."""
    from flask import Response

    from portal.events.notifications import registration_calendar_download

    registration = get_visible_or_404(EmployerRegistration, employer_registration_id)
    content_type, data = registration_calendar_download(registration, current_user)
    return Response(data, content_type=content_type, headers={
        "Content-Disposition": f'attachment; filename="meet-and-greet-{registration.event_id}.ics"',
        "Cache-Control": "private, no-store"})


def _refused(event: Event, exc: DomainError) -> Any:
    return render_template("events/refused.html", event=event, message=exc.message), 400


@bp.route("/meet-and-greets/<int:event_id>/kandidaat-aanmelden", methods=["GET", "POST"])
@access(Role.ACCOUNT_MANAGER, Role.WSP, Role.ADMIN)
def candidate_register(event_id: int):
    from portal.candidates.models import Candidate

    event = get_visible_or_404(Event, event_id)
    candidates = _own_candidates()
    organisations = sorted((r.organisation for r in event.employer_registrations if r.is_active), key=lambda o: o.name)
    form = CandidateRegistrationForm(candidates=candidates, organisations=organisations)
    if form.validate_on_submit():
        candidate = db.session.get(Candidate, form.candidate_id.data)
        wishes = [o for o in organisations if o.id in set(form.wishes.data or [])]
        try:
            registration = operations.register_candidate(
                event, candidate, current_user, interpreter_language=form.interpreter_language.data or None,
                wishes=wishes,
            )
        except NotAllowed:
            abort(403)
        except DomainError as exc:
            show_domain_error(form, exc)
            return render_form("events/candidate_register.html", form, event=event)
        if registration.status == BookingStatus.WAITLISTED:
            flash(_("De bijeenkomst is vol. %(name)s staat op de wachtlijst.", name=candidate.display_name), "info")
        else:
            flash(_("%(name)s is aangemeld.", name=candidate.display_name), "success")
        return redirect(url_for("events.event_detail", event_id=event.id))
    return render_form("events/candidate_register.html", form, event=event)


@bp.route("/meet-and-greets/kandidaten/<int:candidate_registration_id>/afmelden", methods=["POST"])
@access(Role.ACCOUNT_MANAGER, Role.WSP, Role.ADMIN)
def candidate_registration_cancel(candidate_registration_id: int):
    registration = get_visible_or_404(CandidateRegistration, candidate_registration_id, edit=True)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        operations.cancel_candidate_registration(registration, current_user)
    except DomainError as exc:
        return _refused(registration.event, exc)
    flash(_("De aanmelding is geannuleerd."), "success")
    return redirect(url_for("events.event_detail", event_id=registration.event_id))


# -- schedule ---------------------------------------------------------------------------------

@bp.route("/meet-and-greets/<int:event_id>/rooster")
@access(*STAFF)
def schedule(event_id: int):
    event = get_visible_or_404(Event, event_id, edit=True)
    report = operations.schedule_report(event) if event.status != EventStatus.DRAFT else None
    grid = {(s.round_number, s.employer_registration_id): s for s in event.slots}
    return render_template("events/schedule.html", event=event, report=report, grid=grid, action_form=ActionForm())


@bp.route("/meet-and-greets/<int:event_id>/rooster/maken", methods=["POST"])
@access(*STAFF)
def schedule_generate(event_id: int):
    event = get_visible_or_404(Event, event_id, edit=True)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        result = operations.generate_schedule(event, current_user)
    except DomainError as exc:
        return _refused(event, exc)
    report = result.report
    flash(_("Rooster gemaakt: %(n)d gesprekken; %(done)d van %(asked)d wederzijdse wensen; %(kept)d eerder bekendgemaakte "
            "gesprekken behouden, %(dropped)d vervallen.", n=report.meetings_placed, done=report.mutual_satisfied,
            asked=report.mutual_requested, kept=len(report.pins_kept), dropped=len(report.pins_dropped)), "success")
    return redirect(url_for("events.schedule", event_id=event.id))


@bp.route("/meet-and-greets/<int:event_id>/rooster/bekendmaken", methods=["POST"])
@access(*STAFF)
def schedule_announce(event_id: int):
    event = get_visible_or_404(Event, event_id, edit=True)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        operations.announce_schedule(event, current_user)
    except DomainError as exc:
        return _refused(event, exc)
    flash(_("Het rooster is bekendgemaakt. Bij een nieuw rooster blijven deze gesprekken zoveel mogelijk staan."), "success")
    return redirect(url_for("events.schedule", event_id=event.id))


@bp.route("/meet-and-greets/<int:event_id>/rooster/afdrukken")
@access(*SIGNED_IN)
def schedule_print(event_id: int):
    """Printable schedules: per table, per person, and (staff) the sign-in list. Staff see all; an
    employer only its own table; an account manager only the candidates they registered or own.

    Names, one rule for every print: a table sheet lies on the employer's table, so it shows the
    candidate as employers see them ("Samira O.", first name and initial), on the staff print as
    well; the per-person sheet goes to the candidate and the sign-in list is used by staff at the
    door, so those two keep the full name. Every sheet shows the table number and marks the
    language a candidate needs an interpreter for."""
    event = get_visible_or_404(Event, event_id)
    numbers = operations.table_numbers(event)
    tables = [r for r in event.confirmed_employers]
    people = [r for r in event.confirmed_candidates]
    view = request.args.get("view", "tables")
    if view not in ("tables", "people", "signin"):
        view = "tables"
    if current_user.role == Role.EMPLOYER:
        tables = [r for r in tables if r.organisation_id == current_user.organisation_id]
        people, view = [], "tables"
    elif current_user.role == Role.ACCOUNT_MANAGER:
        tables, view = [], "people"
        people = [r for r in people if r.registered_by_id == current_user.id or r.candidate.owner_id == current_user.id]
    table_rows = [(numbers[t.id], t, [(n, s, e, slot, _candidate_label(slot)) for n, s, e, slot in operations.table_schedule(t)])
                  for t in tables] if view == "tables" else []
    person_rows = [(p, operations.personal_schedule(p)) for p in people] if view == "people" else []
    return render_template("events/schedule_print.html", event=event, view=view, table_rows=table_rows,
                           person_rows=person_rows, numbers=numbers,
                           signin=view == "signin" and current_user.role in STAFF)


def _candidate_label(slot: ScheduleSlot | None) -> str:
    """The candidate at a table, as the employer sees them (first name and initial)."""
    if slot is None:
        return ""
    candidate = slot.candidate_registration.candidate
    if current_user.role == Role.EMPLOYER:
        profile = _employer_view_of(candidate)
        return profile["name"] if profile else _("Kandidaat %(n)d", n=slot.candidate_registration_id)
    return candidate.employer_name


# -- on the day -------------------------------------------------------------------------------

@bp.route("/meet-and-greets/<int:event_id>/binnenkomst", methods=["GET", "POST"])
@access(*STAFF)
def check_in(event_id: int):
    event = get_visible_or_404(Event, event_id, edit=True)
    form = CheckInForm()
    if request.method == "POST":
        if not form.validate_on_submit() or form.kind.data not in ("employer", "candidate") \
                or parse_id(form.registration_id.data) is None:
            abort(400)
        model = EmployerRegistration if form.kind.data == "employer" else CandidateRegistration
        registration = db.session.get(model, parse_id(form.registration_id.data))
        if registration is None or registration.event_id != event.id:
            abort(404)
        try:
            operations.set_checked_in(registration, form.present.data == "1", current_user)
        except DomainError as exc:
            return _refused(event, exc)
        return redirect(url_for("events.check_in", event_id=event.id, _anchor=f"{form.kind.data}-{registration.id}"))
    query = request.args.get("q", "").strip().lower()
    candidates = [r for r in event.confirmed_candidates if not query or query in r.candidate.display_name.lower()]
    employers = [r for r in event.confirmed_employers if not query or query in r.organisation.name.lower()]
    opens, closes = operations.check_in_window(event)
    return render_template("events/check_in.html", event=event, candidates=candidates, employers=employers,
                           form=ActionForm(), q=query, state=operations.check_in_state(event), opens=opens,
                           closes=closes, table_numbers=operations.table_numbers(event))


@bp.route("/meet-and-greets/<int:event_id>/uitkomsten")
@access(*STAFF)
def outcomes(event_id: int):
    """WSP staff record speed-date outcomes for the tables: every meeting of the schedule, per table,
    with its outcome so far and a link to record it (from the start of its round)."""
    event = get_visible_or_404(Event, event_id, edit=True)
    numbers = operations.table_numbers(event)
    tables = [(numbers[t.id], t, operations.table_schedule(t)) for t in event.confirmed_employers]
    chosen = parse_id(request.args.get("tafel", ""))
    if chosen is not None:
        tables = [row for row in tables if row[1].id == chosen] or tables
    recorded = sum(1 for s in event.slots if s.outcome)
    return render_template("events/outcomes.html", event=event, tables=tables, now=db.utcnow(), recorded=recorded,
                           all_tables=[(numbers[t.id], t) for t in event.confirmed_employers], chosen=chosen,
                           outcome_label=_outcome_label)


def _outcome_label(code: str | None) -> str:
    try:
        return Outcome(code).label if code else ""
    except ValueError:
        return ""


@bp.route("/meet-and-greets/gesprekken/<int:meeting_id>/uitkomst", methods=["GET", "POST"])
@access(Role.EMPLOYER, Role.WSP, Role.ADMIN)
def meeting_outcome(meeting_id: int):
    slot = get_visible_or_404(ScheduleSlot, meeting_id, edit=True)
    form = OutcomeForm()
    if request.method == "GET" and slot.outcome:
        form.outcome.data, form.note.data = slot.outcome, slot.outcome_note
    staff = current_user.role in STAFF
    label = slot.candidate_registration.candidate.display_name if staff else _candidate_label(slot)
    back = (url_for("events.outcomes", event_id=slot.event_id, _anchor=f"table-{slot.employer_registration_id}")
            if staff else url_for("events.event_detail", event_id=slot.event_id))
    table_number = operations.table_numbers(slot.event).get(slot.employer_registration_id)
    context = dict(slot=slot, label=label, staff=staff, back=back, table_number=table_number, now=db.utcnow())
    if form.validate_on_submit():
        try:
            operations.record_meeting_outcome(slot, Outcome(form.outcome.data), form.note.data or "", current_user)
        except DomainError as exc:
            show_domain_error(form, exc)
            return render_form("events/outcome.html", form, **context)
        flash(_("De uitkomst is vastgelegd. De accountmanager van de kandidaat krijgt een taak voor de opvolging."), "success")
        return redirect(back)
    return render_form("events/outcome.html", form, **context)


@bp.route("/opvolging")
@access(Role.ACCOUNT_MANAGER, Role.WSP, Role.ADMIN)
def follow_ups():
    if current_user.role == Role.ACCOUNT_MANAGER:
        items = open_follow_ups(current_user)
    else:
        items = list(db.session.scalars(select(FollowUp).where(FollowUp.done_at.is_(None))
                                        .order_by(FollowUp.created_at, FollowUp.id).limit(500)))
    return render_template("events/follow_ups.html", items=items, form=ActionForm())


@bp.route("/opvolging/<int:follow_up_id>/afgerond", methods=["POST"])
@access(Role.ACCOUNT_MANAGER, Role.WSP, Role.ADMIN)
def follow_up_done(follow_up_id: int):
    follow_up = get_visible_or_404(FollowUp, follow_up_id, edit=True)
    if not ActionForm().validate_on_submit():
        abort(400)
    mark_done(follow_up, by=current_user)
    flash(_("Afgerond."), "success")
    return redirect(url_for("events.follow_ups"))


# ---------------------------------------------------------------------------------------------
# company visits
# ---------------------------------------------------------------------------------------------

@bp.route("/bedrijfsbezoeken")
@access(*SIGNED_IN)
def visit_list():
    query = select(VisitSlot).order_by(VisitSlot.starts_at)
    if current_user.role == Role.EMPLOYER:
        query = query.where(VisitSlot.organisation_id == current_user.organisation_id)
    if request.args.get("all") != "1":
        query = query.where(VisitSlot.ends_at > db.utcnow())
    return render_template("events/visit_list.html", slots=db.session.scalars(query).all(), now=db.utcnow())


@bp.route("/bedrijfsbezoeken/nieuw", methods=["GET", "POST"])
@access(Role.EMPLOYER)
def visit_new():
    form = VisitSlotForm()
    if form.validate_on_submit():
        try:
            slot = operations.create_visit_slot(current_user, **form.values())
        except NotAllowed:
            abort(403)
        except DomainError as exc:
            show_domain_error(form, exc)
            return render_form("events/visit_form.html", form)
        flash(_("Het bedrijfsbezoek staat open voor aanmeldingen."), "success")
        return redirect(url_for("events.visit_detail", visit_id=slot.id))
    return render_form("events/visit_form.html", form)


@bp.route("/bedrijfsbezoeken/<int:visit_id>")
@access(*SIGNED_IN)
def visit_detail(visit_id: int):
    slot = get_visible_or_404(VisitSlot, visit_id)
    bookings = slot.confirmed_bookings
    if current_user.role == Role.EMPLOYER:
        visitors = [(b, _employer_view_of(b.candidate)) for b in bookings]
    else:
        visitors = [(b, None) for b in bookings]
    import datetime as dt

    return render_template("events/visit_detail.html", slot=slot, visitors=visitors, form=ActionForm(), now=db.utcnow(),
                           visit_check_in_window=dt.timedelta(hours=2))


@bp.route("/bedrijfsbezoeken/<int:visit_id>/annuleren", methods=["POST"])
@access(Role.EMPLOYER, Role.WSP, Role.ADMIN)
def visit_cancel(visit_id: int):
    slot = get_visible_or_404(VisitSlot, visit_id, edit=True)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        operations.cancel_visit_slot(slot, current_user)
    except DomainError as exc:
        return render_template("events/refused.html", event=None, slot=slot, message=exc.message), 400
    flash(_("Het bedrijfsbezoek is geannuleerd; de aangemelde accountmanagers krijgen bericht."), "success")
    return redirect(url_for("events.visit_detail", visit_id=slot.id))


@bp.route("/bedrijfsbezoeken/<int:visit_id>/aanmelden", methods=["GET", "POST"])
@access(Role.ACCOUNT_MANAGER, Role.WSP, Role.ADMIN)
def visit_book(visit_id: int):
    from portal.candidates.models import Candidate

    slot = get_visible_or_404(VisitSlot, visit_id)
    form = VisitBookingForm(candidates=_own_candidates())
    if form.validate_on_submit():
        candidate = db.session.get(Candidate, form.candidate_id.data)
        try:
            operations.book_visit(slot, candidate, current_user,
                                  interpreter_language=form.interpreter_language.data or None)
        except NotAllowed:
            abort(403)
        except DomainError as exc:
            show_domain_error(form, exc)
            return render_form("events/visit_book.html", form, slot=slot)
        flash(_("%(name)s is aangemeld voor het bedrijfsbezoek.", name=candidate.display_name), "success")
        return redirect(url_for("events.visit_detail", visit_id=slot.id))
    return render_form("events/visit_book.html", form, slot=slot)


@bp.route("/bedrijfsbezoeken/aanmeldingen/<int:booking_id>/annuleren", methods=["POST"])
@access(Role.EMPLOYER, Role.ACCOUNT_MANAGER, Role.WSP, Role.ADMIN)
def visit_booking_cancel(booking_id: int):
    booking = get_visible_or_404(VisitBooking, booking_id, edit=True)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        operations.cancel_visit_booking(booking, current_user)
    except DomainError as exc:
        return render_template("events/refused.html", event=None, slot=booking.slot, message=exc.message), 400
    flash(_("De aanmelding is geannuleerd."), "success")
    return redirect(url_for("events.visit_detail", visit_id=booking.slot_id))


# ---------------------------------------------------------------------------------------------
# start-page panels
# ---------------------------------------------------------------------------------------------

def _upcoming_events(limit: int = 5) -> list[Event]:
    return list(db.session.scalars(select(Event).where(Event.status == EventStatus.PUBLISHED, Event.starts_at > db.utcnow())
                                   .order_by(Event.starts_at).limit(limit)))


@panel(Role.EMPLOYER, order=40)
def _employer_panel(user: Any):
    events = _upcoming_events()
    return ("events/panel_events.html", {"events": events}) if events else None


@panel(Role.ACCOUNT_MANAGER, order=40)
def _account_manager_panel(user: Any):
    items = open_follow_ups(user)
    events = _upcoming_events()
    if not items and not events:
        return None
    return "events/panel_events.html", {"events": events, "follow_ups": items}


@panel(Role.WSP, order=40)
def _wsp_panel(user: Any):
    events = list(db.session.scalars(select(Event).where(Event.status.in_([EventStatus.DRAFT, EventStatus.PUBLISHED]),
                                                         Event.ends_at > db.utcnow()).order_by(Event.starts_at).limit(10)))
    return "events/panel_events.html", {"events": events, "staff": True}


from portal.events import demo as _demo  # noqa: E402,F401  (demo data)


# -- company visits: check-in and outcome ------------------------------------------------------

def _visit_booking_for_outcome(booking_id: int) -> VisitBooking:
    booking = get_visible_or_404(VisitBooking, booking_id)
    if not booking.can_record_outcome(current_user):
        abort(404)
    return booking


@bp.route("/bedrijfsbezoeken/aanmeldingen/<int:booking_id>/binnenkomst", methods=["POST"])
@access(Role.EMPLOYER, Role.WSP, Role.ADMIN)
def visit_check_in(booking_id: int):
    booking = _visit_booking_for_outcome(booking_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        operations.set_visit_checked_in(booking, request.form.get("present") == "1", current_user)
    except DomainError as exc:
        return render_template("events/refused.html", event=None, slot=booking.slot, message=exc.message), 400
    return redirect(url_for("events.visit_detail", visit_id=booking.slot_id, _anchor=f"visitor-{booking.id}"))


def _host_placements(booking: VisitBooking) -> list[Any]:
    from portal.placements.models import Placement, PlacementStatus

    return list(db.session.scalars(select(Placement).where(
        Placement.organisation_id == booking.slot.organisation_id, Placement.status == PlacementStatus.PUBLISHED)
        .order_by(Placement.title)))


@bp.route("/bedrijfsbezoeken/aanmeldingen/<int:booking_id>/uitkomst", methods=["GET", "POST"])
@access(Role.EMPLOYER, Role.WSP, Role.ADMIN)
def visit_outcome(booking_id: int):
    booking = _visit_booking_for_outcome(booking_id)
    placements = _host_placements(booking)
    form = VisitOutcomeForm(placements=placements)
    if request.method == "GET" and booking.outcome:
        form.outcome.data, form.note.data = booking.outcome, booking.outcome_note
        form.placement_id.data = str(booking.outcome_placement_id or "")
    if current_user.role == Role.EMPLOYER:
        profile = _employer_view_of(booking.candidate)
        name = profile["name"] if profile else _("Kandidaat (geen toestemming om gegevens te delen)")
    else:
        name = booking.candidate.display_name
    if form.validate_on_submit():
        placement = next((p for p in placements if str(p.id) == (form.placement_id.data or "")), None)
        try:
            operations.record_visit_outcome(booking, form.outcome.data, form.note.data or "", current_user,
                                            placement=placement)
        except DomainError as exc:
            show_domain_error(form, exc)
            return render_form("events/visit_outcome.html", form, booking=booking, name=name)
        flash(_("De uitkomst is vastgelegd. De accountmanager van de kandidaat krijgt een taak voor de opvolging."), "success")
        return redirect(url_for("events.visit_detail", visit_id=booking.slot_id))
    return render_form("events/visit_outcome.html", form, booking=booking, name=name)
