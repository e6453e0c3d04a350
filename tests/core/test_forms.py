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


def test_wtforms_messages_are_read_once_per_language_and_still_follow_the_user(app, login_as, monkeypatch):
    """The catalogue is kept per process (flask_wtf would read the .mo file on every request with a
    form); a user who switches language still gets the new language on the next request."""
    from babel import support
    from sqlalchemy import update

    from portal.accounts.models import User
    from portal.core import db, i18n
    from tests.candidates.test_candidates import candidate_form

    loads = []
    real_load = support.Translations.load
    monkeypatch.setattr(support.Translations, "load",
                        classmethod(lambda cls, *a, **k: loads.append(k.get("domain")) or real_load(*a, **k)))
    i18n.wtforms_catalogue.cache_clear()
    manager = login_as("account_manager")
    form = candidate_form(owner_id=str(manager.user.id), **{"languages-0-writing": "9"})

    def as_user_in(locale):
        with app.app_context():
            db.session.execute(update(User).where(User.id == manager.user.id).values(locale=locale))
            db.commit()
        return _refused_row(manager, form)

    pages = [as_user_in(locale) for locale in ("nl", "nl", "en", "en", "nl")]
    assert ["Ongeldige keuze" in page for page in pages] == [True, True, False, False, True]
    assert ["Not a valid choice" in page for page in pages] == [False, False, True, True, False]
    assert loads.count("wtforms") == 2  # Dutch once, English once
