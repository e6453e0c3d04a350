"""Search benchmark: synthetic candidates, indexed and queried with both backends in one run.

    .venv/bin/python -m tests.benchmarks.bench_search --sizes 10000,100000 --es-sizes 1000000 \
        --postgres-url postgresql+psycopg://USER:PW@127.0.0.1:55432/bench_search --web
    (Elasticsearch from ELASTICSEARCH_URL or the services env file; --backends database to skip it)

It touches only what it is given: its own temporary SQLite files, the PostgreSQL database of
--postgres-url (which must be empty or one this benchmark used before: it is wiped between sizes),
and Elasticsearch indices under its own --index-prefix (default `bench-<pid>`; only
`<prefix>-<size>-candidates-*` are created and deleted).

- --sizes: both backends (SQLite; plus the database backend on PostgreSQL with --postgres-url);
- --es-sizes: Elasticsearch only (e.g. 1000000; the documents still come from a SQLite database);
- --web: gunicorn throughput of the main pages (ratio to /healthz) and statements per page, on
  the first size's SQLite database (tests.benchmarks.bench_web);
- --keep: leave the databases (SQLite files in --data-dir, the --postgres-url database) and the
  Elasticsearch indices in place; --reuse: measure again with what a --keep run left (same
  --index-prefix, --data-dir and --postgres-url), building only what is missing or unfinished.
  SQLite sizes above 100,000 are built as copies of the generated 100,000 (ids shifted).

It prints the goals of issue 17 with met / NOT met and the load average next to every figure.

For each size: a fresh, migrated SQLite database (or --database-url for PostgreSQL) gets N
synthetic candidates (search.synthetic); then per backend:
- bulk indexing rate: `flask search reindex` work (documents built from the database + bulk +
  alias swap), documents per second. The database backend has no index (n/a).
- p50/p95 of the search page's query with facets (random skill / Dutch level / days / text mixes),
- p50/p95 of the placement match query (strict + "just below" queries, scored),
- p50/p95 of the full search page render through the Flask test client (logged-in account manager).
Not collected by pytest (no test_ prefix); prints a table.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any


def _es_url() -> str | None:
    if os.environ.get("ELASTICSEARCH_URL"):
        return os.environ["ELASTICSEARCH_URL"]
    env = Path(os.environ.get("PORTAL_SERVICES_DIR") or "/tmp/portal-services") / "services.env"
    try:
        for line in env.read_text().splitlines():
            if line.startswith("ELASTICSEARCH_URL="):
                return line.split("=", 1)[1].strip()
    except OSError:
        pass
    return None


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return (values[lo] + (values[hi] - values[lo]) * (k - lo)) * 1000


def random_query_args(rng: random.Random) -> dict[str, Any]:
    from portal import reference

    skills = [s.code for s in reference.skills("occupation")][:40]
    args: dict[str, Any] = {}
    if rng.random() < 0.7:
        args["skill"] = rng.choice(skills)
    if rng.random() < 0.7:
        args["lang0-code"] = "nl"
        args[f"lang0-{rng.choice(reference.LANGUAGE_SKILLS)}"] = rng.choice(["A1", "A2", "B1"])
    if rng.random() < 0.4:
        args["day"] = rng.choice(["mon", "tue", "wed", "thu", "fri"])
    if rng.random() < 0.3:
        args["q"] = rng.choice(["magazijn", "zorg", "koken", "bakker", "schoonmaak", "chauffeur"])
    if rng.random() < 0.3:
        args["postcode"], args["km"], args["sort"] = "1506", "20", "distance"
    if rng.random() < 0.3:
        args["consent"] = "yes"
    return args


def search_query_from_args(args: dict[str, Any]) -> Any:
    from werkzeug.datastructures import MultiDict

    from portal.matching.forms import CandidateSearchForm
    from portal.matching.views import build_query

    form = CandidateSearchForm(MultiDict(args))
    assert form.validate(), form.all_errors()
    return build_query(form, 1, 20)


def synthetic_placement(rng: random.Random) -> Any:
    from portal import reference

    skills = [s.code for s in reference.skills("occupation")][:40]
    levels = {s: rng.choice([0, 1, 2, 2, 3]) for s in reference.LANGUAGE_SKILLS}
    return SimpleNamespace(
        id=0, dutch_levels=levels, allow_one_level_below_with_support=rng.random() < 0.5, support=["jobcoach"],
        required_skills=rng.sample(skills, 1), nice_to_have_skills=rng.sample(skills, 2),
        dayparts=["mon_morning", "tue_morning", "wed_afternoon"], postcode="1506 EC", other_languages=[],
    )


MARKER = "bench_search_marker"


def reset_postgres(url: str) -> None:
    """Empty the benchmark's own PostgreSQL database (refuses a database it did not create)."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    with engine.begin() as connection:
        tables = set(inspect(connection).get_table_names())
        if tables and MARKER not in tables:
            raise SystemExit(f"{url.split('@')[-1]} is not empty and not a benchmark database: refusing to touch it")
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
        connection.execute(text(f"CREATE TABLE {MARKER} (id integer)"))
    engine.dispose()


