"""Domain operations for one-to-one meetings: publish availability, book, confirm, move, cancel,
record the outcome, remind. They flush and audit but never commit (see DESIGN.md §6).

Booking order (DESIGN.md, capacity): lock the candidate and the slot rows together (sorted by
table name; a no-op on SQLite where the transaction already holds the write lock) -> check the
slot is free -> reserve the candidate's time through `portal.events.commitments` (refuses overlaps
with other meetings, events and visits) -> insert the booking. The partial unique index on
``meeting_bookings(slot_id)`` for active bookings is the last line of defence: a violation becomes
the same "already taken" message, never a 500.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, exists, or_, select
from sqlalchemy.exc import IntegrityError

from portal.candidates.models import Candidate
from portal.core import audit, db, reminders
from portal.core.errors import DomainError
from portal.core.i18n import format_span, format_when
from portal.core.locking import lock
from portal.core.roles import Role
from portal.events.commitments import CommitmentKind, book_candidate_time, release
from portal.events.followups import FollowUp, Outcome, SourceKind, record_outcome
from portal.meetings import notifications
from portal.meetings.models import (
    ACTIVE_STATUSES, AvailabilitySeries, CancelReason, LocationKind, MeetingBooking, MeetingSlot, MeetingStatus,
    SlotStatus, meeting_slot_candidates,
)

NOTE_MAX = 500
MAX_SLOTS_PER_SERIES = 200


def local_zone() -> ZoneInfo:
    name = current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Amsterdam") if has_app_context() else "Europe/Amsterdam"
    return ZoneInfo(name)


def local_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    """A wall-clock time in the portal's time zone, as an aware UTC datetime."""
    return dt.datetime.combine(day, time, tzinfo=local_zone()).astimezone(dt.timezone.utc)


def is_https_url(value: str) -> bool:
    value = (value or "").strip()
    if not value or any(ch.isspace() or ord(ch) < 32 for ch in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.hostname) and "." in parts.hostname


@dataclass(frozen=True)
class WhereAndWho:
    """Where a meeting takes place and who attends; shared by single slots and series."""

    location_kind: LocationKind
    address: str = ""
    video_url: str = ""
    account_manager_attends: bool = True
    interpreter_attends: bool = False
    interpreter_language: str = ""
    auto_confirm: bool = False
    cutoff_hours: int = 24

    def check(self) -> None:
        kind = LocationKind(self.location_kind)
        if kind == LocationKind.MUNICIPAL_OFFICE and not self.address.strip():
            raise DomainError(_("Vul het adres van het gemeentekantoor in."), field="address")
        if kind == LocationKind.VIDEO_CALL and not is_https_url(self.video_url):
            raise DomainError(_("Vul een geldige videogesprek-link in die met https:// begint."), field="video_url")
        if not 0 <= self.cutoff_hours <= 168:
            raise DomainError(_("Kies een termijn tussen 0 en 168 uur."), field="cutoff_hours")

    def columns(self) -> dict[str, Any]:
        kind = LocationKind(self.location_kind)
        return dict(
            location_kind=kind,
            address=self.address.strip() if kind == LocationKind.MUNICIPAL_OFFICE else "",
            video_url=self.video_url.strip() if kind == LocationKind.VIDEO_CALL else "",
            account_manager_attends=bool(self.account_manager_attends),
            interpreter_attends=bool(self.interpreter_attends),
            interpreter_language=(self.interpreter_language or "") if self.interpreter_attends else "",
            auto_confirm=bool(self.auto_confirm), cutoff_hours=int(self.cutoff_hours),
        )


def _when(start: dt.datetime, end: dt.datetime) -> str:
    return format_span(start, end)


# -- publishing availability ------------------------------------------------------------------

