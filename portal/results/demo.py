"""Demo data for the results dashboard: eighteen months of history in both demo municipalities.

The other areas' demo data hold a dozen candidates, too few for any figure above the privacy
threshold (a cell of 1 to 4 people shows "<5"). This adds, per municipality, 24 candidates first
published over the past eighteen months, three employers (Dutch organisations, approved, each with
an employer account @demo.test) with placements of every type, and a meet-and-greet some months
ago, and takes them through the domain operations: consent and publication, employer interest,
proposals, meetings, starts, aftercare check-ins (Dutch levels) and end results. The operations
stamp everything "now"; afterwards the dates are moved back to when the step happened (as the
trajects demo does), so the funnel, the starts per quarter and the time to the first start read
like a real year and a half. Some cells stay below five on purpose, so suppression shows.

Idempotent: nothing is added once the first of these candidates exists. Removed with the other
demo candidates (they are owned by the demo account managers) and organisations (@demo.test).
"""
from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from config.settings import DEMO_EMAIL_DOMAIN
from portal.accounts.models import Organisation, OrganisationStatus, User
from portal.core import db
from portal.core.roles import Role
from portal.demo import demo_extension

ZONE = ZoneInfo("Europe/Amsterdam")
MARK = "[Demo]"

ORGANISATIONS = {
    "Zaanstad": [
        ("Zorgcentrum De Zaanhof", "45678901", "zorg", "Vincent van Goghweg 40", "1506 JD", "Zaandam",
         "Marieke Koster", "zaanhof"),
        ("Hotel-Restaurant De Prins", "56789012", "horeca", "Dam 18", "1506 BD", "Zaandam", "Bart Hoogendijk", "deprins"),
        ("Technisch Bureau Van Wijk", "67890123", "techniek", "Hoornseweg 9", "1541 KA", "Koog aan de Zaan",
         "Sanne van Wijk", "vanwijk"),
    ],
    "Westland": [
        ("Kwekerij De Lier", "78901234", "groen", "Burgemeester Verbeekstraat 22", "2678 AB", "De Lier",
         "Sander Zwinkels", "kwekerij"),
        ("Supermarkt Van der Meer", "89012345", "detailhandel", "Herenstraat 55", "2671 JJ", "Naaldwijk",
         "Ruud van der Meer", "vandermeer"),
        ("Logistiek Centrum Honselersdijk", "90123456", "logistiek", "Middel Broekweg 29", "2675 KB", "Honselersdijk",
         "Fleur Vreugdenhil", "lch"),
    ],
}

#: Per organisation (by its place in the list): (type, title, places).
PLACEMENTS = [
    [("werkervaringsplek", "Werkervaringsplek {sector}", 8), ("taalstage", "Taalstage {sector}", 6)],
    [("proefplaatsing", "Proefplaatsing {sector}", 6), ("betaalde_baan", "Medewerker {sector}", 4)],
    [("werkervaringsplek", "Meewerken in de {sector}", 6), ("vrijwilligerswerk", "Vrijwilliger {sector}", 4)],
]

FIRST_NAMES = {
    "Zaanstad": [("Aisha", "female"), ("Bilal", "male"), ("Dawit", "male"), ("Elif", "female"), ("Faisal", "male"),
                 ("Ghezal", "female"), ("Hamid", "male"), ("Iryna", "female"), ("Jamal", "male"), ("Khadija", "female"),
                 ("Luwam", "female"), ("Mustafa", "male"), ("Nadia", "female"), ("Omar", "male"), ("Parwin", "female"),
                 ("Rami", "male"), ("Selam", "female"), ("Tariq", "male"), ("Ulyana", "female"), ("Walid", "male"),
                 ("Yasmin", "female"), ("Zakaria", "male"), ("Amal", "female"), ("Bashir", "male")],
    "Westland": [("Asmara", "female"), ("Berhane", "male"), ("Dilnaz", "female"), ("Eyob", "male"), ("Fatuma", "female"),
                 ("Goitom", "male"), ("Halima", "female"), ("Idris", "male"), ("Jamila", "female"), ("Karam", "male"),
                 ("Layla", "female"), ("Mahmoud", "male"), ("Nour", "female"), ("Oksana", "female"), ("Petro", "male"),
                 ("Qasim", "male"), ("Rahel", "female"), ("Said", "male"), ("Tsega", "female"), ("Usman", "male"),
                 ("Wafa", "female"), ("Yusuf", "male"), ("Zahra", "female"), ("Anwar", "other")],
}
SURNAMES = ["Ahmed", "Mohammed", "Tesfaye", "Yıldız", "Rahimi", "Hassan", "Kebede", "Shevchenko", "Abdi", "Nasser",
            "Haile", "Karimi", "Osman", "Demir", "Haidari", "Mahmoud", "Gebru", "Bakr", "Melnyk", "Yousef",
            "Ali", "Hussein", "Amini", "Noor"]
