"""Reading an uploaded table (CSV or XLSX) into text cells, refusing what cannot be read safely.

CSV must be UTF-8 (with or without byte-order mark) or UTF-16 with its byte-order mark. There is
deliberately no guessing of legacy code pages: Windows-1257 (Baltic), 1251 (Cyrillic) and 1252
(Western) share byte values, so a wrong guess would silently store misspelt names of victims,
which is worse than a refused file with a clear instruction. The separator may be a comma, a
semicolon (what spreadsheets write in Lithuanian settings) or a tab; it is read from the header.

XLSX is read in read-only mode and never evaluated: a formula cell is an error naming the cell.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_ROWS = 100_000
MAX_CELL_CHARACTERS = 32_767  # what a spreadsheet cell can hold
SEPARATORS = (",", ";", "\t")

_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def max_file_bytes() -> int:
    return int(getattr(settings, "EXCHANGE_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES))


def max_rows() -> int:
    return int(getattr(settings, "EXCHANGE_MAX_ROWS", DEFAULT_MAX_ROWS))


class FileRefusedError(Exception):
    """The file as a whole cannot be read; `code` and the message say why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class CellProblem:
    """A cell the reader could not turn into text (a formula, an error value)."""

    index: int
    code: str
    message: str


@dataclass
class RawRow:
    number: int  # 1-based data row; the header is not counted
    cells: list[str]
    problems: list[CellProblem] = field(default_factory=list)

    @property
    def is_blank(self) -> bool:
        return not self.problems and not any(cell.strip() for cell in self.cells)


@dataclass
class Table:
    format: str
    header: list[str]
    rows: Iterator[RawRow]


def file_format(content: bytes) -> str:
    """'xlsx' or 'csv', from the content itself (names and browsers' types can lie)."""
    if content.startswith(_XLSX_MAGIC):
        return "xlsx"
    if content.startswith(_XLS_MAGIC):
        raise FileRefusedError(
            "unsupported_format",
            _("Excel 97-2003 files (.xls) cannot be read. Save the file as XLSX or as CSV UTF-8."),
        )
    return "csv"


def table_read(content: bytes, *, expected_columns: Sequence[str]) -> Table:
    """The header and a stream of rows of `content`; raises FileRefusedError."""
    if not content.strip():
        raise FileRefusedError("empty_file", _("The file is empty."))
    limit = max_file_bytes()
    if len(content) > limit:
        raise FileRefusedError(
            "file_too_large",
            _("The file is larger than %(limit)d MB. Split it into smaller files.")
            % {"limit": limit // (1024 * 1024)},
        )
    if file_format(content) == "xlsx":
        return _xlsx_read(content)
    return _csv_read(content, expected_columns)


# CSV ------------------------------------------------------------------------------------------


def _csv_decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            raise FileRefusedError(
                "invalid_encoding", _("The file starts as UTF-16 text but is not valid UTF-16.")
            ) from None
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise FileRefusedError(
            "invalid_encoding",
            _(
                "The file is not UTF-8 text (line %(line)d holds a character in another "
                "encoding, for example Windows-1257). Save it as 'CSV UTF-8' or as XLSX and "
                "upload it again; nothing was stored."
            )
            % {"line": line},
        ) from None
    if "\x00" in text:
        raise FileRefusedError(
            "invalid_encoding",
            _("The file holds NUL characters: it is not a CSV text file. Save it as CSV UTF-8."),
        )
    return text


def _separator(first_line: str, expected_columns: Sequence[str]) -> str:
    """The separator that splits the header into the most known column names (then the most
    columns): a Lithuanian spreadsheet writes ';', most others ','."""
    expected = {name.lower() for name in expected_columns}

    def score(separator: str) -> tuple[int, int]:
        names = next(csv.reader([first_line], delimiter=separator), [])
        known = sum(1 for name in names if name.strip().lower() in expected)
        return known, len(names)

    return max(SEPARATORS, key=score)


def _csv_read(content: bytes, expected_columns: Sequence[str]) -> Table:
    text = _csv_decode(content)
    first_line = text.split("\n", 1)[0].rstrip("\r")
    separator = _separator(first_line, expected_columns)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise FileRefusedError(
            "invalid_header", _("The first line must be the header with the column names.")
        ) from exc
    return Table(format="csv", header=[name.strip() for name in header], rows=_csv_rows(reader))


def _csv_rows(reader: Any) -> Iterator[RawRow]:
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FileRefusedError(
                "malformed_csv",
                _(
                    "The CSV cannot be read after data row %(row)d (%(problem)s). Check the "
                    "quotes in that area; a quoted value must end with a quote."
                )
                % {"row": number, "problem": str(exc)},
            ) from None
        number += 1
        yield RawRow(number=number, cells=cells)


# XLSX -----------------------------------------------------------------------------------------


def _xlsx_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _xlsx_read(content: bytes) -> Table:
    try:
        workbook = load_workbook(
            io.BytesIO(content), read_only=True, data_only=False, keep_links=False
        )
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise FileRefusedError(
            "unreadable_xlsx", _("The file is not a readable XLSX workbook.")
        ) from exc
    if not workbook.worksheets:
        raise FileRefusedError("empty_file", _("The workbook has no sheet."))
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows()
    header_cells: tuple[Any, ...] = ()
    for cells in rows:
        if any(cell.value not in (None, "") for cell in cells):
            header_cells = cells
            break
    if not header_cells:
        workbook.close()
        raise FileRefusedError("empty_file", _("The first sheet of the workbook is empty."))
    header = [_xlsx_text(cell.value).strip() for cell in header_cells]
    while header and not header[-1]:
        header.pop()
    return Table(format="xlsx", header=header, rows=_xlsx_rows(workbook, rows))


def _xlsx_rows(workbook: Any, rows: Iterator[tuple[Any, ...]]) -> Iterator[RawRow]:
    number = 0
    try:
        for cells in rows:
            number += 1
            texts: list[str] = []
            problems: list[CellProblem] = []
            for index, cell in enumerate(cells):
                data_type = getattr(cell, "data_type", "n")
                if data_type == "f":
                    problems.append(
                        CellProblem(
                            index,
                            "formula",
                            _(
                                "Cell %(cell)s holds a formula; formulas are not evaluated. "
                                "Replace it with its value."
                            )
                            % {"cell": getattr(cell, "coordinate", "?")},
                        )
                    )
                    texts.append("")
                elif data_type == "e":
                    problems.append(
                        CellProblem(
                            index,
                            "error_value",
                            _("Cell %(cell)s holds a spreadsheet error value.")
                            % {"cell": getattr(cell, "coordinate", "?")},
                        )
                    )
                    texts.append("")
                else:
                    texts.append(_xlsx_text(cell.value))
            yield RawRow(number=number, cells=texts, problems=problems)
    except FileRefusedError:
        raise
    except Exception as exc:  # a damaged sheet fails deep inside the XML parser
        raise FileRefusedError(
            "unreadable_xlsx",
            _("The workbook cannot be read after data row %(row)d; it may be damaged.")
            % {"row": number},
        ) from exc
    finally:
        workbook.close()
