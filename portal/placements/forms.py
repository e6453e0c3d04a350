"""Placement forms: server-side validation is the truth; every message is Dutch (translated later).

The placement form works without JavaScript: skills are grouped checkboxes, the Dutch level per
skill is a radio group with a one-line description per level, and the "Niveaus voorstellen" button
re-renders the form with levels suggested from the ticked work situations. placements.js only
adds search to the skill lists and updates the levels live.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal import reference
from portal.core import availability
from portal.core.forms import PlainForm
from portal.core.i18n import ui_locale
from portal.core.validators import NoControlCharacters, Postcode, normalise_postcode, strip_filter
from portal.placements.models import (
    DURATION_MAX_WEEKS,
    HOURS_MAX,
    HOURS_MIN,
    OFFER_OPTIONS,
    PAY_INDICATION_MAX,
    PLACES_MAX,
    SUPPORT_OPTIONS,
    TASKS_MAX,
    TITLE_MAX,
    TITLE_MIN,
    PlacementStatus,
    PlacementType,
)

TEXT = [strip_filter]

#: Something that looks like an HTML tag, comment or doctype: "<b>", "</p>", "<script", "<!--", "<img src=x".
#: "a < b" or "3<4" are ordinary text and pass.
_MARKUP_RE = re.compile(r"<\s*/?\s*[a-zA-Z!?][^<>]*>?|javascript\s*:", re.IGNORECASE)


class PlainText:
    """Refuse HTML or script in a text field: placements are plain language, shown as typed."""

    message = _l("Gebruik gewone tekst zonder HTML-code of scripts (zoals <b> of <script>).")

    def __call__(self, form: Form, field: Any) -> None:
        if isinstance(field.data, str) and _MARKUP_RE.search(field.data):
            raise ValidationError(str(self.message))


SAFE_TEXT = [NoControlCharacters(), PlainText()]


class MultiCheckboxField(SelectMultipleField):
    """A set of checkboxes; refuses unknown codes with a clear message instead of ignoring them."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args: Any, is_valid: Callable[[str], bool] | None = None,
                 unknown_message: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_valid = is_valid
        self.unknown_message = unknown_message or _l("Kies alleen uit de getoonde mogelijkheden.")

    def pre_validate(self, form: Form) -> None:
        allowed = {str(value) for value, *_rest in (self.choices or [])}
        for value in self.data or []:
            known = self.is_valid(value) if self.is_valid is not None else value in allowed
            if not known:
                raise ValidationError(str(self.unknown_message) + f" ({value[:40]})")


class LevelField(RadioField):
    """A CEFR level 0–6 as radio buttons; anything else gets a Dutch message, not a crash."""

    def __init__(self, label: Any = None, *, skill: str, **kwargs: Any) -> None:
        kwargs.setdefault("default", 0)
        super().__init__(label, coerce=int, **kwargs)
        self.skill = skill

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist:
            raw = valuelist[0]
            self.data = int(raw) if raw.isdigit() and len(raw) == 1 else -1

    def pre_validate(self, form: Form) -> None:
        if self.data not in reference.LEVELS:
            raise ValidationError(str(_l("Kies een van de genoemde niveaus (geen, A1 tot en met C2).")))


def level_choices(skill: str) -> list[tuple[int, str]]:
    locale = ui_locale()
    return [(level, reference.level_label(level, locale)) for level in reference.LEVELS]


def level_descriptions(skill: str) -> dict[int, str]:
    locale = ui_locale()
    return {level: reference.level_description(level, skill, locale) for level in reference.LEVELS}


