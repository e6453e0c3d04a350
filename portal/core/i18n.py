"""Dutch first, English per user. Message ids are the Dutch texts; `translations/en` has English.

Catalogues are compiled from the .po files at start-up when the .mo is missing or older, so a
fresh checkout needs no separate build step.
"""
from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, has_request_context, request, session
from flask_login import current_user

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def compile_catalogues(root: Path = TRANSLATIONS) -> None:
    for po_path in root.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        tmp = mo_path.with_suffix(".mo.tmp")
        with tmp.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        tmp.replace(mo_path)


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if request.path.startswith("/api/"):  # API clients say it with Accept-Language; no session there
        return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    if request.args.get("lang") in languages:
        return request.args["lang"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def ui_locale() -> str:
    """The language of the current page ("nl" or "en"), for labels from reference data."""
    from flask_babel import get_locale

    locale = get_locale()
    return locale.language if locale is not None else "nl"
