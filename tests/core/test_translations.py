"""The English catalogue: complete, with the same placeholders, and actually used.

The message ids are the Dutch texts. A fresh extraction (the same mapping as `make translations`,
config/babel.cfg) must find an English translation in portal/translations/en for every one of
them, so a new Dutch string without a translation fails here with the list of missing ones.
Add them with `make translations` and translate the empty entries in messages.po.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO_PATH = ROOT / "portal" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*\d*(?:\.\d+)?[sdifrxXeEgGc%]")


def _msgid(message_id: str | tuple[str, ...]) -> str:
    return message_id[0] if isinstance(message_id, tuple) else message_id


@pytest.fixture(scope="module")
def catalogue():
    with PO_PATH.open("rb") as po_file:
        return read_po(po_file, locale="en")


@pytest.fixture(scope="module")
def extracted() -> dict[str, str | tuple[str, ...]]:
    """msgid -> message id (a tuple for plurals) of a fresh extraction of the working tree."""
    with (ROOT / "config" / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, filename="config/babel.cfg")
    found: dict[str, str | tuple[str, ...]] = {}
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=DEFAULT_KEYWORDS
    ):
        if message:
            found[_msgid(message)] = message
    return found


def test_the_extraction_sees_lazy_and_plural_strings(extracted):
    # `_l(...)` (lazy_gettext) labels in Python and ngettext in templates are part of the catalogue
    assert "Beheerder" in extracted  # portal/core/roles.py: _l("Beheerder")
    assert "Uitloggen" in extracted  # templates/base.html
    assert any(isinstance(message, tuple) for message in extracted.values())


def test_every_extracted_message_has_an_english_translation(extracted, catalogue):
    missing = []
    for msgid, message in sorted(extracted.items()):
        entry = catalogue.get(msgid)
        if entry is None:
            missing.append(f"{msgid!r} (not in messages.po: run `make translations`)")
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if entry.fuzzy or not all(s and s.strip() for s in strings):
            missing.append(repr(msgid) + (" (fuzzy)" if entry.fuzzy else ""))
        elif isinstance(message, tuple) and not isinstance(entry.id, tuple):
            missing.append(f"{msgid!r} (plural in the code, singular in messages.po)")
    assert not missing, f"{len(missing)} message(s) without English translation:\n" + "\n".join(missing)


def test_translations_keep_the_placeholders_of_the_dutch_text(catalogue):
    wrong = []
    for entry in catalogue:
        if not entry.id or not entry.string:
            continue
        if isinstance(entry.id, tuple):
            allowed = set(PLACEHOLDER.findall(entry.id[0])) | set(PLACEHOLDER.findall(entry.id[1]))
            for form in entry.string:
                used = set(PLACEHOLDER.findall(form))
                # the singular may say "one" instead of %(num)d, but nothing new may appear
                if not used <= allowed or not set(PLACEHOLDER.findall(entry.id[1])) - {"%(num)d"} <= used:
                    wrong.append(f"{entry.id!r} -> {form!r}")
        elif sorted(PLACEHOLDER.findall(entry.id)) != sorted(PLACEHOLDER.findall(entry.string)):
            wrong.append(f"{entry.id!r} -> {entry.string!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_translations_keep_leading_and_trailing_spaces(catalogue):
    wrong = []
    for entry in catalogue:
        if not entry.id or not entry.string or isinstance(entry.id, tuple):
            continue
        if (entry.id[:1].isspace(), entry.id[-1:].isspace()) != (entry.string[:1].isspace(), entry.string[-1:].isspace()):
            wrong.append(f"{entry.id!r} -> {entry.string!r}")
    assert not wrong, "spacing differs:\n" + "\n".join(wrong)


def test_the_catalogue_has_english_plural_forms(catalogue):
    assert str(catalogue.locale) == "en"
    assert catalogue.num_plurals == 2


def _english(client, factory, role):
    user = factory.user(role)
    client.login(user)
    response = client.post_form("/taal", {"locale": "en", "next": "/"})
    assert response.status_code == 302
    return user


def test_the_login_page_is_english_when_asked_for(client):
    html = client.get("/login?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "<title>Log in · Werkportaal</title>" in html
    assert "Forgotten your password?" in html
    assert "Inloggen" not in html and "Wachtwoord vergeten?" not in html
    # form labels are lazy strings from Python
    assert "Email address" in html and "Password" in html


def test_a_failed_login_answers_in_english(client, factory):
    user = factory.user("wsp")
    response = client.post_form("/login?lang=en", {"email": user.email, "password": "wrong password!"})
    html = response.get_data(as_text=True)
    assert "Incorrect email address or password." in html
    assert "Onjuist e-mailadres" not in html


def test_an_english_user_sees_english_pages(client, factory):
    _english(client, factory, "admin")
    html = client.get("/account").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Log out" in html and "Uitloggen" not in html
    assert "Skip to content" in html and "Privacy statement" in html
    assert "Administrator" in html  # the role label, a lazy string
    html = client.get("/bestaat-niet").get_data(as_text=True)
    assert "Page not found" in html and "Pagina niet gevonden" not in html


def test_an_english_employer_sees_the_placement_form_in_english(client, factory):
    _english(client, factory, "employer")
    response = client.get("/plekken/nieuw")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "New placement" in html and "Nieuwe plek" not in html
    assert "Language internship" in html  # a placement kind: a lazy label from Python


def test_dutch_stays_the_default(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="nl">' in html
    assert "Inloggen" in html and "Log in" not in html
