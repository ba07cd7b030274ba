"""The fast "one typing error apart" test gives DuckDB's damerau_levenshtein(a, b) <= 1 for
every pair, and both agree with the definition."""

import random
import string

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]

from tiltas.linkage.engine.edits import one_edit_apart_sql


def _one_edit_apart_by_definition(a: str, b: str) -> bool:
    """Equal, or one letter changed, added, dropped, or two neighbours exchanged."""
    if a == b:
        return True
    if len(a) > len(b):
        a, b = b, a
    prefix = 0
    while prefix < len(a) and a[prefix] == b[prefix]:
        prefix += 1
    if len(b) == len(a) + 1:
        return a[prefix:] == b[prefix + 1 :]
    if len(b) != len(a):
        return False
    changed = a[prefix + 1 :] == b[prefix + 1 :]
    exchanged = (
        prefix + 1 < len(a)
        and a[prefix] == b[prefix + 1]
        and a[prefix + 1] == b[prefix]
        and a[prefix + 2 :] == b[prefix + 2 :]
    )
    return changed or exchanged


def _edited(text: str, rng: random.Random, alphabet: str) -> str:
    position = rng.randrange(len(text) + 1)
    kind = rng.choice(("change", "add", "drop", "exchange"))
    if kind == "add" or not text:
        return text[:position] + rng.choice(alphabet) + text[position:]
    position = min(position, len(text) - 1)
    if kind == "change":
        return text[:position] + rng.choice(alphabet) + text[position + 1 :]
    if kind == "drop":
        return text[:position] + text[position + 1 :]
    if position + 1 >= len(text):
        return text
    return text[:position] + text[position + 1] + text[position] + text[position + 2 :]


def _pairs() -> list[tuple[str, str]]:
    rng = random.Random(7)
    pairs = [("", ""), ("", "a"), ("a", ""), ("a", "b"), ("ab", "ba"), ("aab", "aba"),
             ("abc", "cba"), ("abcd", "badc"), ("ab", "abc"), ("abc", "acb"),
             ("ca", "abc")]  # fmt: skip
    # A small alphabet makes repeated letters, near-misses and chance equalities common.
    for alphabet in ("ab", "abc", string.ascii_lowercase):
        for _ in range(4000):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 9)))
            other = text
            for _ in range(rng.choice((0, 1, 2, 3))):
                other = _edited(other, rng, alphabet)
            pairs.append((text, other))
    return pairs


def test_the_fast_test_answers_as_damerau_levenshtein_and_the_definition() -> None:
    pairs = _pairs()
    connection = duckdb.connect()
    table = pa.table({"a": [a for a, _ in pairs], "b": [b for _, b in pairs]})
    connection.register("pairs", table)
    rows = connection.execute(
        f"SELECT a, b, {one_edit_apart_sql('a', 'b')}, damerau_levenshtein(a, b) <= 1 "  # noqa: S608 - our own SQL
        "FROM pairs"
    ).fetchall()
    assert len(rows) == len(pairs)
    disagreements = [(a, b) for a, b, fast, slow in rows if fast != slow]
    assert disagreements == []
    wrong = [(a, b) for a, b, fast, _ in rows if fast != _one_edit_apart_by_definition(a, b)]
    assert wrong == []
    # Both answers occur often, so the comparison means something.
    apart = sum(1 for *_, fast, _ in rows if fast)
    assert 0.2 * len(rows) < apart < 0.8 * len(rows)


def test_a_missing_value_is_never_one_edit_apart() -> None:
    connection = duckdb.connect()
    test = one_edit_apart_sql("a", "b")
    [(answer,)] = connection.execute(
        f"SELECT coalesce({test}, false) FROM (SELECT 'abc' AS a, NULL AS b)"  # noqa: S608
    ).fetchall()
    assert answer is False
