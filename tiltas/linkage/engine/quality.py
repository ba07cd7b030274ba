"""The quality summary of a linkage run: how strongly the scored pairs match, how large the
clusters are, and which clusters deserve a look (no Django; the result is JSON-able)."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Mapping
from typing import Any

from .model import LinkageResult

# Fixed bins, so that the histograms of two runs can be set side by side: match weights
# (log2 odds) from -10 to 30 in steps of 2; weights beyond fall into the end bins.
WEIGHT_EDGES = tuple(range(-10, 31, 2))
UNUSUAL_SIZE = 6


def match_weight(probability: float) -> float:
    """The log2 odds of a match probability (infinite at 0 and 1)."""
    if probability <= 0:
        return -math.inf
    if probability >= 1:
        return math.inf
    return math.log2(probability / (1 - probability))


def _weight_bin(weight: float) -> int:
    """The bin [edge, next edge) holding `weight`; the end bins are open-ended."""
    return min(max(bisect_right(WEIGHT_EDGES, weight) - 1, 0), len(WEIGHT_EDGES) - 2)


def _conflicting_sex(
    members: list[str], sources: Mapping[str, str], sexes: Mapping[str, str | None]
) -> bool:
    """Two records of one source, one saying F and the other M: one organisation does not
    usually record the same person with two sexes."""
    seen: dict[str, set[str]] = {}
    for rid in members:
        sex = sexes.get(rid)
        if sex and rid in sources:
            seen.setdefault(sources[rid], set()).add(sex)
    return any(len(values) > 1 for values in seen.values())


def quality_summary(
    result: LinkageResult,
    *,
    sources: Mapping[str, str] | None = None,
    sexes: Mapping[str, str | None] | None = None,
    unusual_size: int = UNUSUAL_SIZE,
) -> dict[str, Any]:
    """Counts, the match-weight histogram of the scored pairs, the cluster size distribution
    and the unusual clusters: larger than `unusual_size`, or (given the records' `sources` and
    `sexes`) holding records of one source with different sexes."""
    members: dict[str, list[str]] = {}
    for rid, cluster in result.cluster_of.items():
        members.setdefault(cluster, []).append(rid)
    sizes = Counter(len(group) for group in members.values())
    counts = [0] * (len(WEIGHT_EDGES) - 1)
    for _, _, probability in result.pairs:
        counts[_weight_bin(match_weight(probability))] += 1
    unusual = []
    for cluster, group in sorted(members.items(), key=lambda item: (-len(item[1]), item[0])):
        reasons = []
        if len(group) > unusual_size:
            reasons.append("large")
        if sources is not None and sexes is not None and _conflicting_sex(group, sources, sexes):
            reasons.append("conflicting_sex")
        if reasons:
            unusual.append({"cluster": cluster, "size": len(group), "reasons": reasons})
    return {
        "records": len(result.cluster_of),
        "clusters": len(members),
        "singletons": sizes.get(1, 0),
        "pairs_scored": len(result.pairs),
        "review_band_pairs": len(result.evidence),
        "match_weights": {"bin_edges": list(WEIGHT_EDGES), "counts": counts},
        "cluster_sizes": [{"size": size, "clusters": sizes[size]} for size in sorted(sizes)],
        "unusual_clusters": unusual,
    }
