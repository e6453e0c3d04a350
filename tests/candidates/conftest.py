from __future__ import annotations

import pytest

from tests.candidates.factories import CandidateFactory


@pytest.fixture
def cf(factory):
    return CandidateFactory(factory)


@pytest.fixture
def employer_client(factory, make_client):
    def make(organisation=None, approved=True):
        organisation = organisation or factory.organisation(approved=approved)
        user = factory.user("employer", organisation=organisation)
        client = make_client()
        client.login(user)
        client.user = user
        client.organisation = organisation
        return client

    return make