def _check_no_overlap(owner: Any, times: Sequence[tuple[dt.datetime, dt.datetime]], candidate_ids: set[int]) -> None:
    """Refuse when a new slot overlaps an open slot of the same account manager or for one of the candidates."""
    if not times:
        return
    first, last = min(s for s, _e in times), max(e for _s, e in times)
    for_candidate = exists().where(meeting_slot_candidates.c.slot_id == MeetingSlot.id,
                                   meeting_slot_candidates.c.candidate_id.in_(candidate_ids or {-1}))
    existing = db.session.scalars(
        select(MeetingSlot).where(
            MeetingSlot.status == SlotStatus.OPEN, MeetingSlot.starts_at < last, MeetingSlot.ends_at > first,
            or_(MeetingSlot.owner_id == owner.id, for_candidate),
        ).order_by(MeetingSlot.starts_at)
    ).all()
    for start, end in sorted(times):
        for slot in existing:
            if slot.starts_at < end and slot.ends_at > start:
                who = (_("uw eigen tijdslot") if slot.owner_id == owner.id
                       else _("een tijdslot van een collega voor dezelfde kandidaat"))
                raise DomainError(_(
                    "Deze beschikbaarheid overlapt met %(who)s op %(when)s. Er is niets opgeslagen; "
                    "kies andere tijden of trek dat tijdslot eerst in.", who=who, when=_when(slot.starts_at, slot.ends_at)))


def _candidates(candidates: Iterable[Candidate]) -> list[Candidate]:
    chosen = list({c.id: c for c in candidates}.values())
    if not chosen:
        raise DomainError(_("Kies ten minste één kandidaat."), field="candidate_ids")
    return chosen


def _create_slots(owner: Any, times: Sequence[tuple[dt.datetime, dt.datetime]], spec: WhereAndWho,
                  candidates: list[Candidate], series: AvailabilitySeries | None = None) -> list[MeetingSlot]:
    now = db.utcnow()
    if any(start <= now for start, _end in times):
        raise DomainError(_("Een tijdslot kan niet in het verleden liggen."), field="date")
    lock((Candidate, [c.id for c in candidates]))
    _check_no_overlap(owner, times, {c.id for c in candidates})
    slots = []
    for start, end in sorted(times):
        slot = MeetingSlot(owner_id=owner.id, series=series, starts_at=start, ends_at=end, candidates=list(candidates),
                           **spec.columns())
        db.session.add(slot)
        slots.append(slot)
    db.session.flush()
    return slots


def create_slot(owner: Any, *, date: dt.date, start: dt.time, minutes: int, spec: WhereAndWho,
                candidates: Iterable[Candidate]) -> MeetingSlot:
    spec.check()
    chosen = _candidates(candidates)
    if not 10 <= minutes <= 240:
        raise DomainError(_("Een gesprek duurt tussen 10 en 240 minuten."), field="minutes")
    starts_at = local_datetime(date, start)
    slot = _create_slots(owner, [(starts_at, starts_at + dt.timedelta(minutes=minutes))], spec, chosen)[0]
    audit.record("meetings.slot_published", slot, actor=owner, candidate_ids=[c.id for c in chosen])
    return slot


def series_times(weekday: int, start: dt.time, end: dt.time, slot_minutes: int, first_date: dt.date,
                 weeks: int) -> list[tuple[dt.datetime, dt.datetime]]:
    """The slots of recurring availability: each `weekday` from `first_date` for `weeks` weeks."""
    day = first_date + dt.timedelta(days=(weekday - first_date.weekday()) % 7)
    times = []
    step = dt.timedelta(minutes=slot_minutes)
    for week in range(weeks):
        current = day + dt.timedelta(weeks=week)
        slot_start = dt.datetime.combine(current, start)
        day_end = dt.datetime.combine(current, end)
        while slot_start + step <= day_end:
            zone = local_zone()
            times.append((slot_start.replace(tzinfo=zone).astimezone(dt.timezone.utc),
                          (slot_start + step).replace(tzinfo=zone).astimezone(dt.timezone.utc)))
            slot_start += step
    return times


