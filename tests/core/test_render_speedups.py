"""The shortcuts that make pages cheaper to render change nothing a user sees.

- selects render their options through a short path: the HTML must be WTForms' own, byte for byte;
- translations are looked up once per request: switching language inside a request (a mail in the
  recipient's language, `force_locale`) must still switch at once.
"""
from __future__ import annotations

from flask_babel import force_locale, gettext
from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectField, SelectMultipleField
from wtforms.widgets import Select

from portal.core.widgets import FastSelect


class _Form(Form):
    single = SelectField(choices=[("", "Alle"), ('x"<&', "A & <B>"), (0, "nul"), (True, "ja")])
    several = SelectMultipleField(choices=[("1", "één"), ("2", "twee"), ("3", "drie")])
    with_attributes = SelectField(choices=[("p", "P", {"data-x": "1", "disabled": True}), ("q", "Q")])


def test_fast_select_renders_exactly_what_wtforms_renders():
    form = _Form(MultiDict([("single", 'x"<&'), ("several", "1"), ("several", "3"), ("with_attributes", "q")]))
    for field, multiple in ((form.single, False), (form.several, True), (form.with_attributes, False)):
        for kwargs in ({}, {"class_": "form-input", "aria_describedby": "hint"}):
            assert str(FastSelect(multiple=multiple)(field, **kwargs)) == str(Select(multiple=multiple)(field, **kwargs))
    assert 'selected value="x&#34;&lt;&amp;"' in str(FastSelect()(form.single))


def test_selects_of_the_portal_use_the_fast_path(app):
    assert isinstance(SelectField.widget, FastSelect)
    assert isinstance(SelectMultipleField.widget, FastSelect) and SelectMultipleField.widget.multiple


def test_language_switches_inside_one_request(app):
    with app.test_request_context("/"):
        assert gettext("Kandidaten") == "Kandidaten"
        with force_locale("en"):
            assert gettext("Kandidaten") == "Candidates"
        assert gettext("Kandidaten") == "Kandidaten"
        with force_locale("en"):
            assert gettext("Kandidaten") == "Candidates"


def test_each_request_gets_its_own_language(client):
    """One process, requests in turns of Dutch and English: no request keeps another's catalogue."""
    for _ in range(2):
        assert "Wachtwoord" in client.get("/login").get_data(as_text=True)
        assert "Password" in client.get("/login?lang=en").get_data(as_text=True)
