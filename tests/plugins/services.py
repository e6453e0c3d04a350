"""Pytest fixtures for the real services (PostgreSQL, Elasticsearch, S3, SMTP, Chromium).

Where a service is found: environment variables first (DATABASE_URL, ELASTICSEARCH_URL [+
ELASTICSEARCH_API_KEY | ELASTICSEARCH_USERNAME/ELASTICSEARCH_PASSWORD, ELASTICSEARCH_CA_CERTS],
S3_ENDPOINT_URL/S3_BUCKET/AWS_*, SMTP_HOST/SMTP_PORT/SMTP_MAILDIR), else the env file that
`python -m config.services up` writes (${PORTAL_SERVICES_DIR:-/tmp/portal-services}/services.env).

A test whose service does not answer is skipped with the reason locally, and FAILS under CI=true.
A test that uses a service fixture gets the matching marker automatically, so
`pytest -m "not elasticsearch"` deselects it.
"""
from __future__ import annotations

import email
import email.policy
import os
import re
import shutil
import socket
import tempfile
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Callable, Iterator

import pytest

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
ARTIFACTS_DIR = Path(os.environ.get("PORTAL_TEST_ARTIFACTS", "test-artifacts"))

# fixture name -> marker it implies
FIXTURE_MARKERS = {
    "postgres_url": "postgres",
    "elasticsearch_url": "elasticsearch",
    "es_client": "elasticsearch",
    "s3_settings": "s3",
    "s3_client": "s3",
    "smtp_server": "smtp",
    "browser": "browser",
    "page": "browser",
}


# ------------------------------------------------------------------ helpers
def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def service_unavailable(reason: str) -> None:
    """Skip locally; fail (never a silent skip) under CI=true."""
    hint = " (start the local services with `make services`, or point the environment variables at yours)"
    if in_ci():
        pytest.fail(f"service unavailable under CI=true: {reason}{hint}", pytrace=False)
    pytest.skip(f"{reason}{hint}")


def services_env_file() -> Path:
    return Path(os.environ.get("PORTAL_SERVICES_DIR") or "/tmp/portal-services") / "services.env"


def _read_env_file() -> dict[str, str]:
    values: dict[str, str] = {}
    try:
        text = services_env_file().read_text()
    except OSError:
        return values
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.removeprefix("export ").split("=", 1)
        values[key.strip()] = value.strip().strip("'\"")
    return values


def service_setting(name: str, *, accept: Callable[[str], bool] = bool) -> str | None:
    """An environment variable if set (and acceptable), else the value from the services env file."""
    value = os.environ.get(name)
    if value and accept(value):
        return value
    value = _read_env_file().get(name)
    return value if value and accept(value) else None


