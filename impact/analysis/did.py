"""Difference-in-differences for schools that join at different times.

Why not a two-way fixed-effects regression: when schools join in different years, that
regression compares later joiners with earlier joiners who are already "treated", and can
report an effect of the wrong sign. Instead this follows Callaway and Sant'Anna (2021):

- a *cohort* g is the set of schools whose first treated year is g (see `event_time`);
- the group-time effect ATT(g, t) is the change in cohort g's results from its *base* to
  year t, minus the change over the same years among comparison schools that had not joined
  by then (not-yet-joined and never-joined schools; `control="never_joined"` uses only the
  latter);
- the base (`base=`) is one of two things:

  * `"pre_mean"` (the default): each school's mean over all its years of results before the
    cohort's first treated year (a joining school needs at least two). A school percentage
    from 30 pupils wobbles by about 9 points from one year to the next by the luck of the
    year group alone; a single base year carries all of that wobble into every effect, a
    mean of three or four years about half of it. The price is a stronger assumption:
    parallel trends over the whole pre-joining period, not only from its last year. When
    that holds, this is the efficient choice, and it is the idea behind the imputation
    estimator of Borusyak, Jaravel and Spiess (2024), which predicts each joining school's
    results had it not joined from its own pre-joining mean plus the comparison schools'
    change. It is not their estimator: the comparison schools still enter cell by cell, as
    in Callaway and Sant'Anna (one cell per cohort and year; a not-yet-joined school serves
    only until it joins), not through one regression on every untreated result, so each
    cell stays a plain, checkable comparison of means. ATT(g, t) is computed as the average,
    over the cohort's pre-joining years s, of the long difference from s to t: when every
    school has every year that is exactly "t minus each school's pre-joining mean"; when a
    school misses a year (a suppressed figure) it counts in the differences against the
    years it has, so a missing year never lets one year's national level stand in for
    another's. In the simulation (bench/results/did_simulation.md: the same panels through
    both bases) this cuts the root mean squared error of the overall effect by a third or
    more against `last` (ratios 0.60 to 0.67 with 3, 7 or 20 joining schools, either
    comparison group, a benchmark line or 15% of results missing), with no bias and
    intervals that cover 92.5% to 99% of the time. What it is more exposed to: a steady drift
    before joining, which it extrapolates from the middle of the pre-joining years rather
    than from their end (a drift of 0.75 points a year biases it by about 4.5 points, `last`
    by about 3), so its pre-trend check looks for exactly that. What it is less exposed to: a
    one-off dip in the last year before joining (regression to the mean) moves it by that
    dip divided by the number of years before joining (a 6-point dip: 1.3 points of bias,
    against 5.0 for `last`);
  * `"last"`: the last year before g in which the cohort has results (Callaway and
    Sant'Anna's *long difference*, g-1 where it exists). Parallel trends are needed only
    from that year on, but its noise is in every effect.

  Years without statutory results (2019/20, 2020/21) are absent, never filled in: a cohort
  first treated in 2021/22 has 2018/19 as its last base year, and a comparison across the
  break is flagged because the two years are not comparable (`breaks`). The comparison
  schools cross the same break, so a shift common to all schools cancels; a break that hit
  the two groups differently would not, which is why it is flagged;
- before joining, ATT(g, t) is a placebo that should be about zero if the comparison is fair.
  Under `last`, it is the same long difference from t to the base year, for t before the
  base year; the pre-trend test is a max-|t| test over those points, averaged by event
  time, and their average (`_pre_trend_test`). Under `pre_mean`, the placebo for a
  pre-joining year compares it with the mean of the cohort's *other* pre-joining years (as
  an effect after joining would be computed). Those placebos sum to about zero by
  construction, so their average tests nothing; the test is instead their slope on event
  time, pooled within cohorts: were the joining schools drifting away from the comparison
  schools before joining (`_slope_test`)? Its size and power are in the simulation;
- effects are aggregated with weights equal to the pupils behind them: each school carries a
  fixed weight (its mean cohort size over the years used), a cohort-year effect is a
  pupil-weighted mean of school changes, and the overall effect and each event-time point are
  means of cohort-year effects weighted by the pupils in the joining schools. So the overall
  effect is "the average change per pupil in the years after joining", and a school of 60
  pupils counts for twice one of 30. The overall effect uses every year after joining; the
  event-study curve shows -max_event .. +max_event;
- uncertainty: a bootstrap clustered by school (a school's whole series is resampled as one),
  stratified into the joining schools and the comparison schools so each draw keeps both
  groups' sizes. A school that joined later is in the joining stratum even where it also
  serves as a not-yet-joined comparison, so the two roles move together, as they should.
  Intervals are the estimate ± t(G-1) × the bootstrap standard error × sqrt(G/(G-1)), G the
  joining schools behind the figure: plain percentile intervals cover the truth only about
  88% of the time with 8 schools (bench/simulate_did.py), this brings it back to about 95%;
- a pre-joining point resting on fewer than 3 joining schools is shown, not tested;
- a school counts as joining only with at least `min_years_before` years of results before
  its first treated year, and at least one after;
- a cohort-year with results but no comparison school to measure it against is left out, and
  listed in `dropped` so the words can say so; `treated`'s years before and after count the
  years a school actually contributes to some figure, not the years it merely has;
- how much the check of the years before joining can see is on the result (`PreTrend.power`,
  `detectable_drift`, `detectable_bias`): with a few schools it flags only a drift that
  would move the effect by more than the effect itself, and the words must say so.

A benchmark comparison (national or local authority) passes `benchmark`: each joining school's
change is compared with the change in its own benchmark line, which is treated as fixed. There
is then no comparison-school sampling variation, so the interval reflects only the joining
schools (the benchmark's own error, from tens of thousands of pupils, is negligible; its
unlikeness to the joining schools is not, and is a matter of design, not of variance).

The function works on plain frames (unit, year, value, weight) so it can be checked on
simulated panels with a known answer (bench/simulate_did.py) as well as run on the store.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize, stats
from threadpoolctl import ThreadpoolController

NOT_YET_JOINED = "not_yet_joined"
NEVER_JOINED = "never_joined"
BENCHMARK = "benchmark"
CONTROL_KINDS = (NOT_YET_JOINED, NEVER_JOINED, BENCHMARK)

PRE_MEAN = "pre_mean"
LAST = "last"
BASES = (PRE_MEAN, LAST)
DEFAULT_BASE = PRE_MEAN

MULTIPLIER = "multiplier"
RESAMPLE = "resample"
BOOTSTRAPS = (MULTIPLIER, RESAMPLE)

DEFAULT_SEED = 20190914
DEFAULT_DRAWS = 999
PRE_TREND_ALPHA = 0.05
MIN_SCHOOLS_PRE_TEST = 3  # a pre-joining point on fewer schools is shown but not tested
DETECTABLE_POWER = 0.8  # "the check would usually notice": flagged 8 times in 10

PLACEBO_METHOD = ("max-|t| test of the pre-joining event-study points and their average "
                  "against zero, calibrated on the clustered bootstrap")
SLOPE_METHOD = ("t-test of the slope of the pre-joining placebo effects on years since "
                "joining (within cohorts; each placebo is a pre-joining year against the mean "
                "of the other pre-joining years), on the clustered bootstrap's standard error "
                "and t(G-1)")


@dataclass(frozen=True)
class EventPoint:
    """The effect at one event time (years since joining), with its interval."""

    event_time: int
    estimate: float | None
    low: float | None
    high: float | None
    se: float | None
    schools: int           # joining schools behind it
    cohorts: tuple[int, ...]  # first treated years (start year) of the cohorts behind it
    reference: bool        # the base year: zero by construction, nothing estimated
    bridged: bool          # rests on a comparison across a series break
    # its interval is wider than the measure's whole range (set by `impact_estimate`, which
    # also keeps the interval within that range): it says nothing
    too_uncertain: bool = False

    def as_dict(self) -> dict:
        return {"event_time": self.event_time, "estimate": self.estimate, "low": self.low,
                "high": self.high, "se": self.se, "schools": self.schools,
                "cohorts": list(self.cohorts), "reference": self.reference,
                "bridged": self.bridged, "too_uncertain": self.too_uncertain}


@dataclass(frozen=True)
class PreTrend:
    """The test that the schools were moving in step with their comparison before joining."""

    testable: bool
    event_times: tuple[int, ...]
    statistic: float | None
    tested: int            # statistics in the test (points plus their average, or 1 slope)
    p_value: float | None
    flagged: bool | None   # True: the schools were already moving differently before joining
    average: float | None = None  # `last`: the pupil-weighted average of the tested points
    method: str = PLACEBO_METHOD
    # `pre_mean`: the drift before joining, in points per year (joining minus comparison
    # schools), with its interval
    slope: float | None = None
    slope_low: float | None = None
    slope_high: float | None = None
    kind: str = "placebo"  # "placebo" (base `last`) or "slope" (base `pre_mean`)
    # Power, for saying how much the check can see (`power`, `detectable_drift`): the test
    # statistic under a steady drift of d points a year is noncentral t on `df` degrees of
    # freedom with noncentrality d / `drift_se`, compared with `critical`. `bias_per_drift`
    # is how far such a drift of 1 point a year moves the overall effect (the drift carries
    # on after joining, measured from the base the effect is measured from).
    schools: int = 0
    df: int | None = None
    critical: float | None = None
    drift_se: float | None = None
    bias_per_drift: float | None = None
    per_drift: float = 1.0  # `pre_mean`: the slope a drift of 1 point a year produces

    @property
    def drift(self) -> float | None:
        """`pre_mean`: the drift before joining in points a year (the slope / `per_drift`)."""
        return None if self.slope is None else self.slope / self.per_drift

    def power(self, drift: float) -> float | None:
        """How often the check flags a steady drift of `drift` points a year (0..1)."""
        if not self.testable or self.df is None or self.critical is None \
                or not self.drift_se or self.drift_se <= 0:
            return None
        return _power(abs(drift) / self.drift_se, self.df, self.critical)

    def detectable_drift(self, power: float = DETECTABLE_POWER) -> float | None:
        """The smallest steady drift (points a year) the check flags `power` of the time."""
        if not self.testable or self.df is None or self.critical is None \
                or not self.drift_se or self.drift_se <= 0:
            return None
        return _noncentrality_for(power, self.df, self.critical) * self.drift_se

    def detectable_bias(self, power: float = DETECTABLE_POWER) -> float | None:
        """How far a drift the check flags `power` of the time moves the overall effect: a
        smaller bias than this would usually pass unnoticed."""
        drift = self.detectable_drift(power)
        if drift is None or self.bias_per_drift is None:
            return None
        return abs(drift * self.bias_per_drift)

    def as_dict(self) -> dict:
        return {"testable": self.testable, "event_times": list(self.event_times),
                "statistic": self.statistic, "statistics_tested": self.tested,
                "p_value": self.p_value, "flagged": self.flagged, "average": self.average,
                "method": self.method, "kind": self.kind, "slope": self.slope,
                "slope_low": self.slope_low, "slope_high": self.slope_high,
                "drift": self.drift, "schools": self.schools,
                "bias_per_drift": self.bias_per_drift,
                "detectable_drift": self.detectable_drift(),
                "detectable_bias": self.detectable_bias(),
                "detectable_power": DETECTABLE_POWER}


def _power(noncentrality: float, df: int, critical: float) -> float:
    """P(|T| > critical) for T noncentral t on `df` degrees of freedom."""
    nc = abs(noncentrality)
    if nc > 60:  # scipy's noncentral t loses its footing far out; it is 1 there anyway
        return 1.0
    power = stats.nct.sf(critical, df, nc) + stats.nct.cdf(-critical, df, nc)
    if not math.isfinite(power):
        return 1.0 if nc > critical else 0.0
    return float(min(max(power, 0.0), 1.0))


def _noncentrality_for(power: float, df: int, critical: float) -> float:
    """The noncentrality at which a two-sided test at `critical` has this power."""
    if _power(0.0, df, critical) >= power:
        return 0.0
    high = 1.0
    while _power(high, df, critical) < power and high < 60:
        high *= 2
    return float(optimize.brentq(lambda nc: _power(nc, df, critical) - power, 0.0, high,
                                 xtol=1e-6))


@dataclass
class DidResult:
    """Everything the estimator found; `overall` is None when nothing could be estimated."""

    overall: float | None
    low: float | None
    high: float | None
    se: float | None
    event_study: list[EventPoint]
    pre_trend: PreTrend
    cells: pd.DataFrame       # one row per ATT(g, t)
    treated: pd.DataFrame     # unit, first_treated, base_year, base_from, years_before, after
    controls: pd.DataFrame    # unit, cells (how many cohort-years it served as comparison)
    excluded: pd.DataFrame    # unit, reason
    treated_post_mean: float | None  # the joining schools' mean result after joining
    draws: int
    valid_draws: int
    seed: int
    control: str
    bridged_share: float      # share of the overall effect's weight that crosses a break
    reason: str | None = None  # why nothing could be estimated
    years: list[int] = field(default_factory=list)
    # (first treated year, year, reason): cohort-years after joining with results but no
    # comparison to measure them against, so left out of every figure (and said so)
    dropped: list[tuple[int, int, str]] = field(default_factory=list)
    base: str = DEFAULT_BASE
    # The point estimates and bootstrap draws behind every statistic (overall, then each event
    # time in `raw["event_times"]`), for checks and simulations; not for display.
    raw: dict = field(default_factory=dict, repr=False)


def _empty_result(reason: str, control: str, draws: int, seed: int,
                  excluded: pd.DataFrame, base: str) -> DidResult:
    return DidResult(
        overall=None, low=None, high=None, se=None, event_study=[],
        pre_trend=PreTrend(False, (), None, 0, None, None, method=_method(base),
                           kind=_kind(base)),
        cells=pd.DataFrame(), treated=pd.DataFrame(columns=["unit", "first_treated"]),
        controls=pd.DataFrame(columns=["unit", "cells"]), excluded=excluded,
        treated_post_mean=None, draws=draws, valid_draws=0, seed=seed, control=control,
        bridged_share=0.0, reason=reason, base=base)


def _method(base: str) -> str:
    return SLOPE_METHOD if base == PRE_MEAN else PLACEBO_METHOD


def _kind(base: str) -> str:
    return "slope" if base == PRE_MEAN else "placebo"


def _panel(outcomes: pd.DataFrame
           ) -> tuple[np.ndarray, list, np.ndarray, np.ndarray] | None:
    """The results as a school × year matrix: (the schools in order, the years in order, the
    values with NaN for a missing one, each school's weight); None when there are none.

    A school with several results in one year (several terms) has their mean. At national
    scale (150,000 results) pandas' grouping took longer than the estimate; the usual case,
    whole-number URNs and cohort sizes and one result a school a year, is put in place with
    numpy, the same numbers to the last bit (a whole-number sum is exact in any order); any
    other goes through pandas as before.
    """
    values = outcomes["value"].to_numpy(dtype=float, na_value=np.nan)
    ok = ~np.isnan(values)
    if not ok.any():
        return None
    unit = outcomes["unit"].to_numpy()[ok]
    year = outcomes["year"].astype(int).to_numpy()[ok]
    weight = (outcomes["weight"].to_numpy(dtype=float, na_value=np.nan)[ok]
              if "weight" in outcomes else None)
    if unit.dtype.kind in "iu" and (weight is None or _whole(weight)):
        ui, unit_arr = _codes(unit)
        yi, year_arr = _codes(year)
        n, n_years = len(unit_arr), len(year_arr)
        cell = ui * n_years + yi
        if np.bincount(cell, minlength=n * n_years).max() <= 1:
            y_mat = np.full(n * n_years, np.nan)
            y_mat[cell] = values[ok]
            if weight is None:
                w = np.ones(n)
            else:
                have = ~np.isnan(weight)
                total = np.bincount(ui[have], weight[have], minlength=n)
                count = np.bincount(ui[have], minlength=n)
                with np.errstate(invalid="ignore", divide="ignore"):
                    w = _fill_weights(pd.Series(np.where(count > 0, total / count, np.nan)))
            return unit_arr, year_arr.tolist(), y_mat.reshape(n, n_years), w
    obs = outcomes[ok].copy()
    obs["year"] = obs["year"].astype(int)
    obs = obs.groupby(["unit", "year"], as_index=False).agg(
        {"value": "mean", **({"weight": "mean"} if "weight" in obs else {})})
    units = sorted(obs["unit"].unique().tolist())
    years = sorted(obs["year"].unique().tolist())
    uidx = {u: i for i, u in enumerate(units)}
    yidx = {y: j for j, y in enumerate(years)}
    y_mat = np.full((len(units), len(years)), np.nan)
    y_mat[obs["unit"].map(uidx).to_numpy(), obs["year"].map(yidx).to_numpy()] = \
        obs["value"].to_numpy(dtype=float)
    unit_arr = np.empty(len(units), dtype=object)
    unit_arr[:] = units
    if all(isinstance(u, int) for u in units):
        unit_arr = unit_arr.astype("int64")
    return unit_arr, years, y_mat, _weights(obs, units)


def _whole(x: np.ndarray) -> bool:
    finite = x[np.isfinite(x)]
    return bool((finite == np.round(finite)).all() and (np.abs(finite) < 2 ** 40).all())


def _codes(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(each value's position among the distinct values in order, those values)."""
    codes, uniques = pd.factorize(x)
    uniques = np.asarray(uniques)
    order = np.argsort(uniques, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[codes], uniques[order]


def _by_unit(column: pd.Series, units: np.ndarray) -> np.ndarray:
    """`column` (indexed by unique units) at each of `units`, as floats (NaN where absent)."""
    index = column.index.to_numpy()
    if index.dtype.kind in "iu" and units.dtype.kind in "iu" and len(index):
        values = column.to_numpy(dtype=float, na_value=np.nan)
        order = np.argsort(index, kind="stable")
        where = np.minimum(np.searchsorted(index[order], units), len(index) - 1)
        found = index[order][where] == units
        return np.where(found, values[order][where], np.nan)
    return column.reindex(units).to_numpy(dtype=float)


def _fill_weights(mean: pd.Series) -> np.ndarray:
    """Each school's mean cohort size, the median where it gave none (all ones: none did)."""
    mean = mean.where(mean > 0)
    if mean.notna().sum() == 0:
        return np.ones(len(mean))
    return mean.fillna(mean.median()).to_numpy(dtype=float)


def _weights(obs: pd.DataFrame, units: list) -> np.ndarray:
    """One fixed weight per school: its mean cohort size; the median when it gave none."""
    if "weight" not in obs:
        return np.ones(len(units))
    return _fill_weights(obs.groupby("unit")["weight"].mean().reindex(units))


def _t_critical(schools: np.ndarray, level: float) -> np.ndarray:
    """Student t critical values on schools - 1 degrees of freedom (NaN below 2 schools)."""
    df = np.asarray(schools, dtype=float) - 1
    with np.errstate(invalid="ignore"):
        return np.where(df >= 1, stats.t.ppf(0.5 + level / 2, np.maximum(df, 1)), np.nan)


def _small_sample(schools: np.ndarray) -> np.ndarray:
    """The variance correction G / (G - 1) for a bootstrap over G schools (NaN below 2)."""
    g = np.asarray(schools, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(g >= 2, g / (g - 1), np.nan)


def _intervals(point: np.ndarray, boot: np.ndarray, schools: np.ndarray,
               level: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Estimate ± t(G-1) × bootstrap standard error × sqrt(G / (G-1)).

    Resampling G schools understates the variance by (G-1)/G and gives normal tails, so with
    8 schools plain percentile intervals cover the truth about 88% of the time (see the
    simulation); this small-sample correction, the usual one for clustered errors, brings
    coverage back to about 95%. G is the number of joining schools behind the statistic; with
    one school there is no interval.
    """
    if boot.shape[0] < 2:
        nan = np.full(point.shape, np.nan)
        return nan, nan, nan
    with np.errstate(invalid="ignore"):
        se = np.nanstd(boot, axis=0, ddof=1) * np.sqrt(_small_sample(schools))
    crit = _t_critical(schools, level)
    return point - crit * se, point + crit * se, se


def _pre_trend_test(point: np.ndarray, boot: np.ndarray, schools: np.ndarray, pre: list[int],
                    weights: np.ndarray, union_schools: int,
                    event_times: tuple[int, ...], levers: np.ndarray | None = None,
                    bias_per_drift: float | None = None) -> PreTrend:
    """Base `last`: a max-|t| test that the placebo effects before joining are all zero.

    The statistics tested are each pre-joining event-time effect resting on at least
    `MIN_SCHOOLS_PRE_TEST` joining schools, plus their pupil-weighted average (which gives the
    test its power against a steady drift or a dip before joining, where every point leans
    the same way). The observed largest |t| is compared with the bootstrap distribution of the
    largest |t| (which accounts for the points being correlated); the bootstrap deviations are
    widened to Student-t tails on G-1 degrees of freedom, as the intervals are. The p-value is
    the share of bootstrap draws with a larger maximum. Its false-alarm rate and power are in
    bench/results/did_simulation.md.
    """
    untestable = PreTrend(False, event_times, None, 0, None, None)
    if not pre or boot.shape[0] < 20:
        return untestable
    theta = point[pre]
    draws = boot[:, pre]
    finite = np.isfinite(draws).all(axis=1)
    draws = draws[finite]
    if len(draws) < 20 or not np.isfinite(theta).all():
        return untestable
    share = weights / weights.sum()
    theta = np.append(theta, theta @ share)
    draws = np.column_stack([draws, draws @ share])
    g = np.append(schools[pre], union_schools).astype(float)
    raw_se = draws.std(axis=0, ddof=1)
    if not (raw_se > 0).all():
        return untestable
    observed = np.abs(theta / (raw_se * np.sqrt(_small_sample(g))))
    tails = _t_critical(g, 0.95) / stats.norm.ppf(0.975)
    simulated = np.abs((draws - theta) / raw_se * tails).max(axis=1)
    statistic = float(observed.max())
    p_value = float((simulated >= statistic).mean())
    # Power against a steady drift, through the average (the statistic built to catch one):
    # a drift of d points a year moves it by d × the average distance of the tested years
    # from the base year, and the test flags it once its |t| passes the simulated critical
    # value. The largest |t| over the single points can only add to that, so this errs low.
    drift_se = critical = None
    if levers is not None and len(levers) == len(pre):
        lever = float(np.abs(levers @ share))
        if lever > 0:
            drift_se = float(raw_se[-1] * np.sqrt(_small_sample(np.array([g[-1]]))[0]) / lever)
            critical = float(np.quantile(simulated, 1 - PRE_TREND_ALPHA))
    return PreTrend(True, event_times, statistic, len(theta), p_value,
                    p_value < PRE_TREND_ALPHA, average=float(theta[-1]),
                    schools=int(union_schools), df=int(union_schools) - 1, critical=critical,
                    drift_se=drift_se, bias_per_drift=bias_per_drift)


def _slope_test(slope: float, draws: np.ndarray, schools: int,
                event_times: tuple[int, ...], level: float, per_drift: float = 1.0,
                bias_per_drift: float | None = None) -> PreTrend:
    """Base `pre_mean`: is the slope of the pre-joining placebo effects on event time zero?

    Under `pre_mean` the placebo effects are deviations from the pre-joining mean and sum to
    about zero whatever happened, so "are they zero on average" cannot fail. What biases
    this base is a drift before joining (the mean sits in the middle of the pre-joining years
    and a drift carries on past it), and a drift shows as a slope: each cohort's placebo
    effects regressed on years since joining, pooled within cohorts with the placebo's pupil
    weights. One statistic, so one t-test: the slope over its bootstrap standard error
    (× sqrt(G/(G-1)), as for the intervals) against t on G-1 degrees of freedom, G the
    joining schools behind the placebos. A one-off dip in the last year before joining
    shows as a downward slope too, though less surely (the regression-to-the-mean flag
    looks for it directly). In the simulation its false-alarm rate is 2% with 20 joining
    schools and lower with few (1% with 7, none with 3: with so few schools the t on G-1
    degrees of freedom is cautious, as the intervals are); it flags a drift of 1.5 points a
    year 64% of the time with 20 schools, 20% with 7 and 4% with 3 (0.75 points a year: 21%,
    4%, 1%), against 19%, 10% and 7% (9%, 3%, 4%) for the placebo test under `last`. With
    few schools it can only catch large differences, and the words say so (`PreTrend.power`,
    which states slightly more power than the simulation sees: 73% where it flags 64%).

    `per_drift` is the slope a steady drift of 1 point a year produces: a placebo is a year
    against the mean of the *other* k-1 pre-joining years, so its slope is k/(k-1) times the
    drift (pooled over cohorts); `drift`, `drift_low` and `drift_high` on the result are the
    slope and its interval divided by it, in points a year, as the words quote them. The
    test itself (the t statistic and its p-value) does not depend on it.
    """
    untestable = PreTrend(False, event_times, None, 0, None, None, method=SLOPE_METHOD,
                          kind="slope")
    finite = draws[np.isfinite(draws)]
    if (schools < MIN_SCHOOLS_PRE_TEST or len(finite) < 20 or not math.isfinite(slope)):
        return untestable
    raw_se = float(finite.std(ddof=1))
    if not raw_se > 0:
        return untestable
    se = raw_se * math.sqrt(schools / (schools - 1))
    t_stat = abs(slope) / se
    p_value = float(2 * stats.t.sf(t_stat, schools - 1))
    crit = float(stats.t.ppf(0.5 + level / 2, schools - 1))
    return PreTrend(True, event_times, float(t_stat), 1, p_value, p_value < PRE_TREND_ALPHA,
                    method=SLOPE_METHOD, slope=float(slope), slope_low=float(slope - crit * se),
                    slope_high=float(slope + crit * se), kind="slope",
                    schools=int(schools), df=int(schools) - 1, critical=crit,
                    drift_se=float(se / per_drift) if per_drift > 0 else None,
                    bias_per_drift=bias_per_drift, per_drift=float(per_drift))


def _resampled_draws(statistic: Callable[[np.ndarray], np.ndarray], sums: np.ndarray,
                     strata: list[np.ndarray], draws: int, seed: int,
                     n_out: int) -> np.ndarray:
    """The school-clustered bootstrap by resampling (`bootstrap="resample"`).

    Each draw takes as many schools as each stratum has, with replacement, and recomputes
    every statistic from the reweighted sums (`statistic` of counts @ `sums`). Kept as the
    reference the multiplier bootstrap is checked against (tests/analysis/test_bootstrap.py,
    bench/simulate_did.py): it costs a draw × school matrix of counts, about a second for a
    cohort against every school in England.
    """
    rng = np.random.default_rng(seed)
    n = sums.shape[0]
    # Most rows are zero (a national pool's schools in the joining schools' columns, and
    # schools with no results in the years used): multiply only the rows that count.
    used = np.flatnonzero((sums != 0).any(axis=1))
    rows = sums[used]
    chunk = max(1, min(max(draws, 1), 2_000_000 // max(n, sums.shape[1], 1)))
    pieces = [np.empty((0, n_out))]
    for start in range(0, draws, chunk):
        size = min(chunk, draws - start)
        counts = np.zeros((size, n))
        for members in strata:
            m = len(members)
            if m:
                # m draws with replacement per bootstrap sample, tallied per school
                picks = rng.integers(0, m, size=(size, m)) + (np.arange(size) * m)[:, None]
                counts[:, members] = np.bincount(picks.ravel(),
                                                 minlength=size * m).reshape(size, m)
        pieces.append(statistic(counts[:, used] @ rows))
    return np.vstack(pieces)


def _multiplier_draws(statistic: Callable[..., np.ndarray],
                      sums: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
                      strata: list[np.ndarray], draws: int, seed: int,
                      n_out: int) -> np.ndarray:
    """The school-clustered bootstrap by multiplier weights, all draws in one matrix product.

    Every statistic is a function of four sums over schools for each long difference (`sums`:
    the joining schools' weighted changes and weights, the comparison schools' likewise; each
    long differences × schools), so a draw is a set of weights, one per school, and the
    statistics of the reweighted sums. Resampling schools is the case of multinomial counts
    as weights. Here the weights are drawn stratum by stratum:

    - the joining schools (a cohort: tens of schools) get multinomial counts, the weights
      resampling gives them. With 3 or 7 schools the statistics are far from linear in these
      weights (a draw may count one school three times), and Gaussian multipliers on their
      influence function give standard errors 5-13% smaller than resampling on the
      simulation panels, which would undo the t(G-1) correction's coverage; these keep it;
    - the comparison schools (up to every school in England) get Gaussian multipliers
      ξ_i - mean ξ (centred, as resampling keeps the stratum's size) on their influence on
      each long difference's comparison mean r = Σ w·d / Σ w: IF_i = w_i (d_i - r) / Σ w.
      Their move of the means, Σ (ξ_i - mean ξ) · IF_i, is exactly normal with covariance
      Σ (IF_i - mean IF)(IF_i - mean IF)ᵀ (resampling's, to first order, with hundreds or
      thousands of schools), so it is drawn from that covariance (draws × long differences
      of N(0, 1) times its square root) rather than from 20,000 multipliers a draw: the same
      distribution without the draws × schools matrix that made a national comparison take
      about a second.

    The two blocks of weights side by side, times the joining schools' rows over the
    comparison block's square root, move every sum for every draw in one product; the
    statistics are then computed from the moved sums as from the data. On the simulation
    panels the standard errors equal resampling's within Monte Carlo error at 3, 7 and 20
    joining schools (tests/analysis/test_bootstrap.py), so the same small-sample correction
    applies to them (`_intervals`).
    """
    if draws == 0:
        return np.full((0, n_out), np.nan)
    rng = np.random.default_rng(seed)
    a_t, w_t, a_c, w_c = sums  # each long differences × schools
    kk = a_t.shape[0]
    cn, cd = a_c.sum(axis=1), w_c.sum(axis=1)
    totals = np.concatenate([a_t.sum(axis=1), w_t.sum(axis=1), cn, cd])
    joining, comparison = strata
    # the joining stratum is never empty (`staggered_did` stops before when it is)
    m = len(joining)
    picks = rng.integers(0, m, size=(draws, m)) + (np.arange(draws) * m)[:, None]
    counts = np.bincount(picks.ravel(), minlength=draws * m).reshape(draws, m)
    rows = np.vstack([part[:, joining] for part in sums]).T  # joining schools × 4kk
    keep = (rows != 0).any(axis=1)
    weights = [counts[:, keep] - 1.0]
    blocks = [np.hstack([rows[keep], np.zeros((int(keep.sum()), kk))])]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(cd > 0, cn / cd, 0.0)
    if len(comparison) and (cd > 0).any():
        with np.errstate(invalid="ignore", divide="ignore"):
            scale = np.where(cd > 0, 1.0 / cd, 0.0)
        # every school's influence on the comparison means, then the joining schools' taken
        # out (they move with their own stratum's weights, above)
        influence = np.multiply(w_c, -mean[:, None])  # a - m·w, as a + (-m·w): one array
        influence += a_c
        influence *= scale[:, None]
        influence[:, joining] = 0.0
        total = influence.sum(axis=1)
        covariance = influence @ influence.T - np.outer(total, total) / len(comparison)
        # Its square root by Cholesky (an eigendecomposition costs 30 times as much with a
        # multi-threaded BLAS on a busy machine); the covariance is often singular (long
        # differences sharing their comparison schools), so a ridge of a billionth of its
        # largest variance is added first, a negligible widening.
        ridge = 1e-9 * max(float(np.diag(covariance).max()), 1e-300)
        root = np.linalg.cholesky((covariance + covariance.T) / 2 + ridge * np.eye(kk))
        weights.append(rng.standard_normal((draws, kk)))
        blocks.append(np.hstack([np.zeros((kk, 4 * kk)), root.T]))
    moved = np.hstack(weights) @ np.vstack(blocks)
    tn, td, c_num, c_den, shift = np.split(moved, 5, axis=1)
    tn, td = totals[:kk] + tn, totals[kk:2 * kk] + td
    c_den = cd + c_den
    with np.errstate(invalid="ignore", divide="ignore"):
        c_mean = (cn + c_num) / c_den + shift
    return statistic(tn, td, c_mean * c_den, c_den)


_BLAS: ThreadpoolController | None = None
_BLAS_LOCK = threading.Lock()


def _one_blas_thread() -> None:
    """Hold the BLAS to one thread, for this estimate and from now on in this process.

    The estimator's matrix products are small (a hundred long differences by 20,000 schools
    at most): split over threads they spend longer handing work out and waiting than
    multiplying, and on a machine whose cores are busy with other people's requests a
    waiting thread is slower still (a national estimate took three times its CPU time in
    wall time). One thread does each product in milliseconds.

    It also fixes the last bits: the bootstrap's covariance is close to singular, so its
    square root carries the last bits of the products before it, and those depend on how
    many threads shared them (single draws 1e-10 apart on one thread and on two). So the
    limit is not lifted after the estimate, as a `with threadpool_limits(1)` block would:
    OpenBLAS (0.3.31, as numpy and scipy ship it) ignores a change of its thread count asked
    for by any thread once the main thread has set it, so an estimate made in the dashboard's
    or the precomputing thread after one made in the main thread would quietly run on two
    threads and give other last bits. Set once (and again should anything change it), every
    estimate in the process runs the same way in any thread.
    """
    global _BLAS
    with _BLAS_LOCK:
        if _BLAS is None:
            _BLAS = ThreadpoolController()
        blas = _BLAS.select(user_api="blas")
        if any(lib.get("num_threads") != 1 for lib in blas.info()):
            blas.limit(limits=1)


@dataclass
class _Cell:
    """One ATT(g, t) and the long differences (t against each base year s) behind it."""

    g: float
    t: int
    base_years: tuple[int, ...]
    parts: list = field(default_factory=list)  # (s, tmask, cmask, d_treated, d_control)


def staggered_did(
    outcomes: pd.DataFrame,
    timing: pd.DataFrame,
    *,
    control: str = NOT_YET_JOINED,
    base: str = DEFAULT_BASE,
    benchmark: pd.DataFrame | None = None,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    max_event: int = 3,
    min_years_before: int = 2,
    breaks: Callable[[int, int], str | None] | None = None,
    level: float = 0.95,
    bootstrap: str = MULTIPLIER,
) -> DidResult:
    """Group-time effects, aggregated, with a clustered bootstrap and a pre-trend test.

    `outcomes`: one row per school and year: `unit`, `year` (start year, 2018 for 2018/19),
    `value`, optional `weight` (cohort size). Missing values are simply absent.
    `timing`: one row per school: `unit`, `first_treated` (start year of the first treated
    year for the cohort studied; NaN for schools not in it) and optional `joined_any` (the
    first treated year of any partnership the school was in; NaN if none), which decides when
    a comparison school stops being "not yet joined". Schools missing from `timing` are
    comparison schools that never joined.
    `base`: `"pre_mean"` (each school's mean over its years before joining) or `"last"` (the
    last year before joining); see the module docstring.
    `benchmark` (with `control="benchmark"`): `unit`, `year`, `value`: the benchmark line each
    joining school is compared with.
    `breaks(earlier, later)`: why two years are not comparable, or None.
    `bootstrap`: `"multiplier"` (the default: multiplier weights on the influence function)
    or `"resample"` (schools resampled; the reference it is checked against).
    """
    _one_blas_thread()
    return _staggered_did(outcomes, timing, control=control, base=base,
                          benchmark=benchmark, draws=draws, seed=seed,
                          max_event=max_event, min_years_before=min_years_before,
                          breaks=breaks, level=level, bootstrap=bootstrap)


def _staggered_did(outcomes: pd.DataFrame, timing: pd.DataFrame, *, control: str, base: str,
                   benchmark: pd.DataFrame | None, draws: int, seed: int, max_event: int,
                   min_years_before: int, breaks: Callable[[int, int], str | None] | None,
                   level: float, bootstrap: str) -> DidResult:
    if bootstrap not in BOOTSTRAPS:
        raise ValueError(f"unknown bootstrap {bootstrap!r}; expected one of {BOOTSTRAPS}")
    if control not in CONTROL_KINDS:
        raise ValueError(f"unknown comparison {control!r}; expected one of {CONTROL_KINDS}")
    if base not in BASES:
        raise ValueError(f"unknown base {base!r}; expected one of {BASES}")
    if control == BENCHMARK and benchmark is None:
        raise ValueError("a benchmark comparison needs the benchmark series")
    panel = _panel(outcomes)
    if panel is None:
        joining = timing.loc[timing["first_treated"].notna(), "unit"]
        excluded = pd.DataFrame({"unit": joining.tolist(),
                                 "reason": "no results for this measure and pupil group"})
        return _empty_result("there are no results for this measure and pupil group",
                             control, draws, seed, excluded, base)
    unit_arr, years, y_mat, w = panel
    units = unit_arr.tolist()
    n, n_years = len(units), len(years)
    yidx = {y: j for j, y in enumerate(years)}
    seen = ~np.isnan(y_mat)

    tim = timing.drop_duplicates("unit").set_index("unit")
    g = _by_unit(tim["first_treated"], unit_arr)
    a = _by_unit(tim["joined_any"], unit_arr) if "joined_any" in tim else g.copy()
    a = np.where(np.isnan(a), g, np.where(np.isnan(g), a, np.fmin(a, g)))

    b_mat = None
    if control == BENCHMARK:
        uidx = {u: i for i, u in enumerate(units)}
        bench = benchmark.dropna(subset=["value"]).copy()
        bench = bench[bench["unit"].isin(uidx) & bench["year"].astype(int).isin(yidx)]
        b_mat = np.full((n, n_years), np.nan)
        b_mat[bench["unit"].map(uidx).to_numpy(),
              bench["year"].astype(int).map(yidx).to_numpy()] = bench["value"].to_numpy(float)

    year_arr = np.asarray(years, dtype=float)
    excluded_rows = []
    eligible = np.zeros(n, dtype=bool)
    pre_counts = (seen & (year_arr[None, :] < g[:, None])).sum(axis=1)  # 0 outside the cohort
    post_counts = (seen & (year_arr[None, :] >= g[:, None])).sum(axis=1)
    for i in np.flatnonzero(~np.isnan(g)):
        if pre_counts[i] < min_years_before:
            excluded_rows.append((units[i], f"only {pre_counts[i]} year(s) of results before "
                                            f"joining; {min_years_before} are needed"))
        elif post_counts[i] == 0:
            excluded_rows.append((units[i], "no results since joining yet"))
        else:
            eligible[i] = True
    known = set(units)
    for u in tim.index[tim["first_treated"].notna()]:
        if u not in known:
            excluded_rows.append((u, "no results for this measure and pupil group"))
    excluded = pd.DataFrame(excluded_rows, columns=["unit", "reason"])
    if not eligible.any():
        return _empty_result("no school in the cohort has two years of results before joining "
                             "and one after", control, draws, seed, excluded, base)

    # The cells ATT(g, t), each the average of long differences from base years s to t.
    # The cohort's own schools (`mem`: joining, or left out) take part differently in each
    # cohort's cells, so they are followed one by one; every other school (`plain`) takes
    # part in a long difference from s to t, as a comparison, according to s and t alone, so
    # its part is worked out once per pair of years (`pairs`), not once per cohort-year: at
    # national scale that is 20,000 schools against the cohort's few dozen.
    mem = np.flatnonzero(~np.isnan(g))
    plain = np.flatnonzero(np.isnan(g))
    g_m, a_m, w_m, seen_m, y_m = g[mem], a[mem], w[mem], seen[mem], y_mat[mem]
    elig_m = eligible[mem]
    b_m = b_mat[mem] if b_mat is not None else None
    any_p, seen_p = a[plain], seen[plain]
    pairs: dict[tuple[int, int], int] = {}
    pair_masks: list[np.ndarray] = []
    pair_any: list[bool] = []

    def pair(t: int, s: int) -> int:
        """The index of (t, s) in `pairs`, with the plain schools that compare on it."""
        q = pairs.get((t, s))
        if q is None:
            if control == BENCHMARK:
                mask = np.zeros(len(plain), dtype=bool)
            else:
                mask = seen_p[:, yidx[t]] & seen_p[:, yidx[s]]
                if control == NOT_YET_JOINED:
                    mask &= np.isnan(any_p) | (any_p > max(t, s))
                else:
                    mask &= np.isnan(any_p)
            q = pairs[(t, s)] = len(pair_masks)
            pair_masks.append(mask)
            pair_any.append(bool(mask.any()))
        return q

    cohorts = sorted({float(x) for x in g[eligible]})
    cells: list[_Cell] = []
    dropped: list[tuple[int, int, str]] = []
    base_of: dict[float, tuple[int, ...]] = {}
    for gg in cohorts:
        members = elig_m & (g_m == gg)
        before = [y for y in years if y < gg and seen_m[members, yidx[y]].any()]
        base_years = tuple(before) if base == PRE_MEAN else (before[-1],)
        base_of[gg] = base_years
        for t in years:
            if base == LAST and (t == base_years[0] or base_years[0] < t < gg):
                continue
            if base == PRE_MEAN and t < gg and t not in base_years:
                continue
            cell = _Cell(gg, t, base_years)
            jt = yidx[t]
            without_comparison = False
            for s in base_years:
                if s == t:  # pre_mean placebo: the year against the *other* base years
                    continue
                js = yidx[s]
                both = seen_m[:, jt] & seen_m[:, js]
                diff = y_m[:, jt] - y_m[:, js]
                tmask = members & both
                q = pair(t, s)
                if control == BENCHMARK:
                    bdiff = b_m[:, jt] - b_m[:, js]
                    tmask &= ~np.isnan(bdiff)
                    d_treated = np.where(tmask, diff - np.nan_to_num(bdiff), 0.0)
                    cmask = np.zeros(len(mem), dtype=bool)
                else:
                    if control == NOT_YET_JOINED:
                        clean = np.isnan(a_m) | (a_m > max(t, s))
                    else:
                        clean = np.isnan(a_m)
                    cmask = clean & both & ~(g_m == gg)
                    if not (pair_any[q] or cmask.any()):
                        without_comparison = without_comparison or bool(tmask.any())
                        continue
                    d_treated = np.where(tmask, diff, 0.0)
                if not tmask.any():
                    continue
                d_control = np.where(cmask, diff, 0.0)
                cell.parts.append((s, q, tmask, cmask, d_treated, d_control))
            if cell.parts:
                cells.append(cell)
            elif without_comparison:
                dropped.append((int(gg), int(t), "no comparison schools had results that year "
                                                 "and in the years it is measured from"))
    if not cells:
        empty = _empty_result("no comparison schools have results in the same years as the "
                              "joining schools", control, draws, seed, excluded, base)
        empty.dropped = dropped
        return empty

    k = len(cells)
    parts = [(c, part) for c, cell in enumerate(cells) for part in cell.parts]
    kk = len(parts)
    nm = len(mem)
    # Every statistic is a function of four sums over schools for each long difference: the
    # joining schools' weighted changes (a_t) and weights (w_t), the comparison schools'
    # likewise (a_c, w_c). The cohort's schools' terms, built a long difference per row
    # (contiguous), used as schools × kk views:
    a_t = np.zeros((kk, nm))
    w_t = np.zeros((kk, nm))
    a_c = np.zeros((kk, nm))
    w_c = np.zeros((kk, nm))
    member = np.zeros((kk, k))  # which cell each long difference belongs to
    pair_of = np.zeros(kk, dtype=int)  # and on which pair of years (t, s)
    for j, (c, (_s, q, tmask, cmask, d_t, d_c)) in enumerate(parts):
        np.multiply(w_m, tmask, out=w_t[j])
        np.multiply(w_t[j], d_t, out=a_t[j])
        np.multiply(w_m, cmask, out=w_c[j])
        np.multiply(w_c[j], d_c, out=a_c[j])
        member[j, c] = 1.0
        pair_of[j] = q
    a_t, w_t, a_c, w_c = a_t.T, w_t.T, a_c.T, w_c.T
    # ... and the plain schools' comparison terms, once per pair of years (plain × pairs)
    pair_list = sorted(pairs, key=pairs.__getitem__)
    plain_in = (np.column_stack(pair_masks) if pair_masks
                else np.zeros((len(plain), 0), dtype=bool))
    w_p = w[plain][:, None]
    p_diff = (y_mat[np.ix_(plain, [yidx[t] for t, _ in pair_list])]
              - y_mat[np.ix_(plain, [yidx[s] for _, s in pair_list])])
    with np.errstate(invalid="ignore"):
        a_p = np.where(plain_in, w_p * p_diff, 0.0)
    w_pp = np.where(plain_in, w_p, 0.0)

    def school_by_school(mine: np.ndarray, plains: np.ndarray | None) -> np.ndarray:
        """A sum's terms for every school, a long difference per row (kk × n), from the
        cohort's schools' (nm × kk) and the plain schools' per pair of years (plain × pairs).
        The sums over schools are then taken over these rows, in the one order the
        bootstrap's draws depend on to the last bit (its covariance is close to singular,
        and a cell all of whose joining schools a draw leaves out sums to zero only up to
        rounding)."""
        if plains is None:
            out = np.zeros((kk, n))
        else:
            by_pair = np.zeros((plains.shape[1], n))
            by_pair[:, plain] = plains.T
            out = by_pair[pair_of]
        out[:, mem] = mine.T
        return out

    # every sum's terms, school by school: joining (a_t, w_t) and comparison (a_c, w_c)
    every = (school_by_school(a_t, None), school_by_school(w_t, None),
             school_by_school(a_c, a_p), school_by_school(w_c, w_pp))
    # the long differences come cell by cell: `starts` is where each cell's begin
    starts = np.flatnonzero(np.r_[True, np.diff([c for c, _ in parts]) != 0])
    in_cell_t = np.logical_or.reduceat(w_t.T > 0, starts, axis=0).T  # nm × k: joining
    pair_cell = np.zeros((len(pairs), k))
    pair_cell[pair_of, [c for c, _ in parts]] = 1.0
    in_cell_c = np.zeros((n, k), dtype=bool)  # n × k: comparison
    in_cell_c[mem] = np.logical_or.reduceat(w_c.T > 0, starts, axis=0).T
    in_cell_c[plain] = (plain_in @ pair_cell) > 0
    level_num = np.zeros(nm)
    level_den = np.zeros(nm)
    for c, cell in enumerate(cells):
        if cell.t >= cell.g:
            used = in_cell_t[:, c]
            level_num += np.where(used, w_m * np.nan_to_num(y_m[:, yidx[cell.t]]), 0.0)
            level_den += np.where(used, w_m, 0.0)
    cell_g = np.array([cell.g for cell in cells])
    cell_t = np.array([cell.t for cell in cells])
    cell_e = (cell_t - cell_g).astype(int)
    post = cell_e >= 0
    bridged = []
    for cell in cells:
        why = None
        if breaks:
            for s, *_ in cell.parts:
                why = breaks(int(min(s, cell.t)), int(max(s, cell.t)))
                if why:
                    break
        bridged.append(why)

    # The years each joining school actually contributes (the badge counts these, not the
    # years it merely has), and how a steady drift before joining would move each figure.
    used = np.zeros((nm, n_years), dtype=bool)
    for cell in cells:
        for s_year, _q, tmask, *_ in cell.parts:
            used[tmask, yidx[s_year]] = True
            used[tmask, yidx[cell.t]] = True
    base_event = np.array([float(np.mean(cell.base_years)) - cell.g for cell in cells])

    # The statistics, as index sets over cells: overall, then every event time there is (the
    # curve shows the window; the pre-trend test uses every pre-joining point, because the
    # longest differences carry the most information about a drift).
    event_times = sorted({int(e) for e in cell_e})
    groups = [np.flatnonzero(post)] + [np.flatnonzero(cell_e == e) for e in event_times]
    group_schools = np.array([int(in_cell_t[:, idx].any(axis=1).sum()) for idx in groups])
    pre_cells = np.flatnonzero(~post)
    slope_by_cohort = [pre_cells[cell_g[pre_cells] == gg] for gg in cohorts]
    with_slope = base == PRE_MEAN

    def statistics(tn: np.ndarray, td: np.ndarray, cn: np.ndarray,
                   cd: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        with np.errstate(invalid="ignore", divide="ignore"):
            part = tn / td
            if control != BENCHMARK:
                part = part - cn / cd
        ok = np.isfinite(part) & (td > 0)
        okf = ok.astype(float)
        count = okf @ member
        with np.errstate(invalid="ignore", divide="ignore"):
            att = np.where(count > 0, (np.where(ok, part, 0.0) @ member) / count, np.nan)
            weight = np.where(count > 0, (np.where(ok, td, 0.0) @ member) / count, 0.0)
        att0 = np.where(count > 0, att, 0.0)
        out = np.full((tn.shape[0], len(groups) + with_slope), np.nan)
        for s, idx in enumerate(groups):
            den = weight[:, idx].sum(axis=1)
            num = (weight[:, idx] * att0[:, idx]).sum(axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                out[:, s] = np.where(den > 0, num / den, np.nan)
        if with_slope:
            # pooled within-cohort least squares of placebo effects on event time
            num = np.zeros(tn.shape[0])
            den = np.zeros(tn.shape[0])
            for idx in slope_by_cohort:
                if len(idx) < 2:
                    continue
                wc, yc, ec = weight[:, idx], att0[:, idx], cell_e[idx].astype(float)
                total = wc.sum(axis=1, keepdims=True)
                with np.errstate(invalid="ignore", divide="ignore"):
                    centre = np.where(total > 0, (wc * ec).sum(axis=1, keepdims=True) / total,
                                      0.0)
                dev = ec - centre
                num += (wc * dev * yc).sum(axis=1)
                den += (wc * dev ** 2).sum(axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                out[:, -1] = np.where(den > 0, num / den, np.nan)
        return out, att

    ones = np.ones((1, n))
    point, att_point = statistics(*(ones @ x.T for x in every))
    point, att_point = point[0], att_point[0]

    # The bootstrap: the two strata of schools (joining, comparison) and the bootstrap draws
    # of every statistic (draws × statistics).
    strata = [np.flatnonzero(eligible), np.flatnonzero(~eligible)]

    def statistic(tn: np.ndarray, td: np.ndarray, cn: np.ndarray,
                  cd: np.ndarray) -> np.ndarray:
        return statistics(tn, td, cn, cd)[0]

    if bootstrap == RESAMPLE:
        boot = _resampled_draws(lambda x: statistic(*np.split(x, 4, axis=1)),
                                np.vstack(every).T, strata, draws, seed, n_out=len(point))
    else:
        boot = _multiplier_draws(statistic, every, strata, draws, seed, n_out=len(point))

    n_stats = len(groups)
    lows, highs, ses = _intervals(point[:n_stats], boot[:, :n_stats], group_schools, level)

    def _num(x: float) -> float | None:
        return None if x is None or not math.isfinite(x) else float(x)

    points: list[EventPoint] = []
    stat_of = {e: s + 1 for s, e in enumerate(event_times)}
    base_events = ({int(b[0] - gg) for gg, b in base_of.items()} if base == LAST else set())
    for e in range(-max_event, max_event + 1):
        if e in stat_of:
            s = stat_of[e]
            idx = groups[s]
            points.append(EventPoint(
                e, _num(point[s]), _num(lows[s]), _num(highs[s]), _num(ses[s]),
                int(group_schools[s]),
                tuple(sorted({int(x) for x in cell_g[idx]})), False,
                any(bridged[i] for i in idx)))
        elif e in base_events:
            points.append(EventPoint(e, 0.0, None, None, None, 0,
                                     tuple(sorted(int(gg) for gg, b in base_of.items()
                                                  if b[0] - gg == e)), True, False))

    cell_weight = np.add.reduceat(w_t.T, starts, axis=0).T / np.maximum(member.sum(axis=0), 1)
    total_weight = cell_weight.sum(axis=0)
    post_w = total_weight[post]
    bias_per_drift = (float((post_w * (cell_e[post] - base_event[post])).sum() / post_w.sum())
                      if post_w.sum() > 0 else None)
    if base == LAST:
        # every pre-joining event time resting on enough schools, and their average
        pre = [s for e, s in stat_of.items()
               if e < 0 and group_schools[s] >= MIN_SCHOOLS_PRE_TEST]
        tested = np.concatenate([groups[s] for s in pre]) if pre else np.array([], dtype=int)
        pre_schools = int(in_cell_t[:, tested].any(axis=1).sum()) if pre else 0
        pre_weights = np.array([cell_weight[:, groups[s]].sum() for s in pre])
        levers = np.array([float(np.average(cell_e[groups[s]] - base_event[groups[s]],
                                            weights=np.maximum(total_weight[groups[s]], 1e-12)))
                           for s in pre])
        pre_trend = _pre_trend_test(point, boot, group_schools, pre, pre_weights, pre_schools,
                                    tuple(event_times[s - 1] for s in pre), levers,
                                    bias_per_drift)
    else:
        pre_schools = int(in_cell_t[:, pre_cells].any(axis=1).sum()) if len(pre_cells) else 0
        # a drift of 1 point a year gives placebos a slope of k/(k-1), k the base years
        sxx, kappa = 0.0, 0.0
        for gg, idx in zip(cohorts, slope_by_cohort, strict=True):
            k = len(base_of[gg])
            if len(idx) < 2 or k < 2:
                continue
            wc, ec = total_weight[idx], cell_e[idx].astype(float)
            if wc.sum() <= 0:
                continue
            spread = float((wc * (ec - np.average(ec, weights=wc)) ** 2).sum())
            sxx += spread
            kappa += spread * k / (k - 1)
        pre_trend = _slope_test(float(point[-1]), boot[:, -1], pre_schools,
                                tuple(e for e in event_times if e < 0), level,
                                per_drift=kappa / sxx if sxx > 0 else 1.0,
                                bias_per_drift=bias_per_drift)

    treated_rows = []
    for mi, i in enumerate(mem):
        if not elig_m[mi] or not in_cell_t[mi].any():
            continue
        treated_rows.append({"unit": units[i], "first_treated": int(g[i]),
                             "base_year": base_of[g[i]][-1], "base_from": base_of[g[i]][0],
                             "years_before": int((used[mi] & (year_arr < g[i])).sum()),
                             "years_after": int((used[mi] & (year_arr >= g[i])).sum())})
    control_use = in_cell_c.sum(axis=1)
    controls = pd.DataFrame({"unit": unit_arr[control_use > 0],
                             "cells": control_use[control_use > 0].astype(int)})
    cell_frame = pd.DataFrame({
        "first_treated": cell_g.astype(int), "year": cell_t.astype(int),
        "base_year": [cell.base_years[-1] for cell in cells],
        "base_from": [cell.base_years[0] for cell in cells],
        "base_years": [len(cell.base_years) for cell in cells],
        "event_time": cell_e, "att": att_point,
        "treated_schools": in_cell_t.sum(axis=0), "control_schools": in_cell_c.sum(axis=0),
        "treated_weight": cell_weight.sum(axis=0), "bridged": bridged,
    })
    post_weight = cell_frame.loc[post, "treated_weight"]
    bridged_share = float(post_weight[[bool(x) for x in np.asarray(bridged)[post]]].sum()
                          / post_weight.sum()) if post_weight.sum() > 0 else 0.0
    used_years = sorted({int(x) for x in cell_t}
                        | {int(s) for cell in cells for s, *_ in cell.parts})
    overall = _num(point[0])
    reason = None if overall is not None else "no results after joining to compare"
    return DidResult(
        overall=overall, low=_num(lows[0]), high=_num(highs[0]), se=_num(ses[0]),
        event_study=points, pre_trend=pre_trend, cells=cell_frame,
        treated=pd.DataFrame(treated_rows, columns=["unit", "first_treated", "base_year",
                                                    "base_from", "years_before",
                                                    "years_after"]),
        controls=controls, excluded=excluded,
        treated_post_mean=_num(level_num.sum() / level_den.sum()) if level_den.sum() else None,
        draws=draws, valid_draws=int(np.isfinite(boot[:, 0]).sum()), seed=seed,
        control=control, bridged_share=bridged_share, reason=reason, years=used_years,
        base=base, dropped=dropped,
        raw={"point": point, "boot": boot, "schools": group_schools,
             "event_times": event_times, "slope": bool(with_slope)})
