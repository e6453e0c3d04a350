"""PostgreSQL 15 from Debian, as the unprivileged service user, data in the state dir."""
from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
from pathlib import Path

from config.services._util import HOST, port, ServiceError, chown_tree
from config.services.base import Service, getenv

PORT = port(55432)
USER = PASSWORD = DB = "portal"
URL = f"postgresql+psycopg://{USER}:{PASSWORD}@{HOST}:{PORT}/{DB}"


def pg_bindir() -> Path | None:
    for cand in [os.environ.get("PORTAL_PG_BINDIR"), "/usr/lib/postgresql/15/bin",
                 *sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]:
        if cand and (Path(cand) / "postgres").exists():
            return Path(cand)
    return None


class Postgres(Service):
    name = "postgres"
    port = PORT
    start_timeout = 60.0
    stop_signal = signal.SIGINT  # "fast" shutdown, sent to the postmaster only
    stop_whole_group = False
    runs_as_service_user = True

    @property
    def data(self) -> Path:
        return self.dir / "data"

    @property
    def sock(self) -> Path:
        return self.dir / "sock"

    def external(self) -> str | None:
        url = getenv("DATABASE_URL")
        if url and url.startswith("postgresql") and url != URL:
            return "DATABASE_URL"
        return None

    def env(self) -> dict[str, str]:
        return {"DATABASE_URL": URL}

    def _connect(self, **kw):
        import psycopg
        return psycopg.connect(connect_timeout=2, **kw)

    def healthy(self) -> bool:
        with self._connect(host=HOST, port=PORT, user=USER, password=PASSWORD, dbname=DB) as conn:
            return conn.execute("select 1").fetchone()[0] == 1

    def prepare(self) -> None:
        bindir = pg_bindir()
        if bindir is None:
            raise ServiceError("PostgreSQL server binaries not found (Debian package postgresql-15; "
                               "or set DATABASE_URL to an existing server)")
        self.bindir = bindir
        self.dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.dir, 0o755)  # nosec B103: the service user must read the test server's directory
        if not (self.data / "PG_VERSION").exists() or (self.data / ".initdb-incomplete").exists():
            tmp = self.dir / "data.initdb"
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.rmtree(self.data, ignore_errors=True)
            tmp.mkdir(mode=0o700)
            chown_tree(tmp, self.ids)
            kwargs = {"user": self.ids[0], "group": self.ids[1], "extra_groups": []} if self.ids else {}
            with open(self.log, "ab") as out:
                r = subprocess.run(
                    [str(bindir / "initdb"), "-D", str(tmp), "-U", "postgres", "-E", "UTF8",
                     "--locale=C.UTF-8", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync"],
                    stdout=out, stderr=subprocess.STDOUT, cwd="/", env={"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"},
                    **kwargs)
            if r.returncode != 0:
                shutil.rmtree(tmp, ignore_errors=True)
                raise ServiceError(f"initdb failed with code {r.returncode}", self.log)
            os.rename(tmp, self.data)
        # a stale postmaster.pid from a killed server blocks the start; it is ours, the pid is dead
        (self.data / "postmaster.pid").unlink(missing_ok=True)
        shutil.rmtree(self.sock, ignore_errors=True)
        self.sock.mkdir(mode=0o755)
        chown_tree(self.sock, self.ids)

    def command(self):
        argv = [str(self.bindir / "postgres"), "-D", str(self.data), "-p", str(PORT),
                "-c", f"listen_addresses={HOST}", "-c", f"unix_socket_directories={self.sock}",
                # a throwaway test/dev database: durability traded for speed
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                "-c", "max_connections=100", "-c", "shared_buffers=64MB"]
        return argv, {}, self.dir

    def wait_ready(self) -> None:
        # ready = the superuser can log in through the socket; the role is created in after_start
        import time
        deadline = time.monotonic() + self.start_timeout
        while True:
            rc = self.proc.poll()
            if rc is not None:
                raise ServiceError(f"postgres exited with code {rc} during start-up", self.log)
            try:
                with self._connect(host=str(self.sock), port=PORT, user="postgres", dbname="postgres"):
                    return
            except Exception:
                pass
            if time.monotonic() > deadline:
                raise ServiceError(f"postgres did not accept connections within {self.start_timeout:.0f}s", self.log)
            time.sleep(0.2)

    def after_start(self) -> None:
        with self._connect(host=str(self.sock), port=PORT, user="postgres", dbname="postgres", autocommit=True) as c:
            if c.execute("select 1 from pg_roles where rolname = %s", (USER,)).fetchone() is None:
                c.execute(f"create role {USER} login createdb password '{PASSWORD}'")
            else:
                c.execute(f"alter role {USER} login createdb password '{PASSWORD}'")
            if c.execute("select 1 from pg_database where datname = %s", (DB,)).fetchone() is None:
                c.execute(f"create database {DB} owner {USER}")
        if not self.healthy():
            raise ServiceError("postgres started but the portal role cannot log in over TCP", self.log)
