"""The case-file fixtures shared by the case-file and aftercare tests (imported by both conftests)."""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from tests.casefile.factories import CaseFactory


@pytest.fixture
def cases(factory: Any) -> CaseFactory:
    return CaseFactory(factory)


@pytest.fixture
def case(factory: Any, cases: CaseFactory, make_client: Any) -> Any:
    """An account manager (logged in) with a published candidate and an approved employer (logged in)."""
    manager = factory.user("account_manager", name="Fatima Accountmanager")
    employer = factory.user("employer")
    candidate = cases.candidate(manager, first_name="Amina")
    manager_client = make_client()
    manager_client.login(manager)
    employer_client = make_client()
    employer_client.login(employer)
    return SimpleNamespace(manager=manager, employer=employer, candidate=candidate, manager_client=manager_client,
                           employer_client=employer_client)
