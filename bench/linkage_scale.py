"""Record linkage beyond persons-20k (issue 3, item 6): the demo generator's multilingual records
at 10,000, 100,000 and 1,000,000 records, and FEBRL4 (names, date of birth, address; no
social-security number), each linked by the whole `tiltas link` command and by plain Splink
(bench/linkage.py `plain_splink`) with tight and with broad blocking, in the same run.

Every system runs in a child process of its own, from start-up to the clusters written, so that
its wall time, CPU time and peak memory (the largest resident memory of its process tree, the
workers it forks included) are its own. F1 is pairwise over the final clusters. The machine may
be shared: the 1-minute load average at the start of each run is printed beside it.

    .venv/bin/python bench/linkage_scale.py [--sets demo-10k demo-100k febrl4 demo-1m]
        [--peers tight broad] [--work DIR] [--stop-after SECONDS GB]

The data files are generated once into --work and reused (the 1M demo file takes about 3
minutes); the demo file generated is the largest of the demo sets asked for, the smaller ones
are cut from it.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.linkage import BROAD_BLOCKING, PEER_THRESHOLD, plain_splink
from bench.linkage_datasets import demo_file, febrl4_file
from tiltas.linkage.engine.evaluation import pairwise_score
from tiltas.linkage.engine.model import LinkageSettings

TILTAS = str(Path(sys.executable).parent / "tiltas")
DEMO_LARGEST = 1_000_000
# Data set -> (records, target F1, the time and memory limits of the issue for Tiltas).
DATA_SETS: dict[str, tuple[int, float, float | None, float | None]] = {
    "demo-10k": (10_000, 0.96, None, None),
    "demo-100k": (100_000, 0.96, None, None),
    "febrl4": (10_000, 0.998, None, None),
    "demo-1m": (DEMO_LARGEST, 0.95, 180.0, 6 * 1024.0),
}
# Tight: two of the three fields equal (raw, lower-cased). Broad adds a name's first three
# letters with the date, and the surname with the birth year. bench/linkage.py's broadest
# blocking (any one field equal) is kept for the smaller files: on the 1M demo file it makes
# about 3 billion candidate pairs (20.8M + 10.4M + 1.3M on its first 100,000 records, and the
# count grows with the square of the records).
TIGHT_BLOCKING: tuple[tuple[str, ...], ...] = (
    ("given_name", "family_name"),
    ("family_name", "date_of_birth"),
    ("given_name", "date_of_birth"),
)
BROAD_AT_SCALE: tuple[tuple[str, ...], ...] = (
    *TIGHT_BLOCKING,
    ("substr(given_name, 1, 3)", "date_of_birth"),
    ("substr(family_name, 1, 3)", "date_of_birth"),
    ("family_name", "substr(date_of_birth, 1, 4)"),
)
BROADEST_UP_TO = 100_000
PEERS = {"tight": "Splink tight", "broad": "Splink broad"}


def peer_blocking(peer: str, records: int) -> tuple[tuple[str, ...], ...]:
    if peer == "tight":
        return TIGHT_BLOCKING
    return BROAD_BLOCKING if records <= BROADEST_UP_TO else BROAD_AT_SCALE


@dataclass(frozen=True)
class Run:
    """One system's run on one data set."""

    system: str
    f1: float
    precision: float
    recall: float
    seconds: float
    cpu_seconds: float
    peak_mb: float
    load: float
    stopped: str = ""
    # Tiltas's own account of its stages (`tiltas link --verbosity 2`): time and peak memory.
    stages: tuple[str, ...] = ()


