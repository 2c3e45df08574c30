"""Before-and-after on the same people: the mean change with a t 95% interval.

Staff rate themselves before and after a CPD activity. The same person's two ratings are
related, so the honest interval is on each person's own change (a paired t interval), not
on the difference between two independent means, which would be far wider or far narrower
depending on how alike the before and after ratings are.
"""

from __future__ import annotations

import math

import pandas as pd
from scipy import stats


def mean_change(before: pd.Series, after: pd.Series,
                level: float = 0.95) -> tuple[float, float, float, int] | None:
    """(mean of after − before, low, high, pairs) over records with both; None under 2 pairs,
    since one pair has no spread to make an interval from."""
    pairs = pd.DataFrame({"b": before, "a": after}).dropna()
    n = len(pairs)
    if n < 2:
        return None
    diff = pairs["a"].astype(float) - pairs["b"].astype(float)
    mean = float(diff.mean())
    sd = float(diff.std(ddof=1))
    half = float(stats.t.ppf(0.5 + level / 2, n - 1)) * sd / math.sqrt(n) if sd > 0 else 0.0
    return mean, mean - half, mean + half, n
