"""Multiple systems estimation (issue 4): the whole `tiltas estimate` command with a 1,000-resample
BCa bootstrap, timed from start-up to output, beside the single-threaded R reference (SparseMSE),
and the coverage of the 95 % interval on data simulated from a known log-linear model.

    .venv/bin/python bench/estimation.py [--bootstrap 1000] [--skip-eight-lists]
        [--coverage 300] [--coverage-bootstrap 0]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tiltas.estimation.methods import CaptureTable, design_for, model_fit, population_estimate
from tiltas.estimation.methods.table import cell_membership

DATA = Path(__file__).resolve().parents[1] / "tiltas/estimation/tests/data"
TILTAS = str(Path(sys.executable).parent / "tiltas")

# (file, label, R reference seconds (low, high) for 1,000 resamples, published BCa 95 %)
CASES = [
    ("western_us_5list.csv", "Western U.S., 5 lists", (59.0, 59.0), (1293, 3670)),
    ("new_orleans_5list.csv", "New Orleans, 5 lists (n=185)", (41.0, 41.0), (589, 1703)),
    ("new_orleans_8list.csv", "New Orleans, 8 lists (n=185)", (600.0, 1200.0), (717, 1657)),
]


def command_time(path: Path, bootstrap: int) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    done = subprocess.run(
        [TILTAS, "estimate", str(path), "--bootstrap", str(bootstrap), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - started, json.loads(done.stdout)


def speed(bootstrap: int, skip_eight: bool) -> None:
    print(f"`tiltas estimate --bootstrap {bootstrap}` (wall clock, start-up included)")
    header = (
        f"{'data':30} {'Tiltas s':>9} {'R s':>11} {'factor':>9}  estimate  BCa 95 %  (published)"
    )
    print(header)
    for name, label, (r_low, r_high), published in CASES:
        if skip_eight and "8list" in name:
            continue
        seconds, out = command_time(DATA / name, bootstrap)
        low, high = out["interval_95"]
        r_text = f"{r_low:.0f}" if r_low == r_high else f"{r_low:.0f}-{r_high:.0f}"
        factor = (
            f"{r_low / seconds:.0f}x"
            if r_low == r_high
            else f"{r_low / seconds:.0f}-{r_high / seconds:.0f}x"
        )
        print(
            f"{label:30} {seconds:9.1f} {r_text:>11} {factor:>9}  {out['estimate']:8.1f}"
            f"  ({low:,.0f}, {high:,.0f})  ({published[0]:,}, {published[1]:,})"
        )


def coverage(data_sets: int, bootstrap: int) -> None:
    """Truth: the stepwise model of the Western data (A:E) with its fitted cell means."""
    lists = ("A", "B", "C", "D", "E")
    source = (DATA / "western_us_5list.csv").read_text(encoding="utf-8")
    from tiltas.estimation.methods import capture_table_parse

    table = capture_table_parse(source)
    design = design_for(5)
    fit = model_fit(design, table.full_counts(), ((0, 4),))
    means = np.concatenate([[fit.dark_figure], fit.fitted])
    total = round(float(means.sum()))
    probabilities = means / means.sum()
    membership = cell_membership(5).astype(np.int8)
    rng = np.random.default_rng(20261128)
    covered = {"95": 0, "80": 0}
    failed = 0
    started = time.perf_counter()
    for _ in range(data_sets):
        cells = rng.multinomial(total, probabilities)[1:]
        seen = np.flatnonzero(cells)
        simulated = CaptureTable(lists, membership[seen], cells[seen].astype(np.int64))
        try:
            result = population_estimate(simulated, bootstrap=bootstrap, seed=1234)
        except ValueError:
            failed += 1
            continue
        covered["95"] += result.interval_95[0] <= total <= result.interval_95[1]
        covered["80"] += result.interval_80[0] <= total <= result.interval_80[1]
    usable = data_sets - failed
    kind = f"BCa, {bootstrap} resamples" if bootstrap else "Wald, model-conditional"
    print(
        f"Coverage on {data_sets} data sets simulated from the Western A:E model "
        f"(N = {total:,}; {kind}; {time.perf_counter() - started:.0f} s): "
        f"95 % interval {covered['95'] / usable:.1%}, 80 % interval {covered['80'] / usable:.1%}"
        f"{f', {failed} without an estimate' if failed else ''}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--skip-eight-lists", action="store_true")
    parser.add_argument("--coverage", type=int, default=300, help="simulated data sets; 0 skips")
    parser.add_argument("--coverage-bootstrap", type=int, default=0)
    args = parser.parse_args()
    speed(args.bootstrap, args.skip_eight_lists)
    if args.coverage:
        coverage(args.coverage, args.coverage_bootstrap)


if __name__ == "__main__":
    main()
