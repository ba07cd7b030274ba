import itertools

import pytest

from tiltas.lib.disclosure import count_withheld, table_suppress


def _hidden_values(values: list[int], hidden: list[bool]) -> list[int]:
    return [value for value, off in zip(values, hidden, strict=True) if off]


def _line_is_protected(values: list[int], hidden: list[bool], total_hidden: bool) -> bool:
    withheld = _hidden_values(values, hidden)
    if total_hidden:
        return bool(withheld) or not any(values)
    return not withheld or (len(withheld) >= 2 and sum(withheld) >= 5)


def test_small_counts_alone_are_withheld_and_zero_is_shown() -> None:
    assert [count_withheld(n, minimum=5) for n in (0, 1, 4, 5, 40)] == [
        False,
        True,
        True,
        False,
        False,
    ]


def test_a_single_small_cell_takes_the_next_smallest_with_it() -> None:
    # Total 52 is printed: hiding only the 3 would let anyone compute it as 52 - 49.
    result = table_suppress([[30, 3, 0, 12, 7]], minimum=5)
    assert result.cells == [[False, True, False, False, True]]
    assert result.grand_total is False


def test_two_small_cells_whose_sum_is_small_take_a_third() -> None:
    # 1 + 1 hidden with the total shown: the two must both be 1.
    result = table_suppress([[20, 1, 1, 9]], minimum=5)
    assert result.cells == [[False, True, True, True]]


def test_nothing_is_withheld_when_every_cell_is_large_enough() -> None:
    result = table_suppress([[20, 5], [6, 0]], minimum=5)
    assert result.cells == [[False, False], [False, False]]
    assert result.row_totals == [False, False]
    assert result.column_totals == [False, False]


def test_a_small_total_is_withheld_and_never_left_derivable() -> None:
    # Group "unknown" has 3 people: its total is withheld, and so is a cell of it, and the
    # other groups' totals hide a second total so that 3 = grand - shown totals is not printed.
    result = table_suppress([[10, 8], [12, 9], [2, 1]], minimum=5)
    assert result.row_totals[2] is True
    assert sum(result.row_totals) >= 2
    assert result.cells[2] == [True, True]


def test_every_line_of_random_tables_is_protected() -> None:
    # Exhaustive on small tables: whatever the counts, no row, column or margin line is left
    # with exactly one unknown, or with hidden cells of known small sum.
    values = (0, 1, 2, 4, 7)
    for flat in itertools.product(values, repeat=6):
        cells = [list(flat[0:3]), list(flat[3:6])]
        result = table_suppress(cells, minimum=5)
        for i, row in enumerate(cells):
            assert _line_is_protected(row, result.cells[i], result.row_totals[i]), cells
        for j in range(3):
            column = [row[j] for row in cells]
            hidden = [result.cells[i][j] for i in range(2)]
            assert _line_is_protected(column, hidden, result.column_totals[j]), cells
        column_totals = [sum(row[j] for row in cells) for j in range(3)]
        row_totals = [sum(row) for row in cells]
        assert _line_is_protected(column_totals, result.column_totals, result.grand_total)
        assert _line_is_protected(row_totals, result.row_totals, result.grand_total)
        for i, row in enumerate(cells):
            for j, value in enumerate(row):
                if 0 < value < 5:
                    assert result.cells[i][j], cells


@pytest.mark.parametrize(
    ("cells", "minimum", "message"),
    [
        ([[1, -1]], 5, "negative"),
        ([[1, 2], [3]], 5, "different lengths"),
        ([[1]], 0, "minimum"),
    ],
)
def test_bad_tables_are_refused_with_the_reason(
    cells: list[list[int]], minimum: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        table_suppress(cells, minimum=minimum)
