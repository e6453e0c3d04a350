"""The shipped reference files are consistent: unique codes, both labels, valid cross-references."""

from __future__ import annotations

import re

import pytest

from portal import reference as ref
from portal.reference._data import load_json

DATA_FILES = ("sectors.json", "skills.json", "languages.json", "cefr.json", "language_tasks.json")


def _assert_unique(codes: list[str]) -> None:
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    assert not duplicates, f"duplicate codes: {duplicates}"


def _assert_bilingual(entry: object) -> None:
    for locale in ref.LOCALES:
        value = getattr(entry, locale)
        assert isinstance(value, str) and value.strip() == value and value, (entry, locale)


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_data_file_says_where_it_comes_from(name: str) -> None:
    doc = load_json(name)
    assert doc.get("source") or doc.get("notes") or doc.get("sources"), name


def test_sectors_have_unique_lowercase_codes_and_both_labels() -> None:
    sectors = ref.sectors()
    assert 18 <= len(sectors) <= 25
    _assert_unique([s.code for s in sectors])
    for s in sectors:
        assert re.fullmatch(r"[a-z][a-z_]*", s.code), s.code
        _assert_bilingual(s)
    assert sectors[-1].code == "overig"
    for code in ("zorg", "logistiek", "horeca", "schoonmaak", "bouw", "techniek", "kapper_schoonheid"):
        assert ref.is_sector(code)


def test_skills_are_well_formed() -> None:
    skills = ref.skills()
    assert 120 <= len(skills) <= 160
    _assert_unique([s.code for s in skills])
    for s in skills:
        assert re.fullmatch(r"(occ|skill)\.[a-z0-9_]+", s.code), s.code
        assert s.kind == ("occupation" if s.code.startswith("occ.") else "skill"), s.code
        _assert_bilingual(s)
        assert isinstance(s.synonyms_nl, tuple) and isinstance(s.synonyms_en, tuple)
        assert all(isinstance(t, str) and t for t in s.synonyms_nl + s.synonyms_en), s.code
        assert s.sectors, f"{s.code} has no sector"
        unknown = [c for c in s.sectors if not ref.is_sector(c)]
        assert not unknown, f"{s.code} refers to unknown sectors {unknown}"


def test_skills_file_stores_synonyms_as_lists_per_locale() -> None:
    for entry in load_json("skills.json")["entries"]:
        assert set(entry["synonyms"]) == {"nl", "en"}, entry["code"]
        assert all(isinstance(v, list) for v in entry["synonyms"].values()), entry["code"]


def test_skills_cover_both_kinds_and_the_common_first_jobs() -> None:
    assert len(ref.skills("occupation")) > 60 and len(ref.skills("skill")) > 40
    for code in (
        "occ.warehouse_worker", "occ.cleaner", "occ.kitchen_assistant", "occ.care_assistant",
        "occ.childcare_worker", "occ.teaching_assistant", "occ.interpreter", "occ.tailor",
        "occ.hairdresser", "skill.forklift", "skill.vca_basic", "skill.driving_licence_b",
        "skill.driving_licence_c", "skill.haccp", "skill.cash_register", "skill.working_at_height",
        "skill.sewing", "skill.welding",
    ):
        assert ref.is_skill(code), code


def test_languages_use_iso_639_shaped_codes() -> None:
    languages = ref.languages()
    _assert_unique([lang.code for lang in languages])
    for lang in languages:
        assert re.fullmatch(r"[a-z]{2,3}", lang.code), lang.code
        _assert_bilingual(lang)
    for code in ("nl", "en", "ar", "ti", "prs", "fa", "ps", "so", "tr", "uk", "ku", "ckb", "kmr", "am", "om"):
        assert ref.is_language(code), code
    assert ref.language("prs").en == "Dari"
    assert not ref.is_language("xx") and not ref.is_language(None)


def test_cefr_levels_and_descriptions_are_complete() -> None:
    cefr = load_json("cefr.json")
    assert [e["level"] for e in cefr["levels"]] == list(ref.LEVELS)
    assert [ref.level_code(level) for level in ref.LEVELS[1:]] == ["A1", "A2", "B1", "B2", "C1", "C2"]
    assert tuple(cefr["descriptions"]) == ref.LANGUAGE_SKILLS
    for skill_key in ref.LANGUAGE_SKILLS:
        entries = cefr["descriptions"][skill_key]
        assert [e["level"] for e in entries] == list(ref.LEVELS), skill_key
        for level in ref.LEVELS:
            for locale in ref.LOCALES:
                text = ref.level_description(level, skill_key, locale)
                assert text and "\n" not in text and len(text) < 140, (skill_key, level, locale)
        # Every level reads differently; a copy-paste slip would make two identical.
        assert len({e["en"] for e in entries}) == len(entries)
        assert len({e["nl"] for e in entries}) == len(entries)


def test_equivalences_match_the_design() -> None:
    by_name = {e.name_nl: e.level for e in ref.level_equivalences()}
    assert by_name == {
        "Staatsexamen NT2 programma I": ref.parse_level("B1"),
        "Staatsexamen NT2 programma II": ref.parse_level("B2"),
        "Referentieniveau 2F": ref.parse_level("B1"),
        "Referentieniveau 3F": ref.parse_level("B2"),
    }


def test_language_tasks_are_valid() -> None:
    tasks = ref.language_tasks()
    assert 25 <= len(tasks) <= 35
    _assert_unique([t.code for t in tasks])
    for task in tasks:
        _assert_bilingual(task)
        assert task.levels, f"{task.code} needs no skill at all"
        for skill_key, level in task.levels.items():
            assert skill_key in ref.LANGUAGE_SKILLS, (task.code, skill_key)
            assert level in ref.LEVELS and level > 0, (task.code, skill_key, level)


def test_language_task_sources_are_cited_and_the_judgement_is_owned() -> None:
    sources = ref.language_task_sources()
    assert sources
    assert all(s.citation and s.used_for for s in sources)
    assert any("Council of Europe" in s.citation for s in sources)
    notes = load_json("language_tasks.json")["notes"]
    assert "own judgement" in notes and "NT2 teacher" in notes


def test_level_descriptions_name_no_particular_language():
    """They are shown for every language a candidate speaks, not only for Dutch."""
    from portal import reference

    for skill in reference.LANGUAGE_SKILLS:
        for level in reference.LEVELS:
            for locale, words in (("nl", ("Nederlands",)), ("en", ("Dutch",))):
                text = reference.level_description(level, skill, locale)
                assert not any(word in text for word in words), (skill, level, locale, text)
