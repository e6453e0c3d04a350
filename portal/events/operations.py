"""Domain operations for meet-and-greets and company visits: validate, change, flush, audit, mail.

They never commit (the request does). Capacity is guaranteed by counting under a lock, in one
transaction (DESIGN.md §6, portal.core.locking):

    lock(rows that own the capacity [+ the candidate], sorted) -> count confirmed -> insert

so 200 simultaneous requests for 20 places give exactly 20 confirmed. A candidate's time is
reserved through portal.events.commitments, which refuses overlaps across events, visits and
one-to-one meetings.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from portal import reference
from portal.core import audit, db, reminders
from portal.core.errors import DomainError, NotAllowed
from portal.core.locking import lock
from portal.core.roles import Role
from portal.events import notifications, scheduling
from portal.events.commitments import CommitmentKind, book_candidate_time, release
from portal.events.followups import Outcome, SourceKind, record_outcome
from portal.events.models import (
    BookingStatus, CandidateRegistration, EmployerRegistration, Event, EventStatus, ScheduleSlot, VisitBooking,
    VisitSlot, VisitStatus,
)

from flask_babel import lazy_gettext as _l  # noqa: E402

from portal.core import labels as _labels  # noqa: E402

_labels.DETAIL_KEYS.setdefault("on_behalf_of_employer", _l("Vastgelegd namens de werkgever"))
_labels.DETAIL_KEYS.setdefault("confirmed_warning", _l("Waarschuwing bevestigd"))

MAX_EVENT_HOURS = 24
MAX_CAPACITY = 1000


# ---------------------------------------------------------------------------------------------
# events
# ---------------------------------------------------------------------------------------------

EVENT_FIELDS = (
    "title", "description", "starts_at", "ends_at", "venue_name", "venue_address", "accessibility_notes",
    "transport_directions", "table_capacity", "candidate_capacity", "round_minutes", "break_minutes",
    "rounds_before_break", "interpreter_languages",
)


def validate_event_fields(values: dict[str, Any]) -> None:
    """The rules of an event; the first broken one is raised next to its field."""
    starts_at, ends_at = values["starts_at"], values["ends_at"]
    if ends_at <= starts_at:
        raise DomainError(_("De eindtijd moet na de begintijd liggen."), field="end_time")
    if ends_at - starts_at > dt.timedelta(hours=MAX_EVENT_HOURS):
        raise DomainError(_("Een bijeenkomst duurt hoogstens %(hours)d uur.", hours=MAX_EVENT_HOURS), field="end_time")
    for name in ("table_capacity", "candidate_capacity"):
        if values[name] is None or values[name] < 0:
            raise DomainError(_("Het aantal plaatsen kan niet negatief zijn."), field=name)
        if values[name] > MAX_CAPACITY:
            raise DomainError(_("Hoogstens %(n)d plaatsen.", n=MAX_CAPACITY), field=name)
    if values["round_minutes"] is None or values["round_minutes"] < 1:
        raise DomainError(_("Een ronde duurt minstens 1 minuut."), field="round_minutes")
    if values["break_minutes"] is None or values["break_minutes"] < 0:
        raise DomainError(_("De wisseltijd kan niet negatief zijn."), field="break_minutes")
    if dt.timedelta(minutes=values["round_minutes"]) > ends_at - starts_at:
        raise DomainError(_("Een ronde kan niet langer duren dan de bijeenkomst zelf."), field="round_minutes")
    if values.get("rounds_before_break") is None or values["rounds_before_break"] < 1:
        raise DomainError(_("Vul minstens 1 in."), field="rounds_before_break")
    unknown = [code for code in values.get("interpreter_languages") or [] if not reference.is_language(code)]
    if unknown:
        raise DomainError(_("Onbekende taal: %(codes)s", codes=", ".join(unknown)), field="interpreter_languages")


def create_event(by: Any, **values: Any) -> Event:
    validate_event_fields(values)
    if values["starts_at"] <= db.utcnow():
        raise DomainError(_("Een nieuwe bijeenkomst moet in de toekomst liggen."), field="date")
    event = Event(**{k: values[k] for k in EVENT_FIELDS}, status=EventStatus.DRAFT, created_by_id=by.id)
    db.session.add(event)
    db.session.flush()
    audit.record("event.created", event, actor=by)
    return event


class NeedsConfirmation(DomainError):
    """The change is allowed, but only after the organiser confirmed the warnings; `token` names the
    exact new times confirmed (a confirmation of other times does not count)."""

    def __init__(self, warnings: list[str], token: str) -> None:
        super().__init__(" ".join(warnings))
        self.warnings = warnings
        self.token = token


def move_token(values: dict[str, Any]) -> str:
    return f"{values['starts_at'].astimezone(dt.timezone.utc):%Y%m%dT%H%M}-{values['ends_at'].astimezone(dt.timezone.utc):%Y%m%dT%H%M}"


def move_warnings(event: Event, values: dict[str, Any]) -> list[str]:
    """What moving a published event to these times would do that the organiser must confirm:
    a date in the past, or any move once the schedule has been announced."""
    if event.status != EventStatus.PUBLISHED:
        return []
    if values["starts_at"] == event.starts_at and values["ends_at"] == event.ends_at:
        return []
    warnings = []
    active = [r for r in [*event.employer_registrations, *event.candidate_registrations] if r.is_active]
    if values["starts_at"] <= db.utcnow():
        warnings.append(
            _("De nieuwe datum en tijd liggen in het verleden, terwijl %(n)d werkgevers en kandidaten zijn aangemeld. "
              "Zij krijgen een wijzigingsbericht voor een bijeenkomst die al voorbij is.", n=len(active)) if active
            else _("De nieuwe datum en tijd liggen in het verleden."))
    if event.schedule_announced_at is not None and any(s.announced for s in event.slots):
        warnings.append(_("Het rooster is al bekendgemaakt. Iedereen die is aangemeld krijgt bericht dat de "
                          "bijeenkomst verschuift; gesprekken die niet meer in de nieuwe tijd passen vervallen."))
    return warnings


def update_event(event: Event, by: Any, *, confirmed: str | None = None, **values: Any) -> list[str]:
    """Change an event; registrations are told when the time or place changes. Returns changed fields.

    Moving a published event into the past, or moving it at all once its schedule is announced,
    raises NeedsConfirmation first; the same call with `confirmed` set to its token goes ahead."""
    if event.status == EventStatus.CANCELLED:
        raise DomainError(_("Deze bijeenkomst is geannuleerd en kan niet meer worden gewijzigd."))
    validate_event_fields(values)
    lock((Event, [event.id]))
    warnings = move_warnings(event, values)
    if warnings and confirmed != move_token(values):
        raise NeedsConfirmation(warnings, move_token(values))
    confirmed_candidates = _count(CandidateRegistration, event.id)
    confirmed_tables = _count(EmployerRegistration, event.id)
    if values["candidate_capacity"] < confirmed_candidates:
        raise DomainError(_("Er zijn al %(n)d kandidaten bevestigd; meld eerst kandidaten af.", n=confirmed_candidates),
                          field="candidate_capacity")
    if values["table_capacity"] < confirmed_tables:
        raise DomainError(_("Er zijn al %(n)d werkgeverstafels bevestigd; meld eerst werkgevers af.", n=confirmed_tables),
                          field="table_capacity")
    changed = [k for k in EVENT_FIELDS if getattr(event, k) != values[k]]
    for key in changed:
        setattr(event, key, values[key])
    db.session.flush()
    noticeable = {"starts_at", "ends_at", "venue_name", "venue_address"} & set(changed)
    if noticeable:
        for registration in event.candidate_registrations:
            if registration.is_active:
                book_candidate_time(registration.candidate, event.starts_at, event.ends_at, CommitmentKind.EVENT,
                                    registration.id, label=event.title)
    if {"starts_at", "ends_at", "round_minutes", "break_minutes"} & set(changed):
        # rounds moved: slots beyond the new last round disappear, the rest keep their round number
        db.session.execute(delete(ScheduleSlot).where(ScheduleSlot.event_id == event.id,
                                                      ScheduleSlot.round_number >= event.round_count))
    if {"starts_at", "ends_at"} & set(changed):
        for registration in [*event.employer_registrations, *event.candidate_registrations]:
            registration.reminder_sent_at = None  # a new day may need a new reminder
    if noticeable and event.status == EventStatus.PUBLISHED:
        notifications.registration_mails(
            [r for r in [*event.employer_registrations, *event.candidate_registrations] if r.is_active], "event_changed")
    _promote_waitlist(event)
    if warnings:
        audit.record("event.updated", event, actor=by, fields=changed, confirmed_warning=True)
    else:
        audit.record("event.updated", event, actor=by, fields=changed)
    return changed


ALLOWED_TRANSITIONS = {
    EventStatus.DRAFT: {EventStatus.PUBLISHED, EventStatus.CANCELLED},
    EventStatus.PUBLISHED: {EventStatus.CLOSED, EventStatus.CANCELLED},
    EventStatus.CLOSED: {EventStatus.PUBLISHED, EventStatus.CANCELLED},
    EventStatus.CANCELLED: set(),
}


def set_event_status(event: Event, status: EventStatus, by: Any) -> None:
    if status not in ALLOWED_TRANSITIONS[event.status]:
        raise DomainError(_("Van %(old)s naar %(new)s kan niet.", old=event.status.label.lower(), new=status.label.lower()))
    if status == EventStatus.PUBLISHED and event.starts_at <= db.utcnow():
        raise DomainError(_("Deze bijeenkomst is al begonnen of voorbij."))
    lock((Event, [event.id]))
    old = event.status
    event.status = status
    if status == EventStatus.CANCELLED:
        cancelled = []
        for registration in [*event.employer_registrations, *event.candidate_registrations]:
            if registration.is_active:
                registration.status, registration.cancelled_at = BookingStatus.CANCELLED, db.utcnow()
                if isinstance(registration, CandidateRegistration):
                    release(CommitmentKind.EVENT, registration.id)
                cancelled.append(registration)
        if old != EventStatus.DRAFT:
            notifications.registration_mails(cancelled, "event_cancelled", event_cancelled=True)
    db.session.flush()
    audit.record("event.status", event, actor=by, old=old.value, new=status.value)


def _count(model: type[Any], event_id: int) -> int:
    return db.session.scalar(
        select(func.count(model.id)).where(model.event_id == event_id, model.status == BookingStatus.CONFIRMED)
    ) or 0


def _require_open(event: Event) -> None:
    if event.status == EventStatus.CANCELLED:
        raise DomainError(_("Deze bijeenkomst is geannuleerd; aanmelden kan niet meer."))
    if event.status != EventStatus.PUBLISHED:
        raise DomainError(_("Aanmelden voor deze bijeenkomst is niet (meer) mogelijk."))
    if event.starts_at <= db.utcnow():
        raise DomainError(_("Deze bijeenkomst is al begonnen of voorbij."))


# -- employers --------------------------------------------------------------------------------

def register_employer(event: Event, by: Any, *, representatives: int, sectors: Sequence[str] = (),
                      languages: Sequence[str] = (), placements: Sequence[Any] = ()) -> EmployerRegistration:
    """An employer takes a table (or a waitlist place when all tables are taken)."""
    if by.role != Role.EMPLOYER or not by.organisation_approved:
        raise NotAllowed(_("Alleen werkgevers van een goedgekeurde organisatie kunnen zich aanmelden."))
    if not 1 <= (representatives or 0) <= 10:
        raise DomainError(_("Kies 1 tot 10 vertegenwoordigers."), field="representatives")
    for placement in placements:
        if placement.organisation_id != by.organisation_id:
            raise DomainError(_("Kies alleen vacatures van uw eigen organisatie."), field="placement_ids")
    _require_open(event)
    lock((Event, [event.id]))
    registration = db.session.scalars(select(EmployerRegistration).where(
        EmployerRegistration.event_id == event.id, EmployerRegistration.organisation_id == by.organisation_id)).first()
    if registration is not None and registration.is_active:
        raise DomainError(_("Uw organisatie is al aangemeld voor deze bijeenkomst."))
    full = _count(EmployerRegistration, event.id) >= event.table_capacity
    if registration is None:
        registration = EmployerRegistration(event_id=event.id, organisation_id=by.organisation_id)
        db.session.add(registration)
    registration.registered_by_id = by.id
    registration.status = BookingStatus.WAITLISTED if full else BookingStatus.CONFIRMED
    registration.representatives = representatives
    registration.sectors = sorted(set(sectors))
    registration.languages = sorted(set(languages))
    registration.placements = list(placements)
    registration.queued_at, registration.cancelled_at = db.utcnow(), None
    db.session.flush()
    db.session.refresh(registration, ["registered_by", "organisation", "event"])
    notifications.registration_mail(registration, "event_waitlisted" if full else "event_registered")
    audit.record("event.employer_registered", registration, actor=by, status=registration.status.value)
    return registration


def cancel_employer_registration(registration: EmployerRegistration, by: Any) -> None:
    event = registration.event
    if not registration.is_active:
        raise DomainError(_("Deze aanmelding is al geannuleerd."))
    if event.starts_at <= db.utcnow():
        raise DomainError(_("De bijeenkomst is al begonnen; afmelden kan niet meer."))
    lock((Event, [event.id]))
    registration.status, registration.cancelled_at = BookingStatus.CANCELLED, db.utcnow()
    db.session.execute(delete(ScheduleSlot).where(ScheduleSlot.employer_registration_id == registration.id))
    db.session.flush()
    notifications.registration_mail(registration, "event_cancelled")
    _promote_waitlist(event)
    audit.record("event.employer_cancelled", registration, actor=by)


# -- candidates -------------------------------------------------------------------------------

def _require_consent(candidate: Any, until: dt.datetime) -> Any:
    consent = candidate.valid_consent
    if consent is None:
        raise DomainError(_("Deze kandidaat heeft geen geldige toestemming. Leg eerst toestemming vast."),
                          field="candidate_id")
    if consent.expires_at <= until:
        raise DomainError(_("De toestemming van deze kandidaat verloopt vóór deze datum. Vernieuw eerst de toestemming."),
                          field="candidate_id")
    return consent


def register_candidate(event: Event, candidate: Any, by: Any, *, interpreter_language: str | None = None,
                       wishes: Sequence[Any] = ()) -> CandidateRegistration:
    """An account manager registers a candidate (with valid consent) for an event."""
    from portal.candidates.models import Candidate

    if not candidate.can_edit(by):
        raise NotAllowed(_("U mag deze kandidaat niet aanmelden."))
    if interpreter_language and not reference.is_language(interpreter_language):
        raise DomainError(_("Onbekende taal."), field="interpreter_language")
    _require_open(event)
    _require_consent(candidate, event.ends_at)
    lock((Candidate, [candidate.id]), (Event, [event.id]))
    registration = db.session.scalars(select(CandidateRegistration).where(
        CandidateRegistration.event_id == event.id, CandidateRegistration.candidate_id == candidate.id)).first()
    if registration is not None and registration.is_active:
        raise DomainError(_("Deze kandidaat is al aangemeld voor deze bijeenkomst."), field="candidate_id")
    full = _count(CandidateRegistration, event.id) >= event.candidate_capacity
    if registration is None:
        registration = CandidateRegistration(event_id=event.id, candidate_id=candidate.id)
        db.session.add(registration)
    registration.registered_by_id = by.id
    registration.status = BookingStatus.WAITLISTED if full else BookingStatus.CONFIRMED
    registration.interpreter_language = interpreter_language or None
    registration.wishes = list(wishes)
    registration.queued_at, registration.cancelled_at = db.utcnow(), None
    db.session.flush()
    # A waitlist place also holds the time: promotion must never create a double booking.
    book_candidate_time(candidate, event.starts_at, event.ends_at, CommitmentKind.EVENT, registration.id,
                        label=event.title)
    db.session.refresh(registration, ["registered_by", "candidate", "event"])
    notifications.registration_mail(registration, "event_waitlisted" if full else "event_registered")
    audit.record("event.candidate_registered", registration, actor=by, status=registration.status.value)
    return registration


def cancel_candidate_registration(registration: CandidateRegistration, by: Any) -> None:
    event = registration.event
    if not registration.is_active:
        raise DomainError(_("Deze aanmelding is al geannuleerd."))
    if event.starts_at <= db.utcnow():
        raise DomainError(_("De bijeenkomst is al begonnen; afmelden kan niet meer."))
    lock((Event, [event.id]))
    registration.status, registration.cancelled_at = BookingStatus.CANCELLED, db.utcnow()
    release(CommitmentKind.EVENT, registration.id)
    db.session.execute(delete(ScheduleSlot).where(ScheduleSlot.candidate_registration_id == registration.id))
    db.session.flush()
    notifications.registration_mail(registration, "event_cancelled")
    _promote_waitlist(event)
    audit.record("event.candidate_cancelled", registration, actor=by)


def _promote_waitlist(event: Event) -> list[Any]:
    """Fill free places from the waitlist, first come first served; tell each promoted booker.

    Called with the event row locked (by the cancelling or updating operation).
    """
    promoted: list[Any] = []
    if event.status != EventStatus.PUBLISHED:
        return promoted
    for model, capacity in ((EmployerRegistration, event.table_capacity), (CandidateRegistration, event.candidate_capacity)):
        free = capacity - _count(model, event.id)
        if free <= 0:
            continue
        waiting = db.session.scalars(
            select(model).where(model.event_id == event.id, model.status == BookingStatus.WAITLISTED)
            .order_by(model.queued_at, model.id).limit(free)
        ).all()
        for registration in waiting:
            registration.status = BookingStatus.CONFIRMED
            db.session.flush()
            audit.record("event.waitlist_promoted", registration)
            promoted.append(registration)
    notifications.registration_mails(promoted, "event_promoted")
    return promoted


# -- on the day -------------------------------------------------------------------------------

def _local_zone() -> Any:
    from zoneinfo import ZoneInfo

    from flask import current_app

    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def check_in_window(event: Event) -> tuple[dt.datetime, dt.datetime]:
    """Check-in is open on the event's day only: from 00:00 local time (Europe/Amsterdam) on the
    day it starts until the end of the day it ends (an evening event past midnight keeps its
    check-in open until the end of that next day). Both moments in UTC; the end is exclusive."""
    zone = _local_zone()
    first_day = event.starts_at.astimezone(zone).date()
    last_day = event.ends_at.astimezone(zone).date()
    opens = dt.datetime.combine(first_day, dt.time(), tzinfo=zone)
    closes = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    return opens.astimezone(dt.timezone.utc), closes.astimezone(dt.timezone.utc)


def check_in_state(event: Event, now: dt.datetime | None = None) -> str:
    """'not_yet', 'open' or 'closed' (for the check-in page and the check-in operation)."""
    now = now or db.utcnow()
    opens, closes = check_in_window(event)
    return "not_yet" if now < opens else "open" if now < closes else "closed"


def set_checked_in(registration: EmployerRegistration | CandidateRegistration, present: bool, by: Any) -> None:
    if registration.status != BookingStatus.CONFIRMED:
        raise DomainError(_("Alleen bevestigde aanmeldingen kunnen worden aangemeld bij binnenkomst."))
    event = registration.event
    if event.status == EventStatus.CANCELLED:
        raise DomainError(_("Deze bijeenkomst is geannuleerd."))
    state = check_in_state(event)
    if state != "open":
        from portal.core.i18n import format_day

        opens, _closes = check_in_window(event)
        raise DomainError(
            _("Binnenkomst registreren kan op de dag van de bijeenkomst, vanaf %(day)s.", day=format_day(opens))
            if state == "not_yet" else _("De dag van deze bijeenkomst is voorbij; binnenkomst registreren kan niet meer."))
    registration.checked_in_at = db.utcnow() if present else None
    db.session.flush()
    audit.record("event.check_in", registration, actor=by, present=present)


def record_meeting_outcome(slot: ScheduleSlot, outcome: Outcome | str, note: str, by: Any) -> Any:
    """The employer at the table or WSP staff record how a speed date went; a follow-up is created
    for the candidate's account manager."""
    try:
        outcome = Outcome(outcome)
    except ValueError as exc:
        raise DomainError(_("Kies een uitkomst."), field="outcome") from exc
    event = slot.event
    if event.status == EventStatus.CANCELLED:
        raise DomainError(_("Deze bijeenkomst is geannuleerd."))
    if slot.times[0] > db.utcnow():
        raise DomainError(_("Een uitkomst vastleggen kan pas als het gesprek is begonnen."), field="outcome")
    note = (note or "").strip()
    if len(note) > 2000:
        raise DomainError(_("De toelichting is te lang (hoogstens 2000 tekens)."), field="note")
    slot.outcome, slot.outcome_note = outcome.value, note
    slot.outcome_by_id, slot.outcome_at = by.id, db.utcnow()
    registration = slot.employer_registration
    follow_up = record_outcome(
        slot.candidate_registration.candidate, SourceKind.EVENT_MEETING, slot.id, outcome,
        organisation=registration.organisation, note=note, by=by,
        source_label=f"{event.title} – {registration.organisation.name}, {_('ronde')} {slot.round_number + 1}",
        placement=registration.placements[0] if len(registration.placements) == 1 else None,
    )
    # WSP staff record for an employer's table: the entry names the organisation they recorded for
    audit.record("event.meeting_outcome", slot, actor=by, outcome=outcome.value,
                 organisation_id=registration.organisation_id,
                 on_behalf_of_employer=by.role != Role.EMPLOYER)
    return follow_up


