"""iCalendar (RFC 5545) files for booking notifications, with iTIP methods (RFC 5546).

Booking mails carry an .ics attachment that calendar programs must accept; the
file is written by the `icalendar` library: CRLF line endings, lines folded at
75 octets without splitting a UTF-8 character, TEXT values escaped, parameter
values quoted (RFC 6868), all times in UTC. `escape_text` and `fold_line` remain
as small helpers for callers that write single content lines.

Updates and cancellations work because the UID is stable per booking and the
SEQUENCE grows with every change: a client replaces the event it has with the
same UID and a higher SEQUENCE. A cancellation is METHOD:CANCEL with
STATUS:CANCELLED. No Flask.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Literal

from flask_babel import lazy_gettext as _l

__all__ = [
    "PRODID",
    "Alarm",
    "CalendarEvent",
    "EventStatus",
    "Method",
    "Person",
    "build_calendar",
    "content_type",
    "escape_text",
    "fold_line",
]

PRODID = "-//Werkportaal//Werkportaal//NL"
MAX_LINE_OCTETS = 75

Method = Literal["REQUEST", "CANCEL", "PUBLISH"]
_METHODS: tuple[str, ...] = ("REQUEST", "CANCEL", "PUBLISH")

# Control characters other than TAB are not allowed in iCalendar content (RFC 5545 §3.1);
# CR and LF are handled separately, as escaped newlines.
_FORBIDDEN_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NEWLINES = re.compile(r"\r\n|\r|\n")
_FOLD_UNITS = re.compile(r"\\.|.", re.DOTALL)  # a backslash escape, or one character


class EventStatus(StrEnum):
    CONFIRMED = "CONFIRMED"
    TENTATIVE = "TENTATIVE"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True, slots=True)
class Person:
    """An organizer or attendee; ``email`` becomes a ``mailto:`` URI, ``name`` the CN parameter."""

    name: str
    email: str


@dataclass(frozen=True, slots=True)
class Alarm:
    """A display reminder ``before`` the start (e.g. ``timedelta(days=1)``)."""

    before: timedelta
    description: str = _l("Herinnering")  # type: ignore[assignment]  # in the language of the mail it goes with


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One booking as a calendar event.

    ``uid`` must stay the same for the life of the booking (e.g.
    ``"booking-42@werkportaal.example"``) and ``sequence`` must grow with each
    change sent, or calendar programs ignore the update. ``start``, ``end`` and
    ``dtstamp`` must be timezone-aware; they are written in UTC.
    """

    uid: str
    sequence: int
    start: datetime
    end: datetime
    dtstamp: datetime
    summary: str
    organizer: Person
    description: str = ""
    location: str = ""
    attendees: Sequence[Person] = ()
    status: EventStatus = EventStatus.CONFIRMED
    url: str | None = None
    alarm: Alarm | None = None

    def cancelled(self, dtstamp: datetime) -> CalendarEvent:
        """The same booking, cancelled: same UID, next SEQUENCE, STATUS:CANCELLED."""
        return dataclasses.replace(self, sequence=self.sequence + 1, status=EventStatus.CANCELLED, dtstamp=dtstamp)


def content_type(method: Method) -> str:
    """The MIME type for a mail attachment; ``method`` must match the file's METHOD."""
    _check_method(method)
    return f"text/calendar; method={method}; charset=UTF-8"


def build_calendar(event: CalendarEvent, method: Method) -> bytes:
    """A complete VCALENDAR with one VEVENT, as UTF-8 bytes with CRLF line endings (written by icalendar).

    REQUEST needs at least one attendee; CANCEL needs ``status`` CANCELLED (use
    :meth:`CalendarEvent.cancelled`); PUBLISH leaves attendees out, as RFC 5546
    requires for published events.
    """
    import icalendar

    _check_method(method)
    _check_event(event, method)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    vevent = icalendar.Event()
    vevent.add("uid", _clean(event.uid))
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", event.dtstamp.astimezone(UTC))
    vevent.add("dtstart", event.start.astimezone(UTC))
    vevent.add("dtend", event.end.astimezone(UTC))
    vevent.add("summary", _clean(event.summary))
    if event.description:
        vevent.add("description", _clean(event.description))
    if event.location:
        vevent.add("location", _clean(event.location))
    if event.url:
        vevent.add("url", icalendar.vUri(_uri(event.url)))
    vevent.add("status", event.status.value)
    vevent.add("organizer", _address(event.organizer, {"CN": _param_value(event.organizer.name)}))
    if method != "PUBLISH":
        for person in event.attendees:
            vevent.add("attendee", _address(person, {
                "CN": _param_value(person.name), "ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION", "RSVP": "FALSE"}))
    if event.alarm is not None and event.status is not EventStatus.CANCELLED:
        _duration(event.alarm.before)  # refuses an alarm that is not before the event
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _clean(str(event.alarm.description)))
        alarm.add("trigger", -event.alarm.before)
        vevent.add_component(alarm)
    calendar.add_component(vevent)
    return calendar.to_ical()


