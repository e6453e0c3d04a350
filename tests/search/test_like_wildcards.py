"""LIKE wildcards typed by a user are characters, not patterns (database backend; the same on Elasticsearch)."""
from __future__ import annotations

import pytest

from tests.search.test_contract import ids


@pytest.fixture
def app_config(contract_app_config):
    return contract_app_config


@pytest.mark.parametrize("value", ["%", "_", "m_n", "%on"])
def test_wildcards_in_a_day_or_slot_match_nothing(app, world, value):
    assert ids(app, days=(value,)) == set()
    assert ids(app, slots=(value + "_afternoon",)) == set()
    assert ids(app, slots=(value,)) == set()


def test_the_escape_character_itself_is_literal(app, world):
    from search.db_backend import escape_like

    assert escape_like("50%_\\") == "50\\%\\_\\\\"
    assert ids(app, days=("\\",)) == set()
