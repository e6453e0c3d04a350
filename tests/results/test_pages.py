"""The results page, its definitions and exports, as the people who use them see them."""
from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from sqlalchemy import select

from portal.core import db
from portal.core.audit import AuditEntry

YEAR = "/resultaten?jaar=2024"


@pytest.fixture
def policy(login_as):
    return login_as("policy_officer")


def _cells(html: str) -> str:
    return " ".join(html.split())


def test_a_policy_officer_sees_the_funnel_with_figures_and_links_to_definitions(results_world, policy):
    response = policy.get(YEAR)
    assert response.status_code == 200
    html = _cells(response.get_data(as_text=True))
    chart = html[html.index('<figure class="hbar-chart" id="chart-funnel"'):]
    chart = chart[:chart.index("</figure>")]
    assert 'role="img" aria-labelledby="chart-funnel-title chart-funnel-desc"' in chart
    assert 'id="chart-funnel-title">' in chart and 'id="chart-funnel-desc">' in chart
    # the labels are HTML text (page-sized on a phone), not SVG text scaled down with the drawing
    assert '<span class="hbar-chart__label">Gepubliceerd</span>' in chart and "<text" not in chart
    # the one-sentence summary with the cohort and its starts
    assert "Van de 8 kandidaten die in deze periode voor het eerst zijn gepubliceerd, zijn er 5 gestart" in html
    assert "/resultaten/definities#def-funnel" in html
    assert "/kandidaten/" not in html and "/dossier/" not in html  # never a link to a person


def test_small_cells_show_less_than_five_and_a_second_cell_x_on_the_page(results_world, policy):
    html = _cells(policy.get(YEAR).get_data(as_text=True))
    gender = html[html.index('id="h-gender"'):]
    gender = gender[:gender.index("</table>")]
    # active: female 6, male 3 -> male "<5", female hidden too (9 - 3 would give it away)
    assert "<th scope=\"row\">Man</th> <td class=\"numeric\"><abbr" in gender
    assert "&lt;5</abbr>" in gender and ">x</abbr>" in gender
    female = gender[gender.index('<th scope="row">Vrouw</th>'):]
    female = female[:female.index("</tr>")]
    assert female.count(">x</abbr>") == 3 and ">6<" not in female


def _csv_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_csv_and_xlsx_hold_the_figures_of_the_page_with_the_same_suppression(app, results_world, policy):
    response = policy.get("/resultaten/export/gender.csv?jaar=2024")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = _csv_rows(response.data)
    assert rows[1] == ["Periode", "2024"]
    assert rows[3][0] == "Geëxporteerd op" and rows[3][1]
    table = {row[0]: row[1:] for row in rows[rows.index(["Gender", "Actief", "Gepubliceerd", "Gestart"]) + 1:]}
    assert table["Vrouw"] == ["x", "x", "x"] and table["Man"] == ["<5", "<5", "<5"]
    assert table["Totaal"] == ["9", "8", "6"]

    response = policy.get("/resultaten/export/gender.xlsx?jaar=2024")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[1] == "Definities"
    sheet = [[c for c in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    assert ["Periode", "2024"] == list(sheet[1][:2])
    xlsx = {row[0]: list(row[1:4]) for row in sheet if row and row[0] in ("Vrouw", "Man", "Totaal")}
    assert xlsx == {"Vrouw": ["x", "x", "x"], "Man": ["<5", "<5", "<5"], "Totaal": [9, 8, 6]}
    definitions = " ".join(str(c) for row in book.worksheets[1].iter_rows(values_only=True) for c in row if c)
    assert "Wat telt" in definitions and "Deelname naar gender" in definitions

    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "results.exported")).all()
        assert {(e.details["table"], e.details["format"]) for e in entries} == {("gender", "csv"), ("gender", "xlsx")}
        assert all(e.actor_role == "policy_officer" and e.details["period"] == "2024" for e in entries)


