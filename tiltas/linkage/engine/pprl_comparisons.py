"""The Splink model of a linkage in which some records are only encodings (see pprl.py).

Every record, plain or encoded, is compared on its keyed hashes wherever the plain model tests
equality (equal hashes are equal standardised values), so exact, swapped-name, phonetic and
date levels mean the same for every pair and the term frequencies count every record. Only the
fuzzy name levels differ: a pair of two plain records keeps the plain model's edit-distance and
Jaro-Winkler levels on the plain keys, a pair involving an encoded record falls through them
(its plain keys are unknown) to Dice-similarity levels on the Bloom filters, with their own
trained probabilities. Document numbers are compared as sets of keyed hashes, with the plain
model's levels. Blocking uses the keyed blocking keys for every record, which gives the plain
rules' candidate pairs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no type hints
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator
from splink.blocking_rule_library import CustomRule

from .blocking import pairs_agreeing
from .comparisons import (
    PARTIAL_DATE_LABELS,
    date_comparison_fixed,
    documents_comparison,
    name_exact_level,
    names_swapped_level,
    source_comparison,
)
from .edits import one_edit_apart
from .model import (
    BLOCKING_RULES,
    DETERMINISTIC_RULE,
    EM_BLOCKS,
    EM_MIN_PAIRS,
    TERM_FREQUENCY_NAMES,
    LinkageInput,
    match_prior,
    partial_share_of,
)
from .pprl import (
    BLOCK_FIELDS,
    BLOOM_FIELDS,
    DATE_NEAR_TOKENS,
    TOKEN_FIELDS,
    TOKEN_SET_FIELDS,
    EncodedRecord,
    blocking_columns,
    encodings_by_record,
)
from .standardise import StandardRecord
from .term_frequencies import NameFrequencies, frequencies_within

# Dice similarity of bigram Bloom filters at which a pair of names counts as close / as alike
# (one typo in a six-letter key leaves about 0.7). With every record of persons-20k encoded,
# pairwise F1 was 0.9755 at 0.75 / 0.55, 0.9740 at 0.7 / 0.5, 0.9741 at 0.75 / 0.6, 0.9715 at
# 0.8 / 0.6, 0.9702 at 0.85 / 0.65, and 0.9731 with a third level (0.8, 0.7 / 0.55).
DICE_CLOSE = 0.75
DICE_ALIKE = 0.55
PLAIN_COLUMNS = ("given_key", "family_stem", "locality")
# True for a record the linkage knows only by its encoding.
ENCODED_ONLY = "pprl"
_ENCODED_PAIR = f"({ENCODED_ONLY}_l OR {ENCODED_ONLY}_r)"


def _enc(name: str) -> str:
    return f"enc_{name}"


def _bloom(name: str) -> str:
    return f"bloom_{name}"


def _dice_level(field: str, threshold: float) -> cll.CustomLevel:
    left, right = f"{_bloom(field)}_l::BIT", f"{_bloom(field)}_r::BIT"
    return cll.CustomLevel(
        f"{_ENCODED_PAIR} AND 2 * bit_count({left} & {right}) "
        f">= {threshold} * (bit_count({left}) + bit_count({right}))",
        f"encodings: Dice >= {threshold}",
    )


def _name_comparison(output: str, key: str, stem: str | None, phonetic: str) -> cl.CustomComparison:
    fuzzy = stem or key
    levels: list[Any] = [
        cll.NullLevel(_enc(key)),
        name_exact_level(_enc(key)),
    ]
    if stem is not None:
        levels.append(name_exact_level(_enc(stem), label="same stem (gender form)"))
    levels += [
        names_swapped_level(_enc),
        one_edit_apart(fuzzy),
        cll.JaroWinklerLevel(fuzzy, 0.9),
        _dice_level(fuzzy, DICE_CLOSE),
        cll.ExactMatchLevel(_enc(phonetic)).configure(label_for_charts="same sound"),
        cll.JaroWinklerLevel(fuzzy, 0.8),
        _dice_level(fuzzy, DICE_ALIKE),
        cll.ElseLevel(),
    ]
    return cl.CustomComparison(comparison_levels=levels, output_column_name=output)


def _equal(name: str) -> str:
    return f"{_enc(name)}_l = {_enc(name)}_r"


def _either_way(left: str, right: str) -> str:
    return f"({_enc(left)}_l = {_enc(right)}_r OR {_enc(right)}_l = {_enc(left)}_r)"


def _date_comparison(partial_share: float) -> cl.CustomComparison:
    """The plain model's date levels, each tested on keyed hashes of date parts."""
    same_year = _equal("dob_year")
    month_l, month_r = f"{_enc('dob_year_month')}_l", f"{_enc('dob_year_month')}_r"
    levels: list[Any] = [
        cll.CustomLevel(_equal("dob"), "exact date"),
        cll.CustomLevel(_either_way("dob", "dob_swapped"), "day and month swapped"),
        cll.CustomLevel(
            "(" + " OR ".join(_equal(name) for name in DATE_NEAR_TOKENS) + ")", "one digit off"
        ),
        cll.CustomLevel(_either_way("dob", "dob_next_year"), "year off by one"),
        cll.CustomLevel(
            f"{same_year} AND ({month_l} IS NULL OR {month_r} IS NULL OR {month_l} = {month_r})",
            "same year, compatible month",
        ),
        cll.CustomLevel(
            f"{same_year} AND {_either_way('dob', 'dob_january_first')}",
            "same year, one date a 1 January default",
        ),
        cll.CustomLevel(same_year, "same year"),
        cll.CustomLevel(_either_way("dob_year", "dob_year_next"), "year within one"),
        cll.ElseLevel(),
    ]
    # Only a year for one of them (no full-date hash): as in the plain model, right after the
    # exact date.
    partial = f"({_enc('dob')}_l IS NULL OR {_enc('dob')}_r IS NULL)"
    within_one = _either_way("dob_year", "dob_year_next")
    within_three = " OR ".join(
        [
            within_one,
            _either_way("dob_year", "dob_year_plus_2"),
            _either_way("dob_year", "dob_year_plus_3"),
        ]
    )
    levels[1:1] = [
        cll.CustomLevel(f"{partial} AND {same_year}", PARTIAL_DATE_LABELS[0]),
        cll.CustomLevel(f"{partial} AND {within_one}", PARTIAL_DATE_LABELS[1]),
        cll.CustomLevel(f"{partial} AND ({within_three})", PARTIAL_DATE_LABELS[2]),
    ]
    return date_comparison_fixed(levels, partial_share, year=_enc("dob_year"))


