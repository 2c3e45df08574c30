"""The one function pages and the CLI call to say whether working together made a difference:
`impact_estimate(store, cohort=..., measure=...) -> Estimate`.

Everything a page shows about an effect comes from here (the effect and its interval, the
event-study curve, the pre-trend check, effect size and months, the strength-of-evidence
badge, the sentence and the caveat, which schools and years were used), so the CLI's
`estimate --json` and the pages cannot disagree.

Choices made here (each also stated in the estimate's notes where it matters):

- annual results: statutory measures are Summer results; for teacher assessments the Summer
  term is used (the end-of-year judgement), so event time is in years for every measure;
- a school's treatment is being in *this* cohort: from its first treated year to the last
  academic year whose 14 September census it was in for (`event_time`); its results after it
  left are not the cohort's, and it is no longer a clean comparison either, so they are left
  out. A school in any other partnership stops being a clean comparison from its own first
  treated year;
- comparison kinds: `not_yet_joined` (default: schools in the store that had not joined any
  partnership yet, plus those that never did), `never_joined`, `similar` (nearest neighbours,
  see `matching`), `chosen` (a list of URNs), `local_authority` and `national` (benchmark
  lines: each joining school against its own local authority's line, or England's);
- the base (`base=`, see `did`): `pre_mean` (default) compares each school's results after
  joining with its own average over all its years before joining; `last` with its last year
  before joining only (Callaway and Sant'Anna's long difference). The pre-trend check follows
  the base: a drift test under `pre_mean`, placebo effects under `last`;
- effect sizes: Cohen's h for percentages (the joining schools' average after joining
  against that average minus the effect), and for scores the effect divided by the pooled
  pre-period standard deviation of school figures across the schools used;
- what may be said (`verdict`, the domain's words): an interval wider than the measure's whole
  range is too uncertain to say anything; otherwise the interval is shown only within what
  the measure allows (a percentage cannot fall below 0 or rise above 100), and months'
  progress are given only for a clear difference: an interval that excludes 0 *and* a check
  of the years before joining that neither failed, nor found a year that already stood out,
  nor was impossible. `check` says how much that check could see (its power), so a check on
  three schools is never reported as "the comparison looks fair".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from impact.analysis import data as d
from impact.analysis.did import (
    BASES,
    BENCHMARK,
    DEFAULT_BASE,
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    MIN_SCHOOLS_PRE_TEST,
    MULTIPLIER,
    NEVER_JOINED,
    NOT_YET_JOINED,
    PRE_MEAN,
    DidResult,
    EventPoint,
    PreTrend,
    staggered_did,
)
from impact.analysis.effect_sizes import (
    cohens_h_for_change,
    months_progress,
    pooled_sd,
    standardised_mean_difference,
)
from impact.analysis.evidence import Evidence, strength_of_evidence
from impact.analysis.matching import nearest_neighbours
from impact.analysis.regression_to_mean import CohortDip, cohort_dip
from impact.analysis.suppression import group_analysis_allowed
from impact.domain import areas, verdicts
from impact.domain import comparisons as comparisons_
from impact.domain.academic_years import format_academic_year
from impact.domain.measures import Measure, not_comparable
from impact.domain.measures import measure as measure_of
from impact.domain.pupil_groups import group_label
from impact.domain.small_numbers import governor_rule
from impact.store import Store

if TYPE_CHECKING:
    from impact.analysis.wording import EstimateWords

COMPARISON_KINDS = comparisons_.FOR_ESTIMATES
ENGLAND = areas.ENGLAND_CODE
BASE_LABELS = {
    "pre_mean": "each school's average over its years before joining",
    "last": "each school's last year before joining",
}
# "Looks fair" needs the check to flag a drift that matters at least this often, as the power
# formula states it. The simulation (bench/results/did_simulation.md, "power the page states"
# against "pre-trend flagged") finds the slope test under `pre_mean` flags a little less often
# than the formula says (it is more cautious than its nominal 5%: about 63% where it states
# 73%), so 9 in 10 stated is about 8 in 10 seen.
FAIR_POWER = 0.9
WEIGHTING = ("Schools are weighted by their pupils (each school's mean cohort size over the "
             "years used), so the effect is an average per pupil, not per school.")


@dataclass(frozen=True)
class EffectSize:
    """A standardised effect with its interval, and the EEF months it converts to (months
    only for a clear difference: otherwise None)."""

    kind: str  # "cohens_h" or "standardised_mean_difference"
    value: float
    low: float | None
    high: float | None
    months: int | None
    months_low: int | None
    months_high: int | None
    basis: str

    def as_dict(self) -> dict:
        return {"kind": self.kind, "value": self.value, "low": self.low, "high": self.high,
                "months": self.months, "months_low": self.months_low,
                "months_high": self.months_high, "basis": self.basis}


@dataclass(slots=True, unsafe_hash=True)
class SchoolUse:
    """A school an estimate used, and how.

    Not frozen, though nothing changes one after it is made: a national comparison makes one
    for each of 20,000 schools, and a frozen dataclass sets each field through
    `object.__setattr__`, which made building them take a tenth of the whole estimate.
    Hashable by its fields all the same."""

    urn: int
    name: str
    role: str  # "joining" or "comparison"
    joined_date: str | None = None
    first_treated_year: str | None = None
    years_before: int | None = None   # years of results it contributes before joining
    years_after: int | None = None    # and after (up to when it left)
    left_date: str | None = None
    last_treated_year: str | None = None  # its last year in the cohort, if it left

    def as_dict(self) -> dict:
        return {"urn": self.urn, "name": self.name, "role": self.role,
                "joined_date": self.joined_date, "first_treated_year": self.first_treated_year,
                "years_before": self.years_before, "years_after": self.years_after,
                "left_date": self.left_date, "last_treated_year": self.last_treated_year}


@dataclass(frozen=True)
class Excluded:
    """A school of the cohort that no figure could use, and why."""

    urn: int
    name: str
    reason: str

    def as_dict(self) -> dict:
        return {"urn": self.urn, "name": self.name, "reason": self.reason}


@dataclass(frozen=True)
class JoiningGroup:
    """The cohort's schools whose first results after joining are from the same year."""

    first_treated_year: str
    base_year: str         # a year (`last`), or the span of years averaged (`pre_mean`)
    base_from: str
    base_to: str
    base_years: int
    schools: int
    bridges_break: bool

    def as_dict(self) -> dict:
        return {"first_treated_year": self.first_treated_year, "base_year": self.base_year,
                "base_from": self.base_from, "base_to": self.base_to,
                "base_years": self.base_years, "schools": self.schools,
                "bridges_break": self.bridges_break}


