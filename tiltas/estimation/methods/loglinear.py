"""Poisson log-linear models with pairwise interactions on the full capture-history table.

Non-overlapping pairs are fitted exactly at minus infinity (their cells removed), and the
Fienberg-Rinaldo linear program says whether the extended maximum-likelihood estimate exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from tiltas.estimation.methods.distributions import log_factorial
from tiltas.estimation.methods.table import BoolArray, IntArray, all_pairs, cell_membership

Pair = tuple[int, int]
FloatArray = npt.NDArray[np.float64]

CHECK_OK = 0
CHECK_NO_MLE = 1
CHECK_NOT_IDENTIFIABLE = 2

_MAX_ITERATIONS = 100
_DEVIANCE_TOLERANCE = 1e-13
_LP_ZERO = 1e-9  # an optimum tau at most this times n counts as zero
_NULL_MOVE = 1e-9  # |Xv| below this (v a unit null direction, X of 0s and 1s) counts as zero
_ETA_LIMIT = 700.0  # exp() stays finite when the MLE does not exist and a fit diverges


@dataclass(frozen=True)
class Design:
    """Columns shared by every model on t lists: cell memberships and pair indicators."""

    list_count: int
    membership: BoolArray  # (cells, lists)
    main: FloatArray  # (cells, 1 + lists): intercept and main effects
    pair_columns: dict[Pair, BoolArray]
    pair_indicators: BoolArray  # (cells, pairs): the pair columns side by side, in pair order

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
    pairs = all_pairs(list_count)
    pair_columns = {(i, j): membership[:, i] & membership[:, j] for i, j in pairs}
    indicators = np.stack([pair_columns[pair] for pair in pairs], axis=1)
    return Design(list_count, membership, main, pair_columns, indicators)


@dataclass(frozen=True)
class ModelMatrix:
    """A model's design after the deletions for its non-overlapping pairs."""

    pairs: tuple[Pair, ...]
    infinite_pairs: tuple[Pair, ...]
    kept: BoolArray  # cells of the full table still in the fit
    matrix: FloatArray  # (kept cells, parameters)


def model_matrix(design: Design, counts: IntArray, pairs: tuple[Pair, ...]) -> ModelMatrix:
    """Drop the cells and columns of the model's non-overlapping pairs (the extended MLE)."""
    infinite = tuple(pair for pair in pairs if design.overlap(counts, pair) == 0)
    return model_matrix_for(design.list_count, tuple(pairs), infinite)


@lru_cache(maxsize=256)  # ten lists: up to 0.5 MB a matrix
def model_matrix_for(
    list_count: int, pairs: tuple[Pair, ...], infinite: tuple[Pair, ...]
) -> ModelMatrix:
    """The (cached) model matrix of these pairs when those in `infinite` do not overlap."""
    design = design_for(list_count)
    kept = np.ones(design.cell_count, dtype=bool)
    for pair in infinite:
        kept &= ~design.pair_columns[pair]
    finite = [pair for pair in pairs if pair not in infinite]
    columns = [design.main] + [design.pair_columns[p][:, None].astype(np.float64) for p in finite]
    matrix = np.hstack(columns)[kept]
    kept.flags.writeable = matrix.flags.writeable = False  # shared by every caller
    return ModelMatrix(pairs, infinite, kept, matrix)


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


@dataclass(frozen=True)
class StackedFit:
    """One model fitted to a stack of tables; row r of each array belongs to table r."""

    model: ModelMatrix
    coefficients: FloatArray  # (tables, parameters)
    fitted: FloatArray  # (tables, kept cells)
    deviance: FloatArray
    iterations: npt.NDArray[np.int64]
    converged: BoolArray


def _solve_stack(information: FloatArray, score: FloatArray) -> FloatArray:
    try:
        return np.asarray(np.linalg.solve(information, score[:, :, None])[:, :, 0])
    except np.linalg.LinAlgError:
        if not (np.isfinite(information).all() and np.isfinite(score).all()):
            raise  # a diverged fit: LAPACK would only complain on the terminal
        # a model that is not identifiable: the minimum-norm solution keeps the fit defined
        return np.stack(
            [np.linalg.lstsq(a, b, rcond=None)[0] for a, b in zip(information, score, strict=True)]
        )