# -- schedule ---------------------------------------------------------------------------------

def build_problem(event: Event) -> tuple[scheduling.SchedulingProblem, dict[int, EmployerRegistration], dict[int, CandidateRegistration]]:
    """The scheduler's input from the confirmed registrations, the employers' "I'd like to meet"
    marks (candidates.Interest), the candidates' wishes and the sectors and placements brought.

    Only pairs the candidate's consent scope allows are requested (an organisation outside a
    "selected organisations" consent never gets that candidate at its table).
    """
    from portal.candidates.models import Interest

    tables = {r.id: r for r in event.confirmed_employers}
    people = {r.id: r for r in event.confirmed_candidates}
    candidate_ids = [r.candidate_id for r in people.values()]
    marks: dict[tuple[int, int], set[int | None]] = {}
    if candidate_ids and tables:
        for interest in db.session.scalars(select(Interest).where(
                Interest.candidate_id.in_(candidate_ids),
                Interest.organisation_id.in_([t.organisation_id for t in tables.values()]))):
            marks.setdefault((interest.organisation_id, interest.candidate_id), set()).add(interest.placement_id)
    requests: list[scheduling.MeetingRequest] = []
    for table in tables.values():
        sectors = set(table.sectors) | {p.sector for p in table.placements}
        placement_ids = {p.id for p in table.placements}
        for person in people.values():
            candidate = person.candidate
            consent = candidate.valid_consent_at(event.starts_at) or candidate.valid_consent
            if consent is None or not consent.covers(table.organisation):
                continue
            employer_wants = (table.organisation_id, candidate.id) in marks
            candidate_wants = any(org.id == table.organisation_id for org in person.wishes)
            interest = (scheduling.Interest.MUTUAL if employer_wants and candidate_wants
                        else scheduling.Interest.ONE_SIDED if employer_wants or candidate_wants
                        else scheduling.Interest.SUGGESTED)
            overlap = len(sectors & set(candidate.sector_codes))
            score = min(1.0, 0.5 * overlap / max(1, len(sectors)) + (0.5 if overlap else 0.0))
            if employer_wants and marks[(table.organisation_id, candidate.id)] & placement_ids:
                score = 1.0
            requests.append(scheduling.MeetingRequest(table.id, person.id, interest, round(score, 3)))
    interpreters = set(event.interpreter_languages or ())
    pins = [scheduling.Slot(s.round_number, s.employer_registration_id, s.candidate_registration_id)
            for s in event.slots if s.announced]
    problem = scheduling.SchedulingProblem(
        tables=[scheduling.Table(t.id, frozenset(interpreters | set(t.languages))) for t in tables.values()],
        candidates=[scheduling.Candidate(p.id, p.interpreter_language) for p in people.values()],
        requests=requests, rounds=max(1, event.round_count), max_consecutive_rounds=event.rounds_before_break,
        max_tables_per_round=event.table_capacity, pinned=pins,
    )
    return problem, tables, people


