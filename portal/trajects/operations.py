"""Domain operations on trajects: open, move stages, propose, answer, record a start.

API (stable; other areas and helpers call these):

    from portal.trajects.operations import open_traject, move_stage, advance, TransitionRefused

    traject = open_traject(candidate, placement, TrajectSource.PROPOSAL, by=user)   # get-or-create
    move_stage(traject, TrajectStage.TRIAL, by=user)                                # strict
    move_stage(traject, TrajectStage.STOPPED, by=user, reason=StopReason.NO_MATCH, note="...")
    advance(traject, TrajectStage.MET, by=user, reason="meeting")                   # forward only

`move_stage` is the ONE operation that changes `Traject.stage`: it checks `models.ALLOWED`,
refuses anything else with `TransitionRefused` (a `DomainError`), writes a `TrajectStageChange`
and audits ``traject.stage_changed``. `advance` is for sources (meetings, events, visits): it moves
only forward along the journey (or reopens a stopped traject) and silently keeps a traject that is
already further, so an outcome recorded late never drags a started traject back.

Every audit entry names `candidate_id` and `placement_id` (the case timeline is built from them)
and never a name or a note. Operations flush but never commit.
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.core import audit, db
from portal.core.errors import DomainError
from portal.trajects.models import (
    ALLOWED, DeclineReason, Proposal, ProposalAnswer, StopReason, Traject, TrajectSource, TrajectStage,
    TrajectStageChange,
)


class TransitionRefused(DomainError):
    """The allowed-transition table does not allow this move."""


def _id(obj: Any) -> int | None:
    return getattr(obj, "id", obj)


def find_traject(candidate_id: int, placement_id: int) -> Traject | None:
    return db.session.scalars(
        select(Traject).where(Traject.candidate_id == candidate_id, Traject.placement_id == placement_id)
    ).first()


def open_traject(candidate: Any, placement: Any, source: TrajectSource | str, by: Any = None, *,
                 stage: TrajectStage | None = None) -> Traject:
    """Get the traject of this candidate × placement, or create it (idempotent).

    A new traject starts at `stage` (default: interest for employer interest, else proposed for a
    proposal, else interest) with a first `TrajectStageChange` (from None); an existing one is
    returned unchanged: moving it is the caller's next step (`advance` / `move_stage`).
    """
    source = TrajectSource(source)
    traject = find_traject(candidate.id, placement.id)
    if traject is not None:
        return traject
    if stage is None:
        stage = TrajectStage.PROPOSED if source == TrajectSource.PROPOSAL else TrajectStage.INTEREST
    now = db.utcnow()
    traject = Traject(
        candidate_id=candidate.id, placement_id=placement.id, organisation_id=placement.organisation_id,
        stage=stage, source=source, opened_at=now, stage_changed_at=now, opened_by_id=_id(by),
    )
    db.session.add(traject)
    db.session.flush()
    db.session.add(TrajectStageChange(traject_id=traject.id, from_stage=None, to_stage=stage, at=now,
                                      by_id=_id(by), reason=source.value))
    db.session.flush()
    audit.record("traject.opened", traject, actor=by, candidate_id=candidate.id, placement_id=placement.id,
                 source=source.value, stage=stage.value)
    audit.record("traject.stage_changed", traject, actor=by, candidate_id=candidate.id,
                 placement_id=placement.id, from_stage=None, to_stage=stage.value, reason=source.value)
    return traject


def move_stage(traject: Traject, to_stage: TrajectStage | str, *, by: Any = None,
               reason: StopReason | str | None = None, note: str | None = None,
               by_employer: bool | None = None) -> TrajectStageChange:
    """Move a traject to `to_stage`, or raise `TransitionRefused` (see the module docstring).

    Stopping needs a `reason` from `StopReason`; `note` (staff only) is kept on the traject.
    Other moves may pass a short machine `reason` (a source code such as "meeting").
    """
    to_stage = TrajectStage(to_stage)
    from_stage = traject.stage
    if to_stage not in ALLOWED[from_stage]:
        raise TransitionRefused(
            _("Dit traject kan niet van '%(from)s' naar '%(to)s'.", **{"from": from_stage.label, "to": to_stage.label}),
            field="to_stage",
        )
    if (from_stage == TrajectStage.STOPPED and traject.stop_reason == StopReason.CONSENT_ENDED
            and not consent_covers(traject.candidate, traject.organisation)):
        raise TransitionRefused(_("Deze kandidaat is niet meer beschikbaar voor deze werkgever."), field="to_stage")
    if to_stage == TrajectStage.STARTED and traject.start is None:
        raise TransitionRefused(_("Leg eerst de start vast met het startformulier."), field="to_stage")
    stop_reason: StopReason | None = None
    if to_stage == TrajectStage.STOPPED:
        try:
            stop_reason = StopReason(reason) if reason else None
        except ValueError:
            stop_reason = None
        if stop_reason is None:
            raise DomainError(_("Kies een reden om te stoppen."), field="reason")
    if note is not None and len(note) > 1000:
        raise DomainError(_("Gebruik hooguit %(max)d tekens.", max=1000), field="note")

    now = db.utcnow()
    if by_employer is None:
        by_employer = str(getattr(by, "role", "")) == "employer"
    traject.stage = to_stage
    traject.stage_changed_at = now
    if to_stage == TrajectStage.STOPPED:
        traject.stop_reason = stop_reason
        traject.stop_note = (note or "").strip()
        traject.stopped_by_employer = bool(by_employer)
    else:
        traject.stop_reason = None
        traject.stop_note = ""
        traject.stopped_by_employer = False
    traject.closed_at = now if to_stage in (TrajectStage.FINISHED, TrajectStage.STOPPED) else None
    reason_code = stop_reason.value if stop_reason else (str(reason) if reason else "")
    change = TrajectStageChange(traject_id=traject.id, from_stage=from_stage, to_stage=to_stage, at=now,
                                by_id=_id(by), reason=reason_code[:300])
    db.session.add(change)
    db.session.flush()
    audit.record("traject.stage_changed", traject, actor=by, candidate_id=traject.candidate_id,
                 placement_id=traject.placement_id, from_stage=from_stage.value, to_stage=to_stage.value,
                 reason=reason_code or None)
    return change


def advance(traject: Traject, to_stage: TrajectStage | str, *, by: Any = None, reason: str | None = None) -> bool:
    """Move forward along the journey if allowed (or reopen a stopped traject); else keep it.

    Returns whether the traject moved. For sources that report what happened (a meeting booked,
    an outcome recorded) without knowing where the traject already is.
    """
    to_stage = TrajectStage(to_stage)
    current = traject.stage
    if current == to_stage or to_stage not in ALLOWED[current]:
        return False
    if current != TrajectStage.STOPPED and to_stage != TrajectStage.STOPPED and to_stage.rank <= current.rank:
        return False
    if current == TrajectStage.STOPPED and traject.stop_reason == StopReason.CONSENT_ENDED:
        return False  # reopened only by a new proposal, which checks consent again
    move_stage(traject, to_stage, by=by, reason=reason)
    return True


# --- proposals --------------------------------------------------------------------------------

def consent_covers(candidate: Any, organisation: Any) -> bool:
    """The candidate's current consent covers the organisation (portal.candidates.visibility rule)."""
    from portal.candidates.visibility import visible_to_employer_clause
    from portal.candidates.models import Candidate

    return bool(db.session.scalar(
        select(func.count(Candidate.id)).where(Candidate.id == candidate.id, visible_to_employer_clause(organisation))
    ))


