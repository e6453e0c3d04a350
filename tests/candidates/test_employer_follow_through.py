"""The employer's follow-through in the gallery: "you already asked to meet", the list of their own
interests with what became of each, and the "Past bij mijn plek" filter."""
from __future__ import annotations

import re

from sqlalchemy import select

from portal.candidates import operations
from portal.candidates.models import Candidate, CandidateLanguage
from portal.core import db
from tests.conftest import both_databases
from tests.placements.factories import create_placement


def html(response):
    return response.get_data(as_text=True)


def card_of(page: str, name: str) -> str:
    """The <article> of the candidate card that carries `name`."""
    for article in re.findall(r"<article class=\"candidate-card\".*?</article>", page, re.S):
        if name in article:
            return article
    raise AssertionError(f"no card for {name}")


def set_dutch(app, candidate_id: int, **levels: int) -> None:
    with app.app_context():
        row = db.session.scalars(select(CandidateLanguage).where(
            CandidateLanguage.candidate_id == candidate_id, CandidateLanguage.language_code == "nl")).one()
        for skill, level in levels.items():
            setattr(row, skill, level)
        db.commit()


def test_gallery_card_and_profile_say_you_already_asked_and_for_which_placement(app, cf, employer_client, factory):
    employer = employer_client()
    placement = create_placement(factory, employer.organisation, title="Inpakker bij de haven")
    asked = cf.candidate(published=True, first_name="Gevraagd")
    cf.candidate(published=True, first_name="Nietgevraagd")
    other = employer_client()  # another organisation's interest never shows
    assert other.post_form(f"/kandidaten/{asked.id}/ontmoeten", {}).status_code == 302

    page = html(employer.get("/kandidaten"))
    assert "U vroeg om kennis te maken" not in page

    response = employer.post_form(f"/kandidaten/{asked.id}/ontmoeten", {"placement_id": str(placement.id)})
    assert response.status_code == 302
    page = html(employer.get("/kandidaten"))
    card = card_of(page, "Gevraagd")
    assert "U vroeg om kennis te maken" in card and "Inpakker bij de haven" in card
    assert "U vroeg om kennis te maken" not in card_of(page, "Nietgevraagd")

    detail = html(employer.get(f"/kandidaten/{asked.id}"))
    assert "gaf al aan deze kandidaat te willen ontmoeten" in detail and "Inpakker bij de haven" in detail
    # the other organisation's request (without a placement) is not on this organisation's page
    assert "zonder bepaalde plek" not in detail


def test_my_interests_list_shows_stage_and_hides_candidates_whose_consent_ended(app, cf, employer_client, factory):
    employer = employer_client()
    placement = create_placement(factory, employer.organisation, title="Bakkershulp")
    owner = cf.owner()
    stays = cf.candidate(published=True, owner=owner, first_name="Blijft", surname="Zichtbaar")
    leaves = cf.candidate(published=True, owner=owner, first_name="Vertrekt", surname="Geheim")
    loose = cf.candidate(published=True, owner=owner, first_name="Zonderplek", surname="Kandidaat")
    for candidate, data in ((stays, {"placement_id": str(placement.id)}), (leaves, {"placement_id": str(placement.id)}),
                            (loose, {})):
        assert employer.post_form(f"/kandidaten/{candidate.id}/ontmoeten", data).status_code == 302
    other = employer_client()
    elsewhere = cf.candidate(published=True, owner=owner, first_name="Anderorg")
    assert other.post_form(f"/kandidaten/{elsewhere.id}/ontmoeten", {}).status_code == 302
    with app.test_request_context():
        from portal.accounts.models import User

        operations.withdraw_consent(db.session.get(Candidate, leaves.id), db.session.get(User, owner.id))
        db.commit()

    menu = html(employer.get("/werkgever"))
    assert "/kandidaten/mijn-kennismakingsverzoeken" in menu
    page = html(employer.get("/kandidaten/mijn-kennismakingsverzoeken"))
    assert "Blijft Z." in page and "Zichtbaar" not in page           # first name and initial only
    assert "Bakkershulp" in page and "Interesse" in page              # the traject's stage, as a label
    assert "Zonderplek K." in page and "Doorgegeven aan de accountmanager" in page
    assert "Vertrekt" not in page and "Geheim" not in page            # consent ended: no name ...
    assert "Niet meer beschikbaar" in page                            # ... only that, never why
    assert "ingetrokken" not in page.lower()
    assert "Anderorg" not in page                                     # another organisation's records
    assert 'data-label="Plek"' in page                                # stacked rows on a phone
    assert "interest" not in re.sub(r"<[^>]+>", " ", page.split("<main", 1)[1]).split()  # no raw stage code

    # a list is not a profile view: nothing is counted
    from portal.core.audit import AuditEntry
    with app.app_context():
        before = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "candidate.viewed_by_employer")).all()
    employer.get("/kandidaten/mijn-kennismakingsverzoeken")
    with app.app_context():
        after = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "candidate.viewed_by_employer")).all()
    assert len(after) == len(before)


def test_my_interests_for_a_new_organisation_is_empty_and_unapproved_is_refused(app, employer_client):
    employer = employer_client()
    assert "nog bij geen enkele kandidaat" in html(employer.get("/kandidaten/mijn-kennismakingsverzoeken"))
    waiting = employer_client(approved=False)
    assert waiting.get("/kandidaten/mijn-kennismakingsverzoeken").status_code == 403


@both_databases
def test_gallery_filter_fits_my_placement(app, cf, employer_client, factory):
    employer = employer_client()
    talker = create_placement(factory, employer.organisation, title="Baliemedewerker", dutch_spoken_interaction=3,
                              dutch_listening=3)
    supported = create_placement(factory, employer.organisation, title="Met steun", dutch_spoken_interaction=3,
                                 allow_one_level_below_with_support=True, support=["jobcoach"])
    create_placement(factory, employer.organisation, title="Nog concept", status="draft")
    create_placement(factory, factory.organisation(), title="Plek van een ander")
    strong = cf.candidate(published=True, first_name="Sterk")
    middle = cf.candidate(published=True, first_name="Midden")
    cf.candidate(published=True, first_name="Begin")  # A2 everywhere (factory default)
    set_dutch(app, strong.id, listening=3, spoken_interaction=4)
    set_dutch(app, middle.id, listening=2, spoken_interaction=3)

    def names(query: str) -> set[str]:
        response = employer.get("/kandidaten" + query)
        assert response.status_code == 200
        page = html(response)
        return {n for n in ("Sterk", "Midden", "Begin") if f">{n} " in page}

    page = html(employer.get("/kandidaten"))
    assert "Past bij mijn plek" in page and "Baliemedewerker" in page
    assert "Nog concept" not in page and "Plek van een ander" not in page  # published placements of my own only
    assert names("") == {"Sterk", "Midden", "Begin"}
    assert names(f"?placement={talker.id}") == {"Sterk"}
    # one level below is allowed with support on the floor: B1 asked, A2 accepted
    assert names(f"?placement={supported.id}") == {"Sterk", "Midden", "Begin"}
    assert names(f"?placement={supported.id}&spoken_interaction=3") == {"Sterk", "Midden"}  # the higher of both
    # someone else's placement, or nonsense, is ignored (not a 500, not a leak)
    assert names("?placement=999999") == {"Sterk", "Midden", "Begin"}
    assert names("?placement=abc") == {"Sterk", "Midden", "Begin"}
    filtered = html(employer.get(f"/kandidaten?placement={talker.id}"))
    assert "Filters (1 actief)" in filtered and "passen bij uw plek Baliemedewerker" in filtered
