"""WTForms validators for Dutch data (KvK number, postcode) and safe text."""
from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, Form
from wtforms.validators import ValidationError

POSTCODE_RE = re.compile(r"^\s*([1-9][0-9]{3})\s?([A-Za-z]{2})\s*$")
KVK_RE = re.compile(r"^[0-9]{8}$")


def normalise_postcode(value: str | None) -> str:
    """'1234ab' -> '1234 AB'; leaves invalid input unchanged for the validator to report."""
    match = POSTCODE_RE.match(value or "")
    if not match:
        return (value or "").strip()
    letters = match.group(2).upper()
    return f"{match.group(1)} {letters}"


def is_postcode(value: str) -> bool:
    match = POSTCODE_RE.match(value or "")
    return bool(match) and match.group(2).upper() not in {"SA", "SD", "SS"}


class Postcode:
    message = _l("Vul een geldige Nederlandse postcode in, bijvoorbeeld 1234 AB.")

    def __call__(self, form: Form, field: Field) -> None:
        if field.data and not is_postcode(field.data):
            raise ValidationError(str(self.message))


class KvkNumber:
    message = _l("Een KvK-nummer bestaat uit precies 8 cijfers.")

    def __call__(self, form: Form, field: Field) -> None:
        if field.data and not KVK_RE.match(field.data):
            raise ValidationError(str(self.message))


def strip_filter(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class NoControlCharacters:
    """Refuse control characters (other than newlines and tabs) that have no place in text fields."""

    message = _l("Deze tekst bevat ongeldige tekens.")

    def __call__(self, form: Form, field: Field) -> None:
        if isinstance(field.data, str) and re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", field.data):
            raise ValidationError(str(self.message))


# -- ids and numbers: one bound for every id the portal reads from a form or a URL ---------------

def parse_id(value: Any) -> int | None:
    """An id from a form or query value: a positive integer up to MAX_ID (2^31-1), else None.

    Blank or whitespace-only values, signs, decimals, words and ids beyond the database's range
    all give None, so a view or a coerce never hands the database a value it cannot bind.
    """
    from portal.core.hardening import MAX_ID

    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= MAX_ID else None
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def coerce_id(value: Any) -> int:
    """`coerce=` for choice fields of ids: refuses (ValueError, a field error) what parse_id refuses."""
    number = parse_id(value)
    if number is None:
        raise ValueError("not an id")
    return number


def coerce_optional_id(value: Any) -> int | None:
    """`coerce=` for optional choice fields of ids: blank is None; anything else must be an id."""
    if value is None or (isinstance(value, str) and not value.strip()) or value == "None":
        return None
    return coerce_id(value)


# -- names: one validator for every field that holds a person's or an organisation's name ---------

#: Bidirectional overrides and isolates (they can make "Ali" display as something else in a list),
#: zero-width characters and other invisible format characters (Unicode category Cf), and controls.
_INVISIBLE_OR_BIDI = re.compile(
    "[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)


class SafeName:
    """Names may use any script, but no control, zero-width or bidirectional-override characters."""

    message = _l("Een naam mag geen onzichtbare tekens of tekens die de leesrichting omdraaien bevatten.")

    def __call__(self, form: Form, field: Field) -> None:
        if isinstance(field.data, str) and _INVISIBLE_OR_BIDI.search(field.data):
            raise ValidationError(str(self.message))


def has_unsafe_name_characters(value: str) -> bool:
    return bool(_INVISIBLE_OR_BIDI.search(value or ""))
