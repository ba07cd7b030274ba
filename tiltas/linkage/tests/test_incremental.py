"""Incremental linking: the last tenth of the sample added to the clusters of the first nine
tenths with the saved model agrees with a full relink, without comparing the existing records
among themselves again."""

import csv
from dataclasses import replace
from pathlib import Path

import pytest

from tiltas.linkage.engine.clustering import ConstraintConflict
from tiltas.linkage.engine.evaluation import pairwise_score
from tiltas.linkage.engine.incremental import records_link_incremental
from tiltas.linkage.engine.model import LinkageResult, LinkageSettings, records_link
from tiltas.linkage.engine.records_file import records_read
from tiltas.linkage.engine.standardise import StandardRecord, records_standardise

pytestmark = pytest.mark.nodb

DATA = Path(__file__).parent / "data"
SETTINGS = LinkageSettings(u_sampling_pairs=1e5)
# Measured on the sample: pairwise F1 0.987 against the truth both ways, and the incremental
# clusters identical to the full relink's; the margins allow for Splink's sampling.
F1_MARGIN = 0.005
AGREEMENT_FLOOR = 0.99


@pytest.fixture(scope="module")
def truth() -> dict[str, str]:
    with (DATA / "persons-sample-truth.csv").open(encoding="utf-8") as stream:
        return {row["record_id"]: row["person_id"] for row in csv.DictReader(stream)}


@pytest.fixture(scope="module")
def records() -> list[StandardRecord]:
    return records_standardise(records_read(DATA / "persons-sample.csv").records)


@pytest.fixture(scope="module")
def split(records) -> tuple[list[StandardRecord], list[StandardRecord]]:
    cut = len(records) * 9 // 10
    return records[:cut], records[cut:]


@pytest.fixture(scope="module")
def first(split) -> LinkageResult:
    return records_link(records=split[0], settings=SETTINGS)


@pytest.fixture(scope="module")
def incremental(split, first) -> LinkageResult:
    existing, new = split
    return records_link_incremental(
        existing=existing,
        cluster_of=first.cluster_of,
        new=new,
        model=first.model,
        settings=SETTINGS,
    )


@pytest.fixture(scope="module")
def full(records) -> LinkageResult:
    return records_link(records=records, settings=SETTINGS)


def test_adding_the_last_tenth_agrees_with_a_full_relink(incremental, full, truth):
    assert set(incremental.cluster_of) == set(truth)
    ours = pairwise_score(predicted=incremental.cluster_of, truth=truth)
    relinked = pairwise_score(predicted=full.cluster_of, truth=truth)
    assert ours.f1 >= relinked.f1 - F1_MARGIN
    assert pairwise_score(predicted=incremental.cluster_of, truth=full.cluster_of).f1 >= (
        AGREEMENT_FLOOR
    )


def test_existing_records_are_not_compared_again(split, incremental, full):
    existing = {record.record_id for record in split[0]}
    assert incremental.pairs
    assert not [pair for pair in incremental.pairs if pair[0] in existing and pair[1] in existing]
    # Every strong pair of a new record that the full relink finds, the incremental run finds.
    found = {(left, right) for left, right, _ in incremental.pairs}
    strong = {
        (left, right)
        for left, right, probability in full.pairs
        if probability >= 0.9 and not (left in existing and right in existing)
    }
    assert strong <= found
    low, high = SETTINGS.review_band
    band = [(left, right) for left, right, p in incremental.pairs if low <= p < high]
    assert [(e.record_l, e.record_r) for e in incremental.evidence] == band


def test_existing_clusters_are_never_split(first, incremental):
    now_in: dict[str, set[str]] = {}
    for record_id, cluster in first.cluster_of.items():
        now_in.setdefault(cluster, set()).add(incremental.cluster_of[record_id])
    assert all(len(clusters) == 1 for clusters in now_in.values())


def test_a_new_record_decided_different_stays_out_of_its_cluster(split, first, incremental):
    existing, new = split
    new_ids = {record.record_id for record in new}
    joined = next(
        (left, right)
        for left, right, probability in incremental.pairs
        if probability >= SETTINGS.cluster_threshold and (left in new_ids) != (right in new_ids)
    )
    assert incremental.cluster_of[joined[0]] == incremental.cluster_of[joined[1]]
    decided = records_link_incremental(
        existing=existing,
        cluster_of=first.cluster_of,
        new=new,
        model=first.model,
        settings=SETTINGS,
        cannot_link=[joined],
    )
    assert decided.cluster_of[joined[0]] != decided.cluster_of[joined[1]]


def test_an_existing_cluster_holding_a_pair_decided_different_needs_a_full_relink(split, first):
    existing = split[0]
    members: dict[str, list[str]] = {}
    for record_id, cluster in first.cluster_of.items():
        members.setdefault(cluster, []).append(record_id)
    pair = next((group[0], group[1]) for group in members.values() if len(group) >= 2)
    with pytest.raises(ConstraintConflict):
        records_link_incremental(
            existing=existing,
            cluster_of=first.cluster_of,
            new=[],
            model=first.model,
            cannot_link=[pair],
        )


def test_existing_cluster_keys_need_not_be_record_ids(split, first):
    existing = split[0]
    renamed = {record_id: f"person-{cluster}" for record_id, cluster in first.cluster_of.items()}
    result = records_link_incremental(
        existing=existing, cluster_of=renamed, new=[], model=first.model
    )
    assert result.cluster_of == first.cluster_of
    assert result.pairs == []


def test_a_new_record_already_linked_is_refused(split, first):
    existing = split[0]
    with pytest.raises(ValueError, match="already linked"):
        records_link_incremental(
            existing=existing, cluster_of=first.cluster_of, new=existing[:1], model=first.model
        )


def test_new_records_with_a_field_nobody_filled_still_link(split, first):
    existing = split[0]
    # Two new records of an existing person, neither with a date of birth or sex: the new
    # records' columns hold no value at all there.
    known = next(record for record in existing if record.dob and record.given_key)
    blank = {"dob": None, "dob_year": None, "dob_month": None, "dob_day": None, "sex": None}
    new = [replace(known, record_id=f"{known.record_id}-n{i}", **blank) for i in (1, 2)]
    result = records_link_incremental(
        existing=existing, cluster_of=first.cluster_of, new=new, model=first.model
    )
    assert result.cluster_of[new[0].record_id] == result.cluster_of[new[1].record_id]
    assert any(
        new[0].record_id in pair[:2] and known.record_id in pair[:2] for pair in result.pairs
    )
