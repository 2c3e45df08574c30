"""Effect sizes and the EEF months'-progress conversion.

People compare an effect with the EEF Teaching and Learning Toolkit, which speaks in months of
progress. The conversion works on a standardised effect size, so a percentage-point change is
first turned into Cohen's h and a score change into a standardised mean difference. Months are
always shown beside the effect size and its interval, never alone.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

# Lower edge of each band of the EEF table (months 1 to 12), in effect-size units to two
# decimals. An effect size is rounded half-up to two decimals first, so the printed table's
# gaps (0.09 -> 0.10) have no no-man's-land: 0.095 reads as 0.10 and is 2 months.
_MONTH_EDGES = (0.02, 0.10, 0.19, 0.27, 0.36, 0.45, 0.53, 0.62, 0.70, 0.79, 0.88, 0.96)


def months_progress(effect_size: float | None) -> int | None:
    """Months of progress for an effect size, per the EEF table in the product brief.

    0 is -0.01 to 0.01, 1 is 0.02 to 0.09, ... 12 is 0.96 and above. A negative effect maps to
    the negative of the months for its size (the Toolkit's convention), so -0.30 is -4.
    """
    if effect_size is None or not math.isfinite(effect_size):
        return None
    size = Decimal(str(abs(effect_size))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    months = sum(1 for edge in _MONTH_EDGES if size >= Decimal(str(edge)))
    return -months if effect_size < 0 else months


def cohens_h(p1: float, p2: float) -> float:
    """Cohen's h between two proportions (0..1): 2·asin(√p1) − 2·asin(√p2).

    The arcsine puts a change from 50% to 60% and one from 85% to 95% on a comparable footing,
    which raw points do not.
    """
    for p in (p1, p2):
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"Cohen's h needs proportions between 0 and 1, not {p!r}")
    return 2 * math.asin(math.sqrt(p1)) - 2 * math.asin(math.sqrt(p2))


def cohens_h_for_change(level_after: float, change: float) -> float:
    """Cohen's h for a change of `change` points that ended at `level_after` (both 0..100).

    The comparison level is what the schools would have had without the change
    (`level_after - change`), clipped to 0..100 so an extreme interval end still has a value.
    """
    after = min(max(level_after / 100.0, 0.0), 1.0)
    before = min(max((level_after - change) / 100.0, 0.0), 1.0)
    return cohens_h(after, before)


def standardised_mean_difference(difference: float, sd: float) -> float:
    """A difference in score units divided by a standard deviation of the same scores."""
    if not sd > 0:
        raise ValueError(f"a standardised difference needs a positive standard deviation, not {sd!r}")
    return difference / sd


def pooled_sd(values_by_year: Iterable[Iterable[float]]) -> float | None:
    """The pooled within-year standard deviation of school figures across several years.

    Pooling within years keeps the national rise from one year to the next out of the spread,
    so the SD describes how far schools differ from one another, not how results moved.
    None when no year has two schools.
    """
    squares = 0.0
    dof = 0
    for values in values_by_year:
        arr = np.asarray([v for v in values if v is not None and math.isfinite(v)], dtype=float)
        if arr.size < 2:
            continue
        squares += float(((arr - arr.mean()) ** 2).sum())
        dof += arr.size - 1
    if dof == 0 or squares <= 0:
        return None
    return math.sqrt(squares / dof)
