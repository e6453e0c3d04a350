"""Access table of aftercare (see tests/core/test_access_by_role.py)."""
from __future__ import annotations

from typing import Any

ACCESS = {
    "aftercare.index": {"account_manager"},
    "aftercare.start": {"account_manager", "admin"},
    "aftercare.add": {"account_manager"},
    "aftercare.reschedule": {"account_manager"},
    "aftercare.remove": {"account_manager"},
    "aftercare.record": {"account_manager"},
    "aftercare.result": {"account_manager"},
}


def objects(factory: Any, employer: Any) -> dict[str, Any]:
    from portal.aftercare.models import CheckIn
    from portal.core import db
    from sqlalchemy import select
    from tests.casefile.factories import CaseFactory

    cases = CaseFactory(factory)
    manager = factory.user("account_manager")
    start = cases.started(cases.candidate(manager), employer)
    with factory.app.app_context():
        checkin_id = db.session.scalar(select(CheckIn.id).where(CheckIn.start_id == start.id).order_by(CheckIn.id))
    return {"aftercare_start_id": start.id, "checkin_id": checkin_id}