NATIVE = {"female": "ar", "male": "ti", "other": "so"}

#: How far each of the 24 candidates of a municipality gets: 1 published, 2 employer interest,
#: 3 proposed, 4 met, 5 started. The order follows the first publication (oldest first).
LEVELS = [5, 5, 4, 5, 3, 5, 2, 5, 4, 1, 5, 3, 5, 5, 2, 4, 5, 1, 5, 3, 5, 4, 1, 5]
#: The end of the n-th start (in order): None = still on; else (result, days after the start).
ENDINGS = [("contract", 150), None, ("extended", 120), ("stopped", 50), ("contract", 100), ("education", 170),
           ("contract", 90), ("stopped", 60), ("extended", 80), ("contract", 60), None, ("contract", 45)]
#: Which placement (organisation index, placement index) the n-th start takes.
START_PLACES = [(0, 0), (1, 0), (0, 1), (2, 0), (1, 1), (0, 0), (2, 1), (1, 0), (0, 1), (0, 0), (2, 0), (1, 0)]
#: Per municipality: the candidates (by index, all published before it) who come to its meet-and-greet,
#: and how many days ago it was; every employer has a table.
EVENT_GUESTS = {"Zaanstad": [5, 7, 8, 10, 11, 12, 13], "Westland": [10, 12, 13, 14, 15, 16, 18]}
EVENT_DAYS_AGO = {"Zaanstad": 260, "Westland": 150}

DUTCH_INTAKE = dict(listening=2, reading=2, spoken_interaction=2, spoken_production=1, writing=1)


def _utc(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=ZONE).astimezone(dt.timezone.utc)


def _employer(municipality: str, index: int, password_hash: str) -> tuple[Organisation, User]:
    name, kvk, sector, street, postcode, city, contact, mailbox = ORGANISATIONS[municipality][index]
    email = f"{mailbox}@{DEMO_EMAIL_DOMAIN}"
    organisation = db.session.scalar(select(Organisation).where(Organisation.kvk_number == kvk))
    if organisation is None:
        organisation = Organisation(name=name, kvk_number=kvk, sector=sector, street_address=street, postcode=postcode,
                                    city=city, municipality=municipality, contact_name=contact, contact_email=email,
                                    status=OrganisationStatus.APPROVED)
        db.session.add(organisation)
        db.session.flush()
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:  # the demo password (its hash taken from the WSP demo account: hashing is slow on purpose)
        user = User(email=email, name=contact, role=Role.EMPLOYER, organisation_id=organisation.id,
                    password_hash=password_hash, active=True)
        db.session.add(user)
        db.session.flush()
    return organisation, user


def _placements(organisation: Organisation, user: User, index: int, today: dt.date) -> list[Any]:
    from portal import reference
    from portal.placements import operations
    from portal.placements.models import PlacementType

    sector_label = reference.sector(organisation.sector).label("nl").lower() if reference.is_sector(organisation.sector) \
        else organisation.sector
    made = []
    for kind, title, places in PLACEMENTS[index]:
        placement = operations.create_placement(organisation, user, dict(
            type=PlacementType(kind), title=title.format(sector=sector_label), sector=organisation.sector,
            tasks="Meewerken in een vast team, met een collega als aanspreekpunt en tijd voor de taalles.",
            street_address=organisation.street_address, postcode=organisation.postcode, city=organisation.city,
            municipality=organisation.municipality, hours_per_week=16,
            dayparts=["mon_morning", "tue_morning", "wed_morning", "thu_morning"], start_date=today + dt.timedelta(days=14),
            duration_weeks=26, places=places, support=["buddy"], offers=["certificate"], pay_indication="",
            required_skills=[], nice_to_have_skills=[], language_tasks=["follow_short_work_orders"],
            dutch_levels={"listening": 1, "reading": 1, "spoken_interaction": 1, "spoken_production": 1, "writing": 0},
            allow_one_level_below_with_support=True, other_languages=[],
        ), today=today)
        operations.publish(placement, user)
        made.append(placement)
    return made


#: Day parts the history candidates are available on (varied, so the gallery's cards differ).
AVAILABILITY = [
    ["mon_morning", "tue_morning", "wed_morning", "thu_morning"],
    ["mon_morning", "mon_afternoon", "wed_morning", "wed_afternoon", "fri_morning"],
    ["tue_afternoon", "wed_afternoon", "thu_afternoon"],
    ["mon_morning", "tue_morning", "thu_morning", "thu_afternoon", "fri_morning", "fri_afternoon"],
    ["wed_morning", "thu_morning", "fri_morning"],
]


