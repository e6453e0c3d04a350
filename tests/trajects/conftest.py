from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from tests.trajects.factories import TrajectFactory


@pytest.fixture
def trajects(factory: Any) -> TrajectFactory:
    return TrajectFactory(factory)


@pytest.fixture
def base(factory: Any, trajects: TrajectFactory) -> Any:
    """An account manager, a published candidate (consent for all employers), an approved employer
    with a published placement (one place); nobody logged in."""
    manager = factory.user("account_manager")
    employer = factory.user("employer")
    candidate = trajects.candidate(manager, first_name="Amina")
    placement = trajects.placement(employer.organisation_id, places=1)
    return SimpleNamespace(manager=manager, employer=employer, candidate=candidate, placement=placement)


@pytest.fixture
def world(factory: Any, trajects: TrajectFactory, make_client: Any) -> Any:
    """An account manager with a published candidate (consent for all employers), an approved
    employer with a published placement, both logged in."""
    manager = factory.user("account_manager")
    employer = factory.user("employer")
    candidate = trajects.candidate(manager, first_name="Amina")
    placement = trajects.placement(employer.organisation_id, places=1)
    employer_client = make_client()
    employer_client.login(employer)
    manager_client = make_client()
    manager_client.login(manager)
    return SimpleNamespace(manager=manager, employer=employer, candidate=candidate, placement=placement,
                           employer_client=employer_client, manager_client=manager_client)
