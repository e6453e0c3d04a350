"""The placement-match score, defined once and computed the same way by both backends.

    score = 1
          + 3   per required skill the candidate has
          + 1   per nice-to-have skill the candidate has
          + 0.5 per daypart the placement needs and the candidate is available in
          + 2 * gauss(distance)   (only when both have a location)

gauss(d) = exp(-max(0, d - OFFSET)^2 / (2 sigma^2)), sigma^2 = -SCALE^2 / (2 ln DECAY): 1 up to 2 km,
0.5 at 12 km, about 0.06 at 22 km. This is Elasticsearch's own `gauss` decay function, so the
Elasticsearch backend computes it with `function_score` (no scripts needed) and the database
backend with a SQL expression built from the same numbers (`gauss_km`).
The Dutch requirement is not in the score: it is a hard filter (see portal.matching).
"""
from __future__ import annotations

import math
from collections.abc import Iterable

BASE = 1.0
REQUIRED_SKILL = 3.0
NICE_SKILL = 1.0
SLOT = 0.5
DISTANCE = 2.0
SCALE_KM = 10.0
OFFSET_KM = 2.0
DECAY = 0.5


def gauss_km(distance_km: float) -> float:
    sigma2 = -(SCALE_KM ** 2) / (2 * math.log(DECAY))
    d = max(0.0, abs(distance_km) - OFFSET_KM)
    return math.exp(-(d * d) / (2 * sigma2))


def score(*, skills: Iterable[str], slots: Iterable[str], distance_km: float | None,
          required_skills: Iterable[str], nice_skills: Iterable[str], wanted_slots: Iterable[str]) -> float:
    have, free = set(skills), set(slots)
    total = BASE
    total += REQUIRED_SKILL * len(have & set(required_skills))
    total += NICE_SKILL * len(have & set(nice_skills))
    total += SLOT * len(free & set(wanted_slots))
    if distance_km is not None:
        total += DISTANCE * gauss_km(distance_km)
    return total


def ceiling_without_required(*, nice_skills: Iterable[str], wanted_slots: Iterable[str], has_origin: bool) -> float:
    """The highest score a candidate with none of the required skills can reach: every nice-to-have
    skill, every daypart and the full distance weight. A ranked page whose last score is above it
    holds no such candidate (used by the Elasticsearch backend to rank the few candidates who have a
    required skill first; see ElasticsearchBackend.search_many)."""
    total = BASE + NICE_SKILL * len(set(nice_skills)) + SLOT * len(set(wanted_slots))
    return total + (DISTANCE if has_origin else 0.0)