def _candidate(manager: User, municipality: str, index: int, published_on: dt.date) -> Any:
    from portal.candidates import operations
    from portal.candidates.models import ConsentScope, EducationLevel, InburgeringStatus
    from portal.candidates.operations import LanguageInput

    first, gender = FIRST_NAMES[municipality][index]
    surname = SURNAMES[(index * 7 + (3 if municipality == "Westland" else 0)) % len(SURNAMES)]
    levels = {"listening": 6, "reading": 6, "spoken_interaction": 6, "spoken_production": 6, "writing": 6}
    candidate = operations.create_candidate(manager, owner=manager, confirm_duplicate=True, fields=dict(
        first_name=first, surname=surname, date_of_birth=dt.date(1975 + index, 1 + index % 12, 1 + index % 27),
        gender=gender, municipality=municipality, postcode_area="1506" if municipality == "Zaanstad" else "2671",
        mobility=["bike", "public_transport"], availability=AVAILABILITY[index % len(AVAILABILITY)],
        hours_per_week=(16, 24, 32, 20)[index % 4], available_from=published_on, inburgering_status=InburgeringStatus.B1_ROUTE,
        education_level=EducationLevel.SECONDARY, education_country="",
        ambitions=f"{MARK} Ik wil werken in een team en mijn Nederlands verbeteren.",
        support_needs=f"{MARK} Interne notitie: wil graag een vaste begeleider op de werkplek."),
        languages=[LanguageInput("nl", False, dict(DUTCH_INTAKE)), LanguageInput(NATIVE[gender], True, levels)])
    consent = operations.record_consent(candidate, manager, scope=ConsentScope.ALL_APPROVED_EMPLOYERS,
                                        organisations=[], video_allowed=False,
                                        expires_at=operations.add_months(db.utcnow(), 11))
    operations.publish(candidate, manager)
    published = _utc(published_on)
    candidate.created_at = published - dt.timedelta(days=14)
    candidate.first_published_at = candidate.published_at = published
    consent.recorded_at = published - dt.timedelta(days=7)
    return candidate


def _meet_and_greet(municipality: str, wsp: User, employers: list[tuple[Organisation, User]], guests: list[Any],
                    manager: User, today: dt.date) -> None:
    """A meet-and-greet some months ago: registered while it lay ahead, then moved back to its day."""
    from portal.events import operations
    from portal.events.models import EventStatus

    soon = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) + dt.timedelta(days=2)
    event = operations.create_event(
        wsp, title=f"Meet & greet {municipality}: aan de slag", description="Speeddates van 10 minuten.",
        starts_at=soon, ends_at=soon + dt.timedelta(hours=2), venue_name=f"Gemeentehuis {municipality}",
        venue_address="Stadhuisplein 1" if municipality == "Zaanstad" else "Verdilaan 7, Naaldwijk",
        accessibility_notes="Rolstoeltoegankelijk.", transport_directions="Met de bus tot de halte Gemeentehuis.",
        table_capacity=6, candidate_capacity=20, round_minutes=10, break_minutes=5, rounds_before_break=3,
        interpreter_languages=[])
    operations.set_event_status(event, EventStatus.PUBLISHED, wsp)
    for _organisation, user in employers:
        operations.register_employer(event, user, representatives=1)
    for candidate in guests:
        operations.register_candidate(event, candidate, manager)
    operations.generate_schedule(event, wsp)
    day = today - dt.timedelta(days=EVENT_DAYS_AGO[municipality])
    shift = _utc(day, 13) - event.starts_at
    event.starts_at, event.ends_at = event.starts_at + shift, event.ends_at + shift
    operations.set_event_status(event, EventStatus.CLOSED, wsp)
    db.session.flush()
    db.session.refresh(event, ["slots"])
    outcomes = ["interested_placement", "follow_up", "not_now", "interested_placement", "no_show"]
    for number, slot in enumerate(sorted(event.slots, key=lambda s: (s.round_number, s.id))):
        operations.record_meeting_outcome(slot, outcomes[number % len(outcomes)], "", wsp)


