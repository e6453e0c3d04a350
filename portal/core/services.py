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
    """The app's search backend (kept by search.current_backend; search never imports this module)."""
    from search import current_backend

    return current_backend()
