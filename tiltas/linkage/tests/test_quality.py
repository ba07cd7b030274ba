"""The quality summary of a linkage run: counts, match weights, cluster sizes, unusual clusters."""

import json
from pathlib import Path

import pytest

from tiltas.linkage.engine.model import LinkageResult, LinkageSettings, pairs_floor, records_link
from tiltas.linkage.engine.quality import WEIGHT_EDGES, match_weight, quality_summary
from tiltas.linkage.engine.records_file import records_read
from tiltas.linkage.engine.standardise import records_standardise

pytestmark = pytest.mark.nodb

SAMPLE = Path(__file__).parent / "data" / "persons-sample.csv"


def result_of(cluster_of, pairs=()):
    return LinkageResult(dict(cluster_of), list(pairs), LinkageSettings())


def test_counts_and_cluster_sizes():
    cluster_of = {"a": "a", "b": "a", "c": "a", "d": "d", "e": "d", "f": "f", "g": "g"}
    summary = quality_summary(result_of(cluster_of, [("a", "b", 0.99)]))
    assert (summary["records"], summary["clusters"], summary["singletons"]) == (7, 4, 2)
    assert summary["pairs_scored"] == 1
    assert summary["cluster_sizes"] == [
        {"size": 1, "clusters": 2}, {"size": 2, "clusters": 1}, {"size": 3, "clusters": 1}
    ]  # fmt: skip


def test_match_weights_fall_into_fixed_bins_with_open_ends():
    pairs = [("a", "b", 0.5), ("a", "c", 0.8), ("a", "d", 1.0), ("a", "e", 1e-9), ("a", "f", 0.999)]
    histogram = quality_summary(result_of({}, pairs))["match_weights"]
    assert histogram["bin_edges"] == list(WEIGHT_EDGES)
    counts = histogram["counts"]
    assert len(counts) == len(WEIGHT_EDGES) - 1 and sum(counts) == len(pairs)
    bin_of = {edge: index for index, edge in enumerate(WEIGHT_EDGES[:-1])}
    assert counts[bin_of[0]] == 1  # 0.5: log2 odds 0
    assert counts[bin_of[2]] == 1  # 0.8: log2 odds 2
    assert counts[bin_of[8]] == 1  # 0.999: log2 odds 9.96
    assert counts[0] == 1 and counts[-1] == 1  # certain and impossible land in the end bins
    assert match_weight(0.8) == pytest.approx(2.0)


def test_large_clusters_are_listed_largest_first():
    cluster_of = {f"x{i}": "x0" for i in range(8)} | {f"y{i}": "y0" for i in range(7)}
    cluster_of |= {f"z{i}": "z0" for i in range(6)}
    unusual = quality_summary(result_of(cluster_of))["unusual_clusters"]
    assert unusual == [
        {"cluster": "x0", "size": 8, "reasons": ["large"]},
        {"cluster": "y0", "size": 7, "reasons": ["large"]},
    ]
    assert quality_summary(result_of(cluster_of), unusual_size=10)["unusual_clusters"] == []


def test_one_source_recording_two_sexes_in_a_cluster_is_unusual():
    cluster_of = {"a": "a", "b": "a", "c": "c", "d": "c", "e": "e", "f": "e"}
    sources = {"a": "police", "b": "police", "c": "police", "d": "ngo", "e": "ngo", "f": "ngo"}
    sexes = {"a": "F", "b": "M", "c": "F", "d": "M", "e": "F", "f": None}
    unusual = quality_summary(result_of(cluster_of), sources=sources, sexes=sexes)
    # Across sources a different sex is a recording error worth no flag; unknown is no conflict.
    assert unusual["unusual_clusters"] == [
        {"cluster": "a", "size": 2, "reasons": ["conflicting_sex"]}
    ]


def test_the_summary_of_the_sample_is_json_and_adds_up():
    raw = records_read(SAMPLE).records
    result = records_link(
        records=records_standardise(raw), settings=LinkageSettings(u_sampling_pairs=1e5)
    )
    summary = quality_summary(
        result,
        sources={record.record_id: record.source for record in raw},
        sexes={record.record_id: record.sex for record in raw},
    )
    assert json.loads(json.dumps(summary)) == summary
    assert summary["records"] == len(raw)
    assert sum(row["size"] * row["clusters"] for row in summary["cluster_sizes"]) == len(raw)
    assert sum(summary["match_weights"]["counts"]) == len(result.pairs)
    assert summary["review_band_pairs"] == len(result.evidence) > 0
    # Predict keeps pairs from the pairs floor up (0.2, weight -2): none in a bin below it.
    floor = match_weight(pairs_floor(LinkageSettings()))
    assert floor == pytest.approx(-2)
    assert sum(summary["match_weights"]["counts"][: WEIGHT_EDGES.index(-2)]) == 0
    assert min(probability for _, _, probability in result.pairs) >= 0.2
