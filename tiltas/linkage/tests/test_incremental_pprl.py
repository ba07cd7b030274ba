"""Incremental linking in privacy-preserving mode: new records, plain and known only by their
encodings, added to the clusters of a linkage on encodings with its saved model, agree with a
full relink on encodings; a saved model and records that do not match are refused."""

import csv
import dataclasses
from collections import defaultdict
from pathlib import Path

import pytest

from tiltas.linkage.engine.evaluation import pairwise_score
from tiltas.linkage.engine.incremental import records_link_incremental
from tiltas.linkage.engine.model import LinkageResult, LinkageSettings, records_link
from tiltas.linkage.engine.pprl import PprlInput, pprl_prepare, records_encode
from tiltas.linkage.engine.records_file import records_read
from tiltas.linkage.engine.standardise import RawRecord, records_standardise

pytestmark = pytest.mark.nodb

DATA = Path(__file__).parent / "data"
KEY = b"an organisations' key of 32 bytes or more"
ENCODED_SOURCES = frozenset({"ngo", "border", "labour"})
SETTINGS = LinkageSettings(u_sampling_pairs=1e5)
# Measured on the sample (the last tenth new: 62 plain records, 89 known only by encodings):
# the incremental clusters identical to the full relink's (pairwise F1 0.982 against the truth
# both ways) and every new record in the cluster the full relink gives it; the floors allow for
# changes to the model that move a borderline pair.
F1_MARGIN = 0.005
AGREEMENT_FLOOR = 0.99
SAME_CLUSTER_FLOOR = 0.98


@pytest.fixture(scope="module")
def truth() -> dict[str, str]:
    with (DATA / "persons-sample-truth.csv").open(encoding="utf-8") as stream:
        return {row["record_id"]: row["person_id"] for row in csv.DictReader(stream)}


@pytest.fixture(scope="module")
def raw() -> list[RawRecord]:
    return records_read(DATA / "persons-sample.csv").records


@pytest.fixture(scope="module")
def prepared(raw) -> PprlInput:
    return pprl_prepare(raw, sources=ENCODED_SOURCES, key=KEY)


