"""Issue 14's follow-through on meet-and-greets: WSP staff record speed-date outcomes, check-in on
the event day only, a warning before moving a published event, one mail per recipient per change,
and printouts with table numbers, interpreter marks and short names."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from sqlalchemy import select

from portal.core import db
from portal.core.audit import AuditEntry
from portal.events.models import BookingStatus, CandidateRegistration, EmployerRegistration, Event, ScheduleSlot
from tests.events.conftest import mails
from tests.events.factories import ZONE, local


def _table_and_people(app, ef, employer, owner, *, people=1, interpreter=None, event=None, first_names=None):
    """An event with the employer's table and `people` candidates of `owner`, with a schedule slot per candidate."""
    event = event or ef.event(start_hour=13, end_hour=14)
    candidates = [ef.candidate(owner=owner, first_name=(first_names or [f"Kandidaat{i}" for i in range(people)])[i],
                               surname="Osman") for i in range(people)]
    with app.app_context():
        table = EmployerRegistration(event_id=event.id, organisation_id=employer.organisation_id,
                                     registered_by_id=employer.id, status=BookingStatus.CONFIRMED, representatives=1)
        db.session.add(table)
        places = [CandidateRegistration(event_id=event.id, candidate_id=c.id, registered_by_id=owner.id,
                                        status=BookingStatus.CONFIRMED, interpreter_language=interpreter)
                  for c in candidates]
        db.session.add_all(places)
        db.session.flush()
        db.session.add_all([ScheduleSlot(event_id=event.id, round_number=n, employer_registration_id=table.id,
                                         candidate_registration_id=p.id) for n, p in enumerate(places)])
        db.commit()
        return event, table.id, [p.id for p in places]


def _links(html: str, pattern: str) -> list[str]:
    return re.findall(rf'href="({pattern})"', html)


# -- 1. WSP staff record speed-date outcomes ---------------------------------------------------

def test_wsp_reaches_the_outcomes_from_the_event_page_and_records_one_for_the_employer(app, ef, wsp, employer, am):
    event, table_id, _places = _table_and_people(app, ef, employer.user, am.user)
    ef.update(ef.get(Event, event.id), starts_at=local(0, 0) - dt.timedelta(hours=3),
              ends_at=local(0, 0) - dt.timedelta(hours=2))
    page = wsp.get(f"/meet-and-greets/{event.id}").get_data(as_text=True)
    [outcomes_url] = _links(page, rf"/meet-and-greets/{event.id}/uitkomsten")
    listing = wsp.get(outcomes_url)
    assert listing.status_code == 200
    html = listing.get_data(as_text=True)
    assert "Tafel 1" in html and "Kandidaat0 Osman" in html
    [record_url] = _links(html, r"/meet-and-greets/gesprekken/\d+/uitkomst")
    form = wsp.get(record_url).get_data(as_text=True)
    with app.app_context():
        from portal.accounts.models import Organisation

        org_name = db.session.get(Organisation, employer.user.organisation_id).name
    assert "namens" in form and org_name in form
    response = wsp.post_form(record_url, {"outcome": "follow_up", "note": "Wil een meeloopdag"})
    assert response.status_code == 302 and "/uitkomsten" in response.headers["Location"]
    with app.app_context():
        slot = db.session.scalars(select(ScheduleSlot)).one()
        assert slot.outcome == "follow_up" and slot.outcome_by_id == wsp.user.id
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "event.meeting_outcome")).one()
        assert entry.actor_id == wsp.user.id and entry.actor_role == "wsp"
        assert entry.details["on_behalf_of_employer"] is True
        assert entry.details["organisation_id"] == employer.user.organisation_id
    assert "Vervolg: nog een gesprek" in wsp.get(outcomes_url).get_data(as_text=True)
    # hostile input: an unknown outcome and an overlong note are refused at the field, nothing changes
    assert wsp.post_form(record_url, {"outcome": "hired<script>"}).status_code == 400
    assert wsp.post_form(record_url, {"outcome": "not_now", "note": "x" * 2001}).status_code == 400
    assert ef.get(ScheduleSlot, slot.id).outcome == "follow_up"
    assert wsp.get(f"/meet-and-greets/{event.id}/uitkomsten?tafel=99999999999999999999").status_code == 200


