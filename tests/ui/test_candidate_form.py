"""The candidate form: an unused "other language" row is empty and can be saved as it comes (it used to
preselect Nederlands and then refuse: "Nederlands staat al bovenaan"); level options read as a
candidate's level ("Geen: verstaat … (nog) niet"), not "geen: Geen: …, of het werk vraagt het niet"."""
from __future__ import annotations

import re

from sqlalchemy import select

from portal.core import db
from tests.candidates.test_candidates import candidate_form


def test_an_unused_language_row_is_empty_and_saving_it_works(app, login_as):
    from portal.candidates.models import Candidate

    manager = login_as("account_manager")
    page = manager.get("/kandidaten/beheer/nieuw").get_data(as_text=True)
    other_row = re.search(r'<select[^>]*name="languages-1-language_code".*?</select>', page, re.S).group(0)
    options = re.findall(r"<option([^>]*)>", other_row)
    assert 'value=""' in options[0], "the first option is 'Kies een taal'"
    assert not [o for o in options if "selected" in o and 'value=""' not in o], "no language preselected"
    # what the browser sends for an untouched extra row: an empty language and the default levels
    form = candidate_form(owner_id=str(manager.user.id), **{
        "languages-2-language_code": "", "languages-2-listening": "0", "languages-2-reading": "0",
        "languages-2-spoken_interaction": "0", "languages-2-spoken_production": "0", "languages-2-writing": "0"})
    response = manager.post_form("/kandidaten/beheer/nieuw", form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        candidate = db.session.scalars(select(Candidate)).one()
        assert [row.language_code for row in candidate.sorted_languages] == ["nl", "ar"]


def test_candidate_level_options_do_not_repeat_the_level_or_use_employer_wording(app, login_as):
    page = login_as("account_manager").get("/kandidaten/beheer/nieuw").get_data(as_text=True)
    assert "Geen: verstaat de gesproken taal (nog) niet" in page
    assert "geen: Geen:" not in page
    assert "of het werk vraagt het niet" not in page
