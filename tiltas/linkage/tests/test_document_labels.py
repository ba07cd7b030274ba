"""m-probabilities learnt from records sharing a document number: which records label pairs,
how the labels' estimate is blended with EM's, and that the blended model holds, level by level,
the share of labelled pairs counted here independently of Splink."""

import itertools
import math
from collections import Counter

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
import pytest

import tiltas.linkage.engine.model as model_module
from tiltas.linkage.engine.backends import arrow_table, database_api, table_register
from tiltas.linkage.engine.comparisons import PARTIAL_DATE_LABELS
from tiltas.linkage.engine.document_labels import (
    DOCUMENT_LABEL_MAX_RECORDS,
    LABEL_PRIOR_PAIRS,
    LABELLING_COMPARISON,
    blended,
    labelled_rows,
    m_from_document_labels,
)
from tiltas.linkage.engine.model import LinkageSettings, _plain_input, _settings
from tiltas.linkage.engine.standardise import records_standardise
from tiltas.linkage.tests.test_documents import sample_with_documents

pytestmark = pytest.mark.nodb

SETTINGS = LinkageSettings(u_sampling_pairs=1e5)


def test_a_number_labels_the_pairs_of_its_few_holders_only():
    placeholder = ["000"] * (DOCUMENT_LABEL_MAX_RECORDS + 1)
    values = ["A1", None, "A1", "B2", "C3", "C3", "C3", *placeholder]
    rows, pairs = labelled_rows(values)
    assert rows == [0, 2, 4, 5, 6]
    assert pairs == 1 + 3


def test_the_models_m_counts_as_prior_pairs_beside_the_labels():
    assert blended(0.01, 0.001, 0) == 0.01
    assert blended(0.01, 0.001, LABEL_PRIOR_PAIRS) == pytest.approx(0.0055)
    assert blended(0.01, 0.001, 10**6) == pytest.approx(0.001, rel=0.01)


def _label_shares(columns, settings) -> list[Counter[int]]:
    """Per comparison: how many labelled pairs (records sharing a document number) fall at each
    level, from the comparisons' own SQL evaluated here on the pairs joined by hand."""
    table = arrow_table(columns)
    rows, _ = labelled_rows(table.column("document_first").to_pylist())
    labelled = table.take(rows)
    holders: dict[str, list[int]] = {}
    for row, number in enumerate(labelled.column("document_first").to_pylist()):
        holders.setdefault(number, []).append(row)
    pairs = [pair for held in holders.values() for pair in itertools.combinations(held, 2)]
    joined = {
        f"{name}_{side}": labelled.column(name).take([pair[index] for pair in pairs])
        for name in labelled.column_names
        for side, index in (("l", 0), ("r", 1))
    }
    connection = duckdb.connect()
    connection.register("pairs", pa.table(joined))
    shares = []
    for comparison in settings.get_settings("duckdb").comparisons:
        levels = connection.execute(f"SELECT {comparison._case_statement} FROM pairs").fetchall()  # noqa: S608 - our SQL
        shares.append(Counter(level for (level,) in levels if level >= 0))
    return shares


def test_the_model_takes_each_levels_share_of_the_labelled_pairs(monkeypatch):
    records = records_standardise(sample_with_documents())
    linkage_input = _plain_input(records, SETTINGS)
    db_api = database_api("duckdb")
    table = table_register(db_api, linkage_input.columns)
    # EM's model, then the labels applied to it here.
    monkeypatch.setattr(model_module, "m_from_document_labels", lambda **kwargs: kwargs["model"])
    em_model = model_module._model_trained(db_api, table, linkage_input, SETTINGS)
    labelled = m_from_document_labels(
        db_api=db_api,
        columns=linkage_input.columns,
        model=em_model,
        frequency_lookups=linkage_input.frequency_lookups,
    )
    _, pairs = labelled_rows(
        arrow_table(linkage_input.columns).column("document_first").to_pylist()
    )
    assert pairs > 100
    splink_settings = _settings(
        prior=1e-3, partial_share=0.1, present=frozenset({"document_numbers"}), blocking=["1=1"]
    )
    shares = _label_shares(linkage_input.columns, splink_settings)
    changed = 0
    for before, after, counts in zip(
        em_model["comparisons"], labelled["comparisons"], shares, strict=True
    ):
        levels_before = [
            level for level in before["comparison_levels"] if not level.get("is_null_level")
        ]
        levels_after = [
            level for level in after["comparison_levels"] if not level.get("is_null_level")
        ]
        if before["output_column_name"] == LABELLING_COMPARISON:
            assert levels_after == levels_before
            continue
        total = sum(counts.values())
        # The labels' shares sum to 1; EM's m sum to 1 up to a fixed level's (names swapped).
        em_sum = math.fsum(level.get("m_probability", 0.0) for level in levels_before)
        assert em_sum == pytest.approx(1.0, abs=2e-3)
        expected = [
            # Splink numbers the levels from the last.
            blended(
                old.get("m_probability", 0.0), counts[len(levels_before) - 1 - rank] / total, pairs
            )
            for rank, old in enumerate(levels_before)
        ]
        if before["output_column_name"] == "date_of_birth":
            # The dates known only to their year keep EM's (the prior's) share together.
            partial = [
                level.get("label_for_charts") in PARTIAL_DATE_LABELS for level in levels_before
            ]
            target = math.fsum(
                level["m_probability"]
                for level, kept in zip(levels_before, partial, strict=True)
                if kept
            )
            assert 0 < target < 1
            have = math.fsum(m for m, kept in zip(expected, partial, strict=True) if kept)
            rest = math.fsum(m for m, kept in zip(expected, partial, strict=True) if not kept)
            expected = [
                m * (target / have if kept else (1 - target) / rest)
                for m, kept in zip(expected, partial, strict=True)
            ]
        assert math.fsum(
            level.get("m_probability", 0.0) for level in levels_after
        ) == pytest.approx(math.fsum(expected))
        for old, new, m_expected in zip(levels_before, levels_after, expected, strict=True):
            assert new.get("m_probability", 0.0) == pytest.approx(m_expected, abs=1e-9), (
                before["output_column_name"],
                new.get("label_for_charts"),
            )
            changed += abs(new.get("m_probability", 0.0) - old.get("m_probability", 0.0)) > 1e-3
    assert changed >= 3
