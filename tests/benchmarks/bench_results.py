"""Results dashboard benchmark on PostgreSQL: 100,000 candidates, 50,000 trajects, 1,000,000 timeline entries.

    .venv/bin/python -m tests.benchmarks.bench_results            # needs `make services` (PostgreSQL)
    .venv/bin/python -m tests.benchmarks.bench_results --requests 50 --candidates 100000
    .venv/bin/python -m tests.benchmarks.bench_results --keep dev --profile   # keep the filled database (and
                                     # reuse it next time: filling takes minutes); --drop dev removes it

Creates its own database on the server of DATABASE_URL (or the services env file), migrates it,
fills it with SQL (generate_series: candidates over ten municipalities with a first publication
spread over two years, consents, interests, follow-ups, placements, trajects with stage changes,
proposals, starts, aftercare check-ins and results, events, timeline entries), then requests the
dashboard page (`/resultaten`, this year, and a variant per quarter / municipality / breakdown)
through the Flask test client as a logged-in WSP user and prints median and p95 next to the goal
(p95 below 300 ms) and the load average. The database is dropped at the end unless --keep names it.
--profile also times each indicator on its own (the first one includes building the summary tables).
Not collected by pytest (no test_ prefix).
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text


def _server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql"):
        env = Path(os.environ.get("PORTAL_SERVICES_DIR") or "/tmp/portal-services") / "services.env"
        for line in env.read_text().splitlines() if env.exists() else []:
            if line.startswith("DATABASE_URL="):
                url = line.split("=", 1)[1].strip().strip('"').strip("'")
    if not url.startswith("postgresql"):
        sys.exit("No PostgreSQL: run `make services` or set DATABASE_URL=postgresql+psycopg://...")
    return url


GOAL_P95_MS = 300


def _load() -> str:
    return " ".join(f"{v:.1f}" for v in os.getloadavg())


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return (values[lo] + (values[hi] - values[lo]) * (k - lo)) * 1000


FILL = """
INSERT INTO users (id, email, password_hash, name, role, active, locale, notification_mode, created_at, updated_at)
VALUES (1, 'am@bench.test', 'x', 'AM', 'account_manager', true, 'nl', 'immediate', now(), now());

INSERT INTO organisations (id, name, kvk_number, sector, street_address, postcode, city, municipality, contact_name,
    contact_email, contact_phone, status, review_note, created_at, updated_at)
SELECT g, 'Org ' || g, lpad(g::text, 8, '0'), (ARRAY['logistiek','horeca','zorg','groen','techniek'])[1 + g % 5],
       'Straat 1', '1506 AB', 'Zaandam', 'Gemeente ' || (g % 10), 'C', 'c@bench.test', '', 'approved', '', now(), now()
FROM generate_series(1, 500) g;

INSERT INTO placements (id, organisation_id, type, title, tasks, sector, street_address, postcode, city, municipality,
    hours_per_week, dayparts, start_date, places, support, offers, pay_indication, required_skills,
    nice_to_have_skills, dutch_listening, dutch_reading, dutch_spoken_interaction, dutch_spoken_production,
    dutch_writing, allow_one_level_below_with_support, language_tasks, dutch_lowered_with_helper, status,
    published_at, created_at, updated_at)
SELECT g, 1 + g % 500,
       (ARRAY['werkervaringsplek','taalstage','proefplaatsing','betaalde_baan','vrijwilligerswerk'])[1 + g % 5],
       'Plek ' || g, '', (ARRAY['logistiek','horeca','zorg','groen','techniek'])[1 + g % 5], 'Straat 1', '1506 AB',
       'Zaandam', 'Gemeente ' || (g % 10), 16, '[]', current_date, 1 + g % 3, '[]', '[]', '', '[]', '[]',
       2, 2, 2, 2, 1, false, '[]', g % 7 = 0, 'published', now() - (g % 700) * interval '1 day', now(), now()
FROM generate_series(1, 10000) g;

INSERT INTO candidates (id, first_name, surname, date_of_birth, gender, municipality, postcode_area, mobility,
    availability, inburgering_status, education_country, ambitions, support_needs, owner_id, status, published_at,
    first_published_at, created_at, updated_at)
