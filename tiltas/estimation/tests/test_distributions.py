"""The engine's normal and Poisson functions (no scipy.special at start-up) agree with scipy's."""

import numpy as np
import pytest
from scipy.special import gammaln, ndtr, ndtri, pdtr, pdtrc

from tiltas.estimation.methods.distributions import (
    log_factorial,
    normal_cdf,
    normal_quantile,
    poisson_tail,
)

pytestmark = pytest.mark.nodb


def _scipy_tail(observed, expected):
    upper = np.where(observed > 0, pdtrc(observed - 1, expected), 1.0)
    return np.minimum(pdtr(observed, expected), upper)


def test_poisson_tail_agrees_with_scipy_from_tiny_to_huge_means_and_tails():
    rng = np.random.default_rng(0)
    expected = 10 ** rng.uniform(-4, 4, 20_000)
    observed = (expected * 10 ** rng.uniform(-1.5, 1.2, expected.size)).astype(np.int64)
    observed[:2000] = 0
    reference = _scipy_tail(observed, expected)
    ours = poisson_tail(observed, expected)
    representable = reference > 1e-290
    assert representable.sum() > 15_000
    assert reference[representable].min() < 1e-100  # far tails keep their relative precision
    np.testing.assert_allclose(ours[representable], reference[representable], rtol=1e-9)
    assert np.all(ours[~representable] < 1e-280)


def test_poisson_tail_of_a_stack_keeps_its_shape_and_edge_cases():
    observed = np.array([[0, 3], [5, 0]])
    expected = np.array([[0.0, 0.0], [5.0, 2.0]])
    ours = poisson_tail(observed, expected)
    assert ours.shape == (2, 2)
    assert ours == pytest.approx(_scipy_tail(observed, expected), rel=1e-12)
    assert ours[0] == pytest.approx([1.0, 0.0])  # nothing expected: N = 0 is certain


def test_log_factorial_and_the_normal_distribution_agree_with_scipy():
    whole = np.arange(200_000)
    np.testing.assert_allclose(log_factorial(whole), gammaln(whole + 1.0), rtol=1e-13)
    for x in np.linspace(-9, 9, 721):
        assert normal_cdf(x) == pytest.approx(ndtr(x), rel=1e-13)
    for p in [1e-300, 1e-12, 2.5e-5, 0.025, 0.5, 0.9, 0.975, 1 - 1e-12]:
        assert normal_quantile(p) == pytest.approx(ndtri(p), rel=1e-13)
    assert normal_quantile(0.0) == -np.inf
    assert normal_quantile(1.0) == np.inf
