"""Access table of the case file (see tests/core/test_access_by_role.py)."""
from __future__ import annotations

from typing import Any

ACCESS = {
    "casefile.add_note": {"account_manager"},
    "casefile.add_contact": {"account_manager"},
    "casefile.handover": {"account_manager", "admin"},
    "casefile.co_owners": {"account_manager", "admin"},
    "casefile.remove_co_owner": {"account_manager", "admin"},
    "casefile.caseload_page": {"account_manager"},
    "casefile.settings": {"admin"},
    "casefile.notification_preference": {"account_manager"},
}


def objects(factory: Any, employer: Any) -> dict[str, Any]:
    return {}  # the case file's URLs use candidate_id from tests/candidates/access.py