_LOOK_UP = object()


def why_not_proposable_many(candidates: list[Any], placement: Any) -> dict[int, str | None]:
    """`why_not_proposable` for a list of candidates (a matches page) with one query for their trajects."""
    ids = [c.id for c in candidates]
    trajects: dict[int, Traject] = {}
    if ids:
        trajects = {t.candidate_id: t for t in db.session.scalars(
            select(Traject).where(Traject.placement_id == placement.id, Traject.candidate_id.in_(ids))
            .options(selectinload(Traject.proposals)))}
    return {c.id: why_not_proposable(c, placement, traject=trajects.get(c.id)) for c in candidates}


def why_not_proposable(candidate: Any, placement: Any, *, traject: Any = _LOOK_UP) -> str | None:
    """A sentence saying why this candidate cannot be proposed for this placement, or None.
    `traject`: the candidate's traject for this placement when the caller has loaded it (None: there is none)."""
    from portal.candidates.models import CandidateStatus

    organisation = placement.organisation
    if not getattr(organisation, "is_approved", False):
        return _("De organisatie is nog niet goedgekeurd.")
    if candidate.status != CandidateStatus.PUBLISHED:
        return _("Het profiel is niet gepubliceerd.")
    consent = candidate.valid_consent
    if consent is None:
        return _("Er is geen geldige toestemming.")
    if not consent.covers(organisation):
        return _("De toestemming geldt niet voor deze werkgever.")
    if traject is _LOOK_UP:
        traject = find_traject(candidate.id, placement.id)
    if traject is not None and traject.pending_proposal is not None:
        return _("Al voorgedragen; wacht op antwoord van de werkgever.")
    if traject is not None and traject.is_open and traject.stage != TrajectStage.INTEREST:
        return _("Er loopt al een traject voor deze plek (%(stage)s).", stage=traject.stage.label)
    if traject is not None and traject.stage == TrajectStage.FINISHED:
        return _("Dit traject is al afgerond.")
    return None


