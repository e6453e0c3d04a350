"""/api/v1/placements: an employer's client reads and writes its own placements.

Writing goes through the very form the employer uses in the browser (`build_placement_form`, fed
the JSON body as form data) and then through `portal.placements.operations`, so the per-skill
Dutch requirement and every other rule are the same ones, with the same messages; form field
names are reported under the JSON names of this API in `invalid-params`.
"""
from __future__ import annotations

from typing import Any

from flask import url_for
from marshmallow import Schema, fields, validate
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from portal import reference
from portal.accounts.models import Organisation
from portal.api.models import Scope
from portal.api.problems import ApiProblem
from portal.api.v1 import PageQuery, current_actor, json_response, operation, page_schema, paginated
from portal.core import availability, db
from portal.core.errors import DomainError, NotAllowed
from portal.core.roles import Role
from portal.placements import operations
from portal.placements.documents import placement_document
from portal.placements.forms import build_placement_form
from portal.placements.models import OFFER_OPTIONS, SUPPORT_OPTIONS, Placement, PlacementStatus, PlacementType

TAG = "placements"
LEVEL = fields.Integer(required=True, validate=validate.Range(min=0, max=6))
SKILLS = tuple(reference.LANGUAGE_SKILLS)


# -- schemas ----------------------------------------------------------------------------------

class DutchLevels(Schema):
    listening = fields.Integer(required=True, strict=True)
    reading = fields.Integer(required=True, strict=True)
    spoken_interaction = fields.Integer(required=True, strict=True)
    spoken_production = fields.Integer(required=True, strict=True)
    writing = fields.Integer(required=True, strict=True)


class OtherLanguage(Schema):
    language = fields.String(required=True, metadata={"description": "ISO 639-code, niet nl"})
    level = fields.Integer(required=True, strict=True, metadata={"description": "1 = A1 … 6 = C2"})


class LanguageRequirements(Schema):
    nl = fields.Nested(DutchLevels, required=True, metadata={"description": "0 = geen, 1 = A1 … 6 = C2, per vaardigheid"})
    other = fields.List(fields.Nested(OtherLanguage), required=True)
    tasks = fields.List(fields.String(), required=True, metadata={"description": "codes van taalsituaties"})


class Skills(Schema):
    required = fields.List(fields.String(), required=True)
    nice_to_have = fields.List(fields.String(), required=True)


class Location(Schema):
    postcode = fields.String(required=True)
    city = fields.String(required=True)
    municipality = fields.String(required=True)


class LocationInput(Location):
    street_address = fields.String(required=True)