def _clusters_read(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as stream:
        return {row["record_id"]: row["cluster_id"] for row in csv.DictReader(stream)}


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:  # the process has just ended
        pass
    return 0.0


def _descendants(pid: int) -> list[int]:
    """The processes `pid` has started and that still run, theirs included."""
    found, pending = [], [pid]
    while pending:
        parent = pending.pop()
        try:
            with open(f"/proc/{parent}/task/{parent}/children", encoding="ascii") as children:
                started = [int(child) for child in children.read().split()]
        except OSError:
            continue
        found += started
        pending += started
    return found


def _tree_rss_mb(pid: int) -> float:
    """The resident memory of `pid` and of every process it started (Tiltas forks workers to
    standardise names): a page they share counts once in each, so this is an upper bound."""
    return sum(_rss_mb(process) for process in (pid, *_descendants(pid)))


def _child_wait(child: subprocess.Popen[bytes], limits: Limits) -> tuple[int, Any, float, str]:
    """Wait for `child`; stop it once past the limits (the machine is shared). Returns its
    wait status, its own resource usage (wait4: RUSAGE_CHILDREN would mix all children), the
    peak of its process tree's resident memory as sampled, and why it was stopped, if it was."""
    started, stopped, tree_peak = time.perf_counter(), "", 0.0
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            return status, usage, tree_peak, stopped
        elapsed = time.perf_counter() - started
        rss = _tree_rss_mb(child.pid)
        tree_peak = max(tree_peak, rss)
        if not stopped and (rss > limits.megabytes or elapsed > limits.seconds):
            stopped = f"stopped at {elapsed:.0f} s, {rss:.0f} MB"
            child.kill()
        time.sleep(0.5)


@dataclass(frozen=True)
class Limits:
    """Past these a run is stopped and reported as stopped."""

    seconds: float
    megabytes: float


def run_measured(
    system: str,
    command: Sequence[str],
    out: Path,
    truth: dict[str, str],
    log: Path,
    limits: Limits,
) -> Run:
    """Run `command` as a child process and score the clusters it writes to `out`."""
    load = os.getloadavg()[0]
    out.unlink(missing_ok=True)
    started = time.perf_counter()
    with log.open("wb") as errors:
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        status, usage, tree_peak, stopped = _child_wait(child, limits)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0 and not stopped:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-20:]
        raise RuntimeError(f"{system} failed ({child.returncode}): " + "\n".join(tail))
    score = None if stopped else pairwise_score(predicted=_clusters_read(out), truth=truth)
    return Run(
        system=system,
        f1=score.f1 if score else math.nan,
        precision=score.precision if score else math.nan,
        recall=score.recall if score else math.nan,
        seconds=seconds,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        # wait4's maximum is the largest single process's (kilobytes on Linux); a forked
        # worker's memory adds to its parent's, which the sampled tree counts.
        peak_mb=max(usage.ru_maxrss / 1024, tree_peak),
        load=load,
        stopped=stopped,
        stages=tuple(
            line
            for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
            if line.startswith("stage ")
        ),
    )


def peer_child(peer: str, path: Path, out: Path) -> None:
    """The child process of a plain Splink run: read, link, write the clusters."""
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    cluster_of = plain_splink(rows, PEER_THRESHOLD, blocking=peer_blocking(peer, len(rows)))
    with out.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["record_id", "cluster_id"])
        writer.writerows((row["record_id"], cluster_of[row["record_id"]]) for row in rows)


def demo_largest(names: Sequence[str]) -> int:
    """The demo file to generate for the data sets `names`: the largest of them (the smaller
    ones are cut from it); a later run asking for a larger one generates that once."""
    return max((DATA_SETS[name][0] for name in names if name.startswith("demo-")), default=0)


def data_set_files(name: str, work: Path, *, largest: int) -> tuple[Path, Path]:
    if name == "febrl4":
        return febrl4_file(work)
    return demo_file(work, DATA_SETS[name][0], largest=largest)


def data_set_runs(
    name: str, work: Path, peers: Sequence[str], limits: Limits, *, largest: int
) -> tuple[int, list[Run]]:
    path, truth_path = data_set_files(name, work, largest=largest)
    truth = _clusters_read_truth(truth_path)
    # Each system's clusters and standard error are kept in `work`, to read its mistakes.
    out = work / f"{name}-tiltas-clusters.csv"
    command = [TILTAS, "link", str(path), "--out", str(out), "--verbosity", "2"]
    runs = [run_measured("Tiltas", command, out, truth, work / f"{name}-tiltas.log", limits)]
    for peer in peers:
        out = work / f"{name}-{peer}-clusters.csv"
        command = [sys.executable, __file__, "--child", peer, str(path), str(out)]
        log = work / f"{name}-{peer}.log"
        runs.append(run_measured(PEERS[peer], command, out, truth, log, limits))
    return len(truth), runs


