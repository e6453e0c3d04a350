"""What the results area reads from aftercare (check-ins and end results), in one place.

- the result of a finished or stopped traject: `AftercareResult.kind` of its start (contract,
  extended, education, stopped); a stopped traject without one counts as stopped, a finished one
  without one as "other result";
- whether work goes on after a traject closed: its result is a contract or an extension;
- language progress: the Dutch levels of the latest check-in that recorded any, against the
  candidate's Dutch levels in the profile (the intake).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, exists, literal, or_, select

from portal import reference
from portal.aftercare.models import AftercareResult, CheckIn, ResultKind
from portal.candidates.models import Candidate, CandidateLanguage

RESULT_COLUMNS = {
    ResultKind.CONTRACT.value: "contract",
    ResultKind.EXTENDED.value: "extension",
    ResultKind.EDUCATION.value: "education",
    ResultKind.STOPPED.value: "stopped",
}


def result_expression(m: Any) -> Any:
    """Per traject row (joined with its PlacementStart): the result column it counts in."""
    kind = (select(AftercareResult.kind).where(AftercareResult.start_id == m.PlacementStart.id)
            .correlate(m.PlacementStart).limit(1).scalar_subquery())
    return case(
        *((kind == code, literal(column)) for code, column in RESULT_COLUMNS.items()),
        (m.Traject.stage == "stopped", literal("stopped")),
        else_=literal("other"),
    )


def work_continues(traject_id: Any) -> Any:
    """Inside a query that has the traject's PlacementStart: it ended in a contract or an extension."""
    from portal.trajects.models import PlacementStart

    return exists().where(AftercareResult.start_id == PlacementStart.id,
                          AftercareResult.kind.in_((ResultKind.CONTRACT, ResultKind.EXTENDED)))


def _has_levels() -> Any:
    return or_(*(CheckIn.dutch_levels[skill].as_integer().is_not(None) for skill in reference.LANGUAGE_SKILLS))


def language_conditions(m: Any) -> tuple[Any, Any]:
    """(measured, rose): conditions on Candidate."""
    measured = exists().where(CheckIn.candidate_id == Candidate.id, CheckIn.done_at.is_not(None), _has_levels())
    latest = (select(CheckIn.id).where(CheckIn.candidate_id == Candidate.id, CheckIn.done_at.is_not(None), _has_levels())
              .order_by(CheckIn.done_at.desc(), CheckIn.id.desc()).limit(1).correlate(Candidate).scalar_subquery())
    rose = exists().where(
        CheckIn.id == latest, CandidateLanguage.candidate_id == Candidate.id, CandidateLanguage.language_code == "nl",
        or_(*(and_(CheckIn.dutch_levels[skill].as_integer().is_not(None),
                   CheckIn.dutch_levels[skill].as_integer() > getattr(CandidateLanguage, skill))
              for skill in reference.LANGUAGE_SKILLS)),
    )
    return measured, rose
