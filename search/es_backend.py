"""The Elasticsearch backend (elasticsearch-py 9): versioned index behind an alias, bulk sync, queries.

Index names are `<prefix>-candidates-v<MAPPING_VERSION>-<UTC timestamp>`; the application only
ever reads and writes through the alias `<prefix>-candidates`. `rebuild` fills a new index and
swaps the alias in one atomic `update_aliases` call, so searches never see a half-built index.

Free text is matched with `match` + operator "and" (literal words, no query syntax), never with
`query_string`/`simple_query_string`, so user input cannot change the query's structure. The
employer scope (published + valid consent now + scope) is added by `_filters` whenever the query
carries a scope, mirroring portal.candidates.visibility; consent expiry needs no reindex because
the query compares `consent.valid_until` with the current time.
"""
from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
import os
import time
from concurrent.futures import Future, ThreadPoolExecutor
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError, helpers

from portal.core import availability
from portal.reference import LEVELS
from search import scoring
from search.query import SearchQuery, SearchResult, SearchUnavailable, words

log = logging.getLogger(__name__)

#: 2: language_levels, eager global ordinals on the facet fields; 3: `languages` no longer nested;
#: 4: the texts indexed only in all_text / staff_text, without positions; 5: no staff_text (staff
#: searches ask all_text and first_name), no doc values on keywords that are only filtered on;
#: 6: `language_levels` holds each skill's own level only (a requirement asks the levels it accepts);
#: no `languages` object nor skill labels in _source (both repeated other fields)
MAPPING_VERSION = 6
FACET_SIZES = {"skills": 100, "sectors": 50, "days": 7, "municipalities": 100, "statuses": 10}
_FACET_FIELDS = {
    "skills": "skills", "sectors": "sectors", "days": "availability_days",
    "municipalities": "municipality", "statuses": "status",
}
FACETS = (*_FACET_FIELDS, "consent_valid")
#: A search with facets is asked as one request per group of facets in one `_msearch`: the page
#: with the first group, and a count-free request for each other group, so that Elasticsearch
#: aggregates them side by side (over most of a million candidates the aggregations are nearly all
#: of the time; the filters are then evaluated once per group, which costs little). Measured at
#: 1,000,000 on two cores and two primaries, 150 search-page queries asked twice, interleaved, the
#: same answers every way (search/README.md): three groups p95 63.8 and 64.0 ms, two groups 92.6 and
#: 111.5, six groups of one 67.4 and 59.8 with a higher p50. The groups are of about equal cost (the
#: consent filter costs about as much as two terms aggregations; statuses and days are cheap).
FACET_GROUPS = (("skills", "statuses"), ("sectors", "municipalities"), ("days", "consent_valid"))

#: facet fields: global ordinals built at refresh, not by the first search after it (at 1M
#: documents that first terms aggregation otherwise pays ~100 ms after every refresh)
FACET_KEYWORD = {"type": "keyword", "eager_global_ordinals": True}

#: keywords only filtered on (never aggregated or sorted): no doc values to write
FILTER_KEYWORD = {"type": "keyword", "doc_values": False}
#: fields the portal never asks Elasticsearch about, kept in _source for the deep check
SOURCE_ONLY = {"index": False, "doc_values": False}

SETTINGS: dict[str, Any] = {
    "number_of_shards": 1,
    "refresh_interval": "1s",
}

SOURCE_TEXT = {"type": "text", "index": False, "copy_to": ["all_text"]}
SEARCH_TEXT = {"type": "text", "analyzer": "dutch", "index_options": "freqs"}

MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "id": {"type": "long"},
        # The texts are searched only through all_text (`match`, every word, no phrases): they are
        # not indexed on their own and all_text keeps no positions (mapping 4). Staff searches ask
        # all_text and first_name together (`cross_fields`: every word in one or the other); until
        # mapping 5 a staff_text copy analysed every text a second time.
        "first_name": SEARCH_TEXT,
        "ambitions": SOURCE_TEXT,
        "experience": SOURCE_TEXT,
        "skills": FACET_KEYWORD,
        "skill_terms": SOURCE_TEXT,
        # the free text employers search (no names; first_name above is searched by staff only)
        "all_text": SEARCH_TEXT,
        "sectors": FACET_KEYWORD,
        # A candidate's languages are `language_codes` and, per skill at level 1 or higher,
        # `language_levels`. Until mapping 3 a nested `languages` field made each candidate 3–4
        # Lucene documents; until mapping 6 it was kept in _source, repeating the levels.
        "language_codes": FILTER_KEYWORD,
        "language_levels": FILTER_KEYWORD,
        "availability": FILTER_KEYWORD,
        "availability_days": FACET_KEYWORD,
        "hours_per_week": {"type": "short", **SOURCE_ONLY},
        "municipality": FACET_KEYWORD,
        "postcode_area": {"type": "keyword", **SOURCE_ONLY},
        "location": {"type": "geo_point"},
        "status": FACET_KEYWORD,
        "consent": {
            "properties": {
                "valid_from": {"type": "date"},
                "valid_until": {"type": "date"},
                "scope_all": {"type": "boolean"},
                "scope_organisation_ids": {"type": "long"},
            },
        },
        "updated_at": {"type": "date"},
        "published_at": {"type": "date", **SOURCE_ONLY},
    },
}

_TOP_LEVEL = max(LEVELS)

_UNAVAILABLE = (TransportError, ConnectionError, OSError)

#: one encoder for every rebuild body (json.dumps with options builds a new encoder per call)
_ENCODER = json.JSONEncoder(separators=(",", ":"), check_circular=False)


def bulk_body(docs: Iterable[dict[str, Any]], version: int = 0) -> bytes:
    """The NDJSON body of a rebuild's bulk request (the index is named in the URL): one `index`
    action per document with external version `version` (see `ElasticsearchBackend.rebuild`)."""
    lines = []
    for doc in docs:
        lines.append(f'{{"index":{{"_id":"{int(doc["id"])}","version":{int(version)},"version_type":"external"}}}}')
        lines.append(_ENCODER.encode(doc))
    lines.append("")
    return "\n".join(lines).encode()


#: Elasticsearch scores are 32-bit floats: a tiered page counts only when its last score is above
#: the ceiling by more than their rounding
SCORE_MARGIN = 1e-3


def _iso(now: dt.datetime) -> str:
    return now.astimezone(dt.timezone.utc).isoformat()


def consent_valid_filter(now: dt.datetime) -> dict[str, Any]:
    return {"bool": {"filter": [
        {"range": {"consent.valid_until": {"gt": _iso(now)}}},
        {"range": {"consent.valid_from": {"lte": _iso(now)}}},
    ]}}


def employer_scope_filter(organisation_id: int, now: dt.datetime) -> dict[str, Any]:
    """Mirror of portal.candidates.visibility: published, valid consent now, scope covers the organisation."""
    return {"bool": {"filter": [
        {"term": {"status": "published"}},
        consent_valid_filter(now),
        {"bool": {"should": [
            {"term": {"consent.scope_all": True}},
            {"term": {"consent.scope_organisation_ids": organisation_id}},
        ], "minimum_should_match": 1}},
    ]}}