def test_the_funnel_csv_equals_the_page(results_world, login_as):
    wsp = login_as("wsp")
    rows = _csv_rows(wsp.get("/resultaten/export/funnel.csv?jaar=2024").data)
    header = rows.index(next(r for r in rows if r and r[0] == "Groep"))
    total = dict(zip(rows[header][1:], next(r for r in rows[header:] if r[0] == "Totaal")[1:]))
    assert total["Gepubliceerd"] == "8" and total["Belangstelling van een werkgever"] == "6"
    assert total["Voorgedragen"] == "5" and total["Gestart"] == "5"
    assert total["Aan het werk na 3 maanden"] == "<5"
    page = _cells(wsp.get(YEAR).get_data(as_text=True))
    assert '<th scope="row">Gestart</th><td class="numeric">5</td>' in page.replace("> <", "><")


def test_everything_in_one_workbook(results_world, policy):
    response = policy.get("/resultaten/export/alles.xlsx?jaar=2024&kwartaal=1")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert len(book.sheetnames) == 12 and book.sheetnames[-1] == "Definities"
    assert list(book.worksheets[0].iter_rows(values_only=True))[1][:2] == ("Periode", "2024, kwartaal 1")


def test_switching_period_and_municipality_changes_the_figures(results_world, policy):
    westland = _cells(policy.get(YEAR + "&gemeente=Westland").get_data(as_text=True))
    assert "Van de &lt;5 kandidaten" in westland
    quarter = _cells(policy.get(YEAR + "&kwartaal=1").get_data(as_text=True))
    assert "Van de 6 kandidaten" in quarter


@pytest.mark.parametrize("query", ["jaar=abc", "jaar=1900", "kwartaal=5", "gemeente=%3Cscript%3E", "indeling=gender"])
def test_bad_filters_are_refused_with_a_message_never_an_error(results_world, policy, query):
    response = policy.get(f"/resultaten?{query}")
    assert response.status_code == 400
    assert "Er is een probleem" in response.get_data(as_text=True)
    assert policy.get(f"/resultaten/export/funnel.csv?{query}").status_code == 400


def test_unknown_exports_do_not_exist(results_world, policy):
    assert policy.get("/resultaten/export/personen.csv").status_code == 404
    assert policy.get("/resultaten/export/alles.csv").status_code == 404
    assert policy.get("/resultaten/export/funnel.pdf").status_code == 404


def test_definitions_page_defines_every_indicator(policy):
    from portal.results.indicators import ALL

    html = policy.get("/resultaten/definities").get_data(as_text=True)
    for key in ALL:
        assert f'id="def-{key}"' in html
    assert "Wat niet telt" in html


def test_the_page_prints(policy):
    html = policy.get("/resultaten").get_data(as_text=True)
    assert 'href="/static/css/print.css" media="print"' in html and "css/results.css" in html


def test_a_policy_officer_can_open_no_page_about_a_person(results_world, policy):
    candidate_id = results_world.candidates["C1"]
    for url in (f"/kandidaten/beheer/{candidate_id}", "/kandidaten/beheer", "/plekken/aanbod", "/zoeken",
                f"/dossier/{candidate_id}", "/nazorg", "/meet-and-greets"):
        assert policy.get(url).status_code in (403, 404), url
    assert policy.get("/").headers["Location"].endswith("/resultaten")


@pytest.mark.parametrize("role", ["employer", "account_manager"])
def test_employers_and_account_managers_do_not_see_the_results(login_as, role):
    client = login_as(role)
    assert client.get("/resultaten").status_code == 403
    assert client.get("/resultaten/export/funnel.csv").status_code == 403


def test_admins_can_invite_a_policy_officer(login_as):
    admin = login_as("admin")
    page = admin.get("/wsp/uitnodigingen").get_data(as_text=True)
    assert 'value="policy_officer"' in page and "Beleidsmedewerker" in page
