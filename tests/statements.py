"""Counting the SQL statements a request sends, with SQLAlchemy's `before_cursor_execute` event.

Shared by the statement-budget tests (tests/casefile, tests/search) and the web benchmark:

- `counting(app)`: the statements sent while the block runs.
- `count_pages(app, pages, seen, check)`: each page requested once to warm up and once counted.
- `assert_within_budgets(...)`: no page above its budget, none growing with the data (N+1).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from portal.core import db


@contextmanager
def counting(app: Any) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine()
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def count_pages(app: Any, pages: dict[str, tuple[Any, str]], seen: dict[str, list[str]],
              check: Callable[[str, Any], None] | None = None) -> dict[str, int]:
    """Statements per page: `pages` maps a name to (logged-in test client, URL); each page must answer
    200, and `check(name, response)` asserts that it shows what it is counted for. The statements
    themselves go into `seen` (for the failure message)."""
    counts = {}
    for name, (client, url) in pages.items():
        client.get(url)  # warm-up: first-request caches (reference data, translations) are not the page's cost
        with counting(app) as statements:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        if check is not None:
            check(name, response)
        counts[name] = len(statements)
        seen[name] = statements
    return counts


def assert_within_budgets(budgets: dict[str, int], small: dict[str, int], large: dict[str, int],
                          seen: dict[str, list[str]], small_size: str, large_size: str) -> None:
    """Every page within its budget on the large data set, and no more statements there than on the
    small one (`small_size`/`large_size` name the data sizes in the message)."""
    for name, budget in budgets.items():
        listing = "\n".join(s.split("\n")[0][:120] for s in seen[name])
        assert large[name] <= small[name], f"{name}: {small[name]} statements for {small_size}, {large[name]} for {large_size} (N+1):\n{listing}"
        assert large[name] <= budget, f"{name}: {large[name]} statements, budget {budget}:\n{listing}"
