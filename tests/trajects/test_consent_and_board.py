"""Consent stops trajects outside its scope; erasure removes them; employers see only their own,
never staff notes or staff stop reasons."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from portal.core import db
from portal.trajects.models import PlacementStart, Proposal, StartInstrument, StopReason, Traject, TrajectStage, TrajectStageChange
from tests.trajects.helpers import count, load_traject
from tests.trajects.test_starts import start_data


def _candidate(app, candidate_id):
    from portal.candidates.models import Candidate

    return db.session.get(Candidate, candidate_id)


def test_withdrawal_stops_open_trajects_and_the_employer_sees_no_longer_available(app, world, trajects):
    from portal.candidates.operations import withdraw_consent

    trajects.traject(world.candidate, world.placement, stage="met")
    with app.test_request_context():
        withdraw_consent(_candidate(app, world.candidate.id), world.manager)
        db.commit()
    traject = load_traject(app, world.candidate.id, world.placement.id)
    assert traject.stage == TrajectStage.STOPPED and traject.stop_reason == StopReason.CONSENT_ENDED
    board = world.employer_client.get("/trajecten").get_data(as_text=True)
    assert "Niet meer beschikbaar" in board
    assert "toestemming" not in board.lower() and "Amina" not in board
    # nobody reopens it while the consent does not cover the organisation
    reopen = world.employer_client.post_form(f"/trajecten/{traject.id}/fase", {f"t{traject.id}-to_stage": "met"})
    assert reopen.status_code == 400
    with app.test_request_context():
        from portal.trajects.operations import TransitionRefused, move_stage

        try:
            move_stage(db.session.get(Traject, traject.id), TrajectStage.MET, by=world.manager)
        except TransitionRefused as exc:
            assert "niet meer beschikbaar" in exc.message
        else:
            raise AssertionError("a consent-stopped traject was reopened")


def test_a_narrower_consent_stops_only_the_organisations_it_no_longer_covers(app, factory, world, trajects):
    from portal.accounts.models import Organisation
    from portal.candidates.operations import record_consent

    kept_org = factory.organisation()
    kept_placement = trajects.placement(kept_org.id)
    trajects.traject(world.candidate, world.placement, stage="proposed")
    trajects.traject(world.candidate, kept_placement, stage="met")
    with app.test_request_context():
        record_consent(_candidate(app, world.candidate.id), world.manager, scope="selected_organisations",
                       organisations=[db.session.get(Organisation, kept_org.id)],
                       expires_at=db.utcnow() + dt.timedelta(days=100))
        db.commit()
    assert load_traject(app, world.candidate.id, world.placement.id).no_longer_available
    assert load_traject(app, world.candidate.id, kept_placement.id).stage == TrajectStage.MET


def test_expiry_stops_open_trajects(app, world, trajects):
    from portal.candidates.models import Consent
    from portal.candidates.operations import expire_consents

    trajects.traject(world.candidate, world.placement, stage="trial")
    with app.test_request_context():
        consent = db.session.scalars(select(Consent).where(Consent.candidate_id == world.candidate.id)).one()
        consent.expires_at = db.utcnow() - dt.timedelta(minutes=1)
        expire_consents()
        db.commit()
    assert load_traject(app, world.candidate.id, world.placement.id).no_longer_available


def test_erasure_removes_trajects_proposals_starts_and_instruments(app, world, trajects):
    from portal.candidates.operations import erase_candidate

    world.manager_client.post_form(f"/trajecten/voordragen/{world.candidate.id}", {
        "placement_id": world.placement.id, "motivation": "Een goede kandidaat voor het magazijn."})
    traject = load_traject(app, world.candidate.id, world.placement.id)
    with app.test_request_context():
        from portal.trajects.operations import move_stage

        t = db.session.get(Traject, traject.id)
        move_stage(t, TrajectStage.MET, by=world.manager)
        db.commit()
    assert world.manager_client.post_form(f"/trajecten/{traject.id}/start", start_data()).status_code == 302
    assert count(app, StartInstrument) == 2
    with app.test_request_context():
        erase_candidate(_candidate(app, world.candidate.id), world.manager)
        db.commit()
    for model in (Traject, Proposal, PlacementStart, StartInstrument, TrajectStageChange):
        assert count(app, model) == 0, model


def test_employers_see_only_their_own_trajects_and_never_staff_notes(app, factory, world, trajects, make_client):
    traject = trajects.traject(world.candidate, world.placement, stage="met")
    response = world.manager_client.post_form(f"/trajecten/{traject.id}/fase", {
        f"t{traject.id}-to_stage": "stopped", f"t{traject.id}-reason": "personal",
        f"t{traject.id}-note": "GEHEIMENOTITIE over de thuissituatie"})
    assert response.status_code == 302
    staff_page = world.manager_client.get(f"/trajecten/{traject.id}").get_data(as_text=True)
    assert "GEHEIMENOTITIE" in staff_page and "Persoonlijke omstandigheden" in staff_page
    for url in ("/trajecten", f"/trajecten/{traject.id}", f"/plekken/{world.placement.id}"):
        page = world.employer_client.get(url).get_data(as_text=True)
        assert "GEHEIMENOTITIE" not in page and "Persoonlijke omstandigheden" not in page, url
        assert world.candidate.surname not in page, url
    assert "Gestopt" in world.employer_client.get(f"/trajecten/{traject.id}").get_data(as_text=True)

    stranger = make_client()
    stranger.login(factory.user("employer"))
    assert stranger.get(f"/trajecten/{traject.id}").status_code == 404
    assert "Amina" not in stranger.get("/trajecten").get_data(as_text=True)
    assert stranger.post_form(f"/trajecten/{traject.id}/fase", {f"t{traject.id}-to_stage": "met"}).status_code == 404


def test_the_board_groups_by_stage_and_employers_move_by_small_forms(app, world, trajects):
    traject = trajects.traject(world.candidate, world.placement, stage="meeting_planned")
    board = world.employer_client.get("/trajecten").get_data(as_text=True)
    assert 'id="col-meeting_planned"' in board and f'action="/trajecten/{traject.id}/fase"' in board
    # employers may not record a start or finish by hand, nor write notes
    assert 'value="started"' not in board and 'value="finished"' not in board
    moved = world.employer_client.post_form(f"/trajecten/{traject.id}/fase", {
        f"t{traject.id}-to_stage": "met", "back": "board"})
    assert moved.status_code == 302 and moved.headers["Location"].endswith("/trajecten")
    assert load_traject(app, world.candidate.id, world.placement.id).stage == TrajectStage.MET
    refused = world.employer_client.post_form(f"/trajecten/{traject.id}/fase", {f"t{traject.id}-to_stage": "finished"})
    assert refused.status_code == 400


def test_bad_stage_input(app, world, trajects):
    traject = trajects.traject(world.candidate, world.placement, stage="met")
    url = f"/trajecten/{traject.id}/fase"
    for data, message in (({f"t{traject.id}-to_stage": "stopped"}, "Kies een reden om te stoppen"),
                          ({f"t{traject.id}-to_stage": "nonsense"}, "Ongeldige keuze"),
                          ({f"t{traject.id}-to_stage": "stopped", f"t{traject.id}-reason": "consent_ended"}, "Ongeldige keuze")):
        response = world.manager_client.post_form(url, data)
        assert response.status_code == 400 and message in response.get_data(as_text=True), data
    assert load_traject(app, world.candidate.id, world.placement.id).stage == TrajectStage.MET
    assert world.manager_client.post("/trajecten/99999/fase").status_code in (400, 404)


def test_an_account_manager_of_another_municipality_neither_sees_nor_moves_the_traject(app, factory, world, trajects, make_client):
    traject = trajects.traject(world.candidate, world.placement, stage="proposed")
    elsewhere = make_client()
    elsewhere.login(factory.user("account_manager", municipality="Westland"))
    assert "Amina" in world.manager_client.get("/trajecten").get_data(as_text=True)
    board = elsewhere.get("/trajecten").get_data(as_text=True)
    assert "Amina" not in board and world.placement.title not in board
    assert elsewhere.get(f"/trajecten/{traject.id}").status_code == 404
    moved = elsewhere.post_form(f"/trajecten/{traject.id}/fase", {f"t{traject.id}-to_stage": "meeting_planned"})
    assert moved.status_code == 404
    assert load_traject(app, world.candidate.id, world.placement.id).stage == TrajectStage.PROPOSED
    # WSP staff keep the whole region's view
    wsp = make_client()
    wsp.login(factory.user("wsp"))
    assert "Amina" in wsp.get("/trajecten").get_data(as_text=True)
