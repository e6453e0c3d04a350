"""The configured search backend and media storage of the current app (built once per app)."""
from __future__ import annotations

from typing import Any

from flask import current_app


def _cached(key: str, build: Any) -> Any:
    ext = current_app.extensions
    if key not in ext:
        ext[key] = build(current_app.config)
    return ext[key]


def storage() -> Any:
    from media.storage import create_storage

    return _cached("portal.storage", create_storage)


def search_backend() -> Any:
    from search import create_backend

    return _cached("portal.search", create_backend)
