"""Synthetic candidates for benchmarks and load tests (never for demo or production data).

`generate(n, owner_id, seed)` inserts `n` plausible candidates with Core bulk inserts (fast, no ORM
objects): a municipality and postcode area from a small weighted list, Dutch at A0–B2 per skill
(skills correlated), one or two other languages, one to four skills with their sectors,
availability of two to eight dayparts, and for most of them a consent (all employers, or one of
the given organisations). Names are "Synth" + a number: nobody real.
"""
from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import insert, select

from portal import reference
from portal.core import availability, db

PLACES = [  # (municipality, postcode areas, weight)
    ("Zaanstad", ["1501", "1502", "1503", "1504", "1505", "1506", "1507", "1521", "1541", "1561"], 4),
    ("Amsterdam", ["1011", "1013", "1021", "1055", "1062", "1073", "1091", "1102", "1103"], 6),
    ("Westland", ["2671", "2672", "2675", "2681", "2691"], 2),
    ("Utrecht", ["3511", "3521", "3531", "3561", "3573"], 3),
    ("Den Haag", ["2511", "2525", "2531", "2545", "2564"], 3),
    ("Rotterdam", ["3011", "3021", "3035", "3071", "3083"], 4),
    ("Groningen", ["9711", "9721", "9731", "9741"], 1),
    ("Eindhoven", ["5611", "5621", "5631", "5641"], 1),
]
OTHER_LANGUAGES = ["ar", "ti", "prs", "fa", "so", "tr", "uk", "en", "ps", "ku", "am", "ru"]
STATUSES = [("published", 55), ("ready", 15), ("intake", 15), ("placed", 10), ("paused", 5)]
AMBITIONS = [
    "Ik wil graag in een magazijn werken en mijn heftruckcertificaat halen",
    "Werken in de zorg, ouderen helpen", "Koken in een restaurant", "Bakker worden, net als in Syrië",
    "Schoonmaakwerk in een hotel", "Monteur worden in de techniek", "In de kas werken met planten",
    "Kapper, ik heb een eigen zaak gehad", "Chauffeur op een bestelbus", "Werken met kinderen",
]


def _weighted(rng: random.Random, pairs: list[tuple[Any, int]]) -> Any:
    return rng.choices([p for p, _w in pairs], weights=[w for _p, w in pairs])[0]


def generate(n: int, owner_id: int, *, seed: int = 42, organisation_ids: list[int] | None = None,
             batch: int = 5000) -> list[int]:
    """Insert `n` synthetic candidates; returns their ids. Commits per batch."""
    from portal.candidates.models import (
        Candidate, CandidateLanguage, CandidateSectorInterest, CandidateSkill, Consent, consent_organisations,
    )

    rng = random.Random(seed)
    skills = [s for s in reference.skills() if not s.deprecated]
    now = db.utcnow()
    ids: list[int] = []
    start_id = (db.session.scalar(select(Candidate.id).order_by(Candidate.id.desc()).limit(1)) or 0) + 1
    consent_start = (db.session.scalar(select(Consent.id).order_by(Consent.id.desc()).limit(1)) or 0) + 1
    next_id, next_consent = start_id, consent_start
    for offset in range(0, n, batch):
        cands, langs, skill_rows, sector_rows, consents, scopes = [], [], [], [], [], []
        for _ in range(min(batch, n - offset)):
            cid = next_id
            next_id += 1
            municipality, areas, _w = rng.choices(PLACES, weights=[p[2] for p in PLACES])[0]
            status = _weighted(rng, STATUSES)
            slots = rng.sample(availability.SLOTS[:15], rng.randint(2, 8))
            updated = now - dt.timedelta(minutes=rng.randint(0, 60 * 24 * 365))
            cands.append(dict(
                id=cid, first_name=f"Synth{cid}", surname=f"Kandidaat{cid}", date_of_birth=dt.date(1970 + rng.randint(0, 35), rng.randint(1, 12), rng.randint(1, 28)),
                municipality=municipality, postcode_area=rng.choice(areas), mobility=[],
                availability=availability.normalise(slots), hours_per_week=rng.choice([8, 12, 16, 20, 24, 32]),
                inburgering_status="b1_route", ambitions=rng.choice(AMBITIONS), support_needs="",
                education_country="", owner_id=owner_id, status=status,
                published_at=updated if status == "published" else None, created_at=updated, updated_at=updated,
            ))
            base = rng.randint(0, 4)
            langs.append(dict(candidate_id=cid, language_code="nl", is_first_language=False,
                              **{s: max(0, min(6, base + rng.randint(-1, 1))) for s in reference.LANGUAGE_SKILLS}))
            for code in rng.sample(OTHER_LANGUAGES, rng.randint(1, 2)):
                level = rng.randint(3, 6)
                langs.append(dict(candidate_id=cid, language_code=code, is_first_language=code not in ("en",),
                                  **{s: level for s in reference.LANGUAGE_SKILLS}))
            chosen = rng.sample(skills, rng.randint(1, 4))
            sectors = set()
            for position, s in enumerate(chosen):
                skill_rows.append(dict(candidate_id=cid, skill_code=s.code, position=position))
                sectors.update(s.sectors[:1])
            for sector in sorted(sectors):
                sector_rows.append(dict(candidate_id=cid, sector_code=sector))
            if rng.random() < 0.8:
                recorded = now - dt.timedelta(days=rng.randint(1, 300))
                selected = bool(organisation_ids) and rng.random() < 0.3
                consents.append(dict(
                    id=next_consent, candidate_id=cid, recorded_at=recorded, recorded_by_id=owner_id, text_version="synthetic",
                    scope="selected_organisations" if selected else "all_approved_employers", video_allowed=False,
                    expires_at=recorded + dt.timedelta(days=rng.choice([90, 180, 365])),
                    withdrawn_at=now if rng.random() < 0.05 else None,
                ))
                if selected:
                    scopes.append(dict(consent_id=next_consent, organisation_id=rng.choice(organisation_ids)))
                next_consent += 1
            ids.append(cid)
        db.session.execute(insert(Candidate.__table__), cands)
        db.session.execute(insert(CandidateLanguage.__table__), langs)
        db.session.execute(insert(CandidateSkill.__table__), skill_rows)
        db.session.execute(insert(CandidateSectorInterest.__table__), sector_rows)
        if consents:
            db.session.execute(insert(Consent.__table__), consents)
        if scopes:
            db.session.execute(insert(consent_organisations), scopes)
        db.session.commit()
    return ids