class OtherLanguageForm(PlainForm):
    """One row: a language other than Dutch that is enough to work in the team, and its level."""

    language = SelectField(_l("Taal"), validate_choice=False)
    level = SelectField(_l("Niveau"), validate_choice=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        locale = ui_locale()
        languages = sorted((lang for lang in reference.languages() if lang.code != "nl"), key=lambda l: l.label(locale))
        self.language.choices = [("", str(_l("Kies een taal")))] + [(l.code, l.label(locale)) for l in languages]
        self.level.choices = [("", str(_l("Kies een niveau")))] + [
            (str(level), reference.level_label(level, locale)) for level in reference.LEVELS if level
        ]

    @property
    def is_empty(self) -> bool:
        return not self.language.data and not self.level.data

    def validate(self, extra_validators: Any = None) -> bool:
        super().validate(extra_validators)
        if self.is_empty:
            return True
        ok = True
        if not reference.is_language(self.language.data) or self.language.data == "nl":
            self.language.errors = [str(_l("Kies een taal uit de lijst."))] if self.language.data else [
                str(_l("Kies een taal bij dit niveau."))]
            ok = False
        if self.level.data not in {str(level) for level in reference.LEVELS if level}:
            self.level.errors = [str(_l("Kies een niveau van A1 tot en met C2."))] if self.level.data else [
                str(_l("Kies een niveau bij deze taal."))]
            ok = False
        return ok


def _grouped_skill_choices(extra: set[str]) -> list[tuple[str, str]]:
    locale = ui_locale()
    items = [s for s in reference.skills() if not s.deprecated or s.code in extra]
    items.sort(key=lambda s: (s.kind != "occupation", s.label(locale).casefold()))
    return [(s.code, s.label(locale)) for s in items]


class PlacementForm(FlaskForm):
    type = RadioField(_l("Soort plek"), validators=[InputRequired(message=_l("Kies de soort plek."))])
    title = StringField(
        _l("Titel"), description=_l("Kort en duidelijk, bijvoorbeeld ‘Hulp in de bakkerij’."), filters=TEXT,
        validators=[
            DataRequired(message=_l("Vul een titel in.")),
            Length(min=TITLE_MIN, max=TITLE_MAX, message=_l("De titel is %(min)d tot %(max)d tekens lang.", min=TITLE_MIN, max=TITLE_MAX)),
            *SAFE_TEXT,
        ],
    )
    tasks = TextAreaField(
        _l("Wat gaat de kandidaat doen?"),
        description=_l("Beschrijf het werk in eenvoudige woorden: wat doet iemand op een gewone dag?"),
        filters=TEXT,
        validators=[
            DataRequired(message=_l("Beschrijf de taken.")),
            Length(max=TASKS_MAX, message=_l("Gebruik hoogstens %(max)d tekens.", max=TASKS_MAX)),
            *SAFE_TEXT,
        ],
    )
    sector = SelectField(_l("Sector"), validators=[InputRequired(message=_l("Kies een sector."))], validate_choice=False)

    street_address = StringField(_l("Straat en huisnummer van de werkplek"), filters=TEXT,
                                 validators=[DataRequired(message=_l("Vul het adres van de werkplek in.")), Length(max=200), *SAFE_TEXT])
    postcode = StringField(_l("Postcode"), filters=[normalise_postcode],
                           validators=[DataRequired(message=_l("Vul de postcode in.")), Postcode()])
    city = StringField(_l("Plaats"), filters=TEXT, validators=[DataRequired(message=_l("Vul de plaats in.")), Length(max=100), *SAFE_TEXT])
    municipality = StringField(_l("Gemeente"), filters=TEXT,
                               validators=[DataRequired(message=_l("Vul de gemeente in.")), Length(max=100), *SAFE_TEXT])

    hours_per_week = IntegerField(
        _l("Uren per week"),
        validators=[InputRequired(message=_l("Vul het aantal uren per week in (een heel getal).")),
                    NumberRange(min=HOURS_MIN, max=HOURS_MAX, message=_l("Kies van %(min)d tot en met %(max)d uur per week.", min=HOURS_MIN, max=HOURS_MAX))],
    )
    dayparts = MultiCheckboxField(
        _l("Dagdelen"),
        description=_l(
            "Kies de dagdelen waarop de kandidaat er is. Dan weet de kandidaat of het werk past naast de taallessen "
            "(twee dagen per week is een gewone start). We rekenen per dagdeel minstens 1 en hoogstens %(max)d uur: "
            "één dag (ochtend en middag) past bij 2 tot %(day)d uur per week.",
            max=availability.HOURS_PER_DAYPART, day=2 * availability.HOURS_PER_DAYPART,
        ),
        is_valid=availability.is_slot,
        unknown_message=_l("Onbekend dagdeel."),
    )
    start_date = DateField(_l("Startdatum"), description=_l("Niet in het verleden."),
                           validators=[InputRequired(message=_l("Vul een startdatum in."))])
    duration_weeks = IntegerField(
        _l("Duur in weken"),
        description=_l("Laat leeg als de plek geen vaste einddatum heeft."),
        validators=[Optional(), NumberRange(min=1, max=DURATION_MAX_WEEKS, message=_l("Kies van 1 tot en met %(max)d weken, of laat leeg.", max=DURATION_MAX_WEEKS))],
    )
    places = IntegerField(
        _l("Aantal plekken"), default=1,
        validators=[InputRequired(message=_l("Vul het aantal plekken in (een heel getal).")),
                    NumberRange(min=1, max=PLACES_MAX, message=_l("Kies van 1 tot en met %(max)d plekken.", max=PLACES_MAX))],
    )
    support = MultiCheckboxField(_l("Begeleiding die u biedt"), unknown_message=_l("Onbekende vorm van begeleiding."))
    offers = MultiCheckboxField(_l("Wat krijgt de kandidaat?"), unknown_message=_l("Onbekende keuze."))
    pay_indication = StringField(
        _l("Indicatie van loon of vergoeding"), description=_l("Bijvoorbeeld ‘€ 150 per maand’ of ‘cao-loon, schaal 2’."),
        filters=TEXT, validators=[Optional(), Length(max=PAY_INDICATION_MAX), *SAFE_TEXT],
    )

    required_skills = MultiCheckboxField(_l("Vereiste vaardigheden en beroepen"), is_valid=reference.is_skill,
                                         unknown_message=_l("Onbekende vaardigheid of beroep."))
    nice_to_have_skills = MultiCheckboxField(_l("Mooi meegenomen"), is_valid=reference.is_skill,
                                             unknown_message=_l("Onbekende vaardigheid of beroep."))

    language_tasks = MultiCheckboxField(_l("Taalsituaties in het werk"), is_valid=reference.is_language_task,
                                        unknown_message=_l("Onbekende werksituatie."))
    suggest = SubmitField(_l("Niveaus voorstellen"))
    #: The levels as they were before "Niveaus voorstellen" was first pressed ("2,2,3,3,1"), so a
    #: save can tell whether the helper lowered the requirement (counted in the results area).
    levels_before_helper = HiddenField()

    dutch_listening = LevelField(_l("Luisteren"), skill="listening")
    dutch_reading = LevelField(_l("Lezen"), skill="reading")
    dutch_spoken_interaction = LevelField(_l("Gesprekken voeren"), skill="spoken_interaction")
    dutch_spoken_production = LevelField(_l("Spreken"), skill="spoken_production")
    dutch_writing = LevelField(_l("Schrijven"), skill="writing")
    allow_one_level_below_with_support = BooleanField(
        _l("Een kandidaat met één niveau lager is welkom als er begeleiding is"),
        description=_l("Bijvoorbeeld A1 in plaats van A2, met een jobcoach of een collega die helpt."),
    )

    save = SubmitField(_l("Opslaan"))

    def __init__(self, *args: Any, existing_skills: set[str] | None = None, other_language_rows: int = 3,
                 today: dt.date | None = None, original_start: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        locale = ui_locale()
        self.today = today or dt.date.today()
        self.original_start = original_start
        self.type.choices = [(t.value, t.label) for t in PlacementType]
        self.sector.choices = [("", str(_l("Kies een sector")))] + [(s.code, s.label(locale)) for s in reference.sectors()]
        self.dayparts.choices = availability.choices()
        self.support.choices = [(code, str(label)) for code, label in SUPPORT_OPTIONS.items()]
        self.offers.choices = [(code, str(label)) for code, label in OFFER_OPTIONS.items()]
        skill_choices = _grouped_skill_choices(existing_skills or set())
        self.required_skills.choices = skill_choices
        self.nice_to_have_skills.choices = skill_choices
        self.language_tasks.choices = [(t.code, t.label(locale)) for t in reference.language_tasks()]
        for name, skill in self.level_fields():
            field = getattr(self, name)
            field.choices = level_choices(skill)
        self._other_language_rows = other_language_rows

    # The other languages are a list of rows whose count depends on the request; built by the view.
    other_languages: Any = None

    @staticmethod
    def level_fields() -> list[tuple[str, str]]:
        return [(f"dutch_{skill}", skill) for skill in reference.LANGUAGE_SKILLS]

    def validate_sector(self, field: Any) -> None:
        if field.data and not reference.is_sector(field.data):
            raise ValidationError(str(_l("Kies een sector uit de lijst.")))

    def validate_type(self, field: Any) -> None:
        if field.data not in {t.value for t in PlacementType}:
            raise ValidationError(str(_l("Kies de soort plek.")))

    def validate_start_date(self, field: Any) -> None:
        if field.data and field.data < self.today and field.data != self.original_start:
            raise ValidationError(str(_l("De startdatum ligt in het verleden. Kies vandaag of een latere datum.")))

    def validate_dayparts(self, field: Any) -> None:
        if not field.data:
            raise ValidationError(str(_l("Kies minstens één dagdeel.")))

    def validate_nice_to_have_skills(self, field: Any) -> None:
        both = set(field.data or []) & set(self.required_skills.data or [])
        if both:
            locale = ui_locale()
            names = ", ".join(sorted(reference.skill(c).label(locale) for c in both if reference.is_skill(c)))
            raise ValidationError(str(_l("Staat al bij de vereiste vaardigheden: %(names)s.", names=names)))

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        # Hours and dayparts together: only when both are valid on their own.
        if not self.hours_per_week.errors and not self.dayparts.errors and self.hours_per_week.data and self.dayparts.data:
            message = hours_fit_dayparts(self.hours_per_week.data, self.dayparts.data)
            if message:
                self.dayparts.errors = [*self.dayparts.errors, message]
                ok = False
        if self.other_languages is not None:
            seen: set[str] = set()
            for entry in self.other_languages:
                code = entry.form.language.data
                if code and code in seen:
                    entry.form.language.errors = [*entry.form.language.errors, str(_l("Deze taal staat er al."))]
                    entry.form._errors = None  # the sub-form caches its errors
                    ok = False
                seen.add(code)
            if not ok:
                entries = self.other_languages.entries
                self.other_languages.errors = [entry.errors for entry in entries] if any(e.errors for e in entries) else []
        self._errors = None
        return ok

    # --- values for the domain operation --------------------------------------------------

    def placement_fields(self) -> dict[str, Any]:
        fields = {
            "type": PlacementType(self.type.data),
            "title": self.title.data,
            "tasks": self.tasks.data,
            "sector": self.sector.data,
            "street_address": self.street_address.data,
            "postcode": self.postcode.data,
            "city": self.city.data,
            "municipality": self.municipality.data,
            "hours_per_week": self.hours_per_week.data,
            "dayparts": availability.normalise(self.dayparts.data or []),
            "start_date": self.start_date.data,
            "duration_weeks": self.duration_weeks.data,
            "places": self.places.data,
            "support": [c for c in SUPPORT_OPTIONS if c in set(self.support.data or [])],
            "offers": [c for c in OFFER_OPTIONS if c in set(self.offers.data or [])],
            "pay_indication": self.pay_indication.data or "",
            "required_skills": list(dict.fromkeys(self.required_skills.data or [])),
            "nice_to_have_skills": list(dict.fromkeys(self.nice_to_have_skills.data or [])),
            "language_tasks": [t.code for t in reference.language_tasks() if t.code in set(self.language_tasks.data or [])],
            "allow_one_level_below_with_support": bool(self.allow_one_level_below_with_support.data),
            "dutch_levels": {skill: getattr(self, name).data for name, skill in self.level_fields()},
            "other_languages": self.other_language_values(),
            "levels_before_helper": self.parsed_levels_before_helper(),
        }
        return fields

    def parsed_levels_before_helper(self) -> dict[str, int] | None:
        """The hidden "before the helper" levels, or None when absent or malformed (never an error:
        it only feeds a statistic)."""
        parts = (self.levels_before_helper.data or "").split(",")
        if len(parts) != len(reference.LANGUAGE_SKILLS) or not all(p.isdigit() and int(p) in reference.LEVELS for p in parts):
            return None
        return {skill: int(p) for skill, p in zip(reference.LANGUAGE_SKILLS, parts)}

    def other_language_values(self) -> list[tuple[str, int]]:
        if self.other_languages is None:
            return []
        return [
            (entry.form.language.data, int(entry.form.level.data))
            for entry in self.other_languages if not entry.form.is_empty
        ]

    def apply_suggestion(self) -> dict[str, int]:
        """Fill the Dutch levels from the ticked work situations (unknown codes are left out)."""
        codes = [c for c in (self.language_tasks.data or []) if reference.is_language_task(c)]
        suggestion = reference.suggest_levels(codes)
        if self.parsed_levels_before_helper() is None:
            before = [getattr(self, name).data for name, _skill in self.level_fields()]
            if all(isinstance(level, int) for level in before):
                self.levels_before_helper.data = ",".join(str(level) for level in before)
        for name, skill in self.level_fields():
            getattr(self, name).data = suggestion[skill]
        return suggestion


def hours_fit_dayparts(hours: int, dayparts: list[str]) -> str | None:
    """The rule behind "more days than hours allow", in words an employer understands.

    Each chosen daypart must get at least one hour (otherwise the candidate comes in for nothing
    and cannot plan language classes around it), and the hours must fit in the chosen dayparts at
    most HOURS_PER_DAYPART hours each. One day a week (morning + afternoon) therefore fits 2 to 8
    hours; two days fit 4 to 16.
    """
    count = len(set(dayparts))
    if count > hours:
        return str(_l(
            "U kiest %(count)d dagdelen voor %(hours)d uur per week: dat zijn meer dagdelen dan de uren toelaten. "
            "Reken minstens 1 uur per dagdeel; kies minder dagdelen of meer uren.", count=count, hours=hours,
        ))
    most = count * availability.HOURS_PER_DAYPART
    if hours > most:
        return str(_l(
            "%(hours)d uur past niet in %(count)d dagdelen (hoogstens %(per)d uur per dagdeel, samen %(most)d uur). "
            "Kies meer dagdelen of minder uren.", hours=hours, count=count, per=availability.HOURS_PER_DAYPART, most=most,
        ))
    return None


def build_placement_form(formdata: Any = None, *, placement: Any = None, organisation: Any = None,
                         today: dt.date | None = None, meta: dict[str, Any] | None = None) -> PlacementForm:
    """The placement form with a list of other-language rows sized for this request.

    `meta={"csrf": False}` is for the API (portal.api), which authenticates by key and feeds the
    JSON body in as `formdata`, so that a placement is validated by exactly these rules.
    """
    from wtforms import FieldList

    existing_rows = len(placement.other_languages) if placement is not None else 0
    rows = max(3, existing_rows + 2)

    class _Form(PlacementForm):
        other_languages = FieldList(FormField(OtherLanguageForm), label=_l("Andere talen in het team"),
                                    min_entries=rows, max_entries=12)

    kwargs: dict[str, Any] = {}
    existing_skills: set[str] = set()
    original_start = None
    if placement is not None:
        existing_skills = set(placement.required_skills) | set(placement.nice_to_have_skills)
        original_start = placement.start_date
        kwargs = dict(
            type=placement.type.value, title=placement.title, tasks=placement.tasks, sector=placement.sector,
            street_address=placement.street_address, postcode=placement.postcode, city=placement.city,
            municipality=placement.municipality, hours_per_week=placement.hours_per_week,
            dayparts=list(placement.dayparts), start_date=placement.start_date,
            duration_weeks=placement.duration_weeks, places=placement.places, support=list(placement.support),
            offers=list(placement.offers), pay_indication=placement.pay_indication,
            required_skills=list(placement.required_skills), nice_to_have_skills=list(placement.nice_to_have_skills),
            language_tasks=list(placement.language_tasks),
            allow_one_level_below_with_support=placement.allow_one_level_below_with_support,
            other_languages=[{"language": pl.language, "level": str(pl.level)} for pl in placement.other_languages],
            **{f"dutch_{skill}": level for skill, level in placement.dutch_levels.items()},
        )
    elif organisation is not None:
        kwargs = dict(
            sector=organisation.sector if reference.is_sector(organisation.sector) else "",
            street_address=organisation.street_address, postcode=organisation.postcode,
            city=organisation.city, municipality=organisation.municipality,
        )
    if meta is not None:
        kwargs["meta"] = meta
    return _Form(formdata=formdata, existing_skills=existing_skills, today=today, original_start=original_start,
                 **kwargs)


class PlacementFilterForm(PlainForm):
    """Filters of the staff list (query string, no CSRF: it changes nothing)."""

    type = SelectField(_l("Soort plek"), validate_choice=False)
    sector = SelectField(_l("Sector"), validate_choice=False)
    municipality = SelectField(_l("Gemeente"), validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)
    max_listening = SelectField(_l("Luisteren"), validate_choice=False)
    max_reading = SelectField(_l("Lezen"), validate_choice=False)
    max_spoken_interaction = SelectField(_l("Gesprekken voeren"), validate_choice=False)
    max_spoken_production = SelectField(_l("Spreken"), validate_choice=False)
    max_writing = SelectField(_l("Schrijven"), validate_choice=False)

    def __init__(self, formdata: Any, *, municipalities: list[str], statuses: list[PlacementStatus]) -> None:
        super().__init__(formdata)
        locale = ui_locale()
        anything = ("", str(_l("Alle")))
        self.type.choices = [anything] + [(t.value, t.label) for t in PlacementType]
        self.sector.choices = [anything] + [(s.code, s.label(locale)) for s in reference.sectors()]
        self.municipality.choices = [anything] + [(m, m) for m in municipalities]
        self.status.choices = [anything] + [(s.value, s.label) for s in statuses]
        for name, _skill in self.level_filters():
            getattr(self, name).choices = [("", str(_l("Maakt niet uit")))] + [
                (str(level), str(_l("hoogstens %(level)s", level=reference.level_label(level, locale))) if level else reference.level_label(0, locale))
                for level in reference.LEVELS
            ]

    @staticmethod
    def level_filters() -> list[tuple[str, str]]:
        return [(f"max_{skill}", skill) for skill in reference.LANGUAGE_SKILLS]

    def validate(self, extra_validators: Any = None) -> bool:
        super().validate(extra_validators)
        ok = True
        for name in ("type", "sector", "municipality", "status", *(n for n, _s in self.level_filters())):
            field = getattr(self, name)
            if field.data and field.data not in {value for value, _label in field.choices}:
                field.errors = [str(_l("Kies een waarde uit de lijst."))]
                ok = False
        return ok

    def max_levels(self) -> dict[str, int]:
        return {skill: int(getattr(self, name).data) for name, skill in self.level_filters() if getattr(self, name).data}


class StatusForm(FlaskForm):
    """The CSRF-protected button of a status change (publish, pause, close, reopen)."""


class PublishForm(FlaskForm):
    """Publish from the summary page: CSRF plus the version of the placement the employer checked."""

    version = HiddenField(validators=[DataRequired()])
