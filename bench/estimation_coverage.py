"""Multiple systems estimation (issue 4): how often the 95 % interval covers the true total.

Each truth is a known log-linear model: the stepwise model of a published table, with its fitted
cell means (the unobserved cell included) as the expected counts. Every simulated data set
captures exactly N = round(sum of the means) people, spread over the cells by a multinomial
draw; the unobserved cell is then hidden and `population_estimate` runs as on real data. The
peer figure is the nominal level; the issue asks for at least 90 % at 95 %.

    .venv/bin/python bench/estimation_coverage.py [--data-sets 300] [--bootstrap 200]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tiltas.estimation.methods import (
    CaptureTable,
    EstimationError,
    capture_table_parse,
    design_for,
    model_fit,
    population_estimate,
)
from tiltas.estimation.methods.table import cell_membership

DATA = Path(__file__).resolve().parents[1] / "tiltas/estimation/tests/data"
TRUTHS = [
    ("western_us_5list.csv", "Western U.S., 5 lists, model A:E"),
    ("uk_2013_5list.csv", "UK 2013, 5 lists, stepwise model"),
]


def truth_of(name: str) -> tuple[tuple[str, ...], int, np.ndarray]:
    """Lists, true total and cell probabilities (index 0 = the unobserved cell)."""
    table = capture_table_parse((DATA / name).read_text(encoding="utf-8"))
    result = population_estimate(table)
    pairs = tuple(
        (table.lists.index(a), table.lists.index(b))
        for a, b in (pair.split(":") for pair in result.model)
    )
    fit = model_fit(design_for(table.list_count), table.full_counts(), pairs)
    means = np.zeros(1 << table.list_count)
    means[0] = fit.dark_figure
    means[1:][fit.model.kept] = fit.fitted
    return table.lists, round(float(means.sum())), means / means.sum()


def coverage(name: str, label: str, data_sets: int, bootstrap: int, seed: int) -> None:
    lists, total, probabilities = truth_of(name)
    membership = cell_membership(len(lists)).astype(np.int8)
    rng = np.random.default_rng(seed)
    kinds = ["wald"] + (["bca"] if bootstrap else [])
    covered = {(kind, level): 0 for kind in kinds for level in (95, 80)}
    widths: dict[str, list[float]] = {kind: [] for kind in kinds}
    failed = 0
    seconds = dict.fromkeys(kinds, 0.0)
    for index in range(data_sets):
        cells = rng.multinomial(total, probabilities)[1:]
        seen = np.flatnonzero(cells)
        simulated = CaptureTable(lists, membership[seen], cells[seen].astype(np.int64))
        try:
            for kind in kinds:
                started = time.perf_counter()
                result = population_estimate(
                    simulated, bootstrap=bootstrap if kind == "bca" else 0, seed=index
                )
                seconds[kind] += time.perf_counter() - started
                for level, (low, high) in ((95, result.interval_95), (80, result.interval_80)):
                    covered[kind, level] += low <= total <= high
                widths[kind].append(result.interval_95[1] - result.interval_95[0])
        except EstimationError:
            failed += 1
    usable = data_sets - failed
    print(
        f"{label}: N = {total:,}, {1 - probabilities[0]:.0%} of them expected on a list, "
        f"{data_sets} data sets" + (f", {failed} without an estimate" if failed else "")
    )
    print(
        f"  {'interval':34} {'95 % covers':>12} {'(nominal)':>10} {'80 % covers':>12}"
        f" {'median 95 % width':>18} {'seconds':>8}"
    )
    for kind in kinds:
        share95 = covered[kind, 95] / usable
        error = math.sqrt(share95 * (1 - share95) / usable)
        title = (
            "Wald on the log scale, model-given"
            if kind == "wald"
            else f"BCa bootstrap, {bootstrap} resamples"
        )
        print(
            f"  {title:34} {share95:11.1%}  {'95.0%':>9} {covered[kind, 80] / usable:11.1%}"
            f" {np.median(widths[kind]):18,.0f} {seconds[kind]:8.1f}"
            f"   (+/- {error:.1%}; issue asks >= 90 %)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-sets", type=int, default=300)
    parser.add_argument("--bootstrap", type=int, default=200, help="BCa resamples; 0 skips BCa")
    parser.add_argument("--seed", type=int, default=20261128)
    args = parser.parse_args()
    for name, label in TRUTHS:
        coverage(name, label, args.data_sets, args.bootstrap, args.seed)


if __name__ == "__main__":
    main()