SELECT g, 'K' || g, 'S' || g, date '1990-01-01' + (g % 9000), (ARRAY['female','male','other'])[1 + g % 3],
       'Gemeente ' || (g % 10), '1506', '[]', '[]', 'b1_route', '', '', '', 1,
       CASE WHEN g % 10 < 7 THEN 'published' WHEN g % 10 = 7 THEN 'paused' ELSE 'intake' END,
       CASE WHEN g % 10 < 7 THEN now() - (g % 730) * interval '1 day' END,
       CASE WHEN g % 10 < 8 THEN now() - (g % 730) * interval '1 day' END,
       now() - (g % 760) * interval '1 day', now()
FROM generate_series(1, :candidates) g;

INSERT INTO consents (candidate_id, recorded_at, text_version, scope, video_allowed, expires_at)
SELECT g, now() - (g % 300) * interval '1 day', 'v1', 'all_approved_employers', true,
       now() - (g % 300) * interval '1 day' + interval '360 days'
FROM generate_series(1, :candidates) g;

INSERT INTO candidate_languages (candidate_id, language_code, is_first_language, listening, reading,
    spoken_interaction, spoken_production, writing)
SELECT g, 'nl', false, 1 + g % 3, 1 + g % 3, 1 + g % 2, 1 + g % 2, 1
FROM generate_series(1, :candidates) g;

INSERT INTO candidate_interests (organisation_id, candidate_id, note, created_at)
SELECT 1 + g % 500, g, '', now() - (g % 600) * interval '1 day'
FROM generate_series(1, :candidates) g WHERE g % 10 < 6;

INSERT INTO follow_ups (candidate_id, source_kind, source_ref, outcome, note, source_label, created_at, updated_at)
SELECT g, 'meeting', g, (ARRAY['interested_placement','follow_up','not_now','no_show'])[1 + g % 4], '', '', now(), now()
FROM generate_series(1, :candidates) g WHERE g % 10 < 4;

-- 50,000 trajects: candidate g (first half) x placement; stage by g
INSERT INTO trajects (id, candidate_id, placement_id, organisation_id, stage, stop_reason, stop_note,
    stopped_by_employer, source, opened_at, stage_changed_at, closed_at)
SELECT g, g * 2 - 1, 1 + g % 10000, 1 + (1 + g % 10000) % 500,
       (ARRAY['interest','proposed','meeting_planned','met','trial','started','finished','stopped'])[1 + g % 8],
       CASE WHEN g % 8 = 7 THEN 'no_match' END, '', false,
       (ARRAY['employer_interest','proposal','meeting','speed_date'])[1 + g % 4],
       now() - (g % 700) * interval '1 day', now() - (g % 300) * interval '1 day',
       CASE WHEN g % 8 IN (6, 7) THEN now() - (g % 200) * interval '1 day' END
FROM generate_series(1, :trajects) g;

INSERT INTO traject_stage_changes (traject_id, from_stage, to_stage, at, reason)
SELECT t.id, NULL, 'interest', t.opened_at, '' FROM trajects t;
INSERT INTO traject_stage_changes (traject_id, from_stage, to_stage, at, reason)
SELECT t.id, 'interest', 'met', t.opened_at + interval '10 days', '' FROM trajects t WHERE t.id % 8 >= 3;
INSERT INTO traject_stage_changes (traject_id, from_stage, to_stage, at, reason)
SELECT t.id, 'met', t.stage, t.stage_changed_at, '' FROM trajects t WHERE t.id % 8 >= 5;

INSERT INTO proposals (traject_id, candidate_id, placement_id, motivation, proposed_at, answer, answered_at)
SELECT t.id, t.candidate_id, t.placement_id, 'Past goed.', t.opened_at, 'invited', t.opened_at
FROM trajects t WHERE t.id % 8 >= 1;

INSERT INTO placement_starts (id, traject_id, start_date, hours_per_week, days, placement_type, jobcoach_name,
    jobcoach_organisation, buddy_name, buddy_language_code, recorded_at)
SELECT t.id, t.id, (t.stage_changed_at - interval '30 days')::date, 16, '[]', p.type, '', '', '', '', now()
FROM trajects t JOIN placements p ON p.id = t.placement_id WHERE t.id % 8 >= 5;

