"""Every form answers in the page's language, also the sub-forms and filter forms that are not
FlaskForms: WTForms' own messages ("Not a valid choice.") come from the request's translations."""
from __future__ import annotations

import importlib
import pkgutil

import wtforms
from flask_wtf import FlaskForm

import portal
from portal.core.forms import PlainForm


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_portal_form_is_a_flask_form_or_a_plain_form():
    for module in pkgutil.walk_packages(portal.__path__, "portal."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)
    forms = [cls for cls in _subclasses(wtforms.Form) if cls.__module__.startswith("portal.")]
    assert len(forms) > 20  # the walk found the portal's forms
    strays = [f"{cls.__module__}.{cls.__qualname__}" for cls in forms
              if not issubclass(cls, (FlaskForm, PlainForm))]
    assert strays == []


def _refused_row(client, form):
    response = client.post_form("/kandidaten/beheer/nieuw", form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    return page.split('id="languages-0-writing-error"')[1].split("</p>")[0]


def test_a_refused_language_row_says_why_in_the_page_language(app, login_as):
    from sqlalchemy import update

    from portal.accounts.models import User
    from portal.core import db
    from tests.candidates.test_candidates import candidate_form

    manager = login_as("account_manager")
    form = candidate_form(owner_id=str(manager.user.id), **{"languages-0-writing": "9"})
    dutch = _refused_row(manager, form)
    assert "Ongeldige keuze" in dutch and "Not a valid choice" not in dutch
    with app.app_context():
        db.session.execute(update(User).where(User.id == manager.user.id).values(locale="en"))
        db.commit()
    assert "Not a valid choice" in _refused_row(manager, form)