def _port_answers(host: str, port: int, timeout: float = 2.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


# ------------------------------------------------------------------ markers
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        for fixture, marker in FIXTURE_MARKERS.items():
            if fixture in names and item.get_closest_marker(marker) is None:
                item.add_marker(getattr(pytest.mark, marker))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# ------------------------------------------------------------------ PostgreSQL
@pytest.fixture(scope="session")
def postgres_url() -> str:
    """SQLAlchemy URL of the PostgreSQL server (role with CREATEDB), e.g.
    postgresql+psycopg://portal:portal@127.0.0.1:55432/portal."""
    url = service_setting("DATABASE_URL", accept=lambda v: v.startswith("postgresql"))
    if not url:
        service_unavailable("PostgreSQL: DATABASE_URL is not a postgresql URL and no services env file names one")
    try:
        import psycopg

        with psycopg.connect(re.sub(r"^postgresql\+\w+://", "postgresql://", url), connect_timeout=3) as conn:
            conn.execute("select 1")
    except Exception as e:  # noqa: BLE001
        service_unavailable(f"PostgreSQL at {_redact(url)} does not answer: {e}")
    return url


def _redact(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


# ------------------------------------------------------------------ Elasticsearch
def _es_client_kwargs() -> dict:
    kw: dict = {"request_timeout": 30}
    api_key = service_setting("ELASTICSEARCH_API_KEY")
    user, password = service_setting("ELASTICSEARCH_USERNAME"), service_setting("ELASTICSEARCH_PASSWORD")
    if api_key:
        kw["api_key"] = api_key
    elif user:
        kw["basic_auth"] = (user, password or "")
    ca = service_setting("ELASTICSEARCH_CA_CERTS")
    if ca:
        kw["ca_certs"] = ca
    return kw


@pytest.fixture(scope="session")
def elasticsearch_url() -> str:
    """Base URL of an Elasticsearch 9 cluster that answers with status yellow or green."""
    url = service_setting("ELASTICSEARCH_URL")
    if not url:
        service_unavailable("Elasticsearch: ELASTICSEARCH_URL is not set and no services env file names one")
    from elasticsearch import Elasticsearch

    try:
        with Elasticsearch(url, **_es_client_kwargs()) as client:
            health = client.cluster.health(wait_for_status="yellow", timeout="10s")
            if health["status"] not in ("yellow", "green"):
                raise RuntimeError(f"cluster status {health['status']}")
    except Exception as e:  # noqa: BLE001
        service_unavailable(f"Elasticsearch at {url} does not answer: {e}")
    return url


@pytest.fixture(scope="session")
def es_client(elasticsearch_url):
    """elasticsearch-py 9 client for elasticsearch_url (auth and CA from the ELASTICSEARCH_* variables)."""
    from elasticsearch import Elasticsearch

    client = Elasticsearch(elasticsearch_url, **_es_client_kwargs())
    yield client
    client.close()


# ------------------------------------------------------------------ S3
@pytest.fixture(scope="session")
def s3_settings() -> dict:
    """{'endpoint_url', 'bucket', 'access_key', 'secret_key', 'region'} of a reachable bucket."""
    settings = {
        "endpoint_url": service_setting("S3_ENDPOINT_URL"),
        "bucket": service_setting("S3_BUCKET"),
        "access_key": service_setting("AWS_ACCESS_KEY_ID"),
        "secret_key": service_setting("AWS_SECRET_ACCESS_KEY"),
        "region": service_setting("AWS_DEFAULT_REGION") or "us-east-1",
    }
    if not settings["endpoint_url"] or not settings["bucket"]:
        service_unavailable("S3: S3_ENDPOINT_URL/S3_BUCKET are not set and no services env file names them")
    try:
        _make_s3_client(settings, retries=1).head_bucket(Bucket=settings["bucket"])
    except Exception as e:  # noqa: BLE001
        service_unavailable(f"S3 bucket {settings['bucket']!r} at {settings['endpoint_url']} does not answer: {e}")
    return settings


def _make_s3_client(settings: dict, retries: int = 3):
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=settings["endpoint_url"],
        aws_access_key_id=settings["access_key"],
        aws_secret_access_key=settings["secret_key"],
        region_name=settings["region"],
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}, connect_timeout=3,
                      read_timeout=30, retries={"max_attempts": retries}),
    )


@pytest.fixture(scope="session")
def s3_client(s3_settings):
    """boto3 S3 client (SigV4, path-style addressing) for s3_settings."""
    return _make_s3_client(s3_settings)


