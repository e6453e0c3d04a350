"""The ONE place that answers "which candidates may this user see" (DESIGN.md §5).

An employer user sees a candidate only when ALL of these hold:
  - the user's organisation is approved by WSP staff;
  - the candidate's status is `published`;
  - the candidate has a valid consent (not withdrawn, not superseded, not expired, already
    recorded) whose scope is "all approved employers" or names the user's organisation.
Staff (account manager, WSP, admin) see every candidate through staff pages (`Candidate.can_view`).

API (reuse it; never re-implement the rule):

    from portal.candidates.visibility import (
        visible_to_employer_clause, visible_candidates_query, can_employer_view, employer_or_404,
    )

    visible_to_employer_clause(organisation, now=None) -> ColumnElement[bool]
        SQL condition on `Candidate` (use in .where()); `false()` for None / unapproved.
    visible_candidates_query(organisation) -> Select[Candidate]
        select(Candidate).where(visible_to_employer_clause(organisation))
    visible_candidate_ids(organisation) -> set[int]
        For filtering search hits loaded by id.
    can_employer_view(candidate, user) -> bool
        The same rule for one loaded candidate and a user (False for non-employers).
    employer_candidate_or_404(candidate_id, user) -> Candidate
        Load for an employer page: 404 when missing or out of scope (never reveal existence).

The search engineer's document builder must apply `visible_to_employer_clause` when loading hits
(search returns ids; the database filter is the truth), and index only `employer_profile()`.
"""
from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from flask import abort
from sqlalchemy import ColumnElement, Integer, Select, and_, bindparam, exists, false, or_, select
from sqlalchemy.orm import joinedload

from portal.candidates.models import Candidate, CandidateStatus, Consent, ConsentScope, consent_organisations
from portal.core import db
from portal.core.roles import Role


def _organisation_approved(organisation: Any) -> bool:
    return organisation is not None and bool(getattr(organisation, "is_approved", False))


def valid_consent_clause(now: Any = None) -> ColumnElement[bool]:
    """Condition on `Consent`: valid at `now` (a datetime, or a bound parameter)."""
    if now is None:
        now = db.utcnow()
    return and_(
        Consent.withdrawn_at.is_(None),
        Consent.superseded_at.is_(None),
        Consent.expires_at > now,
        Consent.recorded_at <= now,
    )


def consent_scope_clause(organisation: Any) -> ColumnElement[bool]:
    """Condition on `Consent`: its scope includes `organisation`."""
    return _scope_clause(organisation.id)


def _scope_clause(organisation_id: Any) -> ColumnElement[bool]:
    named = exists().where(
        consent_organisations.c.consent_id == Consent.id,
        consent_organisations.c.organisation_id == organisation_id,
    )
    return or_(Consent.scope == ConsentScope.ALL_APPROVED_EMPLOYERS, and_(Consent.scope == ConsentScope.SELECTED_ORGANISATIONS, named))


def _visible_clause(organisation_id: Any, now: Any) -> ColumnElement[bool]:
    """The rule in SQL for an approved organisation (its id and the moment: values or bound parameters)."""
    consent_ok = exists().where(Consent.candidate_id == Candidate.id, valid_consent_clause(now), _scope_clause(organisation_id))
    return and_(Candidate.status == CandidateStatus.PUBLISHED, consent_ok)


def visible_to_employer_clause(organisation: Any, now: dt.datetime | None = None) -> ColumnElement[bool]:
    if not _organisation_approved(organisation):
        return false()
    return _visible_clause(organisation.id, now)


@cache
def visible_to_employer_template() -> ColumnElement[bool]:
    """`visible_to_employer_clause` with the organisation and the moment as bound parameters
    (`visible_organisation_id`, `visible_now`; see `visible_params`): statements built on it once per
    process keep their SQL cache key, instead of computing it again on every request."""
    return _visible_clause(bindparam("visible_organisation_id", type_=Integer()),
                           bindparam("visible_now", type_=Consent.expires_at.type))


def visible_params(organisation: Any, now: dt.datetime | None = None) -> dict[str, Any] | None:
    """The parameters of `visible_to_employer_template` for this organisation; None when it may see
    no one (no organisation, or not approved): then the caller shows nothing, as `false()` would."""
    if not _organisation_approved(organisation):
        return None
    return {"visible_organisation_id": organisation.id, "visible_now": now if now is not None else db.utcnow()}


def visible_candidates_query(organisation: Any) -> Select:
    return select(Candidate).where(visible_to_employer_clause(organisation))


def visible_candidate_ids(organisation: Any) -> set[int]:
    return set(db.session.scalars(select(Candidate.id).where(visible_to_employer_clause(organisation))))


def can_employer_view(candidate: Candidate | None, user: Any) -> bool:
    if candidate is None or not getattr(user, "is_authenticated", False) or user.role != Role.EMPLOYER:
        return False
    organisation = user.organisation
    if not _organisation_approved(organisation) or candidate.status != CandidateStatus.PUBLISHED:
        return False
    consent = candidate.valid_consent
    return consent is not None and consent.covers(organisation)


@cache
def _employer_candidate_statement() -> Select:
    """One candidate with its consents, which `can_employer_view` reads: one statement instead of a
    load and a lazy load, built once per process."""
    return (select(Candidate).options(joinedload(Candidate.consents))
            .where(Candidate.id == bindparam("candidate_id", type_=Integer())))


def employer_candidate_or_404(candidate_id: int, user: Any) -> Candidate:
    candidate = db.session.scalars(_employer_candidate_statement(), {"candidate_id": candidate_id}).unique().first()
    if not can_employer_view(candidate, user):
        abort(404)
    return candidate


def full_file_clause(user: Any) -> ColumnElement[bool]:
    """SQL condition on `Candidate`: the full files `user` may see (same rule as Candidate.can_view)."""
    from sqlalchemy import func, true

    if not getattr(user, "is_authenticated", False):
        return false()
    if user.role == Role.ACCOUNT_MANAGER:
        mine = (user.municipality or "").strip().lower()
        return func.lower(Candidate.municipality) == mine if mine else false()
    return true() if user.role in (Role.WSP, Role.ADMIN) else false()


def region_clause(user: Any, now: dt.datetime | None = None) -> ColumnElement[bool]:
    """SQL condition on `Candidate`: other municipalities' published candidates with a valid consent,
    which an account manager may see as the employer-level profile, for matching across the region."""
    from sqlalchemy import func, not_

    if not getattr(user, "is_authenticated", False) or user.role != Role.ACCOUNT_MANAGER:
        return false()
    consent_ok = exists().where(Consent.candidate_id == Candidate.id, valid_consent_clause(now))
    mine = (user.municipality or "").strip().lower()
    return and_(Candidate.status == CandidateStatus.PUBLISHED, consent_ok,
                not_(func.lower(Candidate.municipality) == mine))