def _clean(value: str) -> str:
    """Control characters other than TAB are not allowed in iCalendar content (RFC 5545 §3.1)."""
    return _NEWLINES.sub("\n", _FORBIDDEN_CONTROLS.sub("", value))


def _param_value(value: str) -> str:
    return _NEWLINES.sub("\n", _FORBIDDEN_CONTROLS.sub("", value))


def _address(person: Person, params: dict[str, str]) -> object:
    import icalendar

    return icalendar.vCalAddress(_mailto(person.email), params=params)


# --- formatting helpers -----------------------------------------------------------------


def escape_text(value: str) -> str:
    r"""Escape a TEXT value (RFC 5545 §3.3.11): ``\`` ``;`` ``,`` and newlines; drop other control characters."""
    value = _FORBIDDEN_CONTROLS.sub("", value)
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return _NEWLINES.sub("\\\\n", value)


def fold_line(line: str) -> bytes:
    """One content line as UTF-8 with CRLF, folded so no physical line exceeds 75 octets.

    Continuation lines start with a single space, which counts towards their
    75 octets. Splits happen only between characters, never inside a UTF-8
    multi-byte sequence (RFC 5545 §3.1), and not inside a backslash escape:
    the RFC would allow that, but some calendar programs unescape before
    unfolding.
    """
    chunks: list[bytes] = []
    current = bytearray()
    for token in _FOLD_UNITS.findall(line):
        encoded = token.encode("utf-8")
        if len(current) + len(encoded) > MAX_LINE_OCTETS:
            chunks.append(bytes(current))
            current = bytearray(b" ")
        current += encoded
    chunks.append(bytes(current))
    return b"\r\n".join(chunks) + b"\r\n"


def _check_method(method: str) -> None:
    if method not in _METHODS:
        raise ValueError(f"unknown iTIP method {method!r}; expected one of {_METHODS}")


def _check_event(event: CalendarEvent, method: str) -> None:
    for name in ("start", "end", "dtstamp"):
        moment = getattr(event, name)
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"{name} must be timezone-aware")
    if event.end <= event.start:
        raise ValueError("an event must end after it starts")
    if event.sequence < 0:
        raise ValueError("sequence must not be negative")
    if not event.uid.strip() or _NEWLINES.search(event.uid):
        raise ValueError("uid must be a non-empty single line")
    if method == "CANCEL" and event.status is not EventStatus.CANCELLED:
        raise ValueError("a CANCEL must carry status CANCELLED; use event.cancelled()")
    if method != "CANCEL" and event.status is EventStatus.CANCELLED:
        raise ValueError("a cancelled event must be sent with method CANCEL")
    if method == "REQUEST" and not event.attendees:
        raise ValueError("a REQUEST needs at least one attendee")


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _duration(delta: timedelta) -> str:
    """A positive RFC 5545 DURATION such as ``P1D``, ``PT1H30M`` or ``P1DT2H``."""
    seconds = int(delta.total_seconds())
    if seconds <= 0:
        raise ValueError("an alarm must go off before the event")
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    time_part = "".join(f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if n)
    return "P" + (f"{days}D" if days else "") + (f"T{time_part}" if time_part else "")


def _single_line(value: str, what: str) -> str:
    if _FORBIDDEN_CONTROLS.search(value) or _NEWLINES.search(value) or not value.strip():
        raise ValueError(f"{what} must be a non-empty single line: {value!r}")
    return value.strip()


def _mailto(email: str) -> str:
    address = _single_line(email, "email")
    if " " in address or "@" not in address:
        raise ValueError(f"not an email address: {email!r}")
    return f"mailto:{address}"


def _uri(url: str) -> str:
    address = _single_line(url, "url")
    if " " in address:
        raise ValueError(f"not a URI: {url!r}")
    return address
