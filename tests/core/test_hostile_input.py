"""Every form of every role, posted with hostile values: never a server error, nothing saved on refusal.

The forms are discovered, not listed: as each role, every page of the URL map that the role may GET
(the tables of tests/<area>/access.py, the objects of their `objects()`) is fetched, its <form>s
parsed, and each field of each distinct form posted with a set of hostile values chosen by the
field's type (empty, blank, huge, negative, ids above 2^31-1 and 2^63-1, NUL bytes, impossible and
far-future dates, wrong choices), the other fields keeping the page's own values. Each form also
gets every field twice, a JSON body (object and non-object) and a body above the size limit. Every
URL with an integer id is also requested with ids above the 32- and 64-bit ranges.

Each request runs inside a savepoint that is rolled back afterwards, so one accepted value cannot
disturb the next request, and a refused one (status >= 400) is checked to have saved nothing:
the row count of every table (one query) is unchanged.

Kept fast without probing less: one app, database and logged-in client per role for the whole
run; each distinct form (by endpoint) is probed once; a request identical to one already sent for
that form (a form of only a CSRF token gets the same body for every "every field" value; the
checkboxes of one list share a name) is not sent again; the rows of a repeated sub-form
(`languages-0-…`, `languages-1-…`) count as one field, so the per-type budget reaches distinct
fields.
"""
from __future__ import annotations

import dataclasses
import json
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import func, select
from werkzeug.routing.converters import NumberConverter

from tests.conftest import both_databases
from tests.core.test_access_by_role import ANONYMOUS, ROLES, _build, expected_access, route_world  # noqa: F401

pytestmark = [both_databases]

BODY_LIMIT = 256 * 1024

#: Forms whose purpose is to end the session under test (covered in tests/accounts).
SKIP_ACTIONS = {"accounts.logout", "admin.end_user_sessions"}

HUGE_ID = str(2**63)
HUGER_ID = "9" * 30
#: The first id beyond the INTEGER columns (portal.core.hardening.MAX_ID + 1).
INT32_ID = str(2**31)
#: Sent in every field of a form at once.
EVERY_FIELD = ["", "   ", "\x00", HUGE_ID, "-1", "x" * 3000]
#: Sent in one field at a time (the others keep the page's values), by the field's type.
BY_KIND = {
    "text": ["a\x00b", "\u202eexe.txt"],
    "textarea": ["a\x00b"],
    "number": [HUGE_ID, "2147483648", "-1", "1e309"],
    "date": ["9999-12-31", "2025-02-30", "0001-01-01"],
    "time": ["25:61"],
    "datetime-local": ["9999-12-31T23:59"],
    "choice": [" ", INT32_ID, HUGE_ID, "nope"],
    "email": ["a\x00@example.nl"],
    "hidden": [INT32_ID, HUGE_ID, " "],
}


@dataclasses.dataclass
class FormField:
    name: str
    kind: str
    value: str | None  # None: not sent by a browser (unchecked box)


@dataclasses.dataclass
class FormSpec:
    action: str
    method: str
    enctype: str
    fields: list[FormField]

    def baseline(self) -> list[tuple[str, str]]:
        return [(f.name, f.value) for f in self.fields if f.value is not None]


class _FormParser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[FormSpec] = []
        self._form: FormSpec | None = None
        self._select: FormField | None = None
        self._select_first: str | None = None
        self._textarea: FormField | None = None
        self._radios: dict[str, FormField] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = FormSpec(
                action=urljoin(self.page_url, a.get("action") or self.page_url),
                method=(a.get("method") or "get").lower(), enctype=a.get("enctype", ""), fields=[],
            )
            self._radios = {}
            return
        if self._form is None or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._option(a)
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if kind == "radio" and name in self._radios:
                    if "checked" in a:
                        self._radios[name].value = a.get("value", "on")
                    return
                field = FormField(name, "choice", a.get("value", "on") if ("checked" in a or kind == "radio") else None)
                if kind == "radio":
                    self._radios[name] = field
                self._form.fields.append(field)
                return
            if kind not in BY_KIND:
                kind = "text"
            self._form.fields.append(FormField(name, kind, a.get("value", "")))
        elif tag == "select":
            self._select = FormField(name, "choice", None)
            self._select_first = None
            self._form.fields.append(self._select)
        elif tag == "textarea":
            self._textarea = FormField(name, "textarea", "")
            self._form.fields.append(self._textarea)
        elif tag == "option" and self._select is not None:
            self._option(a)

    def _option(self, a: dict[str, str]) -> None:
        value = a.get("value", "")
        if self._select_first is None:
            self._select_first = value
            self._select.value = value
        if "selected" in a:
            self._select.value = value

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value = (self._textarea.value or "") + data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse_forms(html: str, page_url: str) -> list[FormSpec]:
    parser = _FormParser(page_url)
    parser.feed(html)
    return parser.forms


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"MAX_CONTENT_LENGTH": BODY_LIMIT}


