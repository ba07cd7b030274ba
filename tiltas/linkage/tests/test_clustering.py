"""Clusters under reviewers' decisions, stable distinct-person ids, and the evidence shown for
pairs in the review band."""

import itertools
import math
from pathlib import Path

import pytest
from splink import DuckDBAPI
from splink.clustering import cluster_pairwise_predictions_at_threshold

from tiltas.linkage.engine.birth_dates import birth_dates_of
from tiltas.linkage.engine.clustering import (
    ConstraintConflict,
    cluster_ids_carry,
    clusters_constrained,
)
from tiltas.linkage.engine.evidence import AGREEMENTS
from tiltas.linkage.engine.model import LinkageResult, LinkageSettings, records_link
from tiltas.linkage.engine.records_file import records_read
from tiltas.linkage.engine.standardise import StandardRecord, records_standardise

pytestmark = pytest.mark.nodb

SAMPLE = Path(__file__).parent / "data" / "persons-sample.csv"
SETTINGS = LinkageSettings(u_sampling_pairs=1e5)


@pytest.fixture(scope="module")
def records() -> list[StandardRecord]:
    return records_standardise(records_read(SAMPLE).records)


@pytest.fixture(scope="module")
def result(records) -> LinkageResult:
    return records_link(records=records, settings=SETTINGS)


def members_of(cluster_of: dict[str, str]) -> dict[str, set[str]]:
    members: dict[str, set[str]] = {}
    for record_id, cluster in cluster_of.items():
        members.setdefault(cluster, set()).add(record_id)
    return members


# clusters_constrained


def test_without_constraints_clusters_are_connected_components_above_the_threshold():
    pairs = [("a", "b", 0.95), ("c", "b", 0.91), ("d", "e", 0.6), ("e", "f", 0.99)]
    clusters = clusters_constrained("abcdefg", pairs, threshold=0.9)
    assert clusters == {
        "a": "a", "b": "a", "c": "a", "d": "d", "e": "e", "f": "e", "g": "g"
    }  # fmt: skip


def test_a_cannot_link_pair_stays_apart_even_through_a_third_record():
    pairs = [("a", "b", 0.99), ("b", "c", 0.95)]
    clusters = clusters_constrained("abc", pairs, threshold=0.9, cannot_link=[("c", "a")])
    # The stronger pair joins first; c may not then join a's cluster through b.
    assert clusters == {"a": "a", "b": "a", "c": "c"}


def test_the_stronger_pair_wins_whatever_order_the_pairs_come_in():
    pairs = [("b", "c", 0.999), ("a", "b", 0.95)]
    for ordering in itertools.permutations(pairs):
        clusters = clusters_constrained("abc", ordering, threshold=0.9, cannot_link=[("a", "c")])
        assert clusters == {"a": "a", "b": "b", "c": "b"}


def test_equal_probabilities_are_resolved_by_record_ids():
    pairs = [("b", "c", 0.95), ("a", "b", 0.95)]
    for ordering in itertools.permutations(pairs):
        clusters = clusters_constrained("abc", ordering, threshold=0.9, cannot_link=[("a", "c")])
        assert clusters == {"a": "a", "b": "a", "c": "c"}


def test_must_link_joins_records_that_were_never_a_candidate_pair():
    clusters = clusters_constrained(
        "abcd", [("a", "b", 0.99)], threshold=0.9, must_link=[("d", "b")]
    )
    assert clusters == {"a": "a", "b": "a", "c": "c", "d": "a"}


def test_contradictory_decisions_are_refused_with_the_pair_they_break():
    with pytest.raises(ConstraintConflict) as raised:
        clusters_constrained(
            "abc", [], threshold=0.9, must_link=[("a", "b"), ("b", "c")], cannot_link=[("c", "a")]
        )
    assert raised.value.pairs == [("a", "c")]


def test_decisions_about_records_no_longer_linked_are_ignored():
    clusters = clusters_constrained(
        "ab", [], threshold=0.9, must_link=[("a", "gone")], cannot_link=[("b", "gone")]
    )
    assert clusters == {"a": "a", "b": "b"}


def test_on_the_sample_clusters_equal_splinks_connected_components(records, result):
    ids = sorted(result.cluster_of)
    db_api = DuckDBAPI()
    splink_clusters = cluster_pairwise_predictions_at_threshold(
        [{"record_id": rid} for rid in ids],
        [
            {"record_id_l": left, "record_id_r": right, "match_probability": probability}
            for left, right, probability in result.pairs
        ],
        db_api=db_api,
        node_id_column_name="record_id",
        threshold_match_probability=SETTINGS.cluster_threshold,
    )
    splink_members = {
        frozenset(group)
        for group in members_of(
            {
                str(row["record_id"]): str(row["cluster_id"])
                for row in splink_clusters.as_record_list()
            }
        ).values()
    }
    ours = clusters_constrained(ids, result.pairs, threshold=SETTINGS.cluster_threshold)
    assert {frozenset(group) for group in members_of(ours).values()} == splink_members
    assert any(len(group) >= 3 for group in splink_members)
    # A linkage run's clusters are these, but for records kept apart by their dates of birth
    # (test_clustering_birth_dates.py).
    assert result.cluster_of == clusters_constrained(
        ids, result.pairs, threshold=SETTINGS.cluster_threshold, traits=birth_dates_of(records)
    )


