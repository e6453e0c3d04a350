"""The employer gallery goes through the search layer; the consent scope holds on both backends."""
from __future__ import annotations

import pytest

from portal.core import db
from search import EmployerScope, SearchQuery, run


@pytest.fixture
def app_config(contract_app_config):
    return contract_app_config


def employer_of(factory, make_client, organisation):
    user = factory.user("employer", organisation=organisation)
    client = make_client()
    client.login(user)
    return client


def test_gallery_shows_only_candidates_in_scope(app, world, factory, make_client):
    page = employer_of(factory, make_client, world.orgs["b"]).get("/kandidaten").get_data(as_text=True)
    for name in ("Amina", "Bilal", "Chaltu"):
        assert name in page
    for name in ("Dawit", "Esra", "Farid", "Goli", "Hamid"):  # other org's scope, withdrawn, expired, unpublished
        assert name not in page
    page_a = employer_of(factory, make_client, world.orgs["a"]).get("/kandidaten").get_data(as_text=True)
    assert "Dawit" in page_a


def test_gallery_filters_go_through_the_layer(app, world, factory, make_client):
    client = employer_of(factory, make_client, world.orgs["a"])
    page = client.get("/kandidaten?listening=3").get_data(as_text=True)
    assert "Bilal" in page and "Amina" not in page and "Dawit" not in page
    page = client.get("/kandidaten?days=mon&days=tue").get_data(as_text=True)
    assert "Amina" in page and "Dawit" in page and "Bilal" not in page
    page = client.get("/kandidaten?municipality=Amsterdam").get_data(as_text=True)
    assert "Chaltu" in page and "Amina" not in page


def test_stale_index_cannot_leak_a_withdrawn_candidate(app, world, backend, factory, make_client):
    """Even when the index still has the old document, the database check hides the candidate."""
    from portal.candidates.models import Candidate
    from search import outbox
    from sqlalchemy import delete

    with app.app_context():
        db.session.get(Candidate, world.ids["amina"]).valid_consent.withdrawn_at = db.utcnow()
        db.session.flush()
        db.session.execute(delete(outbox.SearchOutbox))  # simulate a lost/undelivered update
        db.session.commit()
    page = employer_of(factory, make_client, world.orgs["b"]).get("/kandidaten").get_data(as_text=True)
    assert "Amina" not in page and "Bilal" in page
