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
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

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


@lru_cache(maxsize=1)
def _all_employers_scope() -> str:
    from portal.candidates.models import ConsentScope

    return ConsentScope.ALL_APPROVED_EMPLOYERS.value


def current_consent(candidate: Any, now: dt.datetime | None = None) -> dict[str, Any] | None:
    """The consent the document carries: the candidate's valid consent now (or None)."""
    consent = candidate.valid_consent_at(now or db.utcnow())
    if consent is None:
        return None
    return {
        "valid_from": _iso(consent.recorded_at),
        "valid_until": _iso(consent.expires_at),
        "scope_all": str(getattr(consent.scope, "value", consent.scope)) == _all_employers_scope(),
        "scope_organisation_ids": sorted(org.id for org in consent.organisations),
    }


@dataclass(frozen=True)
class _Language:
    """A language row of the bulk path: code and the levels in reference.LANGUAGE_SKILLS order."""

    language_code: str
    levels: tuple[int, ...]


def _levels_of(row: Any) -> tuple[int, ...]:
    if isinstance(row, _Language):
        return row.levels
    return tuple(int(getattr(row, skill)) for skill in _LEVELS)


@lru_cache(maxsize=65536)
def _level_terms(code: str, levels: tuple[int, ...]) -> tuple[str, ...]:
    """One "nl.reading.3" term per skill the candidate has at level 1 or higher (with
    `language_codes` the whole of a candidate's languages), cached: a few hundred distinct rows serve
    a million candidates."""
    return tuple(f"{code}.{skill}.{top}" for skill, top in zip(_LEVELS, levels) if top > 0)


@lru_cache(maxsize=1024)
def _location(area: str | None) -> dict[str, float] | None:
    point = geo.centroid(area)
    return {"lat": point[0], "lon": point[1]} if point else None  # copied per document below