class Probe:
    """Sends requests inside a rolled-back savepoint and checks the outcome."""

    def __init__(self, app: Any, client: Any) -> None:
        from portal.core import db

        self.client = client
        self.connection = app.extensions["portal.sessionmaker"].kw["bind"]
        tables = list(db.Base.metadata.sorted_tables)
        self.count_query = select(*[select(func.count()).select_from(t).scalar_subquery().label(t.name) for t in tables])
        self.failures: list[str] = []
        self.requests = 0
        self.skipped = 0  # identical to a request already sent
        self._sent: set[Any] = set()
        self.baseline = self.counts()  # every request is rolled back, so this never changes

    def counts(self) -> dict[str, int]:
        return dict(self.connection.execute(self.count_query).one()._mapping)

    def send_once(self, label: str, method: str, url: str, **kwargs: Any) -> Any:
        """`send`, unless the same method, URL and body went out already (same outcome, nothing to learn)."""
        key = (method.lower(), url, kwargs.get("content_type"), repr(kwargs.get("data")), repr(kwargs.get("query_string")))
        if key in self._sent:
            self.skipped += 1
            return None
        self._sent.add(key)
        return self.send(label, method, url, **kwargs)

    def send(self, label: str, method: str, url: str, **kwargs: Any) -> Any:
        savepoint = self.connection.begin_nested()
        try:
            before = self.baseline
            self.requests += 1
            try:
                response = self.client.open(url, method=method.upper(), **kwargs)
            except Exception as exc:  # noqa: BLE001 - an unhandled error is a 500 for the user
                self.failures.append(f"500 {method.upper()} {url} {label}: {type(exc).__name__}: {str(exc)[:150]}")
                return None
            if response.status_code >= 500:
                self.failures.append(f"{response.status_code} {method.upper()} {url} {label}")
            elif response.status_code >= 400:
                after = self.counts()
                changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]
                           and t not in ("login_attempts", "audit_entries")}
                if changed:
                    self.failures.append(f"refused ({response.status_code}) but saved {changed}: {method} {url} {label}")
            return response
        finally:
            savepoint.rollback()


def _pages(app: Any, values: dict[str, Any], who: str) -> list[str]:
    table = expected_access()
    urls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        if "GET" not in rule.methods or who not in table[rule.endpoint] or rule.endpoint == "static":
            continue
        urls.append(_build(app, rule, values))
    return urls


def _endpoint(app: Any, url: str, method: str) -> str | None:
    adapter = app.url_map.bind("portal.test")
    try:
        endpoint, _args = adapter.match(urlsplit(url).path, method=method.upper())
    except Exception:  # noqa: BLE001 - a form pointing elsewhere
        return None
    return endpoint


def _distinct_forms(app: Any, client: Any, pages: list[str], seen: set[tuple[str, str]]) -> list[tuple[str, FormSpec]]:
    forms = []
    for page in pages:
        response = client.get(page)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        for form in parse_forms(response.get_data(as_text=True), "http://localhost" + page):
            endpoint = _endpoint(app, form.action, form.method)
            if endpoint is None or endpoint in SKIP_ACTIONS:
                continue
            key = (endpoint, form.method)
            if key in seen:
                continue
            seen.add(key)
            forms.append((endpoint, form))
    return forms


def _post(probe: Probe, form: FormSpec, data: list[tuple[str, str]], label: str) -> None:
    from werkzeug.datastructures import MultiDict

    path = urlsplit(form.action)
    url = path.path + (f"?{path.query}" if path.query else "")
    if form.method == "get":
        probe.send_once(label, "get", path.path, query_string=MultiDict(data))
    else:
        probe.send_once(label, "post", url, data=MultiDict(data),
                        content_type="multipart/form-data" if "multipart" in form.enctype else None)


#: Fields of one type in one form go through the same validation; at most this many are probed
#: one by one (all of them get the every-field requests).
FIELDS_PER_KIND = 3


def test_hostile_values_in_every_form_of_every_role(app, make_client, route_world):
    """Each distinct form (by endpoint) is probed once, as the first role that finds it."""
    users, values = route_world
    seen: set[tuple[str, str]] = set()
    failures: list[str] = []
    total = 0
    for who in [ANONYMOUS, *ROLES]:
        client = make_client()
        if who != ANONYMOUS:
            client.login(users[who])
        probe = Probe(app, client)
        forms = _distinct_forms(app, client, _pages(app, values, who), seen)
        for endpoint, form in forms:
            _probe_form(probe, endpoint, form)
        failures += [f"{who}: {failure}" for failure in probe.failures]
        total += probe.requests
        print(f"{who}: {len(forms)} forms, {probe.requests} requests, {probe.skipped} identical ones not repeated")
    assert len(seen) > 40, "fewer forms found than the portal has"
    assert not failures, f"{len(failures)} of {total} hostile requests failed:\n" + "\n".join(failures)