def create_series(owner: Any, *, weekday: int, start: dt.time, end: dt.time, slot_minutes: int, first_date: dt.date,
                  weeks: int, spec: WhereAndWho, candidates: Iterable[Candidate]) -> AvailabilitySeries:
    spec.check()
    chosen = _candidates(candidates)
    if end <= start:
        raise DomainError(_("Het einde moet na het begin liggen."), field="end")
    if not 10 <= slot_minutes <= 240:
        raise DomainError(_("Een gesprek duurt tussen 10 en 240 minuten."), field="slot_minutes")
    if not 1 <= weeks <= 26:
        raise DomainError(_("Kies 1 tot 26 weken."), field="weeks")
    times = series_times(weekday, start, end, slot_minutes, first_date, weeks)
    now = db.utcnow()
    if not times:
        raise DomainError(_("In deze periode past geen enkel gesprek van deze lengte."), field="slot_minutes")
    if times[0][0] <= now:
        raise DomainError(_("De eerste dag ligt in het verleden of is vandaag al begonnen; kies een latere begindatum."),
                          field="first_date")
    if len(times) > MAX_SLOTS_PER_SERIES:
        raise DomainError(_("Dat zijn te veel tijdsloten tegelijk (meer dan %(n)d).", n=MAX_SLOTS_PER_SERIES),
                          field="weeks")
    series = AvailabilitySeries(owner_id=owner.id, weekday=weekday, start_time=start.strftime("%H:%M"),
                                end_time=end.strftime("%H:%M"), slot_minutes=slot_minutes, first_date=first_date,
                                weeks=weeks, candidates=chosen, **spec.columns())
    db.session.add(series)
    slots = _create_slots(owner, times, spec, chosen, series=series)
    audit.record("meetings.series_published", series, actor=owner, slots=len(slots),
                 candidate_ids=[c.id for c in chosen])
    return series


def withdraw_slot(slot: MeetingSlot, by: Any) -> None:
    if slot.active_booking is not None:
        raise DomainError(_("Dit tijdslot is geboekt. Annuleer of verplaats eerst het gesprek."))
    if slot.status == SlotStatus.WITHDRAWN:
        return
    slot.status = SlotStatus.WITHDRAWN
    db.session.flush()
    audit.record("meetings.slot_withdrawn", slot, actor=by)


# -- finding free slots -----------------------------------------------------------------------

def free_slots_query(candidate_id: Any, now: Any = None):
    """Open slots for the candidate, before their cut-off, without an active booking (the candidate
    and the moment: values, or bound parameters as in `_free_slots_statement`)."""
    if now is None:
        now = db.utcnow()
    taken = exists().where(MeetingBooking.slot_id == MeetingSlot.id, MeetingBooking.status.in_(ACTIVE_STATUSES))
    for_candidate = exists().where(meeting_slot_candidates.c.slot_id == MeetingSlot.id,
                                   meeting_slot_candidates.c.candidate_id == candidate_id)
    return (select(MeetingSlot)
            .where(MeetingSlot.status == SlotStatus.OPEN, MeetingSlot.starts_at > now, for_candidate, ~taken)
            .order_by(MeetingSlot.starts_at, MeetingSlot.id))


@cache
def _free_slots_statement() -> Any:
    """`free_slots_query` with the candidate and the moment bound, built once per process (the
    candidate's gallery page asks it on every view: no SQL cache key computed again each time)."""
    return free_slots_query(bindparam("candidate_id"), bindparam("now", type_=MeetingSlot.starts_at.type))


def free_slots(candidate_id: int, now: dt.datetime | None = None, exclude: int | None = None) -> list[MeetingSlot]:
    now = now or db.utcnow()
    return [s for s in db.session.scalars(_free_slots_statement(), {"candidate_id": candidate_id, "now": now})
            if now < s.cutoff and s.id != exclude]


# -- booking ----------------------------------------------------------------------------------

class SlotTaken(DomainError):
    def __init__(self) -> None:
        super().__init__(_("Dit tijdslot is al geboekt. Kies een ander tijdslot."), field="slot_id")


