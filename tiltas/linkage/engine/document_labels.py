"""m-probabilities learnt from the records that share an identity document number (no Django).

EM, blocked on the date of birth, cannot tell one person's records from namesakes born on the
same day: on the demo's 1,000,000 records it put 1.2 % of matches at "family names unlike", where
0.08 % of true matches fall, so that a different surname weighed 4 bits too little and namesakes
born on one day were joined. Records that share a passport or identity card number are one person
whatever their names and dates (the number is written from the document), so that the way their
other fields agree is the way a match's fields agree: the m-probabilities Splink estimates from
such a label column (`estimate_m_from_label_column`, its way of using a partial identifier).

The two estimates are blended, the model's (EM's, or a level's fixed prior) counting as
LABEL_PRIOR_PAIRS labelled pairs: a file with few shared numbers keeps EM's figures, one with
thousands takes the labels'. The levels of a date known only to its year keep their share
together (model.partial_share, counted on all records): labelled records rarely lack a full
date. The document comparison itself keeps EM's m (labels would say that a match always shares
its number), and a number held by more than DOCUMENT_LABEL_MAX_RECORDS records (a placeholder)
labels nothing. Plain records only: in privacy-preserving mode the numbers are keyed hash sets,
and the model keeps EM's figures.
"""

from __future__ import annotations

import copy
import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]  # pyarrow ships no type hints
from splink import Linker
from splink.internals.database_api import DatabaseAPISubClass

from .backends import arrow_table, table_register
from .comparisons import PARTIAL_DATE_LABELS
from .term_frequencies import lookups_register

LABEL_COLUMN = "document_first"
DOCUMENT_LABEL_MAX_RECORDS = 10
# The weight of the model's own m-probabilities against the labels', in labelled pairs.
LABEL_PRIOR_PAIRS = 200
# The comparison the labels come from: its m stays the model's.
LABELLING_COMPARISON = "document_number"


def labelled_rows(values: Sequence[str | None]) -> tuple[list[int], int]:
    """The rows whose document number is held by 2 to DOCUMENT_LABEL_MAX_RECORDS records, and
    the number of record pairs they label."""
    counts = Counter(value for value in values if value is not None)
    kept = {value for value, count in counts.items() if 2 <= count <= DOCUMENT_LABEL_MAX_RECORDS}
    rows = [row for row, value in enumerate(values) if value in kept]
    pairs = sum(counts[value] * (counts[value] - 1) // 2 for value in kept)
    return rows, pairs


def blended(model_m: float, label_m: float, pairs: int) -> float:
    """The model's m counted as LABEL_PRIOR_PAIRS pairs beside `pairs` labelled ones."""
    return (pairs * label_m + LABEL_PRIOR_PAIRS * model_m) / (pairs + LABEL_PRIOR_PAIRS)


def m_from_document_labels(
    *,
    db_api: DatabaseAPISubClass,
    columns: Mapping[str, Sequence[Any] | pa.Array],
    model: dict[str, Any],
    frequency_lookups: Mapping[str, pa.Table],
) -> dict[str, Any]:
    """`model` (trained) with each level's m-probability blended with the one of the pairs of
    records sharing a document number; unchanged when the file has none."""
    if LABEL_COLUMN not in columns:
        return model
    values = columns[LABEL_COLUMN]
    values = values.to_pylist() if isinstance(values, pa.Array) else list(values)
    rows, pairs = labelled_rows(values)
    if not pairs:
        return model
    table = table_register(db_api, arrow_table(columns).take(rows))
    # Every level learns from the labels, those whose m EM may not touch included (their
    # fixed priors stand for what EM cannot tell, which labels can); the levels start without
    # an m, so that one no labelled pair reached has none in the learnt model.
    unlearnt = copy.deepcopy(model)
    for comparison in unlearnt["comparisons"]:
        for level in comparison["comparison_levels"]:
            level.pop("fix_m_probability", None)
            level.pop("m_probability", None)
    linker = Linker(table, unlearnt, log_level=logging.WARNING)
    lookups_register(linker, db_api, frequency_lookups)
    linker.training.estimate_m_from_label_column(LABEL_COLUMN)
    learnt = linker.misc.save_model_to_json()
    result = copy.deepcopy(model)
    for comparison, labelled, model_comparison in zip(
        result["comparisons"], learnt["comparisons"], model["comparisons"], strict=True
    ):
        if comparison["output_column_name"] == LABELLING_COMPARISON:
            continue
        for level, label_level in zip(
            comparison["comparison_levels"], labelled["comparison_levels"], strict=True
        ):
            if level.get("is_null_level"):
                continue
            # A level EM never reached has no m: none, here; one neither reached keeps none
            # (Splink refuses an m of 0).
            m_probability = blended(
                float(level.get("m_probability", 0.0)),
                float(label_level.get("m_probability", 0.0)),
                pairs,
            )
            if m_probability > 0:
                level["m_probability"] = m_probability
        if comparison["output_column_name"] == "date_of_birth":
            _partial_share_kept(
                comparison["comparison_levels"], model_comparison["comparison_levels"]
            )
    return result


def _partial_share_kept(levels: list[dict[str, Any]], model_levels: list[dict[str, Any]]) -> None:
    """The levels of the date (blended) rescaled so that those of a date known only to its year
    weigh together what the model gave them: the share of the file's records without a full
    date (model.partial_share). The labelled records come from agencies that read the date
    off the document and rarely lack a full date, so that their share would underrate such
    matches (on 1,000,000 demo records the blend put 13 % of matches at these levels, where
    20 % of one person's record pairs fall); how one person's dates differ within each kind
    is still the labels'."""

    def partial(level: dict[str, Any]) -> bool:
        return level.get("label_for_charts") in PARTIAL_DATE_LABELS

    target = sum(float(level.get("m_probability", 0.0)) for level in model_levels if partial(level))
    weighed = [
        level for level in levels if not level.get("is_null_level") and "m_probability" in level
    ]
    have = sum(level["m_probability"] for level in weighed if partial(level))
    rest = sum(level["m_probability"] for level in weighed if not partial(level))
    if not (0 < target < 1 and have > 0 and rest > 0):
        return
    for level in weighed:
        level["m_probability"] *= target / have if partial(level) else (1 - target) / rest
