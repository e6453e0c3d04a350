"""The times each candidate had a valid consent, as disjoint spans (`results_consent_spans`).

"With a valid consent on the period's reference moment" is the one candidate figure that depends
on a moment rather than a quarter, so the cube cannot hold it. Reading it from the consents
themselves means a join and a DISTINCT over every consent (a superseded consent and the one
recorded back-dated after it may overlap). This table holds, per candidate, the union of the
intervals [recorded, end) of all their consents (end: expiry, withdrawal or superseding, whichever
comes first), merged so that a candidate's spans never overlap, with the candidate's municipality,
cohort and registration moment beside them. The figure is then one narrow count:
spans with valid_from <= moment < valid_until, per municipality or cohort, no join, no DISTINCT.

Kept in step by `portal.results.facts.refresh` (a consent carries its candidate, so any change of
a consent or of the candidate refreshes that candidate's spans in the same transaction); rows go
with the candidate (ON DELETE CASCADE). Every span counts the consents merged into it, so the
completeness check can compare one sum with the number of consents.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, delete, func, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.core import db


class ConsentSpan(db.Base):
    __tablename__ = "results_consent_spans"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    municipality: Mapped[str] = mapped_column(String(100))
    cohort: Mapped[int | None] = mapped_column(Integer)
    registered_at: Mapped[dt.datetime]
    valid_from: Mapped[dt.datetime]
    valid_until: Mapped[dt.datetime] = mapped_column(index=True)
    #: How many consent records were merged into this span.
    consents: Mapped[int] = mapped_column(Integer, default=1)


def _end(expires_at: dt.datetime, *others: dt.datetime | None) -> dt.datetime:
    return min([expires_at, *(moment for moment in others if moment is not None)])


def merged(intervals: Iterable[tuple[dt.datetime, dt.datetime]]) -> list[tuple[dt.datetime, dt.datetime, int]]:
    """Overlapping or touching [start, end) intervals as disjoint spans, each with how many it merged.
    An empty interval (recorded and superseded at the same moment) still counts as merged."""
    spans: list[list[Any]] = []
    for start, end in sorted(intervals):
        end = max(start, end)
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
            spans[-1][2] += 1
        else:
            spans.append([start, end, 1])
    return [(start, end, count) for start, end, count in spans]


def _rows(session: Session, candidate_ids: list[int] | None) -> Iterator[dict[str, Any]]:
    """The span rows of these candidates (all when None), from their consents and facts."""
    from portal.candidates.models import Consent
    from portal.results.facts import CandidateFacts as F

    query = (select(Consent.candidate_id, Consent.recorded_at, Consent.expires_at, Consent.withdrawn_at,
                    Consent.superseded_at, F.municipality, F.cohort, F.created_at)
             .join(F, F.candidate_id == Consent.candidate_id)
             .order_by(Consent.candidate_id))
    if candidate_ids is not None:
        query = query.where(Consent.candidate_id.in_(candidate_ids))
    current: int | None = None
    intervals: list[tuple[dt.datetime, dt.datetime]] = []
    about: tuple[str, int | None, dt.datetime] | None = None

    def spans_of_current() -> Iterator[dict[str, Any]]:
        for start, end, count in merged(intervals):
            yield {"candidate_id": current, "municipality": about[0], "cohort": about[1], "registered_at": about[2],
                   "valid_from": start, "valid_until": end, "consents": count}

    for row in session.execute(query, execution_options={"yield_per": 5000}):
        if row.candidate_id != current:
            if current is not None:
                yield from spans_of_current()
            current, intervals = row.candidate_id, []
            about = (row.municipality, row.cohort, row.created_at)
        intervals.append((row.recorded_at, _end(row.expires_at, row.withdrawn_at, row.superseded_at)))
    if current is not None:
        yield from spans_of_current()


def _insert(session: Session, rows: Iterable[dict[str, Any]]) -> None:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == 5000:
            session.execute(insert(ConsentSpan), batch)
            batch = []
    if batch:
        session.execute(insert(ConsentSpan), batch)


def refresh(session: Session, candidate_ids: list[int]) -> None:
    """Recompute the spans of these candidates (after their facts rows were recomputed)."""
    session.execute(delete(ConsentSpan).where(ConsentSpan.candidate_id.in_(candidate_ids)))
    _insert(session, list(_rows(session, candidate_ids)))


def rebuild(session: Session) -> None:
    session.execute(delete(ConsentSpan))
    _insert(session, list(_rows(session, None)))


def counted_consents() -> Any:
    """A scalar subquery: how many consents the spans stand for (equals the number of consents)."""
    return select(func.coalesce(func.sum(ConsentSpan.consents), 0)).scalar_subquery()
