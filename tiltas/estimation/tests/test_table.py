"""Capture-history CSV parsing: what is accepted, and the message for each kind of bad input."""

import numpy as np
import pytest

from tiltas.estimation.methods import CaptureTableError, capture_table_parse

pytestmark = pytest.mark.nodb


def _error(text: str) -> CaptureTableError:
    with pytest.raises(CaptureTableError) as caught:
        capture_table_parse(text)
    return caught.value


def test_table_keeps_lists_patterns_and_counts():
    table = capture_table_parse("A,B,C,count\n1,0,0,40\n0,1,0,30\n1,1,0,6\n0,0,1,0\n")
    assert table.lists == ("A", "B", "C")
    assert table.observed == 76
    full = table.full_counts()
    assert full.shape == (7,)
    # cell index = bit mask of the lists minus one: A -> 0, B -> 1, A+B -> 2, C -> 3
    assert full.tolist() == [40, 30, 6, 0, 0, 0, 0]


def test_blank_lines_and_spaces_around_values_are_ignored():
    table = capture_table_parse(" A , B ,count\n\n1, 0, 5\n0,1,2\n1,1,3\n\n")
    assert table.lists == ("A", "B")
    assert table.observed == 10


@pytest.mark.parametrize(
    ("text", "code", "line", "words"),
    [
        ("A,B,count\n1,0,5\n0,2,3\n", "not_binary", 3, 'list "B" must be 0 or 1, found "2"'),
        ("A,B,count\n1,0,-1\n", "bad_count", 2, '"-1"'),
        ("A,B,count\n1,0,1.5\n", "bad_count", 2, '"1.5"'),
        ("A,B,count\n1,0,many\n", "bad_count", 2, '"many"'),
        ("A,B,count\n1,0,5\n0,0,3\n", "all_zero_pattern", 3, "no list at all"),
        ("A,B,count\n1,0,5\n0,1,3\n1,0,2\n", "duplicate_pattern", 4, "line 2"),
        ("A,count\n1,5\n", "too_few_lists", 1, "at least 2 lists"),
        ("A,B,total\n1,0,5\n", "no_count_column", 1, '"count"'),
        ("A,A,count\n1,0,5\n", "duplicate_list", 1, '"A" appears twice'),
        ("A,B,count\n1,0\n", "wrong_field_count", 2, "expected 3 values, found 2"),
        ("A,B,count\n1,0,0\n", "no_one_observed", None, "no one"),
        ("", "empty", None, "empty"),
    ],
)
def test_bad_table_names_the_problem_and_the_line(text, code, line, words):
    error = _error(text)
    assert error.code == code
    assert error.line == line
    assert words in error.message


def test_more_than_ten_lists_are_refused():
    header = ",".join(f"L{i}" for i in range(11)) + ",count\n"
    row = ",".join(["1"] + ["0"] * 10) + ",3\n"
    assert _error(header + row).code == "too_many_lists"


def test_ten_lists_are_accepted():
    header = ",".join(f"L{i}" for i in range(10)) + ",count\n"
    rows = "".join(",".join("1" if j == i else "0" for j in range(10)) + ",2\n" for i in range(10))
    table = capture_table_parse(header + rows)
    assert table.full_counts().shape == (1023,)
    assert np.count_nonzero(table.full_counts()) == 10
