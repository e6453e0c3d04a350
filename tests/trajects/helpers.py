from __future__ import annotations

from typing import Any

from sqlalchemy import select

from portal.core import db


def load_traject(app: Any, candidate_id: int, placement_id: int) -> Any:
    from portal.trajects.models import Traject

    with app.app_context():
        traject = db.session.scalars(select(Traject).where(Traject.candidate_id == candidate_id,
                                                           Traject.placement_id == placement_id)).first()
        if traject is not None:
            _ = traject.proposals, traject.start, traject.changes
            if traject.start is not None:
                _ = traject.start.instruments
        return traject


def count(app: Any, model: Any) -> int:
    from sqlalchemy import func

    with app.app_context():
        return db.session.scalar(select(func.count(model.id))) or 0
