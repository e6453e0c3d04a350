"""Shared plumbing for the reference data: reading the shipped JSON and choosing a locale.

The JSON files live inside the package (``portal/reference/data``) and are read
through :mod:`importlib.resources`, so they work from a source checkout, an
installed wheel or a zip alike. Each file is parsed once per process; the
public modules build their frozen dataclasses from the parsed value and cache
those too, so callers may ask for reference data on every request without cost.
"""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from importlib import resources
from typing import Any, Literal

Locale = Literal["nl", "en"]
LOCALES: tuple[Locale, ...] = ("nl", "en")
DEFAULT_LOCALE: Locale = "nl"


@cache
def load_json(name: str) -> Any:
    """Parse ``data/<name>`` once; later calls return the same object (treat it as read-only)."""
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(text)


def normalise_locale(locale: str | None) -> Locale:
    """Map ``None``, ``"nl"``, ``"en"``, ``"en_GB"``, ``"nl-BE"`` … to ``"nl"`` or ``"en"``.

    Babel hands out locales such as ``en_GB``; only the language part matters
    here. Anything else is a programming error, so it raises rather than
    silently showing Dutch to someone who asked for another language.
    """
    if locale is None:
        return DEFAULT_LOCALE
    language = str(locale).replace("-", "_").split("_", 1)[0].lower()
    if language not in LOCALES:
        raise ValueError(f"unsupported locale {locale!r}; expected one of {LOCALES}")
    return language  # type: ignore[return-value]


def fold_text(text: str) -> str:
    """Lower-case and strip accents so that "Hygiëne", "hygiene" and "HYGIENE" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()
