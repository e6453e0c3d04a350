"""An employer's own list of "Ik wil kennismaken" requests and what became of each.

    page = interests_page(organisation)   # portal.core.pagination.Page of InterestRow

One row per interest of the organisation (never another organisation's): the candidate as an
employer sees them (first name and initial) while the consent still covers the organisation,
otherwise only "niet meer beschikbaar" (never why, never the name); the placement it was for; the
date; and what became of it: the stage of the traject of that candidate and placement as a label
(an employer's view of a stop: its own reason, or "niet meer beschikbaar"). An interest without a
placement has no traject: it is "passed on to the account manager".

A list, not a profile view: nothing here is counted as viewing a candidate (opening a candidate
from the list goes through the gallery page, which counts). A page costs a fixed number of
statements: the interests with their placements and candidates, the trajects, and which
candidates are still visible.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from portal.candidates.models import Candidate, Interest
from portal.candidates.visibility import visible_to_employer_clause
from portal.core import db
from portal.core.pagination import Page, paginate

PER_PAGE = 25

PASSED_ON = _l("Doorgegeven aan de accountmanager")
UNAVAILABLE = _l("Niet meer beschikbaar")


@dataclass(frozen=True)
class InterestRow:
    interest_id: int
    candidate_id: int | None  # None once the candidate is no longer visible to the organisation
    candidate_name: str
    placement_title: str | None
    created_at: dt.datetime
    outcome: str
    #: stage code for the badge's tone ("passed_on" / "unavailable" for the two cases without a stage)
    tone_code: str

    @property
    def available(self) -> bool:
        return self.candidate_id is not None


def interests_query(organisation: Any) -> Any:
    return (select(Interest).where(Interest.organisation_id == organisation.id)
            .options(joinedload(Interest.placement), joinedload(Interest.candidate))
            .order_by(Interest.created_at.desc(), Interest.id.desc()))


def interests_page(organisation: Any, per_page: int = PER_PAGE) -> Page:
    from portal.trajects.models import Traject

    page = paginate(interests_query(organisation), per_page=per_page)
    interests: list[Interest] = list(page.items)
    pairs = {(i.candidate_id, i.placement_id) for i in interests if i.placement_id is not None}
    trajects: dict[tuple[int, int], Any] = {}
    if pairs:
        for traject in db.session.scalars(select(Traject).where(
                Traject.organisation_id == organisation.id,
                or_(*(and_(Traject.candidate_id == c, Traject.placement_id == p) for c, p in sorted(pairs))))):
            trajects[(traject.candidate_id, traject.placement_id)] = traject
    candidate_ids = sorted({i.candidate_id for i in interests})
    visible = set(db.session.scalars(select(Candidate.id).where(
        Candidate.id.in_(candidate_ids), visible_to_employer_clause(organisation)))) if candidate_ids else set()
    rows = [_row(i, trajects.get((i.candidate_id, i.placement_id)), i.candidate_id in visible) for i in interests]
    return Page(rows, page.number, page.per_page, page.total)


def _row(interest: Interest, traject: Any, visible: bool) -> InterestRow:
    placement_title = interest.placement.title if interest.placement is not None else None
    if not visible:
        outcome, tone = str(UNAVAILABLE), "unavailable"
    elif traject is None:
        outcome, tone = str(PASSED_ON), "passed_on"
    elif traject.stage.value == "stopped":
        outcome, tone = traject.employer_stop_label(), "stopped"
    else:
        outcome, tone = traject.stage.label, traject.stage.value
    return InterestRow(
        interest_id=interest.id, candidate_id=interest.candidate_id if visible else None,
        candidate_name=interest.candidate.employer_name if visible else str(UNAVAILABLE),
        placement_title=placement_title, created_at=interest.created_at, outcome=outcome, tone_code=tone,
    )
