"""Normal and Poisson distribution functions from the standard library and numpy.

scipy.special has them all, but importing it costs 0.4 s of CPU, as much as the rest of the
start-up of `tiltas estimate`; the tests hold these to scipy's values.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

_STANDARD_NORMAL = NormalDist()
_SERIES_TOLERANCE = 1e-17  # a series stops when its next term adds less than this, relatively
_log_factorials: FloatArray = np.zeros(1)


def normal_cdf(x: float) -> float:
    """Phi(x)."""
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def normal_quantile(p: float) -> float:
    """Phi^-1(p), with -inf at 0 and +inf at 1."""
    if p <= 0.0:
        return -math.inf
    if p >= 1.0:
        return math.inf
    return _STANDARD_NORMAL.inv_cdf(p)


def log_factorial(values: npt.ArrayLike) -> FloatArray:
    """log(k!) of whole numbers k >= 0, from a table that grows to the largest one asked for."""
    global _log_factorials
    k = np.asarray(values, dtype=np.int64)
    largest = int(k.max(initial=0))
    if largest >= len(_log_factorials):
        size = max(largest + 1, 2 * len(_log_factorials))
        _log_factorials = np.array([math.lgamma(i + 1.0) for i in range(size)])
    return np.asarray(_log_factorials[k], dtype=np.float64)


def poisson_tail(observed: npt.ArrayLike, expected: npt.ArrayLike) -> FloatArray:
    """min(P(X <= N), P(X >= N)) for X ~ Poisson(expected), elementwise: the more extreme
    one-sided tail of an observed count N.

    The smaller tail is summed outwards from P(X = N), where its terms shrink: down to 0 when
    N is below the mean, upwards without end when it is above. The other tail is its complement,
    since P(X <= N) + P(X >= N) = 1 + P(X = N); so a tail of 1e-30 keeps its digits.
    """
    k, mean = np.broadcast_arrays(
        np.asarray(observed, dtype=np.int64), np.asarray(expected, dtype=np.float64)
    )
    counts = k.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_mass = -mean + np.where(k > 0, counts * np.log(mean), 0.0) - log_factorial(k)
        mass = np.exp(log_mass).ravel()  # P(X = N)
        counts, mean = counts.ravel(), mean.ravel()
        below = counts < mean
        total = np.ones_like(mean)  # the series, in units of P(X = N)
        term = np.ones_like(mean)
        going = np.arange(len(mean))  # the series not yet summed
        step = 1
        while going.size:
            # term n over term n - 1: (N - n + 1) / mean going down, mean / (N + n) going up
            c, m = counts[going], mean[going]
            ratio = np.where(below[going], (c - step + 1) / m, m / (c + step))
            term[going] *= np.maximum(ratio, 0.0)
            total[going] += term[going]
            going = going[term[going] > _SERIES_TOLERANCE * total[going]]
            step += 1
        smaller = mass * total
    tail = np.minimum(smaller, 1.0 - smaller + mass)
    return np.asarray(tail.reshape(k.shape), dtype=np.float64)
