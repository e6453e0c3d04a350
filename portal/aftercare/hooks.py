"""Erasure: a candidate's check-ins and results go with the candidate."""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete

from portal.aftercare.models import AftercareResult, CheckIn
from portal.candidates.hooks import on_candidate_erased
from portal.core import db


@on_candidate_erased
def erase_aftercare(candidate: Any) -> None:
    db.session.flush()
    for model in (CheckIn, AftercareResult):
        db.session.execute(delete(model).where(model.candidate_id == candidate.id)
                           .execution_options(synchronize_session=False))
