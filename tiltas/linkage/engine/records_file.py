"""Reading the input file of `tiltas link` and writing its clusters (no Django).

Columns: record_id, source, given_name, family_name, date_of_birth (YYYY, YYYY-MM or
YYYY-MM-DD), sex (F, M or empty) and citizenship (ISO 3166 alpha-3) are required; address,
postcode, locality and document_number (identity document numbers, several separated by ';')
are optional.

Any value may be empty or wrong: an unreadable value becomes unknown and is reported as a
warning naming its row; only a missing or duplicated record_id refuses the file.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from tiltas.lib.names import DOCUMENT_NUMBER_WRITTEN

from .standardise import RawRecord, partial_date_parse

REQUIRED_COLUMNS = (
    "record_id",
    "source",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "citizenship",
)
OPTIONAL_COLUMNS = ("address", "postcode", "locality", "document_number")
SEX_VALUES = frozenset({"", "F", "M"})
DOCUMENT_SEPARATOR = ";"


class RecordsFileError(Exception):
    """The file cannot be linked at all; `problems` name the rows."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class RecordsFile:
    """The records of a file and the warnings about values treated as unknown."""

    records: list[RawRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class _Row:
    """One CSV row read by column name; a short row's missing cells are empty. Rows are read
    as lists (csv.DictReader's dict per row took a sixth of reading a million records)."""

    __slots__ = ("cells", "positions")

    def __init__(self, positions: Mapping[str, int], cells: list[str]) -> None:
        self.positions, self.cells = positions, cells

    def cell(self, column: str) -> str:
        position = self.positions.get(column)
        if position is None or position >= len(self.cells):
            return ""
        return self.cells[position].strip()


def records_parse(stream: TextIO) -> RecordsFile:
    """Parse a CSV stream (header first; row numbers count the header as row 1; blank lines
    are skipped)."""
    reader = csv.reader(stream)
    header = [name.strip() for name in next(reader, [])]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise RecordsFileError([f"row 1: missing column(s) {', '.join(missing)}"])
    # A column named twice is read from its last place.
    positions = {name: position for position, name in enumerate(header)}
    result = RecordsFile()
    problems: list[str] = []
    first_row_of: dict[str, int] = {}
    rows = (_Row(positions, cells) for cells in reader if cells)
    for number, row in enumerate(rows, start=2):
        record_id = row.cell("record_id")
        if not record_id:
            problems.append(f"row {number}: record_id is empty")
            continue
        if record_id in first_row_of:
            problems.append(
                f"row {number}: record_id {record_id!r} already used in row "
                f"{first_row_of[record_id]}"
            )
            continue
        first_row_of[record_id] = number
        result.records.append(_record(row, record_id, number, result.warnings))
    if problems:
        raise RecordsFileError(problems)
    return result


def _record(row: _Row, record_id: str, number: int, warnings: list[str]) -> RawRecord:
    try:
        date_of_birth = partial_date_parse(row.cell("date_of_birth"))
    except ValueError as exc:
        warnings.append(f"row {number}: date_of_birth treated as unknown ({exc})")
        date_of_birth = None
    sex = row.cell("sex").upper()
    if sex not in SEX_VALUES:
        warnings.append(f"row {number}: sex {sex!r} treated as unknown (expected F, M or empty)")
        sex = ""
    citizenship = row.cell("citizenship").upper()
    if citizenship and not (
        len(citizenship) == 3 and citizenship.isascii() and citizenship.isalpha()
    ):
        warnings.append(
            f"row {number}: citizenship {citizenship!r} treated as unknown "
            "(expected an ISO 3166 alpha-3 code)"
        )
        citizenship = ""
    documents = []
    for position, value in enumerate(row.cell("document_number").split(DOCUMENT_SEPARATOR), 1):
        value = value.strip()
        if DOCUMENT_NUMBER_WRITTEN.match(value):  # as people/identity.py accepts it
            documents.append(value)
        elif value:
            # Unlike the other warnings, without the value: a document number names a person.
            warnings.append(
                f"row {number}: document_number {position} treated as unknown (expected 1 to "
                "40 letters, digits, spaces, '-', '/' or '.'; several separated by ';')"
            )
    return RawRecord(
        record_id=record_id,
        source=row.cell("source"),
        given_name=row.cell("given_name"),
        family_name=row.cell("family_name"),
        date_of_birth=date_of_birth,
        sex=sex,
        citizenship=citizenship,
        address=row.cell("address"),
        postcode=row.cell("postcode"),
        locality=row.cell("locality"),
        document_numbers=tuple(documents),
    )


def records_read(path: Path) -> RecordsFile:
    """Read a UTF-8 CSV file of records (a byte-order mark is accepted)."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return records_parse(stream)


def clusters_write(
    stream: TextIO, *, record_ids: Iterable[str], cluster_of: Mapping[str, str]
) -> None:
    """Write `record_id,cluster_id` for every record, in input order."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["record_id", "cluster_id"])
    for record_id in record_ids:
        writer.writerow([record_id, cluster_of[record_id]])
