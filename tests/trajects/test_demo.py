"""The demo data holds trajects at every stage, pending and answered proposals, and past starts."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from portal import demo
from portal.core import db
from portal.trajects.models import PlacementStart, Proposal, ProposalAnswer, Traject, TrajectStage


def test_demo_has_every_stage_and_loads_twice(app):
    with app.test_request_context():
        demo.load()
        db.commit()
        stages = set(db.session.scalars(select(Traject.stage)))
        assert stages == set(TrajectStage), stages
        answers = set(db.session.scalars(select(Proposal.answer)))
        assert {ProposalAnswer.PENDING, ProposalAnswer.INVITED, ProposalAnswer.DECLINED} <= answers
        from portal.candidates.demo import CANDIDATES
        from portal.candidates.models import Candidate

        # the starts of the trajects area's own plan (the results demo adds a history of its own)
        starts = list(db.session.scalars(select(PlacementStart).join(Traject).join(Candidate).where(
            Candidate.first_name.in_([row[0] for row in CANDIDATES]))))
        today = dt.date.today()
        assert sorted((today - s.start_date).days for s in starts) == [9, 45, 100, 220]
        total = db.session.scalar(select(func.count(Traject.id)))
        demo.load()
        db.commit()
        assert db.session.scalar(select(func.count(Traject.id))) == total
        demo.remove()
        db.commit()
        assert db.session.scalar(select(func.count(Traject.id))) == 0
