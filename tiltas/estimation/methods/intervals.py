"""Intervals: Wald on the log scale of the dark figure, and the BCa bootstrap."""

from __future__ import annotations

import math

import numpy as np

from tiltas.estimation.methods.distributions import normal_cdf, normal_quantile
from tiltas.estimation.methods.loglinear import FloatArray

Interval = tuple[float, float]
# Replicates this close to the estimate (relative) are ties, not below it. A resample can give
# exactly the estimate, when it keeps the selected model's sufficient margins (one in 1,000 on
# Western does); computed, the two differ in the last digits by the order in which the
# machine's linear algebra adds (AVX-512 or AVX2 kernels), and counting such a tie as below
# moved Western's upper limit from R's 3,670.6 to 3,672.0.
TIE_TOLERANCE = 1e-9


def share_below(replicates: FloatArray, estimate: float) -> float:
    """The share of the finite replicates below the estimate, ties excepted (BCa's bias
    correction)."""
    finite = replicates[np.isfinite(replicates)]
    tied = np.isclose(finite, estimate, rtol=TIE_TOLERANCE, atol=0.0)
    return float(np.mean((finite < estimate) & ~tied))


def wald_log_interval(observed: int, log_dark: float, se: float, level: float) -> Interval:
    """n + exp(log_dark -/+ z se): the model-conditional interval of `estimatepopulation.0`."""
    z = normal_quantile(0.5 + level / 2.0)
    if not np.isfinite(se):
        return (float("nan"), float("nan"))
    return (
        observed + float(np.exp(log_dark - z * se)),
        observed + float(np.exp(log_dark + z * se)),
    )


def jackknife_acceleration(weights: FloatArray, estimates: FloatArray) -> float:
    """Grouped jackknife acceleration: rows weighted by their counts, leaving one person out."""
    total = float(weights.sum())
    mean = float(weights @ estimates) / total
    deviations = mean - estimates
    spread = float(weights @ deviations**2)
    if spread <= 0.0 or not np.isfinite(spread):
        return 0.0
    return float(weights @ deviations**3) / (6.0 * spread * math.sqrt(spread))


def bca_limits(
    replicates: FloatArray, estimate: float, acceleration: float, alphas: list[float]
) -> list[float]:
    """BCa limits: type 8 quantiles of the replicates at the bias- and skew-corrected levels."""
    finite = replicates[np.isfinite(replicates)]
    bias = normal_quantile(
        share_below(finite, estimate)
    )  # -inf or +inf when every replicate is on one side
    limits = []
    for alpha in alphas:
        if np.isinf(bias):
            adjusted = 0.0 if bias < 0 else 1.0
        else:
            z = bias + normal_quantile(alpha)
            denominator = 1.0 - acceleration * z
            adjusted = normal_cdf(bias + z / denominator) if denominator > 0 else 1.0
        adjusted = min(max(adjusted, 0.0), 1.0)
        limits.append(float(np.quantile(finite, adjusted, method="median_unbiased")))
    return limits