def _exact_comparison(name: str, *, term_frequencies: bool) -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name=name,
        comparison_levels=[
            cll.NullLevel(_enc(name)),
            cll.ExactMatchLevel(_enc(name), term_frequency_adjustments=term_frequencies),
            cll.ElseLevel(),
        ],
    )


def _locality_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="locality",
        comparison_levels=[
            cll.NullLevel(_enc("locality")),
            cll.ExactMatchLevel(_enc("locality"), term_frequency_adjustments=True),
            cll.JaroWinklerLevel("locality", 0.9),
            _dice_level("locality", DICE_CLOSE),
            cll.ElseLevel(),
        ],
    )


def _address_comparison() -> cl.CustomComparison:
    """The plain model's address levels that keyed hashes can test: the same address, the same
    house number on a street of the same first letters, the same street (its edit-distance and
    Jaro-Winkler levels need the plain text)."""
    return cl.CustomComparison(
        output_column_name="address",
        comparison_levels=[
            cll.NullLevel(_enc("address_key")),
            cll.ExactMatchLevel(_enc("address_key"), term_frequency_adjustments=True),
            cll.And(
                cll.ExactMatchLevel(_enc("address_number")),
                cll.ExactMatchLevel(_enc("address_street_prefix")),
            ).configure(label_for_charts="same house number, street of the same first letters"),
            cll.Or(
                cll.ExactMatchLevel(_enc("address_street")),
                cll.ExactMatchLevel(_enc("address_words")),
            ).configure(label_for_charts="same street, other or missing house number"),
            cll.ElseLevel(),
        ],
    )


