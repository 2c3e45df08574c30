"""Did the schools join after a dip? Then part of any rise is bounce-back, not partnership.

Schools often join a partnership after a bad year. A bad year is partly bad luck (an unusual
cohort of pupils) that would not repeat, so the next results rise anyway: regression to the
mean (in one study sponsored academies' 3.1-point gain shrank to 0.7 points against matched
schools). Difference-in-differences from the last year before joining (base `last`) counts
all of that bounce-back as an effect; from each school's mean over its years before joining
(`pre_mean`, the default) a one-off dip counts only once among the years averaged (a third of
it with three years), which is less but not nothing. So we say so under either base.

The rule (our definition): a school *joined after a dip* when its last result before joining
is below the average of its own earlier results (at least one) by more than 1.5 times the
year-to-year noise of one result:

- for a percentage, the noise is the binomial standard error of a school of that size,
  100 × sqrt(p(1-p)/n), with p its earlier average and n its mean cohort size (a 30-pupil
  school at 71%: 8.3 points, so a drop of more than 12.4 points is a dip);
- for a score or progress measure, it is the typical size of one year's wobble in the panel:
  the standard deviation of schools' year-on-year changes divided by √2.

By noise alone about 7% of schools would be flagged. A cohort is flagged when its
pupil-weighted average drop is more than 1.5 times the standard error of that average (each
drop's noise being one result's plus that of the earlier mean), or when at least half its
schools (and at least two) dipped. bench/simulate_did.py reports how often this fires with
and without a planted dip.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

THRESHOLD = 1.5


@dataclass(frozen=True)
class Dip:
    """One school's last result before joining against its own earlier average."""

    urn: int
    last_year: int
    last: float
    earlier_mean: float
    drop: float      # earlier mean - last (positive: the last year was worse)
    noise: float     # one result's year-to-year noise, in the measure's units
    flagged: bool
    earlier_years: int = 1

    def as_dict(self) -> dict:
        return {"urn": self.urn, "last_year": self.last_year, "last": self.last,
                "earlier_mean": self.earlier_mean, "earlier_years": self.earlier_years,
                "drop": self.drop, "noise": self.noise, "flagged": self.flagged}


@dataclass(frozen=True)
class CohortDip:
    flagged: bool
    schools: int
    schools_dipped: int
    average_drop: float | None
    dips: tuple[Dip, ...]

    def as_dict(self) -> dict:
        return {"flagged": self.flagged, "schools": self.schools,
                "schools_dipped": self.schools_dipped, "average_drop": self.average_drop,
                "schools_detail": [d.as_dict() for d in self.dips]}


def percent_noise(percent: float, cohort_size: float) -> float:
    """The binomial standard error of one school percentage, in points."""
    p = min(max(percent / 100.0, 0.0), 1.0)
    return 100.0 * math.sqrt(p * (1 - p) / cohort_size) if cohort_size > 0 else float("nan")


def panel_noise(outcomes: pd.DataFrame) -> float | None:
    """One result's typical year-to-year wobble across a panel (unit, year, value): the SD of
    changes between a school's consecutive results, divided by √2."""
    frame = outcomes.dropna(subset=["value"]).sort_values(["unit", "year"])
    changes = frame.groupby("unit")["value"].diff().dropna()
    if len(changes) < 2:
        return None
    return float(changes.std(ddof=1) / math.sqrt(2))


def school_dip(urn: int, before: pd.DataFrame, *, is_percent: bool,
               noise: float | None = None) -> Dip | None:
    """The dip rule for one school, from its results before joining (year, value, weight).

    None when it has fewer than two results before joining (nothing to compare with)."""
    rows = before.dropna(subset=["value"])
    weights = (rows["weight"].to_numpy(dtype=float) if "weight" in rows
               else np.full(len(rows), np.nan))
    return _dip(urn, rows["year"].to_numpy(), rows["value"].to_numpy(dtype=float), weights,
                is_percent=is_percent, noise=noise)


def _dip(urn: int, years: np.ndarray, values: np.ndarray, weights: np.ndarray, *,
         is_percent: bool, noise: float | None) -> Dip | None:
    """`school_dip` on one school's arrays (results with a value, any order)."""
    if len(values) < 2:
        return None
    order = np.argsort(years, kind="stable")
    years, values, weights = years[order], values[order], weights[order]
    last = float(values[-1])
    earlier_mean = float(values[:-1].mean())
    if is_percent:
        sizes = weights[~np.isnan(weights)]
        size = float(sizes.mean()) if len(sizes) else float("nan")
        noise = percent_noise(earlier_mean, size) if size == size else None
    if noise is None or not math.isfinite(noise) or noise <= 0:
        return None
    drop = earlier_mean - last
    return Dip(int(urn), int(years[-1]), last, earlier_mean, drop, noise,
               drop > THRESHOLD * noise, len(values) - 1)


def cohort_dip(outcomes: pd.DataFrame, first_treated: dict[int, int], *,
               is_percent: bool) -> CohortDip:
    """The dip rule for every joining school (`first_treated`: urn -> first treated year) and
    for the cohort as a whole. `outcomes`: unit, year, value, weight."""
    noise = None if is_percent else panel_noise(outcomes)
    dips = []
    weights = []
    # the joining schools' rows, as arrays split once by school (the panel can be every
    # school in England; pandas per school cost a tenth of a second for a 60-school cohort)
    mine = outcomes[outcomes["unit"].isin(list(first_treated))]
    units = mine["unit"].to_numpy()
    years = mine["year"].to_numpy()
    values = mine["value"].to_numpy(dtype=float)
    sizes = (mine["weight"].to_numpy(dtype=float) if "weight" in mine
             else np.full(len(mine), np.nan))
    order = np.argsort(units, kind="stable")
    keys, starts = np.unique(units[order], return_index=True)
    ends = np.append(starts[1:], len(order)) if len(keys) else starts
    bounds = dict(zip(keys.tolist(), zip(starts.tolist(), ends.tolist(), strict=True),
                      strict=True))
    for urn, g in first_treated.items():
        span = bounds.get(urn)
        rows = order[span[0]:span[1]] if span else order[:0]
        rows = rows[years[rows] < g]
        has = rows[~np.isnan(values[rows])]
        dip = _dip(urn, years[has], values[has], sizes[has], is_percent=is_percent,
                   noise=noise)
        if dip is None:
            continue
        dips.append(dip)
        own = sizes[rows]
        w = float(np.nanmean(own)) if (~np.isnan(own)).any() else float("nan")
        weights.append(w if w == w and w > 0 else 1.0)
    if not dips:
        return CohortDip(False, 0, 0, None, ())
    w = np.asarray(weights)
    drops = np.array([d.drop for d in dips])
    # A drop's noise: one result's, plus that of the mean of k earlier results.
    noises = np.array([d.noise * math.sqrt(1 + 1 / d.earlier_years) for d in dips])
    average = float((w * drops).sum() / w.sum())
    se = float(math.sqrt((w ** 2 * noises ** 2).sum()) / w.sum())
    dipped = sum(d.flagged for d in dips)
    flagged = average > THRESHOLD * se or (dipped >= 2 and dipped * 2 >= len(dips))
    return CohortDip(bool(flagged), len(dips), int(dipped), average, tuple(dips))
