"""The life cycle every service follows: check, prepare, launch, wait until ready, stop."""
from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from config.services._util import (
    HOST, ServiceError, log_tail, port_bindable, port_open, read_pid, say, spawn, state_dir,
    stop_pid, write_pid,
)


class Aborted(ServiceError):
    """Start-up abandoned because another service of the same run failed."""


class Service:
    name = "service"
    abort = None  # threading.Event set by the runner when another service failed
    port = 0
    extra_ports: tuple[int, ...] = ()
    start_timeout = 60.0
    stop_signal = signal.SIGTERM
    stop_whole_group = True
    runs_as_service_user = False

    def __init__(self, ids: tuple[int, int] | None = None):
        self.ids = ids if self.runs_as_service_user else None
        self.dir = state_dir() / self.name
        self.pid_file = self.dir / f"{self.name}.pid"
        self.log = self.dir / f"{self.name}.log"
        self.proc: subprocess.Popen | None = None

    # -- to override -------------------------------------------------------------
    def external(self) -> str | None:
        """A description of the externally provided service (from the environment), or None."""
        return None

    def env(self) -> dict[str, str]:
        raise NotImplementedError

    def healthy(self) -> bool:
        """Quick check that our service on our port answers as ours (short timeouts)."""
        raise NotImplementedError

    def responds(self) -> bool:
        """Is our running service answering as ours? (for `status` and the no-op check of `up`)"""
        return self.healthy()

    def prepare(self) -> None:
        """Downloads, initialisation; may take long on a cold machine."""

    def command(self) -> tuple[list[str], dict[str, str], Path]:
        raise NotImplementedError

    def after_start(self) -> None:
        """Runs once the service answers (create role, bucket...)."""

    def address(self) -> str:
        return f"{HOST}:{self.port}"

    # -- common ------------------------------------------------------------------
    def pid(self) -> int | None:
        return read_pid(self.pid_file)

    def state(self) -> str:
        if self.external():
            return "external"
        pid = self.pid()
        if pid is None:
            return "foreign" if port_open(self.port) else "stopped"
        try:
            ok = self.responds()
        except Exception:
            ok = False
        return "running" if ok else "unhealthy"

    def start(self) -> bool:
        """Start unless already running and healthy. Returns True when this call started it."""
        state = self.state()
        if state == "running":
            say(f"  {self.name:<13} already running on {self.address()} (pid {self.pid()})")
            return False
        if state == "unhealthy":
            say(f"  {self.name:<13} pid {self.pid()} is alive but does not answer as expected: stopping it and starting afresh")
            self.stop(quiet=True)
        self.check_ports()
        self.dir.mkdir(parents=True, exist_ok=True)
        t0 = time.monotonic()
        self.prepare()
        argv, env, cwd = self.command()
        self.proc = spawn(argv, log=self.log, cwd=cwd, env=env, ids=self.ids)
        write_pid(self.pid_file, self.proc.pid)
        self.wait_ready()
        self.after_start()
        say(f"  {self.name:<13} started on {self.address()} in {time.monotonic() - t0:.1f}s (pid {self.proc.pid}, log {self.log})")
        return True

    def check_ports(self) -> None:
        for port in (self.port, *self.extra_ports):
            if port_open(port) or not port_bindable(port):
                raise ServiceError(
                    f"port {HOST}:{port} is already taken by another process that is not our {self.name} "
                    f"(see `ss -ltnp 'sport = :{port}'`); stop it, or point the portal at your own "
                    f"service through the environment variables ({', '.join(self.env())})", None)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while True:
            if self.abort is not None and self.abort.is_set():
                raise Aborted(f"{self.name}: start abandoned because another service failed", self.log)
            rc = self.proc.poll() if self.proc else None
            if rc is not None:
                raise ServiceError(f"{self.name} exited with code {rc} during start-up", self.log)
            try:
                if self.healthy():
                    return
            except Exception:
                pass
            if time.monotonic() > deadline:
                raise ServiceError(f"{self.name} did not become ready within {self.start_timeout:.0f}s", self.log)
            time.sleep(0.25)

    def stop(self, quiet: bool = False) -> bool:
        pid = self.pid()
        if pid is None and self.proc is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        pid = pid or self.proc.pid
        stop_pid(pid, first_signal=self.stop_signal, whole_group=self.stop_whole_group, proc=self.proc)
        self.pid_file.unlink(missing_ok=True)
        self.proc = None
        if not quiet:
            say(f"  {self.name:<13} stopped (pid {pid})")
        return True

    def describe_failure(self, exc: ServiceError) -> str:
        text = f"FAILED {self.name}: {exc}"
        if exc.log:
            text += f"\n  log: {exc.log}"
            tail = log_tail(exc.log)
            if tail:
                text += f"\n  last lines:\n{tail}"
        return text


def env_is_ours(value: str | None, ours: str) -> bool:
    return value is None or value == "" or value == ours


def getenv(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value else None