class OrganisationRef(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class PlacementOut(Schema):
    """The placement document of portal.placements.documents (the same as /plekken/<id>.json)."""

    id = fields.Integer(required=True)
    type = fields.String(required=True, validate=validate.OneOf([t.value for t in PlacementType]))
    title = fields.String(required=True)
    tasks = fields.String(required=True)
    sector = fields.String(required=True)
    organisation = fields.Nested(OrganisationRef, required=True)
    location = fields.Nested(Location, required=True)
    hours_per_week = fields.Integer(required=True)
    dayparts = fields.List(fields.String(), required=True)
    days = fields.List(fields.String(), required=True)
    start_date = fields.Date(required=True)
    duration_weeks = fields.Integer(required=True, allow_none=True)
    places = fields.Integer(required=True)
    support = fields.List(fields.String(), required=True)
    offers = fields.List(fields.String(), required=True)
    pay_indication = fields.String(required=True)
    skills = fields.Nested(Skills, required=True)
    language_requirements = fields.Nested(LanguageRequirements, required=True)
    allow_one_level_below_with_support = fields.Boolean(required=True)
    status = fields.String(required=True, validate=validate.OneOf([s.value for s in PlacementStatus]))
    published_at = fields.DateTime(required=True, allow_none=True)
    updated_at = fields.DateTime(required=True)


class PlacementInput(Schema):
    """What an employer fills in on the placement form, in the shape of the placement document.

    This schema checks only the shape (types, required keys); the enums are documented, not
    enforced here: every rule and message comes from the placement form (422 `validation-failed`).
    """

    type = fields.String(required=True, metadata={"enum": [t.value for t in PlacementType]})
    title = fields.String(required=True, metadata={"example": "Hulp in de bakkerij"})
    tasks = fields.String(required=True)
    sector = fields.String(required=True, metadata={"example": "horeca"})
    location = fields.Nested(LocationInput, required=True)
    hours_per_week = fields.Integer(required=True, strict=True)
    dayparts = fields.List(fields.String(metadata={"enum": list(availability.SLOTS)}), required=True)
    start_date = fields.Date(required=True)
    duration_weeks = fields.Integer(strict=True, allow_none=True, load_default=None)
    places = fields.Integer(strict=True, load_default=1)
    support = fields.List(fields.String(metadata={"enum": list(SUPPORT_OPTIONS)}), load_default=list)
    offers = fields.List(fields.String(metadata={"enum": list(OFFER_OPTIONS)}), load_default=list)
    pay_indication = fields.String(load_default="")
    skills = fields.Nested(Skills, load_default=lambda: {"required": [], "nice_to_have": []})
    language_requirements = fields.Nested(LanguageRequirements, required=True)
    allow_one_level_below_with_support = fields.Boolean(load_default=False)


class PlacementQuery(PageQuery):
    status = fields.String(validate=validate.OneOf([s.value for s in PlacementStatus]))


PlacementPage = page_schema(PlacementOut, "PlacementPage")


# -- JSON <-> the form ------------------------------------------------------------------------

#: form field -> name in this API's JSON (for invalid-params)
FIELD_NAMES = {
    "street_address": "location.street_address", "postcode": "location.postcode", "city": "location.city",
    "municipality": "location.municipality", "required_skills": "skills.required",
    "nice_to_have_skills": "skills.nice_to_have", "language_tasks": "language_requirements.tasks",
    "other_languages": "language_requirements.other",
    **{f"dutch_{skill}": f"language_requirements.nl.{skill}" for skill in SKILLS},
}


def _formdata(data: dict[str, Any]) -> MultiDict:
    location, skills, language = data["location"], data["skills"], data["language_requirements"]
    pairs: list[tuple[str, str]] = [
        ("type", data["type"]), ("title", data["title"]), ("tasks", data["tasks"]), ("sector", data["sector"]),
        ("street_address", location["street_address"]), ("postcode", location["postcode"]),
        ("city", location["city"]), ("municipality", location["municipality"]),
        ("hours_per_week", str(data["hours_per_week"])), ("start_date", data["start_date"].isoformat()),
        ("duration_weeks", "" if data["duration_weeks"] is None else str(data["duration_weeks"])),
        ("places", str(data["places"])), ("pay_indication", data["pay_indication"]),
    ]
    pairs += [("dayparts", v) for v in data["dayparts"]]
    pairs += [("support", v) for v in data["support"]] + [("offers", v) for v in data["offers"]]
    pairs += [("required_skills", v) for v in skills["required"]]
    pairs += [("nice_to_have_skills", v) for v in skills["nice_to_have"]]
    pairs += [("language_tasks", v) for v in language["tasks"]]
    pairs += [(f"dutch_{skill}", str(language["nl"][skill])) for skill in SKILLS]
    for index, row in enumerate(language["other"]):
        pairs += [(f"other_languages-{index}-language", row["language"]), (f"other_languages-{index}-level", str(row["level"]))]
    if data["allow_one_level_below_with_support"]:
        pairs.append(("allow_one_level_below_with_support", "y"))
    return MultiDict(pairs)


def _form_errors(form: Any) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for name, errors in form.errors.items():
        api_name = FIELD_NAMES.get(name, name)
        if name == "other_languages":
            for index, entry in enumerate(errors):
                if isinstance(entry, dict):
                    out += [{"name": f"{api_name}[{index}].{sub}", "reason": str(m)} for sub, msgs in entry.items() for m in msgs]
                elif entry:
                    out.append({"name": api_name, "reason": str(entry)})
            continue
        out += [{"name": api_name, "reason": str(message)} for message in errors]
    return out


def _validated_fields(data: dict[str, Any], placement: Placement | None = None) -> dict[str, Any]:
    form = build_placement_form(_formdata(data), placement=placement, meta={"csrf": False})
    if not form.validate():
        raise ApiProblem("validation-failed", invalid_params=_form_errors(form))
    return form.placement_fields()


def _domain_problem(exc: DomainError) -> ApiProblem:
    if isinstance(exc, NotAllowed):
        return ApiProblem("forbidden", detail=exc.message)
    name = FIELD_NAMES.get(exc.field or "", exc.field or "body")
    return ApiProblem("validation-failed", detail=exc.message, invalid_params=[{"name": name, "reason": exc.message}])


def document(placement: Placement) -> dict[str, Any]:
    return placement_document(placement)


def visible_placement_or_404(placement_id: int) -> Placement:
    placement = db.session.get(Placement, placement_id)
    if placement is None or not placement.can_view(current_actor()):
        raise ApiProblem("not-found")
    return placement


# -- operations -------------------------------------------------------------------------------

@operation("/placements", scopes=(Scope.PLACEMENTS_READ,), tag=TAG, query=PlacementQuery, response=PlacementPage,
           summary="Plekken", description="Een werkgever-client ziet alle plekken van de eigen organisatie (ook concepten); "
           "een regionale client wat WSP-medewerkers zien: gepubliceerde, gepauzeerde en gesloten plekken van goedgekeurde organisaties.")
def list_placements(args: dict[str, Any]):
    actor = current_actor()
    query = (select(Placement).join(Organisation, Placement.organisation_id == Organisation.id)
             .where(Placement.visible_to(actor)).order_by(Placement.id))
    if args.get("status"):
        query = query.where(Placement.status == args["status"])
    return paginated(query, args, document)


@operation("/placements/{placement_id}", scopes=(Scope.PLACEMENTS_READ,), tag=TAG, response=PlacementOut,
           summary="Eén plek")
def get_placement(placement_id: int):
    return document(visible_placement_or_404(placement_id))


@operation("/placements", "POST", scopes=(Scope.PLACEMENTS_WRITE,), tag=TAG, body=PlacementInput, response=PlacementOut,
           status=201, summary="Plek aanmaken (concept)",
           description="Dezelfde regels en meldingen als het formulier in de portal; de plek begint als concept.")
def create_placement(data: dict[str, Any]):
    actor = current_actor()
    if actor.role != Role.EMPLOYER:
        raise ApiProblem("forbidden")
    fields_ = _validated_fields(data)
    try:
        placement = operations.create_placement(actor.organisation, actor, fields_)
    except DomainError as exc:
        raise _domain_problem(exc) from None
    return json_response(document(placement), 201, headers={
        "Location": url_for("api_v1.get_placement", placement_id=placement.id, _external=True)})


@operation("/placements/{placement_id}", "PUT", scopes=(Scope.PLACEMENTS_WRITE,), tag=TAG, body=PlacementInput,
           response=PlacementOut, summary="Plek wijzigen (volledige vervanging)")
def replace_placement(placement_id: int, data: dict[str, Any]):
    actor = current_actor()
    placement = visible_placement_or_404(placement_id)
    if not placement.can_edit(actor):
        raise ApiProblem("forbidden")
    fields_ = _validated_fields(data, placement)
    try:
        operations.update_placement(placement, actor, fields_)
    except DomainError as exc:
        raise _domain_problem(exc) from None
    return document(placement)


class StatusChangeInput(Schema):
    action = fields.String(required=True, validate=validate.OneOf(list(operations.TRANSITIONS)))


@operation("/placements/{placement_id}/status-changes", "POST", scopes=(Scope.PLACEMENTS_WRITE,), tag=TAG,
           body=StatusChangeInput, response=PlacementOut, summary="Publiceren, pauzeren, sluiten of heropenen",
           description="Dezelfde overgangen als de knoppen in de portal; publiceren kan pas als de organisatie is goedgekeurd.")
def change_placement_status(placement_id: int, data: dict[str, Any]):
    actor = current_actor()
    placement = visible_placement_or_404(placement_id)
    if not placement.can_edit(actor):
        raise ApiProblem("forbidden")
    try:
        operations.change_status(placement, actor, data["action"])
    except DomainError as exc:
        raise _domain_problem(exc) from None
    return document(placement)
