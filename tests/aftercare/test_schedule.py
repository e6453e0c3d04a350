"""The check-in schedule of a start: defaults, per-start edits, the Nazorg list (overdue first)."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from portal.aftercare.models import CheckIn, CheckInMoment
from portal.aftercare.operations import default_schedule
from portal.core import db
from tests.conftest import both_databases

M = CheckInMoment


def test_default_schedule_without_a_planned_end():
    start = dt.date(2026, 1, 31)
    assert default_schedule(start, None) == [
        (M.WEEK_1, dt.date(2026, 2, 7)), (M.WEEK_6, dt.date(2026, 3, 14)),
        (M.MONTH_3, dt.date(2026, 4, 30)), (M.MONTH_6, dt.date(2026, 7, 31)),
    ]


def test_default_schedule_with_a_planned_end_adds_four_weeks_before_and_drops_what_falls_after():
    start = dt.date(2026, 3, 2)
    end = dt.date(2026, 6, 2)  # a three-month taalstage
    assert default_schedule(start, end) == [
        (M.WEEK_1, dt.date(2026, 3, 9)), (M.WEEK_6, dt.date(2026, 4, 13)),
        (M.BEFORE_END, dt.date(2026, 5, 5)), (M.MONTH_3, dt.date(2026, 6, 2)),
    ]
    # one day shorter: the 3-month check-in would fall after the end and is left out
    assert M.MONTH_3 not in [m for m, _d in default_schedule(start, dt.date(2026, 6, 1))]
    # a year-long placement gets all five
    assert [m for m, _d in default_schedule(start, dt.date(2027, 3, 1))] == [
        M.WEEK_1, M.WEEK_6, M.MONTH_3, M.MONTH_6, M.BEFORE_END]
    # a two-week trial: only week 1
    assert [m for m, _d in default_schedule(start, start + dt.timedelta(days=14))] == [M.WEEK_1]


@both_databases
def test_recording_a_start_plans_its_check_ins_in_the_same_transaction(app, case, cases):
    start = cases.started(case.candidate, case.employer, start_date=dt.date.today(),
                          planned_end=dt.date.today() + dt.timedelta(days=365))
    with app.app_context():
        rows = db.session.scalars(select(CheckIn).where(CheckIn.start_id == start.id).order_by(CheckIn.due_on)).all()
        assert [r.moment for r in rows] == [M.WEEK_1, M.WEEK_6, M.MONTH_3, M.MONTH_6, M.BEFORE_END]
        assert {r.candidate_id for r in rows} == {case.candidate.id}


def test_the_schedule_is_editable_per_start(app, case, cases):
    today = dt.date.today()
    start = cases.started(case.candidate, case.employer, start_date=today)
    with app.app_context():
        first, second = db.session.scalars(select(CheckIn).where(CheckIn.start_id == start.id)
                                           .order_by(CheckIn.due_on).limit(2)).all()
    client = case.manager_client
    new_day = today + dt.timedelta(days=10)
    assert client.post_form(f"/nazorg/contact/{first.id}/verplaatsen",
                            {f"c{first.id}-due_on": new_day.isoformat()}).status_code == 302
    assert client.post_form(f"/nazorg/contact/{second.id}/verwijderen").status_code == 302
    assert client.post_form(f"/nazorg/start/{start.id}/extra",
                            {"extra-due_on": (today + dt.timedelta(days=20)).isoformat()}).status_code == 302
    with app.app_context():
        rows = db.session.scalars(select(CheckIn).where(CheckIn.start_id == start.id).order_by(CheckIn.due_on)).all()
        assert [(r.moment, r.due_on) for r in rows[:2]] == [(M.WEEK_1, new_day), (M.EXTRA, today + dt.timedelta(days=20))]
        assert M.WEEK_6 not in [r.moment for r in rows]
    page = client.get(f"/nazorg/start/{start.id}").get_data(as_text=True)
    assert "extra contact" in page and "na 1 week" in page and "na 6 weken" not in page


@pytest.mark.parametrize("locale, message", [
    ("nl", "Een nazorgcontact kan niet voor de startdatum liggen."),
    ("en", "A check-in cannot be before the start date."),
])
def test_a_date_before_the_start_is_refused_and_nothing_changes(app, factory, cases, make_client, locale, message):
    manager = factory.user("account_manager", locale=locale)
    employer = factory.user("employer")
    candidate = cases.candidate(manager)
    start = cases.started(candidate, employer, start_date=dt.date.today())
    client = make_client()
    client.login(manager)
    before = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    response = client.post_form(f"/nazorg/start/{start.id}/extra", {"extra-due_on": before})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    bad = client.post_form(f"/nazorg/start/{start.id}/extra", {"extra-due_on": "31-02-2026"})
    assert bad.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(CheckIn.id)).where(CheckIn.start_id == start.id,
                                                                      CheckIn.moment == M.EXTRA)) == 0


def test_the_nazorg_list_shows_overdue_check_ins_first(app, factory, case, cases):
    today = dt.date.today()
    other = cases.candidate(case.manager, first_name="Yonas")
    cases.started(case.candidate, case.employer, start_date=today)  # week 1 in 7 days
    cases.started(other, case.employer, start_date=today - dt.timedelta(days=60))  # week 1 and 6 overdue
    html = case.manager_client.get("/nazorg").get_data(as_text=True)
    rows = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr")[1:]
    assert "te laat" in rows[0] and "Yonas" in rows[0] and "na 1 week" in rows[0]
    assert "Yonas" in rows[1] and "na 6 weken" in rows[1]
    assert "Amina" in rows[2] and "te laat" not in rows[2]
    # another account manager's cases are not on my list
    stranger = factory.user("account_manager")
    stranger_candidate = cases.candidate(stranger, first_name="Onbekend")
    cases.started(stranger_candidate, case.employer, start_date=today - dt.timedelta(days=30))
    assert "Onbekend" not in case.manager_client.get("/nazorg").get_data(as_text=True)
    # and the start page panel shows the overdue ones
    assert "Yonas" in case.manager_client.get("/accountmanager").get_data(as_text=True)
