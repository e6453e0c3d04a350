"""Demo placements for the demo employers: a few published ones and a draft (idempotent).

Dates are relative to the day the demo is loaded, so the placements never start in the past.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from portal.accounts.models import Organisation, User
from portal.core import db
from portal.demo import demo_extension
from portal.placements import operations
from portal.placements.models import Placement, PlacementStatus, PlacementType

_NONE = {"listening": 0, "reading": 0, "spoken_interaction": 0, "spoken_production": 0, "writing": 0}

DEMO_PLACEMENTS = [
    # (organisation KvK, employer e-mail, publish?, fields)
    ("12345678", "employer@demo.test", True, dict(
        type=PlacementType.TAALSTAGE, title="Taalstage in de bakkerij",
        tasks="Brood en gebak inpakken, de winkel aanvullen en meehelpen in de bakkerij. "
              "Een collega spreekt Arabisch en helpt u op weg.",
        sector="horeca", hours_per_week=10, dayparts=["tue_morning", "tue_afternoon", "thu_morning", "thu_afternoon"],
        duration_weeks=12, places=2, support=["buddy", "travel_allowance"], offers=["allowance", "certificate"],
        pay_indication="€ 100 per maand", required_skills=[], nice_to_have_skills=["skill.baking", "skill.haccp"],
        language_tasks=["follow_safety_instructions", "follow_short_work_orders", "read_labels_pictograms"],
        dutch_levels={**_NONE, "listening": 2, "reading": 1, "spoken_interaction": 1, "spoken_production": 1},
        allow_one_level_below_with_support=True, other_languages=[("ar", 3)],
    )),
    ("12345678", "employer@demo.test", True, dict(
        type=PlacementType.WERKERVARINGSPLEK, title="Verkoopmedewerker bakkerswinkel",
        tasks="Klanten helpen aan de toonbank, afrekenen aan de kassa en de winkel schoonhouden.",
        sector="detailhandel", hours_per_week=16,
        dayparts=["mon_morning", "mon_afternoon", "wed_morning", "wed_afternoon", "sat_morning"],
        duration_weeks=26, places=1, support=["jobcoach", "buddy"], offers=["allowance", "certificate"],
        pay_indication="", required_skills=["occ.sales_assistant"], nice_to_have_skills=["skill.cash_register"],
        language_tasks=["answer_simple_customer_questions", "operate_till", "read_work_schedule"],
        dutch_levels={**_NONE, "listening": 2, "reading": 1, "spoken_interaction": 2},
        allow_one_level_below_with_support=False, other_languages=[("en", 2)],
    )),
    ("12345678", "employer@demo.test", False, dict(
        type=PlacementType.BETAALDE_BAAN, title="Bakker (in opleiding)",
        tasks="Deeg maken, brood vormen en bakken volgens recept, vroeg in de ochtend.",
        sector="horeca", hours_per_week=32,
        dayparts=[f"{day}_morning" for day in ("mon", "tue", "wed", "thu", "fri")]
                 + [f"{day}_afternoon" for day in ("mon", "tue", "wed")],
        duration_weeks=None, places=1, support=["jobcoach"], offers=["wage", "certificate"],
        pay_indication="cao-loon bakkersbedrijf", required_skills=["occ.baker"], nice_to_have_skills=["skill.haccp"],
        language_tasks=["read_recipe", "follow_work_meeting"],
        dutch_levels={**_NONE, "listening": 3, "reading": 2, "spoken_interaction": 2},
        allow_one_level_below_with_support=True, other_languages=[],
    )),
    ("23456789", "employer2@demo.test", True, dict(
        type=PlacementType.PROEFPLAATSING, title="Orderpicker distributiecentrum",
        tasks="Bestellingen verzamelen met een handscanner, dozen inpakken en klaarzetten voor transport.",
        sector="logistiek", hours_per_week=24,
        dayparts=["mon_morning", "mon_afternoon", "tue_morning", "tue_afternoon", "fri_morning", "fri_afternoon"],
        duration_weeks=8, places=3, support=["jobcoach", "adjustments"], offers=["allowance"],
        pay_indication="", required_skills=["skill.order_picking"], nice_to_have_skills=["skill.forklift", "skill.vca_basic"],
        language_tasks=["follow_safety_instructions", "use_handheld_scanner", "ask_for_help"],
        dutch_levels={**_NONE, "listening": 2, "reading": 1, "spoken_interaction": 2},
        allow_one_level_below_with_support=True, other_languages=[("tr", 3), ("pl", 3), ("en", 2)],
    )),
]


@demo_extension
def load_demo_placements() -> None:
    today = dt.date.today()
    for offset, (kvk, email, publish, fields) in enumerate(DEMO_PLACEMENTS):
        organisation = db.session.scalar(select(Organisation).where(Organisation.kvk_number == kvk))
        user = db.session.scalar(select(User).where(User.email == email))
        if organisation is None or user is None or user.organisation_id != organisation.id:
            continue
        exists = db.session.scalar(
            select(Placement.id).where(Placement.organisation_id == organisation.id, Placement.title == fields["title"])
        )
        if exists:
            continue
        address = dict(street_address=organisation.street_address, postcode=organisation.postcode,
                       city=organisation.city, municipality=organisation.municipality)
        values = {**address, **fields, "start_date": today + dt.timedelta(days=14 + 7 * offset)}
        placement = operations.create_placement(organisation, user, values, today=today)
        if publish and organisation.is_approved and placement.status == PlacementStatus.DRAFT:
            operations.publish(placement, user)
