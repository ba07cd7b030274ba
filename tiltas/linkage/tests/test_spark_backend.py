"""The same linkage code runs on Apache Spark (local mode) and finds the same clusters as on
DuckDB, on the first 1,000 records of the multilingual sample, six in ten of them given a
document number (test_documents.py), so that the list comparison and its blocking run on both.

The Spark tests skip only where pyspark is missing and TILTAS_REQUIRE_SPARK is unset (CI sets
it, so there a missing pyspark or Java is a failure)."""

import csv
import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tiltas.linkage.engine.backends import spark_session
from tiltas.linkage.engine.evaluation import pairwise_score
from tiltas.linkage.engine.model import LinkageResult, LinkageSettings, records_link
from tiltas.linkage.engine.standardise import StandardRecord, records_standardise
from tiltas.linkage.tests.test_documents import sample_with_documents

pytestmark = pytest.mark.nodb

DATA = Path(__file__).parent / "data"
SIZE = 1000
SETTINGS = LinkageSettings()
# Measured on both: F1 0.987, 781 persons found for the 773 of the 1,000 records.
F1_FLOOR = 0.975


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    if importlib.util.find_spec("pyspark") is None:
        if os.environ.get("TILTAS_REQUIRE_SPARK"):
            pytest.fail("pyspark is missing and TILTAS_REQUIRE_SPARK is set")
        pytest.skip("pyspark is missing (pip install -e '.[spark]')")
    session = spark_session()  # one local session for the whole module: it takes seconds
    yield session
    session.stop()


@pytest.fixture(scope="module")
def records() -> list[StandardRecord]:
    # With document numbers, so that their comparison (lists) and blocking run on both too.
    return records_standardise(sample_with_documents()[:SIZE])


@pytest.fixture(scope="module")
def truth(records) -> dict[str, str]:
    with (DATA / "persons-sample-truth.csv").open(encoding="utf-8") as stream:
        everyone = {row["record_id"]: row["person_id"] for row in csv.DictReader(stream)}
    return {record.record_id: everyone[record.record_id] for record in records}


@pytest.fixture(scope="module")
def on_duckdb(records) -> LinkageResult:
    return records_link(records=records, settings=SETTINGS)


@pytest.fixture(scope="module")
def on_spark(spark, records) -> LinkageResult:
    return records_link(records=records, settings=replace(SETTINGS, backend="spark"))


def _probabilities(model: dict[str, Any]) -> list[tuple[str, str, float]]:
    return [
        (comparison["output_column_name"], kind, level[kind])
        for comparison in model["comparisons"]
        for level in comparison["comparison_levels"]
        for kind in ("m_probability", "u_probability")
        if kind in level
    ]


# One test, so that parallel test workers do not each link the records on Spark.
@pytest.mark.slow
def test_spark_finds_the_same_clusters_with_the_same_model_as_duckdb(on_duckdb, on_spark, truth):
    # The u-probabilities come from a sample whose rows each database picks with its own hash
    # function; with at least as many sample pairs as there are pairs, both take every pair.
    assert SETTINGS.u_sampling_pairs >= SIZE * (SIZE - 1) / 2
    assert on_spark.cluster_of == on_duckdb.cluster_of
    for result in (on_duckdb, on_spark):
        assert pairwise_score(predicted=result.cluster_of, truth=truth).f1 >= F1_FLOOR

    on_duckdb_model, on_spark_model = (_probabilities(r.model) for r in (on_duckdb, on_spark))
    assert [(name, kind) for name, kind, _ in on_spark_model] == [
        (name, kind) for name, kind, _ in on_duckdb_model
    ]
    # Equal up to the order in which each database adds its floating-point numbers.
    assert [p for *_, p in on_spark_model] == pytest.approx(
        [p for *_, p in on_duckdb_model], rel=1e-9
    )
    spark_pairs = {(left, right): p for left, right, p in on_spark.pairs}
    duckdb_pairs = {(left, right): p for left, right, p in on_duckdb.pairs}
    assert spark_pairs.keys() == duckdb_pairs.keys()
    assert list(spark_pairs.values()) == pytest.approx(
        [duckdb_pairs[pair] for pair in spark_pairs], abs=1e-12
    )


@pytest.mark.slow
def test_the_link_command_links_on_spark(spark, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(
        "record_id,source,given_name,family_name,date_of_birth,sex,citizenship\n"
        "a,police,Олена,Шевченко,1990-04-12,F,UKR\n"
        "b,ngo,Olena,Sevcenko,1990-04-12,F,UKR\n"
        "c,border,Jonas,Jonaitis,1975-01-30,M,LTU\n",
        encoding="utf-8",
    )
    out = tmp_path / "clusters.csv"
    call_command("link", str(source), "--out", str(out), "--backend", "spark", stdout=StringIO())
    with out.open(encoding="utf-8") as stream:
        clusters = {row["record_id"]: row["cluster_id"] for row in csv.DictReader(stream)}
    assert clusters == {"a": "a", "b": "a", "c": "c"}


def test_spark_without_java_is_wrong_usage(tmp_path):
    # A JAVA_HOME without Java: Spark cannot start (without pyspark the exit is the same).
    out = tmp_path / "clusters.csv"
    arguments = ["link", str(DATA / "persons-sample.csv"), "--out", str(out), "--backend", "spark"]
    completed = subprocess.run(
        [sys.executable, "-m", "tiltas", *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "JAVA_HOME": str(tmp_path)},
    )
    assert completed.returncode == 2, completed.stderr
    assert "--backend spark cannot run here" in completed.stderr
    assert not out.exists()
