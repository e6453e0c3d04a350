"""The start (placement record): all its fields, places filled and remaining, full placements."""
from __future__ import annotations

import datetime as dt

from portal.core import db
from portal.trajects.models import InstrumentKind, InstrumentStatus, PlacementStart, TrajectStage
from tests.trajects.helpers import count, load_traject


def start_data(**overrides):
    today = dt.date.today()
    data = {
        "start_date": today.isoformat(), "planned_end_date": (today + dt.timedelta(days=180)).isoformat(),
        "hours_per_week": "16", "days": ["tue", "thu"], "placement_type": "werkervaringsplek",
        "jobcoach_name": "Petra Jansen", "jobcoach_organisation": "Jobcoach Zaanstreek",
        "buddy_name": "Karim", "buddy_language_code": "ar",
        "taalvoucher-status": "granted", "taalvoucher-amount": "1500,00",
        "taalvoucher-period_start": today.isoformat(),
        "taalvoucher-period_end": (today + dt.timedelta(days=90)).isoformat(),
        "loonkostensubsidie-status": "requested",
    }
    data.update(overrides)
    return data


def test_recording_a_start_with_every_field(app, world, trajects):
    traject = trajects.traject(world.candidate, world.placement, stage="met")
    page = world.manager_client.get(f"/trajecten/{traject.id}/start")
    assert page.status_code == 200 and "Taalvoucher" in page.get_data(as_text=True)
    response = world.manager_client.post_form(f"/trajecten/{traject.id}/start", start_data())
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    loaded = load_traject(app, world.candidate.id, world.placement.id)
    assert loaded.stage == TrajectStage.STARTED
    start = loaded.start
    assert (start.hours_per_week, start.days, start.buddy_language_code) == (16, ["tue", "thu"], "ar")
    assert start.jobcoach_organisation == "Jobcoach Zaanstreek" and start.recorded_by_id == world.manager.id
    kinds = {i.kind: i for i in start.instruments}
    assert kinds[InstrumentKind.TAALVOUCHER].status == InstrumentStatus.GRANTED
    assert kinds[InstrumentKind.TAALVOUCHER].amount == 150000
    assert kinds[InstrumentKind.LOONKOSTENSUBSIDIE].status == InstrumentStatus.REQUESTED
    assert InstrumentKind.NO_RISK_POLIS not in kinds
    # the employer sees the placement record and the places; never the candidate's surname
    detail = world.employer_client.get(f"/trajecten/{traject.id}").get_data(as_text=True)
    assert "Petra Jansen" in detail and "1 van 1 bezet, 0 vrij" in detail
    assert world.candidate.surname not in detail


def test_bad_start_input_gives_field_errors_and_saves_nothing(app, world, trajects):
    traject = trajects.traject(world.candidate, world.placement, stage="met")
    url = f"/trajecten/{traject.id}/start"
    cases = [
        ({"start_date": "31-02-2026"}, "Ongeldige datum"),
        ({"hours_per_week": "60"}, "Tussen 1 en 40 uur"),
        ({"days": []}, "Kies minstens één dag"),
        ({"days": ["mon", "funday"]}, "Onbekende dag"),
        ({"planned_end_date": "2000-01-01"}, "De einddatum ligt voor de startdatum"),
        ({"taalvoucher-amount": "-5"}, "Een bedrag van 0 tot 100.000 euro"),
        ({"no_risk_polis-amount": "10"}, "Kies aangevraagd of toegekend"),
        ({"taalvoucher-period_end": "2000-01-01"}, "Het einde van de periode ligt voor het begin"),
        ({"placement_type": "onbekend"}, "Ongeldige keuze"),
        ({"jobcoach_name": "<b>x</b>"}, "HTML"),
    ]
    for overrides, message in cases:
        response = world.manager_client.post_form(url, start_data(**overrides))
        assert response.status_code == 400, overrides
        assert message in response.get_data(as_text=True), (overrides, message)
    assert count(app, PlacementStart) == 0
    assert load_traject(app, world.candidate.id, world.placement.id).stage == TrajectStage.MET


def test_a_start_needs_a_meeting_first(app, world, trajects):
    traject = trajects.traject(world.candidate, world.placement, stage="proposed")
    response = world.manager_client.post_form(f"/trajecten/{traject.id}/start", start_data())
    assert response.status_code == 400 and "na de kennismaking" in response.get_data(as_text=True)
    assert count(app, PlacementStart) == 0


def test_a_full_placement_refuses_a_start_and_leaves_the_matches_until_reopened(app, world, trajects):
    first = trajects.traject(world.candidate, world.placement, stage="met")
    other = trajects.candidate(world.manager, first_name="Samir")
    second = trajects.traject(other, world.placement, stage="trial")
    assert world.manager_client.post_form(f"/trajecten/{first.id}/start", start_data()).status_code == 302
    refused = world.manager_client.post_form(f"/trajecten/{second.id}/start", start_data())
    assert refused.status_code == 400 and "inmiddels vol" in refused.get_data(as_text=True)

    from portal.matching.operations import open_placements

    with app.app_context():
        assert world.placement.id not in {p.id for p in open_placements()}
    matches = world.manager_client.get(f"/zoeken/plek/{world.placement.id}").get_data(as_text=True)
    assert "Alle plekken zijn bezet" in matches

    # the employer reopens a place: the placement is back and the second start succeeds
    bad = world.employer_client.post_form(f"/trajecten/plek/{world.placement.id}/plaatsen", {"places": "0"})
    assert bad.status_code == 303
    reopened = world.employer_client.post_form(f"/trajecten/plek/{world.placement.id}/plaatsen", {"places": "2"})
    assert reopened.status_code == 302
    with app.app_context():
        assert world.placement.id in {p.id for p in open_placements()}
    assert world.manager_client.post_form(f"/trajecten/{second.id}/start", start_data()).status_code == 302
    page = world.employer_client.get(f"/plekken/{world.placement.id}").get_data(as_text=True)
    assert "2 van 2 plekken bezet, 0 vrij" in page
    # never below the places already filled
    assert world.employer_client.post_form(f"/trajecten/plek/{world.placement.id}/plaatsen",
                                           {"places": "1"}).status_code == 303
    from portal.placements.models import Placement

    with app.app_context():
        assert db.session.get(Placement, world.placement.id).places == 2


def test_finishing_frees_the_place(app, world, trajects):
    traject = trajects.traject(world.candidate, world.placement, stage="met")
    world.manager_client.post_form(f"/trajecten/{traject.id}/start", start_data())
    from portal.trajects.operations import places_remaining
    from portal.placements.models import Placement

    response = world.manager_client.post_form(f"/trajecten/{traject.id}/fase",
                                              {f"t{traject.id}-to_stage": "finished"})
    assert response.status_code == 302
    with app.app_context():
        assert places_remaining(db.session.get(Placement, world.placement.id)) == 1
