"""Poisson log-linear models with pairwise interactions on the full capture-history table.

Non-overlapping pairs are fitted exactly at minus infinity (their cells removed), and the
Fienberg-Rinaldo linear program says whether the extended maximum-likelihood estimate exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from scipy.optimize import linprog
from scipy.special import gammaln

from tiltas.estimation.methods.table import BoolArray, IntArray, all_pairs, cell_membership

Pair = tuple[int, int]
FloatArray = npt.NDArray[np.float64]

CHECK_OK = 0
CHECK_NO_MLE = 1
CHECK_NOT_IDENTIFIABLE = 2

_MAX_ITERATIONS = 100
_DEVIANCE_TOLERANCE = 1e-13
_LP_ZERO = 1e-9  # an optimum tau at most this times n counts as zero
_ETA_LIMIT = 700.0  # exp() stays finite when the MLE does not exist and a fit diverges


@dataclass(frozen=True)
class Design:
    """Columns shared by every model on t lists: cell memberships and pair indicators."""

    list_count: int
    membership: BoolArray  # (cells, lists)
    main: FloatArray  # (cells, 1 + lists): intercept and main effects
    pair_columns: dict[Pair, BoolArray]

    @property
    def cell_count(self) -> int:
        return int(self.membership.shape[0])

    def overlap(self, counts: IntArray, pair: Pair) -> int:
        """N*_ij: how many people are on both lists of the pair, whatever else they are on."""
        return int(counts[self.pair_columns[pair]].sum())


@lru_cache(maxsize=16)
def design_for(list_count: int) -> Design:
    """The (cached) design of the full table on `list_count` lists."""
    membership = cell_membership(list_count)
    main = np.hstack([np.ones((membership.shape[0], 1)), membership.astype(np.float64)])
    pair_columns = {(i, j): membership[:, i] & membership[:, j] for i, j in all_pairs(list_count)}
    return Design(list_count, membership, main, pair_columns)


@dataclass(frozen=True)
class ModelMatrix:
    """A model's design after the deletions for its non-overlapping pairs."""

    pairs: tuple[Pair, ...]
    infinite_pairs: tuple[Pair, ...]
    kept: BoolArray  # cells of the full table still in the fit
    matrix: FloatArray  # (kept cells, parameters)


def model_matrix(design: Design, counts: IntArray, pairs: tuple[Pair, ...]) -> ModelMatrix:
    """Drop the cells and columns of the model's non-overlapping pairs (the extended MLE)."""
    kept = np.ones(design.cell_count, dtype=bool)
    finite: list[Pair] = []
    infinite: list[Pair] = []
    for pair in pairs:
        if design.overlap(counts, pair) == 0:
            infinite.append(pair)
            kept &= ~design.pair_columns[pair]
        else:
            finite.append(pair)
    columns = [design.main] + [design.pair_columns[p][:, None].astype(np.float64) for p in finite]
    matrix = np.hstack(columns)[kept]
    return ModelMatrix(tuple(pairs), tuple(infinite), kept, matrix)


@dataclass(frozen=True)
class ModelFit:
    """A fitted model: coefficients, fitted means on the kept cells, the intercept's error."""

    model: ModelMatrix
    coefficients: FloatArray
    fitted: FloatArray  # means on the kept cells
    intercept_se: float
    log_likelihood: float
    deviance: float
    iterations: int
    converged: bool

    @property
    def dark_figure(self) -> float:
        """exp(intercept): the fitted mean of the unobserved cell."""
        return float(np.exp(self.coefficients[0]))

    @property
    def parameter_count(self) -> int:
        """Free parameters, counting each pair fitted at minus infinity as one."""
        return int(self.model.matrix.shape[1]) + len(self.model.infinite_pairs)

    def expected_overlap(self, design: Design, pair: Pair) -> float:
        """The fitted number of people on both lists of the pair (over the kept cells)."""
        return float(self.fitted[design.pair_columns[pair][self.model.kept]].sum())