def generate_schedule(event: Event, by: Any) -> scheduling.Schedule:
    """(Re)generate the speed-date schedule. Announced slots are kept where still possible; slots
    that stay the same keep their row (and any outcome)."""
    if event.status not in (EventStatus.PUBLISHED, EventStatus.CLOSED):
        raise DomainError(_("Alleen voor een gepubliceerde of gesloten bijeenkomst kan een rooster worden gemaakt."))
    if event.round_count < 1:
        raise DomainError(_("Er past geen enkele ronde in deze bijeenkomst."))
    lock((Event, [event.id]))
    problem, _tables, _people = build_problem(event)
    schedule = scheduling.generate_schedule(problem)
    interest = {r.pair: int(r.interest) for r in problem.requests}
    wanted = {(s.round, s.table_id, s.candidate_id) for s in schedule.slots()}
    existing = {(s.round_number, s.employer_registration_id, s.candidate_registration_id): s for s in event.slots}
    for key, slot in existing.items():
        if key not in wanted:
            db.session.delete(slot)
    db.session.flush()
    for key in sorted(wanted - existing.keys()):
        number, table_id, candidate_id = key
        db.session.add(ScheduleSlot(event_id=event.id, round_number=number, employer_registration_id=table_id,
                                    candidate_registration_id=candidate_id, interest=interest.get((table_id, candidate_id), 0),
                                    announced=False))
    event.schedule_generated_at = db.utcnow()
    db.session.flush()
    db.session.expire(event, ["slots"])
    report = schedule.report
    audit.record("event.schedule_generated", event, actor=by, meetings=report.meetings_placed,
                 mutual_requested=report.mutual_requested, mutual_satisfied=report.mutual_satisfied,
                 pins_kept=len(report.pins_kept), pins_dropped=len(report.pins_dropped))
    return schedule