@dataclass(frozen=True)
class DroppedYear:
    """A year after joining with results but nothing to compare them with: left out."""

    first_treated_year: str
    academic_year: str
    reason: str

    def as_dict(self) -> dict:
        return {"first_treated_year": self.first_treated_year,
                "academic_year": self.academic_year, "reason": self.reason}


@dataclass(frozen=True)
class ComparisonCheck:
    """Were the joining schools moving in step with the comparison before joining, and how
    much could the check see?

    `status` is one of the domain's `CHECK_*`: `passed` (no sign of a difference, and a drift
    big enough to matter, `at_stake`, would be caught at least 9 times in 10 as the power
    formula states it: `FAIR_POWER`), `weak` (no
    sign, but the check could only catch a larger difference), `flagged`, `point_off` (no steady drift,
    but a year before joining already stood out: `standout`) or `untestable`.
    `detectable_bias`: how far a drift before joining must move the estimate before the check
    flags it 8 times in 10.
    """

    status: str
    p_value: float | None
    drift: float | None               # points a year, joining minus comparison schools
    schools: int
    detectable_bias: float | None
    standout: EventPoint | None = None
    # What is at stake, in points of the estimate: for a clear difference the end of its
    # interval nearest 0 (could a drift explain it away?), otherwise the interval's
    # half-width (could a drift hide a difference?); and how often the check would flag a
    # drift that moved the estimate by that much.
    at_stake: float | None = None
    power_at_stake: float | None = None

    @property
    def allows_clear(self) -> bool:
        return self.status in verdicts.CHECK_ALLOWS_CLEAR

    def as_dict(self) -> dict:
        return {"status": self.status, "p_value": self.p_value, "drift": self.drift,
                "schools": self.schools, "detectable_bias": self.detectable_bias,
                "at_stake": self.at_stake, "power_at_stake": self.power_at_stake,
                "standout": None if self.standout is None else self.standout.as_dict()}


