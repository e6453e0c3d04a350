"""Candidate search: one small interface, two backends chosen by configuration (DESIGN.md §6).

The interface (both backends implement it; tests/search/test_contract.py runs the same suite
against each):

    backend.search(SearchQuery) -> SearchResult(ids, total, facets, scores, distances)
    backend.search_many([SearchQuery, ...]) -> [SearchResult, ...]  (Elasticsearch: one round trip)
    backend.write(documents, delete_ids) -> ids that failed       (index many by id, delete)
    backend.index(documents) / backend.delete(ids)
    backend.rebuild(documents) -> report                           (new index + alias swap)
    backend.ping() -> bool
    backend.stats() -> {"index", "alias", "documents"}
    backend.needs_sync                                             (False: reads live tables)

Settings: SEARCH_BACKEND = "database" (embedded default: SQL over the portal's tables) or
"elasticsearch" (ELASTICSEARCH_URL, _API_KEY or _USERNAME/_PASSWORD, _CA_CERTS, _INDEX_PREFIX,
_TIMEOUT). Documents are built only by search.documents; synchronisation is search.outbox;
`search.run()` (and `search.run_many()`) is what pages call.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from search.db_backend import DatabaseBackend
from search.es_backend import ElasticsearchBackend
from search.query import (
    EmployerScope, LanguageRequirement, Near, ScoreSpec, SearchQuery, SearchResult, SearchUnavailable,
)

Backend = DatabaseBackend | ElasticsearchBackend


def create_backend(config: Mapping[str, Any]) -> Backend:
    backend = config.get("SEARCH_BACKEND", "database")
    if backend == "elasticsearch":
        return ElasticsearchBackend(config)
    if backend == "database":
        return DatabaseBackend(config)
    raise ValueError(f"SEARCH_BACKEND must be 'database' or 'elasticsearch', not {backend!r}")


def current_backend() -> Backend:
    """The configured backend of the current Flask app, built once per app (cached in its extensions).

    The one place the app's backend is kept; portal.core.services.search_backend() returns this.
    """
    from flask import current_app

    ext = current_app.extensions
    if "portal.search" not in ext:
        ext["portal.search"] = create_backend(current_app.config)
    return ext["portal.search"]


def run(query: SearchQuery, backend: Backend | None = None) -> SearchResult:
    """Run a search through the configured backend, with the checks every caller needs.

    - An employer scope of an organisation that is not approved yields nothing (both backends).
    - Raises SearchUnavailable when the backend cannot answer; pages show the notice.
    """
    return run_many([query], backend)[0]


def run_many(queries: Sequence[SearchQuery], backend: Backend | None = None) -> list[SearchResult]:
    """Several searches at once, with `run`'s checks (Elasticsearch answers them in one round trip,
    side by side: placement matching asks two)."""
    if backend is None:
        backend = current_backend()
    results: dict[int, SearchResult] = {}
    asked: list[int] = []
    for position, query in enumerate(queries):
        if query.scope is not None and not _scope_approved(query.scope.organisation_id):
            results[position] = SearchResult(ids=[], total=0, facets={}, backend=backend.name)
        else:
            asked.append(position)
    if asked:
        for position, result in zip(asked, backend.search_many([queries[i] for i in asked])):
            results[position] = result
    return [results[position] for position in range(len(queries))]


def _scope_approved(organisation_id: int) -> bool:
    from portal.accounts.models import Organisation
    from portal.core import db

    organisation = db.session.get(Organisation, organisation_id)
    return organisation is not None and organisation.is_approved


__all__ = [
    "Backend", "DatabaseBackend", "ElasticsearchBackend", "EmployerScope", "LanguageRequirement", "Near",
    "ScoreSpec", "SearchQuery", "SearchResult", "SearchUnavailable", "create_backend", "current_backend", "run", "run_many",
]
