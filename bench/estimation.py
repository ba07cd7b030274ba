"""Multiple systems estimation (issue 4): the whole `tiltas estimate` command with a 1,000-resample
BCa bootstrap, timed from start-up to output (a new process each run), beside the
single-threaded R reference (SparseMSE) on a 2-core machine. The issue asks for at most 6 s on
Western and 90 s on New Orleans eight lists. Coverage is in bench/estimation_coverage.py.

    .venv/bin/python bench/estimation.py [--bootstrap 1000] [--runs 3] [--skip-eight-lists]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "tiltas/estimation/tests/data"
TILTAS = str(Path(sys.executable).parent / "tiltas")

# (file, label, R reference seconds (low, high) for 1,000 resamples, published BCa 95 %)
CASES = [
    ("western_us_5list.csv", "Western U.S., 5 lists", (59.0, 59.0), (1293, 3670)),
    ("new_orleans_5list.csv", "New Orleans, 5 lists (n=185)", (41.0, 41.0), (589, 1703)),
    ("uk_2013_5list.csv", "UK 2013, 5 lists", (210.0, 210.0), None),
    ("new_orleans_8list.csv", "New Orleans, 8 lists (n=185)", (600.0, 1200.0), (717, 1657)),
]


def command_time(path: Path, bootstrap: int) -> tuple[float, dict[str, Any]]:
    """Wall-clock seconds of one `tiltas estimate` process, start-up included."""
    started = time.perf_counter()
    done = subprocess.run(
        [TILTAS, "estimate", str(path), "--bootstrap", str(bootstrap), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - started, json.loads(done.stdout)


def load() -> str:
    """The machine is shared: the 1-minute load average (2 cores) beside every figure."""
    return f"{os.getloadavg()[0]:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3, help="runs per data set; the median counts")
    parser.add_argument("--skip-eight-lists", action="store_true")
    args = parser.parse_args()
    help_seconds = []
    for _ in range(args.runs):
        started = time.perf_counter()
        subprocess.run([TILTAS, "estimate", "--help"], capture_output=True, check=True)
        help_seconds.append(time.perf_counter() - started)
    print(
        f"start-up alone (`tiltas estimate --help`): {statistics.median(help_seconds):.2f} s"
        f" (load {load()})"
    )
    print(f"`tiltas estimate --bootstrap {args.bootstrap}`, median of {args.runs} runs")
    print(
        f"{'data':30} {'Tiltas s':>9} {'(runs)':>16} {'load':>5} {'R s':>10} {'R / Tiltas':>11}"
        f"  {'estimate':>8}  BCa 95 %  (published)"
    )
    for name, label, (r_low, r_high), published in CASES:
        if args.skip_eight_lists and "8list" in name:
            continue
        loads = [load()]
        runs = []
        for _ in range(args.runs):
            seconds, out = command_time(DATA / name, args.bootstrap)
            runs.append(seconds)
            loads.append(load())
        seconds = statistics.median(runs)
        r_text = f"{r_low:.0f}" if r_low == r_high else f"{r_low:.0f}-{r_high:.0f}"
        factor = (
            f"{r_low / seconds:.0f}x"
            if r_low == r_high
            else f"{r_low / seconds:.0f}-{r_high / seconds:.0f}x"
        )
        low, high = out["interval_95"]
        print(
            f"{label:30} {seconds:9.1f} {'/'.join(f'{s:.1f}' for s in runs):>16}"
            f" {max(loads):>5} {r_text:>10} {factor:>11}  {out['estimate']:8.1f}"
            f"  ({low:,.0f}, {high:,.0f})"
            + (f"  ({published[0]:,}, {published[1]:,})" if published else "")
        )


if __name__ == "__main__":
    main()
