"""How closely two things move together across schools, with how sure we can be.

Used for CPD hours beside the change in results: a correlation is association, not cause
(schools that chose more CPD may differ in other ways), and across a handful of schools it is
very uncertain, so it is never shown without its interval. The interval is Fisher's z
transformation of Pearson's r, the standard one for a correlation: symmetric on the z scale,
never outside −1..1 on the r scale.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

Z95 = 1.959964
MIN_PAIRS = 4  # with 3 pairs Fisher's interval has no width to speak of (n − 3 = 0)


@dataclass(frozen=True)
class Correlation:
    """Pearson's r across `n` pairs with its 95% interval (Fisher's z)."""

    r: float
    low: float
    high: float
    n: int


def pearson_with_interval(x: Sequence[float], y: Sequence[float]) -> Correlation | None:
    """The correlation with its interval, or None with fewer than `MIN_PAIRS` pairs or when either
    side does not vary (no correlation can be worked out)."""
    xs = np.asarray(x, dtype=float)
    ys = np.asarray(y, dtype=float)
    ok = np.isfinite(xs) & np.isfinite(ys)
    xs, ys = xs[ok], ys[ok]
    n = len(xs)
    if n < MIN_PAIRS or len(np.unique(xs)) < 2 or len(np.unique(ys)) < 2:
        return None
    r = float(np.corrcoef(xs, ys)[0, 1])
    r = max(min(r, 0.999999), -0.999999)  # |r| = 1 has an infinite z
    z = math.atanh(r)
    half = Z95 / math.sqrt(n - 3)
    return Correlation(r=r, low=math.tanh(z - half), high=math.tanh(z + half), n=n)
