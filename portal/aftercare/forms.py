"""Forms of aftercare: record a check-in, change the schedule, record the result."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from portal.aftercare.models import NEXT_STEP_MAX, RESULT_NOTE_MAX, Assessment, ContractKind, ResultKind
from portal.casefile.forms import ClearDateField
from portal.core.validators import NoControlCharacters

SKILLS = ("listening", "reading", "spoken_interaction", "spoken_production", "writing")


def _level_or_none(value: object) -> int | None:
    if value in (None, "", "None"):
        return None
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return -1  # refused by the validator below


def _level_choices() -> list[tuple[str, str]]:
    from portal import reference
    from portal.core.i18n import ui_locale

    locale = ui_locale()
    return [("", str(_l("Niet gemeten")))] + [(str(level), reference.level_label(level, locale))
                                              for level in reference.LEVELS]


def _valid_level(form: FlaskForm, field: SelectField) -> None:
    if field.data is not None and not 0 <= field.data <= 6:
        raise ValidationError(_l("Kies een niveau uit de lijst."))


class CheckInForm(FlaskForm):
    assessment = RadioField(_l("Hoe gaat het?"), choices=lambda: [(a.value, a.label) for a in Assessment],
                            validators=[InputRequired(_l("Kies hoe het gaat."))])
    listening = SelectField(_l("Luisteren"), choices=_level_choices, coerce=_level_or_none,
                            validators=[Optional(), _valid_level], validate_choice=False)
    reading = SelectField(_l("Lezen"), choices=_level_choices, coerce=_level_or_none,
                          validators=[Optional(), _valid_level], validate_choice=False)
    spoken_interaction = SelectField(_l("Gesprekken voeren"), choices=_level_choices, coerce=_level_or_none,
                                     validators=[Optional(), _valid_level], validate_choice=False)
    spoken_production = SelectField(_l("Spreken"), choices=_level_choices, coerce=_level_or_none,
                                    validators=[Optional(), _valid_level], validate_choice=False)
    writing = SelectField(_l("Schrijven"), choices=_level_choices, coerce=_level_or_none,
                          validators=[Optional(), _valid_level], validate_choice=False)
    next_step = TextAreaField(_l("Volgende stap"), description=_l("Wat gaat er gebeuren, en wie doet het?"),
                              validators=[DataRequired(_l("Schrijf de volgende stap op.")),
                                          Length(max=NEXT_STEP_MAX, message=_l("Hoogstens %(max)d tekens.")),
                                          NoControlCharacters()])

    def levels(self) -> dict[str, int]:
        return {skill: getattr(self, skill).data for skill in SKILLS if getattr(self, skill).data is not None}


class DueDateForm(FlaskForm):
    due_on = ClearDateField(_l("Datum"), validators=[InputRequired(_l("Vul een geldige datum in."))])


class ConfirmForm(FlaskForm):
    """Only CSRF: a button that changes something."""


class ResultForm(FlaskForm):
    kind = RadioField(_l("Resultaat"), choices=lambda: [(k.value, k.label) for k in ResultKind],
                      validators=[InputRequired(_l("Kies een resultaat."))])
    contract_kind = SelectField(_l("Soort contract"), description=_l("Alleen bij een arbeidscontract."),
                                choices=lambda: [("", _l("Kies het soort contract"))] + [(c.value, c.label) for c in ContractKind],
                                validators=[Optional()])
    stop_reason = SelectField(_l("Reden om te stoppen"), description=_l("Alleen als de plaatsing is gestopt."),
                              choices=lambda: _stop_reasons(), validators=[Optional()])
    ended_on = ClearDateField(_l("Einddatum van de plaatsing"), validators=[InputRequired(_l("Vul een geldige datum in."))])
    note = TextAreaField(_l("Toelichting (intern)"), validators=[Optional(), Length(max=RESULT_NOTE_MAX,
                                                                                     message=_l("Hoogstens %(max)d tekens.")),
                                                                  NoControlCharacters()])

    def validate(self, extra_validators=None) -> bool:  # type: ignore[override]
        ok = super().validate(extra_validators)
        # Conditional requirements (Optional() would stop an inline validator on an empty field).
        if self.kind.data == ResultKind.CONTRACT.value and not self.contract_kind.data:
            self.contract_kind.errors = [*self.contract_kind.errors, str(_l("Kies het soort contract."))]
            ok = False
        if self.kind.data == ResultKind.STOPPED.value and not self.stop_reason.data:
            self.stop_reason.errors = [*self.stop_reason.errors, str(_l("Kies een reden om te stoppen."))]
            ok = False
        return ok


def _stop_reasons() -> list[tuple[str, str]]:
    from portal.trajects.models import CHOOSABLE_STOP_REASONS

    return [("", str(_l("Kies een reden")))] + [(r.value, r.label) for r in CHOOSABLE_STOP_REASONS]
