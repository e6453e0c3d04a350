"""The filter of the results pages (a GET form: it changes nothing, so no CSRF token)."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import Optional

from portal.core.forms import PlainForm
from portal.results.indicators import DIMENSIONS
from portal.results.periods import Period, selectable_years, today
from portal.results.presenting import DIMENSION_LABELS


class ResultsFilterForm(PlainForm):
    jaar = SelectField(_l("Jaar"), validators=[Optional()])
    kwartaal = SelectField(_l("Kwartaal"), validators=[Optional()])
    gemeente = SelectField(_l("Gemeente"), validators=[Optional()])
    indeling = SelectField(_l("Uitsplitsen naar"), validators=[Optional()])

    def __init__(self, formdata: Any, *, municipalities: list[str]) -> None:
        super().__init__(formdata)
        self.jaar.choices = [(str(y), str(y)) for y in selectable_years()]
        self.kwartaal.choices = [("", str(_l("Heel het jaar")))] + [
            (str(q), str(_l("Kwartaal %(quarter)d", quarter=q))) for q in (1, 2, 3, 4)]
        self.gemeente.choices = [("", str(_l("Alle gemeenten")))] + [(m, m) for m in municipalities]
        self.indeling.choices = [("", str(_l("Niet uitsplitsen")))] + [(d, str(DIMENSION_LABELS[d])) for d in DIMENSIONS]
        if not self.jaar.data:
            self.jaar.data = str(today().year)

    def period(self) -> Period:
        quarter = int(self.kwartaal.data) if self.kwartaal.data else None
        return Period(int(self.jaar.data), quarter)

    def municipality(self) -> str | None:
        return self.gemeente.data or None

    def breakdown(self) -> str | None:
        return self.indeling.data or None
