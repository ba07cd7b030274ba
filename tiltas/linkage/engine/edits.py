"""The "one typing error apart" test of the comparisons, written so that the database does the
least work for the same answer (no Django).

Two values are one typing error apart when their Damerau-Levenshtein distance is at most 1: one
letter changed, added or dropped, or two neighbouring letters exchanged. DuckDB's
damerau_levenshtein is about eight times as slow as its levenshtein, and scoring a million demo
records spent 64 of its 86 seconds in it. Levenshtein alone answers every case but the
exchange, whose Levenshtein distance is 2 between values of one length: only those pairs go on
to damerau_levenshtein. The answer is the same for every pair (tests/test_edits.py), so the
model's levels and figures do not change. Both DuckDB and Spark (through Splink's functions)
have the two functions.
"""

from __future__ import annotations

import splink.comparison_level_library as cll


def one_edit_apart_sql(left: str, right: str) -> str:
    """SQL true when the values `left` and `right` are at most one typing error apart (NULL
    when either is NULL)."""
    return (
        f"(levenshtein({left}, {right}) <= 1 OR (length({left}) = length({right}) "
        f"AND levenshtein({left}, {right}) = 2 AND damerau_levenshtein({left}, {right}) <= 1))"
    )


def one_edit_apart(column: str, *, label: str | None = None) -> cll.CustomLevel:
    """The comparison level of two values of `column` one typing error apart."""
    return cll.CustomLevel(
        one_edit_apart_sql(f"{column}_l", f"{column}_r"),
        label or f"{column}: one typing error apart",
    )
