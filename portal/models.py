"""Every model module, so that Alembic and the tests see the whole schema."""
from __future__ import annotations

import importlib

MODEL_MODULES = (
    "portal.core.audit",
    "portal.core.jobs",
    "portal.core.mail",
    "portal.accounts.models",
    "portal.placements.models",
    "portal.candidates.models",
    "portal.candidates.video_models",
    "portal.candidates.withdrawal_models",
    "portal.events.models",
    "search.outbox",
    "search.freshness",
    "portal.matching.models",
    "portal.meetings.models",
    "portal.trajects.models",
    "portal.casefile.models",
    "portal.aftercare.models",
    "portal.results.facts",
    "portal.api.models",
)


def import_all_models() -> None:
    for name in MODEL_MODULES:
        importlib.import_module(name)
