"""The candidate's timeline: filled from the audit log in the same transaction, read as sentences.

Every `audit.record(...)` passes through `follow_audit`. When its action is one of `ACTIONS` and it
concerns a candidate (the object is a candidate, the object has a `candidate_id`, or the details
name `candidate_id`), a `TimelineEntry` is added to the same session: it commits or rolls back with
the change itself, whatever code path made it.

Entries keep codes and ids (from the audit details, plus a few ids and dates read from the object);
`describe` turns a page of them into sentences in the reader's language, with labels, never codes.
"""
from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy import delete as sa_delete

from portal.casefile.models import CaseHandover, CaseNote, ContactChannel, ContactMoment, TimelineEntry, TimelineKind
from portal.core import audit, db

K = TimelineKind

#: Audit actions that appear on the timeline, and their kind.
ACTIONS: dict[str, TimelineKind] = {
    "casefile.note_added": K.NOTE,
    "casefile.contact_recorded": K.CONTACT,
    "candidate.interest_recorded": K.INTEREST,
    "proposal.created": K.PROPOSAL,
    "proposal.answered": K.PROPOSAL,
    "traject.stage_changed": K.STAGE,
    "meetings.booked": K.BOOKING,
    "meetings.confirmed": K.BOOKING,
    "meetings.cancelled": K.BOOKING,
    "meetings.moved": K.BOOKING,
    "meetings.cancelled_unavailable": K.BOOKING,
    "event.candidate_registered": K.BOOKING,
    "event.candidate_cancelled": K.BOOKING,
    "event.waitlist_promoted": K.BOOKING,
    "event.check_in": K.BOOKING,
    "visit.booked": K.BOOKING,
    "visit.booking_cancelled": K.BOOKING,
    "visit.check_in": K.BOOKING,
    "meetings.outcome_recorded": K.OUTCOME,
    "event.meeting_outcome": K.OUTCOME,
    "visit.outcome_recorded": K.OUTCOME,
    "consent.recorded": K.CONSENT,
    "consent.withdrawn": K.CONSENT,
    "consent.expired": K.CONSENT,
    "placement_start.recorded": K.START,
    "aftercare.checkin_recorded": K.CHECKIN,
    "aftercare.result_recorded": K.CHECKIN,
    "candidate.owner_changed": K.OWNERSHIP,
    "casefile.handed_over": K.OWNERSHIP,
    "casefile.co_owner_added": K.OWNERSHIP,
    "casefile.co_owner_removed": K.OWNERSHIP,
}

_SUPPRESSED: ContextVar[frozenset[str]] = ContextVar("timeline_suppressed", default=frozenset())


@contextlib.contextmanager
def suppressed(*actions: str) -> Iterator[None]:
    """Leave these actions off the timeline inside the block (an operation that writes its own entry)."""
    token = _SUPPRESSED.set(_SUPPRESSED.get() | frozenset(actions))
    try:
        yield
    finally:
        _SUPPRESSED.reset(token)


def _candidate_id(entry: Any, obj: Any) -> int | None:
    value = (entry.details or {}).get("candidate_id")
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if obj is None:
        return None
    if entry.object_type == "candidates":
        return getattr(obj, "id", None)
    value = getattr(obj, "candidate_id", None)
    if isinstance(value, int):
        return value
    registration = getattr(obj, "candidate_registration", None)  # a speed date
    return getattr(registration, "candidate_id", None)


def _path(obj: Any, *names: str) -> Any:
    for name in names:
        if obj is None:
            return None
        try:
            obj = getattr(obj, name, None)
        except Exception:  # noqa: BLE001 - a lazy load that cannot run must not break the change
            return None
    return obj


def _plain(value: Any) -> bool:
    if value is None or isinstance(value, (bool, int, float)):
        return True
    if isinstance(value, str):
        return len(value) <= 64  # codes and ISO dates, never free text
    if isinstance(value, list):
        return all(isinstance(v, int) for v in value)
    return False


