"""Web figures for the search benchmark: gunicorn throughput of the main pages and statements per page.

Used by tests.benchmarks.bench_search (`--web`) on the database it has just filled; can also be
run alone against a migrated database with candidates:

    .venv/bin/python -m tests.benchmarks.bench_web --database-url sqlite:////tmp/x/bench.sqlite3

- throughput: gunicorn with 2 sync workers on a free loopback port; a load generator asks each page
  for a few seconds with 16 connections, three rounds; the median requests/second is printed with
  its ratio to /healthz measured in the same run, and the goal (each of gallery, candidate page and
  search page >= 0.25x /healthz) as met / not met. The load generator is `wrk` when it is on the
  PATH (C, two threads: it takes little of the CPU the server needs), else a small Python one
  (threads, one HTTP request at a time each; it competes with gunicorn for the cores and caps
  /healthz, so its ratios are lower than wrk's). `--load-generator` chooses; the output says which.
  Every answer must be 200 (a redirect to the login page would be a fast wrong answer).
- statements: each page once through the Flask test client, counting the SQL statements sent
  (SQLAlchemy before_cursor_execute).
Nothing outside the given database is touched; gunicorn is stopped at the end.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

PASSWORD = "bench-password-123"
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def client_login(client: Any, email: str) -> None:
    """Log a Flask test client in through the login form (with its CSRF token)."""
    token = CSRF_RE.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.status_code
EMPLOYER = "bench-employer@example.nl"
MANAGER = "bench-am@example.nl"


def create_bench_app() -> Any:
    """gunicorn's app factory: the portal with the settings in BENCH_APP_CONFIG (JSON)."""
    import gc

    from portal import create_app

    app = create_app(json.loads(os.environ["BENCH_APP_CONFIG"]), environ={})
    gc.freeze()  # as portal.wsgi does: start-up objects out of the collector's generations
    return app


def app_config(database_url: str, tmp: Path, **extra: Any) -> dict[str, Any]:
    return {
        "PORTAL_ENV": "testing", "SECRET_KEY": "bench-secret-key-long-enough-0000000000", "DATABASE_URL": database_url,
        "BACKGROUND_MODE": "manual", "STORAGE_LOCAL_PATH": str(tmp / "media"),
        "SEARCH_BACKEND": "database", "CANDIDATE_VIEWS_PER_HOUR": 10**9, "CANDIDATE_VIEWS_PER_DAY": 10**9,
        **extra,
    }


def prepare(app: Any) -> dict[str, Any]:
    """An approved organisation with an employer, an account manager, placements; the page URLs."""
    from sqlalchemy import select

    from portal.accounts.models import Organisation, OrganisationStatus, User
    from portal.accounts.passwords import hash_password
    from portal.candidates.models import Candidate
    from portal.candidates.visibility import visible_to_employer_clause
    from portal.core import db
    from portal.core.roles import Role

    with app.app_context():
        manager = db.session.scalar(select(User).where(User.email == MANAGER))
        if manager is None:
            manager = User(email=MANAGER, name="Bench AM", role=Role.ACCOUNT_MANAGER, password_hash=hash_password(PASSWORD))
            db.session.add(manager)
        organisation = db.session.scalar(select(Organisation).where(Organisation.name == "Bench BV"))
        if organisation is None:
            organisation = Organisation(name="Bench BV", kvk_number="99999999", sector="logistiek",
                                        street_address="Havenweg 1", postcode="1506 AB", city="Zaandam",
                                        municipality="Zaanstad", contact_name="Bench", contact_email="bench@example.nl",
                                        status=OrganisationStatus.APPROVED, reviewed_at=db.utcnow())
            db.session.add(organisation)
            db.session.flush()
            db.session.add(User(email=EMPLOYER, name="Bench Employer", role=Role.EMPLOYER, organisation_id=organisation.id,
                                password_hash=hash_password(PASSWORD)))
        db.commit()
        visible = list(db.session.scalars(
            select(Candidate.id).where(visible_to_employer_clause(organisation)).order_by(Candidate.id).limit(50)))
    assert visible, "no candidate visible to the benchmark employer"
    return {
        "healthz": (None, ["/healthz"]),
        "gallery": (EMPLOYER, ["/kandidaten"]),
        "candidate page": (EMPLOYER, [f"/kandidaten/{i}" for i in visible]),
        "search page": (MANAGER, ["/zoeken?" + urlencode(q) for q in (
            {"skill": "occ.warehouse_worker"}, {"lang0-code": "nl", "lang0-reading": "A2"}, {"q": "magazijn"},
            {"day": "mon"}, {})]),
        "placements": (MANAGER, ["/plekken/aanbod"]),
    }


