"""Walk the pages a role uses: its start page, every page of its menu, a few extra pages per role
and, one level deeper, the first detail links of each list page. Used by the raw-code test, the
HTML validation test and the browser layout test, so they all look at the same pages.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator

DEMO_PASSWORD = "demo-portal"
ROLES = {
    "employer": "employer@demo.test",
    "account_manager": "accountmanager@demo.test",
    "wsp": "wsp@demo.test",
    "admin": "admin@demo.test",
    "policy_officer": "policy@demo.test",
}
PUBLIC_PAGES = ["/", "/login", "/registreren", "/wachtwoord-vergeten", "/privacy", "/toegankelijkheid"]
EXTRA_PAGES = {
    "employer": ["/plekken/nieuw", "/account"],
    "account_manager": ["/kandidaten/beheer/nieuw"],
    "wsp": ["/wsp/uitnodigingen"],
    "admin": ["/beheer/gebruikers"],
    "policy_officer": ["/account", "/resultaten?gemeente=Zaanstad&indeling=type"],
}
#: links that are downloads or actions, not pages
_SKIP = re.compile(r"\.(json|ics|csv|vtt|mp4|webm|jpg|png)(\?|$)|/(video|media|poster|download|export)\b|/uitloggen")
_MENU_LINK = re.compile(r'<a class="utrecht-nav-list__link" href="([^"]+)"')
_MAIN = re.compile(r"<main\b.*?</main>", re.S)
_HREF = re.compile(r'<a\b[^>]*\bhref="(/[^"#]*)"')
_DETAIL_SCOPES = re.compile(r"<(table|article|ul|ol)\b.*?</\1>", re.S)


def menu_paths(html: str) -> list[str]:
    return _MENU_LINK.findall(html)


def detail_links(html: str, limit: int = 2) -> list[str]:
    """The first links inside the tables, cards and lists of a page's main content."""
    main = _MAIN.search(html)
    found: list[str] = []
    for scope in _DETAIL_SCOPES.finditer(main.group(0) if main else ""):
        for href in _HREF.findall(scope.group(0)):
            href = href.replace("&amp;", "&")
            if not _SKIP.search(href) and href not in found:
                found.append(href)
        if len(found) >= limit:
            break
    return found[:limit]


def walk(get: Callable[[str], tuple[int, str, str]], role: str | None, *, deeper: bool = True,
         limit: int = 60) -> Iterator[tuple[str, str]]:
    """Yield (path, html) for every page the role reaches; `get(path)` -> (status, final path, html)."""
    seen: set[str] = set()
    queue: list[tuple[str, bool]] = []
    if role is None:
        queue = [(p, False) for p in PUBLIC_PAGES]
    else:
        status, start, html = get("/")
        queue = [(start, deeper)] + [(p, deeper) for p in menu_paths(html)] + [(p, False) for p in EXTRA_PAGES.get(role, [])]
    while queue and len(seen) < limit:
        path, go_deeper = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        status, final, html = get(path)
        if status != 200:
            continue
        yield path, html
        if go_deeper:
            queue += [(p, False) for p in detail_links(html) if p not in seen]


def flask_getter(client) -> Callable[[str], tuple[int, str, str]]:
    """A getter over a Flask test client that follows redirects."""
    def get(path: str) -> tuple[int, str, str]:
        response = client.get(path, follow_redirects=True)
        final = response.request.path if response.request is not None else path
        if not (response.content_type or "").startswith("text/html"):
            return 415, final, ""
        return response.status_code, final, response.get_data(as_text=True)
    return get