def _check_slot_bookable(slot: MeetingSlot | None, candidate: Candidate, now: dt.datetime,
                         own_booking: MeetingBooking | None = None) -> MeetingSlot:
    if slot is None or slot.status != SlotStatus.OPEN:
        raise DomainError(_("Dit tijdslot bestaat niet (meer). Kies een ander tijdslot."), field="slot_id")
    if not slot.is_for(candidate.id):
        raise DomainError(_("Dit tijdslot is niet voor deze kandidaat. Kies een van de getoonde tijdsloten."),
                          field="slot_id")
    if slot.starts_at <= now:
        raise DomainError(_("Dit tijdslot ligt in het verleden. Kies een tijdslot in de toekomst."), field="slot_id")
    if now >= slot.cutoff:
        raise DomainError(_("Dit tijdslot begint binnen %(h)d uur en kan niet meer worden geboekt.",
                            h=slot.cutoff_hours), field="slot_id")
    active = db.session.scalars(
        select(MeetingBooking).where(MeetingBooking.slot_id == slot.id, MeetingBooking.status.in_(ACTIVE_STATUSES))
    ).first()
    if active is not None and active is not own_booking:
        raise SlotTaken()
    return slot


@contextmanager
def _all_or_nothing():
    """Run a booking change in a savepoint: a refusal (or a concurrent booking that trips the unique
    index) leaves nothing behind in the session, and the index violation becomes a clear message."""
    savepoint = db.session.begin_nested()
    try:
        yield
        db.session.flush()
    except IntegrityError as exc:
        savepoint.rollback()
        if "uq_meeting_bookings_active_slot" in str(exc) or "meeting_bookings.slot_id" in str(exc):
            raise SlotTaken() from exc
        raise
    except BaseException:
        savepoint.rollback()
        raise
    savepoint.commit()


def _label(slot: MeetingSlot, organisation: Any) -> str:
    return _("Kennismakingsgesprek met %(org)s", org=organisation.name)


def book(user: Any, candidate: Candidate, slot_id: int | None, *, placement: Any = None, note: str = "") -> MeetingBooking:
    """An employer books a free slot for a candidate it may see (the view checks visibility -> 404)."""
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise DomainError(_("De toelichting is te lang (hoogstens %(n)d tekens).", n=NOTE_MAX), field="note")
    if placement is not None and placement.organisation_id != user.organisation_id:
        raise DomainError(_("Kies een plek van uw eigen organisatie."), field="placement_id")
    if slot_id is None:
        raise DomainError(_("Kies een tijdslot."), field="slot_id")
    now = db.utcnow()
    lock((Candidate, [candidate.id]), (MeetingSlot, [int(slot_id)]))
    slot = db.session.get(MeetingSlot, int(slot_id), populate_existing=True)
    _check_slot_bookable(slot, candidate, now)
    organisation = user.organisation
    booking = MeetingBooking(slot_id=slot.id, candidate_id=candidate.id, organisation_id=organisation.id, booked_by_id=user.id,
                             placement_id=getattr(placement, "id", None), note=note, status=MeetingStatus.REQUESTED)
    with _all_or_nothing():
        db.session.add(booking)
        db.session.flush()
        booking.slot = slot
        book_candidate_time(candidate, slot.starts_at, slot.ends_at, CommitmentKind.MEETING, booking.id,
                            label=_label(slot, organisation))
    audit.record("meetings.booked", booking, actor=user, slot_id=slot.id, candidate_id=candidate.id,
                 auto_confirm=slot.auto_confirm)
    from portal.trajects.sources import meeting_booked

    meeting_booked(booking, by=user)
    if slot.auto_confirm:
        booking.status, booking.confirmed_at = MeetingStatus.CONFIRMED, now
        db.session.flush()
        notifications.notify(booking, "meeting_confirmed", bump=False)
    else:
        notifications.notify(booking, "meeting_requested", bump=False)
    return booking


def confirm(booking: MeetingBooking, by: Any) -> None:
    if booking.status == MeetingStatus.CONFIRMED:
        return
    if booking.status != MeetingStatus.REQUESTED:
        raise DomainError(_("Dit gesprek is geannuleerd en kan niet meer worden bevestigd."))
    if booking.slot.starts_at <= db.utcnow():
        raise DomainError(_("Dit gesprek ligt in het verleden."))
    booking.status, booking.confirmed_at, booking.confirmed_by_id = MeetingStatus.CONFIRMED, db.utcnow(), by.id
    db.session.flush()
    audit.record("meetings.confirmed", booking, actor=by)
    notifications.notify(booking, "meeting_confirmed")


