"""What an employer may see of a candidate: built in exactly this one place (data minimisation).

    employer_profile(candidate, locale="nl") -> dict
    employer_card(candidate, locale="nl") -> dict   (CARD_KEYS only: what a list may show)

Used for the account manager's preview, the gallery cards, the gallery detail page and (by the
search engineer) the employer-facing search document, so all of them show exactly the same.
Keys: id, name (first name + initial), age_band, municipality, languages (Dutch first), dutch,
other_languages, skills, top_skills, sector_interests, availability, ambitions, and one key per
registered profile extension (e.g. "video", see portal.candidates.hooks.profile_extension;
None when nothing is registered or available).

NEVER included: surname, date of birth, gender, address/postcode, phone, email, BSN, nationality,
religion, health, support needs, inburgering details, owner. Tests assert on rendered HTML.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from portal import reference
from portal.candidates import hooks
from portal.candidates.models import LEVEL_COLUMNS, Candidate, CandidateLanguage
from portal.core import availability

AGE_BANDS = ((0, 24, "18–24"), (25, 34, "25–34"), (35, 44, "35–44"), (45, 54, "45–54"), (55, 64, "55–64"), (65, 200, "65+"))
TOP_SKILLS = 3


def age_on(date_of_birth: dt.date, today: dt.date | None = None) -> int:
    today = today or dt.date.today()
    return today.year - date_of_birth.year - ((today.month, today.day) < (date_of_birth.month, date_of_birth.day))


def age_band(date_of_birth: dt.date, today: dt.date | None = None) -> str:
    age = age_on(date_of_birth, today)
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return AGE_BANDS[-1][2]


def _language_label(code: str, locale: str) -> str:
    return reference.language(code).label(locale) if reference.is_language(code) else code


@lru_cache(maxsize=1024)
def _level_entries(levels: tuple[int, ...], locale: str) -> tuple[tuple[tuple[str, Any], ...], ...]:
    """The label, code and description of each skill's level, per language of the page (built once)."""
    return tuple(
        (("skill", skill), ("skill_label", reference.skill_label(skill, locale)), ("level", level),
         ("code", reference.level_code(level, locale)), ("description", reference.level_description(level, skill, locale)))
        for skill, level in zip(LEVEL_COLUMNS, levels)
    )


def language_entry(row: CandidateLanguage, locale: str = "nl") -> dict[str, Any]:
    levels = tuple(getattr(row, skill) for skill in LEVEL_COLUMNS)
    return {
        "code": row.language_code,
        "label": _language_label(row.language_code, locale),
        "is_first_language": row.is_first_language,
        "levels": [dict(entry) for entry in _level_entries(levels, locale)],
        "highest": max(levels, default=0),
    }


@lru_cache(maxsize=8)
def _slot_labels_in(_catalogue: str) -> dict[str, str]:
    return {**{slot: str(availability.slot_label(slot)) for slot in availability.SLOTS},
            **{day: str(availability.DAY_LABELS[day]) for day in availability.DAYS}}


def _slot_labels() -> dict[str, str]:
    """{"mon_morning": "maandag ochtend", ...} and {"mon": "maandag", ...} in the language the
    translations use right now (the request's; the Dutch ids outside a request), built once each."""
    from flask_babel import get_locale

    current = get_locale()
    return _slot_labels_in(str(current) if current is not None else "")


def _skill_entry(code: str, locale: str) -> dict[str, str]:
    return {"code": code, "label": reference.skill(code).label(locale) if reference.is_skill(code) else code}


def _sector_entry(code: str, locale: str) -> dict[str, str]:
    return {"code": code, "label": reference.sector(code).label(locale) if reference.is_sector(code) else code}


#: What a list shows of each candidate (the gallery card's part of the profile): not a counted view.
CARD_KEYS = ("id", "name", "age_band", "municipality", "languages", "dutch", "other_languages", "top_skills",
             "availability")


def employer_card(candidate: Candidate, locale: str = "nl") -> dict[str, Any]:
    """The card: for pages that list candidates to an employer without counting a view (a company
    visit's visitors, a meet-and-greet table). No ambitions, no full skill list, no media: seeing
    more than this is a counted view (portal.candidates.employer_views)."""
    profile = _profile(candidate, locale)
    return {key: profile[key] for key in CARD_KEYS}


def employer_profile(candidate: Candidate, locale: str = "nl") -> dict[str, Any]:
    return present_profile(employer_profile_facts(candidate, locale))


def employer_profile_facts(candidate: Candidate, locale: str = "nl") -> dict[str, Any]:
    """The profile as plain data that follows from the candidate's data and the language alone: each
    extension as its facts, not yet presented (no viewer-bound URL). It may be kept while the
    candidate's data does not change (the gallery's cards); `present_profile` makes the profile."""
    profile = _profile(candidate, locale)
    profile.update(hooks.extension_facts(candidate, locale))
    return profile


def present_profile(facts: dict[str, Any]) -> dict[str, Any]:
    """`employer_profile` from `employer_profile_facts`: the extensions presented for this request."""
    return {**facts, **hooks.present_extensions({name: facts[name] for name in hooks.extension_names()})}


def _profile(candidate: Candidate, locale: str) -> dict[str, Any]:
    locale = (locale or "nl")[:2]
    languages = [language_entry(row, locale) for row in candidate.sorted_languages]
    dutch = next((entry for entry in languages if entry["code"] == "nl"), None)
    skills = [_skill_entry(code, locale) for code in candidate.skill_codes]
    slots = list(candidate.availability or [])
    labels = _slot_labels()
    profile: dict[str, Any] = {
        "id": candidate.id,
        "name": candidate.employer_name,
        "age_band": age_band(candidate.date_of_birth),
        "municipality": candidate.municipality,
        "languages": languages,
        "dutch": dutch,
        "other_languages": [entry for entry in languages if entry["code"] != "nl"],
        "skills": skills,
        "top_skills": skills[:TOP_SKILLS],
        "sector_interests": [_sector_entry(code, locale) for code in candidate.sector_codes],
        "availability": {
            "slots": slots,
            "days": availability.days_of(slots),
            "day_labels": [labels[day] for day in availability.days_of(slots)],
            "slot_labels": [labels[slot] if slot in labels else str(availability.slot_label(slot)) for slot in slots],
            "hours_per_week": candidate.hours_per_week,
            "available_from": candidate.available_from.isoformat() if candidate.available_from else None,
        },
        "ambitions": candidate.ambitions,
        "video": None,
    }
    return profile
