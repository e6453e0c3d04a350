"""Access table of the results area (see tests/core/test_access_by_role.py).

WSP staff, admins and policy officers; employers and account managers are refused.
"""
from __future__ import annotations

from typing import Any

VIEWERS = {"wsp", "admin", "policy_officer"}

ACCESS = {
    "results.dashboard": VIEWERS,
    "results.definitions": VIEWERS,
    "results.export": VIEWERS,
}


def objects(factory: Any, employer: Any) -> dict[str, Any]:
    return {"results_table": "funnel", "file_format": "csv"}