def announce_schedule(event: Event, by: Any) -> int:
    if not event.slots:
        raise DomainError(_("Er is nog geen rooster om bekend te maken."))
    count = 0
    for slot in event.slots:
        if not slot.announced:
            slot.announced = True
            count += 1
    event.schedule_announced_at = db.utcnow()
    db.session.flush()
    audit.record("event.schedule_announced", event, actor=by, slots=count)
    return count


def schedule_report(event: Event) -> dict[str, Any]:
    """How many requested meetings (by kind) the stored schedule satisfies."""
    problem, _tables, _people = build_problem(event)
    placed = {(s.employer_registration_id, s.candidate_registration_id) for s in event.slots}
    out: dict[str, Any] = {"meetings": len(event.slots), "rounds": event.round_count}
    for level in scheduling.Interest:
        pairs = [r.pair for r in problem.requests if r.interest == level]
        out[level.name.lower()] = {"requested": len(pairs), "satisfied": sum(1 for p in pairs if p in placed)}
    out["mutual_missed"] = [r.pair for r in problem.requests
                            if r.interest == scheduling.Interest.MUTUAL and r.pair not in placed]
    return out


# ---------------------------------------------------------------------------------------------
# company visits
# ---------------------------------------------------------------------------------------------

VISIT_FIELDS = ("title", "description", "starts_at", "ends_at", "max_group_size", "meeting_point", "what_to_bring",
                "language_support", "language_support_note", "cancel_cutoff_hours")


