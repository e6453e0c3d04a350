"""Labels for the codes the audit log and the mail log store: actions, object types, detail keys,
mail states. The log keeps codes (stable, searchable); pages show these labels in the page's language.

Areas that add audit actions register their labels here with `audit_action(code, label)` (or add a
line to ACTIONS); an unregistered action still shows a readable label (its area and "other action").
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l

ACTIONS: dict[str, Any] = {
    "candidate.created": _l("Kandidaat aangemaakt"),
    "candidate.erased": _l("Kandidaat gewist"),
    "candidate.interest_recorded": _l("Interesse in kandidaat doorgegeven"),
    "candidate.owner_changed": _l("Accountmanager van kandidaat gewijzigd"),
    "candidate.published": _l("Kandidaat gepubliceerd"),
    "candidate.status_changed": _l("Status van kandidaat gewijzigd"),
    "candidate.unpublished": _l("Kandidaat niet meer gepubliceerd"),
    "candidate.updated": _l("Kandidaat bijgewerkt"),
    "commitment.booked": _l("Afspraak in agenda kandidaat gezet"),
    "consent.expired": _l("Toestemming verlopen"),
    "consent.recorded": _l("Toestemming vastgelegd"),
    "consent.withdrawn": _l("Toestemming ingetrokken"),
    "event.candidate_cancelled": _l("Kandidaat afgemeld voor meet & greet"),
    "event.candidate_registered": _l("Kandidaat aangemeld voor meet & greet"),
    "event.check_in": _l("Aanwezigheid geregistreerd"),
    "event.created": _l("Meet & greet aangemaakt"),
    "event.employer_cancelled": _l("Werkgever afgemeld voor meet & greet"),
    "event.employer_registered": _l("Werkgever aangemeld voor meet & greet"),
    "event.meeting_outcome": _l("Uitkomst speeddate vastgelegd"),
    "event.schedule_announced": _l("Rooster bekendgemaakt"),
    "event.schedule_generated": _l("Rooster gemaakt"),
    "event.status": _l("Status van meet & greet gewijzigd"),
    "event.updated": _l("Meet & greet bijgewerkt"),
    "event.waitlist_promoted": _l("Van de wachtlijst geplaatst"),
    "follow_up.done": _l("Vervolgactie afgerond"),
    "follow_up.recorded": _l("Vervolgactie vastgelegd"),
    "invitation.accepted": _l("Uitnodiging aangenomen"),
    "invitation.created": _l("Uitnodiging verstuurd"),
    "meetings.booked": _l("Kennismakingsgesprek geboekt"),
    "meetings.cancelled": _l("Kennismakingsgesprek geannuleerd"),
    "meetings.cancelled_unavailable": _l("Kennismakingsgesprek vervallen (kandidaat niet meer beschikbaar)"),
    "meetings.confirmed": _l("Kennismakingsgesprek bevestigd"),
    "meetings.moved": _l("Kennismakingsgesprek verplaatst"),
    "meetings.outcome_recorded": _l("Uitkomst kennismakingsgesprek vastgelegd"),
    "meetings.series_published": _l("Reeks gesprekstijden gepubliceerd"),
    "meetings.slot_published": _l("Gesprekstijd gepubliceerd"),
    "meetings.slot_withdrawn": _l("Gesprekstijd ingetrokken"),
    "organisation.approved": _l("Organisatie goedgekeurd"),
    "organisation.registered": _l("Organisatie aangemeld"),
    "organisation.rejected": _l("Organisatie afgewezen"),
    "placement.created": _l("Plek aangemaakt"),
    "placement.updated": _l("Plek bijgewerkt"),
    "placement.publish": _l("Plek gepubliceerd"),
    "placement.pause": _l("Plek gepauzeerd"),
    "placement.close": _l("Plek gesloten"),
    "placement.reopen": _l("Plek heropend"),
    "search.saved": _l("Zoekopdracht bewaard"),
    "search.saved_deleted": _l("Bewaarde zoekopdracht verwijderd"),
    "audit.exported": _l("Auditlog geëxporteerd"),
    "user.login": _l("Ingelogd"),
    "user.password_changed": _l("Wachtwoord gewijzigd"),
    "user.password_reset_requested": _l("Nieuw wachtwoord aangevraagd"),
    "user.updated": _l("Gebruiker bijgewerkt"),
    "video.captions_added": _l("Ondertitels toegevoegd"),
    "video.captions_removed": _l("Ondertitels verwijderd"),
    "video.deleted": _l("Video verwijderd"),
    "video.failed": _l("Verwerking video mislukt"),
    "video.ready": _l("Video klaar"),
    "video.retried": _l("Verwerking video opnieuw gestart"),
    "video.upload_started": _l("Upload video gestart"),
    "video.uploaded": _l("Video geüpload"),
    "visit.booked": _l("Bedrijfsbezoek geboekt"),
    "visit.booking_cancelled": _l("Boeking bedrijfsbezoek geannuleerd"),
    "visit.cancelled": _l("Bedrijfsbezoek geannuleerd"),
    "visit.created": _l("Bedrijfsbezoek aangemaakt"),
}

AREAS: dict[str, Any] = {
    "candidate": _l("Kandidaat"), "commitment": _l("Agenda"), "consent": _l("Toestemming"),
    "event": _l("Meet & greet"), "follow_up": _l("Vervolg"), "invitation": _l("Uitnodiging"),
    "meetings": _l("Kennismakingsgesprek"), "organisation": _l("Organisatie"), "placement": _l("Plek"),
    "audit": _l("Auditlog"), "search": _l("Zoeken"), "user": _l("Gebruiker"), "video": _l("Video"), "visit": _l("Bedrijfsbezoek"),
}

OBJECT_TYPES: dict[str, Any] = {
    "users": _l("Gebruiker"), "organisations": _l("Organisatie"), "invitations": _l("Uitnodiging"),
    "candidates": _l("Kandidaat"), "consents": _l("Toestemming"), "candidate_consents": _l("Toestemming"),
    "placements": _l("Plek"), "events": _l("Meet & greet"), "event_registrations": _l("Aanmelding"),
    "event_employers": _l("Werkgever bij meet & greet"), "event_candidates": _l("Kandidaat bij meet & greet"),
    "visit_slots": _l("Bedrijfsbezoek"), "visit_bookings": _l("Boeking bedrijfsbezoek"),
    "meeting_slots": _l("Gesprekstijd"), "meeting_bookings": _l("Kennismakingsgesprek"),
    "meeting_availability_series": _l("Reeks gesprekstijden"), "video_profiles": _l("Video"),
    "saved_searches": _l("Bewaarde zoekopdracht"), "follow_ups": _l("Vervolgactie"), "commitments": _l("Afspraak"),
}

DETAIL_KEYS: dict[str, Any] = {
    "candidate_id": _l("Kandidaat"), "candidate_ids": _l("Kandidaten"), "organisation_id": _l("Organisatie"),
    "organisation_ids": _l("Organisaties"), "selected_organisations": _l("Gekozen organisaties"),
    "all_approved_employers": _l("Alle goedgekeurde werkgevers"), "video_allowed": _l("Video toegestaan"),
    "text_version": _l("Versie van de tekst"), "expires_at": _l("Geldig tot"), "outcome": _l("Uitkomst"),
    "from": _l("Van"), "to": _l("Naar"), "status": _l("Status"), "role": _l("Rol"), "active": _l("Actief"),
    "duplicate_confirmed": _l("Dubbele registratie bevestigd"), "fields": _l("Velden"), "reason": _l("Reden"),
    "email": _l("E-mailadres"), "count": _l("Aantal"), "slot_id": _l("Gesprekstijd"), "event_id": _l("Meet & greet"),
    "placement_id": _l("Plek"), "user_id": _l("Gebruiker"), "kind": _l("Soort"), "note": _l("Toelichting"),
    "previous_owner_id": _l("Vorige accountmanager"), "owner_id": _l("Accountmanager"), "tables": _l("Tafels"),
    "rounds": _l("Rondes"), "starts_at": _l("Begin"), "ends_at": _l("Einde"), "language": _l("Taal"),
    "interpreter_language": _l("Tolk"), "channel": _l("Kanaal"), "name": _l("Naam"), "present": _l("Aanwezig"),
}

MAIL_STATES: dict[str, Any] = {
    "queued": _l("In de wachtrij"),
    "sent": _l("Verzonden"),
    "logged": _l("Alleen in de maillog (niet verzonden)"),
    "failed": _l("Mislukt"),
}
MAIL_STATE_TONES = {"queued": "warning", "sent": "success", "logged": "neutral", "failed": "danger"}


def audit_action(code: str, label: Any) -> None:
    """Register the label of an audit action (call at import time of the area's module)."""
    ACTIONS.setdefault(code, label)


def action_label(code: str | None) -> str:
    if not code:
        return ""
    if code in ACTIONS:
        return str(ACTIONS[code])
    area = code.split(".", 1)[0]
    return f"{AREAS.get(area, _l('Overig'))}: {_l('overige actie')}"


def object_label(object_type: str | None) -> str:
    if not object_type:
        return ""
    return str(OBJECT_TYPES.get(object_type, _l("Object")))


def mail_state_label(state: str | None) -> str:
    return str(MAIL_STATES.get(state or "", _l("Onbekend")))


def _detail_key(key: str) -> str:
    if key in DETAIL_KEYS:
        return str(DETAIL_KEYS[key])
    return key.replace("_", " ").replace(".", " ").capitalize()


def _detail_value(value: Any) -> str:
    from portal.core.i18n import format_day, format_when

    if isinstance(value, bool):
        return str(_l("ja") if value else _l("nee"))
    if value is None or value == "":
        return "–"
    if isinstance(value, (list, tuple)):
        return ", ".join(_detail_value(v) for v in value) or "–"
    if isinstance(value, dict):
        return "; ".join(f"{_detail_key(str(k))}: {_detail_value(v)}" for k, v in value.items())
    if isinstance(value, str):
        if value in ACTIONS:
            return action_label(value)
        try:
            if len(value) >= 16 and value[4] == "-" and "T" in value:
                return format_when(dt.datetime.fromisoformat(value))
            if len(value) == 10 and value[4] == "-":
                return format_day(dt.date.fromisoformat(value))
        except ValueError:
            pass
        return _status_word(value)
    return str(value)


#: status codes that appear in details ("from"/"to" of a status change)
_STATUS_WORDS = {
    "draft": _l("Concept"), "published": _l("Gepubliceerd"), "paused": _l("Gepauzeerd"), "closed": _l("Gesloten"),
    "cancelled": _l("Geannuleerd"), "confirmed": _l("Bevestigd"), "requested": _l("Aangevraagd"),
    "waitlisted": _l("Wachtlijst"), "approved": _l("Goedgekeurd"), "rejected": _l("Afgewezen"), "pending": _l("In behandeling"),
    "active": _l("Actief"), "inactive": _l("Niet actief"), "hired": _l("Aangenomen"), "no_show": _l("Niet gekomen"),
    "employer": _l("Werkgever"), "account_manager": _l("Accountmanager"), "wsp": _l("Medewerker Werkgeversservicepunt"),
    "admin": _l("Beheerder"),
}


def _status_word(value: str) -> str:
    label = _STATUS_WORDS.get(value)
    if label is not None:
        return str(label)
    if "_" in value and value.replace("_", "").isalpha() and value.islower():
        return value.replace("_", " ")
    return value


def detail_rows(details: dict[str, Any] | None) -> list[tuple[str, str]]:
    """An audit entry's details as (label, readable value) pairs."""
    return [(_detail_key(str(k)), _detail_value(v)) for k, v in (details or {}).items()]


def role_label(code: str | None) -> str:
    from portal.core.roles import Role

    try:
        return Role(code).label if code else ""
    except ValueError:
        return ""
