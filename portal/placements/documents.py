"""The JSON representation of a placement, built in exactly one place.

Used by `GET /plekken/<placement_id>.json` and by search and matching. The shape is stable: keys
are never renamed or removed; new keys may be added. Codes, never labels (labels depend on the
reader's language and come from `portal.reference`).

    {
      "id": 12,
      "type": "taalstage",                 # werkervaringsplek | taalstage | proefplaatsing |
                                           # betaalde_baan | vrijwilligerswerk
      "title": "Hulp in de bakkerij",
      "tasks": "Brood inpakken, ...",      # plain text as typed by the employer
      "sector": "horeca",                  # reference.sector code
      "organisation": {"id": 3, "name": "Bakkerij De Korenaar"},
      "location": {"postcode": "1506 EC", "city": "Zaandam", "municipality": "Zaanstad"},
      "hours_per_week": 12,
      "dayparts": ["mon_morning", "mon_afternoon", "thu_morning"],   # portal.core.availability codes, week order
      "days": ["mon", "thu"],
      "start_date": "2027-03-01",          # ISO 8601 date
      "duration_weeks": 12,                # null = open-ended
      "places": 2,
      "support": ["jobcoach", "buddy"],    # subset of jobcoach | buddy | adjustments | travel_allowance
      "offers": ["allowance", "certificate"],  # subset of allowance | wage | certificate
      "pay_indication": "€ 150 per maand", # free text, may be ""
      "skills": {"required": ["occ.bakery_assistant"], "nice_to_have": ["skill.haccp"]},  # reference.skill codes
      "language_requirements": {
        "nl": {"listening": 2, "reading": 1, "spoken_interaction": 1, "spoken_production": 1, "writing": 0},
        "other": [{"language": "ar", "level": 3}],     # ISO 639 codes (reference.languages), level 1-6
        "tasks": ["follow_safety_instructions"]         # reference.language_tasks codes the levels came from
      },
      "allow_one_level_below_with_support": false,
      "status": "published",               # draft | published | paused | closed
      "published_at": "2027-02-01T09:30:00+00:00",     # ISO 8601 UTC, null when not published
      "updated_at": "2027-02-01T09:30:00+00:00"
    }

Levels are integers 0-6 (0 = none, 1 = A1 ... 6 = C2, DESIGN.md §4); "nl" always has all five
skills in `reference.LANGUAGE_SKILLS` order. A candidate meets the Dutch requirement when, per
skill, their level >= the required level (or >= required - 1 when
`allow_one_level_below_with_support` is true and the placement offers support).
"""
from __future__ import annotations

from typing import Any

from portal.core import availability
from portal.placements.models import Placement


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def placement_document(placement: Placement) -> dict[str, Any]:
    """The placement as plain JSON-able data (no access check: callers load what the user may see)."""
    return {
        "id": placement.id,
        "type": placement.type.value,
        "title": placement.title,
        "tasks": placement.tasks,
        "sector": placement.sector,
        "organisation": {"id": placement.organisation_id, "name": placement.organisation.name},
        "location": {
            "postcode": placement.postcode,
            "city": placement.city,
            "municipality": placement.municipality,
        },
        "hours_per_week": placement.hours_per_week,
        "dayparts": list(placement.dayparts),
        "days": availability.days_of(placement.dayparts),
        "start_date": _iso(placement.start_date),
        "duration_weeks": placement.duration_weeks,
        "places": placement.places,
        "support": list(placement.support),
        "offers": list(placement.offers),
        "pay_indication": placement.pay_indication,
        "skills": {
            "required": list(placement.required_skills),
            "nice_to_have": list(placement.nice_to_have_skills),
        },
        "language_requirements": {
            "nl": dict(placement.dutch_levels),
            "other": [{"language": row.language, "level": row.level} for row in placement.other_languages],
            "tasks": list(placement.language_tasks),
        },
        "allow_one_level_below_with_support": placement.allow_one_level_below_with_support,
        "status": placement.status.value,
        "published_at": _iso(placement.published_at),
        "updated_at": _iso(placement.updated_at),
    }