def propose(candidate: Any, placement: Any, motivation: str, *, by: Any) -> Proposal:
    """An account manager proposes `candidate` for `placement` ("voordragen")."""
    motivation = (motivation or "").strip()
    if not (10 <= len(motivation) <= 1000):
        raise DomainError(_("Schrijf een motivatie van 10 tot 1000 tekens."), field="motivation")
    problem = why_not_proposable(candidate, placement)
    if problem is None and not consent_covers(candidate, placement.organisation):
        problem = _("De toestemming geldt niet voor deze werkgever.")
    if problem:
        raise DomainError(problem)
    traject = open_traject(candidate, placement, TrajectSource.PROPOSAL, by=by)
    if traject.stage != TrajectStage.PROPOSED:
        move_stage(traject, TrajectStage.PROPOSED, by=by, reason=TrajectSource.PROPOSAL.value)
    proposal = Proposal(traject_id=traject.id, candidate_id=candidate.id, placement_id=placement.id,
                        motivation=motivation, proposed_by_id=by.id, proposed_at=db.utcnow())
    db.session.add(proposal)
    db.session.flush()
    audit.record("proposal.created", proposal, actor=by, candidate_id=candidate.id, placement_id=placement.id,
                 traject_id=traject.id)
    return proposal


def answer_proposal(proposal: Proposal, answer: ProposalAnswer | str, *, by: Any,
                    decline_reason: DeclineReason | str | None = None) -> Proposal:
    """The employer answers: invite to meet (traject stays proposed until a meeting is booked) or
    not now with a reason (the traject stops with reason 'employer withdrew')."""
    answer = ProposalAnswer(answer)
    if not proposal.is_pending:
        raise DomainError(_("Deze voordracht is al beantwoord."))
    if answer == ProposalAnswer.PENDING:
        raise DomainError(_("Kies een antwoord."), field="answer")
    reason: DeclineReason | None = None
    if answer == ProposalAnswer.DECLINED:
        try:
            reason = DeclineReason(decline_reason) if decline_reason else None
        except ValueError:
            reason = None
        if reason is None:
            raise DomainError(_("Kies een reden."), field="decline_reason")
    proposal.answer = answer
    proposal.decline_reason = reason
    proposal.answered_at = db.utcnow()
    proposal.answered_by_id = by.id
    db.session.flush()
    audit.record("proposal.answered", proposal, actor=by, candidate_id=proposal.candidate_id,
                 placement_id=proposal.placement_id, answer=answer.value,
                 decline_reason=reason.value if reason else None)
    traject = proposal.traject
    if answer == ProposalAnswer.DECLINED and traject.stage in ALLOWED and TrajectStage.STOPPED in ALLOWED[traject.stage]:
        move_stage(traject, TrajectStage.STOPPED, by=by, reason=StopReason.EMPLOYER_WITHDREW, by_employer=True)
    return proposal


