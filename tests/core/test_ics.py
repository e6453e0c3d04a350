"""iCalendar builder: parsed back with the icalendar library, and the raw folding/escaping rules checked byte by byte."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import icalendar
import pytest

from portal.core.ics import (
    Alarm,
    CalendarEvent,
    EventStatus,
    Person,
    build_calendar,
    content_type,
    escape_text,
    fold_line,
)

AMSTERDAM_WINTER = timezone(timedelta(hours=1))

ARABIC = "محمد العلي"
TIGRINYA = "ሰላም ተስፋይ ገብረመድህን"
UKRAINIAN = "Олена Коваленко-Шевченко"
TRICKY_TITLE = 'Meet & greet, Zaanstad; ronde 1\nTafel "Bouw" \\ logistiek'


def make_event(**changes) -> CalendarEvent:
    event = CalendarEvent(
        uid="booking-42@werkportaal.test",
        sequence=0,
        start=datetime(2025, 3, 4, 13, 30, tzinfo=AMSTERDAM_WINTER),
        end=datetime(2025, 3, 4, 16, 0, tzinfo=AMSTERDAM_WINTER),
        dtstamp=datetime(2025, 2, 1, 9, 0, tzinfo=UTC),
        summary="Meet & greet",
        description="Neem je paspoort mee.\nVragen? Bel de WSP.",
        location="Stadhuis, Stadhuisplein 1, Zaandam",
        organizer=Person("WSP Zaanstreek", "wsp@werkportaal.test"),
        attendees=(Person("Werkgever B.V.", "hr@werkgever.test"),),
    )
    return dataclasses.replace(event, **changes)


def parse(data: bytes) -> tuple[icalendar.Calendar, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def physical_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    return data[:-2].split(b"\r\n")


def unfold(data: bytes) -> list[str]:
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]


# --- structure ----------------------------------------------------------------------------


def test_request_parses_with_all_fields() -> None:
    event = make_event()
    calendar, parsed = parse(build_calendar(event, "REQUEST"))
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//Werkportaal//")
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(parsed["UID"]) == event.uid
    assert int(parsed["SEQUENCE"]) == 0
    assert parsed["DTSTART"].dt == event.start
    assert parsed["DTEND"].dt == event.end
    assert parsed["DTSTAMP"].dt == event.dtstamp
    assert str(parsed["SUMMARY"]) == event.summary
    assert str(parsed["DESCRIPTION"]) == event.description
    assert str(parsed["LOCATION"]) == event.location
    assert str(parsed["STATUS"]) == "CONFIRMED"
    assert str(parsed["ORGANIZER"]) == "mailto:wsp@werkportaal.test"
    assert parsed["ORGANIZER"].params["CN"] == "WSP Zaanstreek"
    assert str(parsed["ATTENDEE"]) == "mailto:hr@werkgever.test"
    assert parsed["ATTENDEE"].params["CN"] == "Werkgever B.V."


def test_times_are_written_in_utc_with_z() -> None:
    lines = unfold(build_calendar(make_event(), "REQUEST"))
    assert "DTSTART:20250304T123000Z" in lines
    assert "DTEND:20250304T150000Z" in lines
    assert "DTSTAMP:20250201T090000Z" in lines


def test_every_line_ends_in_crlf_and_nothing_else() -> None:
    data = build_calendar(make_event(summary=TRICKY_TITLE * 3), "REQUEST")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r" not in data.replace(b"\r\n", b"")
    lines = unfold(data)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"


def test_optional_url_and_alarm() -> None:
    event = make_event(url="https://werkportaal.test/events/7?b=42,43", alarm=Alarm(timedelta(hours=24, minutes=30)))
    _, parsed = parse(build_calendar(event, "REQUEST"))
    assert str(parsed["URL"]) == event.url
    (alarm,) = parsed.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm["TRIGGER"].dt == -timedelta(days=1, minutes=30)
    assert "TRIGGER:-P1DT30M" in unfold(build_calendar(event, "REQUEST"))


def test_publish_leaves_attendees_out() -> None:
    data = build_calendar(make_event(), "PUBLISH")
    _, parsed = parse(data)
    assert "ATTENDEE" not in parsed
    assert "METHOD:PUBLISH" in unfold(data)


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL", "PUBLISH"])
def test_content_type_names_the_method(method: str) -> None:
    assert content_type(method) == f"text/calendar; method={method}; charset=UTF-8"  # type: ignore[arg-type]


# --- updates and cancellations -------------------------------------------------------------------


def test_cancel_keeps_uid_raises_sequence_and_says_cancelled() -> None:
    original = make_event(sequence=2)
    cancelled = original.cancelled(dtstamp=datetime(2025, 2, 3, 8, 0, tzinfo=UTC))
    calendar, parsed = parse(build_calendar(cancelled, "CANCEL"))
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(parsed["STATUS"]) == "CANCELLED"
    assert str(parsed["UID"]) == original.uid
    assert int(parsed["SEQUENCE"]) == 3 > original.sequence
    assert parsed["DTSTAMP"].dt == datetime(2025, 2, 3, 8, 0, tzinfo=UTC)


def test_cancel_drops_the_reminder() -> None:
    cancelled = make_event(alarm=Alarm(timedelta(hours=1))).cancelled(datetime(2025, 2, 3, tzinfo=UTC))
    _, parsed = parse(build_calendar(cancelled, "CANCEL"))
    assert not parsed.walk("VALARM")


def test_update_is_a_request_with_the_same_uid_and_a_higher_sequence() -> None:
    first = parse(build_calendar(make_event(sequence=0), "REQUEST"))[1]
    moved = make_event(sequence=1, start=datetime(2025, 3, 5, 13, 30, tzinfo=UTC), end=datetime(2025, 3, 5, 16, tzinfo=UTC))
    second = parse(build_calendar(moved, "REQUEST"))[1]
    assert str(first["UID"]) == str(second["UID"])
    assert int(second["SEQUENCE"]) > int(first["SEQUENCE"])


def test_tentative_status() -> None:
    _, parsed = parse(build_calendar(make_event(status=EventStatus.TENTATIVE), "REQUEST"))
    assert str(parsed["STATUS"]) == "TENTATIVE"


# --- escaping and non-Latin text -------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Kennismaking, rondleiding; koffie",
        "Regel 1\nRegel 2\r\nRegel 3\rRegel 4",
        "C:\\pad\\naar\\map, en \\n is geen newline",
        TRICKY_TITLE,
        f"Gesprek met {ARABIC}",
        f"Gesprek met {TIGRINYA}",
        f"Gesprek met {UKRAINIAN}",
        f"{ARABIC}, {TIGRINYA}; {UKRAINIAN}\n" * 4,
        "😀 emoji " * 20,
    ],
)
def test_titles_round_trip_exactly(title: str) -> None:
    event = make_event(summary=title, description=title, location=title)
    _, parsed = parse(build_calendar(event, "REQUEST"))
    expected = title.replace("\r\n", "\n").replace("\r", "\n")
    assert str(parsed["SUMMARY"]) == expected
    assert str(parsed["DESCRIPTION"]) == expected
    assert str(parsed["LOCATION"]) == expected


@pytest.mark.parametrize("name", [ARABIC, TIGRINYA, UKRAINIAN, 'Jan "Sjonnie" de Vries', "A, B; C: D", "Eerste\nTweede"])
def test_names_round_trip_in_parameters(name: str) -> None:
    event = make_event(organizer=Person(name, "org@werkportaal.test"), attendees=(Person(name, "a@x.test"),))
    _, parsed = parse(build_calendar(event, "REQUEST"))
    assert parsed["ORGANIZER"].params["CN"] == name
    assert parsed["ATTENDEE"].params["CN"] == name


def test_raw_escaping_of_text_values() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert escape_text("x\r\ny\rz") == "x\\ny\\nz"
    assert escape_text("bell\x07 and nul\x00 go, tab\tstays") == "bell and nul go\\, tab\tstays"
    lines = unfold(build_calendar(make_event(summary="Kennismaking, koffie; taart\nen meer"), "REQUEST"))
    assert "SUMMARY:Kennismaking\\, koffie\\; taart\\nen meer" in lines


def test_parameter_values_are_quoted() -> None:
    lines = unfold(build_calendar(make_event(organizer=Person('A "B", C; D', "o@x.test")), "REQUEST"))
    assert "ORGANIZER;CN=\"A ^'B^', C; D\":mailto:o@x.test" in lines


# --- folding ----------------------------------------------------------------------------------------


def test_no_physical_line_exceeds_75_octets_and_no_character_is_split() -> None:
    title = f"{TIGRINYA} {ARABIC} {UKRAINIAN} 😀, ;" * 12
    data = build_calendar(make_event(summary=title, description=title, attendees=(Person(title, "a@x.test"),)), "REQUEST")
    lines = physical_lines(data)
    assert any(line.startswith(b" ") for line in lines), "expected folding"
    for line in lines:
        assert len(line) <= 75, line
        line.decode("utf-8")  # each physical line is valid UTF-8 on its own: no character was split
    _, parsed = parse(data)
    assert str(parsed["SUMMARY"]) == title and parsed["ATTENDEE"].params["CN"] == title


@pytest.mark.parametrize("width", [1, 2, 3, 4])
@pytest.mark.parametrize("offset", range(8))
def test_fold_never_splits_a_multibyte_character(width: int, offset: int) -> None:
    char = {1: "a", 2: "д", 3: "ሰ", 4: "😀"}[width]
    line = "X" * offset + char * 100
    folded = fold_line(line)
    pieces = folded[:-2].split(b"\r\n")
    assert all(len(p) <= 75 for p in pieces)
    assert all(p.decode("utf-8") for p in pieces)
    assert b"".join([pieces[0]] + [p[1:] for p in pieces[1:]]).decode("utf-8") == line
    # Pieces are as full as the rule allows: adding the next character would exceed 75 octets.
    for piece in pieces[:-1]:
        assert len(piece) + width > 75


def test_fold_keeps_short_lines_and_does_not_split_escapes() -> None:
    assert fold_line("SUMMARY:kort") == b"SUMMARY:kort\r\n"
    line = "SUMMARY:" + "a" * 66 + "\\,b"  # the escape starts at octet 75
    pieces = fold_line(line)[:-2].split(b"\r\n")
    assert pieces == [b"SUMMARY:" + b"a" * 66, b" \\,b"]


# --- refusals -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "method"),
    [
        ({"start": datetime(2025, 3, 4, 13, 30)}, "REQUEST"),  # naive
        ({"dtstamp": datetime(2025, 2, 1)}, "REQUEST"),
        ({"end": datetime(2025, 3, 4, 12, 0, tzinfo=UTC)}, "REQUEST"),  # ends before it starts
        ({"sequence": -1}, "REQUEST"),
        ({"uid": ""}, "REQUEST"),
        ({"uid": "a\nb"}, "REQUEST"),
        ({"attendees": ()}, "REQUEST"),
        ({}, "CANCEL"),  # status is still CONFIRMED
        ({"status": EventStatus.CANCELLED}, "REQUEST"),
        ({"organizer": Person("X", "x@y.test\r\nBCC:evil@z.test")}, "REQUEST"),
        ({"organizer": Person("X", "not an email")}, "REQUEST"),
        ({"url": "https://x.test/\nX-EVIL:1"}, "REQUEST"),
        ({"alarm": Alarm(timedelta(0))}, "REQUEST"),
        ({}, "REPLY"),
    ],
)
def test_invalid_input_is_refused(changes: dict, method: str) -> None:
    with pytest.raises(ValueError):
        build_calendar(make_event(**changes), method)  # type: ignore[arg-type]