def _check_changeable(booking: MeetingBooking) -> None:
    if not booking.is_active:
        raise DomainError(_("Dit gesprek is al geannuleerd."))
    if db.utcnow() >= booking.slot.cutoff:
        raise DomainError(_("Wijzigen of annuleren kan tot %(h)d uur voor het gesprek. Neem voor een wijziging "
                            "contact op met de accountmanager.", h=booking.slot.cutoff_hours))


def _cancel(booking: MeetingBooking, by: Any, reason: CancelReason) -> None:
    booking.status, booking.cancelled_at = MeetingStatus.CANCELLED, db.utcnow()
    booking.cancelled_by_id, booking.cancel_reason = getattr(by, "id", None), reason
    db.session.flush()
    release(CommitmentKind.MEETING, booking.id)
    audit.record("meetings.cancelled", booking, actor=by, reason=reason.value)


def cancel(booking: MeetingBooking, by: Any) -> None:
    _check_changeable(booking)
    reason = CancelReason.EMPLOYER if by.role == Role.EMPLOYER else CancelReason.ACCOUNT_MANAGER
    _cancel(booking, by, reason)
    notifications.notify(booking, "meeting_cancelled", cancelled_by=by)


def move(booking: MeetingBooking, new_slot_id: int | None, by: Any) -> None:
    """Propose another slot: the booking (and its calendar entry) moves. A move by the employer needs
    the account manager's confirmation again (unless the new slot confirms automatically); a move by
    the account manager is confirmed at once; the other side is told and may cancel or move again."""
    _check_changeable(booking)
    if new_slot_id is None:
        raise DomainError(_("Kies een tijdslot."), field="slot_id")
    if int(new_slot_id) == booking.slot_id:
        raise DomainError(_("Kies een ander tijdslot dan het huidige."), field="slot_id")
    candidate = booking.candidate
    lock((Candidate, [candidate.id]), (MeetingSlot, sorted({booking.slot_id, int(new_slot_id)})))
    slot = db.session.get(MeetingSlot, int(new_slot_id), populate_existing=True)
    _check_slot_bookable(slot, candidate, db.utcnow())
    old = booking.slot
    try:
        with _all_or_nothing():
            booking.slot = slot
            db.session.flush()
            book_candidate_time(candidate, slot.starts_at, slot.ends_at, CommitmentKind.MEETING, booking.id,
                                label=_label(slot, booking.organisation))
    except BaseException:
        db.session.refresh(booking)
        raise
    if by.role == Role.EMPLOYER and not slot.auto_confirm:
        booking.status, booking.confirmed_at, booking.confirmed_by_id = MeetingStatus.REQUESTED, None, None
    else:
        booking.status, booking.confirmed_at = MeetingStatus.CONFIRMED, db.utcnow()
        booking.confirmed_by_id = by.id if by.role != Role.EMPLOYER else None
    booking.reminder_sent_at = None
    db.session.flush()
    audit.record("meetings.moved", booking, actor=by, from_slot_id=old.id, to_slot_id=slot.id)
    notifications.notify(booking, "meeting_changed", changed_by=by, previous_start=old.starts_at)


def cancel_open_bookings_of(candidate: Candidate) -> int:
    """The candidate is no longer available (consent ended, erased): cancel the future bookings and tell
    both sides "no longer available", never why. Also removes the candidate from open slots."""
    now = db.utcnow()
    bookings = db.session.scalars(
        select(MeetingBooking).join(MeetingSlot).where(
            MeetingBooking.candidate_id == candidate.id, MeetingBooking.status.in_(ACTIVE_STATUSES),
            MeetingSlot.ends_at > now)
        .order_by(MeetingBooking.id)
    ).all()
    for booking in bookings:
        _cancel(booking, None, CancelReason.UNAVAILABLE)
        notifications.notify(booking, "meeting_unavailable")
    db.session.execute(meeting_slot_candidates.delete().where(
        meeting_slot_candidates.c.candidate_id == candidate.id,
        meeting_slot_candidates.c.slot_id.in_(select(MeetingSlot.id).where(MeetingSlot.starts_at > now)),
    ))
    db.session.flush()
    for slot in db.session.identity_map.values():
        if isinstance(slot, MeetingSlot):
            db.session.expire(slot, ["candidates"])
    if bookings:
        audit.record("meetings.cancelled_unavailable", candidate, actor=None, bookings=[b.id for b in bookings])
    return len(bookings)