def _clusters_read_truth(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as stream:
        return {row["record_id"]: row["person_id"] for row in csv.DictReader(stream)}


HEADER = (
    f"{'data set':10} {'records':>9}  {'system':13} {'F1':>7} {'prec.':>7} {'recall':>7} "
    f"{'wall s':>7} {'CPU s':>7} {'peak MB':>8} {'load':>5}  {'vs Tiltas: F1':>13} "
    f"{'time':>6} {'memory':>6}"
)


def table_rows(name: str, records: int, runs: Sequence[Run]) -> list[str]:
    ours = runs[0]
    lines = []
    for run in runs:
        ratios = (
            f"{run.f1 - ours.f1:>+13.4f} {run.seconds / ours.seconds:>5.2f}x "
            f"{run.peak_mb / ours.peak_mb:>5.2f}x"
            if run is not ours
            else ""
        )
        lines.append(
            f"{name if run is ours else '':10} {records if run is ours else '':>9}  "
            f"{run.system:13} {run.f1:>7.4f} {run.precision:>7.4f} {run.recall:>7.4f} "
            f"{run.seconds:>7.1f} {run.cpu_seconds:>7.1f} {run.peak_mb:>8.0f} {run.load:>5.1f}  "
            + ratios
            + (f"  {run.stopped}" if run.stopped else "")
        )
    return lines


def verdict(name: str, ours: Run) -> str:
    _, target, seconds, megabytes = DATA_SETS[name]
    checks = [f"F1 {ours.f1:.4f} >= {target}: {'met' if ours.f1 >= target else 'NOT met'}"]
    if seconds is not None:
        met = ours.seconds <= seconds
        checks.append(
            f"time {ours.seconds:.0f} s <= {seconds:.0f} s: {'met' if met else 'NOT met'}"
        )
    if megabytes is not None:
        met = ours.peak_mb <= megabytes
        checks.append(
            f"memory {ours.peak_mb:.0f} MB <= {megabytes:.0f} MB: {'met' if met else 'NOT met'}"
        )
    if ours.stopped:
        checks.append(f"{ours.stopped} (time and memory above are lower bounds)")
    return f"  {name}: " + "; ".join(checks)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sets", nargs="+", choices=DATA_SETS, default=list(DATA_SETS))
    parser.add_argument("--peers", nargs="*", choices=PEERS, default=list(PEERS))
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "tiltas-bench-linkage"
    )
    parser.add_argument(
        "--stop-after",
        nargs=2,
        type=float,
        default=(1800, 12),
        metavar=("SECONDS", "GB"),
        help="stop a run past this time or resident memory (the machine may be shared)",
    )
    parser.add_argument("--child", nargs=3, metavar=("PEER", "FILE", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        peer, path, out = args.child
        peer_child(peer, Path(path), Path(out))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"cluster threshold: Tiltas {LinkageSettings().cluster_threshold}, plain Splink "
          f"{PEER_THRESHOLD}; {os.cpu_count()} CPUs; peers: "
          f"tight {TIGHT_BLOCKING}; broad up to {BROADEST_UP_TO:,} records {BROAD_BLOCKING}, "
          f"above {BROAD_AT_SCALE}")  # fmt: skip
    print(HEADER)
    verdicts = []
    for name in args.sets:
        limits = Limits(args.stop_after[0], args.stop_after[1] * 1024)
        records, runs = data_set_runs(
            name, args.work, args.peers, limits, largest=demo_largest(args.sets)
        )
        print("\n".join(table_rows(name, records, runs)), flush=True)
        print("\n".join(f"{'':10} {'':>9}  Tiltas {stage}" for stage in runs[0].stages), flush=True)
        verdicts.append(verdict(name, runs[0]))
    print("targets (Tiltas):")
    print("\n".join(verdicts))


if __name__ == "__main__":
    main()
