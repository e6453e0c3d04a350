"""Resultaten: the monitoring dashboard, its definitions and its exports (aggregates only).

/resultaten                      the dashboard (period, municipality, breakdown as query arguments)
/resultaten/definities           what every figure counts
/resultaten/export/<key>.csv     one table as CSV
/resultaten/export/<key>.xlsx    one table as XLSX (definitions on the second sheet)
/resultaten/export/alles.xlsx    every table in one XLSX

WSP staff, admins and policy officers. Account managers work with persons and have their own
caseload pages; the area is not theirs (it shows other municipalities' aggregates too).
No page here shows or links to a person.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.core import audit, db
from portal.core.access import access
from portal.core.navigation import nav_item
from portal.core.roles import Role
from portal.results import demo as _demo  # noqa: F401  (registers the demo history)
from portal.results import exports
from portal.results import facts as _facts  # noqa: F401  (keeps the summary table in step)
from portal.results import indicators as ind
from portal.results import presenting
from portal.results.definitions import DEFINITIONS, GENERAL
from portal.results.forms import ResultsFilterForm

bp = Blueprint("results", __name__, url_prefix="/resultaten")

VIEWERS = (Role.WSP, Role.ADMIN, Role.POLICY_OFFICER)

nav_item("results.dashboard", _l("Resultaten"), set(VIEWERS), order=70)
nav_item("results.definitions", _l("Definities"), {Role.POLICY_OFFICER}, order=71)

#: The order of the tables on the page and in the "everything" export.
PAGE_ORDER = ("funnel", "candidates", "starts", "starts_per_quarter", "results", "stop_reasons", "median_days",
              "events", "employers", "language", "gender")


def _filters() -> tuple[ResultsFilterForm, ind.Filters | None]:
    form = ResultsFilterForm(request.args, municipalities=ind.municipalities())
    if not form.validate():
        return form, None
    return form, ind.Filters(form.period(), form.municipality(), form.breakdown())


@bp.route("")
@access(*VIEWERS)
def dashboard():
    form, filters = _filters()
    if filters is None:
        return render_template("results/dashboard.html", form=form, filters=None), 400
    computed = ind.compute(filters)
    tables = {key: presenting.present(computed[key], filters) for key in PAGE_ORDER}
    return render_template(
        "results/dashboard.html", form=form, filters=filters, tables=tables, order=PAGE_ORDER,
        funnel_bars=presenting.funnel_bars(computed["funnel"]),
        funnel_summary=presenting.summary_funnel(computed["funnel"]),
        quarter_bars=presenting.quarter_bars(computed["starts_per_quarter"]),
        quarter_summary=presenting.summary_quarters(computed["starts_per_quarter"]),
        result_groups=presenting.result_bars(computed["results"]),
        results_summary=presenting.summary_results(computed["results"]),
        query_args={k: v for k, v in request.args.items() if k in form._fields and v},
    )


@bp.route("/definities")
@access(*VIEWERS)
def definitions():
    return render_template("results/definitions.html", definitions=DEFINITIONS, general=GENERAL)


@bp.route("/export/<results_table>.<file_format>")
@access(*VIEWERS)
def export(results_table: str, file_format: str):
    key, fmt = results_table, file_format
    if fmt not in ("csv", "xlsx") or (key not in ind.ALL and key != "alles") or (key == "alles" and fmt != "xlsx"):
        abort(404)
    _form, filters = _filters()
    if filters is None:
        abort(400)
    keys = PAGE_ORDER if key == "alles" else (key,)
    computed = ind.compute(filters, keys)
    tables = [presenting.present(computed[k], filters) for k in keys]
    moment = db.utcnow()
    kwargs = dict(period_label=filters.period.label, municipality=filters.municipality, moment=moment)
    audit.record("results.exported", actor=current_user, table=key, format=fmt, period=filters.period.slug,
                 municipality=filters.municipality or "", breakdown=filters.breakdown or "")
    name = f"resultaten-{key}-{filters.period.slug}.{fmt}"
    if fmt == "csv":
        body, mimetype = exports.to_csv(tables[0], **kwargs), "text/csv; charset=utf-8"
    else:
        body = exports.to_xlsx(tables, **kwargs)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})
