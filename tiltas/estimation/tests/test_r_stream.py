"""The bootstrap's draws are R's: the same uniforms, binomials and multinomials as R 4.2 after
the same set.seed (data/r_draws.json, made by data/r_draws.R)."""

import json
from typing import Any

import numpy as np
import pytest

from tiltas.estimation.methods.r_stream import RStream, multinomial_resamples
from tiltas.estimation.tests.conftest import DATA

pytestmark = pytest.mark.nodb


@pytest.fixture(scope="module")
def r_draws() -> dict[str, Any]:
    draws: dict[str, Any] = json.loads((DATA / "r_draws.json").read_text(encoding="utf-8"))
    return draws


def test_uniforms_binomials_and_multinomials_are_those_r_draws(r_draws):
    stream = RStream(r_draws["seed"])
    assert [stream.uniform() for _ in range(5)] == pytest.approx(r_draws["runif_5"], rel=1e-15)
    # In R's order: each call goes on with the stream the previous one left.
    for key, trials, probability, count in (
        ("rbinom_2000_1000_0.3", 1000, 0.3, 2000),  # BTPE, with its squeeze and Stirling steps
        ("rbinom_2000_100_0.45", 100, 0.45, 2000),  # BTPE near its lower mean
        ("rbinom_2000_50_0.9", 50, 0.9, 2000),  # inversion, on 1 - p
        ("rbinom_500_100000_0.01", 100_000, 0.01, 500),
        ("rbinom_500_400_0.7", 400, 0.7, 500),  # BTPE on 1 - p
    ):
        drawn = [stream.binomial(trials, probability) for _ in range(count)]
        assert drawn == r_draws[key], key
    multinomials = [stream.multinomial(5000, [5, 2, 0, 3]) for _ in range(200)]
    assert [value for draw in multinomials for value in draw] == r_draws[
        "rmultinom_200_5000_5_2_0_3"
    ]


def test_a_resample_keeps_its_total_and_never_fills_an_empty_row():
    counts = np.array([40, 0, 7, 1, 0, 120], dtype=np.int64)
    resamples = multinomial_resamples(counts, 300, seed=5)
    assert resamples.shape == (300, 6)
    assert (resamples.sum(axis=1) == counts.sum()).all()
    assert (resamples[:, [1, 4]] == 0).all()
    assert not (resamples == counts).all(axis=1).all()  # they are draws, not copies
    np.testing.assert_array_equal(resamples, multinomial_resamples(counts, 300, seed=5))


def test_impossible_binomials_are_refused():
    stream = RStream(1)
    with pytest.raises(ValueError, match="not a distribution"):
        stream.binomial(10, 1.5)
    assert stream.binomial(0, 0.4) == 0
    assert stream.binomial(12, 1.0) == 12
