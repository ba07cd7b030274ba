"""Writing CSV and XLSX safely. Every file Tiltas hands out (templates, error reports, later
exports) goes through these writers, so no cell can turn into a spreadsheet formula
(CSV/formula injection: a value such as `=HYPERLINK(...)` or `@SUM(...)` typed into a record would
otherwise run when an officer opens the export)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

Cell = str | int | float | Decimal | bool | date | datetime | None

# Characters with which a spreadsheet starts a formula or a DDE call; tab and carriage return
# because some spreadsheets strip them and then see the next character.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value: Cell) -> Cell:
    """The value as a spreadsheet will show it but never evaluate it: text that starts (also
    after leading spaces) with a formula character gets a leading apostrophe. Numbers, dates and
    booleans are not text and stay as they are."""
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(FORMULA_TRIGGERS) or value.lstrip(" \n\x0b\x0c").startswith(
        FORMULA_TRIGGERS
    ):
        return "'" + value
    return value


def _csv_value(value: Cell) -> str:
    safe = safe_cell(value)
    if safe is None:
        return ""
    if isinstance(safe, bool):
        return "true" if safe else "false"
    if isinstance(safe, datetime):
        return safe.isoformat()
    if isinstance(safe, date):
        return safe.isoformat()
    return str(safe)


def csv_text(rows: Iterable[Sequence[Cell]], *, line_terminator: str = "\r\n") -> str:
    """RFC 4180 CSV (comma, double quotes, CRLF) of `rows`, every cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, dialect="excel", lineterminator=line_terminator)
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return buffer.getvalue()


def csv_bytes(rows: Iterable[Sequence[Cell]], *, bom: bool = True) -> bytes:
    """UTF-8 CSV for download; the byte-order mark makes spreadsheets read Lithuanian and
    Cyrillic letters correctly."""
    text = csv_text(rows)
    return text.encode("utf-8-sig" if bom else "utf-8")


def _xlsx_value(value: Cell) -> Cell:
    # Control characters (other than tab and line breaks) cannot be stored in a workbook.
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return safe_cell(value)


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[Sequence[Cell]]]]) -> bytes:
    """An XLSX workbook with one sheet per (title, rows); the first row of each is a bold
    header. Text cells are made safe (openpyxl would otherwise store `=...` as a formula)."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title=title)
        for index, row in enumerate(rows):
            values: list[Any] = [_xlsx_value(value) for value in row]
            if index == 0:
                header = []
                for value in values:
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.font = bold
                    header.append(cell)
                values = header
            sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ERROR_REPORT_HEADER = ("row", "column", "code", "message")


def error_report_rows(errors: Iterable[Any]) -> list[list[Cell]]:
    """Header and one line per error (objects with row, column, code and message)."""
    return [
        list(ERROR_REPORT_HEADER),
        *([error.row, error.column, error.code, error.message] for error in errors),
    ]
