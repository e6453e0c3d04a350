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
from functools import lru_cache
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from portal import reference
from portal.core import availability, db
from search import geo


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).isoformat()
    return value.isoformat()


_LEVELS = tuple(reference.LANGUAGE_SKILLS)


@lru_cache(maxsize=4096)
def _skill_info(code: str) -> tuple[str, str, tuple[str, ...]] | None:
    """(nl label, en label, every search term) of a skill code, from portal.reference (cached)."""
    if not reference.is_skill(code):
        return None
    s = reference.skill(code)
    return s.nl, s.en, (s.nl, s.en, *s.synonyms_nl, *s.synonyms_en)


def current_consent(candidate: Any, now: dt.datetime | None = None) -> dict[str, Any] | None:
    """The consent the document carries: the candidate's valid consent now (or None)."""
    consent = candidate.valid_consent_at(now or db.utcnow())
    if consent is None:
        return None
    from portal.candidates.models import ConsentScope

    return {
        "valid_from": _iso(consent.recorded_at),
        "valid_until": _iso(consent.expires_at),
        "scope_all": str(getattr(consent.scope, "value", consent.scope)) == ConsentScope.ALL_APPROVED_EMPLOYERS.value,
        "scope_organisation_ids": sorted(org.id for org in consent.organisations),
    }


def candidate_document(candidate: Any, now: dt.datetime | None = None) -> dict[str, Any]:
    """The one and only search document of `candidate` (a portal.candidates.models.Candidate)."""
    skills = list(candidate.skill_codes)
    infos = [info for info in map(_skill_info, skills) if info is not None]
    experience_parts = []
    for exp in candidate.experiences:
        experience_parts.append(exp.occupation or "")
        info = _skill_info(exp.skill_code) if exp.skill_code else None
        if info is not None:
            experience_parts += [info[0], info[1]]
    point = geo.centroid(candidate.postcode_area)
    languages = [
        {"code": row.language_code, **{skill: int(getattr(row, skill)) for skill in _LEVELS}}
        for row in candidate.languages
    ]
    slots = list(candidate.availability or [])
    return {
        "id": candidate.id,
        "first_name": candidate.first_name,
        "ambitions": candidate.ambitions or "",
        "experience": " ".join(p for p in experience_parts if p),
        "skills": skills,
        "skill_labels_nl": [info[0] for info in infos],
        "skill_labels_en": [info[1] for info in infos],
        "skill_terms": [term for info in infos for term in info[2]],
        "sectors": list(candidate.sector_codes),
        "languages": languages,
        "language_codes": sorted(row["code"] for row in languages),
        # "nl.reading.2" for every level up to the candidate's own: a language requirement becomes
        # a few term filters on one keyword field (no nested join; see es_backend._language_clause)
        "language_levels": sorted(f"{row['code']}.{skill}.{level}" for row in languages for skill in _LEVELS
                                  for level in range(1, row[skill] + 1)),
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
    return hashlib.sha1(json.dumps(document, sort_keys=True, default=str).encode()).hexdigest()  # nosec B324: change detection of a search document, not a security use


@dataclass
class _Row:
    """A plain record with the attributes `candidate_document` reads (light-weight stand-in for ORM rows)."""

    values: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


@dataclass
class CandidateRecord:
    """What `candidate_document` needs of a candidate, loaded with plain SQL (fast bulk path).

    Same attribute names as portal.candidates.models.Candidate, so the one builder serves both.
    """

    id: int
    first_name: str
    ambitions: str
    postcode_area: str
    availability: list[str]
    hours_per_week: int | None
    municipality: str
    status: str
    updated_at: dt.datetime | None
    published_at: dt.datetime | None
    skill_codes: list[str] = field(default_factory=list)
    sector_codes: list[str] = field(default_factory=list)
    languages: list[_Row] = field(default_factory=list)
    experiences: list[_Row] = field(default_factory=list)
    consents: list[_Row] = field(default_factory=list)  # newest first, like Candidate.consents

    def valid_consent_at(self, when: dt.datetime) -> Any:
        from portal.candidates.models import Consent

        for consent in self.consents:
            if Consent.is_valid_at(consent, when):  # the model's own rule, applied to the plain row
                return consent
        return None


def _utc(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value


def load_candidates(ids: Iterable[int]) -> dict[int, CandidateRecord]:
    """The candidates with everything the document needs, with one query per table and chunk."""
    from portal.candidates.models import (
        Candidate, CandidateExperience, CandidateLanguage, CandidateSectorInterest, CandidateSkill, Consent,
        consent_organisations,
    )

    ids = sorted(set(ids))
    found: dict[int, CandidateRecord] = {}
    for start in range(0, len(ids), 1000):
        chunk = ids[start:start + 1000]
        C = Candidate.__table__.c
        for r in db.session.execute(select(
            C.id, C.first_name, C.ambitions, C.postcode_area, C.availability, C.hours_per_week, C.municipality,
            C.status, C.updated_at, C.published_at,
        ).where(C.id.in_(chunk))):
            found[r.id] = CandidateRecord(
                id=r.id, first_name=r.first_name, ambitions=r.ambitions or "", postcode_area=r.postcode_area,
                availability=list(r.availability or []), hours_per_week=r.hours_per_week, municipality=r.municipality,
                status=r.status, updated_at=_utc(r.updated_at), published_at=_utc(r.published_at),
            )
        S = CandidateSkill.__table__.c
        for r in db.session.execute(select(S.candidate_id, S.skill_code).where(S.candidate_id.in_(chunk))
                                    .order_by(S.candidate_id, S.position, S.skill_code)):
            found[r.candidate_id].skill_codes.append(r.skill_code)
        X = CandidateSectorInterest.__table__.c
        for r in db.session.execute(select(X.candidate_id, X.sector_code).where(X.candidate_id.in_(chunk))
                                    .order_by(X.candidate_id, X.sector_code)):
            found[r.candidate_id].sector_codes.append(r.sector_code)
        L = CandidateLanguage.__table__.c
        for r in db.session.execute(select(L.candidate_id, L.language_code, *(L[s] for s in reference.LANGUAGE_SKILLS))
                                    .where(L.candidate_id.in_(chunk)).order_by(L.candidate_id, L.language_code)):
            found[r.candidate_id].languages.append(_Row(dict(r._mapping)))
        E = CandidateExperience.__table__.c
        for r in db.session.execute(select(E.candidate_id, E.skill_code, E.occupation).where(E.candidate_id.in_(chunk))
                                    .order_by(E.candidate_id, E.id)):
            found[r.candidate_id].experiences.append(_Row(dict(r._mapping)))
        K = Consent.__table__.c
        consents: dict[int, _Row] = {}
        for r in db.session.execute(select(
            K.id, K.candidate_id, K.recorded_at, K.expires_at, K.withdrawn_at, K.superseded_at, K.scope,
        ).where(K.candidate_id.in_(chunk)).order_by(K.candidate_id, K.recorded_at.desc(), K.id.desc())):
            row = _Row({"id": r.id, "recorded_at": _utc(r.recorded_at), "expires_at": _utc(r.expires_at),
                        "withdrawn_at": r.withdrawn_at, "superseded_at": r.superseded_at, "scope": r.scope,
                        "organisations": []})
            consents[r.id] = row
            found[r.candidate_id].consents.append(row)
        if consents:
            O = consent_organisations.c
            for r in db.session.execute(select(O.consent_id, O.organisation_id).where(O.consent_id.in_(list(consents)))):
                consents[r.consent_id].organisations.append(_Row({"id": r.organisation_id}))
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
