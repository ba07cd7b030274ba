"""Names standardised on every core give what one core gives; workers are forked only where
that is safe."""

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from tiltas.linkage.engine.parallel import fork_safe, mapped_on_all_cores

ROOT = Path(__file__).resolve().parents[3]
SEVERAL_CORES = pytest.mark.skipif(
    len(os.sched_getaffinity(0)) < 2, reason="one core: no worker is forked"
)


def worker_pid(value: int) -> tuple[int, int]:
    """The value and the process that saw it (found by name in the forked workers)."""
    return value, os.getpid()


def _run(script: str) -> str:
    """Run `script` in a fresh interpreter: one thread and not a daemon, as `tiltas link` is
    (this test process may run other threads, where no worker is forked)."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@SEVERAL_CORES
def test_values_are_mapped_in_order_by_forked_workers() -> None:
    out = _run(
        """
        import os
        from tiltas.linkage.engine.parallel import fork_safe, mapped_on_all_cores
        from tiltas.linkage.tests.test_parallel import worker_pid
        assert fork_safe()
        results = mapped_on_all_cores(worker_pid, list(range(1000)), min_values=1)
        assert [value for value, _ in results] == list(range(1000))
        # Forked workers did the work (one may take both halves if it is quicker than the
        # other's start).
        workers = {pid for _, pid in results}
        assert workers and os.getpid() not in workers, workers
        print("forked")
        """
    )
    assert out == "forked"


@SEVERAL_CORES
def test_a_file_standardised_on_every_core_equals_one_standardised_here() -> None:
    # The workers run first, while this interpreter's name caches are empty: each side
    # computes every name itself.
    out = _run(
        """
        from pathlib import Path
        from tiltas.linkage.engine import parallel
        from tiltas.linkage.engine.records_file import records_read
        from tiltas.linkage.engine.standardise import records_standardise
        records = records_read(Path("tiltas/linkage/tests/data/persons-sample.csv")).records
        parallel.PARALLEL_MIN_VALUES = 1
        on_every_core = records_standardise(records)
        parallel.PARALLEL_MIN_VALUES = 10**9
        here = records_standardise(records)
        assert len(here) == len(records)
        assert on_every_core == here
        print(sum(record.names_swapped for record in here))
        """
    )
    assert int(out) > 0  # the swap decisions, made after the workers, are compared as well


def test_no_worker_is_forked_while_another_thread_runs() -> None:
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not fork_safe()
        results = mapped_on_all_cores(worker_pid, list(range(50)), min_values=1)
    finally:
        release.set()
        other.join()
    assert results == [(value, os.getpid()) for value in range(50)]


def test_few_values_are_mapped_here() -> None:
    assert mapped_on_all_cores(worker_pid, [1, 2, 3]) == [(1, os.getpid()), (2, os.getpid()),
                                                          (3, os.getpid())]  # fmt: skip
