"""Screenshots of every role's main pages at phone and desktop width, to look at before calling a
screen done. Not collected by pytest; run it against a portal that has the demo data:

    make run                                   # in one terminal (http://127.0.0.1:5000)
    .venv/bin/python -m tests.ui.screenshots --base http://127.0.0.1:5000 --out /tmp/shots

It walks the same pages as the layout test (tests/ui/walk.py): each role's start page and menu
pages (no detail pages unless --deeper), and writes one full-page PNG per page and width, named
<role>-<width>-<path>.png, plus index.txt with each page's height in pixels.
"""
from __future__ import annotations

import argparse
import os
import re
import tempfile
from pathlib import Path

from tests.plugins.services import CHROMIUM, CHROMIUM_ARGS
from tests.ui.walk import DEMO_PASSWORD, ROLES, walk

WIDTHS = (375, 1280)


def _name(role: str, width: int, path: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_") or "start"
    return f"{role}-{width}-{slug[:80]}.png"


def shoot(base: str, out: Path, roles: list[str], deeper: bool, limit: int) -> list[str]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
                                     env={**os.environ, "HOME": tempfile.mkdtemp(prefix="portal-shots-")})
        for role in roles:
            for width in WIDTHS:
                context = browser.new_context(viewport={"width": width, "height": 800}, locale="nl-NL")
                page = context.new_page()
                if role != "anonymous":
                    page.goto(f"{base}/login")
                    page.get_by_label("E-mailadres").fill(ROLES[role])
                    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
                    page.get_by_role("button", name="Inloggen").click()
                    page.wait_for_load_state()

                def get(path: str):
                    response = page.goto(base + path)
                    if response is None or "text/html" not in (response.headers.get("content-type") or ""):
                        return 415, path, ""
                    return response.status, page.url.removeprefix(base), page.content()

                for path, _html in walk(get, None if role == "anonymous" else role, deeper=deeper, limit=limit):
                    name = _name(role, width, path)
                    page.screenshot(path=str(out / name), full_page=True)
                    height, scroll = page.evaluate(
                        "[document.documentElement.scrollHeight, document.documentElement.scrollWidth]")
                    lines.append(f"{name}\t{height} px high\t{scroll} px wide")
                context.close()
        browser.close()
    (out / "index.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:5000")
    parser.add_argument("--out", type=Path, default=Path("test-artifacts/screenshots"))
    parser.add_argument("--roles", default=",".join(["anonymous", *ROLES]))
    parser.add_argument("--deeper", action="store_true", help="also the first detail pages of each list")
    parser.add_argument("--limit", type=int, default=20, help="pages per role and width")
    args = parser.parse_args()
    for line in shoot(args.base.rstrip("/"), args.out, args.roles.split(","), args.deeper, args.limit):
        print(line)


if __name__ == "__main__":
    main()