def create_visit_slot(by: Any, **values: Any) -> VisitSlot:
    if by.role != Role.EMPLOYER or not by.organisation_approved:
        raise NotAllowed(_("Alleen werkgevers van een goedgekeurde organisatie kunnen bedrijfsbezoeken aanbieden."))
    if values["ends_at"] <= values["starts_at"]:
        raise DomainError(_("De eindtijd moet na de begintijd liggen."), field="end_time")
    if values["starts_at"] <= db.utcnow():
        raise DomainError(_("Een bedrijfsbezoek moet in de toekomst liggen."), field="date")
    if values["ends_at"] - values["starts_at"] > dt.timedelta(hours=12):
        raise DomainError(_("Een bedrijfsbezoek duurt hoogstens 12 uur."), field="end_time")
    if not 1 <= (values["max_group_size"] or 0) <= 50:
        raise DomainError(_("Kies een groepsgrootte van 1 tot 50."), field="max_group_size")
    if values["cancel_cutoff_hours"] is None or not 0 <= values["cancel_cutoff_hours"] <= 336:
        raise DomainError(_("Kies 0 tot 336 uur (twee weken)."), field="cancel_cutoff_hours")
    unknown = [c for c in values.get("language_support") or [] if not reference.is_language(c)]
    if unknown:
        raise DomainError(_("Onbekende taal: %(codes)s", codes=", ".join(unknown)), field="language_support")
    slot = VisitSlot(**{k: values[k] for k in VISIT_FIELDS}, organisation_id=by.organisation_id, created_by_id=by.id,
                     status=VisitStatus.OPEN)
    db.session.add(slot)
    db.session.flush()
    audit.record("visit.created", slot, actor=by)
    return slot


