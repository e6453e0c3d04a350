"""Form widgets shared by every form.

The CSRF token is a hidden input that no label points at: it is rendered without an `id`, so a page
with several forms (the language switch, log-out, the page's own forms) has no duplicate ids.

Selects render their options through a shorter path than WTForms' own (same HTML, byte for byte):
WTForms builds every `<option>` with `html_params` (a sorted dict, key cleaning, escaping) and looks
up the signature of `render_option` with `inspect` on every select; a search form with a few hundred
skills and languages spent a fifth of its time there.
"""
from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from wtforms.csrf.core import CSRFTokenField
from wtforms.fields import SelectField, SelectMultipleField
from wtforms.widgets import HiddenInput, Select


class HiddenInputWithoutId(HiddenInput):
    def __call__(self, field: Any, **kwargs: Any) -> Any:
        kwargs["id"] = False  # html_params leaves attributes whose value is False out
        return super().__call__(field, **kwargs)


class FastSelect(Select):
    """WTForms' Select with the common option (no per-option attributes) rendered directly."""

    @classmethod
    def render_option(cls, choice: Any, **kwargs: Any) -> Markup:
        if kwargs or choice.render_kw:
            return super().render_option(choice, **kwargs)
        value = choice.value
        if isinstance(value, bool):
            value = str(value)
        label = escape(choice.label or choice.value)
        selected = "selected " if choice.selected else ""
        return Markup(f'<option {selected}value="{escape(value)}">{label}</option>')  # nosec B704: value and label are escaped; the rest is fixed markup

    @classmethod
    def _dispatch_render_option(cls) -> Any:
        return cls.render_option


def install() -> None:
    CSRFTokenField.widget = HiddenInputWithoutId()
    SelectField.widget = FastSelect()
    SelectMultipleField.widget = FastSelect(multiple=True)
