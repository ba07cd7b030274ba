"""The parts of the linkage model that compare addresses (address.py's keys, the postcode and the
locality) and block on them, used only when a file has those columns (no Django).

Written with Splink's level library and SQL that DuckDB and Spark both have, as model.py is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl

from .edits import one_edit_apart, one_edit_apart_sql
from .standardise import StandardRecord

if TYPE_CHECKING:
    from .pprl import EncodedRecord  # pprl builds on model.py, which imports this module

ADDRESS_COLUMNS = ("address_key", "address_street", "address_street_prefix", "address_words",
                   "address_number")  # fmt: skip
OPTIONAL_COLUMNS = (*ADDRESS_COLUMNS, "postcode", "locality")

# Each rule pairs a narrow place key (postcode, the first letters of the street) with a second
# key, or asks for the same address words, so that a true pair whose names are both mistyped or
# replaced is still a candidate, while a whole postcode or street never forms one block. No rule
# on the locality: a city holds too many people to pair them by one more key. FEBRL4: blocking
# recall 0.923 -> 0.9988, candidate pairs 11,645 -> 14,447. Rules as model.BLOCKING_RULES
# writes them: conjunctions of (left column, right column) equalities.
ADDRESS_BLOCKING_RULES: tuple[tuple[tuple[str, str], ...], ...] = tuple(
    tuple((column, column) for column in rule)
    for rule in (
        ("postcode", "address_street_prefix"),
        ("postcode", "address_number"),
        ("address_number", "address_street_prefix"),
        ("postcode", "dob_year"),
        ("address_street_prefix", "dob_year"),
        ("address_words",),
    )
)


def address_columns_present(records: Sequence[StandardRecord]) -> frozenset[str]:
    """The optional columns that some record fills; the address columns all come from one
    address and are present together (one scan of a large file for them, not five)."""
    present = {name for name in ("postcode", "locality") if any(getattr(r, name) for r in records)}
    if any(record.address_key for record in records):
        present.update(ADDRESS_COLUMNS)
    return frozenset(present)


def address_blocking_rules(present: frozenset[str]) -> list[tuple[tuple[str, str], ...]]:
    """The address blocking rules whose optional columns are all `present`."""
    return [
        rule
        for rule in ADDRESS_BLOCKING_RULES
        if all(column in present for pair in rule for column in pair if column in OPTIONAL_COLUMNS)
    ]


def _similar_street(threshold: float) -> cll.Or:
    # The street's letters in their order, or its words in alphabetical order: agencies write
    # the street and the building or place name in either order.
    return cll.Or(
        cll.JaroWinklerLevel("address_street", threshold),
        cll.JaroWinklerLevel("address_words", threshold),
    )


def _address_comparison() -> cl.CustomComparison:
    """The one-line address: its keys ignore spaces (address.py), so that a space typed or
    dropped is no difference; a house number missing on one side leaves the street to compare."""
    return cl.CustomComparison(
        output_column_name="address",
        comparison_levels=[
            cll.NullLevel("address_key"),
            cll.ExactMatchLevel("address_key", term_frequency_adjustments=True),
            # The length test first: most pairs differ in length by more than one.
            cll.CustomLevel(
                "abs(length(address_key_l) - length(address_key_r)) <= 1 AND "
                + one_edit_apart_sql("address_key_l", "address_key_r"),
                "one typing error",
            ),
            cll.And(cll.ExactMatchLevel("address_number"), _similar_street(0.9)).configure(
                label_for_charts="same house number, similar street"
            ),
            cll.Or(
                cll.ExactMatchLevel("address_street"), cll.ExactMatchLevel("address_words")
            ).configure(label_for_charts="same street, other or missing house number"),
            _similar_street(0.9).configure(label_for_charts="similar street"),
            cll.And(cll.ExactMatchLevel("address_number"), _similar_street(0.8)).configure(
                label_for_charts="same house number, street alike"
            ),
            cll.ElseLevel(),
        ],
    )


def _place_comparison(column: str, *, close: float | None = None) -> cl.CustomComparison:
    """A postcode or a locality: equal (term-frequency weighted), one typing error apart, and
    for names of places (`close`) alike by Jaro-Winkler."""
    levels: list[Any] = [
        cll.NullLevel(column),
        cll.ExactMatchLevel(column, term_frequency_adjustments=True),
        one_edit_apart(column, label="one typing error"),
    ]
    if close is not None:
        levels.append(cll.JaroWinklerLevel(column, close))
    levels.append(cll.ElseLevel())
    return cl.CustomComparison(output_column_name=column, comparison_levels=levels)


def address_comparisons(present: frozenset[str]) -> list[Any]:
    """The comparisons of the address, the postcode and the locality that are `present`."""
    comparisons: list[Any] = []
    if "address_key" in present:
        comparisons.append(_address_comparison())
    if "postcode" in present:
        comparisons.append(_place_comparison("postcode"))
    if "locality" in present:
        comparisons.append(_place_comparison("locality", close=0.9))
    return comparisons


def place_keys(record: StandardRecord) -> frozenset[str]:
    """Keys of the place a record gives: two records share one when they give the same
    address (as written, or in another word order), the same house number on a street of the
    same first letters or in the same postcode, or a street of the same first letters in the
    same postcode."""
    return _place_keys(lambda name: getattr(record, name))


def place_keys_encoded(item: EncodedRecord) -> frozenset[str]:
    """place_keys from a record's keyed hashes (privacy-preserving mode): equal hashes are
    equal standardised values, so two records share a key exactly when their plain values
    would."""
    return _place_keys(item.tokens.get)


def _place_keys(value_of: Callable[[str], object]) -> frozenset[str]:
    parts = {
        "address": ("address_key",),
        "words": ("address_words",),
        "number street": ("address_number", "address_street_prefix"),
        "number postcode": ("address_number", "postcode"),
        "street postcode": ("address_street_prefix", "postcode"),
    }
    keys = []
    for name, fields in parts.items():
        values = [value_of(field) for field in fields]
        if None not in values:
            keys.append("\x1f".join((name, *(str(value) for value in values))))
    return frozenset(keys)
