"""Import templates: a file with the right header and one example row, so that nobody has to
guess column names. The XLSX template also carries a "columns" sheet that explains each column."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tiltas.exchange.exports import Cell, csv_bytes, csv_text, xlsx_bytes
from tiltas.exchange.registry import RecordKind

DATA_SHEET = "data"
COLUMNS_SHEET = "columns"


def template_rows(kind: RecordKind) -> list[list[Cell]]:
    """Header and example row."""
    return [
        list(kind.column_names),
        [column.example for column in kind.columns],
    ]


def template_csv_text(kind: RecordKind) -> str:
    return csv_text(template_rows(kind))


def template_csv_bytes(kind: RecordKind) -> bytes:
    return csv_bytes(template_rows(kind), bom=True)


def template_xlsx_bytes(kind: RecordKind) -> bytes:
    """The "data" sheet (header and example) and the "columns" sheet (name, required,
    description, example)."""
    descriptions: list[list[Cell]] = [[_("name"), _("required"), _("description"), _("example")]]
    for column in kind.columns:
        descriptions.append(
            [
                column.name,
                _("yes") if column.required else _("no"),
                str(column.description),
                column.example,
            ]
        )
    return xlsx_bytes([(DATA_SHEET, template_rows(kind)), (COLUMNS_SHEET, descriptions)])


def template_filename(kind: RecordKind, file_format: str) -> str:
    return f"tiltas-{kind.name}-template.{file_format}"
