"""Two lists: the Chapman (bias-corrected Lincoln-Petersen) estimator and its variance."""

from __future__ import annotations

from dataclasses import dataclass

from tiltas.estimation.methods.loglinear import Design
from tiltas.estimation.methods.table import IntArray


@dataclass(frozen=True)
class ChapmanResult:
    estimate: float
    variance: float
    first: int
    second: int
    both: int


def chapman_estimate(design: Design, counts: IntArray) -> ChapmanResult:
    """N = (n1 + 1)(n2 + 1) / (m + 1) - 1, with Seber's variance."""
    first = int(counts[design.membership[:, 0]].sum())
    second = int(counts[design.membership[:, 1]].sum())
    both = design.overlap(counts, (0, 1))
    estimate = (first + 1) * (second + 1) / (both + 1) - 1
    variance = (
        (first + 1)
        * (second + 1)
        * (first - both)
        * (second - both)
        / ((both + 1) ** 2 * (both + 2))
    )
    return ChapmanResult(estimate, float(variance), first, second, both)
