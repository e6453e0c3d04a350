"""Demo data: published placements for the demo employers plus a draft, loaded idempotently."""
from __future__ import annotations

from sqlalchemy import func, select

from portal.core import db


def test_demo_placements_load_once_and_are_valid(app, make_client):
    from portal import demo
    from portal.placements.models import Placement, PlacementStatus

    with app.app_context():
        demo.load()
        db.commit()
        demo.load()
        db.commit()
        from portal.placements.demo import DEMO_PLACEMENTS

        # the placements of the placements area's own demo (the results demo adds employers with more)
        titles = [fields["title"] for _kvk, _email, _publish, fields in DEMO_PLACEMENTS]
        rows = db.session.scalars(select(Placement).where(Placement.title.in_(titles)).order_by(Placement.id)).all()
        by_status = {s: sum(1 for p in rows if p.status == s) for s in PlacementStatus}
        assert len(rows) == 4 and by_status[PlacementStatus.PUBLISHED] == 3 and by_status[PlacementStatus.DRAFT] == 1
        assert db.session.scalar(select(func.count()).select_from(Placement).where(Placement.title == "Taalstage in de bakkerij")) == 1
        taalstage = next(p for p in rows if p.title == "Taalstage in de bakkerij")
        assert [(r.language, r.level) for r in taalstage.other_languages] == [("ar", 3)]

    am = make_client()
    am.login("accountmanager@demo.test", "demo-portal")
    html = am.get("/plekken/aanbod?max_spoken_production=2").get_data(as_text=True)
    assert "Taalstage in de bakkerij" in html and "Orderpicker distributiecentrum" in html
    assert "Bakker (in opleiding)" not in html  # the draft
    employer2 = make_client()
    employer2.login("employer2@demo.test", "demo-portal")
    assert employer2.get(f"/plekken/{taalstage.id}").status_code == 404