def page_clients(app: Any, pages: dict[str, Any]) -> Iterator[tuple[str, Any, list[str]]]:
    """Each page of `pages` (name -> (user email or None, URLs)) with a Flask test client logged in as
    its user: one client per user, shared by that user's pages; None is an anonymous client."""
    clients: dict[str | None, Any] = {}
    for name, (user, urls) in pages.items():
        if user not in clients:
            clients[user] = client = app.test_client()
            if user:
                client_login(client, user)
        yield name, clients[user], urls


def statements_per_page(app: Any, pages: dict[str, Any]) -> dict[str, int]:
    from tests.statements import counting

    out = {}
    for name, client, urls in page_clients(app, pages):
        client.get(urls[0])  # warm-up
        with counting(app) as seen:
            response = client.get(urls[0])
        assert response.status_code == 200, (name, response.status_code)
        out[name] = len(seen)
    return out


def cpu_per_page(app: Any, pages: dict[str, Any], requests: int = 20) -> dict[str, float]:
    """CPU milliseconds per request of each page in this process (Flask test client, median of
    `requests`): a figure that a busy machine inflates much less than requests/second."""
    out = {}
    for name, client, urls in page_clients(app, pages):
        for url in urls[:3]:
            client.get(url)  # warm-up
        timings = []
        for i in range(requests):
            started = time.process_time()
            response = client.get(urls[i % len(urls)])
            timings.append((time.process_time() - started) * 1000)
            assert response.status_code == 200, (name, response.status_code)
        out[name] = statistics.median(timings)
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(port: int, path: str, cookie: str | None, method: str = "GET", body: str | None = None) -> Any:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    response.body = response.read()
    conn.close()
    return response


def _cookies(response: Any) -> str:
    return "; ".join(h.split(";", 1)[0] for k, h in response.getheaders() if k.lower() == "set-cookie")


def _login(port: int, email: str) -> str:
    form = _request(port, "/login", None)
    cookie = _cookies(form)
    token = CSRF_RE.search(form.body.decode()).group(1)
    response = _request(port, "/login", cookie, "POST",
                        urlencode({"email": email, "password": PASSWORD, "csrf_token": token}))
    assert response.status in (302, 303), response.status
    return _cookies(response) or cookie


def _load(port: int, urls: list[str], cookie: str | None, seconds: float, threads: int) -> tuple[float, float]:
    """(requests per second, p99 ms) of `threads` clients asking `urls` in turn for `seconds`."""
    done: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(offset: int) -> None:
        i = offset
        while time.perf_counter() < deadline:
            t = time.perf_counter()
            response = _request(port, urls[i % len(urls)], cookie)
            elapsed = time.perf_counter() - t
            with lock:
                (done.append(elapsed) if response.status == 200 else errors.append(response.status))
            i += 1

    started = time.perf_counter()
    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    wall = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{len(errors)} non-200 answers, e.g. {errors[0]} for {urls[0]}")
    done.sort()
    return len(done) / wall, done[int(len(done) * 0.99) - 1] * 1000 if done else float("nan")


#: wrk script: the page's URLs in turn, the session cookie, and a JSON line with the figures at the end
#: (requests, seconds, p99 in microseconds, answers other than 200 over all threads).
WRK_SCRIPT = """
local paths = {%(paths)s}
local threads = {}
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  i = id
  bad = 0
  wrk.headers["Cookie"] = %(cookie)s
end
function request()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local wrong = 0
  for _, thread in ipairs(threads) do wrong = wrong + thread:get("bad") end
  io.write(string.format('WRK {"requests": %%d, "seconds": %%f, "p99_us": %%d, "wrong": %%d, "errors": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(99), wrong,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))
end
"""


