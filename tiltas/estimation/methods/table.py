"""Capture-history tables: parsing, validation and the full table of 2^t - 1 cells."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cached_property
from itertools import combinations

import numpy as np
import numpy.typing as npt

MIN_LISTS = 2
MAX_LISTS = 10
COUNT_COLUMN = "count"

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


class CaptureTableError(ValueError):
    """A capture-history table that cannot be used, with the line of the file at fault."""

    def __init__(self, code: str, message: str, *, line: int | None = None) -> None:
        self.code = code
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}" if line is not None else message)


@dataclass(frozen=True)
class CaptureTable:
    """Counts of people per capture history; `patterns[r, i]` is 1 when row r is on list i."""

    lists: tuple[str, ...]
    patterns: npt.NDArray[np.int8]
    counts: IntArray

    @property
    def list_count(self) -> int:
        return len(self.lists)

    @property
    def observed(self) -> int:
        return int(self.counts.sum())

    @cached_property
    def row_cells(self) -> IntArray:
        """The cell index (bit mask of the lists, minus one) of every input row."""
        weights = 1 << np.arange(self.list_count, dtype=np.int64)
        return (self.patterns.astype(np.int64) @ weights) - 1

    def full_counts(self, row_counts: IntArray | None = None) -> IntArray:
        """Counts on all 2^t - 1 observable cells, zeros included (rows default to the table's)."""
        cells = np.zeros((1 << self.list_count) - 1, dtype=np.int64)
        cells[self.row_cells] = self.counts if row_counts is None else row_counts
        return cells

    def pair_name(self, pair: tuple[int, int]) -> str:
        return f"{self.lists[pair[0]]}:{self.lists[pair[1]]}"


def cell_membership(list_count: int) -> BoolArray:
    """Row c says which lists cell c (bit mask c + 1) is on."""
    masks = np.arange(1, 1 << list_count, dtype=np.int64)
    return ((masks[:, None] >> np.arange(list_count)) & 1).astype(bool)


def all_pairs(list_count: int) -> list[tuple[int, int]]:
    """Pairs of lists in the lexicographic order of the stepwise rule: (0,1), (0,2), ..."""
    return list(combinations(range(list_count), 2))


def _whole_number(text: str) -> int | None:
    stripped = text.strip()
    return int(stripped) if stripped.isascii() and stripped.isdigit() else None


def capture_table_parse(text: str) -> CaptureTable:
    """Parse and validate a capture-history CSV: one 0/1 column per list, then `count`."""
    rows = list(csv.reader(io.StringIO(text)))
    numbered = [
        (number, row) for number, row in enumerate(rows, start=1) if any(c.strip() for c in row)
    ]
    if not numbered:
        raise CaptureTableError("empty", "the file is empty; expected a header line")
    header_line, header = numbered[0]
    names = [name.strip() for name in header]
    if not names or names[-1].lower() != COUNT_COLUMN:
        raise CaptureTableError(
            "no_count_column",
            f'the last column must be "{COUNT_COLUMN}" (found "{names[-1] if names else ""}")',
            line=header_line,
        )
    lists = names[:-1]
    if len(lists) < MIN_LISTS:
        raise CaptureTableError(
            "too_few_lists",
            f"at least {MIN_LISTS} lists are needed before the count column, found {len(lists)}",
            line=header_line,
        )
    if len(lists) > MAX_LISTS:
        raise CaptureTableError(
            "too_many_lists",
            f"at most {MAX_LISTS} lists are supported, found {len(lists)}",
            line=header_line,
        )
    for position, name in enumerate(lists):
        if not name:
            raise CaptureTableError(
                "empty_list_name", f"list column {position + 1} has no name", line=header_line
            )
        if name in lists[:position]:
            raise CaptureTableError(
                "duplicate_list", f'list "{name}" appears twice in the header', line=header_line
            )
    patterns: list[list[int]] = []
    counts: list[int] = []
    seen: dict[tuple[int, ...], int] = {}
    for line, row in numbered[1:]:
        if len(row) != len(names):
            raise CaptureTableError(
                "wrong_field_count",
                f"expected {len(names)} values, found {len(row)}",
                line=line,
            )
        pattern: list[int] = []
        for name, value in zip(lists, row[:-1], strict=True):
            if value.strip() not in ("0", "1"):
                raise CaptureTableError(
                    "not_binary",
                    f'list "{name}" must be 0 or 1, found "{value.strip()}"',
                    line=line,
                )
            pattern.append(int(value.strip()))
        count = _whole_number(row[-1])
        if count is None:
            raise CaptureTableError(
                "bad_count",
                f'the count must be a whole number of 0 or more, found "{row[-1].strip()}"',
                line=line,
            )
        if not any(pattern):
            raise CaptureTableError(
                "all_zero_pattern",
                "the pattern with no list at all cannot be observed; remove this row",
                line=line,
            )
        key = tuple(pattern)
        if key in seen:
            raise CaptureTableError(
                "duplicate_pattern",
                f"this pattern already appears on line {seen[key]}",
                line=line,
            )
        seen[key] = line
        patterns.append(pattern)
        counts.append(count)
    if sum(counts) == 0:
        raise CaptureTableError("no_one_observed", "the table has no one on any list")
    return CaptureTable(
        lists=tuple(lists),
        patterns=np.array(patterns, dtype=np.int8).reshape(len(patterns), len(lists)),
        counts=np.array(counts, dtype=np.int64),
    )
