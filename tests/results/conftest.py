"""A small, fully known world for the results tests (all in 2024), stored directly with fixed dates.

Candidates (created 2024-01-01; first publication; municipality; gender):
  C1..C6  published 2024-01-10..15, Zaanstad; C1-C4 female, C5-C6 male; C6 paused
  C7, C8  published 2024-04-15, Westland; C7 male, C8 female
  C9      published 2023-11-01, Zaanstad, female (not in the 2024 cohort)
  C10     never published, Zaanstad, male
Consents valid through 2024 for C1..C8; C9's expired 2024-06-01. Videos ready for C1 and C2.
Employer interest (organisation A): C1, C2, C3, C4, C5, C7.
Follow-ups: C1 and C3 from the event's speed dates, C2 and C4 from meetings, C5 from a visit (all
"interested"); C6 visit "no show". C7's traject reached "met".
Proposals: C1, C2, C3, C4, C8.
Placements of organisation A (approved): P1 werkervaringsplek/logistiek published 2024-02-10, 1
place, Dutch lowered with the helper; P2 taalstage/horeca 2024-03-01, 2 places; P3
werkervaringsplek/logistiek 2023-12-01; P4 betaalde baan/horeca 2024-09-01, 2 places; P5 draft.
Organisation B (pending) has a placement published 2024-04-01.
Starts: C1 P1 2024-03-31 (still on); C2 P2 2024-04-01 (stopped 2024-05-01, language); C3 P2
2024-06-30 (finished 2024-12-15); C4 P3 2024-07-01 (on); C5 P4 2024-10-01 (on); C9 P3 2024-01-15
(finished 2024-03-01). Results: C3 contract, C9 education, C2 stopped.
Dutch: intake A2 (writing A1) for C1, C3, C4; latest check-in with levels: C1 listening B1 (rose),
C3 the same, C4 back to intake after a higher one; C5 a check-in without levels.
Event "Meet & greet Zaandam" on 2024-05-20: organisation A's table; C1, C2, C3 confirmed, C4
cancelled; speed dates C1 (interested), C2 (no show), C3 (follow-up).
"""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from portal.core import db

AMS = ZoneInfo("Europe/Amsterdam")


def at(y: int, m: int, d: int, h: int = 12) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=AMS).astimezone(dt.timezone.utc)


