"""Access table of the shared UI's routes (see tests/core/test_access_by_role.py)."""
from __future__ import annotations

from typing import Any

from tests.core.test_access_by_role import EVERYONE

ACCESS = {
    "public.favicon": EVERYONE,
    "public.theme_css": EVERYONE,
    "admin.audit_export": {"admin"},
}


def objects(factory: Any, employer: Any) -> dict[str, Any]:
    return {}