def stacked_poisson_fit(model: ModelMatrix, counts: IntArray) -> StackedFit:
    """Poisson maximum likelihood by Newton's method (IRLS with the canonical log link) for every
    row of `counts` (tables x cells of the full table) at once.

    Each iteration solves the normal equations of all tables still moving together; a table
    leaves when its deviance has settled, so one whose MLE does not exist holds no one up.
    """
    x = model.matrix
    parameters = x.shape[1]
    y = counts[:, model.kept].astype(np.float64)
    tables = y.shape[0]
    # Row c holds x_c x_c' flattened: mu @ outer is X'diag(mu)X of every table in one product.
    outer = (x[:, :, None] * x[:, None, :]).reshape(x.shape[0], parameters * parameters)
    beta: FloatArray = np.zeros((tables, parameters))
    fitted: FloatArray = np.zeros_like(y)
    deviance: FloatArray = np.full(tables, np.nan)
    iterations = np.full(tables, _MAX_ITERATIONS, dtype=np.int64)
    converged = np.zeros(tables, dtype=bool)
    # the tables still moving, and their working arrays
    moving = np.arange(tables)
    log_y = np.log(np.where(y > 0, y, 1.0))  # y log(y / mu) is 0 where y is 0
    mu: FloatArray = y + 0.1
    eta: FloatArray = np.log(mu)
    step: FloatArray = beta
    previous: FloatArray = np.full(tables, np.inf)
    for iteration in range(1, _MAX_ITERATIONS + 1):
        information = (mu @ outer).reshape(-1, parameters, parameters)
        score = (mu * eta + y - mu) @ x  # X'W z, z the working response
        step = _solve_stack(information, score)
        eta = np.clip(step @ x.T, -_ETA_LIMIT, _ETA_LIMIT)
        mu = np.exp(eta)
        current = 2.0 * (np.sum(y * (log_y - eta), axis=1) - np.sum(y - mu, axis=1))
        settled = np.abs(current - previous) <= _DEVIANCE_TOLERANCE * (np.abs(current) + 0.1)
        if settled.any():
            done = moving[settled]
            beta[done], fitted[done], deviance[done] = step[settled], mu[settled], current[settled]
            iterations[done], converged[done] = iteration, True
            going = ~settled
            moving, y, log_y, mu, eta = moving[going], y[going], log_y[going], mu[going], eta[going]
            step, current = step[going], current[going]
        if not moving.size:
            break
        previous = current
    if moving.size:  # out of iterations
        beta[moving], fitted[moving], deviance[moving] = step, mu, current
    return StackedFit(model, beta, fitted, deviance, iterations, converged)


def _model_fit_of(stacked: StackedFit, row: int, counts: IntArray) -> ModelFit:
    """Table `row` of a stacked fit, with its intercept's standard error and log-likelihood."""
    x, mu = stacked.model.matrix, stacked.fitted[row]
    kept_counts = counts[stacked.model.kept]
    y = kept_counts.astype(np.float64)
    try:
        variance = float(np.linalg.inv((x * mu[:, None]).T @ x)[0, 0])
    except np.linalg.LinAlgError:
        variance = float("nan")
    return ModelFit(
        model=stacked.model,
        coefficients=stacked.coefficients[row],
        fitted=mu,
        intercept_se=float(np.sqrt(variance)) if variance >= 0 else float("nan"),
        log_likelihood=float(
            np.sum(y * np.log(mu) - mu - log_factorial(counts[stacked.model.kept]))
        ),
        deviance=float(stacked.deviance[row]),
        iterations=int(stacked.iterations[row]),
        converged=bool(stacked.converged[row]),
    )


def poisson_fit(model: ModelMatrix, counts: IntArray) -> ModelFit:
    """Poisson maximum likelihood for one table (`counts` on every cell of the full table)."""
    return _model_fit_of(stacked_poisson_fit(model, counts[None, :]), 0, counts)


def independence_fits(design: Design, counts: IntArray) -> list[ModelFit]:
    """The main-effects model fitted to every row of `counts` (tables x cells) in one stacked
    Newton iteration; the same fits as `poisson_fit`, one row at a time."""
    stacked = stacked_poisson_fit(model_matrix_for(design.list_count, (), ()), counts)
    return [_model_fit_of(stacked, row, table) for row, table in enumerate(counts)]


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
    extended MLE exists exactly when no such direction exists. Most tables are decided by the
    rank of the positive cells' rows alone (`existence_by_rank`); the rest by the LP.
    """
    decided = existence_by_rank(matrix, counts)
    return decided if decided is not None else mle_exists_lp(matrix, counts)


def existence_by_rank(matrix: FloatArray, counts: FloatArray) -> bool | None:
    """Decide existence without an LP when the directions d with Xd = 0 on the positive cells
    form a space of dimension 0 or 1; None when there are more.

    Dimension 0: only d = 0, so the MLE exists. Dimension 1, spanned by v: the candidates are
    the multiples of v, and one of them has Xd >= 0 with Xd != 0 exactly when Xv has the same
    sign (or 0) on every zero cell.
    """
    positive = counts > 0
    if positive.all():  # the table itself is a strictly positive one
        return True
    on_positive = matrix[positive]
    nullity = matrix.shape[1] - int(np.linalg.matrix_rank(on_positive))
    if nullity == 0:
        return True
    if nullity > 1:
        return None
    direction = np.linalg.svd(on_positive)[2][-1]
    moves = matrix[~positive] @ direction
    scale = float(np.abs(moves).max())
    if scale < _NULL_MOVE:  # X itself is rank deficient: leave it to the LP
        return None
    moves /= scale
    return bool((moves > _NULL_MOVE).any() and (moves < -_NULL_MOVE).any())


def mle_exists_lp(matrix: FloatArray, counts: FloatArray) -> bool:
    """The dual LP: max sum over zero cells of (Xd) subject to Xd = 0 on the positive cells and
    0 <= Xd <= 1 on zero cells is 0 when the MLE exists and at least 1 otherwise, which leaves
    no tolerance to choose."""
    from scipy.optimize import linprog  # imported late: a second of start-up, rarely needed

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