@lru_cache(maxsize=65536)
def _days(slots: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(availability.days_of(slots))


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
    language_codes: list[str] = []
    level_terms: list[str] = []
    for row in candidate.languages:
        language_codes.append(row.language_code)
        level_terms += _level_terms(row.language_code, _levels_of(row))
    slots = list(candidate.availability or [])
    return {
        "id": candidate.id,
        "first_name": candidate.first_name,
        "ambitions": candidate.ambitions or "",
        "experience": " ".join(p for p in experience_parts if p),
        "skills": skills,
        # the Dutch and English labels and synonyms of each skill (the labels were also copied a
        # second time into all_text until mapping 6)
        "skill_terms": [term for info in infos for term in info[2]],
        "sectors": list(candidate.sector_codes),
        "language_codes": sorted(language_codes),
        # "nl.reading.3": the candidate's own level per language and skill; a language requirement
        # becomes a few `terms` filters on one keyword field (no nested join; see
        # es_backend._language_clause)
        "language_levels": sorted(level_terms),
        "availability": slots,
        "availability_days": list(_days(tuple(slots))),
        "hours_per_week": candidate.hours_per_week,
        "municipality": candidate.municipality,
        "postcode_area": candidate.postcode_area,
        "location": dict(location) if (location := _location(candidate.postcode_area)) else None,
        "status": str(candidate.status.value if hasattr(candidate.status, "value") else candidate.status),
        "consent": current_consent(candidate, now),
        "updated_at": _iso(candidate.updated_at),
        "published_at": _iso(candidate.published_at),
    }


def document_hash(document: dict[str, Any]) -> str:
    """A stable fingerprint of a document (`flask search check --deep` compares these)."""
    return hashlib.sha1(json.dumps(document, sort_keys=True, default=str).encode()).hexdigest()  # nosec B324: change detection of a search document, not a security use


@dataclass(slots=True)
class _Experience:
    skill_code: str | None
    occupation: str | None


@dataclass(slots=True)
class _Organisation:
    id: int


@dataclass(slots=True)
class _Consent:
    """A consent row of the bulk path, with the attributes Consent.is_valid_at and current_consent read."""

    id: int
    recorded_at: dt.datetime
    expires_at: dt.datetime
    withdrawn_at: Any
    superseded_at: Any
    scope: str
    organisations: list[_Organisation] = field(default_factory=list)


@dataclass(slots=True)
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
    languages: list[_Language] = field(default_factory=list)
    experiences: list[_Experience] = field(default_factory=list)
    consents: list[_Consent] = field(default_factory=list)  # newest first, like Candidate.consents

    def valid_consent_at(self, when: dt.datetime) -> Any:
        from portal.candidates.models import Consent

        for consent in self.consents:
            if Consent.is_valid_at(consent, when):  # the model's own rule, applied to the plain row
                return consent
        return None


def _utc(value: Any) -> Any:
    """An aware UTC datetime from what the driver returns (SQLite: text; PostgreSQL: datetime)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value


def _json_list(value: Any) -> list[Any]:
    if isinstance(value, (str, bytes)):
        return list(_json_text(value))
    return list(value or [])


@lru_cache(maxsize=65536)
def _json_text(text: str | bytes) -> tuple[Any, ...]:
    """A JSON list stored as text (SQLite), parsed once per distinct value (dayparts repeat a lot)."""
    return tuple(json.loads(text) or ())


@lru_cache(maxsize=65536)
def _language_row(code: str, *levels: Any) -> _Language:
    return _Language(code, tuple(int(v) for v in levels))


class _Reader:
    """Plain DB-API reads for the bulk path: no ORM objects, no per-row type processing.

    SQLAlchemy's row processing (datetime parsing, JSON, Row objects) and compiling an IN list
    of 1,000 literals per chunk cost more than building the documents; the reindex of a million
    candidates reads ~6 million rows, so this path talks to the driver directly.
    `dbapi_connection` is the session's (the default: what the session sees) or one of its own
    (a rebuild: see `own_connection`).
    """

    def __init__(self, dbapi_connection: Any = None, paramstyle: str | None = None) -> None:
        if dbapi_connection is None:
            connection = db.session.connection()
            dbapi_connection, paramstyle = connection.connection.dbapi_connection, connection.dialect.paramstyle
        self.cursor = dbapi_connection.cursor()
        self.mark = "?" if paramstyle == "qmark" else "%s"

    def rows(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        self.cursor.execute(sql.replace("?", self.mark), params)
        return self.cursor.fetchall()

    def close(self) -> None:
        self.cursor.close()


@contextmanager
def own_connection(bind: Any) -> Iterator[_Reader]:
    """A reader on a pooled connection of its own (`bind` an Engine), outside any session transaction.

    A rebuild reads this way: on SQLite the session's transaction begins with BEGIN IMMEDIATE
    (portal.core.db) and would hold the write lock for the whole rebuild; here every statement
    reads on its own (SQLite autocommit, WAL readers do not block writers) and PostgreSQL's
    implicit transaction is rolled back when the connection goes back to the pool. A session bound
    to one Connection (tests: everything inside one outer transaction) is read on that connection.
    """
    if isinstance(bind, Connection):
        reader = _Reader(bind.connection.dbapi_connection, bind.dialect.paramstyle)
        try:
            yield reader
        finally:
            reader.close()
        return
    dbapi_connection = bind.raw_connection()
    try:
        reader = _Reader(dbapi_connection, bind.dialect.paramstyle)
        try:
            yield reader
        finally:
            reader.close()
    finally:
        dbapi_connection.close()


_LEVEL_COLUMNS = ", ".join(reference.LANGUAGE_SKILLS)


def _load(reader: _Reader, where: str, params: list[Any], child_where: str,
          child_params: list[Any]) -> dict[int, CandidateRecord]:
    found: dict[int, CandidateRecord] = {}
    for (cid, first_name, ambitions, area, slots, hours, municipality, status, updated, published) in reader.rows(
        "SELECT id, first_name, ambitions, postcode_area, availability, hours_per_week, municipality, status, "  # nosec B608: the WHERE fragments are fixed strings of this module with ? placeholders; every value is a bound parameter
        f"updated_at, published_at FROM candidates WHERE {where} ORDER BY id", params,
    ):
        found[cid] = CandidateRecord(
            cid, first_name, ambitions or "", area, _json_list(slots), hours, municipality, status,
            _utc(updated), _utc(published),
        )
    if not found:
        return found
    for cid, code in reader.rows(f"SELECT candidate_id, skill_code FROM candidate_skills WHERE {child_where} "  # nosec B608: the WHERE fragments are fixed strings of this module with ? placeholders; every value is a bound parameter
                                 "ORDER BY candidate_id, position, skill_code", child_params):
        if cid in found:
            found[cid].skill_codes.append(code)
    for cid, code in reader.rows(f"SELECT candidate_id, sector_code FROM candidate_sector_interests WHERE {child_where} "  # nosec B608: the WHERE fragments are fixed strings of this module with ? placeholders; every value is a bound parameter
                                 "ORDER BY candidate_id, sector_code", child_params):
        if cid in found:
            found[cid].sector_codes.append(code)
    for row in reader.rows(f"SELECT candidate_id, language_code, {_LEVEL_COLUMNS} FROM candidate_languages "  # nosec B608: the WHERE fragments are fixed strings of this module with ? placeholders; every value is a bound parameter
                           f"WHERE {child_where} ORDER BY candidate_id, language_code", child_params):
        if row[0] in found:
            found[row[0]].languages.append(_language_row(*row[1:]))
    for cid, skill_code, occupation in reader.rows(
            f"SELECT candidate_id, skill_code, occupation FROM candidate_experiences WHERE {child_where} "  # nosec B608: the WHERE fragments are fixed strings of this module with ? placeholders; every value is a bound parameter
            "ORDER BY candidate_id, id", child_params):
        if cid in found:
            found[cid].experiences.append(_Experience(skill_code, occupation))
    consents: dict[int, _Consent] = {}
    for (kid, cid, recorded, expires, withdrawn, superseded, scope) in reader.rows(
            "SELECT id, candidate_id, recorded_at, expires_at, withdrawn_at, superseded_at, scope FROM consents "  # nosec B608: the WHERE fragments are fixed strings of this module with ? placeholders; every value is a bound parameter
            f"WHERE {child_where} ORDER BY candidate_id, recorded_at DESC, id DESC", child_params):
        if cid not in found:
            continue
        row = _Consent(kid, _utc(recorded), _utc(expires), withdrawn, superseded, scope)
        consents[kid] = row
        found[cid].consents.append(row)
    consent_ids = list(consents)
    for start in range(0, len(consent_ids), 1000):
        chunk = consent_ids[start:start + 1000]
        for kid, organisation_id in reader.rows(
                "SELECT consent_id, organisation_id FROM consent_organisations "  # nosec B608: the WHERE fragments are fixed strings of this module with ? placeholders; every value is a bound parameter
                f"WHERE consent_id IN ({', '.join('?' * len(chunk))})", chunk):
            consents[kid].organisations.append(_Organisation(organisation_id))
    return found


def load_candidates(ids: Iterable[int]) -> dict[int, CandidateRecord]:
    """The candidates with everything the document needs, with one query per table and chunk."""
    ids = sorted(set(int(i) for i in ids))
    found: dict[int, CandidateRecord] = {}
    reader = _Reader()
    try:
        for start in range(0, len(ids), 1000):
            chunk = ids[start:start + 1000]
            marks = ", ".join("?" * len(chunk))
            found.update(_load(reader, f"id IN ({marks})", chunk, f"candidate_id IN ({marks})", chunk))
    finally:
        reader.close()
    return found


def documents_for(ids: Iterable[int], now: dt.datetime | None = None) -> tuple[list[dict[str, Any]], list[int]]:
    """(documents of the candidates that exist, ids that no longer exist)."""
    ids = list(ids)
    found = load_candidates(ids)
    docs = [candidate_document(found[i], now) for i in sorted(found)]
    missing = sorted(set(ids) - set(found))
    return docs, missing


def id_ranges(reader: _Reader, batch_size: int = 2000) -> Iterator[tuple[int, int]]:
    """(low, high) id ranges of `batch_size` candidates each, in id order, read as they are asked for."""
    last = 0
    while True:
        low, high = reader.rows("SELECT min(id), max(id) FROM (SELECT id FROM candidates WHERE id > ? "
                                "ORDER BY id LIMIT ?) AS batch", [last, batch_size])[0]
        if low is None:
            return
        yield low, high
        last = high


def documents_in_range(reader: _Reader, low: int, high: int, now: dt.datetime) -> list[dict[str, Any]]:
    """The documents of the candidates with low <= id <= high, in id order (child rows read by id range:
    an index range scan, no IN list)."""
    found = _load(reader, "id >= ? AND id <= ?", [low, high], "candidate_id >= ? AND candidate_id <= ?", [low, high])
    return [candidate_document(found[cid], now) for cid in sorted(found)]
