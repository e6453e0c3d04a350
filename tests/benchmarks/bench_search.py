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
  the first size's SQLite database (tests.benchmarks.bench_web).

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


def reset_postgres(url: str) -> None:
    """Empty the benchmark's own PostgreSQL database (refuses a database it did not create)."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    with engine.begin() as connection:
        tables = set(inspect(connection).get_table_names())
        if tables and "bench_search_marker" not in tables:
            raise SystemExit(f"{url.split('@')[-1]} is not empty and not a benchmark database: refusing to touch it")
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
        connection.execute(text("CREATE TABLE bench_search_marker (id integer)"))
    engine.dispose()


def run_size(n: int, backends: list[str], es_url: str | None, queries: int, database_url: str | None,
             prefix: str = "bench", label: str = "", keep: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    from portal import create_app
    from portal.accounts.models import User
    from portal.accounts.passwords import hash_password
    from portal.core import db, migrate
    from portal.core.roles import Role
    from portal.matching import operations
    from search import outbox, run, synthetic
    from search.maintenance import reindex

    tmp = Path(tempfile.mkdtemp(prefix=f"bench-search-{n}-"))
    if database_url and database_url.startswith("postgresql"):
        reset_postgres(database_url)
    url = database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    if keep is not None:
        keep.update(url=url, tmp=tmp)
    engine = db.make_engine(url)
    with engine.begin() as connection:
        migrate.upgrade(connection)
    engine.dispose()
    base = {"PORTAL_ENV": "testing", "SECRET_KEY": "bench-secret-key-long-enough-0000000000", "DATABASE_URL": url,
            "BACKGROUND_MODE": "manual", "STORAGE_LOCAL_PATH": str(tmp / "media")}
    setup_app = create_app({**base, "SEARCH_BACKEND": "database"}, environ={})
    with setup_app.app_context():
        owner = User(email="bench-am@example.nl", name="Bench AM", role=Role.ACCOUNT_MANAGER,
                     password_hash=hash_password("bench-password-123"))
        db.session.add(owner)
        db.session.commit()
        t0 = time.perf_counter()
        synthetic.generate(n, owner.id)
        gen_seconds = time.perf_counter() - t0
        db.session.execute(outbox.SearchOutbox.__table__.delete())
        db.session.commit()
    print(f"  generated {n} candidates in the database in {gen_seconds:.1f}s ({n / gen_seconds:.0f}/s)", flush=True)

    rows = []
    for name in backends:
        config = {**base, "SEARCH_BACKEND": name}
        if name == "elasticsearch":
            config.update({"ELASTICSEARCH_URL": es_url, "ELASTICSEARCH_INDEX_PREFIX": f"{prefix}-{n}",
                           "ELASTICSEARCH_TIMEOUT": 30.0})
        app = create_app(config, environ={})
        row: dict[str, Any] = {"size": n, "backend": name + label}
        with app.app_context():
            if name == "elasticsearch":
                from portal.core.services import search_backend

                search_backend().drop_all()
                report = reindex()
                row["index_rate"] = report["documents"] / report["seconds"]
                row["index_seconds"] = report["seconds"]
            else:
                row["index_rate"] = None
            rng = random.Random(7)
            # warm-up: caches, and the merges Elasticsearch runs right after a bulk load
            for _ in range(30):
                run(search_query_from_args(random_query_args(rng)))
            rng = random.Random(1)
            timings = []
            for _ in range(queries):
                q = search_query_from_args(random_query_args(rng))
                t = time.perf_counter()
                run(q)
                timings.append(time.perf_counter() - t)
            row["query_p50"], row["query_p95"] = pct(timings, 0.5), pct(timings, 0.95)
            timings = []
            for _ in range(queries):
                strict, below = operations.match_queries(synthetic_placement(rng), limit=25)
                t = time.perf_counter()
                run(strict)
                if below is not None:
                    run(below)
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
        rows.append(row)
        print(f"  {row['backend']}: " + ", ".join(f"{k} {v:.1f}" for k, v in row.items()
                                                if isinstance(v, float)), flush=True)
        if name == "elasticsearch":
            with app.app_context():
                from portal.core.services import search_backend

                search_backend().drop_all()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--backends", default="database,elasticsearch")
    parser.add_argument("--queries", type=int, default=60, help="timed queries/pages per measurement")
    parser.add_argument("--database-url", default=None, help="an EMPTY database to use instead of a temp SQLite file")
    parser.add_argument("--postgres-url", default=None,
                        help="the benchmark's own PostgreSQL database: the database backend runs there too")
    parser.add_argument("--es-sizes", default="", help="sizes for Elasticsearch only, e.g. 1000000")
    parser.add_argument("--index-prefix", default=f"bench-{os.getpid()}",
                        help="Elasticsearch index prefix of this run (nothing else is touched)")
    parser.add_argument("--web", action="store_true", help="gunicorn throughput and statements per page")
    args = parser.parse_args(argv)
    if not os.environ.get("PORTAL_INSTANCE_PATH"):
        os.environ["PORTAL_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="bench-instance-")
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    es_url = _es_url()
    if "elasticsearch" in backends and not es_url:
        print("no ELASTICSEARCH_URL (and no services env file): skipping the Elasticsearch backend", file=sys.stderr)
        backends.remove("elasticsearch")
    print(f"cpus: {os.cpu_count()}  database: {args.database_url or 'SQLite (temp file)'}  elasticsearch: {es_url or '-'}")
    results = []
    first: dict[str, Any] = {}
    web = None
    for n in [int(s) for s in args.sizes.split(",") if s.strip()]:
        print(f"size {n}:", flush=True)
        results += run_size(n, backends, es_url, args.queries, args.database_url, args.index_prefix,
                            keep=None if first else first)
        if args.web and web is None:
            from tests.benchmarks.bench_web import web_figures

            print("  gunicorn throughput and statements per page ...", flush=True)
            web = web_figures(first["url"], first["tmp"])
        if args.postgres_url and "database" in backends:
            results += run_size(n, ["database"], None, args.queries, args.postgres_url, args.index_prefix, " (PostgreSQL)")
    if "elasticsearch" in backends:
        for n in [int(s) for s in args.es_sizes.split(",") if s.strip()]:
            print(f"size {n} (Elasticsearch only):", flush=True)
            results += run_size(n, ["elasticsearch"], es_url, args.queries, None, args.index_prefix)
    print()
    header = (f"{'size':>8} {'backend':<24} {'index docs/s':>12} {'query p50':>9} {'p95':>7} {'match p50':>9} {'p95':>7} "
              f"{'page p50':>8} {'p95':>7} {'page p95 / ES':>13}  (ms)")
    print(header)
    es_page = {r["size"]: r["page_p95"] for r in results if r["backend"] == "elasticsearch"}
    for r in results:
        rate = f"{r['index_rate']:.0f}" if r["index_rate"] else "n/a"
        ratio = f"{r['page_p95'] / es_page[r['size']]:.1f}x" if r["size"] in es_page and r["backend"] != "elasticsearch" else ""
        print(f"{r['size']:>8} {r['backend']:<24} {rate:>12} {r['query_p50']:>9.1f} {r['query_p95']:>7.1f} "
              f"{r['match_p50']:>9.1f} {r['match_p95']:>7.1f} {r['page_p50']:>8.1f} {r['page_p95']:>7.1f} {ratio:>13}")
    if web is not None:
        from tests.benchmarks.bench_web import print_web

        print_web(web, f"SQLite, {next(iter(s for s in args.sizes.split(',') if s.strip()))} candidates")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
