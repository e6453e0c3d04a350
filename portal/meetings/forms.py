"""Forms of the meetings area. Server-side validation is the truth; domain rules (overlaps, taken
slots, cut-offs) are checked by the operations and shown next to the field."""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, DateField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField,
    TimeField, widgets,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from portal.core.validators import NoControlCharacters, coerce_optional_id, parse_id
from portal.meetings.models import LocationKind
from portal.meetings.operations import NOTE_MAX, WhereAndWho, is_https_url

WEEKDAYS = [(0, _l("maandag")), (1, _l("dinsdag")), (2, _l("woensdag")), (3, _l("donderdag")), (4, _l("vrijdag")),
            (5, _l("zaterdag")), (6, _l("zondag"))]
SLOT_LENGTHS = [(15, _l("15 minuten")), (20, _l("20 minuten")), (30, _l("30 minuten")), (45, _l("45 minuten")),
                (60, _l("60 minuten"))]


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _optional_int(value: object) -> int | None:
    """Blank, words and ids beyond the database's range are None (the operation says what's missing)."""
    return parse_id(value)


class _WhereAndWhoForm(FlaskForm):
    location_kind = RadioField(_l("Waar"), choices=lambda: [(k.value, k.label) for k in LocationKind],  # labels in the page's language
                               default=LocationKind.MUNICIPAL_OFFICE.value,
                               validators=[InputRequired(_l("Kies waar het gesprek is."))])
    address = StringField(_l("Adres van het gemeentekantoor"), validators=[Optional(), Length(max=300), NoControlCharacters()],
                          description=_l("Alleen bij 'Op het gemeentekantoor'. Bijvoorbeeld: Stadhuisplein 100, Zaandam."))
    video_url = StringField(_l("Link naar het videogesprek"), validators=[Optional(), Length(max=500)],
                            description=_l("Alleen bij 'Videogesprek'. Een link die met https:// begint."))
    account_manager_attends = BooleanField(_l("De accountmanager is bij het gesprek"), default=True)
    interpreter_attends = BooleanField(_l("Er is een tolk bij het gesprek"))
    interpreter_language = StringField(_l("Taal van de tolk"), validators=[Optional(), Length(max=16), NoControlCharacters()],
                                       description=_l("Bijvoorbeeld: ar (Arabisch), ti (Tigrinya)."))
    candidate_ids = MultiCheckboxField(_l("Voor welke kandidaten"), coerce=int,
                                       validators=[InputRequired(_l("Kies ten minste één kandidaat."))])
    auto_confirm = BooleanField(_l("Aanvragen automatisch bevestigen"),
                                description=_l("Zonder vinkje bevestigt u elke aanvraag zelf."))
    cutoff_hours = IntegerField(_l("Wijzigen en annuleren kan tot (uren vooraf)"), default=24,
                                validators=[InputRequired(_l("Vul een aantal uren in.")),
                                            NumberRange(0, 168, _l("Kies een termijn tussen 0 en 168 uur."))])

    def validate_video_url(self, field: StringField) -> None:
        if self.location_kind.data == LocationKind.VIDEO_CALL.value and not is_https_url(field.data or ""):
            raise ValidationError(_l("Vul een geldige videogesprek-link in die met https:// begint."))

    def validate_address(self, field: StringField) -> None:
        if self.location_kind.data == LocationKind.MUNICIPAL_OFFICE.value and not (field.data or "").strip():
            raise ValidationError(_l("Vul het adres van het gemeentekantoor in."))

    def spec(self) -> WhereAndWho:
        return WhereAndWho(
            location_kind=LocationKind(self.location_kind.data), address=self.address.data or "",
            video_url=self.video_url.data or "", account_manager_attends=self.account_manager_attends.data,
            interpreter_attends=self.interpreter_attends.data, interpreter_language=self.interpreter_language.data or "",
            auto_confirm=self.auto_confirm.data, cutoff_hours=self.cutoff_hours.data,
        )


class SlotForm(_WhereAndWhoForm):
    date = DateField(_l("Datum"), validators=[InputRequired(_l("Vul een datum in."))])
    start = TimeField(_l("Begintijd"), validators=[InputRequired(_l("Vul een begintijd in."))])
    minutes = IntegerField(_l("Duur (minuten)"), default=30,
                           validators=[InputRequired(_l("Vul de duur in.")),
                                       NumberRange(10, 240, _l("Een gesprek duurt tussen 10 en 240 minuten."))])


class SeriesForm(_WhereAndWhoForm):
    weekday = SelectField(_l("Dag van de week"), choices=WEEKDAYS, coerce=int, default=1)
    start = TimeField(_l("Van"), validators=[InputRequired(_l("Vul een begintijd in."))])
    end = TimeField(_l("Tot"), validators=[InputRequired(_l("Vul een eindtijd in."))])
    slot_minutes = SelectField(_l("Lengte van een gesprek"), choices=SLOT_LENGTHS, coerce=int, default=30)
    first_date = DateField(_l("Vanaf"), validators=[InputRequired(_l("Vul een datum in."))],
                           default=lambda: dt.date.today() + dt.timedelta(days=1))
    weeks = IntegerField(_l("Aantal weken"), default=4,
                         validators=[InputRequired(_l("Vul het aantal weken in.")),
                                     NumberRange(1, 26, _l("Kies 1 tot 26 weken."))])

    def validate_end(self, field: TimeField) -> None:
        if self.start.data and field.data and field.data <= self.start.data:
            raise ValidationError(_l("Het einde moet na het begin liggen."))


class BookingForm(FlaskForm):
    #: Validated by the operation (taken, in the past, for another candidate) for a clear message.
    slot_id = RadioField(_l("Tijdslot"), coerce=_optional_int, validate_choice=False,
                         validators=[InputRequired(_l("Kies een tijdslot."))])
    #: Blank is "no placement"; anything else must be an id (a field error, not a silent "none").
    placement_id = SelectField(_l("Over welke plek (optioneel)"), coerce=coerce_optional_id, validate_choice=False)
    note = TextAreaField(_l("Korte toelichting (optioneel)"),
                         validators=[Optional(), Length(max=NOTE_MAX, message=_l("Hoogstens %(max)d tekens.")),
                                     NoControlCharacters()],
                         description=_l("Bijvoorbeeld wat u wilt bespreken. De kandidaat hoort dit via de accountmanager."))


class MoveForm(FlaskForm):
    slot_id = RadioField(_l("Nieuw tijdslot"), coerce=_optional_int, validate_choice=False,
                         validators=[InputRequired(_l("Kies een tijdslot."))])


class ActionForm(FlaskForm):
    """Confirm, cancel, withdraw: a button with a CSRF token."""


class OutcomeForm(FlaskForm):
    outcome = RadioField(_l("Hoe ging het gesprek?"), validators=[InputRequired(_l("Kies een uitkomst."))])
    note = TextAreaField(_l("Toelichting voor de accountmanager (optioneel)"),
                         validators=[Optional(), Length(max=1000, message=_l("Hoogstens %(max)d tekens.")),
                                     NoControlCharacters()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        from portal.events.followups import Outcome

        self.outcome.choices = [(o.value, o.label) for o in Outcome]
