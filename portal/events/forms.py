"""Forms for events and company visits. Times are entered in local time (Europe/Amsterdam) and
stored in UTC; the domain operations check the rules that span fields."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField, HiddenField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal import reference
from portal.core.i18n import ui_locale
from portal.core.validators import NoControlCharacters, strip_filter
from portal.events.followups import Outcome

REQUIRED = _l("Dit veld is verplicht.")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def to_utc(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=local_zone()).astimezone(dt.timezone.utc)


def from_utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(local_zone())


def language_choices() -> list[tuple[str, str]]:
    locale = ui_locale()
    return [(lang.code, lang.label(locale)) for lang in reference.languages() if lang.code != "nl"]


def sector_choices() -> list[tuple[str, str]]:
    locale = ui_locale()
    return [(s.code, s.label(locale)) for s in reference.sectors()]


class TimesMixin:
    def times(self) -> tuple[dt.datetime, dt.datetime]:
        return to_utc(self.date.data, self.start_time.data), to_utc(self.date.data, self.end_time.data)

    def set_times(self, starts_at: dt.datetime, ends_at: dt.datetime) -> None:
        start, end = from_utc(starts_at), from_utc(ends_at)
        self.date.data, self.start_time.data, self.end_time.data = start.date(), start.time(), end.time()


class EventForm(TimesMixin, FlaskForm):
    title = StringField(_l("Titel"), filters=[strip_filter],
                        validators=[DataRequired(REQUIRED), Length(max=200), NoControlCharacters()])
    description = TextAreaField(_l("Omschrijving"), filters=[strip_filter], validators=[Length(max=4000)])
    date = DateField(_l("Datum"), validators=[InputRequired(REQUIRED)])
    start_time = TimeField(_l("Begintijd"), validators=[InputRequired(REQUIRED)])
    end_time = TimeField(_l("Eindtijd"), validators=[InputRequired(REQUIRED)])
    venue_name = StringField(_l("Locatie"), filters=[strip_filter],
                             validators=[DataRequired(REQUIRED), Length(max=200), NoControlCharacters()])
    venue_address = StringField(_l("Adres"), filters=[strip_filter],
                                validators=[DataRequired(REQUIRED), Length(max=300), NoControlCharacters()])
    accessibility_notes = TextAreaField(_l("Toegankelijkheid"), filters=[strip_filter], validators=[Length(max=2000)],
                                        description=_l("Bijvoorbeeld: rolstoeltoegankelijk, lift, stiltekamer."))
    transport_directions = TextAreaField(_l("Bereikbaarheid met het openbaar vervoer"), filters=[strip_filter],
                                         validators=[Length(max=2000)])
    table_capacity = IntegerField(_l("Aantal werkgeverstafels"), validators=[InputRequired(REQUIRED), NumberRange(min=0, message=_l("Het aantal plaatsen kan niet negatief zijn.")), NumberRange(max=1000)])
    candidate_capacity = IntegerField(_l("Aantal plaatsen voor kandidaten"), validators=[InputRequired(REQUIRED), NumberRange(min=0, message=_l("Het aantal plaatsen kan niet negatief zijn.")), NumberRange(max=10000)])
    round_minutes = IntegerField(_l("Duur van een gespreksronde (minuten)"), validators=[InputRequired(REQUIRED), NumberRange(min=1, message=_l("Een ronde duurt minstens 1 minuut.")), NumberRange(max=24 * 60)])
    break_minutes = IntegerField(_l("Wisseltijd tussen rondes (minuten)"), default=0,
                                 validators=[InputRequired(REQUIRED), NumberRange(min=0, message=_l("De wisseltijd kan niet negatief zijn.")), NumberRange(max=24 * 60)])
    rounds_before_break = IntegerField(_l("Pauze voor kandidaten na hoogstens zoveel rondes achter elkaar"), default=3,
                                       validators=[InputRequired(REQUIRED), NumberRange(min=1, max=20)])
    interpreter_languages = MultiCheckboxField(_l("Tolken aanwezig voor"), choices=[], validate_choice=True)
    #: Set by the page that warns about a move (past date, announced schedule): which times were confirmed.
    confirm = HiddenField(validators=[Optional(), Length(max=64)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.interpreter_languages.choices = language_choices()

    def values(self) -> dict:
        starts_at, ends_at = self.times()
        return dict(
            title=self.title.data, description=self.description.data or "", starts_at=starts_at, ends_at=ends_at,
            venue_name=self.venue_name.data, venue_address=self.venue_address.data,
            accessibility_notes=self.accessibility_notes.data or "", transport_directions=self.transport_directions.data or "",
            table_capacity=self.table_capacity.data, candidate_capacity=self.candidate_capacity.data,
            round_minutes=self.round_minutes.data, break_minutes=self.break_minutes.data,
            rounds_before_break=self.rounds_before_break.data,
            interpreter_languages=sorted(self.interpreter_languages.data or []),
        )


class EventStatusForm(FlaskForm):
    status = HiddenField(validators=[DataRequired()])


class ActionForm(FlaskForm):
    """A button that posts (CSRF only)."""


class EmployerRegistrationForm(FlaskForm):
    representatives = IntegerField(_l("Aantal vertegenwoordigers"), default=1,
                                   validators=[InputRequired(REQUIRED), NumberRange(min=1, max=10)])
    sectors = MultiCheckboxField(_l("Sectoren waarvoor u mensen zoekt"), choices=[])
    languages = MultiCheckboxField(_l("Talen die uw vertegenwoordigers spreken (naast Nederlands)"), choices=[])
    placement_ids = MultiCheckboxField(_l("Vacatures die u meebrengt"), choices=[], coerce=int)

    def __init__(self, *args, placements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sectors.choices = sector_choices()
        self.languages.choices = language_choices()
        self.placement_ids.choices = [(p.id, p.title) for p in placements]


class CandidateRegistrationForm(FlaskForm):
    candidate_id = SelectField(_l("Kandidaat"), coerce=int, validators=[InputRequired(REQUIRED)])
    interpreter_language = SelectField(_l("Tolk nodig in"), choices=[], validators=[Optional()],
                                       description=_l("Alleen invullen als de kandidaat alleen via een tolk kan praten."))
    wishes = MultiCheckboxField(_l("Werkgevers die de kandidaat graag wil ontmoeten"), choices=[], coerce=int)

    def __init__(self, *args, candidates=(), organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidate_id.choices = [(c.id, c.display_name) for c in candidates]
        self.interpreter_language.choices = [("", _l("Geen tolk nodig"))] + language_choices()
        self.wishes.choices = [(o.id, o.name) for o in organisations]


class CheckInForm(FlaskForm):
    kind = HiddenField(validators=[DataRequired()])
    registration_id = HiddenField(validators=[DataRequired()])
    present = HiddenField(validators=[DataRequired()])


class VisitOutcomeForm(FlaskForm):
    """A company visit's outcome for one visitor, with the host placement it is about (optional)."""

    outcome = RadioField(_l("Uitkomst"), choices=[], validators=[InputRequired(_l("Kies een uitkomst."))])
    placement_id = SelectField(_l("Over welke plek (optioneel)"), validators=[Optional()],
                               description=_l("Kies de plek als het om een bepaalde plek gaat; dan ziet u de "
                                              "kandidaat bij die plek in uw trajecten."))
    note = TextAreaField(_l("Toelichting voor de accountmanager"), filters=[strip_filter],
                         validators=[Length(max=2000), NoControlCharacters()])

    def __init__(self, *args, placements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.outcome.choices = [(o.value, o.label) for o in Outcome]
        self.placement_id.choices = [("", _l("Geen bepaalde plek"))] + [(str(p.id), p.title) for p in placements]


class OutcomeForm(FlaskForm):
    outcome = RadioField(_l("Uitkomst"), choices=[], validators=[InputRequired(_l("Kies een uitkomst."))])
    note = TextAreaField(_l("Toelichting voor de accountmanager"), filters=[strip_filter],
                         validators=[Length(max=2000), NoControlCharacters()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcome.choices = [(o.value, o.label) for o in Outcome]


class VisitSlotForm(TimesMixin, FlaskForm):
    title = StringField(_l("Titel"), filters=[strip_filter], default="",
                        validators=[DataRequired(REQUIRED), Length(max=200), NoControlCharacters()],
                        description=_l("Bijvoorbeeld: Kijkje in de bakkerij"))
    description = TextAreaField(_l("Wat gaan de bezoekers zien en doen?"), filters=[strip_filter],
                                validators=[Length(max=4000)])
    date = DateField(_l("Datum"), validators=[InputRequired(REQUIRED)])
    start_time = TimeField(_l("Begintijd"), validators=[InputRequired(REQUIRED)])
    end_time = TimeField(_l("Eindtijd"), validators=[InputRequired(REQUIRED)])
    max_group_size = IntegerField(_l("Maximale groepsgrootte"), default=6, validators=[InputRequired(REQUIRED), NumberRange(min=1, max=50, message=_l("Kies een groepsgrootte van 1 tot 50."))])
    meeting_point = StringField(_l("Verzamelpunt"), filters=[strip_filter],
                                validators=[DataRequired(REQUIRED), Length(max=300), NoControlCharacters()],
                                description=_l("Bijvoorbeeld: bij de receptie, ingang Westzijde 12"))
    what_to_bring = TextAreaField(_l("Kleding en meenemen"), filters=[strip_filter], validators=[Length(max=2000)],
                                  description=_l("Bijvoorbeeld: dichte schoenen, geen sieraden, een ID-bewijs."))
    language_support = MultiCheckboxField(_l("Ter plaatse is hulp in deze talen"), choices=[])
    language_support_note = StringField(_l("Toelichting taalondersteuning"), filters=[strip_filter],
                                        validators=[Length(max=300), NoControlCharacters()])
    cancel_cutoff_hours = IntegerField(_l("Aanmelden en annuleren kan tot zoveel uur vooraf"), default=24,
                                       validators=[InputRequired(REQUIRED), NumberRange(min=0, max=336, message=_l("Kies 0 tot 336 uur (twee weken)."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language_support.choices = language_choices()

    def values(self) -> dict:
        starts_at, ends_at = self.times()
        return dict(
            title=self.title.data, description=self.description.data or "", starts_at=starts_at, ends_at=ends_at,
            max_group_size=self.max_group_size.data, meeting_point=self.meeting_point.data,
            what_to_bring=self.what_to_bring.data or "", language_support=sorted(self.language_support.data or []),
            language_support_note=self.language_support_note.data or "", cancel_cutoff_hours=self.cancel_cutoff_hours.data,
        )


class VisitBookingForm(FlaskForm):
    candidate_id = SelectField(_l("Kandidaat"), coerce=int, validators=[InputRequired(REQUIRED)])
    interpreter_language = SelectField(_l("Tolk of taalhulp nodig in"), choices=[], validators=[Optional()])

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidate_id.choices = [(c.id, c.display_name) for c in candidates]
        self.interpreter_language.choices = [("", _l("Geen"))] + language_choices()
