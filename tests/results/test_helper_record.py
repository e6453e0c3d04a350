"""The placement form records when the language task helper lowered the Dutch requirement."""
from __future__ import annotations

import re

from sqlalchemy import select

from portal.core import db
from portal.placements.models import Placement
from tests.placements.factories import form_data


def _saved(app):
    with app.app_context():
        return db.session.scalars(select(Placement).order_by(Placement.id.desc())).first()


def test_suggest_remembers_the_levels_before_and_saving_the_lower_suggestion_counts(app, login_as):
    employer = login_as("employer")
    # The employer first asked B1 for listening, then let the helper suggest from one situation (A2).
    data = form_data(dutch_listening="3", language_tasks=["follow_safety_instructions"])
    page = employer.post_form("/plekken/nieuw", {**data, "suggest": "1"}).get_data(as_text=True)
    before = re.search(r'name="levels_before_helper" type="hidden" value="([^"]*)"', page)
    assert before and before.group(1) == "3,0,1,1,0"
    response = employer.post_form("/plekken/nieuw", {**data, "dutch_listening": "2", "dutch_spoken_interaction": "0",
                                                      "dutch_spoken_production": "0", "levels_before_helper": before.group(1)})
    assert response.status_code == 302
    placement = _saved(app)
    assert placement.dutch_lowered_with_helper is True
    assert placement.dutch_levels_before_helper["listening"] == 3


def test_without_the_helper_or_without_lowering_nothing_is_counted(app, login_as):
    employer = login_as("employer")
    assert employer.post_form("/plekken/nieuw", form_data()).status_code == 302
    assert _saved(app).dutch_lowered_with_helper is False
    forged = form_data(levels_before_helper="9,x,<script>")  # malformed hidden value: ignored, never an error
    assert employer.post_form("/plekken/nieuw", forged).status_code == 302
    assert _saved(app).dutch_lowered_with_helper is False