def _lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _load_wrk(port: int, urls: list[str], cookie: str | None, seconds: float, connections: int) -> tuple[float, float]:
    """(requests per second, p99 ms) from wrk with `connections` connections on 2 threads."""
    script = WRK_SCRIPT % {"paths": ", ".join(_lua_string(u) for u in urls), "cookie": _lua_string(cookie or "")}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        out = subprocess.run(
            ["wrk", "-t", "2", "-c", str(connections), "-d", f"{max(seconds, 1.0):.0f}s", "--timeout", "30s",
             "-s", handle.name, f"http://127.0.0.1:{port}"],
            capture_output=True, text=True, check=True, timeout=seconds + 60,
        ).stdout
    finally:
        os.unlink(handle.name)
    line = next((l for l in out.splitlines() if l.startswith("WRK ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no figures:\n{out}")
    figures = json.loads(line[4:])
    if not figures["requests"] and seconds < 30:  # nothing answered in time (a busy machine): once more, longer
        return _load_wrk(port, urls, cookie, seconds * 3, connections)
    if figures["wrong"]:
        raise RuntimeError(f"{figures['wrong']} answers other than 200 for {urls[0]}")
    if not figures["requests"]:
        return 0.0, float("nan")
    return figures["requests"] / figures["seconds"], figures["p99_us"] / 1000


def load_generator(choice: str = "auto") -> str:
    """"wrk" when asked for or (auto) when it is on the PATH, else "python"."""
    if choice == "wrk" and not shutil.which("wrk"):
        raise SystemExit("--load-generator wrk: wrk is not on the PATH (apt-get install wrk)")
    if choice == "auto":
        return "wrk" if shutil.which("wrk") else "python"
    return choice


def throughput(config: dict[str, Any], pages: dict[str, Any], *, workers: int = 2, threads: int = 16,
               seconds: float = 4.0, rounds: int = 3, generator: str = "auto") -> dict[str, tuple[float, float]]:
    """{page: (median req/s, median p99 ms)} under gunicorn; the pages in turn, `rounds` times."""
    generator = load_generator(generator)
    load = _load_wrk if generator == "wrk" else _load
    port = _free_port()
    env = {**os.environ, "BENCH_APP_CONFIG": json.dumps(config)}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "tests.benchmarks.bench_web:create_bench_app()"],
        env=env, cwd=str(Path(__file__).resolve().parents[2]),
    )
    try:
        for _ in range(200):
            try:
                if _request(port, "/healthz", None).status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        cookies = {user: _login(port, user) for user, _urls in pages.values() if user}
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in pages}
        for name, (user, urls) in pages.items():  # warm-up of both workers
            _load(port, urls, cookies.get(user), 1.0, 4)
        for _ in range(rounds):
            for name, (user, urls) in pages.items():
                samples[name].append(load(port, urls, cookies.get(user), seconds, threads))
        return {name: (statistics.median(s[0] for s in values), statistics.median(s[1] for s in values))
                for name, values in samples.items()}
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


#: the goal of issue 17: each of these pages at least this fraction of /healthz's requests/second
GOAL_RATIO = 0.25
GOAL_PAGES = ("gallery", "candidate page", "search page")


