"""The summary an employer checks before publishing: what it shows and the version it was shown at.

Publishing goes through the summary page (`/plekken/<id>/controleren`). Its form carries the
version of the placement as shown; the publish request is refused when the placement has changed
since (another tab, a colleague), so what is published is exactly what the employer checked.
"""
from __future__ import annotations

import hashlib
import json

from portal.placements.documents import placement_document
from portal.placements.models import Placement

#: Keys of the placement document that change without the content changing.
_VOLATILE = ("status", "published_at", "updated_at")


def review_version(placement: Placement) -> str:
    """A short fingerprint of everything the summary shows (changes whenever the content does)."""
    document = {k: v for k, v in placement_document(placement).items() if k not in _VOLATILE}
    # the street address is shown on the summary but not part of the public document
    document["street_address"] = placement.street_address
    document["language_requirements"]["other"].sort(key=lambda row: row["language"])
    payload = json.dumps(document, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]
