"""Case file benchmark: the account manager's start page and one candidate's timeline on PostgreSQL.

    eval "$(.venv/bin/python -m config.services env)"
    .venv/bin/python -m tests.benchmarks.bench_casefile            # --requests 50 --keep to keep the database

A database of its own is created on the server of DATABASE_URL (PostgreSQL), migrated, filled with
COPY: 100,000 candidates (owned by 2,000 account managers, 50 each, the measured one among them),
50,000 trajects at every stage, placement starts with their scheduled check-ins (some overdue,
some due this week) and 1,000,000 timeline entries (about ten per candidate; the measured candidate
has 400, so its page really needs the index). Then, through the Flask test client as that account
manager, at least 50 requests each of:
- the start page (/accountmanager: caseload by stage, on hold, check-ins due and overdue, target,
  plus every other area's panels),
- the candidate's staff page with its timeline, newest first (page 1, a later page, and filtered
  by kind),
and prints the median and p95 next to the goal (p95 below 150 ms), with the load average of the
machine before and after. `--profile` adds, for the start page, each panel's time and number of SQL
statements (building its data, and rendering its template), and the statements of each measured page.
The database is dropped at the end unless --keep; --reuse NAME measures again on a kept one.
Not collected by pytest.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

CANDIDATES = 100_000
TRAJECTS = 50_000
TIMELINE = 1_000_000
MANAGERS = 2_000
ORGANISATIONS = 200
PLACEMENTS = 2_000
MEASURED_ENTRIES = 400
PASSWORD = "bench-password-123"
GOAL_MS = 150.0


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return (values[lo] + (values[hi] - values[lo]) * (k - lo)) * 1000


def _copy(cursor: Any, table: str, columns: list[str], rows: Any) -> int:
    count = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def load(url: str, rng: random.Random) -> dict[str, Any]:
    """Fill the migrated database with COPY; returns the ids the measurement needs."""
    import psycopg

    from portal.accounts.passwords import hash_password
    from portal.trajects.models import STAGE_ORDER, TrajectStage

    now = dt.datetime.now(dt.timezone.utc)
    today = now.date()
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    timings: dict[str, float] = {}
    with psycopg.connect(plain) as conn, conn.cursor() as cur:
        t = time.perf_counter()
        password = hash_password(PASSWORD)
        _copy(cur, "users", ["id", "email", "password_hash", "name", "role", "active", "locale", "notification_mode",
                             "municipality", "created_at", "updated_at"],
              ((i, f"am{i}@bench.example", password, f"Accountmanager {i}", "account_manager", True, "nl",
                "immediate", "Zaanstad", now, now) for i in range(1, MANAGERS + 1)))
        _copy(cur, "organisations", ["id", "name", "kvk_number", "sector", "street_address", "postcode", "city",
                                     "municipality", "contact_name", "contact_email", "contact_phone", "status",
                                     "review_note", "created_at", "updated_at"],
              ((i, f"Werkgever {i}", f"{50000000 + i:08d}", "logistiek", "Havenweg 1", "1506 AB", "Zaandam", "Zaanstad",
                "Contact", f"c{i}@bench.example", "", "approved", "", now, now) for i in range(1, ORGANISATIONS + 1)))
        _copy(cur, "placements", ["id", "organisation_id", "type", "title", "tasks", "sector", "street_address", "postcode",
                                  "city", "municipality", "hours_per_week", "dayparts", "start_date", "places", "support",
                                  "offers", "pay_indication", "required_skills", "nice_to_have_skills", "dutch_listening",
                                  "dutch_reading", "dutch_spoken_interaction", "dutch_spoken_production", "dutch_writing",
                                  "allow_one_level_below_with_support", "language_tasks", "status", "published_at",
                                  "created_at", "updated_at"],
              ((i, 1 + i % ORGANISATIONS, "werkervaringsplek", f"Plek {i}", "", "logistiek", "Havenweg 1", "1506 AB",
                "Zaandam", "Zaanstad", 16, "[]", today, 30, "[]", "[]", "", "[]", "[]", 0, 0, 0, 0, 0, False, "[]",
                "published", now, now, now) for i in range(1, PLACEMENTS + 1)))
        statuses = ["published"] * 6 + ["ready", "intake", "placed", "paused"]
        _copy(cur, "candidates", ["id", "first_name", "surname", "date_of_birth", "municipality", "postcode_area",
                                  "mobility", "availability", "inburgering_status", "education_country", "ambitions",
                                  "support_needs", "owner_id", "status", "created_at", "updated_at"],
              ((i, f"Voornaam{i}", f"Achternaam{i}", dt.date(1990, 1, 1) + dt.timedelta(days=i % 9000), "Zaanstad",
                "1506", "[]", "[]", "b1_route", "", "", "", 1 + (i - 1) % MANAGERS, statuses[i % len(statuses)], now, now)
               for i in range(1, CANDIDATES + 1)))
        timings["users, organisations, placements, candidates"] = time.perf_counter() - t

        # Trajects: half the candidates have one, at every stage; unique per candidate x placement.
        t = time.perf_counter()
        stages = [s.value for s in STAGE_ORDER] + [TrajectStage.STOPPED.value]
        weights = [10, 10, 8, 8, 4, 6, 3, 6]
        trajects = []
        for n in range(1, TRAJECTS + 1):
            candidate_id = 2 * n - 1  # odd candidates: 50,000 of them
            placement_id = 1 + rng.randrange(PLACEMENTS)
            stage = rng.choices(stages, weights)[0]
            trajects.append((n, candidate_id, placement_id, 1 + placement_id % ORGANISATIONS, stage,
                             "other" if stage == "stopped" else None, "", False, "proposal", now, now,
                             now if stage in ("finished", "stopped") else None))
        _copy(cur, "trajects", ["id", "candidate_id", "placement_id", "organisation_id", "stage", "stop_reason",
                                "stop_note", "stopped_by_employer", "source", "opened_at", "stage_changed_at",
                                "closed_at"], trajects)
        started = [row for row in trajects if row[4] in ("started", "finished")]
        _copy(cur, "placement_starts", ["id", "traject_id", "start_date", "hours_per_week", "days", "placement_type",
                                        "jobcoach_name", "jobcoach_organisation", "buddy_name", "buddy_language_code",
                                        "recorded_at"],
              ((k, row[0], today - dt.timedelta(days=rng.randrange(1, 200)), 16, '["mon"]', "werkervaringsplek", "", "",
                "", "", now) for k, row in enumerate(started, start=1)))
        checkins = []
        cid = 0
        for k, row in enumerate(started, start=1):
            for moment, offset in (("week_1", -rng.randrange(0, 30)), ("week_6", rng.randrange(-10, 10)),
                                   ("month_3", rng.randrange(5, 60)), ("month_6", rng.randrange(60, 150))):
                cid += 1
                due = today + dt.timedelta(days=offset)
                done = now if offset < -3 and rng.random() < 0.7 else None
                checkins.append((cid, k, row[1], moment, due, done, "good" if done else None, "{}", "", now))
        _copy(cur, "aftercare_checkins", ["id", "start_id", "candidate_id", "moment", "due_on", "done_at", "assessment",
                                          "dutch_levels", "next_step", "created_at"], checkins)
        timings["trajects, starts, check-ins"] = time.perf_counter() - t

        # The measured account manager (user 1) and candidate (their first one, with a traject).
        measured_candidate = 1
        t = time.perf_counter()
        kinds = [("stage", "traject.stage_changed"), ("booking", "meetings.booked"), ("consent", "consent.recorded"),
                 ("proposal", "proposal.created"), ("outcome", "meetings.outcome_recorded"),
                 ("interest", "candidate.interest_recorded"), ("start", "placement_start.recorded")]

        def entries():
            n = 0
            for i in range(MEASURED_ENTRIES):
                n += 1
                kind, action = kinds[i % len(kinds)]
                yield (n, measured_candidate, now - dt.timedelta(minutes=i), kind, action, 2,
                       json.dumps({"placement_id": 1 + i % PLACEMENTS, "from_stage": "met", "to_stage": "trial",
                                   "outcome": "follow_up", "scope": "all_approved_employers",
                                   "expires_at": now.isoformat()}))
            while n < TIMELINE:
                n += 1
                kind, action = kinds[n % len(kinds)]
                yield (n, 2 + rng.randrange(CANDIDATES - 1), now - dt.timedelta(minutes=rng.randrange(500_000)),
                       kind, action, None, json.dumps({"placement_id": 1 + n % PLACEMENTS, "to_stage": "met"}))

        _copy(cur, "timeline_entries", ["id", "candidate_id", "at", "kind", "action", "actor_id", "details"], entries())
        timings["timeline entries"] = time.perf_counter() - t
        for table in ("users", "organisations", "placements", "candidates", "trajects", "placement_starts",
                      "aftercare_checkins", "timeline_entries"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        conn.commit()
        conn.autocommit = True
        t = time.perf_counter()
        cur.execute("VACUUM ANALYZE")
        timings["vacuum analyze"] = time.perf_counter() - t
    return {"manager_email": "am1@bench.example", "candidate_id": measured_candidate, "timings": timings}


def measure(client: Any, url: str, requests: int) -> tuple[float, float]:
    for _ in range(5):  # warm-up
        assert client.get(url).status_code == 200
    times = []
    for _ in range(requests):
        t = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - t)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000, pct(times, 0.95)


def load_average() -> str:
    try:
        return "load average %.2f, %.2f, %.2f" % os.getloadavg()
    except OSError:
        return "load average unknown"


class StatementCounter:
    """Counts the statements sent to the database while it is switched on (`before_cursor_execute`)."""

    def __init__(self, engine: Any) -> None:
        from sqlalchemy import event

        self.engine, self.count, self.statements = engine, 0, []
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.count += 1
        self.statements.append(statement)

    def reset(self) -> None:
        self.count, self.statements = 0, []

    def close(self) -> None:
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._seen)


def profile_panels(app: Any, email: str, rounds: int) -> None:
    """Each start-page panel of the account manager, run and rendered on its own: median ms and statements."""
    from flask import render_template_string
    from flask_login import login_user
    from sqlalchemy import select

    from portal.accounts.models import User
    from portal.core import db
    from portal.core.roles import Role
    from portal.home.panels import _PANELS

    counter = StatementCounter(app.extensions["portal.engine"])
    panels = sorted((p for p in _PANELS if p.role == Role.ACCOUNT_MANAGER), key=lambda p: (p.order, p.func.__name__))
    times: dict[str, list[tuple[float, float]]] = {p.func.__module__ + "." + p.func.__name__: [] for p in panels}
    statements: dict[str, tuple[int, int]] = {}
    try:
        for _ in range(rounds):
            with app.test_request_context("/accountmanager"):
                user = db.session.scalar(select(User).where(User.email == email))
                login_user(user)
                for item in panels:
                    name = item.func.__module__ + "." + item.func.__name__
                    counter.reset()
                    t = time.perf_counter()
                    result = item.func(user)
                    built, queries = time.perf_counter() - t, counter.count
                    rendered = 0.0
                    if result is not None:
                        counter.reset()
                        t = time.perf_counter()
                        render_template_string("{% with ctx = context %}{% include template %}{% endwith %}",
                                               template=result[0], context=result[1])
                        rendered = time.perf_counter() - t
                    statements[name] = (queries, counter.count if result is not None else 0)
                    times[name].append((built, rendered))
                db.session.remove()
    finally:
        counter.close()
    print(f"\n{'start-page panel (median of ' + str(rounds) + ')':<60} {'data ms':>8} {'stmts':>6} "
          f"{'render ms':>10} {'stmts':>6}")
    for name, values in times.items():
        built = statistics.median(v[0] for v in values) * 1000
        rendered = statistics.median(v[1] for v in values) * 1000
        print(f"{name:<60} {built:>8.1f} {statements[name][0]:>6} {rendered:>10.1f} {statements[name][1]:>6}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--reuse", metavar="NAME", help="measure on a database kept by an earlier --keep run")
    parser.add_argument("--profile", action="store_true",
                        help="also print each start-page panel's time and statements, and each page's statements")
    args = parser.parse_args(argv)
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgresql"):
        print("DATABASE_URL must point at PostgreSQL (eval \"$(.venv/bin/python -m config.services env)\")")
        return 2
    requests = max(50, args.requests)
    from sqlalchemy import create_engine, text

    from portal import create_app
    from portal.core import db, migrate

    name = args.reuse or f"bench_casefile_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    if not args.reuse:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.rsplit("/", 1)[0] + "/" + name
    keep = args.keep or bool(args.reuse)
    try:
        if args.reuse:  # brought up to the newest migration (indexes added since it was kept)
            engine = db.make_engine(url)
            with engine.begin() as connection:
                migrate.upgrade(connection)
            engine.dispose()
            ids = {"manager_email": "am1@bench.example", "candidate_id": 1}
        else:
            engine = db.make_engine(url)
            with engine.begin() as connection:
                migrate.upgrade(connection)
            engine.dispose()
            t = time.perf_counter()
            ids = load(url, random.Random(11))
            print(f"loaded {CANDIDATES:,} candidates, {TRAJECTS:,} trajects, {TIMELINE:,} timeline entries "
                  f"in {time.perf_counter() - t:.0f}s:")
            for step, seconds in ids["timings"].items():
                print(f"  {step}: {seconds:.1f}s")
        tmp = Path(tempfile.mkdtemp(prefix="bench-casefile-"))
        app = create_app({"PORTAL_ENV": "testing", "SECRET_KEY": "bench-secret-key-long-enough-0000000000",
                          "DATABASE_URL": url, "BACKGROUND_MODE": "manual",
                          "SEARCH_BACKEND": "database", "STORAGE_LOCAL_PATH": str(tmp / "media")}, environ={})
        client = app.test_client()
        import re

        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").get_data(as_text=True))
        response = client.post("/login", data={"email": ids["manager_email"], "password": PASSWORD,
                                               "csrf_token": token.group(1) if token else ""})
        assert response.status_code == 302, response.status_code
        page = client.get("/accountmanager").get_data(as_text=True)
        assert "actieve dossiers" in page, "the caseload panel is missing"
        detail = f"/kandidaten/beheer/{ids['candidate_id']}"
        assert 'id="tijdlijn"' in client.get(detail).get_data(as_text=True), "the timeline is missing"
        rows = [
            ("start page (/accountmanager)", "/accountmanager"),
            ("candidate timeline, page 1", detail),
            ("candidate timeline, page 10", detail + "?page=10"),
            ("candidate timeline, kind=stage", detail + "?soort=stage"),
        ]
        if args.profile:
            profile_panels(app, ids["manager_email"], 20)
            counter = StatementCounter(app.extensions["portal.engine"])
            print(f"\n{'page':<34} {'statements':>10}")
            for label, path in rows:
                counter.reset()
                client.get(path)
                print(f"{label:<34} {counter.count:>10}")
            counter.close()
        print(f"\n{load_average()} before measuring")
        print(f"{'page':<34} {'median ms':>10} {'p95 ms':>8} {'goal p95':>9}   ({requests} requests each, PostgreSQL)")
        worst = 0.0
        for label, path in rows:
            median, p95 = measure(client, path, requests)
            worst = max(worst, p95)
            verdict = "met" if p95 < GOAL_MS else "NOT met"
            print(f"{label:<34} {median:>10.1f} {p95:>8.1f} {'< %.0f' % GOAL_MS:>9}   {verdict}")
        print(f"{load_average()} after measuring")
        print(f"\ngoal: p95 below {GOAL_MS:.0f} ms each -> {'met' if worst < GOAL_MS else 'NOT met'} "
              f"(worst p95 {worst:.1f} ms)")
        app.extensions["portal.engine"].dispose()
    finally:
        if not keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        else:
            print(f"kept database {name}")
        admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