INSERT INTO aftercare_checkins (start_id, candidate_id, moment, due_on, done_at, assessment, dutch_levels,
    next_step, created_at)
SELECT s.id, t.candidate_id, m.moment, s.start_date + m.days, now(), 'good',
       CAST(CASE WHEN s.id % 3 = 0 THEN '{"listening": 3, "reading": 2}' ELSE '{}' END AS json), 'Verder', now()
FROM placement_starts s JOIN trajects t ON t.id = s.traject_id
CROSS JOIN (VALUES ('week_1', 7), ('week_6', 42), ('month_3', 91)) AS m(moment, days);

INSERT INTO aftercare_results (start_id, candidate_id, kind, contract_kind, stop_reason, note, ended_on, recorded_at)
SELECT s.id, t.candidate_id, CASE WHEN t.stage = 'finished' THEN 'contract' ELSE 'stopped' END,
       CASE WHEN t.stage = 'finished' THEN 'permanent' END, CASE WHEN t.stage = 'stopped' THEN 'no_match' END,
       '', t.closed_at::date, now()
FROM placement_starts s JOIN trajects t ON t.id = s.traject_id WHERE t.stage IN ('finished', 'stopped');

INSERT INTO events (id, title, description, starts_at, ends_at, venue_name, venue_address, accessibility_notes,
    transport_directions, table_capacity, candidate_capacity, round_minutes, break_minutes, rounds_before_break,
    interpreter_languages, status, created_at, updated_at)
SELECT g, 'Meet & greet ' || g, '', now() - g * interval '20 days', now() - g * interval '20 days' + interval '3 hours',
       'Zaal', 'Straat 1', '', '', 20, 60, 10, 0, 3, '[]', 'closed', now(), now()
FROM generate_series(1, 30) g;

INSERT INTO event_employer_registrations (id, event_id, organisation_id, status, representatives, sectors, languages,
    created_at, queued_at, ics_sequence)
SELECT (e - 1) * 20 + o, e, o, 'confirmed', 1, '[]', '[]', now(), now(), 0
FROM generate_series(1, 30) e CROSS JOIN generate_series(1, 20) o;

INSERT INTO event_candidate_registrations (id, event_id, candidate_id, status, created_at, queued_at, ics_sequence)
SELECT (e - 1) * 60 + c, e, e * 1000 + c, 'confirmed', now(), now(), 0
FROM generate_series(1, 30) e CROSS JOIN generate_series(1, 60) c;

INSERT INTO event_schedule_slots (event_id, round_number, employer_registration_id, candidate_registration_id,
    interest, announced, outcome_note, outcome)
SELECT e, c % 6, (e - 1) * 20 + 1 + c % 20, (e - 1) * 60 + c, 1, true, '',
       (ARRAY['interested_placement','follow_up','not_now','no_show'])[1 + c % 4]
FROM generate_series(1, 30) e CROSS JOIN generate_series(1, 60) c;

INSERT INTO timeline_entries (candidate_id, at, kind, action, details)
SELECT 1 + g % :candidates, now() - (g % 700) * interval '1 day', :kind, 'bench.entry', '{}'
FROM generate_series(1, :timeline) g;

