"""No raw code on any page: every language, occupation, skill, status, audit action and mail status
shows as a label in the page's language, and every date in the one format ("di 15 dec 2026").

The test walks every menu page of every role (and one level deeper) over the demo data and looks
at the text a user reads (tags, scripts and form values aside).
"""
from __future__ import annotations

import html as html_lib
import re

import pytest

from tests.ui.walk import DEMO_PASSWORD, ROLES, flask_getter, walk

#: ISO language codes of the demo's languages that are no Dutch or English word
LANGUAGE_CODES = "ar|ti|fa|prs|ps|so|uk|ru|tr|ku|kmr|ckb|am|sq|bs|hr|sr|ur|hi|bn|ta|zh|es|fr|pl|ro|bg|hu|pt|it|sw|om|ber|tig|aa"
PATTERNS = {
    "dotted code (occ.x, skill.x, event.x)": re.compile(r"(?<![\w@./-])[a-z]+\.[a-z][a-z_]*[a-z](?![\w@/-])"),
    "snake_case identifier": re.compile(r"(?<![\w@./-])[a-z]+_[a-z_]+(?![\w@/-])"),
    "ISO date": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    "numeric date": re.compile(r"\b\d{1,2}[-/]\d{1,2}[-/]\d{2,4}\b"),
    "bare language code": re.compile(rf"(?:(?<=: )|(?<=, )|^)(?:{LANGUAGE_CODES})(?=,|\s|$|\))"),
    "raw JSON": re.compile(r'\{\s*"[a-z_]+"\s*:'),
    "enum value": re.compile(r"(?<![\w-])(logged|queued|waitlisted|no_show|pending_review|meeting_outcome)(?![\w-])"),
}
_DROP = re.compile(r"<(script|style|template|option|textarea)\b.*?</\1>|<!--.*?-->", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_EMAIL_OR_URL = re.compile(r"\S+@\S+|https?://\S+|\b[\w-]+\.(test|local|nl|com|org|ics|csv|json|mp4|vtt)\b")


def visible_text(page: str) -> str:
    body = page[page.find("<body"):] if "<body" in page else page
    text = _TAG.sub("\n", _DROP.sub(" ", body))
    text = html_lib.unescape(text)
    return _EMAIL_OR_URL.sub(" ", text)


def raw_codes(page: str) -> list[str]:
    found = []
    for line in visible_text(page).splitlines():
        line = " ".join(line.split())
        for name, pattern in PATTERNS.items():
            for match in pattern.finditer(line):
                found.append(f"{name}: {match.group(0)!r} in {line[:120]!r}")
    return found


def test_the_detector_finds_what_users_complained_about():
    assert raw_codes("<body><p>Tolken: ar, ti</p></body>")
    assert raw_codes("<body><p>Werkervaring: occ.truck_driver (occ.truck_driver)</p></body>")
    assert raw_codes("<body><td>event.meeting_outcome</td><td>logged</td></body>")
    assert raw_codes("<body><p>Start 2026-12-15</p><p>01-12-2026, 06:50</p></body>")
    assert raw_codes('<body><pre>{"outcome": "hired"}</pre></body>')
    assert not raw_codes("<body><p>Tolken: Arabisch, Tigrinya</p><p>di 15 dec 2026, 10:00</p>"
                         "<p>Mail aan els@demo.test, zie https://example.test/a_b.</p></body>")


@pytest.fixture
def demo_app(app):
    from portal import demo
    from portal.core import db

    from portal.core import audit
    from portal.core.mail import MailMessage

    with app.app_context():
        demo.load()
        # what a day of use leaves in the logs: audit entries with details, mails in every state
        audit.record("event.meeting_outcome", None, outcome="hired", candidate_id=1, at="2026-12-15T10:00:00")
        audit.record("placement.publish", None, **{"from": "draft", "to": "published"})
        audit.record("consent.recorded", None, organisation_ids=[1, 2], video_allowed=True, expires_at="2027-06-01")
        for n, state in enumerate(("queued", "sent", "logged", "failed")):
            db.session.add(MailMessage(recipient="els@demo.test", subject=f"Bevestiging {n}", body="Hallo", template="invitation",
                                       state=state))
        db.commit()
    return app


@pytest.mark.parametrize("role", [None, *ROLES])
def test_no_page_shows_a_raw_code(demo_app, make_client, role):
    client = make_client()
    if role:
        client.login(ROLES[role], password=DEMO_PASSWORD)
    problems = []
    pages = 0
    for path, page in walk(flask_getter(client), role):
        pages += 1
        problems += [f"{path}: {p}" for p in raw_codes(page)]
    assert pages >= (3 if role is None else 4)
    assert problems == [], "\n".join(problems)