def cancel_visit_slot(slot: VisitSlot, by: Any) -> None:
    if slot.status == VisitStatus.CANCELLED:
        raise DomainError(_("Dit bedrijfsbezoek is al geannuleerd."))
    if slot.starts_at <= db.utcnow():
        raise DomainError(_("Dit bedrijfsbezoek is al begonnen of voorbij."))
    lock((VisitSlot, [slot.id]))
    slot.status, slot.cancelled_at = VisitStatus.CANCELLED, db.utcnow()
    cancelled = []
    for booking in slot.bookings:
        if booking.status == BookingStatus.CONFIRMED:
            booking.status, booking.cancelled_at, booking.cancelled_by_id = BookingStatus.CANCELLED, db.utcnow(), by.id
            release(CommitmentKind.VISIT, booking.id)
            cancelled.append(booking)
    notifications.visit_mails(cancelled, "visit_cancelled", slot_cancelled=True)
    db.session.flush()
    audit.record("visit.cancelled", slot, actor=by)


def book_visit(slot: VisitSlot, candidate: Any, by: Any, *, interpreter_language: str | None = None) -> VisitBooking:
    """An account manager books a candidate into a visit slot; refused when full (no waitlist)."""
    from portal.candidates.models import Candidate

    if by.role not in (Role.ACCOUNT_MANAGER, Role.WSP, Role.ADMIN) or not candidate.can_edit(by):
        raise NotAllowed(_("U mag deze kandidaat niet aanmelden."))
    if interpreter_language and not reference.is_language(interpreter_language):
        raise DomainError(_("Onbekende taal."), field="interpreter_language")
    if slot.status == VisitStatus.CANCELLED:
        raise DomainError(_("Dit bedrijfsbezoek is geannuleerd."))
    now = db.utcnow()
    if slot.starts_at <= now:
        raise DomainError(_("Dit bedrijfsbezoek ligt in het verleden."))
    if slot.cutoff <= now:
        raise DomainError(_("Aanmelden kon tot %(hours)d uur voor het begin.", hours=slot.cancel_cutoff_hours))
    _require_consent(candidate, slot.ends_at)
    lock((Candidate, [candidate.id]), (VisitSlot, [slot.id]))
    booking = db.session.scalars(select(VisitBooking).where(VisitBooking.slot_id == slot.id,
                                                            VisitBooking.candidate_id == candidate.id)).first()
    if booking is not None and booking.status == BookingStatus.CONFIRMED:
        raise DomainError(_("Deze kandidaat is al aangemeld voor dit bedrijfsbezoek."), field="candidate_id")
    confirmed = db.session.scalar(select(func.count(VisitBooking.id)).where(
        VisitBooking.slot_id == slot.id, VisitBooking.status == BookingStatus.CONFIRMED)) or 0
    if confirmed >= slot.max_group_size:
        raise DomainError(_("Dit bedrijfsbezoek is vol."), field="candidate_id")
    if booking is None:
        booking = VisitBooking(slot_id=slot.id, candidate_id=candidate.id)
        db.session.add(booking)
    booking.status, booking.booked_by_id = BookingStatus.CONFIRMED, by.id
    booking.interpreter_language = interpreter_language or None
    booking.cancelled_at, booking.cancelled_by_id = None, None
    db.session.flush()
    book_candidate_time(candidate, slot.starts_at, slot.ends_at, CommitmentKind.VISIT, booking.id,
                        label=f"{slot.organisation.name}: {slot.title}")
    db.session.refresh(booking, ["booked_by", "candidate", "slot"])
    notifications.visit_mail(booking, "visit_booked")
    notifications.visit_host_mail(booking, cancelled=False)
    audit.record("visit.booked", booking, actor=by)
    return booking


