"""Dutch first, English per user. Message ids are the Dutch texts; `translations/en` has English.

Catalogues are compiled from the .po files at start-up when the .mo is missing or older, so a
fresh checkout needs no separate build step.
"""
from __future__ import annotations

from functools import cache, cached_property
from pathlib import Path

from typing import Any

from babel import support
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Request, current_app, has_request_context, request, session
from flask.globals import _cv_app
from flask_babel import Domain
from flask_babel import _get_current_context as _babel_context
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


class RequestTranslations(Domain):
    """flask_babel's message domain, with the request's translations looked up once per request.

    flask_babel finds the catalogue again for every string (request context, locale, its
    identifier, the cache); a page with a gallery of cards translates a few hundred strings. The
    catalogue is kept on the request's babel context together with the Locale object it belongs
    to, so `force_locale` (a new Locale) and `refresh` (no Locale) still switch language at once."""

    def get_translations(self):  # type: ignore[no-untyped-def]
        cached = _cached_translations()
        if cached is not None:
            return cached
        ctx = _babel_context()
        if ctx is None:
            return support.NullTranslations()
        cached = getattr(ctx, "portal_translations", None)
        if cached is not None and cached[0] is getattr(ctx, "babel_locale", None):
            return cached[1]
        translations = super().get_translations()
        ctx.portal_translations = (getattr(ctx, "babel_locale", None), translations)
        return translations


def _cached_translations() -> Any:
    """The catalogue `RequestTranslations` keeps for this request, read straight from the app
    context's `g` (no LocalProxy hops); None when there is none yet or the locale was switched."""
    app_ctx = _cv_app.get(None)
    if app_ctx is None:
        return None
    ctx = app_ctx.g.__dict__.get("_flask_babel")
    if ctx is None:
        return None
    attributes = ctx.__dict__
    cached = attributes.get("portal_translations")
    if cached is not None and cached[0] is attributes.get("babel_locale"):
        return cached[1]
    return None


def current_translations() -> Any:
    """This request's catalogue: the cached one when it is still the current locale's, else
    flask_babel's lookup (which caches it again)."""
    cached = _cached_translations()
    if cached is not None:
        return cached
    from flask_babel import get_translations

    return get_translations()


def install_request_translations(babel: Any, app: Any) -> None:
    """Make `RequestTranslations` the domain of `babel` (after `babel.init_app(app)`), and let the
    templates' `_`/`ngettext` reach the request's catalogue directly (`current_translations`)."""
    if not isinstance(babel.__dict__.get("domain_instance"), RequestTranslations):
        babel.domain_instance = RequestTranslations(domain=app.extensions["babel"].default_domain)
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: current_translations().ugettext(s),
        ngettext=lambda s, p, n: current_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: current_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: current_translations().unpgettext(c, s, p, n),
    )


@cache
def wtforms_catalogue(locale: str) -> support.Translations:
    """WTForms' own messages ("Dit veld is verplicht.") in `locale`, read from its catalogue once
    per process. flask_wtf reads the .mo file again for every request that builds a form (about
    0.9 ms); the catalogue never changes while the process runs."""
    from wtforms.i18n import messages_path

    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class PortalRequest(Request):
    """The portal's request: WTForms' catalogue comes from `wtforms_catalogue`.

    flask_wtf looks for `request.wtforms_translations` before it loads the catalogue itself, and
    keeps what it finds for the rest of the request; this property answers that lookup with the
    process's copy for the request's locale, worked out on first use (as flask_wtf does)."""

    @cached_property
    def wtforms_translations(self) -> support.Translations:
        from flask_babel import get_locale

        return wtforms_catalogue(str(get_locale()))


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


# --------------------------------------------------------------------------- one date and time format
#: The one way the portal shows a moment: "di 15 dec 2026, 10:00" / "Tue 15 Dec 2026, 10:00".
DATETIME_PATTERN = "EEE d MMM y, HH:mm"
DATE_PATTERN = "EEE d MMM y"
TIME_PATTERN = "HH:mm"


def _kind_of_pattern(fmt: str | None) -> str:
    """Old call sites pass their own pattern ('short', 'EEEE d MMMM y', 'HH:mm'): keep only its kind."""
    if not fmt or fmt in ("short", "medium", "long", "full"):
        return "datetime"
    has_date = any(ch in fmt for ch in "dMyE")
    has_time = "H" in fmt or "h" in fmt
    if has_date and not has_time:
        return "date"
    if has_time and not has_date:
        return "time"
    return "datetime"


def format_when(value, fmt: str | None = None) -> str:
    """A datetime in the one format (in the portal's time zone and the page's language); '' for None."""
    from datetime import date, datetime

    from flask_babel import format_date, format_datetime

    if value is None or value == "":
        return ""
    if isinstance(value, date) and not isinstance(value, datetime):
        return format_date(value, DATE_PATTERN)
    kind = _kind_of_pattern(fmt)
    pattern = {"date": DATE_PATTERN, "time": TIME_PATTERN}.get(kind, DATETIME_PATTERN)
    return format_datetime(value, pattern)


def format_day(value, fmt: str | None = None) -> str:
    """A date (or the date of a datetime) in the one format: "di 15 dec 2026"."""
    from datetime import date, datetime

    from flask_babel import format_date, format_datetime

    if value is None or value == "":
        return ""
    if isinstance(value, str):  # an ISO date from a JSON document (e.g. the candidate profile)
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        return format_datetime(value, DATE_PATTERN)
    if isinstance(value, date):
        return format_date(value, DATE_PATTERN)
    return str(value)


def format_time(value) -> str:
    """The time of a datetime: "10:00"."""
    from flask_babel import format_datetime

    return format_datetime(value, TIME_PATTERN) if value else ""


def format_span(start, end) -> str:
    """"di 15 dec 2026, 10:00–11:00" (same day) or two full moments joined by an en dash."""
    if start is None:
        return ""
    if end is None:
        return format_when(start)
    if format_day(start) == format_day(end):
        return f"{format_when(start)}–{format_time(end)}"
    return f"{format_when(start)} – {format_when(end)}"


def register_filters(app) -> None:
    """Jinja filters `datetime`, `date`, `time`, `when`, `span`: all the one format."""
    app.jinja_env.filters["datetime"] = format_when
    app.jinja_env.filters["when"] = format_when
    app.jinja_env.filters["date"] = format_day
    app.jinja_env.filters["time"] = format_time
    app.jinja_env.filters["span"] = format_span