@dataclass
class Estimate:
    """An impact estimate for one cohort, measure, pupil group and comparison.

    `low`/`high` are the 95% interval kept within what the measure allows (`bounds`);
    `verdict` (a domain word) says what may be claimed; every sentence about it comes from
    `words` (`impact.analysis.wording.words`), so a page, the CLI and the board pack say the
    same thing.
    """

    partnership: str
    cohort: str
    measure: str
    measure_label: str
    group: str
    comparison: str
    status: str                      # "ok" or "not_enough_data"
    reason: str | None
    effect: float | None             # points (percentage points for % measures)
    low: float | None
    high: float | None
    se: float | None
    event_study: list[EventPoint]
    pre_trend: PreTrend
    effect_size: EffectSize | None
    evidence: Evidence
    joining_schools: list[SchoolUse]
    comparison_schools: list[SchoolUse]
    excluded: list[Excluded]
    years: list[str]
    cohorts: list[JoiningGroup]
    dip: CohortDip
    governor_view_allowed: bool
    draws: int
    seed: int
    verdict: str = verdicts.NOT_ENOUGH_DATA
    check: ComparisonCheck = field(default_factory=lambda: ComparisonCheck(
        verdicts.CHECK_UNTESTABLE, None, None, 0, None))
    bounds: tuple[float, float] | None = None   # what the effect can be, given the measure
    unbounded: tuple[float, float] | None = None  # the interval before it was kept in bounds
    too_uncertain: bool = False
    dropped: list[DroppedYear] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    level: float = 0.95
    base: str = DEFAULT_BASE

    @property
    def cohort_label(self) -> str:
        return f"{self.partnership} / {self.cohort}"

    @property
    def unit(self) -> str:
        return "points"

    @property
    def measure_info(self) -> Measure:
        return measure_of(self.measure)

    @property
    def comparison_label(self) -> str:
        return comparisons_.phrase(self.comparison)

    @property
    def estimated(self) -> bool:
        return self.effect is not None

    @property
    def clear(self) -> bool:
        """A difference that may be claimed: the interval excludes 0 and the comparison held."""
        return self.verdict in verdicts.CLEAR

    @property
    def months(self) -> int | None:
        return self.effect_size.months if self.effect_size else None

    @cached_property
    def words(self) -> EstimateWords:
        from impact.analysis.wording import words

        return words(self)

    @property
    def sentence(self) -> str:
        return self.words.headline

    @property
    def caveat(self) -> str:
        return self.words.caveat

    @property
    def pre_trend_verdict(self) -> str:
        return self.words.check

    def __getstate__(self) -> dict:
        # the words are made again after unpickling (a page's cache), never stored stale
        state = dict(self.__dict__)
        state.pop("words", None)
        return state

    def as_dict(self) -> dict:
        """Everything, JSON-ready (the `estimate --json` output). Its keys stay stable for
        scripts: effect, low, high, months, sentence, pre_trend.flagged, evidence, …"""
        return {
            "partnership": self.partnership, "cohort": self.cohort,
            "measure": self.measure, "measure_label": self.measure_label,
            "group": self.group, "group_label": group_label(self.group),
            "comparison": self.comparison,
            "comparison_label": self.comparison_label,
            "base": self.base, "base_label": BASE_LABELS[self.base],
            "status": self.status, "reason": self.reason,
            "effect": self.effect, "low": self.low, "high": self.high, "se": self.se,
            "level": self.level, "unit": self.unit,
            "bounds": None if self.bounds is None else list(self.bounds),
            "interval_unbounded": None if self.unbounded is None else list(self.unbounded),
            "too_uncertain": self.too_uncertain,
            "verdict": self.verdict, "clear": self.clear,
            "event_study": [p.as_dict() for p in self.event_study],
            "pre_trend": {**self.pre_trend.as_dict(), "verdict": self.pre_trend_verdict,
                          "status": self.check.status},
            "comparison_check": self.check.as_dict(),
            "effect_size": self.effect_size.as_dict() if self.effect_size else None,
            "months": self.months,
            "evidence": self.evidence.as_dict(),
            "sentence": self.sentence, "title": self.words.title, "caveat": self.caveat,
            "joining_schools": [s.as_dict() for s in self.joining_schools],
            "comparison_schools": [s.as_dict() for s in self.comparison_schools],
            "excluded": [x.as_dict() for x in self.excluded], "years": self.years,
            "dropped_years": [x.as_dict() for x in self.dropped],
            "cohorts": [c.as_dict() for c in self.cohorts],
            "regression_to_mean": self.dip.as_dict(),
            "governor_view_allowed": self.governor_view_allowed,
            "draws": self.draws, "seed": self.seed, "notes": self.notes,
        }


