"""One call from a capture-history table to the population estimate, its model and intervals."""

from __future__ import annotations

import math
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]  # no type information published

from tiltas.estimation.methods.chapman import chapman_estimate
from tiltas.estimation.methods.intervals import (
    Interval,
    bca_limits,
    jackknife_acceleration,
    share_below,
    wald_log_interval,
)
from tiltas.estimation.methods.loglinear import (
    CHECK_OK,
    Design,
    FloatArray,
    ModelFit,
    Pair,
    design_for,
    model_check,
    model_fit,
    model_matrix_for,
    stacked_poisson_fit,
)
from tiltas.estimation.methods.r_stream import multinomial_resamples
from tiltas.estimation.methods.selection import (
    DEFAULT_THRESHOLD,
    EXHAUSTIVE_BIC_MAX_LISTS,
    Selection,
    bic,
    bic_log_dark_figures,
    bic_select,
    stepwise_paths,
    stepwise_select,
)
from tiltas.estimation.methods.table import CaptureTable, IntArray

DEFAULT_SEED = 1234
BCA_ALPHAS = [0.025, 0.975, 0.1, 0.9]
# Below these, a second process costs more than it saves (measured on two shared cores: a
# thousand stacked stepwise resamples of eight lists take a second in one process, and forking
# made them slower, not faster, whenever the machine was busy).
_PARALLEL_MINIMUM_CELLS = 1_000_000  # resamples x cells, for the stacked methods
_PARALLEL_MINIMUM_ROWS = 64  # resamples, for the methods fitted one table at a time


class Method(StrEnum):
    STEPWISE = "stepwise"
    BIC = "bic"
    INDEPENDENCE = "independence"
    CHAPMAN = "chapman"


class EstimationError(ValueError):
    """The settings or the data cannot give a meaningful estimate; `code` names the reason."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class PopulationEstimate:
    """The estimate of the total, the model behind it, its intervals and diagnostics."""

    lists: tuple[str, ...]
    observed: int
    estimate: float
    dark_figure: float
    interval_95: Interval
    interval_80: Interval
    interval_kind: str
    model: tuple[str, ...]
    non_overlapping_pairs: tuple[str, ...]
    method: str
    threshold: float
    seed: int
    bootstrap: int
    diagnostics: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (the keys of the `tiltas estimate --format json` output)."""
        return {
            "observed": self.observed,
            "estimate": self.estimate,
            "dark_figure": self.dark_figure,
            "interval_95": list(self.interval_95),
            "interval_80": list(self.interval_80),
            "interval_kind": self.interval_kind,
            "model": list(self.model),
            "non_overlapping_pairs": list(self.non_overlapping_pairs),
            "method": self.method,
            "threshold": self.threshold,
            "seed": self.seed,
            "bootstrap": self.bootstrap,
            "lists": list(self.lists),
            "diagnostics": self.diagnostics,
        }


def _select(design: Design, counts: IntArray, method: Method, threshold: float) -> Selection:
    if method is Method.STEPWISE:
        return stepwise_select(design, counts, threshold=threshold)
    if method is Method.BIC:
        return bic_select(design, counts)
    return Selection(fit=model_fit(design, counts, ()))


