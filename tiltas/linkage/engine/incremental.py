"""Linking new records against existing clusters with a saved model, without retraining and
without comparing the existing records among themselves again (no Django)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from splink import Linker
from splink.backends.duckdb import DuckDBAPI

from .clustering import clusters_constrained
from .evidence import pairs_evidence
from .model import LinkageResult, LinkageSettings, _columns
from .standardise import StandardRecord

# The same floor as records_link: pairs below it are neither kept nor clustered.
PAIR_FLOOR = 0.5


def _term_frequency_columns(model: Mapping[str, Any]) -> list[str]:
    return sorted(
        {
            level["tf_adjustment_column"]
            for comparison in model["comparisons"]
            for level in comparison["comparison_levels"]
            if level.get("tf_adjustment_column")
        }
    )


def _rows(columns: Mapping[str, list[Any]], start: int, stop: int | None) -> dict[str, list[Any]]:
    return {name: values[start:stop] for name, values in columns.items()}


def _clusters_as_must_links(
    record_ids: Iterable[str], cluster_of: Mapping[str, str]
) -> list[tuple[str, str]]:
    """Each existing cluster as a chain of must-link pairs, whatever its keys are named."""
    first_of: dict[str, str] = {}
    links = []
    for rid in record_ids:
        cluster = cluster_of.get(rid)
        if cluster is None:
            continue
        if cluster in first_of:
            links.append((first_of[cluster], rid))
        else:
            first_of[cluster] = rid
    return links


def records_link_incremental(
    *,
    existing: Sequence[StandardRecord],
    cluster_of: Mapping[str, str],
    new: Sequence[StandardRecord],
    model: dict[str, Any],
    settings: LinkageSettings | None = None,
    must_link: Iterable[tuple[str, str]] = (),
    cannot_link: Iterable[tuple[str, str]] = (),
) -> LinkageResult:
    """Score new-vs-existing and new-vs-new pairs with the saved `model` and cluster them with
    the existing clusters kept whole (they only grow or merge). An existing cluster that holds
    a pair now decided different raises ConstraintConflict: that needs a full relink."""
    settings = settings or LinkageSettings()
    existing_ids = [record.record_id for record in existing]
    new_ids = [record.record_id for record in new]
    repeated = sorted(set(existing_ids) & set(new_ids))
    if repeated:
        raise ValueError(f"new records already linked: {', '.join(repeated[:10])}")
    pairs: list[tuple[str, str, float]] = []
    evidence = []
    if new and len(existing) + len(new) >= 2:
        db_api = DuckDBAPI()
        columns = _columns([*existing, *new])  # once: building the columns is not cheap
        everything = db_api.register(columns)
        linker = Linker(everything, model, log_level=logging.WARNING)
        # Term frequencies over all records, as a full relink would count them.
        for column in _term_frequency_columns(model):
            linker.table_management.compute_tf_table(column)
        new_table = db_api.register(_rows(columns, len(existing), None))
        predictions = []
        if existing:
            predictions.append(
                linker.inference.predict_between(
                    db_api.register(_rows(columns, 0, len(existing))),
                    new_table,
                    threshold_match_probability=PAIR_FLOOR,
                    warning_mode="never",
                )
            )
        if len(new) >= 2:
            predictions.append(
                linker.inference.predict_within(
                    new_table, threshold_match_probability=PAIR_FLOOR, warning_mode="never"
                )
            )
        for table in predictions:
            for row in table.as_record_list():
                left, right = str(row["record_id_l"]), str(row["record_id_r"])
                pairs.append((min(left, right), max(left, right), float(row["match_probability"])))
        pairs.sort()
        low, high = settings.review_band
        band = [pair for pair in pairs if low <= pair[2] < high]
        evidence = pairs_evidence(db_api=db_api, table=everything, model=model, pairs=band)
    clusters = clusters_constrained(
        [*existing_ids, *new_ids],
        pairs,
        threshold=settings.cluster_threshold,
        must_link=[*_clusters_as_must_links(existing_ids, cluster_of), *must_link],
        cannot_link=cannot_link,
    )
    return LinkageResult(clusters, pairs, settings, model=model, evidence=evidence)
