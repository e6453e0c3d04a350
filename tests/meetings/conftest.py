from __future__ import annotations

from typing import Any

import pytest

from tests.meetings.factories import MeetingFactory


@pytest.fixture
def meetings(factory: Any) -> MeetingFactory:
    return MeetingFactory(factory)


@pytest.fixture
def world(factory: Any, meetings: MeetingFactory, make_client: Any) -> Any:
    """An account manager with a published candidate, an approved employer (logged in) and a free slot."""
    from types import SimpleNamespace

    manager = factory.user("account_manager")
    employer = factory.user("employer")
    candidate = meetings.candidate(manager, first_name="Amina")
    slot = meetings.slot(manager, [candidate])
    employer_client = make_client()
    employer_client.login(employer)
    manager_client = make_client()
    manager_client.login(manager)
    return SimpleNamespace(manager=manager, employer=employer, candidate=candidate, slot=slot,
                           employer_client=employer_client, manager_client=manager_client)
