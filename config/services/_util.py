"""Shared helpers: paths, output, processes, ports, the service base class."""
from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"
SERVICE_USER = "portal-svc"
ENV_FILE_NAME = "services.env"


def port(base: int) -> int:
    """base + PORTAL_SERVICES_PORT_OFFSET (to run a second set beside the first, e.g. another checkout)."""
    return base + int(os.environ.get("PORTAL_SERVICES_PORT_OFFSET") or 0)

_print_lock = threading.Lock()


def say(msg: str, *, err: bool = False) -> None:
    with _print_lock:
        print(msg, file=sys.stderr if err else sys.stdout, flush=True)


def state_dir() -> Path:
    return Path(os.environ.get("PORTAL_SERVICES_DIR") or "/tmp/portal-services")  # nosec B108: local test services only, overridable with PORTAL_SERVICES_DIR


def cache_dir() -> Path:
    if os.environ.get("PORTAL_SERVICES_CACHE"):
        return Path(os.environ["PORTAL_SERVICES_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "portal-services"


def env_file() -> Path:
    return state_dir() / ENV_FILE_NAME


def is_root() -> bool:
    return os.geteuid() == 0


class ServiceError(Exception):
    """A service could not be started; carries the log to point the user at."""

    def __init__(self, message: str, log: Path | None = None):
        super().__init__(message)
        self.log = log


# ---------------------------------------------------------------- unprivileged user
def ensure_service_user() -> tuple[int, int] | None:
    """As root: create (once) and return the uid/gid of the unprivileged service user.

    PostgreSQL and Elasticsearch refuse to run as root. When we are not root, they simply run
    as the current user and None is returned.
    """
    if not is_root():
        return None
    try:
        pw = pwd.getpwnam(SERVICE_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
             "--shell", "/usr/sbin/nologin", SERVICE_USER],
            check=True, capture_output=True,
        )
        pw = pwd.getpwnam(SERVICE_USER)
    return pw.pw_uid, pw.pw_gid


def chown_tree(path: Path, ids: tuple[int, int] | None) -> None:
    if ids is None:
        return
    uid, gid = ids
    os.chown(path, uid, gid)
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            with contextlib.suppress(FileNotFoundError):
                os.lchown(os.path.join(root, name), uid, gid)


# ---------------------------------------------------------------- processes
def _proc_start_time(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # field 22 (starttime); the command name (field 2) may contain spaces, so split after ')'
    return stat.rsplit(")", 1)[1].split()[19]


def write_pid(pid_file: Path, pid: int) -> None:
    pid_file.write_text(f"{pid} {_proc_start_time(pid) or '?'}\n")


def read_pid(pid_file: Path) -> int | None:
    """The pid recorded in pid_file if that very process (same start time) is still alive."""
    try:
        pid_s, start = pid_file.read_text().split()[:2]
        pid = int(pid_s)
    except (OSError, ValueError):
        return None
    now = _proc_start_time(pid)
    if now is None or (start != "?" and now != start):
        return None
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None
    return None if state == "Z" else pid


def spawn(argv: list[str], *, log: Path, cwd: Path, env: dict[str, str] | None = None,
          ids: tuple[int, int] | None = None) -> subprocess.Popen:
    """Start a detached process (own session) writing to log, optionally as the service user."""
    kwargs: dict = {}
    if ids is not None:
        kwargs.update(user=ids[0], group=ids[1], extra_groups=[])
    full_env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    if ids is None:
        full_env["HOME"] = os.path.expanduser("~")
    else:
        full_env["HOME"] = str(cwd)
    full_env.update(env or {})
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        out.write(f"\n==== {time.strftime('%Y-%m-%d %H:%M:%S')} starting: {' '.join(argv)}\n".encode())
        out.flush()
        return subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                cwd=cwd, env=full_env, start_new_session=True, close_fds=True, **kwargs)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def stop_pid(pid: int, *, first_signal: int = signal.SIGTERM, whole_group: bool = True,
             timeout: float = 30.0, proc: subprocess.Popen | None = None) -> None:
    """Stop a process we started and its process group (it leads its own session): first_signal to
    the leader (or the whole group), wait until the whole group is gone, escalate to SIGKILL."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if whole_group:
            os.killpg(pid, first_signal)
        else:
            os.kill(pid, first_signal)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None:
            proc.poll()  # reap our own child so it does not linger as a zombie
        if not _group_alive(pid) or (proc is None and _proc_start_time(pid) is None and not _group_alive(pid)):
            break
        if proc is None and _proc_start_time(pid) is not None:
            with contextlib.suppress(OSError):
                if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z" and not _others_in_group(pid):
                    break
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    if proc is not None:
        with contextlib.suppress(Exception):
            proc.wait(5)


def _others_in_group(pgid: int) -> bool:
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and int(stat.parent.name) != pgid and fields[0] != "Z":
            return True
    return False


# ---------------------------------------------------------------- ports
def port_open(port: int, host: str = HOST, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def port_bindable(port: int, host: str = HOST) -> bool:
    s = socket.socket()
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((host, port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def log_tail(log: Path | None, lines: int = 15) -> str:
    if not log or not log.exists():
        return ""
    try:
        data = log.read_bytes()[-20000:].decode("utf-8", "replace").splitlines()
    except OSError:
        return ""
    return "\n".join("    | " + line for line in data[-lines:])


def which_all(names: list[str]) -> list[str]:
    return [n for n in names if shutil.which(n) is None]
