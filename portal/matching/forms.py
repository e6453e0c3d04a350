"""Forms: the candidate search (GET, from the query string) and saving a search.

The search form never passes raw input to a backend: codes must be known (skills, sectors,
languages, days, statuses), levels must be A1–C2 (or 1–6), the free text at most 200
characters, the page size one of the offered sizes. Problems become field-level messages.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, HiddenField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.core.i18n import ui_locale
from portal import reference
from portal.core import availability
from portal.core.forms import PlainForm
from portal.core.validators import NoControlCharacters, strip_filter
from portal.matching.models import NAME_MAX, QUERY_MAX
from search import geo
from search.query import MAX_TEXT

MAX_LANGUAGE_ROWS = 6
PER_PAGE_CHOICES = (10, 20, 50, 100)
DEFAULT_PER_PAGE = 20
STATUS_CHOICES = [("intake", _l("Intake")), ("ready", _l("Klaar voor publicatie")), ("published", _l("Gepubliceerd")),
                  ("placed", _l("Geplaatst")), ("paused", _l("Gepauzeerd"))]
SORT_CHOICES = [("relevance", _l("Relevantie")), ("recent", _l("Laatst bijgewerkt")), ("distance", _l("Afstand"))]
LEVEL_MESSAGE = _l("Kies een niveau A1, A2, B1, B2, C1 of C2.")


# Choice lists per page language, built once per process (the reference data and the catalogues
# do not change while it runs): the search form has a few hundred skills and languages.
@lru_cache(maxsize=8)
def _level_choices_for(_locale: str) -> tuple[tuple[str, str], ...]:
    return (("", str(_l("geen eis"))),) + tuple((reference.level_code(level), reference.level_code(level)) for level in range(1, 7))


def _level_choices() -> list[tuple[str, str]]:
    return list(_level_choices_for(ui_locale()))


@lru_cache(maxsize=8)
def _language_choices(_locale: str) -> tuple[tuple[str, str], ...]:
    return (("", str(_l("— kies een taal —"))),) + tuple((l.code, l.label(_locale)) for l in reference.languages())


@lru_cache(maxsize=8)
def _skill_choices(locale: str) -> tuple[tuple[str, str], ...]:
    return tuple((s.code, s.label(locale)) for s in reference.skills() if not s.deprecated)


@lru_cache(maxsize=8)
def _sector_choices(locale: str) -> tuple[tuple[str, str], ...]:
    return tuple((s.code, s.label(locale)) for s in reference.sectors())


@lru_cache(maxsize=8)
def _day_choices(_locale: str) -> tuple[tuple[str, str], ...]:
    return tuple((d, str(availability.DAY_LABELS[d])) for d in availability.DAYS)


@lru_cache(maxsize=8)
def _status_choices(_locale: str) -> tuple[tuple[str, str], ...]:
    return tuple((value, str(label)) for value, label in STATUS_CHOICES)


@lru_cache(maxsize=8)
def skill_options_html(locale: str) -> Markup:
    """The "add a skill" select's options, by label (case-insensitive, as Jinja's `sort` did)."""
    ordered = sorted(_skill_choices(locale), key=lambda c: c[1].lower())
    return Markup("".join(f'<option value="{escape(value)}">{escape(label)}</option>' for value, label in ordered))  # nosec B704: values and labels are escaped; the rest is fixed markup


class LevelField(SelectField):
    """A CEFR level A1–C2 (or 1–6 in a hand-made URL); empty means no requirement."""

    def process_formdata(self, valuelist: list[str]) -> None:
        raw = (valuelist[0] if valuelist else "").strip()
        self.raw = raw
        if not raw:
            self.data = ""
            return
        try:
            level = reference.parse_level(raw)
        except ValueError:
            self.data = None
            return
        self.data = reference.level_code(level) if level else ""

    def pre_validate(self, form: Any) -> None:
        if self.data is None:
            raise ValidationError(str(LEVEL_MESSAGE))

    @property
    def level(self) -> int:
        return reference.parse_level(self.data) if self.data else 0


class LanguageRow(PlainForm):
    code = SelectField(_l("Taal"), validate_choice=False)
    listening = LevelField(_l("Luisteren"), validate_choice=False)
    reading = LevelField(_l("Lezen"), validate_choice=False)
    spoken_interaction = LevelField(_l("Gesprekken voeren"), validate_choice=False)
    spoken_production = LevelField(_l("Spreken"), validate_choice=False)
    writing = LevelField(_l("Schrijven"), validate_choice=False)

    def validate_code(self, field: Any) -> None:
        if field.data and not reference.is_language(field.data):
            raise ValidationError(str(_l("Onbekende taal.")))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        locale = ui_locale()
        self.code.choices = list(_language_choices(locale))
        levels = _level_choices_for(locale)
        for name in reference.LANGUAGE_SKILLS:
            getattr(self, name).choices = list(levels)

    @property
    def levels(self) -> dict[str, int]:
        return {name: getattr(self, name).level for name in reference.LANGUAGE_SKILLS}


class CodesField(SelectMultipleField):
    """Several codes from a fixed list; an unknown code is reported, not silently dropped."""

    unknown_message = _l("Onbekende waarde: %(values)s.")

    def pre_validate(self, form: Any) -> None:
        known = {value for value, _label in self.choices}
        unknown = [v for v in (self.data or []) if v not in known]
        if unknown:
            raise ValidationError(str(self.unknown_message) % {"values": ", ".join(unknown[:5])[:100]})


class ChoiceField(SelectField):
    """A select whose invalid value gets a Dutch message."""

    def pre_validate(self, form: Any) -> None:
        if self.data not in {value for value, _label in self.choices}:
            raise ValidationError(str(_l("Kies een van de aangeboden mogelijkheden.")))


class CandidateSearchForm(PlainForm):
    """The account manager's search; read from request.args (GET, no CSRF: it changes nothing)."""

    q = StringField(_l("Zoeken in ambities, ervaring en vaardigheden"), filters=[strip_filter],
                    validators=[Optional(), Length(max=MAX_TEXT, message=_l("Gebruik hoogstens %(max)d tekens.")),
                                NoControlCharacters()])
    skill = CodesField(_l("Vaardigheden en beroepen"))
    sector = CodesField(_l("Interesse voor sector"))
    day = CodesField(_l("Beschikbaar op"))
    municipality = SelectMultipleField(_l("Gemeente"), validate_choice=False)
    status = CodesField(_l("Status"))
    consent = ChoiceField(_l("Toestemming"), default="", choices=[("", _l("maakt niet uit")), ("yes", _l("geldig")),
                                                                  ("no", _l("geen geldige toestemming"))])
    postcode = StringField(_l("Vanaf postcode"), filters=[strip_filter], validators=[Optional(), Length(max=7)],
                           description=_l("Vier cijfers volstaan, bijvoorbeeld 1506."))
    km = ChoiceField(_l("Maximale afstand"), default="", choices=[("", _l("geen maximum")), ("5", "5 km"), ("10", "10 km"),
                                                      ("20", "20 km"), ("40", "40 km")])
    sort = ChoiceField(_l("Sorteren op"), choices=SORT_CHOICES, default="relevance")
    per_page = SelectField(_l("Resultaten per pagina"), choices=[(str(n), str(n)) for n in PER_PAGE_CHOICES],
                           default=str(DEFAULT_PER_PAGE), validate_choice=False)

    def __init__(self, formdata: MultiDict | None = None, **kwargs: Any) -> None:
        super().__init__(formdata, **kwargs)
        locale = ui_locale()
        self.skill.choices = list(_skill_choices(locale))
        self.sector.choices = list(_sector_choices(locale))
        self.day.choices = list(_day_choices(locale))
        self.status.choices = list(_status_choices(locale))
        self.skill_options_html = skill_options_html(locale)
        self.municipality.choices = [(m, m) for m in (self.municipality.data or [])]
        self.language_rows = self._language_rows(formdata or MultiDict())
        self.page_notice: str | None = None

    @staticmethod
    def _language_rows(formdata: MultiDict) -> list[LanguageRow]:
        rows = []
        for index in range(MAX_LANGUAGE_ROWS):
            prefix = f"lang{index}-"
            if not any(key.startswith(prefix) for key in formdata.keys()):
                continue
            rows.append(LanguageRow(formdata, prefix=prefix))
        return rows

    def blank_language_row(self) -> LanguageRow:
        return LanguageRow(MultiDict(), prefix=f"lang{len(self.language_rows)}-")

    def validate_postcode(self, field: Any) -> None:
        if field.data and geo.centroid(field.data) is None:
            raise ValidationError(str(_l("Vul een Nederlandse postcode in (bijvoorbeeld 1506 of 1506 EC).")))

    def validate_km(self, field: Any) -> None:
        if field.data and not self.postcode.data:
            raise ValidationError(str(_l("Vul ook een postcode in om op afstand te zoeken.")))

    def validate_sort(self, field: Any) -> None:
        if field.data == "distance" and not self.postcode.data:
            raise ValidationError(str(_l("Vul een postcode in om op afstand te sorteren.")))

    def validate_per_page(self, field: Any) -> None:
        if field.data not in {str(n) for n in PER_PAGE_CHOICES}:
            raise ValidationError(str(_l("Kies 10, 20, 50 of 100 resultaten per pagina.")))

    def validate_municipality(self, field: Any) -> None:
        if len(field.data or []) > 20 or any(len(m) > 100 for m in field.data or []):
            raise ValidationError(str(_l("Kies hoogstens 20 gemeenten.")))

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        for row in self.language_rows:
            row_ok = row.validate()
            if row_ok and not row.code.data and any(row.levels.values()):
                row.code.errors = [*row.code.errors, str(_l("Kies bij een niveau ook de taal."))]
                row_ok = False
            ok = row_ok and ok
        return ok

    @property
    def has_errors(self) -> bool:
        return bool(self.all_errors())

    def all_errors(self) -> list[tuple[str, str, str]]:
        """(field id, label, message) for the error summary."""
        out = []
        for field in self:
            for message in field.errors:
                out.append((field.id, str(field.label.text), str(message)))
        for row in self.language_rows:
            for field in row:
                for message in field.errors:
                    out.append((field.id, f"{_l('Taal')}: {field.label.text}", str(message)))
        return out


class SaveSearchForm(FlaskForm):
    name = StringField(_l("Naam van de zoekopdracht"), filters=[strip_filter],
                       validators=[DataRequired(message=_l("Geef de zoekopdracht een naam.")),
                                   Length(max=NAME_MAX, message=_l("Gebruik hoogstens %(max)d tekens.")),
                                   NoControlCharacters()])
    shared = BooleanField(_l("Delen met collega's"))
    # The label WTForms would derive from the name (its catalogues have no translation of it; an error
    # summary shows it). Given here, so building the form, on every search page, does not load them.
    query_string = HiddenField("Query String",
                               validators=[Length(max=QUERY_MAX, message=_l("Deze zoekopdracht is te lang om op te slaan."))])


class DeleteForm(FlaskForm):
    pass
