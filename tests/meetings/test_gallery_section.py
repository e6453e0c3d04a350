"""The booking section of the candidate's gallery page: this organisation's upcoming bookings and the
free slots, read in a fixed number of statements; without free slots only the notice."""
from __future__ import annotations

from tests.meetings.factories import utc
from tests.placements.factories import create_placement
from tests.statements import counting

NO_SLOTS = "Er zijn op dit moment geen vrije tijdsloten voor deze kandidaat."


def page(app, client, candidate_id):
    with counting(app) as statements:
        response = client.get(f"/kandidaten/{candidate_id}")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True), len(statements)


def section(html):
    return html.split('id="kennismaken"', 1)[1].split("</section>", 1)[0]


def test_the_upcoming_bookings_are_listed_in_a_fixed_number_of_statements(app, world, meetings, factory):
    employer = world.employer
    mine = meetings.slot(world.manager, [world.candidate], starts_at=utc(days=4))
    booking = meetings.booking(mine, world.candidate, employer)
    other = factory.user("employer")
    theirs = meetings.slot(world.manager, [world.candidate], starts_at=utc(days=6))
    meetings.booking(theirs, world.candidate, other)  # another organisation's: neither listed nor free
    cancelled = meetings.slot(world.manager, [world.candidate], starts_at=utc(days=7))
    meetings.booking(cancelled, world.candidate, employer, status="cancelled")  # not listed, free again
    page(app, world.employer_client, world.candidate.id)  # warm-up
    html, one = page(app, world.employer_client, world.candidate.id)
    listed = section(html)
    assert f"/gesprekken/{booking.id}" in listed and listed.count('href="/gesprekken/') == 1
    assert f'value="{world.slot.id}"' in listed and f'value="{cancelled.id}"' in listed
    assert f'value="{mine.id}"' not in listed and f'value="{theirs.id}"' not in listed

    for days in (8, 9):
        meetings.booking(meetings.slot(world.manager, [world.candidate], starts_at=utc(days=days)), world.candidate,
                         employer, status="confirmed")
    html, three = page(app, world.employer_client, world.candidate.id)
    assert section(html).count('href="/gesprekken/') == 3
    assert three == one, "each booking's slot comes with it (no statement per booking)"


def test_without_free_slots_only_the_notice_and_no_booking_form(app, meetings, factory, make_client):
    manager = factory.user("account_manager")
    employer = factory.user("employer")
    create_placement(factory, employer.organisation_id, status="draft", title="Concept plek")
    with_slot = meetings.candidate(manager)
    meetings.slot(manager, [with_slot])
    without = meetings.candidate(manager)
    client = make_client()
    client.login(employer)
    page(app, client, with_slot.id)
    page(app, client, without.id)  # warm-up
    html, statements = page(app, client, with_slot.id)
    assert "Concept plek" in section(html)  # the booking form offers placements that are not closed
    html, fewer = page(app, client, without.id)
    notice = section(html)
    assert NO_SLOTS in notice and "<form" not in notice and "Concept plek" not in notice
    assert fewer < statements, "no placements are read for a booking form that is not shown"