def web_figures(database_url: str, tmp: Path, *, search_backend: str = "database",
                elasticsearch_url: str | None = None, index_prefix: str | None = None, **options: Any) -> dict[str, Any]:
    """Statements per page and gunicorn throughput on `database_url`. With search_backend="elasticsearch"
    the candidates are indexed under `index_prefix` first (only that prefix is created and dropped)."""
    from portal import create_app

    extra: dict[str, Any] = {}
    if search_backend == "elasticsearch":
        if not elasticsearch_url:
            raise SystemExit("--search-backend elasticsearch needs --elasticsearch-url (or ELASTICSEARCH_URL)")
        extra = {"SEARCH_BACKEND": "elasticsearch", "ELASTICSEARCH_URL": elasticsearch_url,
                 "ELASTICSEARCH_INDEX_PREFIX": index_prefix or f"bench-web-{os.getpid()}", "ELASTICSEARCH_TIMEOUT": 30.0}
    config = app_config(database_url, tmp, **extra)
    app = create_app(config, environ={})
    pages = prepare(app)
    if search_backend == "elasticsearch":
        from portal.core.services import search_backend as backend
        from search.maintenance import reindex

        with app.app_context():
            backend().drop_all()
            reindex()
    try:
        statements = statements_per_page(app, pages)
        import gc

        gc.freeze()  # as each gunicorn worker does after start-up (portal.wsgi, create_bench_app)
        cpu = cpu_per_page(app, pages)
        generator = load_generator(options.pop("generator", "auto"))
        rates = throughput(config, pages, generator=generator, **options)
    finally:
        if search_backend == "elasticsearch":
            with app.app_context():
                backend().drop_all()
    return {"statements": statements, "throughput": rates, "generator": generator, "cpu": cpu,
            "load": os.getloadavg(), "search_backend": search_backend}


def print_web(figures: dict[str, Any], label: str) -> None:
    rates, statements = figures["throughput"], figures["statements"]
    base = rates["healthz"][0]
    generator = {"wrk": "wrk, 2 threads, 16 connections",
                 "python": "Python load generator, 16 threads (competes with gunicorn for the CPU)"}[figures.get("generator", "python")]
    load = figures.get("load")
    print(f"\ngunicorn, 2 workers, {label}, search backend {figures.get('search_backend', 'database')} "
          f"(median of 3 rounds; {generator}; load average after the run "
          f"{' '.join(f'{x:.2f}' for x in load) if load else '?'}, {os.cpu_count()} cpus):")
    cpu = figures.get("cpu") or {}
    print(f"{'page':<16} {'req/s':>8} {'x healthz':>10} {'p99 ms':>8} {'statements':>11} {'CPU ms':>7} {'CPU x':>6}  goal")
    if not base:
        print("(/healthz answered nothing within the measuring time: the machine is too busy for a throughput figure)")
    for name, (rate, p99) in rates.items():
        ratio = rate / base if base else float("nan")
        goal = ((f">= {GOAL_RATIO}x healthz: {'met' if ratio >= GOAL_RATIO else 'NOT met'}" if base else "n/a")
                if name in GOAL_PAGES else "")
        ms = cpu.get(name, float("nan"))
        times = ms / cpu["healthz"] if cpu.get("healthz") else float("nan")
        print(f"{name:<16} {rate:>8.1f} {ratio:>10.3f} {p99:>8.0f} {statements[name]:>11} {ms:>7.1f} {times:>6.1f}  {goal}")
    print("(CPU ms: CPU time per request in one process through the Flask test client, median of 20; "
          "CPU x: that as a multiple of /healthz's. Requests/second count; CPU ms show where a loaded machine distorts them.)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="a migrated database with candidates (its own)")
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--load-generator", choices=("auto", "wrk", "python"), default="auto",
                        help="auto: wrk when it is on the PATH, else the Python one")
    parser.add_argument("--search-backend", choices=("database", "elasticsearch"), default="database")
    parser.add_argument("--elasticsearch-url", default=os.environ.get("ELASTICSEARCH_URL"))
    parser.add_argument("--index-prefix", default=f"bench-web-{os.getpid()}",
                        help="Elasticsearch index prefix of this run (only it is created and dropped)")
    args = parser.parse_args(argv)
    if not os.environ.get("PORTAL_INSTANCE_PATH"):
        os.environ["PORTAL_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="bench-web-instance-")
    tmp = Path(tempfile.mkdtemp(prefix="bench-web-"))
    figures = web_figures(args.database_url, tmp, seconds=args.seconds, generator=args.load_generator,
                          search_backend=args.search_backend, elasticsearch_url=args.elasticsearch_url,
                          index_prefix=args.index_prefix)
    print_web(figures, args.database_url.split(":", 1)[0])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
