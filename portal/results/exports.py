"""CSV and XLSX files of the results tables: the same suppressed cells as the page, with the period
and the moment of export in the file, and (XLSX) the definitions on a second sheet."""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

import xlsxwriter
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l

from portal.results.definitions import GENERAL, definition
from portal.results.presenting import Presented


def _heading_lines(title: str, period_label: str, municipality: str | None, moment: dt.datetime) -> list[list[str]]:
    return [
        [title],
        [str(_l("Periode")), period_label],
        [str(_l("Gemeente")), municipality or str(_l("Alle gemeenten"))],
        [str(_l("Geëxporteerd op")), format_datetime(moment, "medium")],
        [str(_l("Cellen met 1 tot en met 4 personen staan als ‘<5’; een tweede afgeschermde cel als ‘x’."))],
        [],
    ]


def _table_lines(table: Presented) -> list[list[str]]:
    return [[table.row_heading, *table.columns], *([label, *cells] for label, cells in table.rows)]


def to_csv(table: Presented, *, period_label: str, municipality: str | None, moment: dt.datetime) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for line in _heading_lines(table.title, period_label, municipality, moment):
        writer.writerow(line)
    for line in _table_lines(table):
        writer.writerow(line)
    # A BOM so that spreadsheet programs read the accents right.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _number_or_text(value: str) -> int | str:
    return int(value) if value.isdigit() else value


def to_xlsx(tables: Iterable[Presented], *, period_label: str, municipality: str | None, moment: dt.datetime) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    tables = list(tables)
    used: set[str] = set()
    for table in tables:
        name = _sheet_name(table.title, used)
        sheet = book.add_worksheet(name)
        row = 0
        for line in _heading_lines(table.title, period_label, municipality, moment):
            sheet.write_row(row, 0, line, bold if row == 0 else None)
            row += 1
        for index, line in enumerate(_table_lines(table)):
            sheet.write_row(row, 0, [line[0], *(_number_or_text(c) for c in line[1:])], bold if index == 0 else None)
            row += 1
        sheet.set_column(0, 0, 32)
        sheet.set_column(1, len(table.columns), 16)
    sheet = book.add_worksheet(_sheet_name(str(_l("Definities")), used))
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 100)
    row = 0
    sheet.write(row, 0, str(_l("Definities")), bold)
    row += 1
    for text in GENERAL:
        sheet.write(row, 1, str(text), wrap)
        row += 1
    for table in tables:
        d = definition(table.key)
        row += 1
        sheet.write(row, 0, str(d.title), bold)
        for label, text in ((_l("Wat telt"), d.counts), (_l("Vanaf welke datum"), d.dates), (_l("Wat niet telt"), d.left_out)):
            sheet.write(row, 1, f"{label}: {text}", wrap)
            row += 1
    book.close()
    return buffer.getvalue()


def _sheet_name(title: str, used: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28] or "Tabel"
    name, n = base, 2
    while name.lower() in used:
        name, n = f"{base[:25]} {n}", n + 1
    used.add(name.lower())
    return name
