"""Demo candidates for the embedded default: plainly marked "[Demo]", owned by accountmanager@demo.test.

Idempotent: a candidate that already exists (same name and date of birth, same owner) is left alone.
The video engineer adds demo videos to these candidates.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from config.settings import DEMO_EMAIL_DOMAIN
from portal.accounts.models import Organisation, User
from portal.candidates import operations
from portal.candidates.models import Candidate, CandidateStatus, ConsentScope, InburgeringStatus, EducationLevel
from portal.candidates.operations import ExperienceInput, LanguageInput
from portal.core import db
from portal.demo import demo_extension, demo_removal

MARK = "[Demo]"


def _lv(l: int, r: int, si: int, sp: int, w: int) -> dict[str, int]:
    return dict(listening=l, reading=r, spoken_interaction=si, spoken_production=sp, writing=w)


NATIVE = _lv(6, 6, 6, 6, 6)
NATIVE_ORAL = _lv(6, 2, 6, 6, 1)

# (first, surname, dob, municipality, pc, first language(s), dutch levels, other languages, skills, sectors,
#  availability, hours, inburgering, education, experience, ambitions, scope kvk list or None, status)
CANDIDATES = [
    ("Amina", "Haddad", dt.date(1991, 3, 14), "Zaanstad", "1506", [("ar", NATIVE)], _lv(3, 2, 3, 2, 2), [("en", _lv(3, 3, 2, 2, 2))],
     ["occ.baker", "skill.baking", "skill.haccp", "skill.teamwork"], ["horeca", "productie"],
     ["mon_morning", "tue_morning", "thu_morning", "thu_afternoon", "fri_morning"], 16, InburgeringStatus.B1_ROUTE,
     EducationLevel.SECONDARY, [("occ.baker", "", 6, "Syrië")],
     "Ik was bakker in Aleppo. Ik wil weer vroeg in de ochtend brood bakken en beter Nederlands leren.", None),
    ("Tesfay", "Gebremedhin", dt.date(1996, 8, 2), "Zaanstad", "1502", [("ti", NATIVE)], _lv(2, 2, 2, 2, 1), [("am", _lv(5, 4, 5, 5, 3)), ("en", _lv(2, 2, 2, 1, 1))],
     ["occ.warehouse_worker", "skill.order_picking", "skill.pallet_truck", "skill.shift_work"], ["logistiek", "productie"],
     ["mon_afternoon", "tue_afternoon", "wed_morning", "wed_afternoon", "fri_afternoon"], 20, InburgeringStatus.B1_ROUTE,
     EducationLevel.PRIMARY, [("", "magazijn bouwmaterialen", 2, "Eritrea")],
     "Ik wil in een magazijn werken, later wil ik een heftruckcertificaat halen.", None),
    ("Farid", "Ahmadi", dt.date(1988, 11, 20), "Westland", "2671", [("prs", NATIVE)], _lv(3, 3, 3, 3, 2), [("fa", _lv(6, 6, 6, 6, 5)), ("en", _lv(4, 4, 3, 3, 3))],
     ["occ.electrician", "skill.electrical_installation", "skill.power_tools", "skill.technical_drawing"], ["techniek", "bouw"],
     ["mon_morning", "mon_afternoon", "wed_morning", "wed_afternoon", "fri_morning", "fri_afternoon"], 24, InburgeringStatus.ONDERWIJSROUTE,
     EducationLevel.VOCATIONAL, [("occ.electrician", "", 9, "Afghanistan")],
     "Ik ben elektricien. Ik wil mijn vak in Nederland leren kennen en mijn diploma laten erkennen.", None),
    ("Olena", "Kovalenko", dt.date(1984, 5, 9), "Zaanstad", "1505", [("uk", NATIVE)], _lv(2, 3, 2, 2, 2), [("ru", _lv(6, 6, 6, 6, 6)), ("en", _lv(4, 4, 4, 4, 3))],
     ["occ.administrative_assistant", "skill.office_software", "skill.bookkeeping", "skill.customer_contact"], ["administratief", "facilitair"],
     ["mon_morning", "tue_morning", "wed_morning", "thu_morning", "fri_morning"], 20, InburgeringStatus.EXEMPT,
     EducationLevel.UNIVERSITY, [("occ.bookkeeper", "", 12, "Oekraïne")],
     "Ik heb lang als boekhouder gewerkt. Ik zoek administratief werk waarbij ik Nederlands kan oefenen.", None),
    ("Hodan", "Warsame", dt.date(1999, 1, 30), "Zaanstad", "1503", [("so", NATIVE_ORAL)], _lv(2, 1, 2, 2, 1), [("ar", _lv(3, 2, 3, 2, 1))],
     ["occ.childcare_assistant", "skill.child_play", "skill.child_first_aid"], ["kinderopvang", "onderwijs"],
     ["tue_morning", "tue_afternoon", "thu_morning", "thu_afternoon"], 12, InburgeringStatus.Z_ROUTE,
     EducationLevel.PRIMARY, [("", "oppas in grote familie", 5, "Somalië")],
     "Ik werk graag met kinderen. Ik wil leren hoe een kinderopvang in Nederland werkt.", None),
    ("Mehmet", "Yilmaz", dt.date(1979, 7, 17), "Zaanstad", "1507", [("tr", NATIVE), ("ku", _lv(6, 2, 6, 6, 1))], _lv(3, 2, 3, 3, 2), [],
     ["occ.truck_driver", "skill.driving_licence_b", "skill.driving_licence_c", "skill.code95"], ["transport", "logistiek"],
     ["mon_morning", "mon_afternoon", "tue_morning", "tue_afternoon", "wed_morning", "wed_afternoon", "thu_morning", "thu_afternoon"], 32, InburgeringStatus.COMPLETED,
     EducationLevel.SECONDARY, [("occ.truck_driver", "", 15, "Turkije")],
     "Ik reed vijftien jaar vrachtwagen. Ik wil weer rijden, eerst als bijrijder om de regels te leren.", ["23456789"]),
    ("Yonas", "Tesfamariam", dt.date(2001, 4, 11), "Westland", "2691", [("ti", NATIVE)], _lv(2, 2, 2, 1, 1), [("en", _lv(3, 3, 2, 2, 2))],
     ["occ.kitchen_assistant", "skill.dishwashing", "skill.food_preparation"], ["horeca"],
     ["wed_evening", "thu_evening", "fri_evening", "sat_morning", "sat_afternoon", "sun_afternoon"], 18, InburgeringStatus.B1_ROUTE,
     EducationLevel.SECONDARY, [],
     "Ik wil koken in een restaurant. Ik werk graag in een team en ik leer snel.", None),
    ("Mariam", "Sultani", dt.date(1993, 9, 3), "Zaanstad", "1506", [("prs", NATIVE)], _lv(2, 2, 2, 2, 1), [("fa", _lv(6, 5, 6, 6, 4))],
     ["occ.care_assistant", "skill.elderly_care", "skill.personal_care"], ["zorg"],
     ["mon_morning", "wed_morning", "fri_morning"], 12, InburgeringStatus.B1_ROUTE,
     EducationLevel.SECONDARY, [("", "zorg voor familieleden", 4, "Iran")],
     "Ik wil in de ouderenzorg werken. Ik ben geduldig en ik luister graag naar mensen.", ["12345678"]),
    ("Abdirahman", "Farah", dt.date(1986, 12, 1), "Zaanstad", "1504", [("so", NATIVE)], _lv(1, 1, 1, 1, 1), [("ar", _lv(4, 3, 3, 3, 2)), ("sw", _lv(4, 2, 4, 4, 1))],
     ["occ.cleaner", "skill.cleaning_techniques", "skill.cleaning_machines"], ["schoonmaak", "facilitair"],
     ["mon_evening", "tue_evening", "wed_evening", "thu_evening"], 12, InburgeringStatus.Z_ROUTE,
     EducationLevel.NONE, [("occ.cleaner", "", 3, "Kenia")],
     "Ik wil schoonmaakwerk in de avond, zodat ik overdag naar de taalles kan.", None),
    ("Lina", "Khalil", dt.date(1997, 2, 24), "Westland", "2681", [("ar", NATIVE)], _lv(4, 4, 3, 3, 3), [("en", _lv(5, 5, 4, 4, 4)), ("fr", _lv(3, 3, 2, 2, 2))],
     ["occ.software_developer", "skill.programming", "skill.web_development", "skill.computer_basic"], ["ict"],
     ["mon_morning", "mon_afternoon", "tue_morning", "tue_afternoon", "thu_morning", "thu_afternoon", "fri_morning", "fri_afternoon"], 32, InburgeringStatus.ONDERWIJSROUTE,
     EducationLevel.UNIVERSITY, [("occ.software_developer", "", 3, "Libanon")],
     "Ik heb informatica gestudeerd. Ik zoek een stage als webontwikkelaar in een Nederlandstalig team.", None),
    ("Oleksandr", "Bondarenko", dt.date(1975, 10, 6), "Zaanstad", "1508", [("uk", NATIVE)], _lv(1, 2, 1, 1, 1), [("ru", _lv(6, 6, 6, 6, 6))],
     ["occ.welder", "skill.welding", "skill.vca_basic", "skill.physical_work"], ["productie", "techniek"],
     ["mon_morning", "mon_afternoon", "tue_morning", "tue_afternoon", "wed_morning", "wed_afternoon"], 24, InburgeringStatus.NOT_STARTED,
     EducationLevel.VOCATIONAL, [("occ.welder", "", 20, "Oekraïne")],
     "Ik ben lasser met twintig jaar ervaring. Ik wil graag met mijn handen werken.", ["12345678", "23456789"]),
    ("Samira", "Osman", dt.date(1990, 6, 18), "Zaanstad", "1501", [("ar", NATIVE)], _lv(3, 3, 3, 3, 2), [("ti", _lv(4, 1, 4, 3, 1))],
     ["occ.sales_assistant", "skill.cash_register", "skill.shelf_filling", "skill.customer_contact"], ["detailhandel"],
     ["tue_afternoon", "wed_afternoon", "sat_morning", "sat_afternoon"], 14, InburgeringStatus.B1_ROUTE,
     EducationLevel.SECONDARY, [("occ.cashier", "", 2, "Soedan")],
     "Ik help graag klanten. Ik wil in een winkel werken en later teamleider worden.", None),
]


def _owner() -> User | None:
    return db.session.scalar(select(User).where(User.email == f"accountmanager@{DEMO_EMAIL_DOMAIN}"))


def _owner_in(municipality: str, default: User) -> User:
    """The demo account manager of the candidate's municipality (Zaanstad or Westland)."""
    return db.session.scalar(select(User).where(User.email.like(f"accountmanager%@{DEMO_EMAIL_DOMAIN}"),
                                                User.municipality == municipality)) or default


