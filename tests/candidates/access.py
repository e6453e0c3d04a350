"""Access table of the candidates area (see tests/core/test_access_by_role.py)."""
from __future__ import annotations

from typing import Any

STAFF = {"account_manager", "wsp", "admin"}

ACCESS = {
    "candidates.manage_list": {"account_manager", "admin"},
    "candidates.create": {"account_manager"},
    "candidates.detail": STAFF,
    "candidates.edit": {"account_manager"},
    "candidates.set_status": {"account_manager"},
    "candidates.consent": {"account_manager"},
    "candidates.withdraw_consent": {"account_manager"},
    "candidates.consent_text_page": STAFF,
    "candidates.preview": {"account_manager"},
    "candidates.publish": {"account_manager"},
    "candidates.unpublish": {"account_manager"},
    "candidates.erase": {"account_manager", "admin"},
    "candidates.interests": STAFF,
    "candidates.rate_limited": {"admin"},
    "candidates.gallery": {"employer"},
    "candidates.gallery_detail": {"employer"},
    "candidates.interest": {"employer"},
    "candidates.my_interests": {"employer"},
    "region.index": {"account_manager"},
    "region.detail": {"account_manager"},
    # The printable consent sheet and the candidate's own withdrawal page (no account needed).
    "withdrawal.sheet": {"account_manager"},
    "withdrawal.new_code": {"account_manager"},
    "withdrawal.withdraw": {"anonymous", "employer", "account_manager", "wsp", "admin", "policy_officer"},
}


def objects(factory: Any, employer: Any) -> dict[str, Any]:
    from tests.candidates.factories import CandidateFactory

    candidates = CandidateFactory(factory)
    candidate = candidates.candidate(published=True, organisations=[employer.organisation_id])
    elsewhere = candidates.candidate(published=True, municipality="Westland",
                                     owner=factory.user("account_manager", municipality="Westland"))
    return {"candidate_id": candidate.id, "region_candidate_id": elsewhere.id}
