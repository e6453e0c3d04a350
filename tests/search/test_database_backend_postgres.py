"""The database backend's SQL on PostgreSQL too (JSON-as-text day filters, CASE distance, scores)."""
from __future__ import annotations

import pytest

from search import EmployerScope, LanguageRequirement, Near, ScoreSpec, SearchQuery, geo, run

pytestmark = pytest.mark.parametrize("database", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)


def ids(app, **kwargs):
    with app.app_context():
        return set(run(SearchQuery(limit=100, **kwargs)).ids)


def test_filters_facets_scope_and_scores_on_postgres(app, world):
    assert ids(app, days=("mon", "tue")) == world.id("amina", "dawit")
    assert ids(app, slots=("thu_afternoon", "sat_evening")) == world.id("amina", "goli", "hamid")
    assert ids(app, languages=(LanguageRequirement.of("nl", writing=3),)) == world.id("esra", "hamid")
    assert ids(app, languages_not=(LanguageRequirement.of("ar"),), skills=("occ.baker",)) == world.id("dawit")
    assert ids(app, scope=EmployerScope(world.orgs["b"].id)) == world.id("amina", "bilal", "chaltu")
    assert ids(app, text="magazijn heftruck") == world.id("bilal")
    lat, lon = geo.centroid("1506")
    assert ids(app, near=Near("1506", 10, lat, lon)) == world.id("amina", "bilal", "esra", "farid", "hamid")
    with app.app_context():
        result = run(SearchQuery(skills=("occ.warehouse_worker",), limit=100))
        assert result.facets["days"] == {"mon": 2, "wed": 1, "fri": 1}
        scored = run(SearchQuery(score=ScoreSpec(required_skills=("occ.warehouse_worker",), slots=("mon_morning",),
                                                 origin=Near("1506", None, lat, lon)), limit=3))
        assert scored.ids[0] in world.id("bilal", "esra", "farid")
        by_distance = run(SearchQuery(near=Near("1506", None, lat, lon), sort="distance", limit=100))
        assert by_distance.ids[-1] in world.id("dawit", "goli")