def _replicate_estimates(
    list_count: int,
    row_cells: IntArray,
    method: Method,
    threshold: float,
    row_counts: IntArray,
) -> FloatArray:
    """The whole procedure (selection and fit) on each row of `row_counts`; NaN when it fails."""
    design = design_for(list_count)
    results = np.full(row_counts.shape[0], np.nan)
    tables = np.zeros((row_counts.shape[0], design.cell_count), dtype=np.int64)
    tables[:, row_cells] = row_counts
    observed = tables.sum(axis=1)
    usable = np.flatnonzero(observed > 0)
    if method is Method.STEPWISE:
        paths = stepwise_paths(design, tables[usable], threshold=threshold)
        log_dark = np.array([path.log_dark_figure for path in paths])
        results[usable] = observed[usable] + np.exp(log_dark)
        return results
    if method is Method.INDEPENDENCE:
        stacked = stacked_poisson_fit(model_matrix_for(list_count, (), ()), tables[usable])
        results[usable] = observed[usable] + np.exp(stacked.coefficients[:, 0])
        return results
    if method is Method.BIC and list_count <= EXHAUSTIVE_BIC_MAX_LISTS:
        results[usable] = observed[usable] + np.exp(bic_log_dark_figures(design, tables[usable]))
        return results
    for index in usable:
        try:
            if method is Method.CHAPMAN:
                results[index] = chapman_estimate(design, tables[index]).estimate
            else:
                selected = _select(design, tables[index], method, threshold).fit
                results[index] = observed[index] + selected.dark_figure
        except (np.linalg.LinAlgError, ValueError, FloatingPointError):
            continue
    return results


def _run_replicates(
    table: CaptureTable,
    method: Method,
    threshold: float,
    row_counts: IntArray,
    workers: int | None,
) -> FloatArray:
    args = (table.list_count, table.row_cells, method, threshold)
    if workers is None:
        rows = row_counts.shape[0]
        large = (
            rows * ((1 << table.list_count) - 1) >= _PARALLEL_MINIMUM_CELLS
            if method in (Method.STEPWISE, Method.INDEPENDENCE)
            else rows >= _PARALLEL_MINIMUM_ROWS
        )
        workers = (os.cpu_count() or 1) if large else 1
    # The stacked fits are matrix products that BLAS would spread over threads; on a busy
    # machine, and beside our own worker processes, those threads only wait for each other
    # (eight lists: 5 s of CPU with them, 1 s without).
    with threadpool_limits(limits=1, user_api="blas"):
        if workers <= 1:
            return _replicate_estimates(*args, row_counts)
        chunks = np.array_split(row_counts, workers)
        # fork: the workers need only numpy state, and starting them costs nothing.
        context = multiprocessing.get_context("fork" if os.name == "posix" else None)
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            parts = list(
                pool.map(_replicate_estimates, *zip(*[(*args, c) for c in chunks], strict=True))
            )
    return np.concatenate(parts)


def _pairs_named(table: CaptureTable, pairs: tuple[Pair, ...]) -> tuple[str, ...]:
    return tuple(table.pair_name(pair) for pair in sorted(pairs))


def _warnings(table: CaptureTable, design: Design, counts: IntArray) -> list[str]:
    messages = []
    for i, name in enumerate(table.lists):
        if int(counts[design.membership[:, i]].sum()) == 0:
            messages.append(f'list "{name}" has no one on it')
        elif not any(
            design.overlap(counts, (min(i, j), max(i, j)))
            for j in range(table.list_count)
            if j != i
        ):
            messages.append(f'list "{name}" shares no one with any other list')
    return messages


