"""Placement operations: they check the domain rules, change state, flush and audit; never commit.

The form already validated the input for the user; these functions check the rules again so that
no other caller (demo data, a future API, a script) can store a placement the form would refuse.

Status transitions (all audited):

    draft ──publish──> published ──pause──> paused ──publish──> published
      │                    │                  │
      └──────close─────────┴──────close───────┴──> closed ──reopen──> draft

Publishing needs an approved organisation. Reopening puts a closed placement back in draft, so
that the employer checks dates and places before publishing it again.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _

from portal import reference
from portal.accounts.models import Organisation, User
from portal.core import audit, availability, db
from portal.core.errors import DomainError, NotAllowed
from portal.placements.models import (
    DUTCH_COLUMNS,
    DURATION_MAX_WEEKS,
    HOURS_MAX,
    HOURS_MIN,
    OFFER_OPTIONS,
    PLACES_MAX,
    SUPPORT_OPTIONS,
    TASKS_MAX,
    TITLE_MAX,
    TITLE_MIN,
    Placement,
    PlacementLanguage,
    PlacementStatus,
    PlacementType,
)

#: The scalar fields an employer sets through the form, in the order they are audited.
SCALAR_FIELDS = (
    "type", "title", "tasks", "sector", "street_address", "postcode", "city", "municipality",
    "hours_per_week", "dayparts", "start_date", "duration_weeks", "places", "support", "offers",
    "pay_indication", "required_skills", "nice_to_have_skills", "language_tasks",
    "allow_one_level_below_with_support",
)


def _check(fields: Mapping[str, Any], *, today: dt.date | None, original_start: dt.date | None) -> None:
    """Raise DomainError (with the field name) for the first rule the values break."""
    from portal.placements.forms import hours_fit_dayparts  # the same rule and words as the form

    def refuse(field: str, message: str) -> None:
        raise DomainError(message, field=field)

    if not isinstance(fields["type"], PlacementType):
        refuse("type", _("Kies de soort plek."))
    if not TITLE_MIN <= len(fields["title"] or "") <= TITLE_MAX:
        refuse("title", _("De titel is %(min)d tot %(max)d tekens lang.", min=TITLE_MIN, max=TITLE_MAX))
    if len(fields["tasks"] or "") > TASKS_MAX:
        refuse("tasks", _("Gebruik hoogstens %(max)d tekens.", max=TASKS_MAX))
    if not reference.is_sector(fields["sector"]):
        refuse("sector", _("Kies een sector uit de lijst."))
    hours = fields["hours_per_week"]
    if not isinstance(hours, int) or not HOURS_MIN <= hours <= HOURS_MAX:
        refuse("hours_per_week", _("Kies van %(min)d tot en met %(max)d uur per week.", min=HOURS_MIN, max=HOURS_MAX))
    try:
        dayparts = availability.normalise(fields["dayparts"])
    except ValueError:
        refuse("dayparts", _("Onbekend dagdeel."))
    if not dayparts:
        refuse("dayparts", _("Kies minstens één dagdeel."))
    message = hours_fit_dayparts(hours, dayparts)
    if message:
        refuse("dayparts", message)
    start = fields["start_date"]
    if not isinstance(start, dt.date):
        refuse("start_date", _("Vul een geldige startdatum in, bijvoorbeeld 2027-03-01."))
    if today is not None and start < today and start != original_start:
        refuse("start_date", _("De startdatum ligt in het verleden. Kies vandaag of een latere datum."))
    weeks = fields["duration_weeks"]
    if weeks is not None and not 1 <= weeks <= DURATION_MAX_WEEKS:
        refuse("duration_weeks", _("Kies van 1 tot en met %(max)d weken, of laat leeg.", max=DURATION_MAX_WEEKS))
    if not isinstance(fields["places"], int) or not 1 <= fields["places"] <= PLACES_MAX:
        refuse("places", _("Kies van 1 tot en met %(max)d plekken.", max=PLACES_MAX))
    if set(fields["support"]) - set(SUPPORT_OPTIONS):
        refuse("support", _("Onbekende vorm van begeleiding."))
    if set(fields["offers"]) - set(OFFER_OPTIONS):
        refuse("offers", _("Onbekende keuze."))
    for name in ("required_skills", "nice_to_have_skills"):
        if not all(reference.is_skill(code) for code in fields[name]):
            refuse(name, _("Onbekende vaardigheid of beroep."))
    if set(fields["required_skills"]) & set(fields["nice_to_have_skills"]):
        refuse("nice_to_have_skills", _("Een vaardigheid is vereist of mooi meegenomen, niet allebei."))
    if not all(reference.is_language_task(code) for code in fields["language_tasks"]):
        refuse("language_tasks", _("Onbekende werksituatie."))
    for skill, level in fields["dutch_levels"].items():
        if skill not in DUTCH_COLUMNS or isinstance(level, bool) or level not in reference.LEVELS:
            refuse(f"dutch_{skill}", _("Kies een van de genoemde niveaus (geen, A1 tot en met C2)."))
    seen: set[str] = set()
    for code, level in fields["other_languages"]:
        if not reference.is_language(code) or code == "nl" or code in seen:
            refuse("other_languages", _("Kies elke andere taal één keer uit de lijst."))
        if isinstance(level, bool) or level not in reference.LEVELS or level == 0:
            refuse("other_languages", _("Kies een niveau van A1 tot en met C2."))
        seen.add(code)


def _apply(placement: Placement, fields: Mapping[str, Any]) -> list[str]:
    """Copy the values onto the placement; return the names of the fields that changed."""
    changed = []
    values = {name: fields[name] for name in SCALAR_FIELDS}
    values["dayparts"] = availability.normalise(values["dayparts"])
    values.update({DUTCH_COLUMNS[skill]: level for skill, level in fields["dutch_levels"].items()})
    for name, value in values.items():
        if getattr(placement, name, None) != value:
            setattr(placement, name, value)
            changed.append(name)
    # Other languages: update rows in place (a delete + insert of the same language in one flush
    # would trip the unique constraint).
    wanted = dict(fields["other_languages"])
    current = {row.language: row for row in placement.other_languages}
    before = {code: row.level for code, row in current.items()}
    for code, row in current.items():
        if code not in wanted:
            placement.other_languages.remove(row)
        elif row.level != wanted[code]:
            row.level = wanted[code]
    for code, level in wanted.items():
        if code not in current:
            placement.other_languages.append(PlacementLanguage(language=code, level=level))
    if before != wanted:
        changed.append("other_languages")
    return changed


def _record_helper(placement: Placement, fields: Mapping[str, Any], before: Mapping[str, int] | None) -> None:
    """Remember when the task helper lowered the Dutch requirement (a results indicator).

    Lowered = work situations are ticked and, in at least one skill, the saved level equals the
    helper's suggestion and is below the level before the helper (the levels before "Niveaus
    voorstellen" was pressed, else, when editing, the levels stored until now).
    """
    codes = [c for c in fields.get("language_tasks") or () if reference.is_language_task(c)]
    before = fields.get("levels_before_helper") or before
    if not codes or not before:
        return
    suggestion = reference.suggest_levels(codes)
    final = fields["dutch_levels"]
    if any(final.get(skill) == suggestion[skill] and final.get(skill, 0) < before.get(skill, 0) for skill in suggestion):
        placement.dutch_lowered_with_helper = True
        placement.dutch_levels_before_helper = dict(before)


def _check_employer(user: User, organisation: Organisation) -> None:
    if not user.is_employer or user.organisation_id != organisation.id:
        raise NotAllowed(_("U kunt alleen plekken van uw eigen organisatie beheren."))


def create_placement(organisation: Organisation, user: User, fields: Mapping[str, Any], *,
                     today: dt.date | None = None) -> Placement:
    """A new placement in draft, owned by the user's organisation (pending organisations too)."""
    _check_employer(user, organisation)
    _check(fields, today=today or dt.date.today(), original_start=None)
    placement = Placement(organisation=organisation, created_by=user, status=PlacementStatus.DRAFT)
    _apply(placement, fields)
    _record_helper(placement, fields, None)
    db.session.add(placement)
    db.session.flush()
    audit.record("placement.created", placement, actor=user, organisation_id=organisation.id, title=placement.title)
    return placement


