"""Access table of the placement routes (see tests/core/test_access_by_role.py)."""
from __future__ import annotations

from typing import Any

STAFF = {"account_manager", "wsp", "admin"}
SIGNED_IN_ROLES = {"employer", *STAFF}

ACCESS = {
    "placements.own_list": {"employer"},
    "placements.create": {"employer"},
    "placements.edit": {"employer"},
    "placements.review": {"employer"},
    "placements.publish": {"employer"},
    "placements.pause": {"employer"},
    "placements.close": {"employer"},
    "placements.reopen": {"employer"},
    "placements.detail": SIGNED_IN_ROLES,
    "placements.document": SIGNED_IN_ROLES,
    "placements.overview": STAFF,
}


def objects(factory: Any, employer: Any) -> dict[str, Any]:
    """A published placement of the employer's (approved) organisation, visible to every role."""
    from portal.accounts.models import Organisation
    from portal.core import db
    from tests.placements.factories import create_placement

    with factory.app.app_context():
        organisation = db.session.get(Organisation, employer.organisation_id)
        assert organisation.is_approved
    placement = create_placement(factory, organisation, status="published", created_by=employer)
    return {"placement_id": placement.id}
