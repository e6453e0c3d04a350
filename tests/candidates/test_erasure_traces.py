"""After erasure the candidate's name is nowhere: not in any table (mail log with .ics attachments,
job payloads, audit details) and, on SQLite, not in the database file or its write-ahead log."""
from __future__ import annotations

import base64
from pathlib import Path

from sqlalchemy import Text, cast, select, text

from portal.core import db
from tests.candidates.factories import CandidateFactory
from tests.conftest import Factory, both_databases

pytestmark = [both_databases]

FIRST, SURNAME = "Zuleikha", "Qarabaghiyeva"


def _leave_traces(app, candidate_id: int) -> None:
    from portal.candidates.models import Candidate
    from portal.core import audit, jobs
    from portal.core.mail import Attachment, queue_mail

    with app.test_request_context():
        candidate = db.session.get(Candidate, candidate_id)
        ics = ("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Gesprek met " + f"{FIRST} {SURNAME[0]}." +
               "\r\nDESCRIPTION:Kennismaking met een kandidaat van het Werkportaal: " + f"{FIRST} {SURNAME}" +
               " komt langs\r\n  om tien uur\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
        owner = candidate.owner
        queue_mail("werkgever@example.nl", "region_proposal_request", owner=owner, asker=owner,
                   first_name=f"{FIRST} {SURNAME[0]}.", message=f"Over {FIRST} {SURNAME}", link="https://x",
                   attachments=(Attachment("gesprek.ics", "text/calendar", ics.encode()),))
        jobs.enqueue("candidates.process_video", video_id=0, token="t", transcript=f"Ik ben {FIRST} {SURNAME}")
        done = jobs.enqueue("candidates.process_video", video_id=0, token="t", note=f"{FIRST} {SURNAME}")
        done.state = "done"
        audit.record("meeting.note", None, candidate_id=candidate.id, note=f"Gesprek met {FIRST} {SURNAME}")
        db.commit()


def _name_in_tables(app) -> list[str]:
    found = []
    with app.app_context():
        connection = db.session.connection()
        for table in db.Base.metadata.sorted_tables:
            textual = [c for c in table.columns if not c.type.__class__.__name__.startswith(("Integer", "Boolean", "Date", "UTC", "Float", "Numeric", "BigInteger", "SmallInteger"))]
            for column in textual:
                rows = connection.execute(select(cast(column, Text)).select_from(table)).scalars()
                for value in rows:
                    if value and (FIRST.lower() in value.lower() or SURNAME.lower() in value.lower()):
                        found.append(f"{table.name}.{column.name}")
                    elif value and table.name == "mail_messages" and column.name == "attachments":
                        for chunk in value.split('"data": "')[1:]:
                            decoded = base64.b64decode(chunk.split('"')[0]).decode("utf-8", "replace")
                            if FIRST in decoded or SURNAME in decoded:
                                found.append("mail_messages.attachments (decoded)")
    return found


def test_erasure_leaves_the_name_in_no_table_and_no_file_byte(committing_app, database):
    app = committing_app
    factory = Factory(app)
    candidate = CandidateFactory(factory).candidate(published=True, first_name=FIRST, surname=SURNAME)
    _leave_traces(app, candidate.id)
    assert _name_in_tables(app), "the test left no traces to erase"

    from portal.accounts.models import User
    from portal.candidates import operations
    from portal.candidates.models import Candidate

    with app.test_request_context():
        operations.erase_candidate(db.session.get(Candidate, candidate.id), db.session.get(User, candidate.owner_id))
        db.commit()

    assert _name_in_tables(app) == []
    if database == "sqlite":
        path = Path(app.config["DATABASE_URL"].removeprefix("sqlite:///"))
        for file in (path, Path(f"{path}-wal")):
            if file.exists():
                data = file.read_bytes()
                assert FIRST.encode() not in data and SURNAME.encode() not in data, f"the name is still in {file.name}"
        with app.app_context():
            assert db.session.execute(text("PRAGMA secure_delete")).scalar() == 1