def _snapshot(entry: Any, obj: Any) -> dict[str, Any]:
    details = {k: v for k, v in (entry.details or {}).items() if k != "candidate_id" and _plain(v)}
    if obj is None:
        return details
    found = {
        "placement_id": _path(obj, "placement_id"),
        "organisation_id": (_path(obj, "organisation_id") or _path(obj, "traject", "organisation_id")
                            or _path(obj, "employer_registration", "organisation_id")
                            or _path(obj, "slot", "organisation_id")),
        "event_id": _path(obj, "event_id"),
        "traject_id": _path(obj, "traject_id"),
    }
    if found["placement_id"] is None:
        found["placement_id"] = _path(obj, "traject", "placement_id")
    starts_at = _path(obj, "slot", "starts_at")
    if isinstance(starts_at, dt.datetime):
        found["starts_at"] = starts_at.isoformat()
    start_date = _path(obj, "start_date")
    if isinstance(start_date, dt.date):
        found["start_date"] = start_date.isoformat()
    for key, value in found.items():
        if key not in details and isinstance(value, (int, str)) and not isinstance(value, bool):
            details[key] = value
    return details


ERASED_KEY = "casefile.erased_candidates"


@audit.on_record
def follow_audit(entry: Any, obj: Any) -> None:
    if entry.action == "candidate.erased" and obj is not None:
        # The candidate's row is deleted next: remove what this transaction wrote, write nothing more.
        db.session.info.setdefault(ERASED_KEY, set()).add(obj.id)
        db.session.flush()
        db.session.execute(sa_delete(TimelineEntry).where(TimelineEntry.candidate_id == obj.id)
                           .execution_options(synchronize_session=False))
        return
    kind = ACTIONS.get(entry.action)
    if kind is None or entry.action in _SUPPRESSED.get():
        return
    candidate_id = _candidate_id(entry, obj)
    if candidate_id is None or candidate_id in db.session.info.get(ERASED_KEY, ()):
        return
    db.session.add(TimelineEntry(
        candidate_id=candidate_id, at=db.utcnow(), kind=kind, action=entry.action, actor_id=entry.actor_id,
        object_type=entry.object_type, object_id=entry.object_id, details=_snapshot(entry, obj),
    ))


# -- reading ------------------------------------------------------------------------------------

def entries_count(candidate_id: int, kind: TimelineKind | None = None) -> int:
    query = select(func.count(TimelineEntry.id)).where(TimelineEntry.candidate_id == candidate_id)
    if kind is not None:
        query = query.where(TimelineEntry.kind == kind)
    return db.session.scalar(query) or 0