def cancel_visit_booking(booking: VisitBooking, by: Any) -> None:
    slot = booking.slot
    if booking.status != BookingStatus.CONFIRMED:
        raise DomainError(_("Deze aanmelding is al geannuleerd."))
    if slot.cutoff <= db.utcnow():
        raise DomainError(_("Annuleren kon tot %(hours)d uur voor het begin. Neem contact op met de werkgever.",
                            hours=slot.cancel_cutoff_hours))
    lock((VisitSlot, [slot.id]))
    booking.status, booking.cancelled_at, booking.cancelled_by_id = BookingStatus.CANCELLED, db.utcnow(), by.id
    release(CommitmentKind.VISIT, booking.id)
    db.session.flush()
    notifications.visit_mail(booking, "visit_cancelled", by_employer=by.role == Role.EMPLOYER)
    if by.role != Role.EMPLOYER:
        notifications.visit_host_mail(booking, cancelled=True)
    audit.record("visit.booking_cancelled", booking, actor=by)


# ---------------------------------------------------------------------------------------------
# reminders
# ---------------------------------------------------------------------------------------------

def send_reminders(now: dt.datetime | None = None) -> int:
    """Remind every confirmed booking of something that starts before the end of tomorrow (local
    time) and has not been reminded yet. Idempotent: each booking remembers when it was reminded."""
    from zoneinfo import ZoneInfo

    from flask import current_app

    now = now or db.utcnow()
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    local_tomorrow_end = dt.datetime.combine(now.astimezone(zone).date() + dt.timedelta(days=2), dt.time(), tzinfo=zone)
    horizon = local_tomorrow_end.astimezone(dt.timezone.utc)
    sent = 0
    for model in (EmployerRegistration, CandidateRegistration):
        rows = db.session.scalars(
            select(model).join(Event, Event.id == model.event_id).where(
                Event.status == EventStatus.PUBLISHED, Event.starts_at > now, Event.starts_at < horizon,
                model.status == BookingStatus.CONFIRMED, model.reminder_sent_at.is_(None),
            ).order_by(model.id)
        ).all()
        for registration in rows:
            registration.reminder_sent_at = now
            sent += 1
        notifications.registration_mails(rows, "event_reminder", bump=False)
    bookings = db.session.scalars(
        select(VisitBooking).join(VisitSlot, VisitSlot.id == VisitBooking.slot_id).where(
            VisitSlot.status == VisitStatus.OPEN, VisitSlot.starts_at > now, VisitSlot.starts_at < horizon,
            VisitBooking.status == BookingStatus.CONFIRMED, VisitBooking.reminder_sent_at.is_(None),
        ).order_by(VisitBooking.id)
    ).all()
    for booking in bookings:
        booking.reminder_sent_at = now
        sent += 1
    notifications.visit_mails(bookings, "visit_reminder", bump=False)
    db.session.flush()
    return sent


def personal_schedule(registration: CandidateRegistration) -> list[tuple[int, dt.datetime, dt.datetime, Any]]:
    """Per round: (round, start, end, employer registration or None for a break)."""
    event = registration.event
    by_round = {s.round_number: s for s in event.slots if s.candidate_registration_id == registration.id}
    return [(n, *event.round_times(n), by_round[n].employer_registration if n in by_round else None)
            for n in range(event.round_count)]


def table_schedule(registration: EmployerRegistration) -> list[tuple[int, dt.datetime, dt.datetime, Any]]:
    event = registration.event
    by_round = {s.round_number: s for s in event.slots if s.employer_registration_id == registration.id}
    return [(n, *event.round_times(n), by_round.get(n)) for n in range(event.round_count)]


def table_numbers(event: Event) -> dict[int, int]:
    """Table numbers, the same on every screen and printout: the confirmed employers in order of
    registration, numbered from 1 (employer registration id -> table number)."""
    return {registration.id: number for number, registration in enumerate(event.confirmed_employers, start=1)}


def ids(items: Iterable[Any]) -> list[int]:
    return [item.id for item in items]


# ---------------------------------------------------------------------------------------------
# consent ends, candidate erased (hooks of portal.candidates)
# ---------------------------------------------------------------------------------------------

def cancel_future_bookings(candidate: Any, *, notify: bool = True, by: Any = None) -> int:
    """Cancel the candidate's event places and visit bookings that have not started yet (their
    time is released, waitlists move up). Used when consent ends and before erasure."""
    now = db.utcnow()
    count = 0
    registrations = db.session.scalars(
        select(CandidateRegistration).join(Event, Event.id == CandidateRegistration.event_id).where(
            CandidateRegistration.candidate_id == candidate.id, CandidateRegistration.status != BookingStatus.CANCELLED,
            Event.starts_at > now).order_by(CandidateRegistration.id)).all()
    for registration in registrations:
        lock((Event, [registration.event_id]))
        registration.status, registration.cancelled_at = BookingStatus.CANCELLED, now
        release(CommitmentKind.EVENT, registration.id)
        db.session.execute(delete(ScheduleSlot).where(ScheduleSlot.candidate_registration_id == registration.id))
        db.session.flush()
        if notify:
            notifications.registration_mail(registration, "event_cancelled", consent_ended=True)
        _promote_waitlist(registration.event)
        audit.record("event.candidate_cancelled", registration, actor=by, reason="consent_ended")
        count += 1
    return count + _cancel_visit_bookings(_future_visit_bookings(candidate), notify=notify, by=by)


