"""The account manager's start page and a candidate's timeline load in a fixed number of SQL statements,
however many cases, trajects, check-ins, requests and timeline entries there are.

Each page is requested at two data sizes; the statements a request sends are counted with SQLAlchemy's
`before_cursor_execute` event. A page fails when it needs more than its budget, or when the larger
data set needs more statements than the smaller one (a query per line: N+1).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from portal.core import db
from tests.statements import assert_within_budgets, count_pages

#: statements per page (login/session, access checks, every panel's own queries); the same at both sizes
BUDGETS = {
    # 2 of them are the test's savepoint; login and session 1; every panel reads its data in one statement
    # (was 23 + 2 with one case and nothing else to show, and grew with every request, interest and consent)
    "start_page": 14,
    # the candidate, consent, experiences, interests, video, trajects (with their placement and employer),
    # co-owners; the timeline page and its total in one statement, then one statement per kind of thing
    # its sentences name (placements with their employer, people, notes, contact moments: whichever the
    # page shows), and one lazy load of an organisation outside the case file
    "timeline": 19,
    "timeline_page_2": 19,
    "timeline_kind": 19,
}
STAGES = ["interest", "meeting_planned", "met", "trial"]


def fill(app: Any, factory: Any, cases: Any, n: int) -> tuple[Any, Any, Any]:
    """An account manager with `n` of everything the start page and the timeline show."""
    from portal.candidates.models import Interest
    from tests.candidates.factories import CandidateFactory

    manager = factory.user("account_manager", name=f"Beheerder {n}")
    employer = factory.user("employer")
    today = dt.date.today()
    candidates = [cases.candidate(manager, first_name=f"Kandidaat{i}") for i in range(n)]
    slot_candidates = []
    for i, candidate in enumerate(candidates):
        placement = cases.placement(employer.organisation_id, title=f"Plek {n}-{i}", places=3)
        cases.trajects.traject(candidate, placement, stage=STAGES[i % len(STAGES)])
        # a start a week ago (its first check-in is overdue) and one today (due this week)
        started = cases.candidate(manager, first_name=f"Gestart{i}")
        cases.started(started, employer, start_date=today - dt.timedelta(days=8 + i))
        cases.started(cases.candidate(manager, first_name=f"Nieuw{i}"), employer, start_date=today)
        CandidateFactory(factory).candidate(owner=manager, published=True, expires_in_days=10 + i)  # consent expiring
        with app.app_context():
            db.session.add(Interest(organisation_id=employer.organisation_id, candidate_id=candidate.id,
                                    placement_id=placement.id, user_id=employer.id))
            db.commit()
        slot_candidates.append(candidate)
    meetings = cases.trajects.meetings
    for i, candidate in enumerate(slot_candidates):
        slot = meetings.slot(manager, [candidate], starts_at=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3, hours=i))
        meetings.booking(slot, candidate, employer)  # a request waiting for confirmation
    return manager, employer, candidates[0]


def write_timeline(client: Any, candidate: Any, n: int) -> None:
    """Notes and contact moments (each sentence names its text) and a few stage changes."""
    for i in range(n):
        assert client.post_form(f"/dossier/{candidate.id}/notitie", {"body": f"Notitie {i}"}).status_code == 302
        assert client.post_form(f"/dossier/{candidate.id}/contactmoment", {
            "channel": "phone", "happened_on": dt.date.today().isoformat(), "summary": f"Gebeld {i}"}).status_code == 302


def page_counts(app: Any, factory: Any, cases: Any, make_client: Any, n: int,
                seen: dict[str, list[str]]) -> dict[str, int]:
    manager, _employer, candidate = fill(app, factory, cases, n)
    client = make_client()
    client.login(manager)
    write_timeline(client, candidate, 3 * n)  # 6n entries + the consent: a second page from n = 4
    detail = f"/kandidaten/beheer/{candidate.id}"
    urls = {"start_page": "/accountmanager", "timeline": detail, "timeline_page_2": detail + "?page=2",
            "timeline_kind": detail + "?soort=note"}

    def check(name: str, response: Any) -> None:
        html = response.get_data(as_text=True)
        if name == "start_page":
            assert f"{4 * n} actieve dossiers" in html, "the caseload counts every case"
            assert f"Kandidaat{n - 1}" in html, "the panels show the requests of every case"
        elif name == "timeline_kind":
            assert f"Notitie {3 * n - 1}" in html and "Gebeld" not in html

    return count_pages(app, {name: (client, url) for name, url in urls.items()}, seen, check)


def test_start_page_and_timeline_use_a_fixed_number_of_statements(app, factory, cases, make_client):
    seen: dict[str, list[str]] = {}
    small = page_counts(app, factory, cases, make_client, 1, {})
    large = page_counts(app, factory, cases, make_client, 5, seen)
    assert_within_budgets(BUDGETS, small, large, seen, "1 of each", "5")