# ------------------------------------------------------------------ SMTP
@dataclass
class SmtpServer:
    """The local SMTP sink: every delivered message is a file in `maildir`.

    messages() -> list[EmailMessage] (policy=email.policy.default), oldest first; each message also
    carries X-Envelope-From / X-Envelope-To headers with the SMTP envelope (Bcc shows there).
    """

    host: str
    port: int
    maildir: Path | None
    _seen_poll: float = field(default=0.2, repr=False)

    def _files(self) -> list[Path]:
        if self.maildir is None:
            raise RuntimeError("this SMTP server has no local Maildir (SMTP_MAILDIR unset): messages cannot be read back")
        files = [p for sub in ("new", "cur") for p in (self.maildir / sub).glob("*") if p.is_file()]
        return sorted(files, key=lambda p: (p.stat().st_mtime_ns, p.name))

    def messages(self) -> list[EmailMessage]:
        out = []
        for path in self._files():
            try:
                out.append(email.message_from_bytes(path.read_bytes(), policy=email.policy.default))
            except FileNotFoundError:  # cleared meanwhile
                continue
        return out

    def clear(self) -> None:
        for path in self._files():
            path.unlink(missing_ok=True)

    def wait_for(self, predicate: Callable[[EmailMessage], bool] | None = None, timeout: float = 10) -> EmailMessage:
        """The first message (oldest first) matching predicate; AssertionError after timeout seconds."""
        predicate = predicate or (lambda m: True)
        deadline = time.monotonic() + timeout
        while True:
            msgs = self.messages()
            for msg in msgs:
                if predicate(msg):
                    return msg
            if time.monotonic() >= deadline:
                subjects = [str(m.get("Subject")) for m in msgs]
                raise AssertionError(f"no matching message within {timeout}s; {len(msgs)} delivered: {subjects}")
            time.sleep(self._seen_poll)


@pytest.fixture(scope="session")
def smtp_server() -> SmtpServer:
    host = service_setting("SMTP_HOST")
    port = int(service_setting("SMTP_PORT") or 25)
    maildir = service_setting("SMTP_MAILDIR")
    if not host:
        service_unavailable("SMTP: SMTP_HOST is not set and no services env file names one")
    if not maildir:
        service_unavailable(f"SMTP at {host}:{port} has no SMTP_MAILDIR: delivered messages cannot be read back")
    if not _port_answers(host, port):
        service_unavailable(f"SMTP server at {host}:{port} does not answer")
    return SmtpServer(host=host, port=port, maildir=Path(maildir))


# ------------------------------------------------------------------ browser
@pytest.fixture(scope="session")
def browser():
    """Playwright (sync API) Browser: Debian's Chromium, headless, with the flags this machine needs.

    Playwright's launch() gives each browser a fresh temporary user-data-dir of its own.
    """
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        service_unavailable(f"Chromium not found at {CHROMIUM} (Debian packages chromium, chromium-driver)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as e:
        service_unavailable(f"playwright is not installed: {e}")
    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
                                     env={**os.environ, "HOME": tempfile.mkdtemp(prefix="portal-chromium-home-")})
    except Exception as e:  # noqa: BLE001
        pw.stop()
        service_unavailable(f"Chromium at {CHROMIUM} did not start: {e}")
    yield browser
    browser.close()
    pw.stop()


def _artifact_name(nodeid: str) -> str:
    name = nodeid.split("::", 1)[-1]
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")[:150] or "test"


@pytest.fixture
def page(browser, request):
    """A new browser context and page per test; on failure a screenshot test-artifacts/<testname>.png."""
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    failed = any(getattr(getattr(request.node, f"rep_{w}", None), "failed", False) for w in ("setup", "call"))
    if failed:
        ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
        target = ARTIFACTS_DIR / f"{_artifact_name(request.node.nodeid)}.png"
        try:
            pg.screenshot(path=str(target), full_page=True)
            request.node.add_report_section("teardown", "screenshot", str(target.resolve()))
        except Exception as e:  # noqa: BLE001
            request.node.add_report_section("teardown", "screenshot", f"failed: {e}")
    context.close()


# ------------------------------------------------------------------ serving a WSGI app to the browser
@pytest.fixture
def wsgi_server() -> Iterator[Callable]:
    """Factory: wsgi_server(app) serves a WSGI app (e.g. the Flask app) on 127.0.0.1 in a thread and
    returns its base URL; stopped at the end of the test. For browser tests of the portal."""
    from werkzeug.serving import make_server

    servers = []

    def start(app, host: str = "127.0.0.1") -> str:
        server = make_server(host, 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append((server, thread))
        return f"http://{host}:{server.server_port}"

    yield start
    for server, thread in servers:
        server.shutdown()
        thread.join(5)