def test_outcomes_page_is_staff_only_and_offers_nothing_before_the_round(app, ef, wsp, employer, am):
    event, _table, _places = _table_and_people(app, ef, employer.user, am.user)
    assert employer.get(f"/meet-and-greets/{event.id}/uitkomsten").status_code == 403
    assert am.get(f"/meet-and-greets/{event.id}/uitkomsten").status_code == 403
    html = wsp.get(f"/meet-and-greets/{event.id}/uitkomsten").get_data(as_text=True)
    assert not _links(html, r"/meet-and-greets/gesprekken/\d+/uitkomst") and "vanaf 13:00" in html


# -- 3. check-in on the event day only ---------------------------------------------------------

def _at(monkeypatch, moment: dt.datetime) -> None:
    monkeypatch.setattr(db, "utcnow", lambda: moment.astimezone(dt.timezone.utc))


def test_check_in_opens_at_midnight_of_the_event_day_and_closes_at_the_end_of_it(app, ef, wsp, employer, am, monkeypatch):
    event, _table, [place] = _table_and_people(app, ef, employer.user, am.user, event=ef.event(days=3, start_hour=13, end_hour=14))
    day = event.starts_at.astimezone(ZONE).date()
    url = f"/meet-and-greets/{event.id}/binnenkomst"
    present = {"kind": "candidate", "registration_id": str(place), "present": "1"}

    _at(monkeypatch, dt.datetime.combine(day - dt.timedelta(days=1), dt.time(23, 59), tzinfo=ZONE))
    page = wsp.get(url).get_data(as_text=True)
    with app.test_request_context():
        from portal.core.i18n import format_day

        expected = format_day(dt.datetime.combine(day, dt.time(12), tzinfo=ZONE))
    assert f"Deze pagina gaat open op {expected}" in page and "Is binnen" not in page
    assert wsp.post_form(url, present).status_code == 400
    assert ef.get(CandidateRegistration, place).checked_in_at is None

    _at(monkeypatch, dt.datetime.combine(day, dt.time(0, 0), tzinfo=ZONE))
    assert "Is binnen" in wsp.get(url).get_data(as_text=True)
    assert wsp.post_form(url, present).status_code == 302
    assert ef.get(CandidateRegistration, place).checked_in_at is not None

    _at(monkeypatch, dt.datetime.combine(day, dt.time(23, 59), tzinfo=ZONE))
    assert wsp.post_form(url, {**present, "present": "0"}).status_code == 302

    _at(monkeypatch, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=ZONE))
    page = wsp.get(url).get_data(as_text=True)
    assert "voorbij" in page and "Is binnen" not in page
    assert wsp.post_form(url, present).status_code == 400
    assert ef.get(CandidateRegistration, place).checked_in_at is None


# -- 4. moving a published event ----------------------------------------------------------------

def _edit_form(event: Event, **overrides: str) -> dict:
    start, end = event.starts_at.astimezone(ZONE), event.ends_at.astimezone(ZONE)
    data = dict(title=event.title, description="", date=start.date().isoformat(), start_time=start.strftime("%H:%M"),
                end_time=end.strftime("%H:%M"), venue_name=event.venue_name, venue_address=event.venue_address,
                accessibility_notes="", transport_directions="", table_capacity="10", candidate_capacity="20",
                round_minutes=str(event.round_minutes), break_minutes=str(event.break_minutes), rounds_before_break="3")
    data.update(overrides)
    return data


