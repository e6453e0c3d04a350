"""Access table of the trajects area (see tests/core/test_access_by_role.py)."""
from __future__ import annotations

from typing import Any

ACCESS = {
    "trajects.propose": {"account_manager"},
    "trajects.proposal": {"employer", "account_manager", "wsp", "admin"},
    "trajects.board": {"employer", "account_manager", "wsp", "admin"},
    "trajects.detail": {"employer", "account_manager", "wsp", "admin"},
    "trajects.move": {"employer", "account_manager", "admin"},
    "trajects.start": {"account_manager", "admin"},
    "trajects.places": {"employer"},
}


def objects(factory: Any, employer: Any) -> dict[str, Any]:
    from portal.candidates.models import Candidate
    from portal.core import db
    from portal.placements.models import Placement
    from portal.trajects.models import TrajectSource
    from portal.trajects.operations import open_traject, propose
    from tests.meetings.factories import MeetingFactory
    from tests.placements.factories import create_placement

    manager = factory.user("account_manager")
    candidate = MeetingFactory(factory).candidate(manager)
    placement = create_placement(factory, employer.organisation_id, places=2)
    other = MeetingFactory(factory).candidate(manager)
    with factory.app.test_request_context():
        c, p = db.session.get(Candidate, candidate.id), db.session.get(Placement, placement.id)
        traject = open_traject(c, p, TrajectSource.MEETING, by=manager)
        proposal = propose(db.session.get(Candidate, other.id), p, "Past goed bij het werk in het magazijn.", by=manager)
        db.commit()
        return {"traject_id": traject.id, "proposal_id": proposal.id}
