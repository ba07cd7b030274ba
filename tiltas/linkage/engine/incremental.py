"""Linking new records against existing clusters with a saved model, without retraining and
without comparing the existing records among themselves again (no Django).

In privacy-preserving mode (pprl.py) the saved model compares encodings: the table is built
as records_link builds it for that model (pprl_comparisons), and the records known only by
their encodings are existing or new by whether they are in the existing clusters."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from splink import Linker
from splink.backends.duckdb import DuckDBAPI

from .backends import table_register
from .birth_dates import birth_dates_of
from .blocking import model_uncapped
from .clustering import clusters_constrained
from .evidence import review_band_evidence
from .model import LinkageResult, LinkageSettings, _columns, name_frequencies, pairs_floor
from .pprl import EncodedRecord
from .pprl_comparisons import ENCODED_ONLY, encoded_name_frequencies
from .pprl_comparisons import _columns as _pprl_columns
from .standardise import StandardRecord
from .term_frequencies import lookups_register
from .traits import clustering_traits


def _term_frequency_columns(model: Mapping[str, Any]) -> list[str]:
    return sorted(
        {
            level["tf_adjustment_column"]
            for comparison in model["comparisons"]
            for level in comparison["comparison_levels"]
            if level.get("tf_adjustment_column")
        }
    )


def _rows(columns: Mapping[str, list[Any]], rows: Sequence[int]) -> dict[str, list[Any]]:
    return {name: [values[row] for row in rows] for name, values in columns.items()}


def _compares_encodings(model: Mapping[str, Any]) -> bool:
    """Whether `model` was trained by a privacy-preserving linkage: only its comparisons test
    the column that marks the records known by their encodings alone."""
    flag = f"{ENCODED_ONLY}_l"
    return any(
        flag in str(level.get("sql_condition", ""))
        for comparison in model.get("comparisons", [])
        for level in comparison.get("comparison_levels", [])
    )


def _table(
    existing: Sequence[StandardRecord],
    new: Sequence[StandardRecord],
    *,
    model: Mapping[str, Any],
    encoded: Sequence[EncodedRecord],
) -> dict[str, list[Any]]:
    """The columns the saved `model` compares, for every record: plain, or with encodings as
    records_link would build them for it. Refuses a model and records that do not match."""
    if encoded and not _compares_encodings(model):
        raise ValueError(
            "encoded: the saved model compares plain fields only and cannot score encodings; "
            "link every record afresh (records_link with the encodings)"
        )
    if not encoded and _compares_encodings(model):
        raise ValueError(
            "encoded: the saved model compares encodings (privacy-preserving linkage); give "
            "the encoding of every plain record and the records known only by their encodings"
        )
    if encoded:
        return _pprl_columns([*existing, *new], encoded)
    return _columns([*existing, *new])


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
    encoded: Sequence[EncodedRecord] = (),
    must_link: Iterable[tuple[str, str]] = (),
    cannot_link: Iterable[tuple[str, str]] = (),
) -> LinkageResult:
    """Score new-vs-existing and new-vs-new pairs with the saved `model` and cluster them with
    the existing clusters kept whole (they only grow or merge). An existing cluster that holds
    a pair now decided different raises ConstraintConflict: that needs a full relink. With
    `encoded` (the model of a privacy-preserving linkage): the encoding of every plain record
    and the records known only by their encodings, existing when `cluster_of` holds them."""
    settings = settings or LinkageSettings()
    model = model_uncapped(model)  # the table below has no guard columns
    plain_new = {record.record_id for record in new}
    repeated = sorted({record.record_id for record in existing} & plain_new)
    if repeated:
        raise ValueError(f"new records already linked: {', '.join(repeated[:10])}")
    columns = _table(existing, new, model=model, encoded=encoded)  # built once: not cheap
    frequencies = (encoded_name_frequencies if encoded else name_frequencies)(columns)
    columns |= {name: values.to_pylist() for name, values in frequencies.columns.items()}
    record_ids: list[str] = columns["record_id"]
    plain_existing = {record.record_id for record in existing}
    plain_ids = plain_existing | plain_new
    # By record id, not by position: the encoded-only rows come after every plain row.
    is_existing = [
        rid in plain_existing or (rid not in plain_ids and rid in cluster_of) for rid in record_ids
    ]
    existing_rows = [row for row, old in enumerate(is_existing) if old]
    new_rows = [row for row, old in enumerate(is_existing) if not old]
    existing_ids = [record_ids[row] for row in existing_rows]
    new_ids = [record_ids[row] for row in new_rows]
    pairs: list[tuple[str, str, float]] = []
    evidence = []
    # As a full run compares them: dates, waived at one address.
    traits = clustering_traits(
        [*existing, *new], birth_dates_of([*existing, *new], encoded), encoded
    )
    if new_rows and len(record_ids) >= 2:
        db_api = DuckDBAPI()
        everything = table_register(db_api, columns)
        linker = Linker(everything, model, log_level=logging.WARNING)
        # Term frequencies over all records, as a full relink would count them: the names'
        # within their citizenship (term_frequencies.py), the others by Splink.
        lookups_register(linker, db_api, frequencies.lookups)
        for column in _term_frequency_columns(model):
            if column not in frequencies.lookups:
                linker.table_management.compute_tf_table(column)
        new_table = table_register(db_api, _rows(columns, new_rows))
        predictions = []
        if existing_rows:
            predictions.append(
                linker.inference.predict_between(
                    table_register(db_api, _rows(columns, existing_rows)),
                    new_table,
                    threshold_match_probability=pairs_floor(settings),
                    warning_mode="never",
                )
            )
        if len(new_rows) >= 2:
            predictions.append(
                linker.inference.predict_within(
                    new_table,
                    threshold_match_probability=pairs_floor(settings),
                    warning_mode="never",
                )
            )
        for table in predictions:
            for row in table.as_record_list():
                left, right = str(row["record_id_l"]), str(row["record_id_r"])
                pairs.append((min(left, right), max(left, right), float(row["match_probability"])))
        pairs.sort()
        evidence = review_band_evidence(
            db_api=db_api,
            table=everything,
            model=model,
            pairs=pairs,
            band=settings.review_band,
            frequency_lookups=frequencies.lookups,
            traits=traits,
        )
    clusters = clusters_constrained(
        [*existing_ids, *new_ids],
        pairs,
        threshold=settings.cluster_threshold,
        must_link=[*_clusters_as_must_links(existing_ids, cluster_of), *must_link],
        cannot_link=cannot_link,
        traits=traits,
    )
    return LinkageResult(clusters, pairs, settings, model=model, evidence=evidence)