class ElasticsearchBackend:
    name = "elasticsearch"
    needs_sync = True

    def __init__(self, config: Mapping[str, Any], client: Elasticsearch | None = None) -> None:
        from search.connection import make_client

        self.config = config
        self.client = client or make_client(config)
        self.prefix = str(config.get("ELASTICSEARCH_INDEX_PREFIX") or "portal")
        self.alias = f"{self.prefix}-candidates"
        self.replicas = int(config.get("ELASTICSEARCH_REPLICAS", 0) or 0)
        self.shards = int(config.get("ELASTICSEARCH_SHARDS", 1) or 1)
        #: monotonic time until which the backend is considered down (short circuit for saves)
        self.down_until = 0.0

    # -- health ---------------------------------------------------------------------------
    def ping(self) -> bool:
        # `GET /` (what client.ping() uses) is refused by some builds (the local integ-test
        # distribution answers 405), so ask for the cluster health instead.
        try:
            health = self.client.options(request_timeout=2).cluster.health()
            return health.get("status") in ("green", "yellow")
        except Exception:  # noqa: BLE001 - /healthz must answer, not raise
            return False

    def mark_down(self, seconds: float = 10.0) -> None:
        self.down_until = time.monotonic() + seconds

    @property
    def recently_down(self) -> bool:
        return time.monotonic() < self.down_until

    # -- index management -----------------------------------------------------------------
    def new_index_name(self) -> str:
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d%H%M%S%f")
        return f"{self.alias}-v{MAPPING_VERSION}-{stamp}"

    def create_index(self, name: str, *, bulk_load: bool = False) -> None:
        settings = {**SETTINGS, "number_of_shards": self.shards, "number_of_replicas": self.replicas}
        if bulk_load:
            # a rebuild writes faster without refreshes and replicas; both are restored after the swap
            settings["refresh_interval"] = "-1"
            settings["number_of_replicas"] = 0
            # fsync the translog every 5 s instead of per bulk request: a crash during the rebuild
            # loses the new index anyway (it is not behind the alias yet); restored after the swap
            settings["translog.durability"] = "async"
        self.client.indices.create(index=name, settings=settings, mappings=MAPPINGS)

    def current_index(self, client: Elasticsearch | None = None) -> str | None:
        try:
            info = (client or self.client).indices.get_alias(name=self.alias)
        except NotFoundError:
            return None
        names = sorted(info.keys())
        return names[-1] if names else None

    def ensure_index(self, client: Elasticsearch | None = None) -> str:
        """The index behind the alias, creating an empty one (and the alias) if there is none."""
        current = self.current_index(client)
        if current:
            return current
        name = self.new_index_name()
        self.create_index(name)
        self.client.indices.update_aliases(actions=[{"add": {"index": name, "alias": self.alias}}])
        return name

    def all_indices(self, client: Elasticsearch | None = None) -> list[str]:
        try:
            return sorted((client or self.client).indices.get(index=f"{self.alias}-v*").keys())
        except NotFoundError:
            return []

    def drop_all(self) -> None:
        """Delete the alias and every index of this prefix (tests and `flask search reset`)."""
        for name in self.all_indices():
            self.client.indices.delete(index=name, ignore_unavailable=True)

    # -- writing --------------------------------------------------------------------------
    def _actions(self, index: str, docs: Iterable[dict[str, Any]], deletes: Iterable[int] = (),
                 op_type: str = "index", versions: Mapping[int, int] | None = None) -> Iterable[dict[str, Any]]:
        def versioned(action: dict[str, Any], candidate_id: int) -> dict[str, Any]:
            if versions is not None and candidate_id in versions:
                action["version"] = int(versions[candidate_id])
                action["version_type"] = "external"
            return action

        for doc in docs:
            yield versioned({"_op_type": op_type, "_index": index, "_id": str(doc["id"]), "_source": doc}, int(doc["id"]))
        for candidate_id in deletes:
            yield versioned({"_op_type": "delete", "_index": index, "_id": str(candidate_id)}, int(candidate_id))

    def write(self, docs: list[dict[str, Any]], deletes: Iterable[int] = (), *, refresh: bool = False,
              timeout: float | None = None) -> set[int]:
        """Index `docs` and delete `deletes` in bulk. Returns the ids that failed (to retry).

        Raises SearchUnavailable when the cluster cannot be reached at all.
        """
        return self.write_versioned(docs, deletes, None, refresh=refresh, timeout=timeout)[0]

    def write_versioned(self, docs: list[dict[str, Any]], deletes: Iterable[int] = (),
                        versions: Mapping[int, int] | None = None, *, refresh: bool = False,
                        timeout: float | None = None) -> tuple[set[int], set[int]]:
        """Like `write`, with external versions ({candidate id: version}, e.g. the outbox sequence).

        Elasticsearch keeps a document only when its version is higher than the stored one, so an
        older copy that arrives late can never replace a newer one. Returns (failed ids, stale ids):
        stale = the index already held a higher version (the caller re-queues those candidates so a
        fresh document with a fresh, higher version is sent; see search.outbox).
        """
        deletes = list(deletes)
        if not docs and not deletes:
            return set(), set()
        client = self.client.options(request_timeout=timeout) if timeout else self.client
        try:
            self.ensure_index(client)
            # every physical index of this alias: during a rebuild the new index gets the change too
            # (the rebuild only *creates* documents, so it never overwrites a newer one)
            indices = self.all_indices(client)
            failed: set[int] = set()
            stale: set[int] = set()
            actions = [a for index in indices for a in self._actions(index, docs, deletes, versions=versions)]
            for ok, item in helpers.streaming_bulk(
                client, actions, chunk_size=1000, raise_on_error=False,
                raise_on_exception=True, max_retries=0,
            ):
                if ok:
                    continue
                op = next(iter(item.values()))
                if op.get("status") == 404 and "delete" in item:
                    continue  # deleting what is not there is fine
                if op.get("status") == 409 and versions is not None:
                    stale.add(int(op.get("_id", 0)))  # a higher version is already there
                    continue
                failed.add(int(op.get("_id", 0)))
                log.warning("search: indexing candidate %s failed: %s", op.get("_id"), op.get("error"))
            if refresh:
                client.indices.refresh(index=self.alias)
            return failed, stale - failed
        except _UNAVAILABLE as exc:
            self.mark_down()
            raise SearchUnavailable(str(exc)) from exc
        except ApiError as exc:
            raise SearchUnavailable(str(exc)) from exc

    def index(self, docs: list[dict[str, Any]], *, refresh: bool = False) -> set[int]:
        return self.write(docs, refresh=refresh)

    def delete(self, ids: Iterable[int], *, refresh: bool = False) -> set[int]:
        return self.write([], ids, refresh=refresh)

    def refresh(self) -> None:
        self.client.indices.refresh(index=self.alias)

    def rebuild(self, documents: Iterable[dict[str, Any]] = (), *, chunk_size: int = 2000,
                threads: int | None = None, version: int = 0,
                bodies: Iterable[tuple[int, bytes]] | None = None) -> dict[str, Any]:
        """Fill a new index and swap the alias to it (no downtime); old indices are removed.

        The documents come either as `documents` (encoded here, `chunk_size` per bulk request) or as
        ready `bodies`, (count, `bulk_body(...)`) pairs built elsewhere (search.builders: in worker
        processes). `version` is the external version every rebuilt document gets (the outbox
        position the rebuild started from, see search.maintenance): a change drained into the new
        index while it is being built has a higher one and is never overwritten by the rebuild's
        older copy, nor is a deleted candidate brought back (the delete's tombstone wins).

        The report has `seconds` (all of it) and `build_seconds` (the time spent waiting for the
        next body, i.e. for documents read from the database and built): the difference is
        Elasticsearch's share (bulk requests not overlapped by building, refresh, swap).
        """
        started = time.perf_counter()
        threads = threads or max(2, os.cpu_count() or 2)
        name = self.new_index_name()
        self.create_index(name, bulk_load=True)
        if bodies is None:
            iterator = iter(documents)
            chunks = iter(lambda: list(itertools.islice(iterator, chunk_size)), [])
            bodies = ((len(chunk), bulk_body(chunk, version)) for chunk in chunks)
        count = 0
        errors = 0
        build_seconds = 0.0
        client = self.client.options(request_timeout=120)

        def send(body: bytes) -> int:
            resp = client.bulk(index=name, operations=body, filter_path="errors,items.*.status,items.*.error.type")
            if not resp.get("errors"):
                return 0
            # 409: the outbox drain already wrote a newer document (or a delete) into the new index; keep it
            return sum(1 for item in resp.get("items", ()) if next(iter(item.values())).get("status") not in (200, 201, 409))

        # Up to `threads` bulk requests are in flight while the next body is built (in the caller's
        # thread, which holds the app context and the session, or in worker processes).
        source = iter(bodies)
        try:
            with ThreadPoolExecutor(max_workers=threads) as pool:
                pending: list[Future[int]] = []
                while True:
                    t0 = time.perf_counter()
                    item = next(source, None)
                    build_seconds += time.perf_counter() - t0
                    if item is None:
                        break
                    n, body = item
                    if not n:
                        continue  # every candidate of that id range was deleted meanwhile
                    pending.append(pool.submit(send, body))
                    count += n
                    while len(pending) >= threads:
                        errors += pending.pop(0).result()
                for future in pending:
                    errors += future.result()
            self.client.indices.refresh(index=name)
        except BaseException:
            self.client.indices.delete(index=name, ignore_unavailable=True)
            raise
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()  # a generator's own clean-up (worker processes stop) also when a bulk failed
        old = [i for i in self.all_indices() if i != name]
        actions: list[dict[str, Any]] = [{"add": {"index": name, "alias": self.alias}}]
        actions += [{"remove": {"index": i, "alias": self.alias}} for i in old if self._has_alias(i)]
        self.client.indices.update_aliases(actions=actions)
        # searchable every second again, durable per request, and the configured replicas (copied
        # from the primaries now, which is cheaper than replicating every bulk request)
        self.client.indices.put_settings(index=name, settings={
            "refresh_interval": SETTINGS["refresh_interval"], "number_of_replicas": self.replicas,
            "translog.durability": "request",
        })
        for i in old:
            self.client.indices.delete(index=i, ignore_unavailable=True)
        return {"index": name, "documents": count, "errors": errors, "seconds": time.perf_counter() - started,
                "build_seconds": build_seconds}

    def _has_alias(self, index: str) -> bool:
        try:
            return self.alias in self.client.indices.get_alias(index=index).get(index, {}).get("aliases", {})
        except NotFoundError:
            return False

    # -- reading --------------------------------------------------------------------------
    def indexed_versions(self) -> dict[int, str | None]:
        """{id: updated_at} of every document (for `flask search check`)."""
        self.ensure_index()
        out: dict[int, str | None] = {}
        for hit in helpers.scan(self.client, index=self.alias, query={"query": {"match_all": {}}},
                                _source=["updated_at"], size=2000):
            out[int(hit["_id"])] = hit["_source"].get("updated_at")
        return out

    def indexed_documents(self, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        ids = [str(i) for i in ids]
        out: dict[int, dict[str, Any]] = {}
        for start in range(0, len(ids), 1000):
            resp = self.client.mget(index=self.alias, ids=ids[start:start + 1000])
            for doc in resp["docs"]:
                if doc.get("found"):
                    out[int(doc["_id"])] = doc["_source"]
        return out

    def stats(self) -> dict[str, Any]:
        index = self.current_index()
        count = self.client.count(index=self.alias)["count"] if index else 0
        return {"index": index, "alias": self.alias, "documents": count}

    def _filters(self, q: SearchQuery, now: dt.datetime) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        must: list[dict[str, Any]] = []
        filters: list[dict[str, Any]] = []
        must_not: list[dict[str, Any]] = []
        if q.scope is not None:
            filters.append(employer_scope_filter(q.scope.organisation_id, now))
        literal = " ".join(words(q.text))
        if literal:
            if q.scope is not None:
                must.append({"match": {"all_text": {"query": literal, "operator": "and"}}})
            else:
                must.append({"multi_match": {"query": literal, "fields": ["all_text", "first_name"],
                                             "type": "cross_fields", "operator": "and"}})
        for code in q.skills:
            filters.append({"term": {"skills": code}})
        if q.sectors:
            filters.append({"terms": {"sectors": list(q.sectors)}})
        for req in q.languages:
            filters.append(self._language_clause(req))
        for req in q.languages_not:
            must_not.append(self._language_clause(req))
        for day in q.days:
            filters.append({"term": {"availability_days": day}})
        if q.slots:
            filters.append({"terms": {"availability": list(q.slots)}})
        if q.municipalities:
            filters.append({"terms": {"municipality": list(q.municipalities)}})
        if q.statuses:
            filters.append({"terms": {"status": list(q.statuses)}})
        if q.consent_valid is True:
            filters.append(consent_valid_filter(now))
        elif q.consent_valid is False:
            must_not.append(consent_valid_filter(now))
        if q.near is not None and q.near.max_km is not None:
            filters.append({"geo_distance": {"distance": f"{q.near.max_km}km",
                                             "location": {"lat": q.near.lat, "lon": q.near.lon}}})
        if q.exclude_ids:
            must_not.append({"ids": {"values": [str(i) for i in q.exclude_ids]}})
        bool_query: dict[str, Any] = {"filter": filters}
        if must:
            bool_query["must"] = must
        if must_not:
            bool_query["must_not"] = must_not
        return [{"bool": bool_query}], filters

    @staticmethod
    def _language_clause(req: Any) -> dict[str, Any]:
        # a document has one keyword term per (language, skill) with the candidate's level; a
        # requirement accepts that level and every higher one (until mapping 6 a document held a
        # term for every level up to its own, 23 per language on average: half of the document).
        # The same language meets every named skill because the language code is in each term.
        clauses: list[dict[str, Any]] = [{"term": {"language_codes": req.code}}]
        clauses += [{"terms": {"language_levels": [f"{req.code}.{skill}.{at}" for at in range(level, _TOP_LEVEL + 1)]}}
                    for skill, level in req.min_levels if level > 0]
        return {"bool": {"filter": clauses}}

    def build_request(self, q: SearchQuery, *, any_skill: tuple[str, ...] = (),
                      facets: tuple[str, ...] = FACETS) -> dict[str, Any]:
        """The search request (keyword arguments of `Elasticsearch.search`). `any_skill`: only
        candidates with at least one of these skills (the first step of a tiered match); `facets`:
        which of the facets to aggregate when the query asks for facets."""
        now = q.now or dt.datetime.now(dt.timezone.utc)
        (query,), filters = self._filters(q, now)
        if any_skill:
            filters.append({"terms": {"skills": list(any_skill)}})
        sort: list[Any]
        if q.score is not None:
            query = self._score_query(query, q)
            sort = [{"_score": "desc"}, {"id": "asc"}]
        elif q.sort == "distance" and q.near is not None:
            sort = [{"_geo_distance": {"location": {"lat": q.near.lat, "lon": q.near.lon}, "order": "asc",
                                       "unit": "km", "distance_type": "arc"}}, {"id": "asc"}]
        elif q.sort == "recent" or not words(q.text):
            sort = [{"updated_at": {"order": "desc", "missing": "_last"}}, {"id": "desc"}]
        else:
            sort = [{"_score": "desc"}, {"updated_at": {"order": "desc", "missing": "_last"}}, {"id": "desc"}]
        body: dict[str, Any] = {
            "query": query, "sort": sort, "from_": q.offset, "size": q.limit, "track_total_hits": True,
            "source": False,
        }
        if q.facets:
            aggs: dict[str, Any] = {
                name: {"terms": {"field": _FACET_FIELDS[name], "size": FACET_SIZES[name]}}
                for name in facets if name in _FACET_FIELDS
            }
            if "consent_valid" in facets:
                aggs["consent_valid"] = {"filter": consent_valid_filter(now)}
            body["aggs"] = aggs
        return body

    def _score_query(self, query: dict[str, Any], q: SearchQuery) -> dict[str, Any]:
        spec = q.score
        assert spec is not None
        functions: list[dict[str, Any]] = [{"weight": scoring.BASE}]
        functions += [{"filter": {"term": {"skills": s}}, "weight": scoring.REQUIRED_SKILL} for s in spec.required_skills]
        functions += [{"filter": {"term": {"skills": s}}, "weight": scoring.NICE_SKILL} for s in spec.nice_skills]
        functions += [{"filter": {"term": {"availability": s}}, "weight": scoring.SLOT} for s in spec.slots]
        if spec.origin is not None:
            functions.append({
                "filter": {"exists": {"field": "location"}},
                "gauss": {"location": {"origin": {"lat": spec.origin.lat, "lon": spec.origin.lon},
                                       "scale": f"{scoring.SCALE_KM}km", "offset": f"{scoring.OFFSET_KM}km",
                                       "decay": scoring.DECAY}},
                "weight": scoring.DISTANCE,
            })
        return {"function_score": {"query": query, "functions": functions, "score_mode": "sum",
                                   "boost_mode": "replace"}}

    def search(self, q: SearchQuery) -> SearchResult:
        return self.search_many([q])[0]

    def search_many(self, queries: Sequence[SearchQuery]) -> list[SearchResult]:
        """Several searches in one round trip (`_msearch`: Elasticsearch runs them side by side).

        - A search with facets is asked as one request per group of facets (FACET_GROUPS): the page
          with the first group, each other group apart, aggregated side by side.
        - A scored query (placement matching) that names required skills is tiered: it is first
          asked of the candidates with at least one required skill (a few percent of the index),
          while its total is counted apart without scoring. When the page is full and its last score
          is above the highest score a candidate without a required skill can reach
          (`scoring.ceiling_without_required`), that page is exactly the page of the whole query:
          same candidates, same scores, same order. Otherwise the whole query is asked after all.
          Scoring all of a million candidates to keep 25 is what made matching slow (search/README.md).
        """
        if self.recently_down:
            # a failure a moment ago: answer "unavailable" at once instead of making every page
            # wait for the timeout again (the window is short; see mark_down)
            raise SearchUnavailable("search backend failed moments ago")
        now = dt.datetime.now(dt.timezone.utc)
        queries = [q if q.now is not None else replace(q, now=now) for q in queries]
        bodies: list[dict[str, Any]] = []
        plans: list[tuple[str, int, float]] = []  # (how, its first body, the ceiling when tiered)
        for q in queries:
            spec = q.score
            first = len(bodies)
            if spec is not None and spec.required_skills and not q.facets and q.limit > 0:
                plans.append(("tiered", first, scoring.ceiling_without_required(
                    nice_skills=spec.nice_skills, wanted_slots=spec.slots, has_origin=spec.origin is not None)))
                tier = self.build_request(q, any_skill=tuple(spec.required_skills))
                bodies.append({**tier, "track_total_hits": False})
                (count_query,), _ = self._filters(q, q.now)
                bodies.append({"query": count_query, "size": 0, "track_total_hits": True, "source": False})
            elif q.facets:
                plans.append(("faceted", first, 0.0))
                bodies.append(self.build_request(q, facets=FACET_GROUPS[0]))
                for group in FACET_GROUPS[1:]:
                    side = self.build_request(q, facets=group)
                    bodies.append({"query": side["query"], "aggs": side["aggs"], "size": 0, "track_total_hits": False,
                                   "source": False})
            else:
                plans.append(("plain", first, 0.0))
                bodies.append(self.build_request(q))
        answers = self._msearch(bodies)
        results: dict[int, SearchResult] = {}
        retry: list[int] = []
        for position, (q, (how, first, ceiling)) in enumerate(zip(queries, plans)):
            resp = answers[first]
            if how == "faceted" and resp is not None:
                sides = answers[first + 1:first + len(FACET_GROUPS)]
                if all(side is not None for side in sides):
                    resp["aggregations"] = {**resp.get("aggregations", {}),
                                            **{k: v for side in sides for k, v in side.get("aggregations", {}).items()}}
            if how != "tiered" or resp is None:
                results[position] = self._result(q, resp)
                continue
            hits, counted = resp["hits"]["hits"], answers[first + 1]
            if len(hits) == q.limit and counted is not None and float(hits[-1]["_score"] or 0) > ceiling + SCORE_MARGIN:
                results[position] = self._result(q, resp, total=int(counted["hits"]["total"]["value"]))
            else:
                retry.append(position)
        if retry:
            for position, resp in zip(retry, self._msearch([self.build_request(queries[i]) for i in retry])):
                results[position] = self._result(queries[position], resp)
        return [results[position] for position in range(len(queries))]

    def _msearch(self, bodies: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
        """One `_msearch` of `bodies` (keyword arguments of `search`); None for a missing index."""
        lines: list[dict[str, Any]] = []
        for body in bodies:
            rest = {{"from_": "from", "source": "_source"}.get(key, key): value for key, value in body.items()}
            lines += [{"index": self.alias}, rest]
        try:
            resp = self.client.msearch(searches=lines)
        except NotFoundError:
            return [None] * len(bodies)
        except _UNAVAILABLE as exc:
            self.mark_down()
            raise SearchUnavailable(str(exc)) from exc
        except ApiError as exc:
            log.error("search: query refused by Elasticsearch: %s", exc)
            raise SearchUnavailable(str(exc)) from exc
        out: list[dict[str, Any] | None] = []
        for item in resp["responses"]:
            if "error" not in item:
                out.append(item)
            elif item.get("status") == 404:
                out.append(None)
            else:
                log.error("search: query refused by Elasticsearch: %s", item["error"])
                raise SearchUnavailable(str(item["error"]))
        return out

    def _result(self, q: SearchQuery, resp: Mapping[str, Any] | None, *, total: int | None = None) -> SearchResult:
        if resp is None:
            return SearchResult(ids=[], total=0, facets={}, backend=self.name)
        hits = resp["hits"]["hits"]
        ids = [int(h["_id"]) for h in hits]
        if total is None:
            total = int(resp["hits"]["total"]["value"])
        result = SearchResult(ids=ids, total=total, backend=self.name)
        if q.score is not None:
            result.scores = {int(h["_id"]): float(h["_score"] or 0) for h in hits}
        if q.sort == "distance" and q.near is not None and q.score is None:
            result.distances = {int(h["_id"]): float(h["sort"][0]) for h in hits
                                if h.get("sort") and isinstance(h["sort"][0], (int, float)) and h["sort"][0] < 1e300}
        aggs = resp.get("aggregations") or {}
        if aggs:
            for name in _FACET_FIELDS:
                result.facets[name] = {str(b["key"]): int(b["doc_count"]) for b in aggs.get(name, {}).get("buckets", [])}
            yes = int(aggs.get("consent_valid", {}).get("doc_count", 0))
            result.facets["consent_valid"] = {"yes": yes, "no": result.total - yes}
            days = result.facets.get("days", {})
            result.facets["days"] = {d: days[d] for d in availability.DAYS if d in days}
        return result
