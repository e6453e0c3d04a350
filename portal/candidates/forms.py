"""Candidate forms: server-side validation is the truth; Dutch messages next to each field."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, DateField, FieldList, FormField, IntegerField, SelectField, SelectMultipleField, StringField,
    TextAreaField, widgets,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from portal import reference
from portal.candidates.models import (
    LEVEL_COLUMNS, ConsentScope, EducationLevel, Gender, InburgeringStatus, Mobility,
)
from portal.core import availability
from portal.core.forms import PlainForm
from portal.core.i18n import ui_locale
from portal.core.validators import SafeName, NoControlCharacters, coerce_optional_id, strip_filter

TEXT = [strip_filter]
MAX_LANGUAGE_ROWS = 8
MAX_EXPERIENCE_ROWS = 6


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def level_choices(skill: str) -> list[tuple[int, str]]:
    """Short option texts ("geen", "A1" … "C2") so five levels fit on one row per language; what
    each level means is listed under the table (level_meanings)."""
    locale = ui_locale()
    return [(level, reference.level_code(level, locale)) for level in reference.LEVELS]


def level_meanings() -> list[tuple[str, list[tuple[str, str]]]]:
    """Per skill (label), each level's label and what it means for a candidate, in candidate wording."""
    locale = ui_locale()
    return [
        (reference.skill_label(skill, locale), [
            (reference.level_label(level, locale), _candidate_level_text(level, skill, locale)) for level in reference.LEVELS
        ])
        for skill in LEVEL_COLUMNS
    ]


#: the employer's half of the "none" descriptions ("..., or the work does not need it") is no
#: wording for a candidate
_EMPLOYER_CLAUSES = (", of het werk vraagt het niet", ", or the work does not need it")


def _candidate_level_text(level: int, skill: str, locale: str) -> str:
    """"A2 – basisgebruiker: Begrijpt korte …" or, for none, just "Geen: verstaat … (nog) niet"."""
    label = reference.level_label(level, locale)
    description = reference.level_description(level, skill, locale)
    for clause in _EMPLOYER_CLAUSES:
        description = description.replace(clause, "")
    if description.lower().startswith(label.lower() + ":"):
        return description  # the description already names the level
    return f"{label}: {description}"


def language_choices() -> list[tuple[str, str]]:
    locale = ui_locale()
    return [("", str(_l("Kies een taal")))] + sorted(
        ((lang.code, lang.label(locale)) for lang in reference.languages() if lang.code != "nl"), key=lambda c: c[1]
    )


def skill_choices(kind: str | None = None) -> list[tuple[str, str]]:
    locale = ui_locale()
    return sorted(((s.code, s.label(locale)) for s in reference.skills(kind) if not s.deprecated), key=lambda c: c[1])


def sector_choices() -> list[tuple[str, str]]:
    locale = ui_locale()
    return [(s.code, s.label(locale)) for s in reference.sectors()]