def population_estimate(
    table: CaptureTable,
    *,
    method: Method | str = Method.STEPWISE,
    threshold: float = DEFAULT_THRESHOLD,
    bootstrap: int = 0,
    seed: int = DEFAULT_SEED,
    workers: int | None = None,
) -> PopulationEstimate:
    """Estimate the total population from the table (stepwise 0.02 by default).

    `workers` is the number of processes for the bootstrap; None uses every core when the
    resamples are many enough to gain from it, and one process otherwise.
    """
    method = Method(method)
    if not 0.0 <= threshold <= 1.0 or math.isnan(threshold):
        raise EstimationError(
            "bad_threshold", f"the threshold must be between 0 and 1, not {threshold}"
        )
    if bootstrap < 0:
        raise EstimationError(
            "bad_bootstrap", "the number of bootstrap resamples cannot be negative"
        )
    design = design_for(table.list_count)
    counts = table.full_counts()
    observed = table.observed
    diagnostics: dict[str, Any] = {"warnings": _warnings(table, design, counts)}
    pairs: tuple[Pair, ...] = ()
    infinite: tuple[Pair, ...] = ()
    if method is Method.CHAPMAN:
        if table.list_count != 2:
            raise EstimationError(
                "chapman_needs_two_lists",
                f"the Chapman estimator needs exactly 2 lists, the table has {table.list_count}",
            )
        result = chapman_estimate(design, counts)
        estimate = result.estimate
        dark = estimate - observed
        se_log = math.sqrt(result.variance) / dark if dark > 0 else 0.0
        log_dark = math.log(dark) if dark > 0 else -math.inf
        diagnostics.update(variance=result.variance, overlap=result.both)
    else:
        if model_check(design, counts, ()) != CHECK_OK:
            raise EstimationError(
                "no_estimate",
                "the lists overlap too little for any estimate: even the model of independent "
                "lists has no finite maximum-likelihood estimate",
            )
        selection = _select(design, counts, method, threshold)
        fit: ModelFit = selection.fit
        pairs, infinite = fit.model.pairs, fit.model.infinite_pairs
        dark = fit.dark_figure
        estimate = observed + dark
        log_dark = float(fit.coefficients[0])
        se_log = fit.intercept_se
        diagnostics.update(
            se_log_dark_figure=se_log,
            log_likelihood=fit.log_likelihood,
            deviance=fit.deviance,
            aic=-2.0 * fit.log_likelihood + 2.0 * fit.parameter_count,
            bic=bic(fit, observed),
            converged=fit.converged,
            iterations=fit.iterations,
            steps=[
                {
                    "pair": table.pair_name(step.pair),
                    "p_value": step.p_value,
                    "expected_overlap": step.expected_overlap,
                    "observed_overlap": step.observed_overlap,
                }
                for step in selection.steps
            ],
        )
        if selection.models_considered:
            diagnostics["models_considered"] = selection.models_considered
        if not fit.converged:
            diagnostics["warnings"].append("the model fit did not converge")
    if dark > 0:
        interval_95 = wald_log_interval(observed, log_dark, se_log, 0.95)
        interval_80 = wald_log_interval(observed, log_dark, se_log, 0.80)
    else:
        interval_95 = interval_80 = (float(observed), float(observed))
    kind = "wald"
    if bootstrap > 0:
        # R's draws (r_stream.py): with the rows in the order of the R reference's table, a
        # seeded interval is the one R gives, not only one like it.
        resamples = multinomial_resamples(table.counts, bootstrap, seed)
        positive = np.flatnonzero(table.counts > 0)
        leave_one_out = np.repeat(table.counts[None, :], len(positive), axis=0)
        leave_one_out[np.arange(len(positive)), positive] -= 1
        all_estimates = _run_replicates(
            table, method, threshold, np.vstack([resamples, leave_one_out]), workers
        )
        replicates, jackknife = all_estimates[:bootstrap], all_estimates[bootstrap:]
        usable = np.isfinite(jackknife)
        acceleration = (
            jackknife_acceleration(
                table.counts[positive][usable].astype(np.float64), jackknife[usable]
            )
            if observed > 1
            else 0.0
        )
        failed = int(np.sum(~np.isfinite(replicates)))
        if failed == bootstrap:
            raise EstimationError("bootstrap_failed", "no bootstrap resample gave an estimate")
        low95, high95, low80, high80 = bca_limits(replicates, estimate, acceleration, BCA_ALPHAS)
        interval_95, interval_80 = (low95, high95), (low80, high80)
        kind = "bca"
        diagnostics.update(
            acceleration=acceleration,
            bias_correction_share_below=share_below(replicates, estimate),
            failed_resamples=failed,
        )
    return PopulationEstimate(
        lists=table.lists,
        observed=observed,
        estimate=float(estimate),
        dark_figure=float(dark),
        interval_95=interval_95,
        interval_80=interval_80,
        interval_kind=kind,
        model=_pairs_named(table, pairs),
        non_overlapping_pairs=_pairs_named(table, infinite),
        method=method.value,
        threshold=threshold,
        seed=seed,
        bootstrap=bootstrap,
        diagnostics=diagnostics,
    )
