"""Erasure: a candidate's case file goes with the candidate (rows, not only by cascade)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete

from portal.casefile.models import (
    CaseCoOwner, CaseHandover, CaseNote, ContactMoment, PendingNotification, TimelineEntry,
)
from portal.core import db

CASE_FILE_TABLES = (TimelineEntry, CaseNote, ContactMoment, CaseHandover, CaseCoOwner, PendingNotification)


def erase_case_file(candidate: Any) -> None:
    """Delete the timeline, notes, contact moments, handovers, co-owners and waiting notifications."""
    db.session.flush()  # entries added earlier in this transaction are deleted too
    for model in CASE_FILE_TABLES:
        db.session.execute(delete(model).where(model.candidate_id == candidate.id)
                           .execution_options(synchronize_session=False))
