"""Factory helpers for placements: `create_placement(factory, organisation, ...)` and form data."""
from __future__ import annotations

import datetime as dt
from typing import Any

from portal.core import db


def future(days: int = 30) -> dt.date:
    return dt.date.today() + dt.timedelta(days=days)


def create_placement(factory: Any, organisation: Any, *, status: str = "published", created_by: Any = None,
                     other_languages: tuple[tuple[str, int], ...] = (), **fields: Any) -> Any:
    """A placement stored directly (no form), committed; `status` draft/published/paused/closed.

    `organisation` is an Organisation or its id.
    """
    from portal.placements.models import Placement, PlacementLanguage, PlacementStatus, PlacementType

    values: dict[str, Any] = dict(
        type=PlacementType.WERKERVARINGSPLEK, title="Magazijnmedewerker", tasks="Dozen inpakken en klaarzetten.",
        sector="logistiek", street_address="Havenweg 3", postcode="1506 AB", city="Zaandam", municipality="Zaanstad",
        hours_per_week=16, dayparts=["mon_morning", "mon_afternoon", "tue_morning", "tue_afternoon"],
        start_date=future(), duration_weeks=12, places=1, support=["jobcoach"], offers=["certificate"],
        pay_indication="", required_skills=["skill.order_picking"], nice_to_have_skills=[], language_tasks=[],
        allow_one_level_below_with_support=False,
    )
    values.update(fields)
    status = PlacementStatus(status)
    with factory.app.app_context():
        placement = Placement(
            organisation_id=getattr(organisation, "id", organisation), created_by_id=getattr(created_by, "id", None), status=status,
            published_at=db.utcnow() if status != PlacementStatus.DRAFT else None, **values,
        )
        placement.other_languages = [PlacementLanguage(language=code, level=level) for code, level in other_languages]
        db.session.add(placement)
        db.commit()
        return placement


def form_data(**overrides: Any) -> dict[str, Any]:
    """A valid POST of the placement form (a taalstage, two days a week); override any field."""
    data: dict[str, Any] = {
        "type": "taalstage",
        "title": "Taalstage in de bakkerij",
        "tasks": "Brood inpakken en de winkel aanvullen.",
        "sector": "horeca",
        "street_address": "Westzijde 12",
        "postcode": "1506ec",
        "city": "Zaandam",
        "municipality": "Zaanstad",
        "hours_per_week": "12",
        "dayparts": ["tue_morning", "tue_afternoon", "thu_morning", "thu_afternoon"],
        "start_date": future(14).isoformat(),
        "duration_weeks": "12",
        "places": "2",
        "support": ["buddy", "travel_allowance"],
        "offers": ["allowance", "certificate"],
        "pay_indication": "€ 100 per maand",
        "required_skills": [],
        "nice_to_have_skills": ["skill.baking"],
        "language_tasks": ["follow_safety_instructions"],
        "dutch_listening": "2",
        "dutch_reading": "0",
        "dutch_spoken_interaction": "1",
        "dutch_spoken_production": "1",
        "dutch_writing": "0",
        "other_languages-0-language": "ar",
        "other_languages-0-level": "3",
        "other_languages-1-language": "",
        "other_languages-1-level": "",
        "save": "Opslaan",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def placement_id_from(response: Any) -> int:
    """The placement id in the redirect after saving (to its summary or its page)."""
    import re

    return int(re.search(r"/plekken/(\d+)", response.headers["Location"]).group(1))


def publish_through_summary(client: Any, placement_id: int, **kwargs: Any) -> Any:
    """Open the summary before publishing, as the employer does, and press its "Publiceren"."""
    import re

    page = client.get(f"/plekken/{placement_id}/controleren").get_data(as_text=True)
    match = re.search(r'name="version"[^>]*value="([0-9a-f]+)"|value="([0-9a-f]+)"[^>]*name="version"', page)
    assert match, "the summary page has no publish form"
    return client.post_form(f"/plekken/{placement_id}/publiceren", {"version": match.group(1) or match.group(2)}, **kwargs)
