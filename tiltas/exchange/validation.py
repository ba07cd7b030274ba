"""Checking a whole file against a record kind, collecting every error in one pass.

Nothing here touches the database: a file is judged completely before anything is stored, and
the job's progress is reported as the rows go by."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from tiltas.exchange.readers import FileRefusedError, RawRow, Table, max_rows
from tiltas.exchange.registry import CellError, ParseContext, RecordKind

ProgressCallback = Callable[[int], None]
PROGRESS_EVERY_ROWS = 500
BLANK_ROW_GUARD_FACTOR = 10


@dataclass
class Validated:
    """The outcome of checking a file: the parsed records (in file order) and every error."""

    records: list[Any] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def header_errors(kind: RecordKind, header: list[str]) -> list[CellError]:
    """Unknown, repeated and missing columns. Every column of the template must be present
    (empty cells are fine): a missing column would otherwise blank that field on re-import."""
    errors: list[CellError] = []
    seen: set[str] = set()
    for position, raw_name in enumerate(header, start=1):
        name = raw_name.strip().lower()
        if not name:
            errors.append(
                CellError(0, "", "unnamed_column", _("Column %(n)d has no name.") % {"n": position})
            )
        elif name in seen:
            errors.append(
                CellError(0, raw_name, "duplicate_column", _("The column appears more than once."))
            )
        elif name not in kind.column_names:
            errors.append(
                CellError(
                    0,
                    raw_name,
                    "unknown_column",
                    _("Unknown column; the columns of %(kind)s are: %(columns)s.")
                    % {"kind": kind.name, "columns": ", ".join(kind.column_names)},
                )
            )
        seen.add(name)
    for column in kind.columns:
        if column.name not in seen:
            errors.append(
                CellError(
                    0,
                    column.name,
                    "missing_column",
                    _("The column is missing. Use the template; the column may stay empty.")
                    if not column.required
                    else _("The column is missing; it is required."),
                )
            )
    return errors


def rows_collect(table: Table) -> list[RawRow]:
    """The non-blank rows of `table`, refusing a file over the row limit before it fills memory
    (blank rows count towards a generous guard of their own: a sheet formatted far down)."""
    limit = max_rows()
    rows: list[RawRow] = []
    seen = 0
    for raw in table.rows:
        seen += 1
        if seen > BLANK_ROW_GUARD_FACTOR * limit:
            break
        if raw.is_blank:
            continue
        rows.append(raw)
        if len(rows) > limit:
            break
    if len(rows) > limit or seen > BLANK_ROW_GUARD_FACTOR * limit:
        raise FileRefusedError(
            "too_many_rows",
            _("The file has more than %(limit)d data rows. Split it into smaller files.")
            % {"limit": limit},
        )
    return rows


def table_validate(
    kind: RecordKind,
    header: list[str],
    rows: list[RawRow],
    context: ParseContext,
    *,
    on_progress: ProgressCallback | None = None,
) -> Validated:
    """Parse and check every row; `rows` are the non-blank rows from rows_collect."""
    outcome = Validated()
    outcome.errors.extend(header_errors(kind, header))
    if outcome.errors:
        # With the wrong columns every row would fail the same way: report the header alone.
        return outcome
    names = [name.strip().lower() for name in header]
    width = len(names)
    required = [column.name for column in kind.columns if column.required]
    seen_ids: dict[str, int] = {}
    for raw in rows:
        outcome.rows += 1
        row_errors: list[CellError] = []
        for problem in raw.problems:
            column = names[problem.index] if problem.index < width else ""
            row_errors.append(CellError(raw.number, column, problem.code, problem.message))
        extra = [cell for cell in raw.cells[width:] if cell.strip()]
        if extra:
            row_errors.append(
                CellError(
                    raw.number,
                    "",
                    "extra_cells",
                    _("The row has more cells than the header has columns."),
                )
            )
        cells = {
            name: (raw.cells[i].strip() if i < len(raw.cells) else "")
            for i, name in enumerate(names)
        }
        for name in required:
            if not cells[name]:
                row_errors.append(
                    CellError(raw.number, name, "required", _("This column must not be empty."))
                )
        record, parse_errors = kind.parse_row(cells, context)
        already = {(error.column, error.code) for error in row_errors}
        for error in parse_errors:
            if (error.column, "required") in already and error.column in required:
                continue  # the empty required cell is reported once
            row_errors.append(CellError(raw.number, error.column, error.code, error.message))
        if kind.external_id_column is not None:
            external_id = cells[kind.external_id_column]
            if external_id:
                first = seen_ids.setdefault(external_id, raw.number)
                if first != raw.number:
                    row_errors.append(
                        CellError(
                            raw.number,
                            kind.external_id_column,
                            "duplicate_external_id",
                            _("The same external id is already used on row %(row)d.")
                            % {"row": first},
                        )
                    )
        if row_errors:
            outcome.errors.extend(row_errors)
        elif record is not None:
            outcome.records.append(record)
        if on_progress is not None and outcome.rows % PROGRESS_EVERY_ROWS == 0:
            on_progress(outcome.rows)
    if outcome.rows == 0:
        outcome.errors.append(CellError(0, "", "no_rows", _("The file has no data rows.")))
    if on_progress is not None:
        on_progress(outcome.rows)
    return outcome