def generated_size(url: str) -> int | None:
    """The number of candidates a finished earlier run left in this database (None: none / unfinished)."""
    from sqlalchemy import create_engine, inspect, text

    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        return None
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if MARKER not in set(inspect(connection).get_table_names()):
                return None
            return connection.scalar(text(f"SELECT max(id) FROM {MARKER}"))
    finally:
        engine.dispose()


def load_avg() -> str:
    try:
        return "/".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


#: SQLite sizes above this (multiples of it) are built as copies of a generated set of this size
#: with shifted ids: SQL copying is ~50x faster than generating a million candidates in Python,
#: and the copies keep the generated set's proportions (skills, levels, days, places, consents)
REPLICATE_FROM = 100_000


def replicate_sqlite(source: Path, target: Path, n: int) -> None:
    """`target` = `source` (REPLICATE_FROM candidates) repeated n / REPLICATE_FROM times, ids shifted."""
    import sqlite3

    target.unlink(missing_ok=True)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    src.backup(dst)  # schema, migrations, the account manager and the first copy
    src.close()
    dst.execute("ATTACH DATABASE ? AS src", (str(source),))

    def columns(table: str) -> list[str]:
        return [row[1] for row in dst.execute(f"PRAGMA main.table_info({table})")]

    consent_max = dst.execute("SELECT coalesce(max(id), 0) FROM src.consents").fetchone()[0]
    shifted = {
        "candidates": {"id": "id + :off", "first_name": "'Synth' || (id + :off)", "surname": "'Kandidaat' || (id + :off)"},
        "candidate_languages": {"id": None, "candidate_id": "candidate_id + :off"},
        "candidate_skills": {"candidate_id": "candidate_id + :off"},
        "candidate_sector_interests": {"candidate_id": "candidate_id + :off"},
        "consents": {"id": "id + :coff", "candidate_id": "candidate_id + :off"},
    }
    for k in range(1, n // REPLICATE_FROM):
        params = {"off": k * REPLICATE_FROM, "coff": k * consent_max}
        for table, changes in shifted.items():
            cols = [c for c in columns(table) if changes.get(c, c) is not None]
            values = [changes.get(c, c) for c in cols]
            dst.execute(f"INSERT INTO main.{table} ({', '.join(cols)}) SELECT {', '.join(values)} FROM src.{table}", params)
        dst.commit()
    dst.execute(f"DELETE FROM main.{MARKER}")
    dst.execute(f"INSERT INTO main.{MARKER} (id) VALUES (?)", (n,))
    dst.commit()
    dst.close()


def prepare_database(n: int, url: str, tmp: Path, reuse: bool) -> bool:
    """A migrated database with `n` synthetic candidates and the benchmark's account manager.

    Returns True when an earlier run's database was reused (nothing generated).
    """
    from sqlalchemy import text

    from portal import create_app
    from portal.accounts.models import User
    from portal.accounts.passwords import hash_password
    from portal.core import db, migrate
    from portal.core.roles import Role
    from search import outbox, synthetic

    reused = reuse and generated_size(url) == n
    copied = False
    if not reused and url.startswith("sqlite:///") and n > REPLICATE_FROM and n % REPLICATE_FROM == 0:
        source = tmp / f"candidates-{REPLICATE_FROM}.sqlite3"
        prepare_database(REPLICATE_FROM, f"sqlite:///{source}", tmp, reuse=True)
        t0 = time.perf_counter()
        replicate_sqlite(source, Path(url[len("sqlite:///"):]), n)
        print(f"  built {n} candidates as {n // REPLICATE_FROM} copies of the {REPLICATE_FROM} in "
              f"{time.perf_counter() - t0:.1f}s", flush=True)
        reused = copied = True
    elif not reused:
        if url.startswith("postgresql"):
            reset_postgres(url)
        elif url.startswith("sqlite:///"):
            Path(url[len("sqlite:///"):]).unlink(missing_ok=True)
    engine = db.make_engine(url)
    with engine.begin() as connection:
        migrate.upgrade(connection)  # a reused database gets any newer migration too
    engine.dispose()
    if reused:
        if not copied:
            print(f"  reusing the {n} candidates an earlier --keep run left in {url.split('@')[-1]}", flush=True)
        return True
    base = {"PORTAL_ENV": "testing", "SECRET_KEY": "bench-secret-key-long-enough-0000000000", "DATABASE_URL": url,
            "BACKGROUND_MODE": "manual", "STORAGE_LOCAL_PATH": str(tmp / "media"), "SEARCH_BACKEND": "database"}
    setup_app = create_app(base, environ={})
    with setup_app.app_context():
        owner = User(email="bench-am@example.nl", name="Bench AM", role=Role.ACCOUNT_MANAGER,
                     password_hash=hash_password("bench-password-123"))
        db.session.add(owner)
        db.session.commit()
        t0 = time.perf_counter()
        synthetic.generate(n, owner.id)
        gen_seconds = time.perf_counter() - t0
        db.session.execute(outbox.SearchOutbox.__table__.delete())
        db.session.execute(text(f"CREATE TABLE IF NOT EXISTS {MARKER} (id integer)"))
        db.session.execute(text(f"DELETE FROM {MARKER}"))
        db.session.execute(text(f"INSERT INTO {MARKER} (id) VALUES (:n)"), {"n": n})
        db.session.commit()
        if db.session.get_bind().dialect.name == "postgresql":  # autovacuum would, some time after a bulk load
            db.session.execute(text("ANALYZE"))
        else:
            db.refresh_planner_statistics()  # what every worker's periodic task does
        db.session.commit()
    print(f"  generated {n} candidates in the database in {gen_seconds:.1f}s ({n / gen_seconds:.0f}/s)", flush=True)
    return False


def _index_state_file(tmp: Path) -> Path:
    return tmp / "indices.json"


def _wait_for_merges(backend: Any, limit: float = 900.0) -> float:
    """Seconds until Elasticsearch has no merge running on the new index (they follow a bulk load
    and take the cores for minutes: timings taken during them measure the merges)."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        stats = backend.client.indices.stats(index=backend.alias, metric="merge")
        if not stats["_all"]["total"]["merges"]["current"]:
            break
        time.sleep(2)
    return time.perf_counter() - started


def _primaries(backend: Any, index: str) -> int:
    settings = backend.client.indices.get_settings(index=index)[index]["settings"]["index"]
    return int(settings["number_of_shards"])


def run_size(n: int, backends: list[str], es_url: str | None, queries: int, database_url: str | None,
             prefix: str = "bench", label: str = "", keep: dict[str, Any] | None = None,
             data_dir: Path | None = None, keep_data: bool = False, reuse: bool = False,
             es_shards: int = 1) -> list[dict[str, Any]]:
    import json

    from portal import create_app
    from portal.matching import operations
    from search import run, run_many
    from search.maintenance import reindex

    tmp = data_dir or Path(tempfile.mkdtemp(prefix=f"bench-search-{n}-"))
    tmp.mkdir(parents=True, exist_ok=True)
    url = database_url or f"sqlite:///{tmp / f'candidates-{n}.sqlite3'}"
    if keep is not None:
        keep.update(url=url, tmp=tmp)
    prepare_database(n, url, tmp, reuse)
    base = {"PORTAL_ENV": "testing", "SECRET_KEY": "bench-secret-key-long-enough-0000000000", "DATABASE_URL": url,
            "BACKGROUND_MODE": "manual", "STORAGE_LOCAL_PATH": str(tmp / "media")}

    rows = []
    for name in backends:
        config = {**base, "SEARCH_BACKEND": name}
        if name == "elasticsearch":
            config.update({"ELASTICSEARCH_URL": es_url, "ELASTICSEARCH_INDEX_PREFIX": f"{prefix}-{n}",
                           "ELASTICSEARCH_TIMEOUT": 30.0, "ELASTICSEARCH_SHARDS": es_shards})
        app = create_app(config, environ={})
        row: dict[str, Any] = {"size": n, "backend": name + label, "index_rate": None}
        with app.app_context():
            if name == "elasticsearch":
                from search import current_backend

                backend = current_backend()
                state_file = _index_state_file(tmp)
                state = json.loads(state_file.read_text()) if state_file.exists() else {}
                earlier = state.get(backend.alias)
                current = backend.current_index()
                if (reuse and earlier and current == earlier.get("index")
                        and backend.stats()["documents"] == n and _primaries(backend, current) == es_shards):
                    print(f"  reusing index {current} (built by an earlier --keep run: "
                          f"{earlier['rate']:.0f} docs/s at load {earlier.get('load', '?')})", flush=True)
                    row.update(index_rate=earlier["rate"], bulk_rate=earlier.get("bulk_rate"), index_reused=True)
                else:
                    backend.drop_all()
                    load = load_avg()
                    report = reindex()
                    row["index_rate"] = report["documents"] / report["seconds"]
                    row["index_seconds"] = report["seconds"]
                    if report.get("build_seconds") is not None:
                        # the same documents per second of Elasticsearch alone (the time the rebuild
                        # waited for bulk requests, with the document building taken out)
                        es_seconds = max(report["seconds"] - report["build_seconds"], 1e-9)
                        row["bulk_rate"] = report["documents"] / es_seconds if report["build_seconds"] else None
                        print(f"  reindex: {report['documents']} docs in {report['seconds']:.1f}s, of which "
                              f"{report['build_seconds']:.1f}s building documents from the database "
                              f"(load {load} -> {load_avg()})", flush=True)
                    waited = _wait_for_merges(backend)
                    print(f"  waited {waited:.0f}s for the merges after the bulk load", flush=True)
                    state[backend.alias] = {"index": report["index"], "rate": row["index_rate"],
                                            "bulk_rate": row.get("bulk_rate"), "load": load}
                    state_file.write_text(json.dumps(state))
            row["load"] = load_avg()
            rng = random.Random(7)
            # warm-up: caches (the merges after a bulk load were waited for above)
            for _ in range(30):
                run(search_query_from_args(random_query_args(rng)))
            rng = random.Random(1)
            timings = []
            slowest: tuple[float, Any] = (0.0, None)
            for _ in range(queries):
                q = search_query_from_args(random_query_args(rng))
                t = time.perf_counter()
                run(q)
                timings.append(time.perf_counter() - t)
                slowest = max(slowest, (timings[-1], q), key=lambda pair: pair[0])
            row["query_p50"], row["query_p95"] = pct(timings, 0.5), pct(timings, 0.95)
            if name == "elasticsearch" and slowest[1] is not None:
                print_profile(slowest[1])
            timings = []
            for _ in range(queries):
                strict, below = operations.match_queries(synthetic_placement(rng), limit=25)
                t = time.perf_counter()
                run_many([strict] if below is None else [strict, below])  # as the placement page asks
                timings.append(time.perf_counter() - t)
            row["match_p50"], row["match_p95"] = pct(timings, 0.5), pct(timings, 0.95)
        client = app.test_client()
        from tests.benchmarks.bench_web import client_login

        client_login(client, "bench-am@example.nl")
        from urllib.parse import urlencode

        timings = []
        rng = random.Random(3)
        for i in range(queries + 5):
            args = random_query_args(rng)
            t = time.perf_counter()
            response = client.get("/zoeken?" + urlencode(args))
            elapsed = time.perf_counter() - t
            assert response.status_code == 200, (response.status_code, args)
            assert b"tijdelijk niet beschikbaar" not in response.data
            if i >= 5:
                timings.append(elapsed)
        row["page_p50"], row["page_p95"] = pct(timings, 0.5), pct(timings, 0.95)
        row["load"] += " -> " + load_avg()
        rows.append(row)
        print(f"  {row['backend']}: " + ", ".join(f"{k} {v:.1f}" for k, v in row.items()
                                                if isinstance(v, float)) + f" (load {row['load']})", flush=True)
        if name == "elasticsearch" and not keep_data:
            with app.app_context():
                from search import current_backend

                current_backend().drop_all()
    return rows


def print_profile(q: Any) -> None:
    """Where Elasticsearch spends the time of a search-page query (the profile API), in one line each."""
    from search import current_backend

    backend = current_backend()
    body = backend.build_request(q)
    resp = backend.client.search(index=backend.alias, profile=True, **body)
    for shard in resp["profile"]["shards"]:
        searches = shard.get("searches", [])
        query_ns = sum(part["time_in_nanos"] for s in searches for part in s.get("query", []))
        collect_ns = sum(c["time_in_nanos"] for s in searches for c in s.get("collector", []))
        aggs = sorted(((a["description"], a["time_in_nanos"]) for a in shard.get("aggregations", [])),
                      key=lambda pair: -pair[1])
        print(f"  profile of the slowest query (took {resp['took']} ms, {resp['hits']['total']['value']} hits): "
              f"query {query_ns / 1e6:.1f} ms, collectors {collect_ns / 1e6:.1f} ms, aggregations "
              + ", ".join(f"{d} {ns / 1e6:.1f}" for d, ns in aggs) + " ms", flush=True)


#: the issue's goals: (size, backend family, figure, comparison, limit)
ES_GOALS = [("query_p95", "<", 80.0), ("match_p95", "<", 100.0), ("page_p95", "<", 150.0), ("index_rate", ">=", 5000.0)]
ES_GOAL_SIZE = 1_000_000
DB_GOAL_SIZE = 100_000
DB_GOAL_RATIO = 5.0


def goal_lines(results: list[dict[str, Any]]) -> list[str]:
    lines = []
    for r in results:
        if r["backend"].startswith("elasticsearch") and r["size"] == ES_GOAL_SIZE:
            for key, op, limit in ES_GOALS:
                value = r.get(key)
                if value is None:
                    continue
                met = value < limit if op == "<" else value >= limit
                unit = "docs/s" if key == "index_rate" else "ms"
                lines.append(f"Elasticsearch {r['size']:,} {key:<10} {value:>9.1f} {unit:<6} goal {op} {limit:,.0f}: "
                             f"{'met' if met else 'NOT met'}")
    es_page = {r["size"]: r["page_p95"] for r in results if r["backend"] == "elasticsearch"}
    for r in results:
        if r["backend"].startswith("database") and r["size"] == DB_GOAL_SIZE:
            if r["size"] not in es_page:
                lines.append(f"{r['backend']} {r['size']:,}: no Elasticsearch run at this size to compare with")
                continue
            ratio = r["page_p95"] / es_page[r["size"]]
            lines.append(f"{r['backend']} {r['size']:,} page p95 {r['page_p95']:.1f} ms = {ratio:.1f}x Elasticsearch "
                         f"({es_page[r['size']]:.1f} ms), goal <= {DB_GOAL_RATIO:.0f}x: "
                         f"{'met' if ratio <= DB_GOAL_RATIO else 'NOT met'}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--backends", default="database,elasticsearch")
    parser.add_argument("--queries", type=int, default=60, help="timed queries/pages per measurement")
    parser.add_argument("--database-url", default=None, help="an EMPTY database to use instead of a temp SQLite file")
    parser.add_argument("--postgres-url", default=None,
                        help="the benchmark's own PostgreSQL database: the database backend runs there too")
    parser.add_argument("--es-sizes", default="", help="sizes for Elasticsearch only, e.g. 1000000")
    parser.add_argument("--es-shards", type=int, default=1,
                        help="primary shards of the --es-sizes indices (ELASTICSEARCH_SHARDS; search/README.md, Sizing)")
    parser.add_argument("--index-prefix", default=None,
                        help="Elasticsearch index prefix of this run (nothing else is touched; default bench-<pid>)")
    parser.add_argument("--data-dir", default=None,
                        help="where the SQLite databases go (default: a new temp dir; with --keep/--reuse: "
                             "<temp>/bench-search-<index prefix>)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the databases and the Elasticsearch indices for a later --reuse run")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse the databases and indices of an earlier --keep run with the same --index-prefix, "
                             "--data-dir and --postgres-url (what is missing or incomplete is built); implies --keep")
    parser.add_argument("--web", action="store_true", help="gunicorn throughput and statements per page")
    args = parser.parse_args(argv)
    if args.reuse:
        args.keep = True
    if args.index_prefix is None:
        if args.keep:
            parser.error("--keep/--reuse need an explicit --index-prefix")
        args.index_prefix = f"bench-{os.getpid()}"
    data_dir = Path(args.data_dir) if args.data_dir else (
        Path(tempfile.gettempdir()) / f"bench-search-{args.index_prefix}" if args.keep else None)
    if not os.environ.get("PORTAL_INSTANCE_PATH"):
        os.environ["PORTAL_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="bench-instance-")
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    es_url = _es_url()
    if "elasticsearch" in backends and not es_url:
        print("no ELASTICSEARCH_URL (and no services env file): skipping the Elasticsearch backend", file=sys.stderr)
        backends.remove("elasticsearch")
    print(f"cpus: {os.cpu_count()}  load average (1/5/15 min): {load_avg()}  database: "
          f"{args.database_url or 'SQLite'}{f' in {data_dir}' if data_dir else ''}  elasticsearch: {es_url or '-'}"
          f"  index prefix: {args.index_prefix}{'  (keep)' if args.keep else ''}{'  (reuse)' if args.reuse else ''}")
    started = load_avg()
    common = dict(data_dir=data_dir, keep_data=args.keep, reuse=args.reuse)
    results = []
    first: dict[str, Any] = {}
    web = None
    for n in [int(s) for s in args.sizes.split(",") if s.strip()]:
        print(f"size {n}:", flush=True)
        results += run_size(n, backends, es_url, args.queries, args.database_url, args.index_prefix,
                            keep=None if first else first, **common)
        if args.web and web is None:
            from tests.benchmarks.bench_web import web_figures

            print("  gunicorn throughput and statements per page ...", flush=True)
            web = web_figures(first["url"], first["tmp"])
        if args.postgres_url and "database" in backends:
            results += run_size(n, ["database"], None, args.queries, args.postgres_url, args.index_prefix,
                                " (PostgreSQL)", **common)
    if "elasticsearch" in backends:
        for n in [int(s) for s in args.es_sizes.split(",") if s.strip()]:
            print(f"size {n} (Elasticsearch only):", flush=True)
            results += run_size(n, ["elasticsearch"], es_url, args.queries, None, args.index_prefix,
                                f" ({args.es_shards} primaries)" if args.es_shards != 1 else "",
                                es_shards=args.es_shards, **common)
    print()
    header = (f"{'size':>8} {'backend':<24} {'index docs/s':>12} {'bulk docs/s':>11} {'query p50':>9} {'p95':>7} "
              f"{'match p50':>9} {'p95':>7} {'page p50':>8} {'p95':>7} {'page p95 / ES':>13}  (ms)  load average")
    print(header)
    es_page = {r["size"]: r["page_p95"] for r in results if r["backend"] == "elasticsearch"}
    for r in results:
        rate = f"{r['index_rate']:.0f}" if r["index_rate"] else "n/a"
        bulk = f"{r['bulk_rate']:.0f}" if r.get("bulk_rate") else "n/a"
        if r.get("index_reused"):
            rate, bulk = rate + "*", bulk + "*"
        ratio = f"{r['page_p95'] / es_page[r['size']]:.1f}x" if r["size"] in es_page and r["backend"] != "elasticsearch" else ""
        print(f"{r['size']:>8} {r['backend']:<24} {rate:>12} {bulk:>11} {r['query_p50']:>9.1f} {r['query_p95']:>7.1f} "
              f"{r['match_p50']:>9.1f} {r['match_p95']:>7.1f} {r['page_p50']:>8.1f} {r['page_p95']:>7.1f} {ratio:>13}"
              f"  {r['load']}")
    print("index docs/s: the whole `flask search reindex` (documents built from the database + bulk + alias swap);"
          " bulk docs/s: the same documents over the time not spent building them (Elasticsearch's share)."
          + (" *: indexed by the earlier --keep run (its figure)." if any(r.get("index_reused") for r in results) else ""))
    print()
    print(f"Goals (load average at start {started}, now {load_avg()}; 2 cores: above ~2 the figures are inflated):")
    for line in goal_lines(results) or ["(no Elasticsearch run at 1,000,000 nor database run at 100,000 in this run)"]:
        print("  " + line)
    if web is not None:
        from tests.benchmarks.bench_web import print_web

        print_web(web, f"SQLite, {next(iter(s for s in args.sizes.split(',') if s.strip()))} candidates")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