def _settings(
    *,
    prior: float,
    partial_share: float,
    with_postcode: bool,
    with_locality: bool,
    with_address: bool = False,
    with_documents: bool = False,
) -> SettingsCreator:
    comparisons: list[Any] = [
        _name_comparison("given_name", "given_key", None, "given_phonetic"),
        _name_comparison("family_name", "family_key", "family_stem", "family_phonetic"),
        _date_comparison(partial_share),
        _exact_comparison("sex", term_frequencies=False),
        _exact_comparison("citizenship", term_frequencies=True),
        source_comparison(),
    ]
    if with_postcode:
        comparisons.append(_exact_comparison("postcode", term_frequencies=True))
    if with_locality:
        comparisons.append(_locality_comparison())
    if with_address:
        comparisons.append(_address_comparison())
    if with_documents:
        comparisons.append(documents_comparison(_enc("document_numbers")))
    blocking: list[Any] = [
        CustomRule(f"l.{left} = r.{right}")
        for left, right in (blocking_columns(index) for index in range(len(BLOCKING_RULES)))
    ]
    return SettingsCreator(
        link_type="dedupe_only",
        probability_two_random_records_match=prior,
        unique_id_column_name="record_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking,
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def _columns(
    records: Sequence[StandardRecord], encoded: Sequence[EncodedRecord]
) -> dict[str, list[Any]]:
    """One row per record: plain records first, with their plain fuzzy-comparison keys and
    their encodings, then the records known only by their encodings."""
    encoding_of = encodings_by_record(encoded)
    unencoded = [record.record_id for record in records if record.record_id not in encoding_of]
    if unencoded:
        raise ValueError(
            f"encoded: {len(unencoded)} plain record(s) without their encoding, such as "
            f"{unencoded[0]!r}: plain records are compared with encoded ones on encodings"
        )
    plain_ids = {record.record_id for record in records}
    rows: list[tuple[StandardRecord | None, EncodedRecord]] = [
        (record, encoding_of[record.record_id]) for record in records
    ]
    rows += [(None, item) for item in encoded if item.record_id not in plain_ids]
    columns: dict[str, list[Any]] = {
        "record_id": [item.record_id for _, item in rows],
        "source": [item.source or None for _, item in rows],
        ENCODED_ONLY: [record is None for record, _ in rows],
    }
    for name in PLAIN_COLUMNS:
        columns[name] = [None if record is None else getattr(record, name) for record, _ in rows]
    for name in TOKEN_FIELDS:
        columns[_enc(name)] = [item.tokens.get(name) for _, item in rows]
    for name in TOKEN_SET_FIELDS:
        columns[_enc(name)] = [item.token_sets.get(name) for _, item in rows]
    for name in BLOOM_FIELDS:
        columns[_bloom(name)] = [item.blooms.get(name) for _, item in rows]
    for name in BLOCK_FIELDS:
        columns[name] = [item.blocks.get(name) for _, item in rows]
    return columns


def encoded_name_frequencies(columns: Mapping[str, Sequence[Any] | pa.Array]) -> NameFrequencies:
    """The term frequencies of the names' keyed hashes within their citizenship's, as the
    plain model counts the names (term_frequencies.py)."""
    return frequencies_within(
        columns,
        names=[_enc(name) for name in TERM_FREQUENCY_NAMES],
        condition=_enc("citizenship"),
    )


def pprl_input(records: Sequence[StandardRecord], encoded: Sequence[EncodedRecord]) -> LinkageInput:
    """The table, Splink settings and EM blocks of a linkage of plain records (each with its
    encoding in `encoded`) and of records known only by their encodings."""
    columns = _columns(records, encoded)
    # The prior and the EM blocks as the plain model counts them, on the keyed hashes.
    hashed = sorted(
        {_enc(name) for name in (*DETERMINISTIC_RULE, *(n for b in EM_BLOCKS for n in b))}
    )
    keys = pa.table({name: columns[name] for name in hashed})
    prior = match_prior(keys, [_enc(name) for name in DETERMINISTIC_RULE])
    em_blocks = [
        tuple(_enc(name) for name in block)
        for block in EM_BLOCKS
        if pairs_agreeing(keys, [_enc(name) for name in block]) >= EM_MIN_PAIRS
    ]
    years = [value is not None for value in columns[_enc("dob_year")]]
    full_dates = [value is not None for value in columns[_enc("dob")]]
    share = partial_share_of(
        dated=sum(years),
        partial=sum(year and not full for year, full in zip(years, full_dates, strict=True)),
    )
    settings = _settings(
        prior=prior,
        partial_share=share,
        with_postcode=any(columns[_enc("postcode")]),
        with_locality=any(columns[_enc("locality")]),
        with_address=any(columns[_enc("address_key")]),
        with_documents=any(columns[_enc("document_numbers")]),
    )
    frequencies = encoded_name_frequencies(columns)
    table: dict[str, Sequence[Any] | pa.Array] = {**columns, **frequencies.columns}
    return LinkageInput(columns["record_id"], table, settings, em_blocks, frequencies.lookups)
