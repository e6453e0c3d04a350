"""The database backend remembers a search's total (search.freshness), and never a stale one.

The employer gallery asks for its total without facets, so it is the total that is remembered.
Each test asks once (the total is remembered), changes something, and asks again: the second
answer must be the new total, whether the change was a write (the data token changes with it)
or the clock passing a consent's start or expiry (the remembered total runs out then).
On SQLite and PostgreSQL, with the database backend.
"""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from portal.core import db
from search import EmployerScope, SearchQuery, freshness, run
from tests.conftest import both_databases

pytestmark = both_databases


def total(app, organisation_id: int, **filters) -> int:
    with app.app_context():
        return run(SearchQuery(scope=EmployerScope(organisation_id), sort="recent", facets=False, limit=2,
                               **filters)).total


def gallery_count(client) -> str:
    import re

    page = client.get("/kandidaten").get_data(as_text=True)
    return re.search(r"(\d+) kandida(?:at|ten) gevonden", page).group(1)


@pytest.fixture
def org_b(world) -> int:
    return world.orgs["b"].id


def candidate(app, world, name):
    from portal.candidates.models import Candidate

    return db.session.get(Candidate, world.ids[name])


def test_the_gallery_count_follows_a_withdrawal_on_the_next_page_view(app, world, factory, make_client):
    user = factory.user("employer", organisation=world.orgs["b"])
    client = make_client()
    client.login(user)
    assert gallery_count(client) == "3"
    assert gallery_count(client) == "3"  # remembered
    with app.app_context():
        candidate(app, world, "amina").valid_consent.withdrawn_at = db.utcnow()
        db.session.commit()
    assert gallery_count(client) == "2"


def test_a_total_follows_every_kind_of_write(app, world, org_b):
    from portal.accounts.models import Organisation
    from portal.candidates.models import Candidate, CandidateStatus, ConsentScope

    assert total(app, org_b) == 3
    with app.app_context():  # a consent that names Org B as well
        consent = candidate(app, world, "dawit").valid_consent
        assert consent.scope == ConsentScope.SELECTED_ORGANISATIONS
        consent.organisations.append(db.session.get(Organisation, org_b))
        db.session.commit()
    assert total(app, org_b) == 4
    with app.app_context():  # a bulk UPDATE through the session
        db.session.execute(update(Candidate).where(Candidate.id == world.ids["bilal"])
                           .values(status=CandidateStatus.PAUSED))
        db.session.commit()
    assert total(app, org_b) == 3
    assert total(app, org_b, sectors=("horeca",)) == 3  # Amina, Chaltu, Dawit
    with app.app_context():  # a child row the filter reads
        horeca = next(s for s in candidate(app, world, "chaltu").sector_interests if s.sector_code == "horeca")
        db.session.delete(horeca)
        db.session.commit()
    assert total(app, org_b, sectors=("horeca",)) == 2
    with app.app_context():  # deleting a candidate
        db.session.delete(candidate(app, world, "amina"))
        db.session.commit()
    assert total(app, org_b) == 2


def test_a_total_runs_out_when_a_consent_expires_or_starts(app, world, org_b, monkeypatch):
    from portal.candidates.models import CandidateStatus, Consent, ConsentScope

    with app.app_context():
        now = db.utcnow()
        amina = candidate(app, world, "amina")
        amina.valid_consent.expires_at = now + dt.timedelta(hours=1)
        hamid = candidate(app, world, "hamid")  # published, with a consent recorded ahead of time
        hamid.status = CandidateStatus.PUBLISHED
        db.session.add(Consent(candidate=hamid, recorded_at=now + dt.timedelta(hours=2),
                               expires_at=now + dt.timedelta(days=90), scope=ConsentScope.ALL_APPROVED_EMPLOYERS,
                               text_version="test", text_language="nl", recorded_by_id=world.owner.id))
        db.session.commit()
        assert freshness.next_consent_moment(now) == now + dt.timedelta(hours=1)
    assert total(app, org_b) == 3  # Amina still, Hamid not yet
    monkeypatch.setattr(db, "utcnow", lambda: now + dt.timedelta(hours=1, seconds=1))
    assert total(app, org_b) == 2  # Amina's consent has expired: no write, the clock
    monkeypatch.setattr(db, "utcnow", lambda: now + dt.timedelta(hours=2, seconds=1))
    assert total(app, org_b) == 3  # Hamid's consent has begun


