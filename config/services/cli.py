"""`python -m config.services up|down|status|env`."""
from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import shlex
import shutil
import sys
import threading
import time

from config.services import debian
from config.services._util import ServiceError, ensure_service_user, env_file, say, state_dir
from config.services.base import Aborted
from config.services.elasticsearch import Elasticsearch
from config.services.postgres import Postgres
from config.services.s3 import S3Proxy
from config.services.smtp import SmtpSink

# what a portal run needs besides the addresses (printed by `env`)
BACKEND_SWITCHES = {"elasticsearch": {"SEARCH_BACKEND": "elasticsearch"},
                    "s3": {"STORAGE_BACKEND": "s3"},
                    "smtp": {"MAIL_BACKEND": "smtp", "SMTP_STARTTLS": "false"}}


def all_services(ids=None):
    return [Postgres(ids), Elasticsearch(ids), S3Proxy(ids), SmtpSink(ids)]


def write_env_file(services) -> None:
    lines = ["# written by `python -m config.services up`; KEY=value per line"]
    for svc in services:
        if svc.state() == "running":
            lines += [f"{k}={v}" for k, v in svc.env().items()]
    path = env_file()
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n")
    tmp.replace(path)


def cmd_up(args) -> int:
    t0 = time.monotonic()
    sdir = state_dir()
    sdir.mkdir(parents=True, exist_ok=True)
    sdir.chmod(0o755)
    ok = True
    if not args.no_apt:
        ok = debian.ensure_packages(sdir / "apt.log") or os.geteuid() != 0
    try:
        ids = ensure_service_user()
    except Exception as e:  # noqa: BLE001
        say(f"FAILED: cannot create the service user: {e}", err=True)
        return 1
    services = [s for s in all_services(ids) if not args.only or s.name in args.only]
    # pre-flight: a port taken by something else fails at once, before anything is started
    conflicts = []
    for svc in services:
        if not svc.external() and svc.state() == "foreign":
            try:
                svc.check_ports()
            except ServiceError as e:
                conflicts.append(svc.describe_failure(e))
    if conflicts:
        for text in conflicts:
            say(text, err=True)
        return 1
    started, failures = [], []
    lock = threading.Lock()
    abort = threading.Event()
    for svc in services:
        svc.abort = abort

    def run(svc):
        ext = svc.external()
        if ext:
            say(f"  {svc.name:<13} provided through {ext}: not started")
            return
        try:
            if svc.start():
                with lock:
                    started.append(svc)
        except Aborted:
            svc.stop(quiet=True)
        except ServiceError as e:
            abort.set()
            with lock:
                failures.append((svc, e))
        except Exception as e:  # noqa: BLE001
            abort.set()
            with lock:
                failures.append((svc, ServiceError(f"{type(e).__name__}: {e}", svc.log)))

    threads = [threading.Thread(target=run, args=(s,), name=s.name) for s in services]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        for svc, e in failures:
            say(svc.describe_failure(e), err=True)
            svc.stop(quiet=True)  # whatever it left behind
        for svc in started:
            svc.stop(quiet=True)
        if started:
            say(f"stopped what this run started ({', '.join(s.name for s in started)}) so nothing half-started is left",
                err=True)
        write_env_file(services)
        return 1
    write_env_file(services)
    say(f"services up in {time.monotonic() - t0:.1f}s; env file {env_file()}; "
        f"`eval \"$({sys.executable} -m config.services env)\"` exports them")
    return 0 if ok else 1


def cmd_down(args) -> int:
    services = [s for s in all_services() if not args.only or s.name in args.only]
    threads = [threading.Thread(target=s.stop) for s in services]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if args.only:
        write_env_file(all_services())
    else:
        env_file().unlink(missing_ok=True)
    if args.purge:
        shutil.rmtree(state_dir(), ignore_errors=True)
        say(f"removed {state_dir()}")
    return 0


def cmd_status(args) -> int:
    worst = 0
    for svc in all_services():
        st = svc.state()
        pid = svc.pid()
        detail = {"running": f"{svc.address()} pid {pid}",
                  "unhealthy": f"pid {pid} alive but not answering on {svc.address()}; log {svc.log}",
                  "foreign": f"port {svc.port} is taken by a process that is not ours",
                  "stopped": "",
                  "external": f"provided through {svc.external()}"}[st]
        say(f"{svc.name:<14} {st:<10} {detail}")
        if st not in ("running", "external"):
            worst = 3
    missing = debian.missing_commands()
    say(f"{'debian':<14} {'ok' if not missing else 'missing':<10} {', '.join(missing)}")
    return worst


def cmd_env(args) -> int:
    any_running = False
    for svc in all_services():
        if svc.state() != "running":
            continue
        any_running = True
        for k, v in {**svc.env(), **BACKEND_SWITCHES.get(svc.name, {})}.items():
            print(f"export {k}={shlex.quote(v)}")
    if not any_running:
        say("# no local services are running (start them with `python -m config.services up`)", err=True)
    return 0


@contextlib.contextmanager
def exclusive(what: str):
    """One `up`/`down` at a time per state dir (others wait): concurrent runs would fight."""
    sdir = state_dir()
    sdir.mkdir(parents=True, exist_ok=True)
    with open(sdir / ".lock", "w") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"  another `{what}`/`down` is running on {sdir}: waiting for it")
            fcntl.flock(f, fcntl.LOCK_EX)
        yield


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m config.services", description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    up = sub.add_parser("up", help="start whatever is not running (idempotent)")
    up.add_argument("--no-apt", action="store_true", help="do not install missing Debian packages")
    up.add_argument("--only", nargs="*", choices=["postgres", "elasticsearch", "s3", "smtp"])
    down = sub.add_parser("down", help="stop the services started by `up`")
    down.add_argument("--purge", action="store_true", help="also delete the state dir (data, logs)")
    down.add_argument("--only", nargs="*", choices=["postgres", "elasticsearch", "s3", "smtp"])
    sub.add_parser("status", help="print each service's state")
    sub.add_parser("env", help="print `export` lines for the running services")
    cluster = sub.add_parser("cluster", help="a private multi-node Elasticsearch cluster on loopback (ports 29600+)")
    cluster.add_argument("action", choices=["up", "down", "status"])
    cluster.add_argument("--nodes", type=int, default=3)
    cluster.add_argument("--heap", default="512m")
    args = p.parse_args(argv)
    if args.cmd == "cluster":
        from config.services import es_cluster

        return es_cluster.main(args)
    if args.cmd in ("up", "down"):
        with exclusive(args.cmd):
            return {"up": cmd_up, "down": cmd_down}[args.cmd](args)
    return {"status": cmd_status, "env": cmd_env}[args.cmd](args)