def _solve(matrix: FloatArray, vector: FloatArray) -> FloatArray:
    try:
        return np.asarray(np.linalg.solve(matrix, vector), dtype=np.float64)
    except np.linalg.LinAlgError:
        # a model that is not identifiable: the minimum-norm solution keeps the fit defined
        return np.asarray(np.linalg.lstsq(matrix, vector, rcond=None)[0], dtype=np.float64)


def poisson_fit(model: ModelMatrix, counts: IntArray) -> ModelFit:
    """Poisson maximum likelihood by Newton's method (IRLS with the canonical log link)."""
    x = model.matrix
    y = counts[model.kept].astype(np.float64)
    mu = y + 0.1
    eta = np.log(mu)
    positive = y > 0
    deviance_old = np.inf
    deviance = np.inf
    beta = np.zeros(x.shape[1])
    converged = False
    iteration = 0
    for iteration in range(1, _MAX_ITERATIONS + 1):  # noqa: B007 - the count is reported
        working = eta + (y - mu) / mu
        weighted = x * mu[:, None]
        beta = _solve(weighted.T @ x, weighted.T @ working)
        eta = np.clip(x @ beta, -_ETA_LIMIT, _ETA_LIMIT)
        mu = np.exp(eta)
        deviance = 2.0 * float(
            np.sum(y[positive] * np.log(y[positive] / mu[positive])) - np.sum(y - mu)
        )
        if abs(deviance - deviance_old) <= _DEVIANCE_TOLERANCE * (abs(deviance) + 0.1):
            converged = True
            break
        deviance_old = deviance
    information = (x * mu[:, None]).T @ x
    try:
        intercept_variance = float(np.linalg.inv(information)[0, 0])
    except np.linalg.LinAlgError:
        intercept_variance = float("nan")
    log_likelihood = float(np.sum(y * np.log(np.where(mu > 0, mu, 1.0)) - mu - gammaln(y + 1)))
    return ModelFit(
        model=model,
        coefficients=beta,
        fitted=mu,
        intercept_se=float(np.sqrt(intercept_variance)) if intercept_variance >= 0 else np.nan,
        log_likelihood=log_likelihood,
        deviance=deviance,
        iterations=iteration,
        converged=converged,
    )


def model_fit(design: Design, counts: IntArray, pairs: tuple[Pair, ...]) -> ModelFit:
    """Fit the model with these pairwise interactions on the full table."""
    return poisson_fit(model_matrix(design, counts, pairs), counts)


_check_cache: dict[tuple[int, tuple[Pair, ...], bytes], int] = {}
_CHECK_CACHE_LIMIT = 200_000


def model_check(design: Design, counts: IntArray, pairs: tuple[Pair, ...]) -> int:
    """0 when the extended MLE exists and is identifiable; 1 no MLE, 2 not identifiable, 3 both.

    Both properties depend on the data only through which cells are positive, so results are
    cached by that support: bootstrap resamples share supports.
    """
    support = counts > 0
    key = (design.list_count, pairs, np.packbits(support).tobytes())
    cached = _check_cache.get(key)
    if cached is not None:
        return cached
    model = model_matrix(design, counts, pairs)
    x = model.matrix
    y = counts[model.kept].astype(np.float64)
    not_identifiable = int(np.linalg.matrix_rank(x) < x.shape[1])
    no_mle = 0
    # The observed table itself is a feasible point, so all-positive kept cells settle it.
    if not np.all(y > 0):
        cells, parameters = x.shape
        sufficient = x.T @ y
        objective = np.zeros(cells + 1)
        objective[-1] = -1.0
        equality = np.hstack([x.T, np.zeros((parameters, 1))])
        upper = np.hstack([-np.eye(cells), np.ones((cells, 1))])
        result = linprog(
            objective,
            A_ub=upper,
            b_ub=np.zeros(cells),
            A_eq=equality,
            b_eq=sufficient,
            bounds=(0, None),
            method="highs",
        )
        tau = float(-result.fun) if result.status == 0 else 0.0
        no_mle = int(tau <= _LP_ZERO * max(float(y.sum()), 1.0))
    code = no_mle + 2 * not_identifiable
    if len(_check_cache) >= _CHECK_CACHE_LIMIT:
        _check_cache.clear()
    _check_cache[key] = code
    return code
