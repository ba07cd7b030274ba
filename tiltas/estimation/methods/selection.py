"""Model selection: the stepwise Poisson-tail rule (SparseMSE `stepwisefit`) and BIC."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from tiltas.estimation.methods.distributions import log_factorial, poisson_tail
from tiltas.estimation.methods.loglinear import (
    CHECK_OK,
    Design,
    FloatArray,
    ModelFit,
    ModelMatrix,
    Pair,
    StackedFit,
    model_check,
    model_fit,
    model_matrix_for,
    stacked_poisson_fit,
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


@dataclass
class StepwisePath:
    """Where the stepwise rule took one table: the pairs added, in order, and the final fit's
    log dark figure (its intercept)."""

    model: tuple[Pair, ...] = ()
    steps: list[Step] = field(default_factory=list)
    log_dark_figure: float = float("nan")
    finished: bool = False  # the model is final (the full model under threshold 1)


def stepwise_select(
    design: Design, counts: IntArray, *, threshold: float = DEFAULT_THRESHOLD
) -> Selection:
    """Add, one at a time, the pair whose observed overlap is least likely under the current fit."""
    path = stepwise_paths(design, counts[None, :], threshold=threshold)[0]
    return Selection(fit=model_fit(design, counts, path.model), steps=tuple(path.steps))


def stepwise_paths(
    design: Design, tables: IntArray, *, threshold: float = DEFAULT_THRESHOLD
) -> list[StepwisePath]:
    """The stepwise rule on every row of `tables` (tables x cells) at once.

    Each round fits together, in one stacked Newton iteration, the tables that have reached the
    same model (bootstrap resamples mostly follow the same few paths), then lets each table
    add its own next pair.
    """
    candidates = all_pairs(design.list_count)
    position = {pair: k for k, pair in enumerate(candidates)}
    observed = tables @ design.pair_indicators  # (tables, pairs): N*_ij of every table
    paths = [StepwisePath() for _ in range(len(tables))]
    if threshold >= 1.0:
        for path, counts in zip(paths, tables, strict=True):
            if model_check(design, counts, tuple(candidates)) == CHECK_OK:
                path.model, path.finished = tuple(candidates), True
    pending = list(range(len(tables)))
    while pending:
        groups: dict[tuple[tuple[Pair, ...], tuple[Pair, ...]], list[int]] = {}
        for index in pending:
            model = paths[index].model
            infinite = tuple(pair for pair in model if observed[index, position[pair]] == 0)
            groups.setdefault((model, infinite), []).append(index)
        pending = []
        for (model, infinite), members in groups.items():
            matrix = model_matrix_for(design.list_count, model, infinite)
            fit = stacked_poisson_fit(matrix, tables[members])
            expected = fit.fitted @ design.pair_indicators[matrix.kept]
            p_values = poisson_tail(observed[members], expected)
            p_values[:, [position[pair] for pair in model]] = np.inf
            for row, index in enumerate(members):
                path = paths[index]
                path.log_dark_figure = float(fit.coefficients[row, 0])
                if path.finished:
                    continue
                chosen = _next_pair(design, tables[index], model, p_values[row], threshold)
                if chosen is None:
                    continue
                path.steps.append(
                    Step(
                        pair=candidates[chosen],
                        p_value=float(p_values[row, chosen]),
                        expected_overlap=float(expected[row, chosen]),
                        observed_overlap=int(observed[index, chosen]),
                    )
                )
                path.model = tuple(sorted((*model, candidates[chosen])))
                pending.append(index)
    return paths


def _next_pair(
    design: Design,
    counts: IntArray,
    model: tuple[Pair, ...],
    p_values: FloatArray,
    threshold: float,
) -> int | None:
    """The index of the pair the rule adds next, or None to stop.

    Taking candidates by increasing p (ties: list order) and stopping at the first admissible
    one is the reference rule (failing pairs get p = 1) with fewer existence checks.
    """
    candidates = all_pairs(design.list_count)
    for k in np.argsort(p_values, kind="stable"):
        if not p_values[k] < threshold:
            return None
        if model_check(design, counts, tuple(sorted((*model, candidates[k])))) == CHECK_OK:
            return int(k)
    return None


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


def _model_fit_or_none(
    design: Design, counts: IntArray, model: tuple[Pair, ...]
) -> ModelFit | None:
    """The fit, or None when the model cannot be fitted to these counts (a singular system: a
    model the existence check would refuse anyway); the search passes over it."""
    try:
        with np.errstate(all="ignore"):
            return model_fit(design, counts, model)
    except (np.linalg.LinAlgError, ValueError, FloatingPointError):
        return None


def bic_select(design: Design, counts: IntArray) -> Selection:
    """Minimum-BIC pairwise model: all models up to 5 lists, a greedy search beyond."""
    observed = int(counts.sum())
    pairs = all_pairs(design.list_count)
    if design.list_count <= EXHAUSTIVE_BIC_MAX_LISTS:
        scored = []
        for mask in range(1 << len(pairs)):
            model = tuple(pair for k, pair in enumerate(pairs) if mask >> k & 1)
            fitted = _model_fit_or_none(design, counts, model)
            if fitted is not None:
                scored.append((bic(fitted, observed), model, fitted))
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
            candidate = _model_fit_or_none(design, counts, model)
            if candidate is None:
                continue
            candidate_score = bic(candidate, observed)
            if candidate_score < score:
                scored.append((candidate_score, model, candidate))
        considered += len(neighbours)
        improvement = _first_admissible(design, counts, scored)
        if improvement is None:
            break
        score, current, fit = improvement
    return Selection(fit=fit, criterion=score, models_considered=considered)


def bic_log_dark_figures(design: Design, tables: IntArray) -> FloatArray:
    """The exhaustive BIC choice (up to EXHAUSTIVE_BIC_MAX_LISTS lists) on every row of
    `tables` (tables x cells) at once: the log dark figure of each table's chosen model, as
    `bic_select` gives it table by table (same fits, same order of preference, same existence
    checks), but with each model fitted to all tables in one stacked Newton iteration; NaN
    where no model is admissible.

    Bootstrap resamples need this: 1,000 tables x 1,024 models one by one take a quarter of an
    hour, stacked a few seconds.
    """
    if design.list_count > EXHAUSTIVE_BIC_MAX_LISTS:
        raise ValueError("bic_log_dark_figures: the exhaustive search is for up to 5 lists")
    pairs = all_pairs(design.list_count)
    observed_overlaps = tables @ design.pair_indicators  # (tables, pairs)
    log_observed = np.log(np.maximum(tables.sum(axis=1), 1)).astype(np.float64)
    models = [
        tuple(pair for k, pair in enumerate(pairs) if mask >> k & 1)
        for mask in range(1 << len(pairs))
    ]
    criteria = np.full((len(tables), len(models)), np.inf)
    log_dark = np.full((len(tables), len(models)), np.nan)
    constant = log_factorial(tables)  # per cell, summed over each model's kept cells below
    for m, model in enumerate(models):
        columns = [pairs.index(pair) for pair in model]
        # Tables with the same non-overlapping pairs share the model's matrix.
        empty = observed_overlaps[:, columns] == 0
        patterns, group_of = np.unique(empty, axis=0, return_inverse=True)
        for group, flags in enumerate(patterns):
            members = list(np.flatnonzero(group_of.reshape(-1) == group))
            infinite = tuple(pair for pair, flag in zip(model, flags, strict=True) if flag)
            matrix = model_matrix_for(design.list_count, model, infinite)
            fit = _stacked_fit_or_none(matrix, tables[members])
            if fit is None:  # fit them one by one, leaving out those that cannot be fitted
                fits = [_stacked_fit_or_none(matrix, tables[[row]]) for row in members]
                members = [row for row, one in zip(members, fits, strict=True) if one]
                if not members:
                    continue
                fit = _stacked_fits_joined([one for one in fits if one], matrix)
            y = tables[members][:, matrix.kept].astype(np.float64)
            mu = fit.fitted
            with np.errstate(divide="ignore", invalid="ignore"):
                log_likelihood = np.sum(
                    y * np.log(mu) - mu - constant[members][:, matrix.kept], axis=1
                )
            parameters = matrix.matrix.shape[1] + len(infinite)
            criteria[members, m] = -2.0 * log_likelihood + parameters * log_observed[members]
            log_dark[members, m] = fit.coefficients[:, 0]
    chosen = np.full(len(tables), np.nan)
    for row in range(len(tables)):
        # Stable: ties go to the earlier model, as in bic_select.
        for m in np.argsort(criteria[row], kind="stable"):
            if not np.isfinite(criteria[row, m]):
                break
            if not models[m] or model_check(design, tables[row], models[m]) == CHECK_OK:
                chosen[row] = log_dark[row, m]
                break
    return chosen


def _stacked_fit_or_none(matrix: ModelMatrix, tables: IntArray) -> StackedFit | None:
    """The stacked fit, or None when the model cannot be fitted to one of the tables (a
    singular system): that model is then not a candidate for those tables, as in bic_select."""
    try:
        with np.errstate(all="ignore"):
            return stacked_poisson_fit(matrix, tables)
    except (np.linalg.LinAlgError, ValueError, FloatingPointError):
        return None


def _stacked_fits_joined(fits: list[StackedFit], matrix: ModelMatrix) -> StackedFit:
    return StackedFit(
        matrix,
        np.vstack([fit.coefficients for fit in fits]),
        np.vstack([fit.fitted for fit in fits]),
        np.concatenate([fit.deviance for fit in fits]),
        np.concatenate([fit.iterations for fit in fits]),
        np.concatenate([fit.converged for fit in fits]),
    )
