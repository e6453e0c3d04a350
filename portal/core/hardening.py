"""Hostile input stopped in one place, before any view sees it.

- `BoundedIntConverter` replaces Flask's `int` URL converter: an id outside 0..MAX_ID in any URL
  is "not found" (404) instead of an overflow in the database ("integer out of range" on
  PostgreSQL, a 500).
- `guard_request` (before every request): a NUL byte in a query value, a form field name or a file
  name is refused (400; PostgreSQL cannot store it); in a form value it becomes SUB (U+001A), which
  the field's validator reports as an invalid character; a JSON body is refused (415)
  except on the few views that declare `@accepts_json`, because Flask-WTF would otherwise read a
  JSON body as form data (a list or a string there is a server error); a blueprint can declare
  `accepts_json` for all its views (the /api/v1 blueprint, which checks the content type of every
  body itself and answers problem+json); a body above
  MAX_CONTENT_LENGTH is 413.
- `json_object()` gives a JSON view its body as a dict, whatever was sent (a list, a string,
  `null` or broken JSON become `{}`).
- `MAX_ID` is THE bound of every id and counted quantity the portal reads from a request: the URL
  converter, `portal.core.validators.parse_id` (every form and query id), the admin audit filter
  and the API (`portal.api.spec`) all import it.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, abort, current_app, request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.routing import IntegerConverter

#: The largest id the database can hold: every id column is an INTEGER (PostgreSQL int4), so a
#: larger value would reach PostgreSQL as "integer out of range" (a 500). The same bound holds for
#: counted quantities (minutes, places, weeks), which are INTEGER columns too.
MAX_ID = 2**31 - 1

F = TypeVar("F", bound=Callable[..., Any] | Blueprint)


class InvalidCharacters(BadRequest):
    """A NUL byte in a query or form value (400 with a message the user can act on)."""

    @property
    def portal_message(self) -> str:
        from flask_babel import gettext as _

        return _("Deze tekst bevat ongeldige tekens.")


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` in every route: 0..MAX_ID (2^31-1); anything larger does not match (404)."""

    def __init__(self, map: Any, fixed_digits: int = 0, min: int | None = None, max: int | None = None,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=0 if min is None else min,
                         max=MAX_ID if max is None else max, signed=signed)


def accepts_json(target: F) -> F:
    """Declare that a view, or every view of a blueprint, reads a JSON body (all others refuse one
    with 415)."""
    target.__portal_accepts_json__ = True  # type: ignore[union-attr]
    return target


def _view_accepts_json() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "__portal_accepts_json__", False):
        return True
    return any(getattr(current_app.blueprints.get(name), "__portal_accepts_json__", False)
               for name in request.blueprints)


_FORM_MIMETYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def guard_request() -> None:
    """before_request hook, registered before access control and CSRF."""
    if request.endpoint is None:
        return
    if any("\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)):
        raise InvalidCharacters()
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.is_json and not _view_accepts_json():
        abort(415)
    if request.mimetype in _FORM_MIMETYPES:
        try:
            form = request.form
        except RequestEntityTooLarge:
            raise
        if any("\x00" in key for key in form.keys()):
            raise InvalidCharacters()
        if any("\x00" in value for _key, value in form.items(multi=True)):
            # A NUL in a value becomes SUB (U+001A, "substitute"): every text field's validator
            # reports it at the field ("invalid characters"), and the database can never be handed
            # a NUL (PostgreSQL refuses them) even by a field without that validator.
            from werkzeug.datastructures import ImmutableMultiDict

            cleaned = [(key, value.replace("\x00", "\x1a")) for key, value in form.items(multi=True)]
            request.__dict__["form"] = ImmutableMultiDict(cleaned)
        for upload in request.files.values():
            if "\x00" in (upload.filename or ""):
                abort(400)


def json_object() -> dict[str, Any]:
    """The request's JSON body if it is an object, else an empty dict."""
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


def init_app(app: Any) -> None:
    """Call right after the Flask app is made, before blueprints add their routes."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(guard_request)
    _unpadded_choice_values()


def _unpadded_choice_values() -> None:
    """Choice values never carry surrounding white space: a padded value (" nl ") of a select, radio
    or checkbox list is read as the value itself, and a blank one (" ") as nothing chosen.

    Without this, a whitespace-only value passed `Optional()` (which stops validation, and with it the
    choice check) and reached code that turns the value into an enum, a number or a date: a 500.
    Applied once to WTForms' choice fields, so every form of every area is covered."""
    from wtforms.fields.choices import SelectField, SelectMultipleField

    if getattr(SelectField.process_formdata, "_unpadded", False):
        return
    single, multiple = SelectField.process_formdata, SelectMultipleField.process_formdata

    def process_single(self: Any, valuelist: list[Any]) -> None:
        single(self, [v.strip() if isinstance(v, str) else v for v in valuelist])

    def process_multiple(self: Any, valuelist: list[Any]) -> None:
        cleaned = [v.strip() if isinstance(v, str) else v for v in valuelist]
        multiple(self, [v for v in cleaned if v != ""])

    process_single._unpadded = process_multiple._unpadded = True  # type: ignore[attr-defined]
    SelectField.process_formdata = process_single  # type: ignore[method-assign]
    SelectMultipleField.process_formdata = process_multiple  # type: ignore[method-assign]
