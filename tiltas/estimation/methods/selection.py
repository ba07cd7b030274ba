"""Model selection: the stepwise Poisson-tail rule (SparseMSE `stepwisefit`) and BIC."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import pdtr, pdtrc

from tiltas.estimation.methods.loglinear import (
    CHECK_OK,
    Design,
    FloatArray,
    ModelFit,
    Pair,
    model_check,
    model_fit,
)
from tiltas.estimation.methods.table import IntArray, all_pairs

DEFAULT_THRESHOLD = 0.02
EXHAUSTIVE_BIC_MAX_LISTS = 5


@dataclass(frozen=True)
class Step:
    """One pair added by the stepwise rule, with its Poisson-tail p-value when it was added."""

    pair: Pair
    p_value: float
    expected_overlap: float
    observed_overlap: int


@dataclass(frozen=True)
class Selection:
    """The selected model's fit and how the search got there."""

    fit: ModelFit
    steps: tuple[Step, ...] = ()
    criterion: float | None = None
    models_considered: int = 0


def poisson_tail(observed: IntArray, expected: FloatArray) -> FloatArray:
    """min(P(X <= N), P(X >= N)) for X ~ Poisson(expected): the more extreme one-sided tail."""
    lower = np.asarray(pdtr(observed, expected), dtype=np.float64)
    upper = np.where(observed > 0, pdtrc(observed - 1, expected), 1.0)
    return np.minimum(lower, upper)


def stepwise_select(
    design: Design,
    counts: IntArray,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    independence_fit: ModelFit | None = None,
) -> Selection:
    """Add, one at a time, the pair whose observed overlap is least likely under the current fit.

    `independence_fit` is the main-effects fit of `counts` when the caller already has it (the
    bootstrap fits that model for all resamples at once).
    """
    candidates = all_pairs(design.list_count)
    if threshold >= 1.0:
        every_pair = tuple(candidates)
        if model_check(design, counts, every_pair) == CHECK_OK:
            return Selection(fit=model_fit(design, counts, every_pair))
    observed = np.array([design.overlap(counts, pair) for pair in candidates], dtype=np.int64)
    model: tuple[Pair, ...] = ()
    fit = independence_fit or model_fit(design, counts, model)
    steps: list[Step] = []
    while True:
        remaining = [k for k, pair in enumerate(candidates) if pair not in model]
        if not remaining:
            break
        expected = np.array([fit.expected_overlap(design, candidates[k]) for k in remaining])
        p_values = poisson_tail(observed[remaining], expected)
        # Taking candidates by increasing p (ties: list order) and stopping at the first
        # admissible one is the reference rule (failing pairs get p = 1) with fewer LPs.
        order = sorted(range(len(remaining)), key=lambda r: (p_values[r], r))
        chosen: int | None = None
        for r in order:
            if p_values[r] >= threshold:
                break
            pair = candidates[remaining[r]]
            if model_check(design, counts, tuple(sorted((*model, pair)))) == CHECK_OK:
                chosen = r
                break
        if chosen is None:
            break
        pair = candidates[remaining[chosen]]
        steps.append(
            Step(
                pair=pair,
                p_value=float(p_values[chosen]),
                expected_overlap=float(expected[chosen]),
                observed_overlap=int(observed[remaining[chosen]]),
            )
        )
        model = tuple(sorted((*model, pair)))
        fit = model_fit(design, counts, model)
    return Selection(fit=fit, steps=tuple(steps))


def bic(fit: ModelFit, observed: int) -> float:
    """Bayesian information criterion; pairs at minus infinity count as parameters."""
    return -2.0 * fit.log_likelihood + fit.parameter_count * float(np.log(observed))


def _first_admissible(
    design: Design, counts: IntArray, scored: list[tuple[float, tuple[Pair, ...], ModelFit]]
) -> tuple[float, tuple[Pair, ...], ModelFit] | None:
    # Fitting is cheap and the LP is not: check models in order of score, stop at the first
    # admissible one. Same choice as checking all first; ties go to the earlier model.
    for entry in sorted(scored, key=lambda item: item[0]):
        if not entry[1] or model_check(design, counts, entry[1]) == CHECK_OK:
            return entry
    return None


def bic_select(design: Design, counts: IntArray) -> Selection:
    """Minimum-BIC pairwise model: all models up to 5 lists, a greedy search beyond."""
    observed = int(counts.sum())
    pairs = all_pairs(design.list_count)
    if design.list_count <= EXHAUSTIVE_BIC_MAX_LISTS:
        scored = []
        for mask in range(1 << len(pairs)):
            model = tuple(pair for k, pair in enumerate(pairs) if mask >> k & 1)
            fit = model_fit(design, counts, model)
            scored.append((bic(fit, observed), model, fit))
        best = _first_admissible(design, counts, scored)
        assert best is not None  # noqa: S101 - the main-effects model is always admissible here
        return Selection(fit=best[2], criterion=best[0], models_considered=len(scored))
    current: tuple[Pair, ...] = ()
    fit = model_fit(design, counts, current)
    score = bic(fit, observed)
    considered = 1
    while True:
        neighbours = [tuple(sorted((*current, p))) for p in pairs if p not in current]
        neighbours += [tuple(q for q in current if q != p) for p in current]
        scored = []
        for model in neighbours:
            candidate = model_fit(design, counts, model)
            candidate_score = bic(candidate, observed)
            if candidate_score < score:
                scored.append((candidate_score, model, candidate))
        considered += len(neighbours)
        improvement = _first_admissible(design, counts, scored)
        if improvement is None:
            break
        score, current, fit = improvement
    return Selection(fit=fit, criterion=score, models_considered=considered)
