"""Small-cell disclosure control for tables of counts of people (no Django).

A count of 1 to `minimum - 1` people can point at someone (in a small country, "one child
trafficked for forced labour found by the hotline" is a person), so such a cell is withheld
(primary suppression). Withholding it is not enough when the table prints its totals: the
hidden cell is then the total minus the shown cells, so further cells are withheld
(secondary, complementary suppression) until in every row and column the hidden cells are either
none, or at least two whose sum is at least `minimum` (no hidden cell can then be worked out
exactly, nor pinned to a small value), and a hidden total always has a hidden cell beside it.

Zero is shown: it says nobody, and the pattern of zeros is what estimation methods reason about.

The table is a matrix of groups (rows) by categories (columns) whose row totals, column totals
and grand total are printed too. A single table with its total is a one-row matrix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_MINIMUM_CELL = 5


@dataclass(frozen=True)
class Suppression:
    """Which cells of a table with margins are withheld (True = withheld)."""

    cells: list[list[bool]]
    row_totals: list[bool]
    column_totals: list[bool]
    grand_total: bool


def count_withheld(count: int, *, minimum: int) -> bool:
    """Whether a count printed on its own must be withheld (primary suppression)."""
    return 0 < count < minimum


def _line_protect(
    values: list[int], hidden: list[bool], total_hidden: bool, minimum: int
) -> tuple[bool, bool]:
    """Hide more cells of one line (a row or a column with its total) until it is protected:
    (whether anything was added, whether the total is now hidden). Cells are added smallest
    first (ties: leftmost), positive only; when no cell is left to add, the total is hidden."""
    changed = False
    while True:
        hidden_values = [value for value, off in zip(values, hidden, strict=True) if off]
        if total_hidden:
            # The total can be worked out from the cells unless one of them is hidden too.
            protected = bool(hidden_values) or not any(values)
        else:
            protected = not hidden_values or (
                len(hidden_values) >= 2 and sum(hidden_values) >= minimum
            )
        if protected:
            return changed, total_hidden
        candidates = [
            (value, i)
            for i, (value, off) in enumerate(zip(values, hidden, strict=True))
            if not off and value > 0
        ]
        if not candidates:
            # Only the total is left: hidden, the lone hidden cell cannot be worked out from it.
            return True, True
        _, index = min(candidates)
        hidden[index] = True
        changed = True


def table_suppress(cells: Sequence[Sequence[int]], *, minimum: int) -> Suppression:
    """The cells and totals of `cells` (rows of equal length, counts >= 0) to withhold."""
    if minimum < 1:
        raise ValueError(f"minimum: expected at least 1, got {minimum}")
    matrix = [list(row) for row in cells]
    width = len(matrix[0]) if matrix else 0
    if any(len(row) != width for row in matrix):
        raise ValueError("cells: rows of different lengths")
    if any(value < 0 for row in matrix for value in row):
        raise ValueError("cells: counts cannot be negative")
    row_totals = [sum(row) for row in matrix]
    column_totals = [sum(row[j] for row in matrix) for j in range(width)]
    grand = sum(row_totals)

    hidden = [[count_withheld(value, minimum=minimum) for value in row] for row in matrix]
    row_hidden = [count_withheld(total, minimum=minimum) for total in row_totals]
    column_hidden = [count_withheld(total, minimum=minimum) for total in column_totals]
    grand_hidden = count_withheld(grand, minimum=minimum)
    # Each pass protects every line; a cell hidden for a row can unprotect its column, so repeat
    # until nothing changes (a pass that changes anything hides one more cell or total, so it
    # ends).
    changed = True
    while changed:
        changed = False
        for i, row in enumerate(matrix):
            added, row_hidden[i] = _line_protect(row, hidden[i], row_hidden[i], minimum)
            changed |= added
        for j in range(width):
            column = [row[j] for row in matrix]
            column_mask = [hidden[i][j] for i in range(len(matrix))]
            added, column_hidden[j] = _line_protect(column, column_mask, column_hidden[j], minimum)
            if added:
                changed = True
                for i, off in enumerate(column_mask):
                    hidden[i][j] = off
        # The margins are themselves a row (the column totals) and a column (the row totals)
        # summing to the grand total.
        for margin, margin_hidden in ((column_totals, column_hidden), (row_totals, row_hidden)):
            added, grand_hidden = _line_protect(margin, margin_hidden, grand_hidden, minimum)
            changed |= added
    return Suppression(hidden, row_hidden, column_hidden, grand_hidden)


def breakdown_suppress(counts: dict[str, int], *, minimum: int) -> dict[str, int | None]:
    """The cells of a breakdown printed beside its total, with small cells withheld (None) and
    as many others as it takes that the total minus the shown cells gives none of them away.
    Also right for breakdowns whose cells overlap (a person in several cells): the hidden
    cells' sum is then only bounded, never known."""
    names = list(counts)
    suppression = table_suppress([[counts[name] for name in names]], minimum=minimum)
    return {
        name: None if hidden else counts[name]
        for name, hidden in zip(names, suppression.cells[0], strict=True)
    }
