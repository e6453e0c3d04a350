from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from portal.core import db


class ApiClients:
    """Create API clients through the domain operation and call the API with their keys."""

    def __init__(self, app: Any, factory: Any) -> None:
        self.app = app
        self.factory = factory
        self.http = app.test_client()

    def create(self, *scopes: str, organisation: Any = None, expires_at: dt.datetime | None = None) -> tuple[Any, str]:
        from portal.accounts.models import Organisation
        from portal.api import operations
        from portal.api.models import ApiClient

        with self.app.test_request_context():
            org = db.session.get(Organisation, organisation.id) if organisation is not None else None
            client, key = operations.create_client(
                None, name="Koppeling", organisation=org, scopes=scopes,
                expires_at=expires_at or db.utcnow() + dt.timedelta(days=30),
            )
            db.commit()
            row = db.session.get(ApiClient, client.id)
            _ = row.service_user, row.organisation  # loaded for use after the context
            return row, key

    def call(self, method: str, path: str, key: str | None = None, **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", {}))
        if key:
            headers["Authorization"] = f"Bearer {key}"
        return self.http.open("/api/v1" + path, method=method, headers=headers, **kwargs)

    def get(self, path: str, key: str | None = None, **kwargs: Any) -> Any:
        return self.call("GET", path, key, **kwargs)

    def post(self, path: str, key: str | None = None, **kwargs: Any) -> Any:
        return self.call("POST", path, key, **kwargs)


@pytest.fixture
def api(app, factory) -> ApiClients:
    return ApiClients(app, factory)


def placement_body(**overrides: Any) -> dict[str, Any]:
    """A valid placement for POST /placements (the same taalstage as the form tests)."""
    start = (dt.date.today() + dt.timedelta(days=14)).isoformat()
    body: dict[str, Any] = {
        "type": "taalstage", "title": "Taalstage in de bakkerij", "tasks": "Brood inpakken en de winkel aanvullen.",
        "sector": "horeca",
        "location": {"street_address": "Westzijde 12", "postcode": "1506ec", "city": "Zaandam", "municipality": "Zaanstad"},
        "hours_per_week": 12, "dayparts": ["tue_morning", "tue_afternoon", "thu_morning", "thu_afternoon"],
        "start_date": start, "duration_weeks": 12, "places": 2, "support": ["buddy"], "offers": ["certificate"],
        "pay_indication": "", "skills": {"required": ["occ.baker"], "nice_to_have": []},
        "language_requirements": {"nl": {"listening": 2, "reading": 1, "spoken_interaction": 2, "spoken_production": 1,
                                         "writing": 0}, "other": [], "tasks": []},
        "allow_one_level_below_with_support": False,
    }
    body.update(overrides)
    return body
