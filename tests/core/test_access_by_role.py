"""Every route of the URL map, for every role and for an anonymous visitor.

Access rules are data: each area lists its endpoints and the roles they admit in
`tests/<area>/access.py` (`ACCESS`), plus `objects(factory, employer)` that creates the records
its URLs need (owned by `employer`'s organisation). This test fails when a route has no entry,
when an entry names a route that does not exist, and when a role gets a different outcome than
the table says: admitted -> not refused (and, for GET, a page or a redirect that is not the login);
not admitted -> 403, or the login page for an anonymous visitor. Routes listed as `"api_key"`
(tests/api/access.py) authenticate by API key only: every browser role, signed in or not, gets
401 problem+json there.
"""
from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest

import tests

ANONYMOUS = "anonymous"
ROLES = ["employer", "account_manager", "wsp", "admin", "policy_officer"]
API_KEY = "api_key"
EVERYONE = {ANONYMOUS, *ROLES}
#: The roles that work with persons; the policy officer (aggregates only) is refused their pages.
SIGNED_IN = {"employer", "account_manager", "wsp", "admin"}
#: Every signed-in role, the policy officer included (own account, logging out).
AUTHENTICATED_ROLES = set(ROLES)


def _area_modules() -> list[Any]:
    modules = []
    for info in pkgutil.iter_modules(tests.__path__):
        if info.ispkg:
            try:
                modules.append(importlib.import_module(f"tests.{info.name}.access"))
            except ModuleNotFoundError as exc:
                if exc.name != f"tests.{info.name}.access":
                    raise
    return modules


def expected_access() -> dict[str, set[str]]:
    table: dict[str, set[str]] = {}
    for module in _area_modules():
        for endpoint, roles in module.ACCESS.items():
            assert endpoint not in table, f"{endpoint} is listed twice"
            table[endpoint] = {API_KEY} if roles == API_KEY else set(roles)
    return table


def test_every_route_has_exactly_one_rule_in_the_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    table = expected_access()
    assert sorted(endpoints - table.keys()) == [], "routes without an entry in a tests/<area>/access.py"
    assert sorted(table.keys() - endpoints) == [], "entries for routes that do not exist"


def test_every_route_declares_its_access_in_the_app(app):
    from portal.core.access import declared_access

    with app.test_request_context():
        undeclared = [r.endpoint for r in app.url_map.iter_rules() if declared_access(r.endpoint) is None]
    assert undeclared == []


@pytest.fixture
def route_world(app, factory):
    employer = factory.user("employer")
    users = {role: (employer if role == "employer" else factory.user(role)) for role in ROLES}
    values: dict[str, Any] = {}
    for module in _area_modules():
        for name, value in (module.objects(factory, employer) or {}).items():
            assert name not in values, (
                f"{module.__name__} provides URL value {name!r} again; URL argument names must be unique "
                "to one area (reuse the other area's object instead)"
            )
            values[name] = value
    return users, values


def _build(app, rule, values) -> str:
    missing = [arg for arg in rule.arguments if arg not in values]
    assert not missing, f"{rule.endpoint}: no test value for {missing} (add it to objects() in tests/<area>/access.py)"
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{arg: values[arg] for arg in rule.arguments})


@pytest.mark.parametrize("who", [ANONYMOUS, *ROLES])
def test_route_outcomes_match_the_table(app, make_client, route_world, who):
    users, values = route_world
    table = expected_access()
    client = make_client()
    if who != ANONYMOUS:
        client.login(users[who])
    failures = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        if rule.endpoint in ("accounts.logout",):
            continue  # would end this client's session; covered in tests/accounts
        url = _build(app, rule, values)
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        response = client.open(url, method=method)
        location = response.headers.get("Location", "")
        allowed = who in table[rule.endpoint]
        if table[rule.endpoint] == {API_KEY}:
            if response.status_code != 401 or response.mimetype != "application/problem+json":
                failures.append(f"{rule.endpoint} {method} {url}: a browser session must get 401 problem+json, "
                                f"got {response.status_code} {response.mimetype}")
        elif allowed:
            refused = response.status_code in (401, 403) or (response.status_code == 302 and "/login" in location and rule.endpoint != "accounts.login")
            bad_get = method == "GET" and response.status_code >= 400
            if refused or bad_get:
                failures.append(f"{rule.endpoint} {method} {url}: admitted but got {response.status_code} {location}")
        else:
            expected = 302 if who == ANONYMOUS else 403
            if response.status_code != expected or (who == ANONYMOUS and "/login" not in location):
                failures.append(f"{rule.endpoint} {method} {url}: refused expected {expected}, got {response.status_code}")
    assert failures == []
