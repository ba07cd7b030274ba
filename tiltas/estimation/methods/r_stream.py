"""The bootstrap's random draws, the same as the R reference's for the same seed.

SparseMSE's `estimatepopulation` calls `set.seed(iseed)` and then, for every resample,
`rmultinom(1, n, counts)`. Drawing the resamples exactly as R does makes a seeded BCa interval
the published one, not only close to it in distribution (the published limits are single draws
of R's stream: Western's lower limit is the smallest of its 1,000 resamples). What R does, in
its documented algorithms:

- `set.seed(s)` with the default Mersenne-Twister: the seed scrambled by 50 steps of the linear
  congruential generator x -> 69069 x + 1 (mod 2^32), then the next 625 values of that
  generator; the first is the position word (set to 624, so that the first draw regenerates the
  state), the other 624 are the Mersenne-Twister state;
- `unif_rand()`: a 32-bit Mersenne-Twister output times 2^-32, kept inside (0, 1);
- `rbinom(n, p)`: inversion of the distribution function when n min(p, 1-p) < 30, otherwise the
  BTPE algorithm of Kachitvichyanukul and Schmeiser (1988), in the variant R had until 2026
  (R 4.2, which made the test draws, and the R behind the published intervals); a 2026 change
  to R (PR#19049) corrected two signs in the Stirling terms of BTPE's final test, which changes
  some draws of large binomials and the stream after them;
- `rmultinom(n, prob)`: prob divided by its sum, then a binomial draw per entry from the
  remaining number and the remaining probability (summed in extended precision, as R's C code
  does), an entry of probability 0 drawing nothing.

numpy's MT19937 is the same generator; only its seeding and the transformations differ, and
those are written here. Tested against draws made by R 4.2 (tests/data/r_draws.json).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

_LCG_MULTIPLIER = 69069
_MT_WORDS = 624
_TWO_TO_MINUS_32 = 2.3283064365386963e-10
_FIXUP_EDGE = 0.5 * 2.328306437080797e-10
# Below this mean R inverts the distribution function; from it on, BTPE.
_INVERSION_MEAN_LIMIT = 30.0
# R's inversion gives up on a uniform after this many steps and draws another.
_INVERSION_MAX_STEPS = 110
_STIRLING_DIVISOR = 166320.0


def _stirling_term(square: float, value: float) -> float:
    # The series of the Stirling correction in BTPE's final test, for one argument.
    return (
        13860.0 - (462.0 - (132.0 - (99.0 - 140.0 / square) / square) / square) / square
    ) / value


class RStream:
    """R's default random stream after `set.seed(seed)`."""

    def __init__(self, seed: int) -> None:
        scrambled = seed & 0xFFFFFFFF
        for _ in range(50):
            scrambled = (_LCG_MULTIPLIER * scrambled + 1) & 0xFFFFFFFF
        words = []
        for _ in range(_MT_WORDS + 1):
            scrambled = (_LCG_MULTIPLIER * scrambled + 1) & 0xFFFFFFFF
            words.append(scrambled)
        self._generator = np.random.MT19937()
        self._generator.state = {
            "bit_generator": "MT19937",
            "state": {"key": np.array(words[1:], dtype=np.uint32), "pos": _MT_WORDS},
        }

    def uniform(self) -> float:
        """R's unif_rand()."""
        value = int(self._generator.random_raw()) * _TWO_TO_MINUS_32
        if value <= 0.0:
            return _FIXUP_EDGE
        if 1.0 - value <= 0.0:
            return 1.0 - _FIXUP_EDGE
        return value

    def binomial(self, trials: int, probability: float) -> int:
        """R's rbinom(1, trials, probability)."""
        if not 0.0 <= probability <= 1.0 or trials < 0:
            raise ValueError(f"binomial: n = {trials}, p = {probability} is not a distribution")
        if trials == 0 or probability == 0.0:
            return 0
        if probability == 1.0:
            return trials
        p = min(probability, 1.0 - probability)
        q = 1.0 - p
        mean = trials * p
        ratio = p / q
        g = ratio * (trials + 1)
        if mean < _INVERSION_MEAN_LIMIT:
            draw = self._binomial_inversion(trials, p, q, g, ratio)
        else:
            draw = self._binomial_btpe(trials, p, q, mean, g, ratio)
        return trials - draw if probability > 0.5 else draw

    def _binomial_inversion(self, trials: int, p: float, q: float, g: float, ratio: float) -> int:
        start = _power(q, trials) if p > 0.25 else math.exp(trials * math.log1p(-p))
        while True:
            step, f, u = 0, start, self.uniform()
            while True:
                if u < f:
                    return step
                if step > _INVERSION_MAX_STEPS:
                    break
                u -= f
                step += 1
                f *= g / step - ratio

    def _binomial_btpe(self, n: int, p: float, q: float, np_: float, g: float, r: float) -> int:
        ffm = np_ + p
        m = int(ffm)
        fm = float(m)
        npq = np_ * q
        p1 = int(2.195 * math.sqrt(npq) - 4.6 * q) + 0.5
        xm = fm + 0.5
        xl = xm - p1
        xr = xm + p1
        c = 0.134 + 20.5 / (15.3 + fm)
        al = (ffm - xl) / (ffm - xl * p)
        xll = al * (1.0 + 0.5 * al)
        al = (xr - ffm) / (xr * q)
        xlr = al * (1.0 + 0.5 * al)
        p2 = p1 * (1.0 + c + c)
        p3 = p2 + c / xll
        p4 = p3 + c / xlr
        while True:
            u = self.uniform() * p4
            v = self.uniform()
            if u <= p1:  # triangular region
                return int(xm - p1 * v + u)
            if u <= p2:  # parallelogram
                x = xl + (u - p1) / c
                v = v * c + 1.0 - abs(xm - x) / p1
                if v > 1.0 or v <= 0.0:
                    continue
                ix = int(x)
            elif u > p3:  # right tail
                ix = int(xr - math.log(v) / xlr)
                if ix > n:
                    continue
                v = v * (u - p3) * xlr
            else:  # left tail
                ix = int(xl + math.log(v) / xll)
                if ix < 0:
                    continue
                v = v * (u - p2) * xll
            k = abs(ix - m)
            if k <= 20 or k >= npq / 2 - 1:
                # explicit evaluation of f(ix) / f(m)
                f = 1.0
                if m < ix:
                    for i in range(m + 1, ix + 1):
                        f *= g / i - r
                elif m != ix:
                    for i in range(ix + 1, m + 1):
                        f /= g / i - r
                if v <= f:
                    return ix
                continue
            # squeeze with bounds on log f(x), then Stirling's formula
            amaxp = (k / npq) * ((k * (k / 3.0 + 0.625) + 0.16666666666666666) / npq + 0.5)
            ynorm = -k * k / (2.0 * npq)
            alv = math.log(v)
            if alv < ynorm - amaxp:
                return ix
            if alv <= ynorm + amaxp:
                x1 = ix + 1.0
                f1 = fm + 1.0
                z = n + 1.0 - fm
                w = n - ix + 1.0
                bound = (
                    xm * math.log(f1 / x1)
                    + (n - m + 0.5) * math.log(z / w)
                    + (ix - m) * math.log(w * p / (x1 * q))
                    + _stirling_term(f1 * f1, f1) / _STIRLING_DIVISOR
                    + _stirling_term(z * z, z) / _STIRLING_DIVISOR
                    + _stirling_term(x1 * x1, x1) / _STIRLING_DIVISOR
                    + _stirling_term(w * w, w) / _STIRLING_DIVISOR
                )
                if alv <= bound:
                    return ix

    def multinomial(self, size: int, weights: Sequence[float]) -> list[int]:
        """R's rmultinom(1, size, weights): `weights` need not sum to 1."""
        total = 0.0
        for weight in weights:  # R's FixupProb: a double sum of the positive weights
            if weight > 0:
                total += float(weight)
        probabilities = [float(weight) / total for weight in weights]
        remaining_probability = np.longdouble(0.0)
        for probability in probabilities:
            remaining_probability += np.longdouble(probability)
        draws = [0] * len(probabilities)
        remaining = size
        for index, probability in enumerate(probabilities[:-1]):
            if probability != 0.0:
                share = float(np.longdouble(probability) / remaining_probability)
                draws[index] = self.binomial(remaining, share) if share < 1.0 else remaining
                remaining -= draws[index]
            if remaining <= 0:
                return draws
            remaining_probability -= np.longdouble(probability)
        draws[-1] = remaining
        return draws


def _power(base: float, exponent: int) -> float:
    """R_pow_di: base ** exponent by repeated squaring (the rounding R's inversion starts from)."""
    result = 1.0
    while True:
        if exponent & 1:
            result *= base
        exponent >>= 1
        if not exponent:
            return result
        base *= base


def multinomial_resamples(
    counts: npt.NDArray[np.int64], resamples: int, seed: int
) -> npt.NDArray[np.int64]:
    """`resamples` tables drawn as the R reference draws them after set.seed(seed): each
    rmultinom(1, sum(counts), counts), in the order of `counts`."""
    stream = RStream(seed)
    size = int(counts.sum())
    weights = [float(count) for count in counts]
    return np.array(
        [stream.multinomial(size, weights) for _ in range(resamples)], dtype=np.int64
    ).reshape(resamples, len(weights))
