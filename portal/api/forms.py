"""Admin form for a new API client."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from portal.api.models import MAX_VALIDITY_DAYS, Scope
from portal.core.validators import NoControlCharacters, strip_filter
from portal.placements.forms import MultiCheckboxField


class ClientForm(FlaskForm):
    name = StringField(_l("Naam van de koppeling"), filters=[strip_filter],
                       description=_l("Bijvoorbeeld ‘ATS van Bakkerij De Korenaar’."),
                       validators=[DataRequired(message=_l("Vul een naam in.")), Length(max=200), NoControlCharacters()])
    organisation_id = SelectField(_l("Handelt namens"), validate_choice=False,
                                  description=_l("Een organisatie: de client is een werkgever van die organisatie. "
                                                 "Geen organisatie: met alleen monitoringcijfers een beleidsmedewerker, "
                                                 "anders een medewerker van het Werkgeversservicepunt."))
    scopes = MultiCheckboxField(_l("Rechten"), unknown_message=_l("Onbekend recht."))
    expires_on = DateField(_l("Geldig tot en met"), description=_l("Hoogstens een jaar vooruit."),
                           validators=[InputRequired(message=_l("Vul een geldige datum in."))])
    save = SubmitField(_l("Client aanmaken"))

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation_id.choices = [("", str(_l("Geen organisatie (regionaal)")))] + [
            (str(oid), name) for oid, name in organisations]
        self.scopes.choices = [(s.value, s.label) for s in Scope]
        self._organisation_ids = {str(oid) for oid, _name in organisations}

    def validate_organisation_id(self, field: Any) -> None:
        if field.data and field.data not in self._organisation_ids:
            raise ValidationError(str(_l("Kies een organisatie uit de lijst.")))

    def validate_scopes(self, field: Any) -> None:
        if not field.data:
            raise ValidationError(str(_l("Kies minstens één recht.")))

    def validate_expires_on(self, field: Any) -> None:
        today = dt.date.today()
        if field.data and not today < field.data <= today + dt.timedelta(days=MAX_VALIDITY_DAYS - 1):
            raise ValidationError(str(_l("Kies een datum na vandaag en hoogstens een jaar vooruit.")))


class RevokeForm(FlaskForm):
    """The CSRF-protected revoke button."""
