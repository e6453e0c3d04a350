"""Absolute links for mails and calendar files, also outside a request (CLI, worker)."""
from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values: Any) -> str:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        with current_app.test_request_context("/"):
            path = url_for(endpoint, **values)
    return base + path
