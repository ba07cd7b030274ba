"""The time and peak memory of each stage of a linkage, logged at INFO on `tiltas.linkage.engine`
(`tiltas link --verbosity 2` prints them), to see where a large file spends them (no Django)."""

from __future__ import annotations

import logging
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager

LOGGER = logging.getLogger("tiltas.linkage.engine")


def peak_megabytes() -> float:
    """The process's peak resident memory so far (Linux counts it in kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def stage_logged(name: str) -> Iterator[None]:
    """Log the wall time, the CPU time and the peak memory after the stage `name`."""
    started, cpu = time.perf_counter(), time.process_time()
    yield
    LOGGER.info(
        "stage %s: %.1f s (CPU %.1f s), peak memory %.0f MB",
        name,
        time.perf_counter() - started,
        time.process_time() - cpu,
        peak_megabytes(),
    )
