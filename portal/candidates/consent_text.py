"""The consent text shown to (and explained to) the candidate: versioned, in the candidate's language.

Files (UTF-8 JSON) under ``portal/candidates/consent_texts/``:

- ``<version>/<language>.json``: the consent wording of one version in one language:
  ``sections`` (the keys of `SECTIONS`), plus ``checked_by`` / ``checked_on``: who checked the
  translation and when (both null until someone has; the page then says "nog niet gecontroleerd").
- ``sheet/<language>.json``: the labels of the printable sheet and of the withdrawal page in that
  language (``labels``, the keys of `SHEET_LABELS`), its ``name`` in its own script, ``dir``
  (``rtl`` for Arabic, Farsi and Dari) and the same ``checked_by`` / ``checked_on``.

A `Consent` stores the version key and the language it was recorded under. Never change a
published version's text: add a new version folder and make it `CURRENT_VERSION`; old consents
keep pointing at (and showing) the version they were given.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TEXTS_DIR = Path(__file__).with_name("consent_texts")

#: Languages in the order they are offered (Dutch first). Codes are BCP 47 (Dari: "prs").
LANGUAGES = ("nl", "en", "ar", "ti", "fa", "prs", "so", "uk", "tr")
RTL_LANGUAGES = frozenset({"ar", "fa", "prs"})

#: The parts of a consent text, in reading order.
SECTIONS = ("consent", "employer_sees", "employer_never_sees", "voluntary", "withdrawal")
SHEET_LABELS = (
    "title", "first_name", "scope", "scope_all", "scope_selected", "video", "video_yes", "video_no", "expires",
    "withdraw_title", "withdraw_how", "code", "link", "keep_sheet", "page_title", "page_intro", "page_code_label",
    "page_next", "page_confirm", "page_withdraw_button", "page_done", "page_not_found", "page_rate_limited",
    "choose_language",
)

CURRENT_VERSION = "2026-2"

#: The longest a consent may run (DESIGN.md §5).
MAX_CONSENT_MONTHS = 12


@dataclass(frozen=True)
class Checked:
    checked_by: str | None
    checked_on: dt.date | None

    @property
    def is_checked(self) -> bool:
        return bool(self.checked_by) and self.checked_on is not None


@dataclass(frozen=True)
class ConsentDocument:
    version: str
    language: str
    sections: dict[str, str]
    check: Checked

    @property
    def dir(self) -> str:
        return "rtl" if self.language in RTL_LANGUAGES else "ltr"

    @property
    def paragraphs(self) -> list[str]:
        return [self.sections[key] for key in SECTIONS]

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass(frozen=True)
class SheetLabels:
    language: str
    name: str
    dir: str
    labels: dict[str, str]
    check: Checked

    def __getitem__(self, key: str) -> str:
        return self.labels[key]

    def confirm(self, first_name: str) -> str:
        return self.labels["page_confirm"].replace("{name}", first_name)


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _checked(data: dict) -> Checked:
    on = data.get("checked_on")
    return Checked(data.get("checked_by") or None, dt.date.fromisoformat(on) if on else None)


@cache
def _documents() -> dict[str, dict[str, ConsentDocument]]:
    versions: dict[str, dict[str, ConsentDocument]] = {}
    for folder in sorted(p for p in TEXTS_DIR.iterdir() if p.is_dir() and p.name != "sheet"):
        docs = {}
        for path in sorted(folder.glob("*.json")):
            data = _read(path)
            docs[path.stem] = ConsentDocument(folder.name, path.stem, dict(data["sections"]), _checked(data))
        versions[folder.name] = docs
    return versions


@cache
def _sheets() -> dict[str, SheetLabels]:
    sheets = {}
    for path in sorted((TEXTS_DIR / "sheet").glob("*.json")):
        data = _read(path)
        sheets[path.stem] = SheetLabels(path.stem, data["name"], data["dir"], dict(data["labels"]), _checked(data))
    return sheets


def versions() -> list[str]:
    return list(_documents())


def languages(version: str = CURRENT_VERSION) -> list[str]:
    """The languages a version exists in, in `LANGUAGES` order."""
    docs = _documents().get(version, {})
    return [code for code in LANGUAGES if code in docs] + sorted(set(docs) - set(LANGUAGES))


def document(version: str = CURRENT_VERSION, language: str = "nl") -> ConsentDocument:
    """The text of `version` in `language`, or in Dutch when that version has no such translation."""
    docs = _documents()[version]
    return docs.get(language) or docs["nl"]


def sheet_labels(language: str) -> SheetLabels:
    sheets = _sheets()
    return sheets.get(language) or sheets["nl"]


def language_name(language: str) -> str:
    """The language's name in its own script ("العربية"), for language choosers."""
    return sheet_labels(language).name if language in _sheets() else language


def is_known_language(language: str | None) -> bool:
    return language in _sheets()


def consent_language_choices(version: str = CURRENT_VERSION) -> list[tuple[str, str]]:
    """(code, "Arabisch – العربية") for a select, in the page's language plus the language's own name."""
    from portal import reference
    from portal.core.i18n import ui_locale

    locale = ui_locale()
    choices = []
    for code in languages(version):
        label = reference.language(code).label(locale) if reference.is_language(code) else code
        own = language_name(code)
        choices.append((code, label if own == label else f"{label} – {own}"))
    return choices


def consent_text(version: str = CURRENT_VERSION, locale: str = "nl") -> str:
    return document(version, (locale or "nl")).text


def _consent_texts() -> dict[str, dict[str, str]]:
    return {version: {lang: doc.text for lang, doc in docs.items()} for version, docs in _documents().items()}


CONSENT_TEXTS: dict[str, dict[str, str]] = _consent_texts()
