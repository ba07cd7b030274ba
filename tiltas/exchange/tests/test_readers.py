import io

import pytest
from django.test import override_settings
from openpyxl import Workbook

from tiltas.exchange.readers import FileRefusedError, table_read
from tiltas.exchange.validation import rows_collect

pytestmark = pytest.mark.nodb

COLUMNS = ["external_id", "given_name", "family_name"]


def _read(content):
    table = table_read(content, expected_columns=COLUMNS)
    return table.header, [(row.number, row.cells, row.problems) for row in rows_collect(table)]


def _refusal(content):
    with pytest.raises(FileRefusedError) as caught:
        _read(content)
    return caught.value


def test_utf8_with_and_without_byte_order_mark_read_the_same():
    text = "external_id,given_name,family_name\r\nA1,Rūta,Šiaulienė\r\n"
    plain = _read(text.encode("utf-8"))
    with_bom = _read(text.encode("utf-8-sig"))
    assert plain == with_bom
    assert plain[0] == COLUMNS
    assert plain[1] == [(1, ["A1", "Rūta", "Šiaulienė"], [])]


def test_semicolon_separated_file_from_a_lithuanian_spreadsheet_is_read():
    header, rows = _read(b"external_id;given_name;family_name\nA1;Jonas;Petraitis, jr\n")
    assert header == COLUMNS
    assert rows[0][1] == ["A1", "Jonas", "Petraitis, jr"]


def test_utf16_with_byte_order_mark_is_read():
    text = "external_id\tgiven_name\tfamily_name\nA1\tОлена\tКоваленко\n"
    _, rows = _read(text.encode("utf-16"))
    assert rows[0][1] == ["A1", "Олена", "Коваленко"]


def test_windows_1257_file_is_refused_with_the_line_and_what_to_do():
    content = "external_id,given_name,family_name\nA1,Jonas,Petraitis\nA2,Rūta,Šiaulienė\n"
    refusal = _refusal(content.encode("cp1257"))
    assert refusal.code == "invalid_encoding"
    assert "line 3" in refusal.message
    assert "CSV UTF-8" in refusal.message


def test_mixed_encodings_are_refused():
    content = "external_id,given_name,family_name\nA1,Rūta,x\n".encode() + "A2,Šarūnas,y\n".encode(
        "cp1257"
    )
    assert _refusal(content).code == "invalid_encoding"


def test_blank_rows_are_skipped_but_keep_their_row_numbers():
    _, rows = _read(b"external_id,given_name,family_name\nA1,x,y\n,,\n\nA2,z,w\n")
    assert [number for number, _, _ in rows] == [1, 4]


def test_unterminated_quote_is_refused():
    assert _refusal(b'external_id,given_name\nA1,"open\n').code in {"malformed_csv"}


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty_file"),
        (b"   \n", "empty_file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "unsupported_format"),
        (b"PK\x03\x04broken", "unreadable_xlsx"),
        (b"external_id\x00,given_name\n", "invalid_encoding"),
    ],
)
def test_unreadable_files_are_refused_with_a_code(content, code):
    assert _refusal(content).code == code


@override_settings(EXCHANGE_MAX_FILE_BYTES=100)
def test_too_large_file_is_refused():
    assert _refusal(b"external_id\n" + b"A\n" * 100).code == "file_too_large"


@override_settings(EXCHANGE_MAX_ROWS=5)
def test_too_many_rows_is_refused():
    assert _refusal(b"external_id\n" + b"A\n" * 6).code == "too_many_rows"
    _read(b"external_id\n" + b"A\n" * 5)


def _xlsx(rows):
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_values_become_text_as_a_person_would_type_them():
    from datetime import date, datetime

    content = _xlsx(
        [
            ["external_id", "given_name", "family_name", "birth_year", "date_of_birth", "flag"],
            [1001, "Олена", "Коваленко", 1998.0, date(1998, 5, 21), True],
            ["A2", None, "x", 1990, datetime(1990, 1, 2, 0, 0), False],
        ]
    )
    header, rows = _read(content)
    assert header[:3] == COLUMNS
    assert rows[0][1] == ["1001", "Олена", "Коваленко", "1998", "1998-05-21", "true"]
    assert rows[1][1] == ["A2", "", "x", "1990", "1990-01-02", "false"]


def test_xlsx_formula_cells_are_refused_naming_the_cell_never_evaluated():
    content = _xlsx(
        [
            ["external_id", "given_name", "family_name"],
            ["A1", "Jonas", "Petraitis"],
            [None, None, None],
            ["A3", '=HYPERLINK("http://evil.example","x")', "Kazlauskas"],
        ]
    )
    _, rows = _read(content)
    assert [number for number, _, _ in rows] == [1, 3]
    _number, cells, problems = rows[1]
    assert cells[1] == ""
    assert len(problems) == 1
    assert problems[0].code == "formula"
    assert problems[0].index == 1
    assert "B4" in problems[0].message