def pending_proposals_for_organisation(organisation_id: int) -> list[Proposal]:
    return list(db.session.scalars(
        select(Proposal).join(Traject, Traject.id == Proposal.traject_id)
        .where(Traject.organisation_id == organisation_id, Proposal.answer == ProposalAnswer.PENDING)
        .order_by(Proposal.proposed_at.desc(), Proposal.id.desc())
    ))


def trajects_of_candidate(candidate_id: int) -> list[Traject]:
    """Newest change first, with the placement and organisation each line names (one statement)."""
    from sqlalchemy.orm import joinedload

    return list(db.session.scalars(
        select(Traject).where(Traject.candidate_id == candidate_id)
        .options(joinedload(Traject.placement), joinedload(Traject.organisation))
        .order_by(Traject.stage_changed_at.desc(), Traject.id.desc())
    ))


def trajects_of_organisation(organisation_id: int, placement_id: int | None = None) -> list[Traject]:
    query = select(Traject).where(Traject.organisation_id == organisation_id)
    if placement_id is not None:
        query = query.where(Traject.placement_id == placement_id)
    return list(db.session.scalars(query.order_by(Traject.stage_changed_at.desc(), Traject.id.desc())))


# --- places and starts ------------------------------------------------------------------------

def filled_count(placement_id: int) -> int:
    """Places filled = trajects of the placement at stage 'started' (counted, never a counter)."""
    return db.session.scalar(select(func.count(Traject.id)).where(
        Traject.placement_id == placement_id, Traject.stage == TrajectStage.STARTED)) or 0


def filled_counts(placement_ids: list[int]) -> dict[int, int]:
    if not placement_ids:
        return {}
    rows = db.session.execute(select(Traject.placement_id, func.count(Traject.id)).where(
        Traject.placement_id.in_(placement_ids), Traject.stage == TrajectStage.STARTED).group_by(Traject.placement_id))
    return {placement_id: count for placement_id, count in rows}


def places_remaining(placement: Any) -> int:
    return max(0, placement.places - filled_count(placement.id))


def full_placement_ids(placements: list[Any]) -> set[int]:
    counts = filled_counts([p.id for p in placements])
    return {p.id for p in placements if counts.get(p.id, 0) >= p.places}


STARTABLE = (TrajectStage.MET, TrajectStage.TRIAL)