# --- what may be said -----------------------------------------------------------------------

def effect_bounds(m: Measure, level_after: float | None) -> tuple[float, float]:
    """What an effect on this measure can be: the joining schools' level after joining minus
    a level the measure allows (so a percentage effect from 58% lies in −42 to 58); without
    that level, plus or minus the measure's whole range."""
    span = float(m.maximum - m.minimum)
    if level_after is None or not math.isfinite(level_after):
        return -span, span
    return float(level_after - m.maximum), float(level_after - m.minimum)


def _within(value: float | None, bounds: tuple[float, float]) -> float | None:
    return None if value is None else min(max(value, bounds[0]), bounds[1])


def too_wide(low: float | None, high: float | None, m: Measure) -> bool:
    """An interval wider than the measure's whole range says nothing."""
    return low is not None and high is not None and (high - low) > (m.maximum - m.minimum)


def _bounded_points(points: list[EventPoint], m: Measure) -> list[EventPoint]:
    span = float(m.maximum - m.minimum)
    out = []
    for p in points:
        if p.reference or p.low is None or p.high is None:
            out.append(p)
            continue
        out.append(replace(p, low=max(p.low, -span), high=min(p.high, span),
                           too_uncertain=(p.high - p.low) > span))
    return out


def _standout(points: list[EventPoint]) -> EventPoint | None:
    """The pre-joining point furthest from 0 whose interval excludes 0 (on enough schools)."""
    off = [p for p in points if p.event_time < 0 and not p.reference
           and p.estimate is not None and p.low is not None and p.high is not None
           and not p.too_uncertain and p.schools >= MIN_SCHOOLS_PRE_TEST
           and (p.low > 0 or p.high < 0)]
    return max(off, key=lambda p: abs(p.estimate or 0.0)) if off else None


def comparison_check(pre_trend: PreTrend, points: list[EventPoint], low: float | None,
                     high: float | None) -> ComparisonCheck:
    """The check of the years before joining, as what may be said about it (see
    `ComparisonCheck`). "Passed" needs power: the check must flag, at least `FAIR_POWER` of
    the time, a drift that moves the estimate by what is at stake: the end of a clear interval
    nearest 0 (could an unseen drift explain the difference away?) or, for an interval that
    includes 0, its half-width (could it hide a difference?)."""
    standout = _standout(points)
    detectable = pre_trend.detectable_bias() if pre_trend.testable else None
    at_stake = power = None
    if low is not None and high is not None:
        at_stake = min(abs(low), abs(high)) if (low > 0 or high < 0) else (high - low) / 2
        if pre_trend.testable and pre_trend.bias_per_drift:
            power = pre_trend.power(at_stake / abs(pre_trend.bias_per_drift))
    common = {"p_value": pre_trend.p_value, "drift": pre_trend.drift,
              "schools": pre_trend.schools, "detectable_bias": detectable,
              "standout": standout, "at_stake": at_stake, "power_at_stake": power}
    if pre_trend.testable and pre_trend.flagged:
        return ComparisonCheck(verdicts.CHECK_FLAGGED, **common)
    if standout is not None:
        return ComparisonCheck(verdicts.CHECK_POINT_OFF, **common)
    if not pre_trend.testable:
        return ComparisonCheck(verdicts.CHECK_UNTESTABLE, **common)
    passed = power is not None and power >= FAIR_POWER
    return ComparisonCheck(verdicts.CHECK_PASSED if passed else verdicts.CHECK_WEAK, **common)


