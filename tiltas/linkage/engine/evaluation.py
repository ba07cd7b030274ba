"""Scoring a clustering against the truth: pairwise precision, recall and F1 over clusters."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


@dataclass(frozen=True)
class PairwiseScore:
    """Counts of record pairs sharing a cluster, and the scores they give."""

    true_positive: int
    predicted: int
    actual: int

    @property
    def precision(self) -> float:
        return self.true_positive / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.actual if self.actual else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def pairwise_score(
    *,
    predicted: Mapping[str, str],
    truth: Mapping[str, str],
    only: Iterable[str] | None = None,
) -> PairwiseScore:
    """Pairwise scores of the clusters `predicted` (record -> cluster) against `truth`
    (record -> person); with `only`, recall over the true pairs of those records' persons."""
    records = list(truth) if only is None else list(only)
    both = Counter((predicted[rid], truth[rid]) for rid in records)
    actual = Counter(truth[rid] for rid in records)
    clusters = Counter(predicted[rid] for rid in truth)
    return PairwiseScore(
        true_positive=sum(_pairs(n) for n in both.values()),
        predicted=sum(_pairs(n) for n in clusters.values()),
        actual=sum(_pairs(n) for n in actual.values()),
    )


def _blocked(
    rule: tuple[tuple[str, str], ...], left: Mapping[str, object], right: Mapping[str, object]
) -> bool:
    return all(left[a] is not None and left[a] == right[b] for a, b in rule)


def blocking_recall(
    *,
    rows: Iterable[Mapping[str, object]],
    truth: Mapping[str, str],
    rules: Iterable[tuple[tuple[str, str], ...]],
) -> float:
    """Share of true pairs that at least one blocking rule (conjunction of column equalities
    between the left and the right record) makes a candidate pair."""
    by_person: dict[str, list[Mapping[str, object]]] = {}
    for row in rows:
        by_person.setdefault(truth[str(row["record_id"])], []).append(row)
    rules = list(rules)
    found = total = 0
    for group in by_person.values():
        for i, left in enumerate(group):
            for right in group[i + 1 :]:
                total += 1
                found += any(
                    _blocked(rule, left, right) or _blocked(rule, right, left) for rule in rules
                )
    return found / total if total else 1.0
