"""Demo data: check-ins done, due and overdue on the demo starts, a finished traject with a contract,
notes and contact moments; loading twice adds nothing."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from portal.core import db


def test_demo_has_the_whole_aftercare_journey(app, make_client):
    from portal import demo
    from portal.aftercare.models import AftercareResult, CheckIn, ResultKind
    from portal.casefile.models import CaseNote, ContactMoment
    from portal.trajects.models import Traject, TrajectStage

    with app.app_context():
        demo.load()
        db.commit()
        counts = lambda: (db.session.scalar(select(func.count(CheckIn.id))),  # noqa: E731
                          db.session.scalar(select(func.count(CaseNote.id))),
                          db.session.scalar(select(func.count(AftercareResult.id))))
        first = counts()
        demo.load()
        db.commit()
        assert counts() == first
        today = dt.date.today()
        done = db.session.scalar(select(func.count(CheckIn.id)).where(CheckIn.done_at.is_not(None)))
        overdue = db.session.scalar(select(func.count(CheckIn.id)).where(CheckIn.done_at.is_(None), CheckIn.due_on < today))
        upcoming = db.session.scalar(select(func.count(CheckIn.id)).where(CheckIn.done_at.is_(None), CheckIn.due_on >= today))
        assert done >= 2 and overdue >= 1 and upcoming >= 1
        from portal.candidates.demo import CANDIDATES
        from portal.candidates.models import Candidate

        # the aftercare area's own result (the results demo adds a history of its own)
        result = db.session.scalars(select(AftercareResult).join(Candidate).where(
            Candidate.first_name.in_([row[0] for row in CANDIDATES]))).one()
        assert result.kind == ResultKind.CONTRACT
        assert db.session.get(Traject, result.start.traject_id).stage == TrajectStage.FINISHED
        assert db.session.scalar(select(func.count(ContactMoment.id))) >= 3
        finished_candidate = result.candidate_id
        owner_email = result.start.traject.candidate.owner.email

    am = make_client()
    am.login("accountmanager@demo.test", "demo-portal")
    assert "te laat" in am.get("/nazorg").get_data(as_text=True)
    owner = make_client()  # the finished case may be in either demo municipality: its own account manager reads it
    owner.login(owner_email, "demo-portal")
    html = owner.get(f"/kandidaten/beheer/{finished_candidate}").get_data(as_text=True)
    assert "Arbeidscontract (tijdelijk contract)" in html and "had het nazorgcontact" in html