@pytest.fixture(scope="module")
def new_ids(raw) -> set[str]:
    return {record.record_id for record in raw[len(raw) * 9 // 10 :]}


@pytest.fixture(scope="module")
def first(prepared, new_ids) -> LinkageResult:
    return records_link(
        records=[record for record in prepared.plain if record.record_id not in new_ids],
        encoded=[item for item in prepared.encoded if item.record_id not in new_ids],
        settings=SETTINGS,
    )


def _incremental(prepared, new_ids, first, **constraints) -> LinkageResult:
    return records_link_incremental(
        existing=[record for record in prepared.plain if record.record_id not in new_ids],
        cluster_of=first.cluster_of,
        new=[record for record in prepared.plain if record.record_id in new_ids],
        model=first.model,
        settings=SETTINGS,
        encoded=prepared.encoded,
        **constraints,
    )


@pytest.fixture(scope="module")
def incremental(prepared, new_ids, first) -> LinkageResult:
    return _incremental(prepared, new_ids, first)


@pytest.fixture(scope="module")
def full(prepared) -> LinkageResult:
    return records_link(records=prepared.plain, encoded=prepared.encoded, settings=SETTINGS)


def _members(cluster_of: dict[str, str]) -> dict[str, frozenset[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for record_id, cluster in cluster_of.items():
        groups[cluster].add(record_id)
    return {record_id: frozenset(groups[cluster]) for record_id, cluster in cluster_of.items()}


def test_new_records_on_encodings_join_the_clusters_a_full_relink_gives_them(
    prepared, new_ids, incremental, full, truth
):
    plain_ids = {record.record_id for record in prepared.plain}
    # The new records are of both kinds: plain, and known only by their encodings.
    assert new_ids & plain_ids and new_ids - plain_ids
    assert set(incremental.cluster_of) == set(truth)
    ours = pairwise_score(predicted=incremental.cluster_of, truth=truth)
    relinked = pairwise_score(predicted=full.cluster_of, truth=truth)
    assert ours.f1 >= relinked.f1 - F1_MARGIN
    agreement = pairwise_score(predicted=incremental.cluster_of, truth=full.cluster_of)
    assert agreement.f1 >= AGREEMENT_FLOOR
    ours_with, full_with = _members(incremental.cluster_of), _members(full.cluster_of)
    same = [record_id for record_id in new_ids if ours_with[record_id] == full_with[record_id]]
    assert len(same) >= SAME_CLUSTER_FLOOR * len(new_ids)


def test_existing_records_on_encodings_are_not_compared_again(new_ids, first, incremental, full):
    existing = set(first.cluster_of)
    assert incremental.pairs
    assert not [pair for pair in incremental.pairs if pair[0] in existing and pair[1] in existing]
    found = {(left, right) for left, right, _ in incremental.pairs}
    strong = {
        (min(left, right), max(left, right))
        for left, right, probability in full.pairs
        if probability >= 0.9 and (left in new_ids or right in new_ids)
    }
    assert strong <= found
    low, high = SETTINGS.review_band
    band = [(left, right) for left, right, p in incremental.pairs if low <= p < high]
    assert [(e.record_l, e.record_r) for e in incremental.evidence] == band


def test_existing_clusters_with_encoded_records_are_never_split(first, incremental):
    now_in: dict[str, set[str]] = {}
    for record_id, cluster in first.cluster_of.items():
        now_in.setdefault(cluster, set()).add(incremental.cluster_of[record_id])
    assert all(len(clusters) == 1 for clusters in now_in.values())


def test_a_newcomer_known_only_by_its_encoding_joins_its_person(raw, prepared, new_ids, first):
    plain_ids = {record.record_id for record in prepared.plain}
    known = next(
        record
        for record in raw
        if record.record_id in plain_ids and record.record_id not in new_ids
        if record.given_name and record.family_name and record.date_of_birth
    )
    # The same person recorded again by an organisation that gives only encodings.
    newcomer = dataclasses.replace(known, record_id="ngo-newcomer", source="ngo")
    encoded = [*prepared.encoded, *records_encode(records_standardise([newcomer]), key=KEY)]
    result = records_link_incremental(
        existing=[record for record in prepared.plain if record.record_id not in new_ids],
        cluster_of=first.cluster_of,
        new=[],
        model=first.model,
        settings=SETTINGS,
        encoded=[item for item in encoded if item.record_id not in new_ids],
    )
    assert result.cluster_of["ngo-newcomer"] == result.cluster_of[known.record_id]


def test_a_new_encoded_record_decided_different_stays_out(prepared, new_ids, first, incremental):
    plain_ids = {record.record_id for record in prepared.plain}
    encoded_new = new_ids - plain_ids
    joined = next(
        (left, right)
        for left, right, probability in incremental.pairs
        if probability >= SETTINGS.cluster_threshold
        and (left in encoded_new or right in encoded_new)
    )
    assert incremental.cluster_of[joined[0]] == incremental.cluster_of[joined[1]]
    decided = _incremental(prepared, new_ids, first, cannot_link=[joined])
    assert decided.cluster_of[joined[0]] != decided.cluster_of[joined[1]]


def test_a_model_trained_on_encodings_needs_the_encodings(prepared, new_ids, first):
    with pytest.raises(ValueError, match="compares encodings"):
        records_link_incremental(
            existing=[record for record in prepared.plain if record.record_id not in new_ids],
            cluster_of=first.cluster_of,
            new=[record for record in prepared.plain if record.record_id in new_ids],
            model=first.model,
        )


def test_a_model_trained_on_plain_fields_cannot_score_encodings(prepared, new_ids):
    existing = [record for record in prepared.plain if record.record_id not in new_ids]
    plain = records_link(records=existing, settings=SETTINGS)
    with pytest.raises(ValueError, match="plain fields only"):
        records_link_incremental(
            existing=existing,
            cluster_of=plain.cluster_of,
            new=[record for record in prepared.plain if record.record_id in new_ids],
            model=plain.model,
            encoded=prepared.encoded,
        )
