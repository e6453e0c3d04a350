"""The base of every form that is not a FlaskForm: sub-forms (rows of a FieldList / FormField) and
the GET filter forms, which carry no CSRF token of their own.

WTForms' own messages ("Not a valid choice.", "This field is required.") come in the page's
language only through the form's translations, and only FlaskForm sets them; a plain
`wtforms.Form` answers in English on a Dutch page. `PlainForm` uses the same translations as
FlaskForm (WTForms' catalogue for the request's locale, see flask_wtf.i18n), so a refused row of
a profile's languages says "Ongeldige keuze." like the field above it. tests/core/test_forms.py
checks that every plain form of the portal derives from it.
"""
from __future__ import annotations

from typing import Any

from flask import current_app
from flask_wtf.i18n import translations
from wtforms import Form


class PlainForm(Form):
    class Meta:
        def get_translations(self, form: Any) -> Any:
            # as FlaskForm.Meta does (its CSRF settings must not come along: these forms have none)
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return translations