def cancel_visits_outside_consent(candidate: Any) -> int:
    """A new consent replaced the old one: cancel visits to employers it no longer covers."""
    consent = candidate.valid_consent
    return _cancel_visit_bookings([
        booking for booking in _future_visit_bookings(candidate)
        if consent is None or not consent.covers(booking.slot.organisation)
    ])


def _future_visit_bookings(candidate: Any) -> list[VisitBooking]:
    return list(db.session.scalars(
        select(VisitBooking).join(VisitSlot, VisitSlot.id == VisitBooking.slot_id).where(
            VisitBooking.candidate_id == candidate.id, VisitBooking.status == BookingStatus.CONFIRMED,
            VisitSlot.starts_at > db.utcnow()).order_by(VisitBooking.id)))


def _cancel_visit_bookings(bookings: list[VisitBooking], *, notify: bool = True, by: Any = None) -> int:
    for booking in bookings:
        booking.status, booking.cancelled_at = BookingStatus.CANCELLED, db.utcnow()
        release(CommitmentKind.VISIT, booking.id)
        db.session.flush()
        if notify:
            notifications.visit_mail(booking, "visit_cancelled", consent_ended=True)
            notifications.visit_host_mail(booking, cancelled=True)
        audit.record("visit.booking_cancelled", booking, actor=by, reason="consent_ended")
    return len(bookings)


def _register_candidate_hooks() -> None:
    from portal.candidates import hooks

    @hooks.on_consent_ended
    def _consent_ended(candidate: Any, reason: str) -> None:
        if reason in (hooks.WITHDRAWN, hooks.EXPIRED):
            cancel_future_bookings(candidate)

    @hooks.on_consent_replaced
    def _consent_replaced(candidate: Any) -> None:
        cancel_visits_outside_consent(candidate)

    @hooks.on_candidate_erased
    def _erased(candidate: Any) -> None:
        # no mail naming a person who is being erased; the rows themselves go with ON DELETE CASCADE
        cancel_future_bookings(candidate, notify=False)


_register_candidate_hooks()


reminders.sender("events")(send_reminders)


# -- company visits: check-in and outcomes -----------------------------------------------------

def set_visit_checked_in(booking: VisitBooking, present: bool, by: Any) -> None:
    """The host employer or WSP staff mark a visitor present (or not) on the day."""
    if booking.status != BookingStatus.CONFIRMED:
        raise DomainError(_("Alleen bevestigde aanmeldingen kunnen worden aangemeld bij binnenkomst."))
    if booking.slot.starts_at - dt.timedelta(hours=2) > db.utcnow():
        raise DomainError(_("Aanmelden bij binnenkomst kan op de dag van het bezoek."))
    booking.checked_in_at = db.utcnow() if present else None
    db.session.flush()
    audit.record("visit.check_in", booking, actor=by, present=present, candidate_id=booking.candidate_id)


def record_visit_outcome(booking: VisitBooking, outcome: Outcome | str, note: str, by: Any, *,
                         placement: Any = None) -> Any:
    """The host employer or WSP staff record how the visit went for one visitor. Like every
    outcome it goes through portal.events.followups.record_outcome, which moves the traject (for
    `placement`, one of the host's placements, or the one the trajects area resolves)."""
    try:
        outcome = Outcome(outcome)
    except ValueError as exc:
        raise DomainError(_("Kies een uitkomst."), field="outcome") from exc
    slot = booking.slot
    if booking.status != BookingStatus.CONFIRMED or slot.status == VisitStatus.CANCELLED:
        raise DomainError(_("Dit bezoek of deze aanmelding is geannuleerd."))
    if slot.starts_at > db.utcnow():
        raise DomainError(_("Een uitkomst vastleggen kan pas als het bezoek is begonnen."), field="outcome")
    if placement is not None and placement.organisation_id != slot.organisation_id:
        raise DomainError(_("Kies een plek van de organisatie van het bezoek."), field="placement_id")
    note = (note or "").strip()
    if len(note) > 2000:
        raise DomainError(_("De toelichting is te lang (hoogstens 2000 tekens)."), field="note")
    booking.outcome, booking.outcome_note = outcome.value, note
    booking.outcome_at, booking.outcome_by_id = db.utcnow(), by.id
    booking.outcome_placement_id = getattr(placement, "id", None)
    if outcome == Outcome.NO_SHOW:
        booking.checked_in_at = None
    elif booking.checked_in_at is None:
        booking.checked_in_at = db.utcnow()  # an outcome other than no-show means the visitor came
    follow_up = record_outcome(
        booking.candidate, SourceKind.VISIT, booking.id, outcome, organisation=slot.organisation, note=note, by=by,
        source_label=f"{slot.organisation.name}: {slot.title}", placement=placement,
    )
    audit.record("visit.outcome_recorded", booking, actor=by, outcome=outcome.value, candidate_id=booking.candidate_id)
    return follow_up