SELECT setval(pg_get_serial_sequence('users', 'id'), 10);
SELECT setval(pg_get_serial_sequence('candidates', 'id'), :candidates + 1);
SELECT setval(pg_get_serial_sequence('trajects', 'id'), :trajects + 1);
SELECT setval(pg_get_serial_sequence('placement_starts', 'id'), :trajects + 1);
SELECT setval(pg_get_serial_sequence('placements', 'id'), 10001);
SELECT setval(pg_get_serial_sequence('organisations', 'id'), 501);
ANALYZE;
"""


def fill(url: str, candidates: int, trajects: int, timeline: int) -> dict[str, int]:
    from portal.casefile.models import TimelineKind

    engine = create_engine(url)
    params = {"candidates": candidates, "trajects": trajects, "timeline": timeline, "kind": list(TimelineKind)[0].value}
    with engine.begin() as conn:
        for statement in [s.strip() for s in FILL.split(";\n") if s.strip()]:
            conn.execute(text(statement), {k: v for k, v in params.items() if f":{k}" in statement})
        counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                  for t in ("candidates", "trajects", "placement_starts", "timeline_entries", "traject_stage_changes")}
    engine.dispose()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--trajects", type=int, default=50_000)
    parser.add_argument("--timeline", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--profile", action="store_true", help="also time each indicator on its own")
    parser.add_argument("--keep", metavar="NAME", help="keep the filled database under this name (and reuse it on the next run "
                        "with the same name: building takes minutes); drop it yourself with --drop NAME")
    parser.add_argument("--drop", metavar="NAME", help="drop a database kept with --keep and exit")
    args = parser.parse_args()

    from portal import create_app
    from portal.core import db, migrate

    server = _server_url()
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    if args.drop:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{_kept_name(args.drop)}" WITH (FORCE)'))
        return
    name = _kept_name(args.keep) if args.keep else f"portal_bench_results_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first() is not None
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.rsplit("/", 1)[0] + "/" + name
    try:
        started = time.perf_counter()
        migrate.upgrade(url=url)  # a kept database gains new migrations too
        if exists:
            print(f"reusing the kept database {name} (migrated to head)")
        else:
            counts = fill(url, args.candidates, args.trajects, args.timeline)
            print(f"filled in {time.perf_counter() - started:.0f} s: "
                  + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
        app = create_app({"PORTAL_ENV": "testing", "SECRET_KEY": "bench-secret-key-long-enough-0000000000",
                          "DATABASE_URL": url, "BACKGROUND_MODE": "external"}, environ={})
        with app.app_context():
            from portal.accounts.models import User
            from portal.accounts.passwords import hash_password
            from portal.core.roles import Role

            from sqlalchemy import select

            if db.session.scalar(select(User).where(User.email == "wsp@bench.test")) is None:
                db.session.add(User(email="wsp@bench.test", name="WSP", role=Role.WSP,
                                    password_hash=hash_password("bench-password")))
                db.commit()
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        response = client.post("/login", data={"email": "wsp@bench.test", "password": "bench-password", "csrf_token": token})
        assert response.status_code == 302, response.status_code
        from portal.results.periods import today

        year = today().year
        variants = {
            "this year": f"/resultaten?jaar={year}",
            "one quarter": f"/resultaten?jaar={year}&kwartaal=1",
            "one municipality": f"/resultaten?jaar={year}&gemeente=Gemeente+3",
            "by municipality": f"/resultaten?jaar={year}&indeling=municipality",
            "by cohort": f"/resultaten?jaar={year}&indeling=cohort",
            "CSV export (funnel)": f"/resultaten/export/funnel.csv?jaar={year}",
        }
        if args.profile:
            from portal.results import indicators as ind
            from portal.results.periods import Period

            with app.test_request_context():
                for breakdown in (None, "municipality", "cohort"):
                    filters = ind.Filters(Period(year), breakdown=breakdown)
                    for key, func in ind.ALL.items():
                        t0 = time.perf_counter()
                        func(filters)
                        print(f"  {key:<20} {breakdown or '-':<14} {(time.perf_counter() - t0) * 1000:8.0f} ms")
                db.session.remove()
        print(f"load average at the start: {_load()}  (2-core machine shared with other work inflates every figure)")
        print(f"{'dashboard':<24}{'requests':>9}{'median ms':>11}{'p95 ms':>9}{'goal p95':>10}  {'':<6} load")
        for label, path in variants.items():
            assert client.get(path).status_code == 200, path  # warm-up
            times = []
            for _ in range(args.requests):
                t0 = time.perf_counter()
                response = client.get(path)
                times.append(time.perf_counter() - t0)
                assert response.status_code == 200
            p95 = pct(times, 0.95)
            print(f"{label:<24}{len(times):>9}{statistics.median(times) * 1000:>11.0f}{p95:>9.0f}{'< ' + str(GOAL_P95_MS):>10}"
                  f"  {'met' if p95 < GOAL_P95_MS else 'NOT met':<7} {_load()}")
    finally:
        if not args.keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _kept_name(name: str) -> str:
    if not re.fullmatch(r"[a-z0-9_]{1,30}", name):
        sys.exit("--keep/--drop: lower-case letters, digits and _ only")
    return f"portal_bench_results_kept_{name}"


if __name__ == "__main__":
    main()
