"""Candidate factory helpers for tests (used by tests/candidates and access.py; others may reuse them).

    from tests.candidates.factories import CandidateFactory
    cf = CandidateFactory(factory)           # factory = the `factory` fixture
    candidate = cf.candidate(published=True, consent=True, organisations=[org])   # selected scope when given
"""
from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from portal.core import db

_n = itertools.count(1)


class CandidateFactory:
    def __init__(self, factory: Any) -> None:
        self.factory = factory
        self.app = factory.app

    def owner(self) -> Any:
        return self.factory.user("account_manager")

    def candidate(self, *, owner: Any = None, published: bool = False, consent: bool = False, organisations: Any = None,
                  video_allowed: bool = True, expires_in_days: int = 180, **fields: Any) -> Any:
        from portal.candidates import operations
        from portal.candidates.models import Candidate, CandidateStatus, ConsentScope, InburgeringStatus
        from portal.candidates.operations import LanguageInput

        if owner is None and fields.get("municipality") not in (None, "Zaanstad"):
            owner = self.factory.user("account_manager", municipality=fields["municipality"])
        owner = owner or self.owner()
        owner_id = owner.id
        n = next(_n)
        values = dict(
            first_name=fields.pop("first_name", f"Voornaam{n}"), surname=fields.pop("surname", f"Geheimachternaam{n}"),
            date_of_birth=fields.pop("date_of_birth", dt.date(1990, 1, 1) + dt.timedelta(days=n)),
            municipality=fields.pop("municipality", "Zaanstad"), postcode_area=fields.pop("postcode_area", "1506"),
            mobility=["bike"], availability=fields.pop("availability", ["mon_morning", "tue_afternoon"]),
            hours_per_week=8, inburgering_status=InburgeringStatus.B1_ROUTE,
            ambitions=fields.pop("ambitions", "Ik wil graag in een bakkerij werken."),
            support_needs=fields.pop("support_needs", "GEHEIMEONDERSTEUNING"),
        )
        values.update(fields)
        languages = [LanguageInput("nl", False, dict(listening=2, reading=2, spoken_interaction=2, spoken_production=2, writing=1)),
                     LanguageInput("ar", True, dict(listening=6, reading=6, spoken_interaction=6, spoken_production=6, writing=6))]
        with self.app.test_request_context():
            from portal.accounts.models import User

            owner = db.session.get(User, owner_id)
            candidate = operations.create_candidate(
                owner, owner=owner, fields=values, languages=languages, skills=["occ.baker", "skill.haccp"],
                sectors=["horeca"], confirm_duplicate=True,
            )
            if consent or published:
                from portal.accounts.models import Organisation

                orgs = [db.session.get(Organisation, getattr(o, "id", o)) for o in (organisations or [])]
                operations.record_consent(
                    candidate, owner, scope=ConsentScope.SELECTED_ORGANISATIONS if orgs else ConsentScope.ALL_APPROVED_EMPLOYERS,
                    organisations=orgs, video_allowed=video_allowed,
                    expires_at=db.utcnow() + dt.timedelta(days=expires_in_days),
                )
            if published:
                operations.publish(candidate, owner)
            db.commit()
            candidate_id = candidate.id
        with self.app.app_context():
            return db.session.get(Candidate, candidate_id)