# A reviewer's decision is respected by the next run


def test_deciding_a_pair_and_relinking_respects_the_decision(records, result):
    members = members_of(result.cluster_of)
    joined = next(group for group in members.values() if len(group) >= 3)
    first, second = sorted(joined)[:2]
    different = (first, second)
    scored = {frozenset((left, right)) for left, right, _ in result.pairs}
    # Two records in different clusters that the model never even compared.
    others = sorted(set(members) - {min(joined)})[:50]
    same = next(
        (a, b) for a, b in itertools.combinations(others, 2) if frozenset((a, b)) not in scored
    )
    assert result.cluster_of[same[0]] != result.cluster_of[same[1]]

    relinked = records_link(
        records=records, settings=SETTINGS, must_link=[same], cannot_link=[different]
    ).cluster_of

    assert relinked[different[0]] != relinked[different[1]]
    assert relinked[same[0]] == relinked[same[1]]
    # The rest of the decided cluster still holds together with one of the two.
    rest = joined - set(different)
    assert all(relinked[rid] in {relinked[different[0]], relinked[different[1]]} for rid in rest)


# cluster_ids_carry


def counter_ids(prefix: str = "P"):
    numbers = itertools.count(1)
    return lambda: f"{prefix}{next(numbers)}"


def test_identical_runs_give_identical_ids():
    clusters = {"a": "a", "b": "a", "c": "c", "d": "d"}
    first = cluster_ids_carry({}, clusters, id_new=counter_ids())
    assert first == {"a": "P1", "b": "P1", "c": "P2", "d": "P3"}
    assert cluster_ids_carry(first, clusters, id_new=counter_ids("Q")) == first


def test_a_new_record_joining_a_cluster_keeps_the_clusters_id():
    previous = {"b": "P7", "c": "P7", "d": "P8"}
    current = {"a": "a", "b": "a", "c": "a", "d": "d", "e": "e"}
    assert cluster_ids_carry(previous, current, id_new=counter_ids("N")) == {
        "a": "P7", "b": "P7", "c": "P7", "d": "P8", "e": "N1"
    }  # fmt: skip


def test_a_split_keeps_the_id_on_the_larger_part():
    previous = dict.fromkeys("abcde", "P1")
    current = {"a": "a", "b": "a", "c": "c", "d": "c", "e": "c"}
    assert cluster_ids_carry(previous, current, id_new=counter_ids("N")) == {
        "a": "N1", "b": "N1", "c": "P1", "d": "P1", "e": "P1"
    }  # fmt: skip


def test_a_merge_keeps_one_id_and_retires_the_other():
    previous = {"a": "P2", "b": "P2", "c": "P1", "d": "P1"}
    current = dict.fromkeys("abcd", "a")
    carried = cluster_ids_carry(previous, current, id_new=counter_ids("N"))
    # Equal shares: the smaller id stays, whatever order the records come in.
    assert carried == dict.fromkeys("abcd", "P1")
    reordered = dict(reversed(list(current.items())))
    assert cluster_ids_carry(previous, reordered, id_new=counter_ids("N")) == carried
    # A retired id is not given to anyone later.
    later = cluster_ids_carry(carried, {**current, "e": "e"}, id_new=counter_ids("N"))
    assert later["e"] == "N1"


# Evidence of the review band


def test_review_band_pairs_carry_field_evidence_without_identifying_values(result):
    low, high = SETTINGS.review_band
    band = [(left, right) for left, right, p in result.pairs if low <= p < high]
    assert band
    assert [(e.record_l, e.record_r) for e in result.evidence] == band
    probability_of = {(left, right): p for left, right, p in result.pairs}
    prior = result.model["probability_two_random_records_match"]
    for evidence in result.evidence:
        assert evidence.probability == pytest.approx(
            probability_of[evidence.record_l, evidence.record_r]
        )
        assert {f.field for f in evidence.fields} >= {
            "given_name", "family_name", "date_of_birth", "sex", "citizenship"
        }  # fmt: skip
        assert all(f.agreement in AGREEMENTS for f in evidence.fields)
        # The field weights are the whole score: prior odds times the Bayes factors.
        odds = math.log2(prior / (1 - prior)) + sum(f.weight for f in evidence.fields)
        assert odds == pytest.approx(math.log2(evidence.probability / (1 - evidence.probability)))
    agreements = {(f.field, f.agreement): f.weight for e in result.evidence for f in e.fields}
    assert agreements[("sex", "agree")] > 0
    assert agreements.get(("sex", "disagree"), -1) < 0
    assert all(
        weight == 0 for (_, agreement), weight in agreements.items() if agreement == "missing"
    )


def test_a_run_without_review_evidence_keeps_the_same_pairs_and_clusters(records, result):
    # `tiltas link` collects no evidence for review; it still keeps the pairs from the bottom
    # of the review band, which clustering counts as rival candidates, so that the command
    # and a run in the application put the same records together.
    quick = records_link(records=records, settings=SETTINGS, review_evidence=False)
    assert not quick.evidence and result.evidence
    assert any(probability < SETTINGS.cluster_threshold for _, _, probability in result.pairs)
    assert sorted(quick.pairs) == sorted(result.pairs)
    assert quick.cluster_of == result.cluster_of
