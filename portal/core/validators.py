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