@demo_extension
def load_demo_candidates() -> None:
    default_owner = _owner()
    if default_owner is None:
        return
    now = db.utcnow()
    for (first, surname, dob, municipality, pc, natives, dutch, others, skills, sectors, slots, hours, inburgering,
         education, experience, ambitions, scope_kvk) in CANDIDATES:
        owner = _owner_in(municipality, default_owner)
        existing = db.session.scalar(select(Candidate).where(
            Candidate.first_name == first, Candidate.surname == surname, Candidate.date_of_birth == dob))
        if existing is not None:
            continue
        languages = [LanguageInput("nl", False, dutch)]
        languages += [LanguageInput(code, True, levels) for code, levels in natives]
        languages += [LanguageInput(code, False, levels) for code, levels in others]
        candidate = operations.create_candidate(
            owner, owner=owner, confirm_duplicate=True,
            fields=dict(first_name=first, surname=surname, date_of_birth=dob, municipality=municipality, postcode_area=pc,
                        mobility=["bike", "public_transport"] + (["driving_licence"] if "skill.driving_licence_b" in skills else []),
                        availability=slots, hours_per_week=hours, available_from=(now + dt.timedelta(days=14)).date(),
                        inburgering_status=inburgering, education_level=education, education_country="",
                        ambitions=f"{MARK} {ambitions}", support_needs=f"{MARK} Interne notitie: begeleiding door jobcoach gewenst."),
            languages=languages, skills=skills, sectors=sectors,
            experiences=[ExperienceInput(code or None, text, years, country) for code, text, years, country in experience],
        )
        organisations = []
        if scope_kvk:
            organisations = list(db.session.scalars(select(Organisation).where(Organisation.kvk_number.in_(scope_kvk))))
        operations.record_consent(
            candidate, owner,
            scope=ConsentScope.SELECTED_ORGANISATIONS if organisations else ConsentScope.ALL_APPROVED_EMPLOYERS,
            organisations=organisations, video_allowed=True,
            expires_at=operations.add_months(now, 11),
        )
        if first == "Oleksandr":
            candidate.status = CandidateStatus.READY  # one still waiting for publication
        else:
            operations.publish(candidate, owner)
    db.session.flush()


@demo_removal
def remove_demo_candidates() -> None:
    owners = select(User.id).where(User.email.like(f"accountmanager%@{DEMO_EMAIL_DOMAIN}"))
    for candidate in db.session.scalars(select(Candidate).where(Candidate.owner_id.in_(owners))).all():
        operations.erase_candidate(candidate, None)
    db.session.flush()