def estimate_verdict(effect: float | None, low: float | None, high: float | None,
                     too_uncertain: bool, check: ComparisonCheck) -> str:
    """What an estimate shows, in the domain's words (see `impact.domain.verdicts`)."""
    if effect is None or not math.isfinite(effect):
        return verdicts.NOT_ENOUGH_DATA
    if low is None or high is None:
        return verdicts.TOO_FEW_SCHOOLS
    if too_uncertain:
        return verdicts.TOO_UNCERTAIN
    if low <= 0 <= high:
        return verdicts.NO_CLEAR_DIFFERENCE
    if check.status in (verdicts.CHECK_FLAGGED, verdicts.CHECK_POINT_OFF):
        return verdicts.COMPARISON_IN_DOUBT
    if not check.allows_clear:
        return verdicts.COMPARISON_UNCHECKED
    return verdicts.ROSE_MORE if low > 0 else verdicts.FELL_BEHIND


def _effect_size(measure_is_percent: bool, result: DidResult, outcomes: pd.DataFrame,
                 benchmark: bool, low: float | None, high: float | None,
                 clear: bool) -> EffectSize | None:
    if result.overall is None:
        return None
    theta = result.overall
    if measure_is_percent:
        level = result.treated_post_mean
        if level is None:
            return None

        def h(x: float | None) -> float | None:
            return None if x is None else cohens_h_for_change(level, x)

        value, lo, hi = h(theta), h(low), h(high)
        basis = (f"Cohen's h: the joining schools' average after joining ({level:.0f}%) "
                 f"against that average minus the effect.")
        kind = "cohens_h"
    else:
        units = set(result.treated["unit"])
        if not benchmark:
            units |= set(result.controls["unit"])
        first = int(result.treated["first_treated"].min())
        pre = outcomes[outcomes["unit"].isin(units) & (outcomes["year"] < first)]
        sd = pooled_sd(rows["value"].tolist() for _, rows in pre.groupby("year"))
        if sd is None:
            return None

        def smd(x: float | None) -> float | None:
            return None if x is None else standardised_mean_difference(x, sd)

        value, lo, hi = smd(theta), smd(low), smd(high)
        basis = (f"Standardised mean difference: the effect divided by the pooled standard "
                 f"deviation of school figures before joining ({sd:.2f}), across "
                 f"{'the joining' if benchmark else 'the joining and comparison'} schools. "
                 "This is a spread between schools, smaller than the spread between pupils "
                 "the EEF's months are based on, so the months may overstate the effect.")
        kind = "standardised_mean_difference"
    if not clear:  # months only for a clear difference: never beside "no clear difference"
        return EffectSize(kind, value, lo, hi, None, None, None, basis)
    return EffectSize(kind, value, lo, hi, months_progress(value), months_progress(lo),
                      months_progress(hi), basis)


def _benchmark_lines(store: Store, measure: str, group: str, term: str, kind: str,
                     treated: list[int]) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """Each joining school's benchmark series (unit, year, value), and who has none."""
    bench = d.benchmarks(store, measure, group, term).dropna(subset=["value"])
    missing: list[tuple[int, str]] = []
    rows = []
    if kind == comparisons_.NATIONAL:
        national = bench[bench["area_type"] == areas.NATIONAL]
        if ENGLAND in set(national["area_code"]):
            national = national[national["area_code"] == ENGLAND]
        for urn in treated:
            rows.append(national.assign(unit=urn)[["unit", "year", "value"]])
        if national.empty:
            missing = [(u, "no national figures for this measure and pupil group")
                       for u in treated]
    else:
        local = bench[bench["area_type"] == areas.LOCAL_AUTHORITY]
        la_of = d.schools(store).set_index("urn")["local_authority"]
        for urn in treated:
            la = la_of.get(urn)
            if not isinstance(la, str) or not la:
                missing.append((urn, "the school has no local authority in the store"))
                continue
            key = la.strip().lower()
            mine = local[(local["area_name"].fillna("").str.strip().str.lower() == key)
                         | (local["area_code"].fillna("").str.strip().str.lower() == key)]
            if mine.empty:
                missing.append((urn, f"no local authority figures for {la}"))
                continue
            rows.append(mine.assign(unit=urn)[["unit", "year", "value"]])
    frame = (pd.concat(rows, ignore_index=True) if rows
             else pd.DataFrame(columns=["unit", "year", "value"]))
    return frame, missing


