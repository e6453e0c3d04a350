"""Demo data of the case file: notes and contact moments on the demo account manager's candidates,
and a colleague who shares one case (idempotent: nothing is added once the demo notes exist)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from config.settings import DEMO_EMAIL_DOMAIN
from portal.accounts.models import User
from portal.candidates.models import Candidate
from portal.casefile.models import CaseNote, ContactChannel
from portal.core import db
from portal.demo import demo_extension

NOTES = [
    "Wil graag in de ochtend werken: 's middags taalles op het ROC (dinsdag en donderdag).",
    "Heeft geen fiets meer; samen gekeken naar een fiets via de Fietsenbank.",
    "Vindt het spannend om te bellen in het Nederlands; oefent met een taalmaatje.",
]
CONTACTS = [
    (ContactChannel.CONVERSATION, 21, "Kennismakingsgesprek op het gemeentekantoor: wensen, dagen en vervoer besproken."),
    (ContactChannel.WHATSAPP, 9, "Herinnering gestuurd voor de meet-and-greet; bevestigd met een duim."),
    (ContactChannel.PHONE, 3, "Gebeld over de proefdag: gaat erheen met de bus, vertrekt om 07:40."),
    (ContactChannel.HOME_VISIT, 14, "Huisbezoek: rustige thuissituatie, partner steunt het werk."),
]


@demo_extension
def case_file() -> None:
    from portal.casefile import operations

    manager = db.session.scalar(select(User).where(User.email == f"accountmanager@{DEMO_EMAIL_DOMAIN}"))
    if manager is None:
        return
    if db.session.scalar(select(CaseNote.id).where(CaseNote.author_id == manager.id).limit(1)) is not None:
        return
    candidates = db.session.scalars(select(Candidate).where(Candidate.owner_id == manager.id)
                                    .order_by(Candidate.id).limit(4)).all()
    today = db.utcnow().date()
    for index, candidate in enumerate(candidates):
        operations.add_note(candidate, manager, NOTES[index % len(NOTES)])
        channel, days_ago, summary = CONTACTS[index % len(CONTACTS)]
        operations.record_contact(candidate, manager, channel=channel, happened_on=today - dt.timedelta(days=days_ago),
                                  summary=summary)
    db.session.flush()
