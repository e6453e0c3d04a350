"""Demo data for trying the portal on a laptop: one account per role and a few organisations.

Every demo address ends in @demo.test; the production configuration refuses to start while any
exists. Loading is idempotent: running it again refreshes passwords and adds what is missing.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, select

from config.settings import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from portal.accounts.models import Organisation, OrganisationStatus, User
from portal.accounts.passwords import hash_password
from portal.core import db
from portal.core.roles import Role

ORGANISATIONS = [
    dict(name="Bakkerij De Korenaar", kvk_number="12345678", sector="horeca", street_address="Westzijde 12",
         postcode="1506 EC", city="Zaandam", municipality="Zaanstad", contact_name="Els de Vries",
         contact_email="els@demo.test", status=OrganisationStatus.APPROVED),
    dict(name="Logistiek Zaanstreek B.V.", kvk_number="23456789", sector="logistiek", street_address="Symon Spiersweg 7",
         postcode="1506 RZ", city="Zaandam", municipality="Zaanstad", contact_name="Karim Benali",
         contact_email="karim@demo.test", status=OrganisationStatus.APPROVED),
    dict(name="Tuinderij Westland", kvk_number="34567890", sector="groen", street_address="Naaldwijkseweg 140",
         postcode="2691 RH", city="'s-Gravenzande", municipality="Westland", contact_name="Joke Verbeek",
         contact_email="joke@demo.test", status=OrganisationStatus.PENDING),
]

ACCOUNTS = [
    (Role.EMPLOYER, f"employer@{DEMO_EMAIL_DOMAIN}", "Els de Vries", "12345678"),
    (Role.EMPLOYER, f"employer2@{DEMO_EMAIL_DOMAIN}", "Karim Benali", "23456789"),
    (Role.ACCOUNT_MANAGER, f"accountmanager@{DEMO_EMAIL_DOMAIN}", "Fatima el Amrani", None),
    (Role.WSP, f"wsp@{DEMO_EMAIL_DOMAIN}", "Pieter Jansen", None),
    (Role.ADMIN, f"admin@{DEMO_EMAIL_DOMAIN}", "Anouk Bakker", None),
    (Role.POLICY_OFFICER, f"policy@{DEMO_EMAIL_DOMAIN}", "Noor Visser", None),
]

#: Areas add their own demo data (placements, candidates, events) after the accounts exist.
EXTENSIONS: list[Callable[[], None]] = []


def demo_extension(func: Callable[[], None]) -> Callable[[], None]:
    EXTENSIONS.append(func)
    return func


#: Areas remove their demo records first (e.g. records that refer to demo users).
REMOVALS: list[Callable[[], None]] = []


def demo_removal(func: Callable[[], None]) -> Callable[[], None]:
    REMOVALS.append(func)
    return func


def load() -> list[tuple[str, str]]:
    organisations = {}
    for fields in ORGANISATIONS:
        org = db.session.scalar(select(Organisation).where(Organisation.kvk_number == fields["kvk_number"]))
        if org is None:
            org = Organisation(**fields)
            db.session.add(org)
        organisations[fields["kvk_number"]] = org
    db.session.flush()
    password_hash = hash_password(DEMO_PASSWORD)
    for role, email, name, kvk in ACCOUNTS:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, name=name, role=role)
            db.session.add(user)
        user.password_hash, user.active = password_hash, True
        user.organisation_id = organisations[kvk].id if kvk else None
    db.session.flush()
    for extension in EXTENSIONS:
        extension()
    return [(str(role.label), email) for role, email, _name, _kvk in ACCOUNTS]


def remove() -> int:
    for removal in REMOVALS:
        removal()
    users = db.session.scalars(select(User).where(User.email.like(f"%@{DEMO_EMAIL_DOMAIN}"))).all()
    for user in users:
        db.session.delete(user)
    db.session.flush()
    db.session.execute(delete(Organisation).where(Organisation.contact_email.like(f"%@{DEMO_EMAIL_DOMAIN}")))
    return len(users)
