"""Every page a role reaches is valid HTML (html-validate's recommended rules, style rules aside):
unique ids (the CSRF token of every form used to repeat id="csrf_token"), escaped `&`, allowed content.
html-validate comes from npm into tests/a11y/node_modules (installed by `make test`, like axe-core)."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.plugins.services import service_unavailable
from tests.ui.test_no_raw_codes import demo_app  # noqa: F401  (fixture: the demo data)
from tests.ui.walk import DEMO_PASSWORD, ROLES, flask_getter, walk

HERE = Path(__file__).resolve().parent
VALIDATOR = HERE.parent / "a11y" / "node_modules" / "html-validate"
CONFIG = HERE / "htmlvalidate.json"


def validate(files: list[Path]) -> dict[str, list[str]]:
    if not VALIDATOR.exists() or shutil.which("node") is None:
        service_unavailable(f"html-validate is not installed at {VALIDATOR} (run `npm ci --prefix tests/a11y`)")
    out = subprocess.run(["node", str(HERE / "validate_html.mjs"), str(CONFIG), *map(str, files)],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    return {r["file"]: r["messages"] for r in json.loads(out)}


def test_the_validator_finds_duplicate_ids_and_raw_ampersands(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text('<!doctype html><html lang="nl"><head><title>x</title></head><body><main>'
                   '<input type="hidden" id="csrf_token" name="a"><input type="hidden" id="csrf_token" name="b">'
                   '<a href="/x?a=1&b=2">Tom & Jerry</a></main></body></html>')
    messages = " ".join(validate([bad])[str(bad)])
    assert "no-dup-id" in messages


@pytest.mark.parametrize("role", [None, *ROLES])
def test_every_page_is_valid_html(demo_app, make_client, tmp_path, role):  # noqa: F811
    client = make_client()
    if role:
        client.login(ROLES[role], password=DEMO_PASSWORD)
    files = {}
    for n, (path, page) in enumerate(walk(flask_getter(client), role)):
        target = tmp_path / f"page{n}.html"
        target.write_text(page)
        files[str(target)] = path
    assert len(files) >= 3
    problems = [f"{files[f]}: {m}" for f, messages in validate([Path(f) for f in files]).items() for m in messages]
    assert problems == [], "\n".join(problems)
