"""Forms of the trajects area: propose, answer a proposal, move a stage, record a start."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, FormField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from portal import reference
from portal.core import availability
from portal.core.forms import PlainForm
from portal.core.i18n import ui_locale
from portal.core.validators import NoControlCharacters, parse_id, strip_filter
from portal.placements.forms import MultiCheckboxField, PlainText
from portal.placements.models import PlacementType
from portal.trajects.models import (
    CHOOSABLE_STOP_REASONS, EMPLOYER_STOP_REASONS, DeclineReason, HOURS_MAX, HOURS_MIN, InstrumentKind, InstrumentStatus, MOTIVATION_MAX,
    MOTIVATION_MIN, NAME_MAX, NOTE_MAX,
)

TEXT = [NoControlCharacters(), PlainText()]


def optional_int(value: object) -> int | None:
    """An id or None (blank, words, ids beyond the database's range): the portal's one id parser."""
    return parse_id(value)


class ProposeForm(FlaskForm):
    placement_id = SelectField(_l("Plek"), coerce=optional_int, validate_choice=False,
                               validators=[InputRequired(_l("Kies een plek."))])
    motivation = TextAreaField(
        _l("Motivatie voor de werkgever"), filters=[strip_filter],
        validators=[InputRequired(_l("Schrijf een korte motivatie.")),
                    Length(min=MOTIVATION_MIN, max=MOTIVATION_MAX,
                           message=_l("Gebruik %(min)d tot %(max)d tekens.")), *TEXT],
        description=_l("De werkgever leest dit. Schrijf waarom deze kandidaat past; geen gegevens over gezondheid, "
                       "achtergrond of ondersteuningsbehoefte."),
    )

    def validate_placement_id(self, field: Any) -> None:
        if field.data is None or field.data not in {value for value, _label in field.choices or [] if value is not None}:
            raise ValidationError(_l("Kies een plek uit de lijst."))


class AnswerForm(FlaskForm):
    answer = RadioField(_l("Uw antwoord"), validators=[InputRequired(_l("Kies een antwoord."))],
                        choices=[("invited", _l("Uitnodigen voor een kennismaking")), ("declined", _l("Nu niet"))])
    decline_reason = SelectField(_l("Reden (bij ‘nu niet’)"), validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.decline_reason.choices = [("", _l("Kies een reden"))] + [(r.value, r.label) for r in DeclineReason]

    def validate_decline_reason(self, field: Any) -> None:
        if self.answer.data == "declined" and not field.data:
            raise ValidationError(_l("Kies een reden."))


class MoveForm(FlaskForm):
    to_stage = SelectField(_l("Nieuwe fase"), validators=[InputRequired(_l("Kies een fase."))])
    reason = SelectField(_l("Reden (bij stoppen)"), validators=[Optional()])
    note = TextAreaField(_l("Interne notitie (alleen voor medewerkers)"), filters=[strip_filter],
                         validators=[Optional(), Length(max=NOTE_MAX, message=_l("Hoogstens %(max)d tekens.")), *TEXT])

    def __init__(self, *args: Any, stages: list[Any] = (), employer: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.to_stage.choices = [(s.value, s.label) for s in stages]
        reasons = EMPLOYER_STOP_REASONS if employer else CHOOSABLE_STOP_REASONS
        self.reason.choices = [("", _l("Kies een reden"))] + [(r.value, r.label) for r in reasons]

    def validate_reason(self, field: Any) -> None:
        if self.to_stage.data == "stopped" and not field.data:
            raise ValidationError(_l("Kies een reden om te stoppen."))


class EuroField(DecimalField):
    """An amount in euro; accepts the Dutch decimal comma ("1.500,50") as well as a point."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist and isinstance(valuelist[0], str) and "," in valuelist[0]:
            valuelist = [valuelist[0].replace(".", "").replace(",", ".")]
        super().process_formdata(valuelist)


class InstrumentForm(PlainForm):
    status = RadioField(_l("Status"), default="",
                        choices=[("", _l("Niet gebruikt")), *((s.value, s.label) for s in InstrumentStatus)])
    amount = EuroField(_l("Bedrag in euro (optioneel)"), places=2, validators=[
        Optional(), NumberRange(min=0, max=100000, message=_l("Een bedrag van 0 tot 100.000 euro."))])
    period_start = DateField(_l("Periode vanaf (optioneel)"), validators=[Optional()])
    period_end = DateField(_l("Periode tot en met (optioneel)"), validators=[Optional()])

    def validate_period_end(self, field: Any) -> None:
        if field.data and self.period_start.data and field.data < self.period_start.data:
            raise ValidationError(_l("Het einde van de periode ligt voor het begin."))

    def validate_status(self, field: Any) -> None:
        used = self.amount.data is not None or self.period_start.data or self.period_end.data
        if used and not field.data:
            raise ValidationError(_l("Kies aangevraagd of toegekend, of laat bedrag en periode leeg."))

    @property
    def amount_cents(self) -> int | None:
        return None if self.amount.data is None else int((Decimal(self.amount.data) * 100).to_integral_value())


class InstrumentField(FormField):
    """A sub-form whose errors read as one flat list (for the error summary above the form)."""

    @property
    def errors(self) -> list[str]:  # type: ignore[override]
        return [message for messages in self.form.errors.values() for message in messages]


class StartForm(FlaskForm):
    start_date = DateField(_l("Startdatum"), validators=[InputRequired(_l("Vul een geldige datum in."))])
    planned_end_date = DateField(_l("Geplande einddatum (optioneel)"), validators=[Optional()])
    hours_per_week = IntegerField(_l("Uren per week"), validators=[
        InputRequired(_l("Vul een aantal uren in.")),
        NumberRange(min=HOURS_MIN, max=HOURS_MAX, message=_l("Tussen %(min)s en %(max)s uur."))])
    days = MultiCheckboxField(_l("Werkdagen"), unknown_message=_l("Onbekende dag."),
                              validators=[InputRequired(_l("Kies minstens één dag."))])
    placement_type = SelectField(_l("Soort plek"), validators=[InputRequired(_l("Kies een soort plek."))])
    jobcoach_name = StringField(_l("Jobcoach (naam, optioneel)"), filters=[strip_filter],
                                validators=[Optional(), Length(max=NAME_MAX, message=_l("Hoogstens %(max)d tekens.")), *TEXT])
    jobcoach_organisation = StringField(_l("Organisatie van de jobcoach (optioneel)"), filters=[strip_filter],
                                        validators=[Optional(), Length(max=NAME_MAX, message=_l("Hoogstens %(max)d tekens.")), *TEXT])
    buddy_name = StringField(_l("Buddy op de werkvloer (naam, optioneel)"), filters=[strip_filter],
                             validators=[Optional(), Length(max=NAME_MAX, message=_l("Hoogstens %(max)d tekens.")), *TEXT])
    buddy_language_code = SelectField(_l("Taal die de buddy en de kandidaat delen (optioneel)"), validators=[Optional()])
    taalvoucher = InstrumentField(InstrumentForm, label=InstrumentKind.TAALVOUCHER.label)
    proefplaatsing_retained_benefit = InstrumentField(InstrumentForm, label=InstrumentKind.PROEFPLAATSING_RETAINED_BENEFIT.label)
    loonkostensubsidie = InstrumentField(InstrumentForm, label=InstrumentKind.LOONKOSTENSUBSIDIE.label)
    no_risk_polis = InstrumentField(InstrumentForm, label=InstrumentKind.NO_RISK_POLIS.label)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.days.choices = [(d, availability.DAY_LABELS[d]) for d in availability.DAYS]
        self.placement_type.choices = [(t.value, t.label) for t in PlacementType]
        locale = ui_locale()
        languages = sorted(((lang.code, lang.label(locale)) for lang in reference.languages()), key=lambda p: p[1])
        self.buddy_language_code.choices = [("", _l("Geen of alleen Nederlands"))] + languages

    @property
    def instrument_fields(self) -> list[tuple[InstrumentKind, Any]]:
        return [(kind, getattr(self, kind.value)) for kind in InstrumentKind]

    def validate_planned_end_date(self, field: Any) -> None:
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("De einddatum ligt voor de startdatum."))

    def validate_start_date(self, field: Any) -> None:
        if field.data and abs((field.data - dt.date.today()).days) > 3 * 366:
            raise ValidationError(_l("Kies een datum binnen drie jaar van vandaag."))


class PlacesForm(FlaskForm):
    places = IntegerField(_l("Aantal plekken"), validators=[
        InputRequired(_l("Vul een aantal in.")), NumberRange(min=1, max=99, message=_l("Tussen %(min)s en %(max)s."))])