def entries_page(candidate_id: int, kind: TimelineKind | None, per_page: int) -> Any:
    """One page of entries, newest first, and the total, in one statement: the page is read from the
    (candidate_id[, kind], at, id) index (OFFSET walks that candidate's index entries only) and the
    total is a window count over the same rows. A page beyond the end shows the last one."""
    from portal.core.pagination import Page, page_number

    number = page_number()
    rows = _page_rows(candidate_id, kind, per_page, number)
    if not rows and number > 1:
        total = entries_count(candidate_id, kind)
        number = max(1, -(-total // per_page))
        rows = _page_rows(candidate_id, kind, per_page, number)
    total = int(rows[0].total) if rows else 0
    return Page([row[0] for row in rows], number, per_page, total)


def _page_rows(candidate_id: int, kind: TimelineKind | None, per_page: int, number: int) -> list[Any]:
    query = entries_query(candidate_id, kind).add_columns(func.count().over().label("total"))
    return list(db.session.execute(query.limit(per_page).offset((number - 1) * per_page)).all())


def entries_query(candidate_id: int, kind: TimelineKind | None = None) -> Select:
    """Newest first; served by the (candidate_id[, kind], at, id) indexes."""
    query = select(TimelineEntry).where(TimelineEntry.candidate_id == candidate_id)
    if kind is not None:
        query = query.where(TimelineEntry.kind == kind)
    return query.order_by(TimelineEntry.at.desc(), TimelineEntry.id.desc())


@dataclass(frozen=True)
class Line:
    at: dt.datetime
    kind: TimelineKind
    actor: str
    sentence: str
    #: The text written by staff (a note, a contact summary, a handover note), or "".
    text: str = ""
    #: A secondary line (e.g. the next step after a check-in), or "".
    extra: str = ""


class _Lookup:
    """Loads, for one page of entries, every object the sentences name, with one query per kind."""

    def __init__(self, entries: list[TimelineEntry]) -> None:
        from sqlalchemy.orm import joinedload

        from portal.accounts.models import Organisation, User
        from portal.placements.models import Placement

        def ids(key: str) -> set[int]:
            found: set[int] = set()
            for e in entries:
                value = (e.details or {}).get(key)
                if isinstance(value, int) and not isinstance(value, bool):
                    found.add(value)
            return found

        # the placements with their organisations in one statement; other organisations only when named
        self.placements = self._load(Placement, ids("placement_id"), joinedload(Placement.organisation))
        user_ids = {e.actor_id for e in entries if e.actor_id} | ids("owner_id") | ids("to_user_id") | ids("user_id")
        self.users = self._load(User, user_ids)
        self.organisations = {p.organisation.id: p.organisation for p in self.placements.values()}
        self.organisations.update(self._load(Organisation, ids("organisation_id") - set(self.organisations)))
        self.notes = self._load(CaseNote, {e.object_id for e in entries if e.action == "casefile.note_added" and e.object_id})
        self.contacts = self._load(ContactMoment, {e.object_id for e in entries
                                                   if e.action == "casefile.contact_recorded" and e.object_id})
        self.handovers = self._load(CaseHandover, {e.object_id for e in entries
                                                   if e.action == "casefile.handed_over" and e.object_id})
        self.events: dict[int, Any] = {}
        if ids("event_id"):
            from portal.events.models import Event

            self.events = self._load(Event, ids("event_id"))
        self.checkins: dict[int, Any] = {}
        self.results: dict[int, Any] = {}
        checkin_ids = {e.object_id for e in entries if e.action == "aftercare.checkin_recorded" and e.object_id}
        result_ids = {e.object_id for e in entries if e.action == "aftercare.result_recorded" and e.object_id}
        if checkin_ids or result_ids:
            from portal.aftercare.models import AftercareResult, CheckIn

            self.checkins = self._load(CheckIn, checkin_ids)
            self.results = self._load(AftercareResult, result_ids)

    @staticmethod
    def _load(model: Any, wanted: Iterable[int], *options: Any) -> dict[int, Any]:
        wanted = sorted(set(wanted))
        if not wanted:
            return {}
        return {obj.id: obj for obj in db.session.scalars(select(model).where(model.id.in_(wanted)).options(*options))}

    def user(self, user_id: Any) -> str:
        user = self.users.get(user_id) if isinstance(user_id, int) else None
        return user.name if user is not None else _("een collega")

    def placement(self, details: dict[str, Any]) -> str:
        placement = self.placements.get(details.get("placement_id"))
        return placement.title if placement is not None else _("een plek die niet meer bestaat")

    def organisation(self, details: dict[str, Any]) -> str:
        organisation = self.organisations.get(details.get("organisation_id"))
        if organisation is None:
            placement = self.placements.get(details.get("placement_id"))
            organisation = self.organisations.get(placement.organisation_id) if placement is not None else None
        return organisation.name if organisation is not None else _("een werkgever")

    def event(self, details: dict[str, Any]) -> str:
        event = self.events.get(details.get("event_id"))
        return event.title if event is not None else _("een meet-and-greet")


def _label(enum_cls: Any, code: Any) -> str:
    try:
        return enum_cls(code).label
    except (ValueError, TypeError):
        return _("onbekend")


def _when(value: Any, with_time: bool = True) -> str:
    if not isinstance(value, str):
        return ""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        try:
            return format_date(dt.date.fromisoformat(value), "long")
        except ValueError:
            return ""
    return format_datetime(moment, "d MMMM y, HH:mm") if with_time else format_date(moment, "long")


def _stage_label(code: Any) -> str:
    from portal.trajects.models import TrajectStage

    return _label(TrajectStage, code)


def _outcome_label(code: Any) -> str:
    from portal.events.followups import Outcome

    return _label(Outcome, code)


def _sentence(entry: TimelineEntry, look: _Lookup) -> tuple[str, str, str]:
    """(sentence, staff text, extra line) for one entry."""
    d = entry.details or {}
    a = entry.action
    who = look.user(entry.actor_id) if entry.actor_id else _("Het portaal")
    org, place = look.organisation(d), look.placement(d)
    if a == "casefile.note_added":
        note = look.notes.get(entry.object_id)
        return _("%(who)s schreef een notitie.", who=who), note.body if note else "", ""
    if a == "casefile.contact_recorded":
        contact = look.contacts.get(entry.object_id)
        if contact is None:
            return _("%(who)s legde een contactmoment vast.", who=who), "", ""
        return (_("%(who)s had contact met de kandidaat (%(channel)s) op %(day)s.", who=who,
                  channel=contact.channel.label, day=format_date(contact.happened_on, "long")), contact.summary, "")
    if a == "candidate.interest_recorded":
        if d.get("placement_id"):
            return _("%(org)s wil kennismaken met de kandidaat voor de plek %(place)s.", org=org, place=place), "", ""
        return _("%(org)s wil kennismaken met de kandidaat.", org=org), "", ""
    if a == "proposal.created":
        return _("%(who)s droeg de kandidaat voor bij %(org)s voor de plek %(place)s.", who=who, org=org, place=place), "", ""
    if a == "proposal.answered":
        if d.get("answer") == "invited":
            return _("%(org)s nodigt de kandidaat uit voor een kennismaking (plek %(place)s).", org=org, place=place), "", ""
        from portal.trajects.models import DeclineReason

        return (_("%(org)s zegt nu niet tegen de voordracht voor %(place)s: %(reason)s.", org=org, place=place,
                  reason=_label(DeclineReason, d.get("decline_reason")).lower()), "", "")
    if a == "traject.stage_changed":
        if not d.get("from_stage"):
            return _("Het traject bij %(org)s (%(place)s) begon in de fase %(to)s.", org=org, place=place,
                     to=_stage_label(d.get("to_stage"))), "", ""
        return (_("Het traject bij %(org)s (%(place)s) ging van %(from)s naar %(to)s.", org=org, place=place,
                  **{"from": _stage_label(d.get("from_stage")), "to": _stage_label(d.get("to_stage"))}), "", "")
    if a == "meetings.booked":
        return _("%(org)s plande een kennismakingsgesprek op %(when)s.", org=org, when=_when(d.get("starts_at"))), "", ""
    if a == "meetings.confirmed":
        return _("Het kennismakingsgesprek met %(org)s is bevestigd.", org=org), "", ""
    if a == "meetings.cancelled":
        return _("Het kennismakingsgesprek met %(org)s is geannuleerd.", org=org), "", ""
    if a == "meetings.moved":
        return _("Het kennismakingsgesprek met %(org)s is verplaatst naar %(when)s.", org=org,
                 when=_when(d.get("starts_at"))), "", ""
    if a == "meetings.cancelled_unavailable":
        return _("Geplande kennismakingsgesprekken zijn geannuleerd: de kandidaat is niet meer beschikbaar."), "", ""
    if a in ("event.candidate_registered", "event.waitlist_promoted"):
        if d.get("status") == "waitlisted":
            return _("%(who)s zette de kandidaat op de wachtlijst voor %(event)s.", who=who, event=look.event(d)), "", ""
        return _("De kandidaat is aangemeld voor %(event)s.", event=look.event(d)), "", ""
    if a == "event.candidate_cancelled":
        return _("De kandidaat is afgemeld voor %(event)s.", event=look.event(d)), "", ""
    if a in ("event.check_in", "visit.check_in"):
        if d.get("present", True):
            return _("De kandidaat was aanwezig bij %(event)s.", event=look.event(d) if a == "event.check_in" else org), "", ""
        return _("De aanwezigheid bij %(event)s is teruggedraaid.", event=look.event(d) if a == "event.check_in" else org), "", ""
    if a == "visit.booked":
        return _("De kandidaat is aangemeld voor een bedrijfsbezoek bij %(org)s op %(when)s.", org=org,
                 when=_when(d.get("starts_at"))), "", ""
    if a == "visit.booking_cancelled":
        return _("De kandidaat is afgemeld voor het bedrijfsbezoek bij %(org)s.", org=org), "", ""
    if a == "meetings.outcome_recorded":
        return _("Uitkomst van het kennismakingsgesprek met %(org)s: %(outcome)s.", org=org,
                 outcome=_outcome_label(d.get("outcome"))), "", ""
    if a == "event.meeting_outcome":
        return _("Uitkomst van de speeddate met %(org)s op %(event)s: %(outcome)s.", org=org, event=look.event(d),
                 outcome=_outcome_label(d.get("outcome"))), "", ""
    if a == "visit.outcome_recorded":
        return _("Uitkomst van het bedrijfsbezoek bij %(org)s: %(outcome)s.", org=org,
                 outcome=_outcome_label(d.get("outcome"))), "", ""
    if a == "consent.recorded":
        from portal.candidates.models import ConsentScope

        return (_("%(who)s legde toestemming vast (%(scope)s), geldig tot %(until)s.", who=who,
                  scope=_label(ConsentScope, d.get("scope")).lower(), until=_when(d.get("expires_at"), with_time=False)),
                "", "")
    if a == "consent.withdrawn":
        return _("%(who)s trok de toestemming in.", who=who), "", ""
    if a == "consent.expired":
        return _("De toestemming is verlopen."), "", ""
    if a == "placement_start.recorded":
        when = _when(d.get("start_date"), with_time=False)
        return _("De kandidaat start bij %(org)s op de plek %(place)s, vanaf %(day)s.", org=org, place=place,
                 day=when or _("een onbekende datum")), "", ""
    if a == "aftercare.checkin_recorded":
        from portal.aftercare.models import Assessment

        checkin = look.checkins.get(entry.object_id)
        label = checkin.moment_label if checkin is not None else _("nazorg")
        sentence = _("%(who)s had het nazorgcontact (%(moment)s) bij %(org)s: %(how)s.", who=who, moment=label,
                     org=org, how=_label(Assessment, d.get("assessment")).lower())
        extra = ""
        if checkin is not None:
            extra = checkin.levels_summary()
            if checkin.next_step:
                extra = (extra + " " if extra else "") + _("Volgende stap: %(step)s", step=checkin.next_step)
        return sentence, "", extra
    if a == "aftercare.result_recorded":
        result = look.results.get(entry.object_id)
        what = result.summary() if result is not None else _("vastgelegd")
        return _("Resultaat van de plaatsing bij %(org)s (%(place)s): %(what)s.", org=org, place=place, what=what), "", ""
    if a == "candidate.owner_changed":
        return _("%(who)s maakte %(owner)s accountmanager van dit dossier.", who=who, owner=look.user(d.get("owner_id"))), "", ""
    if a == "casefile.handed_over":
        handover = look.handovers.get(entry.object_id)
        return (_("%(who)s droeg het dossier over aan %(to)s.", who=who, to=look.user(d.get("to_user_id"))),
                handover.note if handover else "", "")
    if a == "casefile.co_owner_added":
        return _("%(user)s deelt nu het dossier als mede-eigenaar.", user=look.user(d.get("user_id"))), "", ""
    if a == "casefile.co_owner_removed":
        return _("%(user)s is geen mede-eigenaar meer van het dossier.", user=look.user(d.get("user_id"))), "", ""
    return _("Er is iets gewijzigd in het dossier."), "", ""


def describe(entries: Iterable[TimelineEntry]) -> list[Line]:
    entries = list(entries)
    look = _Lookup(entries)
    lines = []
    for entry in entries:
        sentence, text, extra = _sentence(entry, look)
        lines.append(Line(at=entry.at, kind=entry.kind, actor=look.user(entry.actor_id) if entry.actor_id else "",
                          sentence=sentence, text=text, extra=extra))
    return lines


def channel_choices() -> list[tuple[str, str]]:
    return [(c.value, c.label) for c in ContactChannel]