def test_moving_a_published_event_with_registrations_into_the_past_asks_for_confirmation(app, ef, wsp, employer, am):
    event, _table, _places = _table_and_people(app, ef, employer.user, am.user)
    before = ef.get(Event, event.id).starts_at
    yesterday = (dt.datetime.now(ZONE).date() - dt.timedelta(days=1)).isoformat()
    sent = len(mails(app))
    response = wsp.post_form(f"/meet-and-greets/{event.id}/wijzigen", _edit_form(event, date=yesterday))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Weet u het zeker?" in html and "in het verleden" in html
    assert ef.get(Event, event.id).starts_at == before and len(mails(app)) == sent  # nothing saved, nobody mailed
    token = re.search(r'name="confirm"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="confirm"', html)
    token = token.group(1) or token.group(2)
    # a confirmation of other times does not count
    other = (dt.datetime.now(ZONE).date() - dt.timedelta(days=2)).isoformat()
    response = wsp.post_form(f"/meet-and-greets/{event.id}/wijzigen", _edit_form(event, date=other, confirm=token))
    assert response.status_code == 200 and ef.get(Event, event.id).starts_at == before
    response = wsp.post_form(f"/meet-and-greets/{event.id}/wijzigen", _edit_form(event, date=yesterday, confirm=token))
    assert response.status_code == 302
    assert ef.get(Event, event.id).starts_at.astimezone(ZONE).date().isoformat() == yesterday
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "event.updated")).one()
        assert entry.details.get("confirmed_warning") is True


def test_moving_an_event_with_an_announced_schedule_warns_even_into_the_future(app, ef, wsp, employer, am):
    event, _table, _places = _table_and_people(app, ef, employer.user, am.user)
    assert wsp.post_form(f"/meet-and-greets/{event.id}/rooster/bekendmaken").status_code == 302
    later = (event.starts_at.astimezone(ZONE).date() + dt.timedelta(days=1)).isoformat()
    response = wsp.post_form(f"/meet-and-greets/{event.id}/wijzigen", _edit_form(event, date=later))
    assert response.status_code == 200 and "rooster is al bekendgemaakt" in response.get_data(as_text=True)
    assert ef.get(Event, event.id).starts_at == event.starts_at
    # a change that does not move it (the venue) needs no confirmation
    response = wsp.post_form(f"/meet-and-greets/{event.id}/wijzigen", _edit_form(event, venue_name="Zaantheater"))
    assert response.status_code == 302 and ef.get(Event, event.id).venue_name == "Zaantheater"


# -- 5. one mail per recipient per change --------------------------------------------------------

def test_one_account_manager_with_three_candidates_gets_one_mail_per_change(app, ef, wsp, employer, am):
    from portal.events.operations import send_reminders

    event, _table, _places = _table_and_people(app, ef, employer.user, am.user, people=3,
                                               first_names=["Samira", "Yonas", "Dawit"])
    response = wsp.post_form(f"/meet-and-greets/{event.id}/wijzigen", _edit_form(event, venue_name="Zaantheater"))
    assert response.status_code == 302
    changed = [m for m in mails(app, "event_changed") if m.recipient == am.user.email]
    assert len(changed) == 1
    assert all(name in changed[0].body for name in ("Samira Osman", "Yonas Osman", "Dawit Osman"))
    assert len(changed[0].attachments) == 3  # one calendar file per booking: each keeps its own UID
    assert len({m.recipient for m in mails(app, "event_changed")}) == len(mails(app, "event_changed"))

    ef.update(ef.get(Event, event.id), starts_at=local(1, 13), ends_at=local(1, 14))
    with app.app_context():
        assert send_reminders() == 4  # 3 places and 1 table are marked reminded ...
        db.commit()
    assert [m.recipient for m in mails(app, "event_reminder")].count(am.user.email) == 1  # ... in one mail to the AM

    assert wsp.post_form(f"/meet-and-greets/{event.id}/status", {"status": "cancelled"}).status_code == 302
    cancelled = [m for m in mails(app, "event_cancelled") if m.recipient == am.user.email]
    assert len(cancelled) == 1 and "Dawit Osman" in cancelled[0].body


def test_a_cancelled_visit_tells_each_account_manager_once(app, ef, employer, am):
    slot = ef.visit(employer.user)
    for _ in range(2):
        candidate = ef.candidate(owner=am.user)
        assert am.post_form(f"/bedrijfsbezoeken/{slot.id}/aanmelden", {"candidate_id": candidate.id}).status_code == 302
    assert employer.post_form(f"/bedrijfsbezoeken/{slot.id}/annuleren").status_code == 302
    cancelled = mails(app, "visit_cancelled")
    assert [m.recipient for m in cancelled] == [am.user.email] and len(cancelled[0].attachments) == 2
    assert "Arabisch" in cancelled[0].body  # the visit's language support as a label, not "ar"


