"""Access table of the search and matching routes (see tests/core/test_access_by_role.py)."""
from __future__ import annotations

from typing import Any

STAFF = {"account_manager", "wsp"}

ACCESS = {
    "matching.search": STAFF,
    "matching.saved_searches": STAFF,
    "matching.open_saved_search": STAFF,
    "matching.delete_saved_search": STAFF,
    "matching.placement_matches": STAFF,
    "matching.candidate_matches": STAFF,
}


def objects(factory: Any, employer: Any) -> dict[str, Any]:
    from portal.core import db
    from portal.matching.models import SavedSearch

    owner = factory.user("account_manager")
    with factory.app.app_context():
        saved = SavedSearch(name="Gedeeld", query_string="q=magazijn", owner_id=owner.id, shared=True)
        db.session.add(saved)
        db.commit()
        saved_id = saved.id
    # candidate_id and placement_id come from the candidates and placements areas' objects()
    return {"saved_search_id": saved_id}