@pytest.fixture
def results_world(app: Any, factory: Any) -> Any:
    from portal.aftercare.models import AftercareResult, CheckIn, ContractKind, ResultKind
    from portal.candidates.models import Candidate, CandidateLanguage, CandidateStatus, Consent, ConsentScope, Gender, Interest
    from portal.candidates.video_models import VideoProfile, VideoState
    from portal.events.followups import FollowUp, Outcome, SourceKind
    from portal.events.models import (
        BookingStatus, CandidateRegistration, EmployerRegistration, Event, EventStatus, ScheduleSlot,
    )
    from portal.placements.models import PlacementType
    from portal.trajects.models import PlacementStart, Proposal, StopReason, Traject, TrajectStageChange
    from tests.placements.factories import create_placement

    manager = factory.user("account_manager")
    org_a = factory.organisation(name="Organisatie A")
    org_b = factory.organisation(name="Organisatie B", approved=False)
    placements = {}
    for name, fields in {
        "P1": dict(type=PlacementType.WERKERVARINGSPLEK, sector="logistiek", places=1),
        "P2": dict(type=PlacementType.TAALSTAGE, sector="horeca", places=2),
        "P3": dict(type=PlacementType.WERKERVARINGSPLEK, sector="logistiek", places=1),
        "P4": dict(type=PlacementType.BETAALDE_BAAN, sector="horeca", places=2),
    }.items():
        placements[name] = create_placement(factory, org_a, **fields)
    draft = create_placement(factory, org_a, status="draft")
    other = create_placement(factory, org_b)
    published = {"P1": at(2024, 2, 10), "P2": at(2024, 3, 1), "P3": at(2023, 12, 1), "P4": at(2024, 9, 1)}
    with app.app_context():
        from portal.placements.models import Placement

        for name, moment in published.items():
            p = db.session.get(Placement, placements[name].id)
            p.published_at = moment
            p.dutch_lowered_with_helper = name == "P1"
        db.session.get(Placement, other.id).published_at = at(2024, 4, 1)

        people = {
            "C1": ("Zaanstad", Gender.FEMALE, at(2024, 1, 10)), "C2": ("Zaanstad", Gender.FEMALE, at(2024, 1, 11)),
            "C3": ("Zaanstad", Gender.FEMALE, at(2024, 1, 12)), "C4": ("Zaanstad", Gender.FEMALE, at(2024, 1, 13)),
            "C5": ("Zaanstad", Gender.MALE, at(2024, 1, 14)), "C6": ("Zaanstad", Gender.MALE, at(2024, 1, 15)),
            "C7": ("Westland", Gender.MALE, at(2024, 4, 15)), "C8": ("Westland", Gender.FEMALE, at(2024, 4, 15)),
            "C9": ("Zaanstad", Gender.FEMALE, at(2023, 11, 1)), "C10": ("Zaanstad", Gender.MALE, None),
        }
        c: dict[str, Candidate] = {}
        for name, (municipality, gender, first) in people.items():
            status = CandidateStatus.PAUSED if name == "C6" else (
                CandidateStatus.PUBLISHED if first else CandidateStatus.INTAKE)
            c[name] = Candidate(first_name=name, surname="Test", date_of_birth=dt.date(1990, 1, 1), gender=gender,
                                municipality=municipality, postcode_area="1506", owner_id=manager.id, status=status,
                                published_at=first if status == CandidateStatus.PUBLISHED else None,
                                first_published_at=first, created_at=at(2024, 1, 1, 9) if name != "C9" else at(2023, 10, 1))
            db.session.add(c[name])
        db.session.flush()
        for name in ("C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8"):
            db.session.add(Consent(candidate_id=c[name].id, recorded_at=at(2024, 1, 5), text_version="v1",
                                   scope=ConsentScope.ALL_APPROVED_EMPLOYERS, video_allowed=True,
                                   expires_at=at(2025, 1, 5)))
        db.session.add(Consent(candidate_id=c["C9"].id, recorded_at=at(2023, 10, 5), text_version="v1",
                               scope=ConsentScope.ALL_APPROVED_EMPLOYERS, expires_at=at(2024, 6, 1)))
        for name in ("C1", "C2"):
            db.session.add(VideoProfile(candidate_id=c[name].id, state=VideoState.READY, processed_at=at(2024, 2, 1)))
        for name in ("C1", "C2", "C3", "C4", "C5", "C7"):
            db.session.add(Interest(organisation_id=org_a.id, candidate_id=c[name].id, created_at=at(2024, 2, 1)))

        event = Event(title="Meet & greet Zaandam", starts_at=at(2024, 5, 20, 13), ends_at=at(2024, 5, 20, 16),
                      venue_name="Stadhuis", venue_address="Stadserf 1", table_capacity=10, candidate_capacity=30,
                      round_minutes=10, status=EventStatus.CLOSED)
        db.session.add(event)
        db.session.flush()
        table = EmployerRegistration(event_id=event.id, organisation_id=org_a.id, status=BookingStatus.CONFIRMED)
        db.session.add(table)
        regs = {}
        for name in ("C1", "C2", "C3", "C4"):
            regs[name] = CandidateRegistration(event_id=event.id, candidate_id=c[name].id, status=(
                BookingStatus.CANCELLED if name == "C4" else BookingStatus.CONFIRMED))
            db.session.add(regs[name])
        db.session.flush()
        slots = {}
        for number, (name, outcome) in enumerate((("C1", Outcome.INTERESTED_PLACEMENT), ("C2", Outcome.NO_SHOW),
                                                  ("C3", Outcome.FOLLOW_UP))):
            slots[name] = ScheduleSlot(event_id=event.id, round_number=number, employer_registration_id=table.id,
                                       candidate_registration_id=regs[name].id, outcome=outcome.value)
            db.session.add(slots[name])
        db.session.flush()
        follow_ups = [
            ("C1", SourceKind.EVENT_MEETING, slots["C1"].id, Outcome.INTERESTED_PLACEMENT),
            ("C3", SourceKind.EVENT_MEETING, slots["C3"].id, Outcome.FOLLOW_UP),
            ("C2", SourceKind.MEETING, 1, Outcome.INTERESTED_TAALSTAGE),
            ("C4", SourceKind.MEETING, 2, Outcome.INTERESTED_PLACEMENT),
            ("C5", SourceKind.VISIT, 3, Outcome.INTERESTED_PLACEMENT),
            ("C6", SourceKind.VISIT, 4, Outcome.NO_SHOW),
        ]
        for name, kind, ref, outcome in follow_ups:
            db.session.add(FollowUp(candidate_id=c[name].id, source_kind=kind, source_ref=ref,
                                    organisation_id=org_a.id, outcome=outcome))

        def traject(name: str, placement: str, stage: str, *, source: str = "proposal", closed: dt.datetime | None = None,
                    reason: StopReason | None = None, start: dt.date | None = None, met: bool = False,
                    proposal: bool = False) -> Traject:
            p = placements[placement]
            t = Traject(candidate_id=c[name].id, placement_id=p.id, organisation_id=org_a.id, stage=stage,
                        stop_reason=reason, source=source, opened_at=at(2024, 2, 1), stage_changed_at=at(2024, 2, 1),
                        closed_at=closed)
            db.session.add(t)
            db.session.flush()
            db.session.add(TrajectStageChange(traject_id=t.id, from_stage=None, to_stage="proposed", at=at(2024, 2, 1)))
            if met:
                db.session.add(TrajectStageChange(traject_id=t.id, from_stage="proposed", to_stage="met", at=at(2024, 3, 1)))
            if proposal:
                db.session.add(Proposal(traject_id=t.id, candidate_id=c[name].id, placement_id=p.id,
                                        motivation="Past goed bij het werk.", proposed_at=at(2024, 2, 1)))
            if start:
                t.start = PlacementStart(traject_id=t.id, start_date=start, hours_per_week=16, days=["mon"],
                                         placement_type=db.session.get(Placement, p.id).type)
                db.session.add(t.start)
                db.session.flush()
            return t

        t1 = traject("C1", "P1", "started", start=dt.date(2024, 3, 31), met=True, proposal=True)
        t2 = traject("C2", "P2", "stopped", closed=at(2024, 5, 1), reason=StopReason.LANGUAGE, start=dt.date(2024, 4, 1),
                     proposal=True)
        t3 = traject("C3", "P2", "finished", closed=at(2024, 12, 15), start=dt.date(2024, 6, 30), proposal=True)
        t4 = traject("C4", "P3", "started", start=dt.date(2024, 7, 1), proposal=True)
        t5 = traject("C5", "P4", "started", source="employer_interest", start=dt.date(2024, 10, 1))
        t9 = traject("C9", "P3", "finished", closed=at(2024, 3, 1), start=dt.date(2024, 1, 15))
        # End results: C3 a contract, C9 education, C2 stopped (language).
        for t, name, kind, extra in ((t3, "C3", ResultKind.CONTRACT, {"contract_kind": ContractKind.PERMANENT}),
                                     (t9, "C9", ResultKind.EDUCATION, {}),
                                     (t2, "C2", ResultKind.STOPPED, {"stop_reason": "language"})):
            db.session.add(AftercareResult(start_id=t.start.id, candidate_id=c[name].id, kind=kind,
                                           ended_on=t.closed_at.date(), **extra))
        # Dutch at intake (profile) for C1, C3, C4: A2 except writing A1.
        for name in ("C1", "C3", "C4"):
            db.session.add(CandidateLanguage(candidate_id=c[name].id, language_code="nl", listening=2, reading=2,
                                             spoken_interaction=2, spoken_production=2, writing=1))
        # Check-ins: C1 rose in listening at the latest; C3 no higher; C4 rose once but the latest
        # is back at intake; C5 measured nothing.
        checkins = [(t1, "C1", at(2024, 4, 7), {"listening": 2}), (t1, "C1", at(2024, 6, 30), {"listening": 3}),
                    (t3, "C3", at(2024, 7, 7), {"listening": 2, "writing": 1}),
                    (t4, "C4", at(2024, 7, 8), {"reading": 3}), (t4, "C4", at(2024, 10, 1), {"reading": 2}),
                    (t5, "C5", at(2024, 10, 8), {})]
        for t, name, done, levels in checkins:
            db.session.add(CheckIn(start_id=t.start.id, candidate_id=c[name].id, moment="extra", due_on=done.date(),
                                   done_at=done, assessment="good", dutch_levels=levels, next_step="Verder."))
        traject("C7", "P1", "met", met=True)
        traject("C8", "P2", "proposed", proposal=True)
        db.commit()
        ids = {name: cand.id for name, cand in c.items()}
    return SimpleNamespace(candidates=ids, org_a=org_a, placements=placements, draft=draft, event_title="Meet & greet Zaandam")