@demo_extension
def load_results_history() -> None:
    from portal.aftercare import operations as aftercare
    from portal.candidates.models import Candidate
    from portal.candidates.operations import record_interest
    from portal.trajects.models import ProposalAnswer, TrajectStage
    from portal.trajects.operations import answer_proposal, move_stage, propose, record_start

    wsp = db.session.scalar(select(User).where(User.email == f"wsp@{DEMO_EMAIL_DOMAIN}"))
    managers = {m.municipality: m for m in db.session.scalars(
        select(User).where(User.email.like(f"accountmanager%@{DEMO_EMAIL_DOMAIN}")))}
    if wsp is None or set(managers) < set(ORGANISATIONS):
        return
    first, _gender = FIRST_NAMES["Zaanstad"][0]
    if db.session.scalar(select(Candidate.id).where(Candidate.first_name == first, Candidate.owner_id == managers["Zaanstad"].id)):
        return  # already loaded
    today = dt.date.today()
    for municipality, manager in sorted(managers.items()):
        if municipality not in ORGANISATIONS:
            continue
        employers = [_employer(municipality, i, wsp.password_hash) for i in range(len(ORGANISATIONS[municipality]))]
        places = [_placements(org, user, i, today) for i, (org, user) in enumerate(employers)]
        people = []
        for index in range(len(LEVELS)):
            # first publication from about 18 months ago until about two months ago
            published_on = today - dt.timedelta(days=540 - index * 21 - (5 if municipality == "Westland" else 0))
            people.append((_candidate(manager, municipality, index, published_on), published_on))
        db.session.flush()
        guests = [people[i][0] for i in EVENT_GUESTS[municipality]]
        _meet_and_greet(municipality, wsp, employers, guests, manager, today)
        event_day = today - dt.timedelta(days=EVENT_DAYS_AGO[municipality])
        started = 0
        for index, ((candidate, published_on), level) in enumerate(zip(people, LEVELS)):
            if level < 2:
                continue
            org_index, placement_index = START_PLACES[started % len(START_PLACES)] if level == 5 else (index % 3, 0)
            organisation, employer = employers[org_index]
            placement = places[org_index][placement_index]
            interest = record_interest(employer, candidate, placement=placement)
            interest.created_at = _utc(published_on + dt.timedelta(days=10))
            if level < 3:
                continue
            proposal = propose(candidate, placement, f"{candidate.first_name} past goed bij dit werk en is gemotiveerd.",
                               by=manager)
            traject = proposal.traject
            answer_proposal(proposal, ProposalAnswer.INVITED, by=employer)
            if level >= 4:
                move_stage(traject, TrajectStage.MEETING_PLANNED, by=manager, reason="meeting")
                move_stage(traject, TrajectStage.MET, by=manager, reason="meeting")
            opened = _utc(published_on + dt.timedelta(days=12))
            start_date = None
            if level == 5:
                # a guest of the meet-and-greet starts within three months after it; others 1-4 months after publication
                start_date = (event_day + dt.timedelta(days=20 + 9 * (index % 5)) if candidate in guests
                              else published_on + dt.timedelta(days=30 + (index * 23) % 90))
                start_date = min(start_date, today - dt.timedelta(days=10))
                start = record_start(traject, by=manager, start_date=start_date,
                                     planned_end_date=start_date + dt.timedelta(weeks=26), hours_per_week=24,
                                     days=["mon", "tue", "wed"], placement_type=placement.type)
                aftercare.create_schedule(start, by=manager)
                for number, checkin in enumerate(c for c in aftercare.checkins_of(start.id) if c.due_on <= today):
                    rose = index % 3 != 2
                    levels = {"listening": 3 if rose and number else 2, "spoken_interaction": 2}
                    aftercare.record_checkin(checkin, manager, assessment="good", dutch_levels=levels,
                                             next_step="Over een paar weken weer langs.")
                    checkin.done_at = _utc(checkin.due_on, 15)
                ending = ENDINGS[started % len(ENDINGS)]
                started += 1
                ended_on = start_date + dt.timedelta(days=ending[1]) if ending else None
                if ending and ended_on <= today - dt.timedelta(days=3):
                    kind = ending[0]
                    aftercare.record_result(start, manager, kind=kind, ended_on=ended_on,
                                            contract_kind="fixed_term" if kind == "contract" else None,
                                            stop_reason="no_match" if kind == "stopped" else None,
                                            note="Afgesproken in het eindgesprek.")
                    traject.closed_at = _utc(ended_on, 16)
                start.recorded_at = _utc(start_date, 9)
            _backdate(traject, opened, _utc(start_date, 9) if start_date else None)
        db.session.flush()


def _backdate(traject: Any, opened: dt.datetime, started: dt.datetime | None) -> None:
    """Stage changes between opening and the start (or a few weeks after opening), in order."""
    changes = sorted(traject.changes, key=lambda c: c.id)
    end = started or opened + dt.timedelta(days=21)
    step = (end - opened) / max(1, len(changes))
    for number, change in enumerate(changes):
        if change.to_stage.value in ("finished", "stopped") and traject.closed_at is not None:
            change.at = traject.closed_at
        elif change.to_stage.value == "started" and started is not None:
            change.at = started
        else:
            change.at = opened + step * number
    traject.opened_at = opened
    traject.stage_changed_at = max(change.at for change in changes) if changes else opened
    for proposal in traject.proposals:
        proposal.proposed_at = opened
        if proposal.answered_at is not None:
            proposal.answered_at = opened + dt.timedelta(days=2)