def test_a_rolled_back_change_leaves_nothing_behind(app, world, org_b):
    assert total(app, org_b) == 3
    with app.app_context():
        before = freshness.current_token()
        candidate(app, world, "amina").valid_consent.withdrawn_at = db.utcnow()
        db.session.flush()
        assert freshness.current_token() != before
        assert run(SearchQuery(scope=EmployerScope(org_b), facets=False, limit=2)).total == 2  # its own change
        db.session.rollback()
        assert freshness.current_token() == before
    assert total(app, org_b) == 3


def test_writes_that_change_no_candidate_keep_the_token(app, world, factory):
    from portal.core.audit import record

    with app.app_context():
        before = freshness.current_token()
        factory.organisation(name="Org C")
        record("test.unrelated")
        db.session.commit()
        assert freshness.current_token() == before
        candidate(app, world, "bilal").ambitions = "Heftruckchauffeur"
        db.session.commit()
        assert freshness.current_token() != before


def test_facets_and_the_page_follow_a_write_and_the_clock(app, world, monkeypatch):
    """The staff search's facets and its page of ids (one statement, remembered as one answer)."""
    def staff(**filters):
        with app.app_context():
            return run(SearchQuery(sort="recent", limit=20, **filters))

    first = staff()
    assert staff().facets == first.facets and staff().ids == first.ids  # remembered
    with app.app_context():
        now = db.utcnow()
        candidate(app, world, "bilal").municipality = "Purmerend"
        candidate(app, world, "amina").valid_consent.expires_at = now + dt.timedelta(hours=1)
        db.session.commit()
    second = staff()
    assert second.facets["municipalities"].get("Purmerend") == 1
    assert second.ids[0] == world.ids["bilal"] != first.ids[0]  # the newest change first
    yes = second.facets["consent_valid"]["yes"]
    monkeypatch.setattr(db, "utcnow", lambda: now + dt.timedelta(hours=1, seconds=1))
    assert staff().facets["consent_valid"]["yes"] == yes - 1  # Amina's consent expired by the clock


def test_the_gallery_place_choices_follow_a_write_and_the_clock(app, world, factory, make_client, monkeypatch):
    """The gallery's "Woonplaats" choices are kept under the token too: a move shows on the next
    page view, and a consent that runs out takes its place away without any write."""
    import re

    def places(client) -> set[str]:
        page = client.get("/kandidaten").get_data(as_text=True)
        select = page.split('name="municipality"')[1].split("</select>")[0]
        return set(re.findall(r'<option value="([^"]+)"', select))

    user = factory.user("employer", organisation=world.orgs["b"])
    client = make_client()
    client.login(user)
    first = places(client)
    assert first and "Purmerend" not in first
    assert places(client) == first  # kept
    with app.app_context():
        now = db.utcnow()
        amina = candidate(app, world, "amina")
        amina.municipality = "Purmerend"
        amina.valid_consent.expires_at = now + dt.timedelta(hours=1)
        db.session.commit()
    assert "Purmerend" in places(client)
    monkeypatch.setattr(db, "utcnow", lambda: now + dt.timedelta(hours=1, seconds=1))
    assert "Purmerend" not in places(client)  # Amina's consent expired by the clock


def test_a_distance_search_finds_a_candidate_who_moved_into_a_new_area(app, world):
    """The candidates' postcode areas, which a distance search turns into kilometres, are kept under
    the token: a candidate moving to an area nobody lived in yet is within reach on the next search."""
    from search import Near, geo

    lat, lon = geo.centroid("1506")

    def near_zaandam() -> set[int]:
        with app.app_context():
            return set(run(SearchQuery(near=Near("1506", 10, lat, lon), sort="distance", limit=100)).ids)

    first = near_zaandam()
    assert world.ids["goli"] not in first  # Utrecht
    assert near_zaandam() == first  # the areas kept
    with app.app_context():
        candidate(app, world, "goli").postcode_area = "1541"  # Koog aan de Zaan, ~3 km: no candidate there yet
        db.session.commit()
    assert near_zaandam() == first | {world.ids["goli"]}
