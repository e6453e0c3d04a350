"""Access table of the API routes (see tests/core/test_access_by_role.py).

/api/v1 authenticates by key, never by a browser session: the key-protected routes are listed
with `API_KEY`, and the route-by-role test expects 401 problem+json for every browser role there
(a signed-in admin gets no more than an anonymous visitor). The OpenAPI document and its
documentation page are public. The admin pages for clients are for admins only.
"""
from __future__ import annotations

from typing import Any

EVERYONE = {"anonymous", "employer", "account_manager", "wsp", "admin", "policy_officer"}
API_KEY = "api_key"  # marker understood by tests/core/test_access_by_role.py

ACCESS: dict[str, Any] = {
    "api_v1.openapi_document": EVERYONE,
    "api_v1.docs": EVERYONE,
    "api_v1.swagger_docs": EVERYONE,
    "api_v1.list_placements": API_KEY,
    "api_v1.get_placement": API_KEY,
    "api_v1.create_placement": API_KEY,
    "api_v1.replace_placement": API_KEY,
    "api_v1.change_placement_status": API_KEY,
    "api_v1.list_candidates": API_KEY,
    "api_v1.get_candidate": API_KEY,
    "api_v1.placement_matches": API_KEY,
    "api_v1.list_events": API_KEY,
    "api_v1.get_event": API_KEY,
    "api_v1.list_company_visits": API_KEY,
    "api_v1.get_company_visit": API_KEY,
    "api_v1.monitoring_indicators": API_KEY,
    "api_v1.list_trajects": API_KEY,
    "api_v1.get_traject": API_KEY,
    "api_clients.client_list": {"admin"},
    "api_clients.create": {"admin"},
    "api_clients.revoke": {"admin"},
}


def objects(factory: Any, employer: Any) -> dict[str, Any]:
    """Ids in the API's URLs; the values do not matter for a 401 (event/visit ids come from events)."""
    return {"client_id": 1}