def update_placement(placement: Placement, user: User, fields: Mapping[str, Any], *,
                     today: dt.date | None = None) -> list[str]:
    """Change a placement in any status; a start date already in the past may stay as it is."""
    if not placement.can_edit(user):
        raise NotAllowed(_("U kunt alleen plekken van uw eigen organisatie beheren."))
    _check(fields, today=today or dt.date.today(), original_start=placement.start_date)
    stored_levels = dict(placement.dutch_levels)
    changed = _apply(placement, fields)
    _record_helper(placement, fields, stored_levels)
    if changed:
        placement.updated_at = db.utcnow()
        db.session.flush()
        audit.record("placement.updated", placement, actor=user, fields=changed)
    return changed


# --- status ---------------------------------------------------------------------------------

TRANSITIONS: dict[str, tuple[frozenset[PlacementStatus], PlacementStatus]] = {
    "publish": (frozenset({PlacementStatus.DRAFT, PlacementStatus.PAUSED}), PlacementStatus.PUBLISHED),
    "pause": (frozenset({PlacementStatus.PUBLISHED}), PlacementStatus.PAUSED),
    "close": (frozenset({PlacementStatus.DRAFT, PlacementStatus.PUBLISHED, PlacementStatus.PAUSED}), PlacementStatus.CLOSED),
    "reopen": (frozenset({PlacementStatus.CLOSED}), PlacementStatus.DRAFT),
}