def _similar_pool(outcomes: pd.DataFrame, timing: pd.DataFrame, schools: pd.DataFrame,
                  disadvantage: pd.Series, neighbours: int) -> list[int]:
    treated = timing.loc[timing["first_treated"].notna(), "unit"].tolist()
    first = timing["first_treated"].min()
    joined_any = timing.set_index("unit")["joined_any"]
    have = set(outcomes["unit"])
    pool = [u for u in have if u not in set(treated)
            and not (joined_any.get(u, math.nan) <= first)]
    before = outcomes[outcomes["year"] < first]
    prior = before.groupby("unit").apply(
        lambda r: d.mean_where(r["value"], r["weight"]), include_groups=False)
    features = schools.set_index("urn").reindex(columns=["phase", "pupils"])
    features["prior_attainment"] = prior.reindex(features.index)
    features["disadvantaged_share"] = disadvantage.reindex(features.index)
    treated_here = [u for u in treated if u in features.index]
    pool = [u for u in pool if u in features.index]
    matches = nearest_neighbours(features, treated_here, pool, k=neighbours)
    return sorted(set(matches["match"].tolist()))


def _date_text(value: object) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) \
        else str(value)


def impact_estimate(store: Store, *, cohort: str, measure: str, group: str | None = "all",
                    comparison: str = comparisons_.DEFAULT, partnership: str | None = None,
                    urns: Sequence[int] | None = None, draws: int = DEFAULT_DRAWS,
                    seed: int = DEFAULT_SEED, max_event: int = 3, neighbours: int = 5,
                    term: str = "Summer", base: str = DEFAULT_BASE,
                    bootstrap: str = MULTIPLIER) -> Estimate:
    """Did this cohort's schools change more than comparable schools after joining?

    `cohort`: "Partnership / Cohort" or a cohort name that is unique. `measure`: a measure's
    code, label or short label. `group`: a pupil-group code or label. `comparison`: one of
    `COMPARISON_KINDS` (`chosen` needs `urns`). `base`: `pre_mean` (default) or `last`, what
    each school's results after joining are measured from (see `did`). Raises `UnknownName`
    (with the choices in its message) for a name that matches nothing. The bootstrap is
    seeded, so the same store and arguments give the same numbers. `governor_view_allowed` on
    the result says whether a pupil-group estimate may be shown to governors (every year's
    group has at least `GOVERNOR_MIN_GROUP` pupils). `bootstrap`: `multiplier` (default) or
    `resample`, the reference it is checked against (see `did`).
    """
    ref = d.find_cohort(store, cohort, partnership)
    m = d.resolve_measure(measure)
    grp = d.resolve_group(group)
    if comparison not in COMPARISON_KINDS:
        raise d.UnknownName(f"There is no comparison called {comparison!r}. Use one of: "
                            f"{', '.join(COMPARISON_KINDS)}.")
    if base not in BASES:
        raise d.UnknownName(f"There is no base called {base!r}. Use one of: "
                            f"{', '.join(BASES)}.")
    if comparison == comparisons_.CHOSEN and not urns:
        raise d.UnknownName("A chosen comparison needs the URNs of the schools to compare "
                            "with.")
    figures = d.outcomes(store, m.code, grp, term)
    members = d.memberships(store)
    timing = d.timing(members, ref)
    names = d.school_names(store)
    mine = d.cohort_members(members, ref).set_index("urn")
    # A school that left is not the cohort's from the year after its last census in it, and
    # not a clean comparison either: those results are left out altogether.
    spans = timing.set_index("unit")[["first_treated", "last_treated"]].dropna(
        subset=["first_treated"])
    figures = d.drop_after_leaving(figures, spans)
    extra_excluded: list[tuple[int, str]] = []
    never_in = spans[spans["last_treated"] < spans["first_treated"]].index
    for urn in never_in:
        extra_excluded.append((int(urn), "it left before its first year in the cohort"))
    timing.loc[timing["unit"].isin(never_in), "first_treated"] = np.nan
    left_in = [(int(u), int(last)) for u, last in spans["last_treated"].dropna().items()
               if u not in set(never_in)]

    outcomes = figures.rename(columns={"urn": "unit", "cohort_size": "weight"})[
        ["unit", "year", "value", "weight"]].dropna(subset=["value"])
    treated = sorted(int(u) for u in timing.loc[timing["first_treated"].notna(), "unit"])
    notes = [WEIGHTING]
    if not m.statutory:
        notes.append(f"Teacher assessments: the {term} term figure each year.")
    if left_in:
        notes.append(f"{len(left_in)} school{'s' if len(left_in) != 1 else ''} left the "
                     "cohort: each counts as in it only up to its last year in (the last "
                     "14 September it was a member), and its later results are left out.")

    control = NOT_YET_JOINED
    bench_lines = None
    if comparison == comparisons_.NEVER_JOINED:
        control = NEVER_JOINED
    elif comparison == comparisons_.SIMILAR:
        pool = _similar_pool(outcomes, timing, d.schools(store), d.disadvantage(store),
                             neighbours)
        outcomes = outcomes[outcomes["unit"].isin(set(treated) | set(pool))]
        notes.append(f"Similar schools: the {neighbours} nearest to each joining school on "
                     "prior attainment, disadvantage, size and phase "
                     f"({len(pool)} schools in all).")
    elif comparison == comparisons_.CHOSEN:
        chosen = {int(u) for u in urns or ()}
        outcomes = outcomes[outcomes["unit"].isin(set(treated) | chosen)]
    elif comparisons_.is_benchmark(comparison):
        control = BENCHMARK
        bench_lines, missing = _benchmark_lines(store, m.code, grp, term, comparison,
                                                treated)
        extra_excluded += missing
        outcomes = outcomes[outcomes["unit"].isin(treated)]
        area = ("England" if comparison == comparisons_.NATIONAL
                else "each school's local authority")
        notes.append(f"Compared with the line for {area}, treated as exact: the interval "
                     "reflects only the differences between the partnership's own schools, "
                     "not any uncertainty in the comparison, and that line includes schools "
                     "of every kind (these ones too).")

    def breaks(earlier: int, later: int) -> str | None:
        return not_comparable(m.code, format_academic_year(earlier),
                              format_academic_year(later))

    result = staggered_did(outcomes, timing, control=control, benchmark=bench_lines,
                           draws=draws, seed=seed, max_event=max_event, breaks=breaks,
                           base=base, bootstrap=bootstrap)

    excluded = [Excluded(int(u), names.get(int(u), str(u)), r)
                for u, r in [*zip(result.excluded["unit"], result.excluded["reason"],
                                  strict=True), *extra_excluded]]
    last_of = dict(left_in)
    joining = [SchoolUse(int(r.unit), names.get(int(r.unit), str(r.unit)), "joining",
                         _date_text(mine["joined_date"].get(int(r.unit))),
                         format_academic_year(int(r.first_treated)), int(r.years_before),
                         int(r.years_after),
                         _date_text(mine["left_date"].get(int(r.unit)))
                         if int(r.unit) in last_of else None,
                         format_academic_year(last_of[int(r.unit)])
                         if int(r.unit) in last_of else None)
               for r in result.treated.itertuples()]
    comparing = [SchoolUse(u, names.get(u, str(u)), "comparison")
                 for u in result.controls["unit"].astype("int64").tolist()]

    groups = []
    if not result.cells.empty:
        for g, rows in result.cells.groupby("first_treated"):
            first, last = (format_academic_year(int(rows[c].iloc[0]))
                           for c in ("base_from", "base_year"))
            groups.append(JoiningGroup(
                format_academic_year(int(g)), last if first == last else f"{first} to {last}",
                first, last, int(rows["base_years"].iloc[0]),
                int(rows["treated_schools"].max()), bool(rows["bridged"].map(bool).any())))
        if base == PRE_MEAN:
            notes.append("Each school's results after joining are compared with its own "
                         "average over its years before joining (the comparison schools' "
                         "likewise over the same years), which steadies the estimate against "
                         "one unusual year group; it assumes the schools were moving in step "
                         "over all those years, which the check of the years before joining "
                         "tests.")
        else:
            notes.append("Each school's results after joining are compared with its last year "
                         "before joining (and the comparison schools' with the same year): "
                         "one unusual year group then moves every figure.")
    dropped = [DroppedYear(format_academic_year(g), format_academic_year(t), why)
               for g, t, why in result.dropped]

    dip = cohort_dip(outcomes, {int(r.unit): int(r.first_treated)
                                for r in result.treated.itertuples()},
                     is_percent=m.is_percent)
    estimated = result.overall is not None
    bounds = effect_bounds(m, result.treated_post_mean)
    unbounded = ((result.low, result.high) if result.low is not None
                 and result.high is not None else None)
    uncertain = too_wide(result.low, result.high, m)
    low, high = _within(result.low, bounds), _within(result.high, bounds)
    points = _bounded_points(result.event_study, m)
    check = comparison_check(result.pre_trend, points, low, high)
    verdict = estimate_verdict(result.overall, low, high, uncertain, check)
    effect_size = _effect_size(m.is_percent, result, outcomes, control == BENCHMARK, low,
                               high, verdict in verdicts.CLEAR)
    years_before = float(np.median(result.treated["years_before"])) if joining else 0.0
    years_after = float(np.median(result.treated["years_after"])) if joining else 0.0
    evidence = strength_of_evidence(
        estimated=estimated, schools=len(joining), comparison_schools=len(comparing),
        years_before=years_before, years_after=years_after, benchmark=control == BENCHMARK,
        pre_trend_testable=result.pre_trend.testable,
        pre_trend_flagged=bool(result.pre_trend.flagged)
        or check.status == verdicts.CHECK_POINT_OFF, dip=dip.flagged)

    if result.bridged_share > 0:
        notes.append(f"{result.bridged_share:.0%} of the evidence after joining compares "
                     "results from 2021/22 on with 2018/19 or before, which are not directly "
                     "comparable. The comparison crosses the same break, so a change common "
                     "to all schools cancels out, but treat this part with care.")
    if excluded:
        notes.append(f"{len(excluded)} school(s) in the cohort left out: see 'excluded'.")
    allowed = True
    if grp != "all":
        used = figures[figures["urn"].isin([s.urn for s in joining])]
        totals = used.groupby("year")["cohort_size"].sum(min_count=1).tolist()
        allowed = group_analysis_allowed(grp, totals, governor_view=True)
        if not allowed:
            notes.append(f"{governor_rule().capitalize()} in this group in some years: not "
                         "for governor views.")
    return Estimate(
        partnership=ref.partnership, cohort=ref.cohort, measure=m.code,
        measure_label=m.label, group=grp, comparison=comparison,
        status="ok" if estimated else "not_enough_data", reason=result.reason,
        effect=result.overall, low=low, high=high, se=result.se,
        event_study=points, pre_trend=result.pre_trend, effect_size=effect_size,
        evidence=evidence, joining_schools=joining, comparison_schools=comparing,
        excluded=excluded, years=[format_academic_year(y) for y in result.years],
        cohorts=groups, dip=dip, governor_view_allowed=allowed, draws=draws, seed=seed,
        verdict=verdict, check=check, bounds=bounds, unbounded=unbounded,
        too_uncertain=uncertain, dropped=dropped, notes=notes, base=base)