_ROW = re.compile(r"-\d+-")


def _probe_form(probe: Probe, endpoint: str, form: FormSpec) -> None:
    baseline = form.baseline()
    probed: dict[str, int] = {}
    fields_seen: set[str] = set()
    for field in form.fields:
        same_field = _ROW.sub("-n-", field.name)  # a checkbox list's boxes, a sub-form's rows: one field
        if field.name == "csrf_token" or same_field in fields_seen or probed.get(field.kind, 0) >= FIELDS_PER_KIND:
            continue
        fields_seen.add(same_field)
        probed[field.kind] = probed.get(field.kind, 0) + 1
        for hostile in BY_KIND.get(field.kind, BY_KIND["text"]):
            data = [(n, v) for n, v in baseline if n != field.name] + [(field.name, hostile)]
            _post(probe, form, data, f"[{endpoint}] {field.name}={hostile[:30]!r}")
    for hostile in EVERY_FIELD:
        data = [(n, v if n == "csrf_token" else hostile) for n, v in baseline]
        _post(probe, form, data, f"[{endpoint}] every field={hostile[:30]!r}")
    doubled = baseline + [(n, HUGE_ID) for n, _v in baseline if n != "csrf_token"]
    _post(probe, form, doubled, f"[{endpoint}] every field twice")
    if form.method != "post":
        return
    token = dict(baseline).get("csrf_token", "")
    path = urlsplit(form.action).path
    for body in ([1, 2, 3], "just a string"):
        probe.send(f"[{endpoint}] JSON {json.dumps(body)[:20]}", "post", path,
                   data=json.dumps(body), content_type="application/json", headers={"X-CSRFToken": token})
    response = probe.send(f"[{endpoint}] oversized body", "post", path,
                          data={"csrf_token": token, "note": "x" * (BODY_LIMIT + 1)})
    if response is not None and response.status_code != 413:
        probe.failures.append(f"[{endpoint}] oversized body: {response.status_code}, expected 413")


def test_ids_beyond_the_integer_range_in_every_url(app, make_client, route_world):
    """An id above 2^31-1 (the INTEGER columns), 2^63-1 or far beyond in any URL is 'not found', never a 500."""
    users, values = route_world
    client = make_client()
    client.login(users["admin"])
    clients = {"admin": client}
    for role in ("employer", "account_manager", "wsp"):
        clients[role] = make_client()
        clients[role].login(users[role])
    probe = Probe(app, client)
    table = expected_access()
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            ints = [arg for arg in rule.arguments if isinstance(rule._converters[arg], NumberConverter)]
            if not ints:
                continue
            who = next((r for r in ("admin", "wsp", "account_manager", "employer") if r in table[rule.endpoint]), None)
            if who is None:
                continue
            probe.client = clients[who]
            method = "GET" if "GET" in rule.methods else "POST"
            for huge in (INT32_ID, HUGE_ID, HUGER_ID):
                args = {arg: values[arg] for arg in rule.arguments}
                url = url_for(rule.endpoint, **args)
                for arg in ints:
                    url = url.replace(f"/{values[arg]}", f"/{huge}", 1)
                response = probe.send(f"[{rule.endpoint}]", method, url)
                if response is not None and response.status_code != 404 and method == "GET":
                    probe.failures.append(f"[{rule.endpoint}] {url}: {response.status_code}, expected 404")
    assert probe.requests > 20
    assert not probe.failures, "\n".join(probe.failures)


@pytest.mark.parametrize("body", ["[1, 2]", '"text"', "null", "12", "{not json"])
def test_non_object_json_on_the_video_upload_start_is_a_clear_refusal(login_as, factory, body):
    from tests.candidates.factories import CandidateFactory

    manager = login_as("account_manager")
    candidate = CandidateFactory(factory).candidate(owner=manager.user, consent=True)
    for url in (f"/kandidaten/beheer/{candidate.id}/video/upload", f"/kandidaten/beheer/{candidate.id}/video/upload/klaar"):
        response = manager.post(url, data=body, content_type="application/json",
                                headers={"X-CSRFToken": manager.csrf_token()})
        assert response.status_code == 400, (url, response.status_code)
        assert response.is_json and response.get_json()["error"]