class LanguageEntryForm(PlainForm):
    """One language with a level per skill. Row 0 of the profile form is always Dutch."""

    language_code = SelectField(_l("Taal"), choices=[], validate_choice=True, validators=[Optional()])
    is_first_language = BooleanField(_l("Moedertaal"))
    listening = SelectField(_l("Luisteren"), coerce=int, default=0)
    reading = SelectField(_l("Lezen"), coerce=int, default=0)
    spoken_interaction = SelectField(_l("Gesprekken voeren"), coerce=int, default=0)
    spoken_production = SelectField(_l("Spreken"), coerce=int, default=0)
    writing = SelectField(_l("Schrijven"), coerce=int, default=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # an unused "other language" row stays empty (it used to preselect Nederlands and then fail)
        self.language_code.choices = [("", str(_l("Kies een taal"))), ("nl", str(_l("Nederlands")))] + language_choices()
        for skill in LEVEL_COLUMNS:
            getattr(self, skill).choices = level_choices(skill)

    @property
    def level_fields(self) -> list[Any]:
        return [getattr(self, skill) for skill in LEVEL_COLUMNS]


class ExperienceEntryForm(PlainForm):
    skill_code = SelectField(_l("Beroep (uit de lijst)"), choices=[], validators=[Optional()])
    occupation = StringField(_l("Of beschrijf het beroep"), filters=TEXT, validators=[Optional(), Length(max=200), NoControlCharacters()])
    years = IntegerField(_l("Jaren"), validators=[Optional(), NumberRange(min=0, max=60, message=_l("Vul 0 tot 60 jaar in."))])
    country = StringField(_l("Land"), filters=TEXT, validators=[Optional(), Length(max=100), NoControlCharacters()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.skill_code.choices = [("", str(_l("Geen keuze")))] + skill_choices("occupation")

    @property
    def is_blank(self) -> bool:
        return not (self.skill_code.data or (self.occupation.data or "").strip() or self.years.data or (self.country.data or "").strip())


def _past_date(form: Any, field: Any) -> None:
    if field.data and field.data > dt.date.today():
        raise ValidationError(str(_l("Een geboortedatum ligt in het verleden.")))
    if field.data:
        from portal.candidates.profile import age_on

        age = age_on(field.data)
        if age < 15 or age > 80:
            raise ValidationError(str(_l("Controleer de geboortedatum: de leeftijd moet tussen 15 en 80 jaar liggen.")))


class CandidateForm(FlaskForm):
    first_name = StringField(_l("Voornaam"), filters=TEXT, validators=[InputRequired(), Length(max=100), NoControlCharacters(), SafeName()])
    surname = StringField(_l("Achternaam"), filters=TEXT, validators=[InputRequired(), Length(max=100), NoControlCharacters(), SafeName()])
    date_of_birth = DateField(_l("Geboortedatum"), validators=[InputRequired(message=_l("Vul een geldige datum in.")), _past_date],
                              description=_l("Werkgevers zien alleen een leeftijdsgroep, zoals 25–34."))
    gender = SelectField(_l("Gender (optioneel)"), validators=[Optional()],
                         description=_l("Alleen voor geanonimiseerde monitoring in groepen van minstens 5. Nooit zichtbaar voor werkgevers."))
    municipality = StringField(_l("Woonplaats (gemeente)"), filters=TEXT, validators=[InputRequired(), Length(max=100), NoControlCharacters()])
    postcode_area = StringField(_l("Cijfers van de postcode"), filters=TEXT, description=_l("Alleen de 4 cijfers, bijvoorbeeld 1506."),
                                validators=[InputRequired(), Regexp(r"^[1-9][0-9]{3}$", message=_l("Vul de 4 cijfers van de postcode in, bijvoorbeeld 1506."))])
    mobility = MultiCheckboxField(_l("Vervoer"), choices=[], validators=[Optional()])
    availability = MultiCheckboxField(_l("Beschikbaar"), choices=[], validators=[Optional()],
                                      description=_l("Kruis de dagdelen aan waarop de kandidaat kan werken, naast de taallessen."))
    hours_per_week = IntegerField(_l("Uren per week"), validators=[Optional(), NumberRange(min=0, max=40, message=_l("Vul 0 tot 40 uur in."))])
    available_from = DateField(_l("Beschikbaar vanaf"), validators=[Optional()])
    inburgering_status = SelectField(_l("Inburgering"), validators=[InputRequired()])
    inburgering_exam_level = SelectField(_l("Examenniveau inburgering"), validators=[Optional()],
                                         description=_l("Het behaalde of beoogde niveau, als dat bekend is."))
    education_level = SelectField(_l("Opleidingsniveau"), validators=[Optional()])
    education_country = StringField(_l("Land van de opleiding"), filters=TEXT, validators=[Optional(), Length(max=100), NoControlCharacters()])
    education_recognised = SelectField(_l("Diploma erkend in Nederland"), validators=[Optional()],
                                       choices=[("", _l("Onbekend of niet aangevraagd")), ("yes", _l("Ja")), ("no", _l("Nee"))])
    languages = FieldList(FormField(LanguageEntryForm), label=_l("Talen"), min_entries=4, max_entries=MAX_LANGUAGE_ROWS)
    skills = SelectMultipleField(_l("Vaardigheden en beroepen"), choices=[], validators=[Optional()],
                                 description=_l("De eerste drie staan op de kaart voor werkgevers."))
    sector_interests = MultiCheckboxField(_l("Interesse in sectoren"), choices=[], validators=[Optional()])
    experiences = FieldList(FormField(ExperienceEntryForm), label=_l("Werkervaring"), min_entries=2, max_entries=MAX_EXPERIENCE_ROWS)
    ambitions = TextAreaField(_l("Ambities, in eigen woorden"), filters=TEXT, validators=[Optional(), Length(max=2000), NoControlCharacters()],
                              description=_l("Werkgevers zien deze tekst. Geen gegevens over gezondheid, geloof of afkomst."))
    support_needs = TextAreaField(_l("Ondersteuningsbehoefte (intern)"), filters=TEXT, validators=[Optional(), Length(max=2000), NoControlCharacters()],
                                  description=_l("Alleen voor medewerkers van de gemeente; nooit zichtbaar voor werkgevers."))
    owner_id = SelectField(_l("Accountmanager"), coerce=int, validators=[InputRequired()])
    confirm_duplicate = BooleanField(_l("Ik heb gecontroleerd dat dit een andere persoon is"))

    def __init__(self, *args: Any, owners: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.gender.choices = [("", _l("Niet vastgelegd"))] + [(g.value, g.label) for g in Gender]
        self.mobility.choices = [(m.value, m.label) for m in Mobility]
        self.availability.choices = availability.choices()
        self.inburgering_status.choices = [(s.value, s.label) for s in InburgeringStatus]
        self.inburgering_exam_level.choices = [("", _l("Onbekend"))] + [
            (str(level), reference.level_label(level, ui_locale())) for level in reference.LEVELS]
        self.education_level.choices = [("", _l("Onbekend"))] + [(e.value, e.label) for e in EducationLevel]
        self.skills.choices = skill_choices()
        self.sector_interests.choices = sector_choices()
        self.owner_id.choices = owners or []
        if self.languages.entries:
            self.languages.entries[0].form.language_code.data = "nl"

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        seen: set[str] = set()
        for index, entry in enumerate(self.languages.entries):
            code = "nl" if index == 0 else entry.form.language_code.data
            if index > 0 and code == "nl":
                entry.form.language_code.errors.append(str(_l("Nederlands staat al bovenaan.")))
                ok = False
            elif code and code in seen:
                entry.form.language_code.errors.append(str(_l("Deze taal staat er al.")))
                ok = False
            if code:
                seen.add(code)
            elif entry.form.is_first_language.data or any(f.data for f in entry.form.level_fields):
                entry.form.language_code.errors.append(str(_l("Kies de taal bij deze niveaus.")))
                ok = False
        if not any(e.form.is_first_language.data for e in self.languages.entries if (e.form.language_code.data or "")):
            self.languages.entries[0].form.is_first_language.errors.append(str(_l("Geef ten minste één moedertaal aan.")))
            ok = False
        for entry in self.experiences.entries:
            form = entry.form
            if not form.is_blank and not (form.skill_code.data or (form.occupation.data or "").strip()):
                form.occupation.errors.append(str(_l("Kies een beroep of beschrijf het.")))
                ok = False
        if self.hours_per_week.data and self.availability.data is not None:
            capacity = len(self.availability.data) * availability.HOURS_PER_DAYPART
            if self.hours_per_week.data > capacity:
                self.hours_per_week.errors.append(str(_l(
                    "Meer uren dan de aangekruiste dagdelen toelaten (%(n)d dagdelen, hoogstens %(h)d uur).",
                    n=len(self.availability.data), h=capacity)))
                ok = False
        if len(self.skills.data or []) > 20:
            self.skills.errors.append(str(_l("Kies hoogstens 20 vaardigheden.")))
            ok = False
        for rows in (self.languages, self.experiences):  # FieldList keeps a copy of its rows' errors
            rows.errors = [entry.errors for entry in rows.entries]
            if not any(rows.errors):
                rows.errors = []
        return ok

    # -- to the domain --------------------------------------------------------------------
    def profile_fields(self) -> dict[str, Any]:
        recognised = {"yes": True, "no": False}.get(self.education_recognised.data or "")
        return dict(
            first_name=self.first_name.data, surname=self.surname.data, date_of_birth=self.date_of_birth.data,
            gender=Gender(self.gender.data) if self.gender.data else None, municipality=self.municipality.data,
            postcode_area=self.postcode_area.data, mobility=list(self.mobility.data or []),
            availability=list(self.availability.data or []), hours_per_week=self.hours_per_week.data,
            available_from=self.available_from.data, inburgering_status=InburgeringStatus(self.inburgering_status.data),
            inburgering_exam_level=int(self.inburgering_exam_level.data) if self.inburgering_exam_level.data else None,
            education_level=EducationLevel(self.education_level.data) if self.education_level.data else None,
            education_country=self.education_country.data or "", education_recognised=recognised,
            ambitions=self.ambitions.data or "", support_needs=self.support_needs.data or "",
        )

    def language_inputs(self) -> list[Any]:
        from portal.candidates.operations import LanguageInput

        result = []
        for index, entry in enumerate(self.languages.entries):
            code = "nl" if index == 0 else entry.form.language_code.data
            if not code:
                continue
            result.append(LanguageInput(code, bool(entry.form.is_first_language.data),
                                        {skill: int(getattr(entry.form, skill).data or 0) for skill in LEVEL_COLUMNS}))
        return result

    def experience_inputs(self) -> list[Any]:
        from portal.candidates.operations import ExperienceInput

        return [ExperienceInput(e.form.skill_code.data or None, e.form.occupation.data or "", e.form.years.data or 0,
                                e.form.country.data or "") for e in self.experiences.entries if not e.form.is_blank]

    def fill_from(self, candidate: Any) -> None:
        """Prefill on GET (edit)."""
        for name in ("first_name", "surname", "date_of_birth", "municipality", "postcode_area", "hours_per_week",
                     "available_from", "education_country", "ambitions", "support_needs"):
            getattr(self, name).data = getattr(candidate, name)
        self.gender.data = candidate.gender.value if candidate.gender else ""
        self.mobility.data = list(candidate.mobility or [])
        self.availability.data = list(candidate.availability or [])
        self.inburgering_status.data = candidate.inburgering_status.value
        self.inburgering_exam_level.data = "" if candidate.inburgering_exam_level is None else str(candidate.inburgering_exam_level)
        self.education_level.data = candidate.education_level.value if candidate.education_level else ""
        self.education_recognised.data = {True: "yes", False: "no"}.get(candidate.education_recognised, "")
        self.skills.data = candidate.skill_codes
        self.sector_interests.data = candidate.sector_codes
        self.owner_id.data = candidate.owner_id
        rows = candidate.sorted_languages
        dutch = next((r for r in rows if r.language_code == "nl"), None)
        others = [r for r in rows if r.language_code != "nl"]
        ordered = [dutch] + others
        while len(self.languages.entries) < min(len(ordered) + 1, MAX_LANGUAGE_ROWS):
            self.languages.append_entry()
        for entry, row in zip(self.languages.entries, ordered):
            if row is None:
                continue
            entry.form.language_code.data = row.language_code
            entry.form.is_first_language.data = row.is_first_language
            for skill in LEVEL_COLUMNS:
                getattr(entry.form, skill).data = getattr(row, skill)
        while len(self.experiences.entries) < min(len(candidate.experiences) + 1, MAX_EXPERIENCE_ROWS):
            self.experiences.append_entry()
        for entry, exp in zip(self.experiences.entries, candidate.experiences):
            entry.form.skill_code.data = exp.skill_code or ""
            entry.form.occupation.data = exp.occupation
            entry.form.years.data = exp.years
            entry.form.country.data = exp.country


class ConsentForm(FlaskForm):
    confirm_explained = BooleanField(_l("De toestemmingstekst is met de kandidaat besproken, in een taal die de kandidaat begrijpt"),
                                     validators=[InputRequired(message=_l("Bevestig dat de tekst is besproken."))])
    text_language = SelectField(_l("Taal waarin de tekst is getoond en uitgelegd"), default="nl",
                                description=_l("Het afdrukblad komt in deze taal."))
    scope = SelectField(_l("Wie mag het profiel zien?"), validators=[InputRequired()])
    organisations = MultiCheckboxField(_l("Organisaties"), coerce=int, choices=[], validators=[Optional()],
                                       description=_l("Alleen nodig als de kandidaat kiest voor geselecteerde organisaties."))
    video_allowed = BooleanField(_l("De kandidaat geeft ook toestemming voor een video"))
    expires_on = DateField(_l("Geldig tot en met"), validators=[InputRequired(message=_l("Vul een geldige datum in."))],
                           description=_l("Hoogstens 12 maanden na vandaag."))

    def __init__(self, *args: Any, organisations: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from portal.candidates.consent_text import consent_language_choices

        self.scope.choices = [(s.value, s.label) for s in ConsentScope]
        self.organisations.choices = organisations or []
        self.text_language.choices = consent_language_choices()

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if self.scope.data == ConsentScope.SELECTED_ORGANISATIONS.value and not self.organisations.data:
            self.organisations.errors.append(str(_l("Kies ten minste één organisatie.")))
            ok = False
        return ok


class StatusForm(FlaskForm):
    status = SelectField(_l("Status"), validators=[InputRequired()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from portal.candidates.models import CandidateStatus

        super().__init__(*args, **kwargs)
        self.status.choices = [(s.value, s.label) for s in CandidateStatus if s != CandidateStatus.PUBLISHED]


class ConfirmForm(FlaskForm):
    """A POST button with CSRF only (publish, unpublish, withdraw)."""


class PublishForm(FlaskForm):
    """Publish, with an explicit yes when the video employers will see has no captions."""

    without_captions = BooleanField(_l("Toch publiceren: de video heeft nog geen ondertitels"))


class EraseForm(FlaskForm):
    confirm = BooleanField(_l("Ik begrijp dat alle gegevens van deze kandidaat definitief worden verwijderd"),
                           validators=[InputRequired(message=_l("Bevestig het verwijderen."))])


class InterestForm(FlaskForm):
    placement_id = SelectField(_l("Voor vacature (optioneel)"), coerce=coerce_optional_id, validators=[Optional()])
    note = TextAreaField(_l("Toelichting (optioneel)"), filters=TEXT, validators=[Optional(), Length(max=1000), NoControlCharacters()])

    def __init__(self, *args: Any, placements: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.placement_id.choices = [(None, _l("Geen specifieke vacature"))] + [(pid, title) for pid, title in (placements or [])]


class GalleryFilterForm(PlainForm):
    """GET filters of the gallery (no CSRF: it changes nothing)."""

    placement = SelectField(_l("Past bij mijn plek"), validators=[Optional()],
                            description=_l("Alleen kandidaten met het Nederlands dat deze plek vraagt, per vaardigheid."))
    sector = SelectField(_l("Interesse in sector"), validators=[Optional()])
    municipality = SelectField(_l("Woonplaats"), validators=[Optional()])
    days = MultiCheckboxField(_l("Beschikbaar op"), validators=[Optional()])
    listening = SelectField(_l("Luisteren minstens"), coerce=int, default=0, validators=[Optional()])
    reading = SelectField(_l("Lezen minstens"), coerce=int, default=0, validators=[Optional()])
    spoken_interaction = SelectField(_l("Gesprekken voeren minstens"), coerce=int, default=0, validators=[Optional()])
    spoken_production = SelectField(_l("Spreken minstens"), coerce=int, default=0, validators=[Optional()])
    writing = SelectField(_l("Schrijven minstens"), coerce=int, default=0, validators=[Optional()])

    def __init__(self, *args: Any, municipalities: list[str] | None = None,
                 placements: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.placement.choices = [("", _l("Alle kandidaten"))] + [(str(pid), title) for pid, title in placements or []]
        self.sector.choices = [("", _l("Alle sectoren"))] + sector_choices()
        self.municipality.choices = [("", _l("Alle plaatsen"))] + [(m, m) for m in municipalities or []]
        self.days.choices = [(day, availability.DAY_LABELS[day]) for day in availability.DAYS]
        locale = ui_locale()
        for skill in LEVEL_COLUMNS:
            getattr(self, skill).choices = [(0, _l("Geen eis"))] + [(lvl, reference.level_code(lvl, locale)) for lvl in reference.LEVELS if lvl]

    @property
    def level_fields(self) -> list[Any]:
        return [getattr(self, skill) for skill in LEVEL_COLUMNS]
