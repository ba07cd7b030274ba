"""What a reviewer sees of an uncertain pair: for each compared field, whether it agrees and how
strongly that pushes towards "same person", without any identifying value (no Django)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no type hints
from splink import Linker
from splink.internals.database_api import DatabaseAPISubClass
from splink.internals.splink_dataframe import SplinkDataFrame

from .clustering import Trait, probabilities_exclusive
from .term_frequencies import lookups_register

AGREEMENTS = ("agree", "similar", "disagree", "missing")


@dataclass(frozen=True)
class FieldEvidence:
    """One compared field of a pair: its agreement category and the level's log2 Bayes factor
    (term-frequency adjustment included)."""

    field: str
    agreement: str
    weight: float


@dataclass(frozen=True)
class PairEvidence:
    """A scored pair of records and the evidence of each compared field."""

    record_l: str
    record_r: str
    probability: float
    fields: tuple[FieldEvidence, ...]
    # The probability clustering used: the model's, divided by the odds of rival candidates
    # (clustering.probabilities_exclusive). A pair scored 0.6 can be kept apart by them.
    probability_with_rivals: float | None = None


def with_rivals(
    evidence: Sequence[PairEvidence],
    pairs: Sequence[tuple[str, str, float]],
    traits: Mapping[str, Trait],
) -> list[PairEvidence]:
    """`evidence` with the probability of each pair once its records' rival candidates among
    all scored `pairs` are counted, as clustering counted them."""
    if not evidence:
        return []
    adjusted = {
        (left, right): probability
        for left, right, probability in probabilities_exclusive(pairs, traits)
    }
    return [
        replace(item, probability_with_rivals=adjusted.get((item.record_l, item.record_r)))
        for item in evidence
    ]


def _agreement(gamma: int, top: int) -> str:
    # Splink numbers the levels of a comparison from the else level (0) up to the closest
    # agreement; the null level is -1.
    if gamma < 0:
        return "missing"
    if gamma == top:
        return "agree"
    return "similar" if gamma > 0 else "disagree"


def _top_levels(model: dict[str, Any]) -> dict[str, int]:
    return {
        comparison["output_column_name"]: sum(
            not level.get("is_null_level", False) for level in comparison["comparison_levels"]
        )
        - 1
        for comparison in model["comparisons"]
    }


def review_band_evidence(
    *,
    db_api: DatabaseAPISubClass,
    table: SplinkDataFrame,
    model: dict[str, Any],
    pairs: Sequence[tuple[str, str, float]],
    band: tuple[float, float],
    frequency_lookups: Mapping[str, pa.Table],
    traits: Mapping[str, Trait],
) -> list[PairEvidence]:
    """The evidence of the `pairs` scored within the review `band` [low, high), with their
    probability once rival candidates (by the records' `traits`) are counted."""
    low, high = band
    evidence = pairs_evidence(
        db_api=db_api,
        table=table,
        model=model,
        pairs=[pair for pair in pairs if low <= pair[2] < high],
        frequency_lookups=frequency_lookups,
    )
    return with_rivals(evidence, pairs, traits)


def pairs_evidence(
    *,
    db_api: DatabaseAPISubClass,
    table: SplinkDataFrame,
    model: dict[str, Any],
    pairs: Sequence[tuple[str, str, float]],
    frequency_lookups: Mapping[str, pa.Table],
) -> list[PairEvidence]:
    """Re-score just `pairs` of `table` with the trained `model` and the names' frequency
    lookups, keeping the level and the weight of every comparison (the main predict stays
    lean)."""
    if not pairs:
        return []
    linker = Linker(
        table,
        dict(model, retain_matching_columns=True, retain_intermediate_calculation_columns=True),
        log_level=logging.WARNING,
    )
    lookups_register(linker, db_api, frequency_lookups)
    blocked = db_api.register(
        {
            "match_key": ["0"] * len(pairs),
            "join_key_l": [left for left, _, _ in pairs],
            "join_key_r": [right for _, right, _ in pairs],
        }
    )
    linker.table_management.register_blocked_pairs_for_predict(blocked)
    top = _top_levels(model)
    found = {}
    for row in linker.inference.predict(warning_mode="never").as_record_list():
        found[(str(row["record_id_l"]), str(row["record_id_r"]))] = PairEvidence(
            record_l=str(row["record_id_l"]),
            record_r=str(row["record_id_r"]),
            probability=float(row["match_probability"]),
            fields=tuple(
                FieldEvidence(
                    field=name,
                    agreement=_agreement(int(row[f"gamma_{name}"]), highest),
                    weight=float(row[f"mw_{name}"]) + float(row.get(f"mw_tf_adj_{name}") or 0.0),
                )
                for name, highest in top.items()
            ),
        )
    return [found[(left, right)] for left, right, _ in pairs]
