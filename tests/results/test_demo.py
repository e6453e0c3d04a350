"""On the demo data a WSP user sees a funnel with real figures in both municipalities, some cells
still "<5", other figures when switching period or municipality, and every CSV and the workbook
hold exactly the figures of the page."""
from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import openpyxl
import pytest

from portal import demo
from portal.core import db
from portal.results.periods import today

YEAR = today().year


class _Tables(HTMLParser):
    """The data tables of the page: {section key: {row label: [cells]}} (captions and links left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, dict[str, list[str]]] = {}
        self._section: str | None = None
        self._in_table = self._in_caption = False
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and (attrs.get("aria-labelledby") or "").startswith("h-"):
            self._section = attrs["aria-labelledby"][2:]
        elif tag == "table" and self._section and "results-table" in (attrs.get("class") or ""):
            self._in_table = True
        elif self._in_table and tag == "caption":
            self._in_caption = True
        elif self._in_table and tag == "tr":
            self._row = []
        elif self._row is not None and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row:
                table = self.tables.setdefault(self._section, {})
                table.setdefault(self._row[0], self._row[1:])  # the first table of a section
            self._row = None
        elif tag == "table":
            self._in_table = False
            if self._section in self.tables:
                self._section = None

    def handle_data(self, data):
        if self._cell is not None and not self._in_caption:
            self._cell.append(data)


def _page_tables(client, query: str) -> dict[str, dict[str, list[str]]]:
    response = client.get(f"/resultaten?{query}")
    assert response.status_code == 200
    parser = _Tables()
    parser.feed(response.get_data(as_text=True))
    return parser.tables


def _csv_table(body: bytes) -> dict[str, list[str]]:
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    start = next(i for i, row in enumerate(rows) if i > 5 and row)
    return {row[0]: row[1:] for row in rows[start:] if row}


@pytest.fixture
def demo_loaded(app):
    with app.test_request_context():
        demo.load()
        db.commit()


def _funnel_total(tables):
    return {row: cells[0] for row, cells in tables["funnel"].items()}


def test_the_demo_gives_a_funnel_with_real_figures_in_both_municipalities(demo_loaded, make_client):
    wsp = make_client()
    wsp.login("wsp@demo.test", "demo-portal")
    whole = _page_tables(wsp, f"jaar={YEAR}")
    funnel = _funnel_total(whole)
    for step in ("Gepubliceerd", "Belangstelling van een werkgever", "Ontmoet", "Voorgedragen", "Gestart"):
        assert funnel[step].isdigit() and int(funnel[step]) >= 5, (step, funnel)
    every_cell = [cell for table in whole.values() for cells in table.values() for cell in cells]
    assert "<5" in every_cell  # suppression stays visible
    assert int(whole["median_days"]["Totaal"][1]) > 0  # a median in days
    assert int(whole["language"]["Totaal"][1]) >= 5
    for municipality in ("Zaanstad", "Westland"):
        own = _funnel_total(_page_tables(wsp, f"jaar={YEAR}&gemeente={municipality}"))
        assert int(own["Gepubliceerd"]) >= 5 and int(own["Gestart"]) >= 5, (municipality, own)
        assert own != funnel
    assert _funnel_total(_page_tables(wsp, f"jaar={YEAR - 1}")) != funnel


def test_every_export_holds_the_figures_of_the_page(demo_loaded, make_client):
    wsp = make_client()
    wsp.login("wsp@demo.test", "demo-portal")
    query = f"jaar={YEAR}&gemeente=Zaanstad"
    page = _page_tables(wsp, query)
    assert set(page) >= {"funnel", "candidates", "starts", "results", "median_days", "events", "employers",
                         "language", "gender"}
    book = openpyxl.load_workbook(io.BytesIO(wsp.get(f"/resultaten/export/alles.xlsx?{query}").data))
    sheets = [book[name] for name in book.sheetnames[:-1]]
    from portal.results.indicators import ALL

    for section, shown in page.items():
        key = {"quarters": "starts_per_quarter"}.get(section, section)
        if key == "funnel" or key not in ALL:
            continue  # the page shows the funnel as steps; its table export is checked below
        exported = _csv_table(wsp.get(f"/resultaten/export/{key}.csv?{query}").data)
        assert exported == {**exported, **shown} and set(shown) <= set(exported), key
    funnel = _csv_table(wsp.get(f"/resultaten/export/funnel.csv?{query}").data)
    header = next(cells for row, cells in funnel.items() if row == "Groep")
    total = dict(zip(header, funnel["Totaal"]))
    for step, value in _funnel_total(page).items():
        if step in total:
            assert total[step] == value, step
    in_book = [{str(row[0]): [str(c) for c in row[1:] if c is not None] for row in sheet.iter_rows(values_only=True)
                if row and row[0] is not None} for sheet in sheets]
    csv_starts = _csv_table(wsp.get(f"/resultaten/export/starts.csv?{query}").data)
    assert any(all(book_rows.get(row) == cells for row, cells in csv_starts.items() if row != "Soort plek")
               for book_rows in in_book)
