"""Form widgets shared by every form.

The CSRF token is a hidden input that no label points at: it is rendered without an `id`, so a page
with several forms (the language switch, log-out, the page's own forms) has no duplicate ids.
"""
from __future__ import annotations

from typing import Any

from wtforms.csrf.core import CSRFTokenField
from wtforms.widgets import HiddenInput


class HiddenInputWithoutId(HiddenInput):
    def __call__(self, field: Any, **kwargs: Any) -> Any:
        kwargs["id"] = False  # html_params leaves attributes whose value is False out
        return super().__call__(field, **kwargs)


def install() -> None:
    CSRFTokenField.widget = HiddenInputWithoutId()