# -- 6. printouts ------------------------------------------------------------------------------------

def test_table_sheets_show_number_interpreter_and_short_names_for_employer_and_staff(app, ef, wsp, employer, am):
    event, _table, _places = _table_and_people(app, ef, employer.user, am.user, interpreter="ar",
                                               first_names=["Samira"])
    for client in (employer, wsp):
        html = client.get(f"/meet-and-greets/{event.id}/rooster/afdrukken?view=tables").get_data(as_text=True)
        assert "Tafel 1" in html and "Samira O." in html and "Tolk: Arabisch" in html
        assert "Osman" not in html
    people = wsp.get(f"/meet-and-greets/{event.id}/rooster/afdrukken?view=people").get_data(as_text=True)
    assert "Samira Osman" in people and "Tafel 1: " in people
    signin = wsp.get(f"/meet-and-greets/{event.id}/rooster/afdrukken?view=signin").get_data(as_text=True)
    assert "Presentielijst kandidaten" in signin and "Samira Osman" in signin and "Arabisch" in signin
    # an employer asking for the sign-in list gets its own table sheet, never the list of names
    own = employer.get(f"/meet-and-greets/{event.id}/rooster/afdrukken?view=signin").get_data(as_text=True)
    assert "Presentielijst" not in own and "Samira Osman" not in own


# -- 8. the new and changed pages: no raw code, valid HTML ------------------------------------------

def _follow_through_pages(app, ef, wsp, employer, am) -> dict:

    event, _table, _places = _table_and_people(app, ef, employer.user, am.user, interpreter="ti", people=2)
    with app.app_context():
        slot_id = db.session.scalars(select(ScheduleSlot.id)).first()
    yesterday = (dt.datetime.now(ZONE).date() - dt.timedelta(days=1)).isoformat()
    pages = {
        "outcomes": wsp.get(f"/meet-and-greets/{event.id}/uitkomsten"),
        "outcome": wsp.get(f"/meet-and-greets/gesprekken/{slot_id}/uitkomst"),
        "check-in": wsp.get(f"/meet-and-greets/{event.id}/binnenkomst"),
        "print-tables": wsp.get(f"/meet-and-greets/{event.id}/rooster/afdrukken?view=tables"),
        "print-people": wsp.get(f"/meet-and-greets/{event.id}/rooster/afdrukken?view=people"),
        "print-signin": wsp.get(f"/meet-and-greets/{event.id}/rooster/afdrukken?view=signin"),
        "print-employer": employer.get(f"/meet-and-greets/{event.id}/rooster/afdrukken"),
        "event-employer": employer.get(f"/meet-and-greets/{event.id}"),
        "event-wsp": wsp.get(f"/meet-and-greets/{event.id}"),
        "move-warning": wsp.post_form(f"/meet-and-greets/{event.id}/wijzigen", _edit_form(event, date=yesterday)),
    }
    assert {name: r.status_code for name, r in pages.items()} == {name: 200 for name in pages}
    return {name: r.get_data(as_text=True) for name, r in pages.items()}


def test_the_follow_through_pages_show_no_raw_code(app, ef, wsp, employer, am):
    from tests.ui.test_no_raw_codes import raw_codes

    pages = _follow_through_pages(app, ef, wsp, employer, am)
    assert {name: raw_codes(html) for name, html in pages.items()} == {name: [] for name in pages}
    assert "Tolk: Tigrinya" in pages["print-tables"]


def test_the_follow_through_pages_are_valid_html(app, ef, wsp, employer, am, tmp_path):
    from tests.ui.test_valid_html import validate

    files = []
    for name, html in _follow_through_pages(app, ef, wsp, employer, am).items():
        files.append(tmp_path / f"{name}.html")
        files[-1].write_text(html, encoding="utf-8")
    problems = {Path(f).name: m for f, m in validate(files).items() if m}
    assert problems == {}