def cancel_bookings_outside_consent(candidate: Candidate) -> int:
    """A new consent replaced the old one: cancel future bookings of organisations it no longer covers,
    telling both sides "no longer available" (never why)."""
    consent = candidate.valid_consent
    bookings = [
        booking for booking in db.session.scalars(
            select(MeetingBooking).join(MeetingSlot).where(
                MeetingBooking.candidate_id == candidate.id, MeetingBooking.status.in_(ACTIVE_STATUSES),
                MeetingSlot.ends_at > db.utcnow())
            .order_by(MeetingBooking.id)
        )
        if consent is None or not consent.covers(booking.organisation)
    ]
    for booking in bookings:
        _cancel(booking, None, CancelReason.UNAVAILABLE)
        notifications.notify(booking, "meeting_unavailable")
    return len(bookings)


# -- afterwards -------------------------------------------------------------------------------

def record_meeting_outcome(booking: MeetingBooking, outcome: Outcome | str, note: str, by: Any) -> FollowUp:
    """The employer records how it went; creates (or updates) the follow-up for the account manager."""
    if booking.status != MeetingStatus.CONFIRMED:
        raise DomainError(_("Alleen bij een bevestigd gesprek kunt u een uitkomst vastleggen."), field="outcome")
    if booking.slot.ends_at > db.utcnow():
        raise DomainError(_("U kunt de uitkomst vastleggen zodra het gesprek voorbij is."), field="outcome")
    try:
        outcome = Outcome(outcome)
    except ValueError as exc:
        raise DomainError(_("Kies een uitkomst."), field="outcome") from exc
    note = (note or "").strip()
    if len(note) > 1000:
        raise DomainError(_("De toelichting is te lang (hoogstens 1000 tekens)."), field="note")
    booking.outcome, booking.outcome_note, booking.outcome_at, booking.outcome_by_id = outcome.value, note, db.utcnow(), by.id
    follow_up = record_outcome(
        booking.candidate, SourceKind.MEETING, booking.id, outcome, organisation=booking.organisation, note=note, by=by,
        placement=booking.placement,
        source_label=_("Kennismakingsgesprek met %(org)s op %(when)s", org=booking.organisation.name,
                       when=format_when(booking.slot.starts_at)),
    )
    audit.record("meetings.outcome_recorded", booking, actor=by, outcome=outcome.value)
    return follow_up


def follow_up_for(booking: MeetingBooking) -> FollowUp | None:
    return db.session.scalars(select(FollowUp).where(
        FollowUp.candidate_id == booking.candidate_id, FollowUp.source_kind == SourceKind.MEETING,
        FollowUp.source_ref == booking.id)).first()


# -- reminders --------------------------------------------------------------------------------

def send_reminders(now: dt.datetime | None = None) -> int:
    """Remind both sides of confirmed meetings that start tomorrow (local time) or sooner. Idempotent:
    each booking is reminded once (`reminder_sent_at`; reset when the meeting moves)."""
    now = now or db.utcnow()
    tomorrow = now.astimezone(local_zone()).date() + dt.timedelta(days=1)
    horizon = dt.datetime.combine(tomorrow + dt.timedelta(days=1), dt.time(0), tzinfo=local_zone())
    bookings = db.session.scalars(
        select(MeetingBooking).join(MeetingSlot).where(
            MeetingBooking.status == MeetingStatus.CONFIRMED, MeetingBooking.reminder_sent_at.is_(None),
            and_(MeetingSlot.starts_at > now, MeetingSlot.starts_at < horizon.astimezone(dt.timezone.utc)))
        .order_by(MeetingSlot.starts_at, MeetingBooking.id).with_for_update(skip_locked=True)
    ).all()
    for booking in bookings:
        booking.reminder_sent_at = now
        notifications.notify(booking, "meeting_reminder", bump=False)
    db.session.flush()
    return len(bookings)


reminders.sender("meetings")(send_reminders)
