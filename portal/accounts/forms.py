"""Account forms: server-side validation is the truth, messages in the user's language."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional, ValidationError

from portal import reference
from portal.core.i18n import ui_locale
from portal.core.roles import ROLE_LABELS, Role
from portal.core.validators import SafeName, KvkNumber, NoControlCharacters, Postcode, normalise_postcode, strip_filter

TEXT = [strip_filter]


class LoginForm(FlaskForm):
    # No format check: a login only ever says "wrong email or password" (and demo addresses use .test).
    email = EmailField(_l("E-mailadres"), filters=TEXT, validators=[InputRequired(), Length(max=320)])
    password = PasswordField(_l("Wachtwoord"), validators=[InputRequired(), Length(max=200)])
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), filters=TEXT, validators=[InputRequired(), Length(max=320)])


def _password_length(form: FlaskForm, field: PasswordField) -> None:
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if field.data and len(field.data) < minimum:
        raise ValidationError(str(_l("Kies een wachtwoord van minstens %(n)d tekens.", n=minimum)))


class NewPasswordMixin:
    password = PasswordField(
        _l("Nieuw wachtwoord"),
        description=_l("Minstens 10 tekens. Een zin van een paar woorden is sterk en goed te onthouden."),
        validators=[InputRequired(), _password_length, Length(max=200)],
    )
    password_repeat = PasswordField(
        _l("Herhaal het wachtwoord"),
        validators=[InputRequired(), EqualTo("password", message=_l("De wachtwoorden zijn niet gelijk."))],
    )


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    pass


class AcceptInvitationForm(NewPasswordMixin, FlaskForm):
    name = StringField(_l("Uw naam"), filters=TEXT, validators=[InputRequired(), Length(min=2, max=200), NoControlCharacters(), SafeName()])


def sector_choices() -> list[tuple[str, str]]:
    locale = ui_locale()
    return [("", str(_l("Kies een sector")))] + [(s.code, s.label(locale)) for s in reference.sectors()]


class OrganisationFieldsMixin:
    organisation_name = StringField(_l("Naam van de organisatie"), filters=TEXT, validators=[InputRequired(), Length(min=2, max=200), NoControlCharacters(), SafeName()])
    kvk_number = StringField(
        _l("KvK-nummer"), description=_l("8 cijfers, te vinden op uw uittreksel van de Kamer van Koophandel."),
        filters=[lambda v: v.replace(" ", "").strip() if isinstance(v, str) else v],
        validators=[InputRequired(), KvkNumber()],
    )
    sector = SelectField(_l("Sector"), validators=[InputRequired()], validate_choice=True)
    street_address = StringField(_l("Straat en huisnummer"), filters=TEXT, validators=[InputRequired(), Length(max=200), NoControlCharacters()])
    postcode = StringField(_l("Postcode"), filters=[normalise_postcode], validators=[InputRequired(), Postcode()])
    city = StringField(_l("Plaats"), filters=TEXT, validators=[InputRequired(), Length(max=100), NoControlCharacters()])
    municipality = StringField(_l("Gemeente"), filters=TEXT, validators=[InputRequired(), Length(max=100), NoControlCharacters()])
    contact_phone = StringField(_l("Telefoonnummer"), filters=TEXT, validators=[Optional(), Length(max=32)])

    def organisation_fields(self) -> dict[str, str]:
        return {
            "name": self.organisation_name.data, "kvk_number": self.kvk_number.data, "sector": self.sector.data,
            "street_address": self.street_address.data, "postcode": self.postcode.data, "city": self.city.data,
            "municipality": self.municipality.data, "contact_phone": self.contact_phone.data or "",
        }


class RegisterEmployerForm(NewPasswordMixin, OrganisationFieldsMixin, FlaskForm):
    name = StringField(_l("Uw naam (contactpersoon)"), filters=TEXT, validators=[InputRequired(), Length(min=2, max=200), NoControlCharacters(), SafeName()])
    email = EmailField(_l("Uw e-mailadres"), filters=TEXT, validators=[InputRequired(), Email(), Length(max=320)])
    agree = BooleanField(_l("Ik heb de privacyverklaring gelezen"), validators=[InputRequired(message=_l("Dit is verplicht."))])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.sector.choices = sector_choices()


class InvitationForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), filters=TEXT, validators=[InputRequired(), Email(), Length(max=320)])
    name = StringField(_l("Naam"), filters=TEXT, validators=[Optional(), Length(max=200), NoControlCharacters(), SafeName()])
    role = SelectField(_l("Rol"), validators=[InputRequired()])
    organisation_id = SelectField(_l("Organisatie (alleen voor werkgevers)"), coerce=lambda v: int(v) if v not in (None, "") else None, validators=[Optional()])

    def __init__(self, *args: object, roles: list[Role], organisations: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = [(r.value, str(ROLE_LABELS[r])) for r in roles]
        self.organisation_id.choices = [("", "—")] + [(oid, name) for oid, name in organisations]


class ReviewOrganisationForm(FlaskForm):
    decision = SelectField(
        _l("Besluit"), choices=[("approve", _l("Goedkeuren")), ("reject", _l("Afwijzen"))], validators=[InputRequired()]
    )
    note = TextAreaField(_l("Toelichting voor de werkgever"), filters=TEXT, validators=[Optional(), Length(max=1000), NoControlCharacters()])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.decision.data == "reject" and not self.note.data:
            self.note.errors = [*self.note.errors, str(_l("Leg uit waarom de aanmelding is afgewezen."))]
            return False
        return valid


class LocaleForm(FlaskForm):
    locale = SelectField(_l("Taal"), choices=[("nl", "Nederlands"), ("en", "English")], validators=[InputRequired()])
    next = HiddenField()


class UserEditForm(FlaskForm):
    role = SelectField(_l("Rol"), choices=[(r.value, ROLE_LABELS[r]) for r in Role], validators=[InputRequired()])
    active = BooleanField(_l("Account actief"))


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField(_l("Huidig wachtwoord"), validators=[InputRequired(), Length(max=200)])
