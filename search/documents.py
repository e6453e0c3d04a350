"""The search document of a candidate: built here and nowhere else.

Both the outbox drain, `flask search reindex`, `flask search check` and the benchmark call
`candidate_document`; the Elasticsearch mapping in search.es_backend describes these fields.
The document carries only what search needs. Surname and date of birth are left out; the first
name is included for staff name search only (the backends never match it for an employer scope).
Support needs, gender and nationality are never indexed (DESIGN.md §5: never filter, sort or
score on them).

Skill synonyms are expanded here, at index time, from portal.reference (labels and synonyms in
Dutch and English go into `skill_terms`): the index needs no synonym token filter (the local
Elasticsearch lacks analysis-common) and a synonym change shows up in `flask search check --deep`
and is fixed by `--repair` or a reindex.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import reference
from portal.core import availability, db
from search import geo


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).isoformat()
    return value.isoformat()


def _skill_terms(codes: Iterable[str]) -> list[str]:
    terms: list[str] = []
    for code in codes:
        if not reference.is_skill(code):
            continue
        s = reference.skill(code)
        terms += [s.nl, s.en, *s.synonyms_nl, *s.synonyms_en]
    return terms


def current_consent(candidate: Any, now: dt.datetime | None = None) -> dict[str, Any] | None:
    """The consent the document carries: the candidate's valid consent now (or None)."""
    consent = candidate.valid_consent_at(now or db.utcnow())
    if consent is None:
        return None
    from portal.candidates.models import ConsentScope

    return {
        "valid_from": _iso(consent.recorded_at),
        "valid_until": _iso(consent.expires_at),
        "scope_all": consent.scope == ConsentScope.ALL_APPROVED_EMPLOYERS,
        "scope_organisation_ids": sorted(org.id for org in consent.organisations),
    }


def candidate_document(candidate: Any, now: dt.datetime | None = None) -> dict[str, Any]:
    """The one and only search document of `candidate` (a portal.candidates.models.Candidate)."""
    skills = list(candidate.skill_codes)
    experience_parts = []
    for exp in candidate.experiences:
        experience_parts.append(exp.occupation or "")
        if exp.skill_code and reference.is_skill(exp.skill_code):
            s = reference.skill(exp.skill_code)
            experience_parts += [s.nl, s.en]
    point = geo.centroid(candidate.postcode_area)
    languages = [
        {"code": row.language_code, **{skill: int(getattr(row, skill)) for skill in reference.LANGUAGE_SKILLS}}
        for row in candidate.languages
    ]
    slots = list(candidate.availability or [])
    return {
        "id": candidate.id,
        "first_name": candidate.first_name,
        "ambitions": candidate.ambitions or "",
        "experience": " ".join(p for p in experience_parts if p),
        "skills": skills,
        "skill_labels_nl": [reference.skill(c).nl for c in skills if reference.is_skill(c)],
        "skill_labels_en": [reference.skill(c).en for c in skills if reference.is_skill(c)],
        "skill_terms": _skill_terms(skills),
        "sectors": list(candidate.sector_codes),
        "languages": languages,
        "language_codes": sorted(row["code"] for row in languages),
        "availability": slots,
        "availability_days": availability.days_of(slots),
        "hours_per_week": candidate.hours_per_week,
        "municipality": candidate.municipality,
        "postcode_area": candidate.postcode_area,
        "location": {"lat": point[0], "lon": point[1]} if point else None,
        "status": str(candidate.status.value if hasattr(candidate.status, "value") else candidate.status),
        "consent": current_consent(candidate, now),
        "updated_at": _iso(candidate.updated_at),
        "published_at": _iso(candidate.published_at),
    }


def document_hash(document: dict[str, Any]) -> str:
    """A stable fingerprint of a document (`flask search check --deep` compares these)."""
    return hashlib.sha1(json.dumps(document, sort_keys=True, default=str).encode()).hexdigest()


def _load_options() -> list[Any]:
    from portal.candidates.models import Candidate, Consent

    return [
        selectinload(Candidate.languages),
        selectinload(Candidate.skills),
        selectinload(Candidate.sector_interests),
        selectinload(Candidate.experiences),
        selectinload(Candidate.consents).selectinload(Consent.organisations),
    ]


def load_candidates(ids: Iterable[int]) -> dict[int, Any]:
    """The candidates with everything the document needs, in few queries."""
    from portal.candidates.models import Candidate

    ids = sorted(set(ids))
    found: dict[int, Any] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for candidate in db.session.scalars(select(Candidate).where(Candidate.id.in_(chunk)).options(*_load_options())):
            found[candidate.id] = candidate
    return found


def documents_for(ids: Iterable[int], now: dt.datetime | None = None) -> tuple[list[dict[str, Any]], list[int]]:
    """(documents of the candidates that exist, ids that no longer exist)."""
    ids = list(ids)
    found = load_candidates(ids)
    docs = [candidate_document(found[i], now) for i in sorted(found)]
    missing = sorted(set(ids) - set(found))
    return docs, missing


def iter_all_documents(batch_size: int = 1000, now: dt.datetime | None = None) -> Iterator[dict[str, Any]]:
    """Every candidate's document, in id order, in batches (for rebuild and check)."""
    from portal.candidates.models import Candidate

    last = 0
    while True:
        ids = list(db.session.scalars(
            select(Candidate.id).where(Candidate.id > last).order_by(Candidate.id).limit(batch_size)
        ))
        if not ids:
            return
        docs, _missing = documents_for(ids, now)
        yield from docs
        last = ids[-1]
