"""Candidate search: one small interface, two backends chosen by configuration (DESIGN.md §6)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class DatabaseBackend:
    """The embedded default: searches with SQL in the portal's own database."""

    name = "database"

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.config = config

    def ping(self) -> bool:
        return True


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(self, config: Mapping[str, Any]) -> None:
        from search.connection import make_client

        self.client = make_client(config)

    def ping(self) -> bool:
        return bool(self.client.ping())


def create_backend(config: Mapping[str, Any]) -> DatabaseBackend | ElasticsearchBackend:
    backend = config.get("SEARCH_BACKEND", "database")
    if backend == "elasticsearch":
        return ElasticsearchBackend(config)
    if backend == "database":
        return DatabaseBackend(config)
    raise ValueError(f"SEARCH_BACKEND must be 'database' or 'elasticsearch', not {backend!r}")
