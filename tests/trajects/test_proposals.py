"""Voordragen: an account manager proposes, the employer answers; consent decides who can be proposed."""
from __future__ import annotations

import re

from sqlalchemy import select

from portal.core import db
from portal.core.audit import AuditEntry
from portal.trajects.models import Proposal, ProposalAnswer, TrajectStage
from tests.trajects.helpers import count, load_traject

MOTIVATION = "Amina heeft ervaring in een magazijn en wil graag Nederlands leren op de werkvloer."


def test_propose_from_the_matches_page_and_the_employer_invites(app, world, trajects):
    trajects.meetings.slot(world.manager, [world.candidate])
    page = world.manager_client.get(f"/zoeken/plek/{world.placement.id}").get_data(as_text=True)
    link = f"/trajecten/voordragen/{world.candidate.id}?placement_id={world.placement.id}"
    assert link in page.replace("&amp;", "&")
    form = world.manager_client.get(link).get_data(as_text=True)
    assert f'<option selected value="{world.placement.id}"' in form or f'value="{world.placement.id}" selected' in form
    response = world.manager_client.post_form(f"/trajecten/voordragen/{world.candidate.id}",
                                              {"placement_id": world.placement.id, "motivation": MOTIVATION})
    assert response.status_code == 302
    traject = load_traject(app, world.candidate.id, world.placement.id)
    assert traject.stage == TrajectStage.PROPOSED and len(traject.proposals) == 1

    # the employer sees it on the start page and on the placement page, with the motivation
    home = world.employer_client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Amina" in home and world.candidate.surname not in home
    detail = world.employer_client.get(f"/plekken/{world.placement.id}").get_data(as_text=True)
    proposal_id = traject.proposals[0].id
    assert f"/trajecten/voordracht/{proposal_id}" in detail
    reading = world.employer_client.get(f"/trajecten/voordracht/{proposal_id}").get_data(as_text=True)
    assert "ervaring in een magazijn" in reading and world.candidate.surname not in reading

    answered = world.employer_client.post_form(f"/trajecten/voordracht/{proposal_id}", {"answer": "invited"})
    assert answered.status_code == 302
    assert f"/gesprekken/kandidaat/{world.candidate.id}?placement_id={world.placement.id}" in answered.headers["Location"]
    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        assert proposal.answer == ProposalAnswer.INVITED and proposal.answered_by_id == world.employer.id
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "proposal.answered")).one()
        assert entry.details["candidate_id"] == world.candidate.id and entry.details["answer"] == "invited"
    booking_page = world.employer_client.get(answered.headers["Location"]).get_data(as_text=True)
    assert re.search(rf'<option selected value="{world.placement.id}"|value="{world.placement.id}" selected', booking_page)


def test_the_employer_declines_with_a_reason(app, world):
    world.manager_client.post_form(f"/trajecten/voordragen/{world.candidate.id}",
                                   {"placement_id": world.placement.id, "motivation": MOTIVATION})
    traject = load_traject(app, world.candidate.id, world.placement.id)
    url = f"/trajecten/voordracht/{traject.proposals[0].id}"
    missing = world.employer_client.post_form(url, {"answer": "declined"})
    assert missing.status_code == 400 and "Kies een reden" in missing.get_data(as_text=True)
    assert load_traject(app, world.candidate.id, world.placement.id).proposals[0].is_pending
    ok = world.employer_client.post_form(url, {"answer": "declined", "decline_reason": "days_hours"})
    assert ok.status_code == 302
    traject = load_traject(app, world.candidate.id, world.placement.id)
    assert traject.proposals[0].answer == ProposalAnswer.DECLINED
    assert traject.stage == TrajectStage.STOPPED and traject.stopped_by_employer
    again = world.employer_client.post_form(url, {"answer": "invited"})
    assert again.status_code == 400 and "al beantwoord" in again.get_data(as_text=True)


