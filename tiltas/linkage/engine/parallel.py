"""Pure work spread over the machine's cores (no Django).

Standardising the names of a large file is pure Python and holds one core while the others wait
(a million demo records hold 330,000 distinct surnames, half a minute of work on this machine).
Forked processes share the parent's memory and need no new start-up; they are used only where
forking is safe: on Linux, in a process running no other thread (a fork copies only the thread
that calls it, and a lock held by another would stay locked in the child) and not itself a
daemon (a Celery worker's children may not have children). Anywhere else the work runs here, with
the same result. Threads that a native library runs unseen by Python (DuckDB's, Arrow's) do not
matter to a worker that runs pure Python only, as the functions mapped here do.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Sequence
from functools import partial
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many values, starting the processes and sending the values costs more than it saves.
PARALLEL_MIN_VALUES = 20_000


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def fork_safe() -> bool:
    """Whether this process may fork workers (see the module's docstring)."""
    return (
        sys.platform == "linux"
        and threading.active_count() == 1
        and not multiprocessing.current_process().daemon
    )


def _mapped(function: Callable[[T], R], values: Sequence[T]) -> list[R]:
    return [function(value) for value in values]


def mapped_on_all_cores(
    function: Callable[[T], R], values: Sequence[T], *, min_values: int | None = None
) -> list[R]:
    """[function(value) for value in values], in order, computed by one forked process per
    core when there are at least `min_values` values (PARALLEL_MIN_VALUES) and forking is
    safe, else here. `function` must be pure and defined at a module's top level (the workers
    find it by name)."""
    workers = _cores()
    least = PARALLEL_MIN_VALUES if min_values is None else min_values
    if workers < 2 or len(values) < least or not fork_safe():
        return _mapped(function, values)
    size = math.ceil(len(values) / workers)
    chunks = [values[start : start + size] for start in range(0, len(values), size)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        parts = pool.map(partial(_mapped, function), chunks)
    return [result for part in parts for result in part]
