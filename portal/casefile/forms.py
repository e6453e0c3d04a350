"""Forms of the case file. Server-side validation is the truth; messages in the page's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.casefile.models import (
    CASELOAD_TARGET_MAX, HANDOVER_NOTE_MAX, NOTE_MAX, SUMMARY_MAX, ContactChannel, NotificationMode, TimelineKind,
)
from portal.core.validators import NoControlCharacters, parse_id


class ClearDateField(DateField):
    """A date field whose unparsable input gets the portal's own message in the page's language."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(str(_l("Vul een geldige datum in."))) from None


def _int_or_none(value: object) -> int | None:
    """An id or None (blank, words, ids beyond the database's range): the portal's one id parser."""
    return parse_id(value)


class NoteForm(FlaskForm):
    body = TextAreaField(_l("Notitie"), description=_l("Alleen voor medewerkers; werkgevers zien notities nooit."),
                         validators=[DataRequired(_l("Schrijf een notitie.")),
                                     Length(max=NOTE_MAX, message=_l("Hoogstens %(max)d tekens.")),
                                     NoControlCharacters()])


class ContactForm(FlaskForm):
    channel = RadioField(_l("Hoe was het contact?"), choices=lambda: [(c.value, c.label) for c in ContactChannel],
                         validators=[InputRequired(_l("Kies hoe het contact was."))])
    happened_on = ClearDateField(_l("Datum"), validators=[InputRequired(_l("Vul een geldige datum in."))])
    summary = TextAreaField(_l("Waar ging het over?"),
                            validators=[DataRequired(_l("Schrijf kort op waar het over ging.")),
                                        Length(max=SUMMARY_MAX, message=_l("Hoogstens %(max)d tekens.")),
                                        NoControlCharacters()])


class HandoverForm(FlaskForm):
    new_owner_id = SelectField(_l("Nieuwe accountmanager"), coerce=_int_or_none,
                               validators=[InputRequired(_l("Kies een accountmanager."))])
    note = TextAreaField(_l("Overdrachtsnotitie"),
                         description=_l("Wat moet de nieuwe accountmanager weten? Deze notitie wordt ook gemaild."),
                         validators=[DataRequired(_l("Schrijf een overdrachtsnotitie.")),
                                     Length(max=HANDOVER_NOTE_MAX, message=_l("Hoogstens %(max)d tekens.")),
                                     NoControlCharacters()])

    def __init__(self, *args: object, managers: list[tuple[int, str]] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.new_owner_id.choices = [(None, _l("Kies een accountmanager"))] + list(managers)

    def validate_new_owner_id(self, field: SelectField) -> None:
        if field.data is None:
            from wtforms.validators import ValidationError

            raise ValidationError(_l("Kies een accountmanager."))


class CoOwnerForm(FlaskForm):
    user_id = SelectField(_l("Accountmanager"), coerce=_int_or_none,
                          validators=[InputRequired(_l("Kies een accountmanager."))])

    def __init__(self, *args: object, managers: list[tuple[int, str]] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.user_id.choices = [(None, _l("Kies een accountmanager"))] + list(managers)

    def validate_user_id(self, field: SelectField) -> None:
        if field.data is None:
            from wtforms.validators import ValidationError

            raise ValidationError(_l("Kies een accountmanager."))


class RemoveCoOwnerForm(FlaskForm):
    user_id = HiddenField(validators=[InputRequired()])


class CaseloadTargetForm(FlaskForm):
    target = IntegerField(_l("Caseloadnorm: actieve dossiers per accountmanager"),
                          description=_l("Bijvoorbeeld 25. Dossiers die in de wacht staan tellen niet mee."),
                          validators=[InputRequired(_l("Vul een aantal in.")),
                                      NumberRange(1, CASELOAD_TARGET_MAX,
                                                  _l("Kies een aantal van 1 tot en met %(max)d."))])


class NotificationForm(FlaskForm):
    mode = RadioField(_l("Meldingen over interesse en antwoorden van werkgevers"),
                      choices=lambda: [(m.value, m.label) for m in NotificationMode],
                      validators=[InputRequired(_l("Kies hoe u meldingen wilt ontvangen."))])


class TimelineFilterForm(FlaskForm):
    class Meta:
        csrf = False

    soort = SelectField(_l("Soort"), validators=[Optional()],
                        choices=lambda: [("", _l("Alles"))] + [(k.value, k.label) for k in TimelineKind])