def allowed_actions(placement: Placement) -> list[str]:
    return [action for action, (sources, _target) in TRANSITIONS.items() if placement.status in sources]


def change_status(placement: Placement, user: User, action: str) -> PlacementStatus:
    """Publish, pause, close or reopen; refuses a transition that does not apply to the current status."""
    if not placement.can_edit(user):
        raise NotAllowed(_("U kunt alleen plekken van uw eigen organisatie beheren."))
    if action not in TRANSITIONS:
        raise DomainError(_("Onbekende actie."))
    sources, target = TRANSITIONS[action]
    if placement.status not in sources:
        raise DomainError(_("Dit kan niet bij een plek met status ‘%(status)s’.", status=placement.status.label))
    if target == PlacementStatus.PUBLISHED and not placement.organisation.is_approved:
        raise DomainError(_(
            "Publiceren kan pas als het Werkgeversservicepunt uw organisatie heeft goedgekeurd. "
            "Uw plek blijft bewaard als concept; niemand anders ziet hem."
        ))
    previous = placement.status
    placement.status = target
    if target == PlacementStatus.PUBLISHED:
        placement.published_at = db.utcnow()
    elif target == PlacementStatus.DRAFT:
        placement.published_at = None
    db.session.flush()
    audit.record(f"placement.{action}", placement, actor=user, **{"from": previous.value, "to": target.value})
    return target


def publish(placement: Placement, user: User) -> PlacementStatus:
    return change_status(placement, user, "publish")


def pause(placement: Placement, user: User) -> PlacementStatus:
    return change_status(placement, user, "pause")


def close(placement: Placement, user: User) -> PlacementStatus:
    return change_status(placement, user, "close")


def reopen(placement: Placement, user: User) -> PlacementStatus:
    return change_status(placement, user, "reopen")


def set_places(placement: Placement, places: int, *, by: User, filled: int = 0) -> None:
    """The employer changes the number of places (e.g. reopens places of a full placement).

    `filled` is the number of places taken by started trajects (counted by the caller); the
    number can never drop below it. A placement with places left shows in the matches again."""
    if not placement.can_edit(by):
        raise NotAllowed(_("U mag deze plek niet wijzigen."))
    if not (1 <= places <= PLACES_MAX):
        raise DomainError(_("Kies een aantal van 1 tot %(max)d.", max=PLACES_MAX), field="places")
    if places < filled:
        raise DomainError(_("Er zijn al %(n)d plekken bezet; kies minstens %(n)d.", n=filled), field="places")
    before = placement.places
    placement.places = places
    db.session.flush()
    audit.record("placement.places_changed", placement, actor=by, before=before, after=places)
