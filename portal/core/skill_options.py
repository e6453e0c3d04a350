"""What the skill combobox (templates/macros/combobox.html) needs beside a field's choices.

Shared by the placement form and the candidate form, so both search the same words.
"""
from __future__ import annotations

from functools import cache

from flask_babel import lazy_gettext as _l

from portal import reference


@cache
def skill_search_terms() -> dict[str, str]:
    """Per skill code, the folded words the combobox searches in (both languages and the synonyms)."""
    terms = {}
    for s in reference.skills():
        words = [s.nl, s.en, *s.synonyms_nl, *s.synonyms_en]
        terms[s.code] = reference.fold_text(" | ".join(words))
    return terms


def skill_kinds() -> dict[str, str]:
    """Per skill code, the kind shown beside it in the list ("beroep" / "vaardigheid"), in the page's language."""
    occupation, skill = str(_l("beroep")), str(_l("vaardigheid"))
    return {s.code: occupation if s.kind == "occupation" else skill for s in reference.skills()}
