"""Wilson score intervals for a school's percentage, from how many pupils it is about.

A school percentage from 20 pupils moves by five points when one pupil changes, so a figure
without its interval invites over-reading. The Wilson interval (not the textbook normal one)
behaves at the edges: 0 of 12 still has an upper end above zero, 12 of 12 a lower end below
100%, and it never leaves 0..1.
"""

from __future__ import annotations

import math

Z95 = 1.96


def wilson_interval(successes: float, n: float, z: float = Z95) -> tuple[float, float]:
    """The Wilson interval for `successes` of `n`, as proportions (0..1).

    `successes` may be fractional (a percentage times a cohort size rarely lands on a whole
    pupil once rounded figures are published). Raises ValueError for n <= 0 or a count outside
    0..n, because an interval for an impossible count would be a made-up number.
    """
    if n is None or not n > 0:
        raise ValueError(f"a Wilson interval needs a positive number of pupils, not {n!r}")
    if not -1e-9 <= successes <= n + 1e-9:
        raise ValueError(f"{successes!r} of {n!r} is not a possible count")
    p = min(max(successes / n, 0.0), 1.0)
    z2 = z * z
    centre = p + z2 / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    denominator = 1 + z2 / n
    low = (centre - spread) / denominator
    high = (centre + spread) / denominator
    return max(0.0, low), min(1.0, high)


def percent_interval(percent: float, n: float, z: float = Z95) -> tuple[float, float]:
    """The Wilson interval, in percentage points, for a stored percentage (0..100) of `n` pupils."""
    low, high = wilson_interval(percent / 100.0 * n, n, z)
    return 100.0 * low, 100.0 * high