def record_start(traject: Traject, *, by: Any, start_date: Any, planned_end_date: Any = None, hours_per_week: int,
                 days: list[str], placement_type: Any, jobcoach_name: str = "", jobcoach_organisation: str = "",
                 buddy_name: str = "", buddy_language_code: str = "",
                 instruments: list[dict[str, Any]] = ()) -> Any:
    """Record the placement record and move the traject to 'started'.

    Capacity follows portal.core.locking: lock the placement row, count the started trajects,
    insert. Two starts at once for the last place give one start; the other gets a clear
    DomainError (nothing saved)."""
    from portal.core import availability
    from portal.core.locking import lock
    from portal.placements.models import Placement, PlacementType
    from portal.trajects.models import InstrumentKind, InstrumentStatus, PlacementStart, StartInstrument

    if traject.stage not in STARTABLE:
        raise DomainError(_("Een start vastleggen kan na de kennismaking of de proefplaatsing (nu: %(stage)s).",
                            stage=traject.stage.label))
    unknown = [d for d in days if d not in availability.DAYS]
    if unknown or not days:
        raise DomainError(_("Kies minstens één werkdag."), field="days")
    lock((Placement, [traject.placement_id]))
    placement = db.session.get(Placement, traject.placement_id, populate_existing=True)
    db.session.refresh(traject)
    if traject.stage not in STARTABLE or traject.start is not None:
        raise DomainError(_("Voor dit traject is de start al vastgelegd."))
    if filled_count(placement.id) >= placement.places:
        raise DomainError(_("Deze plek is inmiddels vol: alle %(n)d plaatsen zijn bezet. Vraag de werkgever om een "
                            "plaats bij te openen, of kies een andere plek.", n=placement.places))
    start = PlacementStart(
        traject_id=traject.id, start_date=start_date, planned_end_date=planned_end_date, hours_per_week=hours_per_week,
        days=[d for d in availability.DAYS if d in set(days)], placement_type=PlacementType(placement_type),
        jobcoach_name=jobcoach_name or "", jobcoach_organisation=jobcoach_organisation or "",
        buddy_name=buddy_name or "", buddy_language_code=buddy_language_code or "",
        recorded_by_id=_id(by), recorded_at=db.utcnow(),
    )
    for item in instruments:
        start.instruments.append(StartInstrument(
            kind=InstrumentKind(item["kind"]), status=InstrumentStatus(item["status"]), amount=item.get("amount"),
            period_start=item.get("period_start"), period_end=item.get("period_end")))
    db.session.add(start)
    db.session.flush()
    traject.start = start
    move_stage(traject, TrajectStage.STARTED, by=by, reason="start")
    audit.record("placement_start.recorded", start, actor=by, candidate_id=traject.candidate_id,
                 placement_id=traject.placement_id, traject_id=traject.id)
    return start


# --- consent and erasure ----------------------------------------------------------------------

def stop_trajects_outside_consent(candidate: Any, *, all_of_them: bool = False) -> int:
    """Stop the open trajects of organisations the candidate's consent no longer covers (all of
    them when consent ended). Employers see 'niet meer beschikbaar', never why."""
    consent = None if all_of_them else candidate.valid_consent
    stopped = 0
    for traject in db.session.scalars(select(Traject).where(
            Traject.candidate_id == candidate.id, Traject.stage.in_(OPEN_STAGES_VALUES)).order_by(Traject.id)):
        if consent is not None and consent.covers(traject.organisation):
            continue
        for proposal in traject.proposals:
            if proposal.is_pending:
                db.session.delete(proposal)
        move_stage(traject, TrajectStage.STOPPED, by=None, reason=StopReason.CONSENT_ENDED, by_employer=False)
        stopped += 1
    return stopped


OPEN_STAGES_VALUES = [s for s in TrajectStage if s.is_open]


def erase_trajects_of(candidate: Any) -> None:
    """Erasure: trajects, proposals, placement records and instruments of the candidate go."""
    from sqlalchemy import delete

    from portal.trajects.models import PlacementStart, StartInstrument, TrajectStageChange

    traject_ids = select(Traject.id).where(Traject.candidate_id == candidate.id).scalar_subquery()
    start_ids = select(PlacementStart.id).where(PlacementStart.traject_id.in_(traject_ids)).scalar_subquery()
    db.session.execute(delete(StartInstrument).where(StartInstrument.start_id.in_(start_ids)))
    db.session.execute(delete(PlacementStart).where(PlacementStart.traject_id.in_(traject_ids)))
    db.session.execute(delete(Proposal).where(Proposal.candidate_id == candidate.id))
    db.session.execute(delete(TrajectStageChange).where(TrajectStageChange.traject_id.in_(traject_ids)))
    db.session.execute(delete(Traject).where(Traject.candidate_id == candidate.id))
    db.session.flush()
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, (Traject, Proposal, PlacementStart, StartInstrument, TrajectStageChange)) and obj in db.session:
            db.session.expunge(obj)