def test_bad_proposal_input_gives_field_errors_and_saves_nothing(app, world):
    url = f"/trajecten/voordragen/{world.candidate.id}"
    for data, message in (({"placement_id": world.placement.id, "motivation": "kort"}, "10 tot 1000"),
                          ({"placement_id": "", "motivation": MOTIVATION}, "Kies een plek"),
                          ({"placement_id": "99999", "motivation": MOTIVATION}, "Kies een plek uit de lijst"),
                          ({"placement_id": world.placement.id, "motivation": "<script>alert(1)</script> hallo daar"}, "HTML"),
                          ({"placement_id": "abc", "motivation": "x" * 5000}, "Kies een plek")):
        response = world.manager_client.post_form(url, data)
        assert response.status_code == 400, data
        assert message in response.get_data(as_text=True), message
    assert count(app, Proposal) == 0


def test_bad_input_in_english(app, world):
    world.manager_client.post_form("/taal", {"locale": "en", "next": "/"})
    response = world.manager_client.post_form(f"/trajecten/voordragen/{world.candidate.id}",
                                              {"placement_id": world.placement.id, "motivation": "kort"})
    assert response.status_code == 400
    assert "Use 10 to 1000 characters" in response.get_data(as_text=True)


def test_consent_that_does_not_cover_the_organisation_blocks_the_proposal(app, factory, trajects, world):
    other_org = factory.organisation()
    narrow = trajects.candidate(world.manager, first_name="Yusuf", organisations=[other_org])
    page = world.manager_client.get(f"/zoeken/plek/{world.placement.id}").get_data(as_text=True)
    assert "Yusuf" in page  # listed by the matcher, marked with why, and without a proposal link
    assert "Kan niet worden voorgedragen:" in page and "De toestemming geldt niet voor deze werkgever" in page
    assert f"/trajecten/voordragen/{narrow.id}?" not in page
    assert f"/trajecten/voordragen/{world.candidate.id}?" in page
    response = world.manager_client.post_form(f"/trajecten/voordragen/{narrow.id}",
                                              {"placement_id": world.placement.id, "motivation": MOTIVATION})
    assert response.status_code == 400
    assert "De toestemming geldt niet voor deze werkgever" in response.get_data(as_text=True)
    assert count(app, Proposal) == 0


def test_why_not_proposable_names_each_reason(app, factory, trajects, world):
    from portal.candidates.models import Candidate
    from portal.placements.models import Placement
    from portal.trajects.operations import why_not_proposable

    unpublished = trajects.candidate(world.manager, published=False)
    with app.test_request_context():
        placement = db.session.get(Placement, world.placement.id)
        assert why_not_proposable(db.session.get(Candidate, world.candidate.id), placement) is None
        assert "niet gepubliceerd" in why_not_proposable(db.session.get(Candidate, unpublished.id), placement)


def test_employers_cannot_propose_and_other_organisations_cannot_answer(app, factory, world, make_client):
    world.manager_client.post_form(f"/trajecten/voordragen/{world.candidate.id}",
                                   {"placement_id": world.placement.id, "motivation": MOTIVATION})
    proposal_id = load_traject(app, world.candidate.id, world.placement.id).proposals[0].id
    assert world.employer_client.get(f"/trajecten/voordragen/{world.candidate.id}").status_code == 403
    stranger = make_client()
    stranger.login(factory.user("employer"))
    assert stranger.get(f"/trajecten/voordracht/{proposal_id}").status_code == 404
    assert stranger.post_form(f"/trajecten/voordracht/{proposal_id}", {"answer": "invited"}).status_code == 404
    wsp = make_client()
    wsp.login(factory.user("wsp"))
    assert wsp.post_form(f"/trajecten/voordracht/{proposal_id}", {"answer": "invited"}).status_code == 403


def test_search_results_offer_a_proposal(app, world):
    page = world.manager_client.get("/zoeken?q=").get_data(as_text=True)
    assert f"/trajecten/voordragen/{world.candidate.id}" in page
