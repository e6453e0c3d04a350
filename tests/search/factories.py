"""Factory helpers for search tests: candidates with languages, skills, consent (direct model rows).

Rows are created through the ORM, not through portal.candidates.operations, on purpose: the
outbox listener must catch every code path, not only the operations.
"""
from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from portal.core import db

_n = itertools.count(1)

DAY = dt.timedelta(days=1)


def consent(*, scope: str = "all_approved_employers", organisations: list[Any] = (), days: int = 180,
            recorded_days_ago: int = 1, withdrawn: bool = False) -> dict[str, Any]:
    return {"scope": scope, "organisations": list(organisations), "days": days,
            "recorded_days_ago": recorded_days_ago, "withdrawn": withdrawn}


def make_candidate(app: Any, owner: Any, *, first_name: str | None = None, status: str = "published",
                   municipality: str = "Zaanstad", postcode_area: str = "1506",
                   languages: dict[str, dict[str, int]] | None = None, skills: list[str] = (),
                   sectors: list[str] = (), availability: list[str] = (), ambitions: str = "",
                   consents: list[dict[str, Any]] = (), experiences: list[tuple[str | None, str]] = (),
                   updated_at: dt.datetime | None = None) -> Any:
    """Create and commit one candidate; returns its id."""
    from portal.candidates.models import (
        Candidate, CandidateExperience, CandidateLanguage, CandidateSectorInterest, CandidateSkill, Consent,
        ConsentScope,
    )

    n = next(_n)
    now = db.utcnow()
    with app.app_context():
        candidate = Candidate(
            first_name=first_name or f"Kandidaat{n}", surname=f"Achternaam{n}", date_of_birth=dt.date(1990, 1, 1 + n % 27),
            municipality=municipality, postcode_area=postcode_area, availability=list(availability),
            hours_per_week=16, ambitions=ambitions, owner_id=owner.id, status=status,
            published_at=now if status == "published" else None,
        )
        if updated_at is not None:
            candidate.updated_at = updated_at
        for code, levels in (languages or {}).items():
            candidate.languages.append(CandidateLanguage(language_code=code, **levels))
        for position, code in enumerate(skills):
            candidate.skills.append(CandidateSkill(skill_code=code, position=position))
        for code in sectors:
            candidate.sector_interests.append(CandidateSectorInterest(sector_code=code))
        for skill_code, occupation in experiences:
            candidate.experiences.append(CandidateExperience(skill_code=skill_code, occupation=occupation, years=2))
        for c in consents:
            recorded = now - c["recorded_days_ago"] * DAY
            consent_row = Consent(
                recorded_at=recorded, recorded_by_id=owner.id, text_version="test", scope=ConsentScope(c["scope"]),
                video_allowed=True, expires_at=recorded + c["days"] * DAY,
                withdrawn_at=now if c["withdrawn"] else None,
            )
            consent_row.organisations = [db.session.merge(o) for o in c["organisations"]]
            candidate.consents.append(consent_row)
        db.session.add(candidate)
        db.commit()
        return candidate.id


def levels(listening: int = 0, reading: int = 0, spoken_interaction: int = 0, spoken_production: int = 0,
           writing: int = 0) -> dict[str, int]:
    return dict(listening=listening, reading=reading, spoken_interaction=spoken_interaction,
                spoken_production=spoken_production, writing=writing)
