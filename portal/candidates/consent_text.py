"""The consent text shown to (and explained to) the candidate, versioned, in Dutch and English.

A `Consent` stores the version key it was recorded under. Never change a published version's
text: add a new version and make it `CURRENT_VERSION`.
"""
from __future__ import annotations

CONSENT_TEXTS: dict[str, dict[str, str]] = {
    "2026-1": {
        "nl": (
            "Ik geef toestemming dat de gemeente mijn profiel laat zien aan werkgevers in het Werkportaal. "
            "Werkgevers zien alleen: mijn voornaam en de eerste letter van mijn achternaam, mijn leeftijdsgroep, "
            "mijn woonplaats, mijn talen en taalniveau, mijn vaardigheden, de sectoren die mij interesseren, "
            "wanneer ik kan werken, mijn eigen woorden over wat ik wil en, als ik daarvoor kies, mijn video.\n"
            "Werkgevers zien nooit mijn achternaam, geboortedatum, adres, telefoonnummer, e-mailadres, BSN, "
            "nationaliteit, geloof, gezondheid of de ondersteuning die ik nodig heb.\n"
            "Meedoen is vrijwillig. Als ik nee zeg of later stop, verandert er niets aan mijn uitkering of aan "
            "de hulp die ik krijg.\n"
            "Ik kan mijn toestemming altijd intrekken bij mijn accountmanager. Dan is mijn profiel direct niet "
            "meer zichtbaar en wordt mijn video verwijderd. De toestemming geldt hoogstens 12 maanden."
        ),
        "en": (
            "I consent to the municipality showing my profile to employers in the Werkportaal. Employers only "
            "see: my first name and the first letter of my surname, my age group, the municipality I live in, "
            "my languages and language levels, my skills, the sectors I am interested in, when I can work, my "
            "own words about what I want and, if I choose so, my video.\n"
            "Employers never see my surname, date of birth, address, phone number, email address, BSN, "
            "nationality, religion, health or the support I need.\n"
            "Taking part is voluntary. If I say no, or stop later, nothing changes to my benefits or to the "
            "help I receive.\n"
            "I can withdraw my consent at any time through my account manager. My profile is then hidden at "
            "once and my video is deleted. The consent is valid for at most 12 months."
        ),
    },
}

CURRENT_VERSION = "2026-1"

#: The longest a consent may run (DESIGN.md §5).
MAX_CONSENT_MONTHS = 12


def consent_text(version: str = CURRENT_VERSION, locale: str = "nl") -> str:
    texts = CONSENT_TEXTS[version]
    return texts.get((locale or "nl")[:2], texts["nl"])
