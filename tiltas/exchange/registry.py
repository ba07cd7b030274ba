"""The record kinds the exchange framework can import: one declaration per kind.

A domain app declares its kinds in `<app>/imports.py` (found by `kinds_autodiscover`, called from
this app's ready()): the columns with their descriptions and examples, a parser that turns one
row of text cells into the domain's input value (or names what is wrong with each cell), and a
store function that writes validated values in bulk. Everything else (reading CSV and XLSX,
headers, required cells, duplicate external ids, dry runs, all-or-nothing, progress, error
reports, templates, audit summary) is the framework's and is the same for every kind."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

from tiltas.accounts.models import Organisation
from tiltas.accounts.roles import Permission


@dataclass(frozen=True)
class Column:
    name: str
    description: str | Promise
    example: str = ""
    required: bool = False


@dataclass(frozen=True)
class CellError:
    """One problem in a file: `row` is the 1-based data row (0: the header or the file as a
    whole), `column` the column name ("" when it concerns the whole row or file)."""

    row: int
    column: str
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}


@dataclass(frozen=True)
class ColumnError:
    """A parser's finding for one cell of the row it was given."""

    column: str
    code: str
    message: str


@dataclass(frozen=True)
class ParseContext:
    """What a row parser may need besides the row: the importing organisation and today's date
    (fixed once per import, so a file straddling midnight is judged consistently)."""

    organisation: Organisation
    today: date


@dataclass(frozen=True)
class StoreCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: StoreCounts) -> StoreCounts:
        return StoreCounts(
            created=self.created + other.created,
            updated=self.updated + other.updated,
            unchanged=self.unchanged + other.unchanged,
        )


RowParser = Callable[[Mapping[str, str], ParseContext], tuple[Any | None, list[ColumnError]]]
# store(actor=, organisation=, records=, purpose=) -> StoreCounts. It runs inside the import's
# single transaction and may be called several times with consecutive slices of the file (for
# progress), so it must be idempotent by external id and must not assume it sees every record.
RecordStore = Callable[..., StoreCounts]


@dataclass(frozen=True)
class RecordKind:
    name: str
    label: str | Promise
    description: str | Promise
    columns: tuple[Column, ...]
    parse_row: RowParser
    store: RecordStore
    # Who may import this kind (the importing user needs it in the owner organisation).
    permission: str = Permission.PERSONAL_IMPORT
    # The column holding the owner's stable id: must be unique within one file.
    external_id_column: str | None = "external_id"
    # Rows handed to `store` at once; None: the whole file in one call.
    store_batch_size: int | None = 1000
    column_names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        names = tuple(column.name for column in self.columns)
        if len(set(names)) != len(names):
            raise ValueError(f"record kind {self.name!r} declares a column twice")
        if self.external_id_column is not None and self.external_id_column not in names:
            raise ValueError(f"record kind {self.name!r} lacks its external id column")
        object.__setattr__(self, "column_names", names)


class UnknownRecordKindError(LookupError):
    pass


_KINDS: dict[str, RecordKind] = {}


def kind_register(kind: RecordKind) -> RecordKind:
    """Make `kind` importable (re-registering the same name replaces it, for module reloads)."""
    _KINDS[kind.name] = kind
    return kind


def kind_get(name: str) -> RecordKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise UnknownRecordKindError(name) from None


def kinds_all() -> Sequence[RecordKind]:
    """Every registered kind, by name."""
    return [_KINDS[name] for name in sorted(_KINDS)]


def kinds_autodiscover() -> None:
    """Import every installed app's `imports` module, where kinds register themselves."""
    autodiscover_modules("imports")
