"""Poisson log-linear models with pairwise interactions on the full capture-history table.

Non-overlapping pairs are fitted exactly at minus infinity (their cells removed), and the
Fienberg-Rinaldo linear program says whether the extended maximum-likelihood estimate exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
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


def independence_fits(design: Design, counts: IntArray) -> list[ModelFit]:
    """The main-effects model fitted to every row of `counts` (tables x cells) in one Newton
    iteration over the whole stack; the same fits as `poisson_fit`, one row at a time."""
    model = model_matrix(design, counts[0], ())
    x = model.matrix
    y = counts.astype(np.float64)
    mu: FloatArray = y + 0.1
    eta: FloatArray = np.log(mu)
    safe_y = np.where(y > 0, y, 1.0)
    deviance_old = np.full(len(y), np.inf)
    converged = np.zeros(len(y), dtype=bool)
    iterations = np.zeros(len(y), dtype=np.int64)
    beta: FloatArray = np.zeros((len(y), x.shape[1]))
    active = np.arange(len(y))
    for _ in range(_MAX_ITERATIONS):
        # Only tables still moving are iterated: one whose MLE does not exist would otherwise
        # keep the whole stack going for the full iteration budget.
        ya, mua = y[active], mu[active]
        working = eta[active] + (ya - mua) / mua
        weighted = x.T[None, :, :] * mua[:, None, :]  # (tables, parameters, cells)
        try:
            step = np.linalg.solve(weighted @ x, (weighted @ working[:, :, None]))[:, :, 0]
        except np.linalg.LinAlgError:
            return [poisson_fit(model, row) for row in counts]
        beta[active] = step
        eta[active] = np.clip(step @ x.T, -_ETA_LIMIT, _ETA_LIMIT)
        mu[active] = np.exp(eta[active])
        mua = mu[active]
        deviance = 2.0 * (
            np.sum(ya * np.log(safe_y[active] / mua), axis=1) - np.sum(ya - mua, axis=1)
        )
        iterations[active] += 1
        done = np.abs(deviance - deviance_old[active]) <= _DEVIANCE_TOLERANCE * (
            np.abs(deviance) + 0.1
        )
        deviance_old[active] = deviance
        converged[active[done]] = True
        active = active[~done]
        if not len(active):
            break
    weighted = x.T[None, :, :] * mu[:, None, :]
    fits = []
    for row in range(len(y)):
        try:
            variance = float(np.linalg.inv(weighted[row] @ x)[0, 0])
        except np.linalg.LinAlgError:
            variance = float("nan")
        fits.append(
            ModelFit(
                model=model,
                coefficients=beta[row],
                fitted=mu[row],
                intercept_se=float(np.sqrt(variance)) if variance >= 0 else float("nan"),
                log_likelihood=float(
                    np.sum(y[row] * np.log(mu[row]) - mu[row] - gammaln(y[row] + 1))
                ),
                deviance=float(deviance_old[row]),
                iterations=int(iterations[row]),
                converged=bool(converged[row]),
            )
        )
    return fits


def model_fit(design: Design, counts: IntArray, pairs: tuple[Pair, ...]) -> ModelFit:
    """Fit the model with these pairwise interactions on the full table."""
    return poisson_fit(model_matrix(design, counts, pairs), counts)


_CHECK_CACHE_LIMIT = 200_000


def mle_exists_primal(matrix: FloatArray, counts: FloatArray) -> bool:
    """The Fienberg-Rinaldo LP as SparseMSE states it: is there a strictly positive table with
    the same sufficient statistics?  max tau s.t. X'u = X'n, u >= tau, u >= 0."""
    from scipy.optimize import linprog  # imported late: a second of start-up, not always used

    cells, parameters = matrix.shape
    objective = np.zeros(cells + 1)
    objective[-1] = -1.0
    result = linprog(
        objective,
        A_ub=np.hstack([-np.eye(cells), np.ones((cells, 1))]),
        b_ub=np.zeros(cells),
        A_eq=np.hstack([matrix.T, np.zeros((parameters, 1))]),
        b_eq=matrix.T @ counts,
        bounds=(0, None),
        method="highs",
    )
    tau = float(-result.fun) if result.status == 0 else 0.0
    return tau > _LP_ZERO * max(float(counts.sum()), 1.0)


def mle_exists(matrix: FloatArray, counts: FloatArray) -> bool:
    """The same decision as `mle_exists_primal`, from its dual: p unknowns instead of one per cell.

    By LP duality a zero cell can be made positive under the sufficient statistics unless some
    direction d has Xd >= 0, Xd = 0 on the positive cells and Xd > 0 on that cell. So the
    extended MLE exists exactly when max sum over zero cells of (Xd) subject to Xd = 0 on
    positive cells and 0 <= Xd <= 1 on zero cells is 0; otherwise the maximum is at least 1,
    which leaves no tolerance to choose.
    """
    from scipy.optimize import linprog  # imported late: a second of start-up, not always used

    positive = counts > 0
    on_zeros = matrix[~positive]
    result = linprog(
        -on_zeros.sum(axis=0),
        A_ub=np.vstack([on_zeros, -on_zeros]),
        b_ub=np.concatenate([np.ones(len(on_zeros)), np.zeros(len(on_zeros))]),
        A_eq=matrix[positive],
        b_eq=np.zeros(int(positive.sum())),
        bounds=(None, None),
        method="highs",
    )
    if result.status != 0:
        return mle_exists_primal(matrix, counts)
    return float(-result.fun) < 0.5


@dataclass
class _SupportBounds:
    """Supports (bit masks of positive cells) already decided for one model matrix."""

    exists: list[int]
    fails: list[int]
    not_identifiable: bool


_support_bounds: dict[tuple[int, tuple[Pair, ...], tuple[Pair, ...]], _SupportBounds] = {}
_SUPPORTS_KEPT = 64


def _support_mask(support: BoolArray) -> int:
    return int.from_bytes(np.packbits(support).tobytes(), "big")


def model_check(design: Design, counts: IntArray, pairs: tuple[Pair, ...]) -> int:
    """0 when the extended MLE exists and is identifiable; 1 no MLE, 2 not identifiable, 3 both.

    For a given model matrix (the model and which of its pairs do not overlap), existence
    depends only on which cells are positive and is monotone in them: a table positive on more
    cells than one known to have an MLE has one too, and on fewer cells than one known to fail,
    fails. Bootstrap resamples mostly lose cells, so remembered supports spare most LPs.
    """
    model = model_matrix(design, counts, pairs)
    key = (design.list_count, pairs, model.infinite_pairs)
    x = model.matrix
    bounds = _support_bounds.get(key)
    if bounds is None:
        if len(_support_bounds) >= _CHECK_CACHE_LIMIT:
            _support_bounds.clear()
        bounds = _SupportBounds([], [], bool(np.linalg.matrix_rank(x) < x.shape[1]))
        _support_bounds[key] = bounds
    y = counts[model.kept].astype(np.float64)
    support = _support_mask(y > 0)
    if all(y > 0) or any(known & ~support == 0 for known in bounds.exists):
        exists = True
    elif any(support & ~known == 0 for known in bounds.fails):
        exists = False
    else:
        exists = mle_exists(x, y)
        remembered = bounds.exists if exists else bounds.fails
        if len(remembered) >= _SUPPORTS_KEPT:
            remembered.pop(0)
        remembered.append(support)
    return int(not exists) + 2 * int(bounds.not_identifiable)
