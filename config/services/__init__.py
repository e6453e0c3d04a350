"""Real services for tests and local runs (issue 3).

    .venv/bin/python -m config.services up|down|status|env

starts, on 127.0.0.1, whatever is not already provided through environment variables:
PostgreSQL 15 (55432), Elasticsearch 9 (59200), S3Proxy (58080) and an SMTP sink (58025);
and, as root, installs Debian's chromium, chromium-driver, ffmpeg and espeak-ng when missing.

Downloads are cached under ~/.cache/portal-services (PORTAL_SERVICES_CACHE); runtime state
(pid files, logs, data, services.env) lives in ${PORTAL_SERVICES_DIR:-/tmp/portal-services}.
"""
