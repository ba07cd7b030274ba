"""Linkage recovers the known persons of a multilingual sample (1,504 records of 1,076 people
drawn from persons-20k, every record of each chosen person kept)."""

import csv
from pathlib import Path

import pytest

from tiltas.linkage.engine.evaluation import blocking_recall, pairwise_score
from tiltas.linkage.engine.model import (
    BLOCKING_RULES,
    LinkageResult,
    LinkageSettings,
    records_link,
)
from tiltas.linkage.engine.records_file import records_read
from tiltas.linkage.engine.standardise import RawRecord, records_standardise

pytestmark = pytest.mark.nodb

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "persons-sample.csv"
# Measured F1 0.987 (precision 1.000, recall 0.974), 1,084 persons for 1,076, blocking recall
# 0.976; the floors leave a small margin for platform differences in Splink's sampling.
F1_FLOOR = 0.975
BLOCKING_RECALL_FLOOR = 0.965


@pytest.fixture(scope="module")
def truth() -> dict[str, str]:
    with (DATA / "persons-sample-truth.csv").open(encoding="utf-8") as stream:
        return {row["record_id"]: row["person_id"] for row in csv.DictReader(stream)}


SETTINGS = LinkageSettings(u_sampling_pairs=1e5)


@pytest.fixture(scope="module")
def result() -> LinkageResult:
    records = records_standardise(records_read(SAMPLE).records)
    return records_link(records=records, settings=SETTINGS)


@pytest.fixture(scope="module")
def linked(result: LinkageResult) -> dict[str, str]:
    return result.cluster_of


def test_linking_the_sample_finds_the_known_persons(linked, truth):
    score = pairwise_score(predicted=linked, truth=truth)
    assert score.f1 >= F1_FLOOR
    persons, found = len(set(truth.values())), len(set(linked.values()))
    assert abs(found - persons) / persons <= 0.015


def test_every_record_gets_a_cluster_named_by_its_smallest_member(linked, truth):
    assert set(linked) == set(truth)
    members: dict[str, list[str]] = {}
    for record_id, cluster in linked.items():
        members.setdefault(cluster, []).append(record_id)
    assert all(cluster == min(group) for cluster, group in members.items())


def test_blocking_keeps_almost_every_true_pair(truth):
    records = records_standardise(records_read(SAMPLE).records)
    rows = [vars(record) for record in records]
    assert blocking_recall(rows=rows, truth=truth, rules=BLOCKING_RULES) >= BLOCKING_RECALL_FLOOR


def test_fewer_than_two_records_are_their_own_clusters():
    records = records_standardise([RawRecord(record_id="only", given_name="Jonas")])
    assert records_link(records=records).cluster_of == {"only": "only"}
    assert records_link(records=[]).cluster_of == {}


def test_unknown_backend_is_refused():
    records = records_standardise([RawRecord(record_id="a"), RawRecord(record_id="b")])
    with pytest.raises(ValueError, match="backend"):
        records_link(records=records, settings=LinkageSettings(backend="oracle"))


def test_a_run_carries_what_reproduces_it(result):
    assert result.settings == SETTINGS
    assert result.splink_version
    assert result.model["probability_two_random_records_match"] > 0
    assert {comparison["output_column_name"] for comparison in result.model["comparisons"]} >= {
        "given_name", "family_name", "date_of_birth", "sex", "citizenship"
    }  # fmt: skip


@pytest.mark.slow
def test_relinking_unchanged_records_gives_the_same_clusters(linked):
    records = records_standardise(records_read(SAMPLE).records)
    assert records_link(records=records, settings=SETTINGS).cluster_of == linked
