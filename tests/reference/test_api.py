"""Behaviour of the reference API: lookups, labels per locale, search, level parsing, task suggestions."""

from __future__ import annotations

import pytest

from portal import reference as ref


def test_level_codes_and_labels() -> None:
    assert ref.level_code(2) == "A2"
    assert ref.level_code(0) == "—"
    assert ref.level_code(0, "nl") == "geen"
    assert ref.level_code(0, "en") == "none"
    assert ref.level_label(3, "en").startswith("B1")
    with pytest.raises(ValueError):
        ref.level_code(7)
    with pytest.raises(ValueError):
        ref.level_code(True)  # type: ignore[arg-type]


def test_skill_labels_in_both_languages() -> None:
    assert [ref.skill_label(k) for k in ref.LANGUAGE_SKILLS] == [
        "luisteren", "lezen", "gesprekken voeren", "spreken", "schrijven",
    ]
    assert ref.skill_label("spoken_interaction", "en") == "spoken interaction"
    with pytest.raises(ValueError):
        ref.skill_label("speaking")


def test_locale_selection() -> None:
    zorg = ref.sector("zorg")
    assert zorg.label() == zorg.nl
    assert zorg.label("en") == zorg.en
    assert zorg.label("en_GB") == zorg.en
    assert ref.level_description(1, "reading", "nl-BE") == ref.level_description(1, "reading", "nl")
    with pytest.raises(ValueError):
        zorg.label("fr")


def test_unknown_codes() -> None:
    with pytest.raises(KeyError):
        ref.sector("mijnbouw")
    with pytest.raises(KeyError):
        ref.skill("skill.juggling")
    with pytest.raises(KeyError):
        ref.language("xx")
    assert not ref.is_sector("") and not ref.is_skill(None) and not ref.is_language(42)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("A2", 2), ("a2", 2), (" b1 ", 3), ("C2", 6), ("2", 2), ("0", 0), ("6", 6), (4, 4), (0, 0)],
)
def test_parse_level_accepts(value: object, expected: int) -> None:
    assert ref.parse_level(value) == expected


@pytest.mark.parametrize(
    "value", ["", "A", "A3", "B1+", "7", "-1", "10", "02", "geen", "—", "2.0", None, 2.0, True, 7, -1, ["A1"]],
)
def test_parse_level_refuses(value: object) -> None:
    with pytest.raises(ValueError):
        ref.parse_level(value)


def test_parse_level_round_trips_level_code() -> None:
    for level in ref.LEVELS[1:]:
        assert ref.parse_level(ref.level_code(level)) == level


@pytest.mark.parametrize(
    ("query", "locale", "expected"),
    [
        ("heftruck", "nl", "skill.forklift"),
        ("vorkheftruck", "nl", "skill.forklift"),
        ("FORKLIFT TRUCK", "en", "skill.forklift"),
        ("hygiene", "nl", "skill.haccp"),  # accent-insensitive: "hygiëne"
        ("caissiere", "nl", "occ.cashier"),  # synonym "caissière"
        ("vrachtwagenrijbewijs", "nl", "skill.driving_licence_c"),
        ("kamermeisje", "en", "occ.room_attendant"),
        ("Tolk", "nl", "occ.interpreter"),
    ],
)
def test_search_finds_by_label_and_synonym(query: str, locale: str, expected: str) -> None:
    codes = [s.code for s in ref.search_skills(query, locale, limit=5)]
    assert expected in codes


def test_search_ranks_exact_matches_first_and_respects_limit() -> None:
    assert ref.search_skills("lasser")[0].code == "occ.welder"
    assert ref.search_skills("welding", "en")[0].code == "skill.welding"
    assert len(ref.search_skills("e", limit=3)) == 3
    assert ref.search_skills("   ") == []
    assert ref.search_skills("zzzzqqq") == []
    assert ref.search_skills("heftruck", limit=0) == []


def test_search_is_deterministic() -> None:
    assert ref.search_skills("medewerker", limit=50) == ref.search_skills("medewerker", limit=50)


def test_suggest_levels_takes_the_maximum_per_skill_over_ticked_tasks() -> None:
    ticked = ["follow_safety_instructions", "read_work_schedule"]
    suggestion = ref.suggest_levels(ticked)
    assert tuple(suggestion) == ref.LANGUAGE_SKILLS
    for skill_key in ref.LANGUAGE_SKILLS:
        needed = [ref.language_task(code).levels.get(skill_key, 0) for code in ticked]
        assert suggestion[skill_key] == max(needed)
    # What the table says about these two tasks, as an employer would read it.
    assert suggestion["listening"] >= ref.parse_level("A2")
    assert suggestion["reading"] >= ref.parse_level("A1")
    assert suggestion["writing"] == 0


def test_suggest_levels_for_every_task_alone_equals_its_row() -> None:
    for task in ref.language_tasks():
        suggestion = ref.suggest_levels([task.code])
        assert {k: v for k, v in suggestion.items() if v} == dict(task.levels)


def test_suggest_levels_edge_cases() -> None:
    assert ref.suggest_levels([]) == dict.fromkeys(ref.LANGUAGE_SKILLS, 0)
    all_codes = [t.code for t in ref.language_tasks()]
    assert ref.suggest_levels(all_codes) == ref.suggest_levels(reversed(all_codes))
    assert ref.suggest_levels(all_codes + all_codes) == ref.suggest_levels(all_codes)
    with pytest.raises(KeyError):
        ref.suggest_levels(["read_work_schedule", "juggles"])


def test_reference_objects_are_immutable() -> None:
    task = ref.language_tasks()[0]
    with pytest.raises(AttributeError):
        task.code = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        task.levels["listening"] = 6  # type: ignore[index]
    with pytest.raises(AttributeError):
        ref.skill("skill.forklift").nl = "x"  # type: ignore[misc]
