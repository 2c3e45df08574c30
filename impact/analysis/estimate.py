"""The one function pages and the CLI call to say whether working together made a difference:
`impact_estimate(store, cohort=..., measure=...) -> Estimate`.

Everything a page shows about an effect comes from here (the effect and its interval, the
event-study curve, the pre-trend check, effect size and months, the strength-of-evidence
badge, the sentence and the caveat, which schools and years were used), so the CLI's
`estimate --json` and the pages cannot disagree.

Choices made here (each also stated in the estimate's notes where it matters):

- annual results: statutory measures are Summer results; for teacher assessments the Summer
  term is used (the end-of-year judgement), so event time is in years for every measure;
- a school's treatment is joining *this* cohort (intention to treat: a school that later left
  still counts as joined); a school in any other partnership stops being a clean comparison
  from its own first treated year;
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
  pre-period standard deviation of school figures across the schools used.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from impact.analysis import data as d
from impact.analysis.did import (
    BASES,
    BENCHMARK,
    DEFAULT_BASE,
    DEFAULT_DRAWS,
    DEFAULT_SEED,
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
from impact.analysis.wording import (
    caveat,
    comparison_phrase,
    effect_sentence,
    pre_trend_verdict,
)
from impact.domain.academic_years import format_academic_year
from impact.domain.measures import not_comparable
from impact.domain.pupil_groups import group_label
from impact.store import Store

COMPARISON_KINDS = ("not_yet_joined", "never_joined", "similar", "chosen", "local_authority",
                    "national")
ENGLAND = "E92000001"
BASE_LABELS = {
    "pre_mean": "each school's average over its years before joining",
    "last": "each school's last year before joining",
}
WEIGHTING = ("Schools are weighted by their pupils (each school's mean cohort size over the "
             "years used), so the effect is an average per pupil, not per school.")


@dataclass(frozen=True)
class EffectSize:
    """A standardised effect with its interval, and the EEF months it converts to."""

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


@dataclass(frozen=True)
class SchoolUse:
    urn: int
    name: str
    role: str  # "joining" or "comparison"
    joined_date: str | None = None
    first_treated_year: str | None = None
    years_before: int | None = None
    years_after: int | None = None

    def as_dict(self) -> dict:
        return {"urn": self.urn, "name": self.name, "role": self.role,
                "joined_date": self.joined_date, "first_treated_year": self.first_treated_year,
                "years_before": self.years_before, "years_after": self.years_after}


@dataclass
class Estimate:
    """An impact estimate for one cohort, measure, pupil group and comparison."""

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
    pre_trend_verdict: str
    effect_size: EffectSize | None
    evidence: Evidence
    sentence: str
    caveat: str
    joining_schools: list[SchoolUse]
    comparison_schools: list[SchoolUse]
    excluded: list[dict]
    years: list[str]
    cohorts: list[dict]
    dip: CohortDip
    governor_view_allowed: bool
    draws: int
    seed: int
    notes: list[str] = field(default_factory=list)
    level: float = 0.95
    base: str = DEFAULT_BASE

    @property
    def cohort_label(self) -> str:
        return f"{self.partnership} / {self.cohort}"

    @property
    def unit(self) -> str:
        return "points"

    def as_dict(self) -> dict:
        """Everything, JSON-ready (the `estimate --json` output)."""
        return {
            "partnership": self.partnership, "cohort": self.cohort,
            "measure": self.measure, "measure_label": self.measure_label,
            "group": self.group, "group_label": group_label(self.group),
            "comparison": self.comparison,
            "comparison_label": comparison_phrase(self.comparison),
            "base": self.base, "base_label": BASE_LABELS[self.base],
            "status": self.status, "reason": self.reason,
            "effect": self.effect, "low": self.low, "high": self.high, "se": self.se,
            "level": self.level, "unit": self.unit,
            "event_study": [p.as_dict() for p in self.event_study],
            "pre_trend": {**self.pre_trend.as_dict(), "verdict": self.pre_trend_verdict},
            "effect_size": self.effect_size.as_dict() if self.effect_size else None,
            "months": self.effect_size.months if self.effect_size else None,
            "evidence": self.evidence.as_dict(),
            "sentence": self.sentence, "caveat": self.caveat,
            "joining_schools": [s.as_dict() for s in self.joining_schools],
            "comparison_schools": [s.as_dict() for s in self.comparison_schools],
            "excluded": self.excluded, "years": self.years, "cohorts": self.cohorts,
            "regression_to_mean": self.dip.as_dict(),
            "governor_view_allowed": self.governor_view_allowed,
            "draws": self.draws, "seed": self.seed, "notes": self.notes,
        }


def _effect_size(measure_is_percent: bool, result: DidResult, outcomes: pd.DataFrame,
                 benchmark: bool) -> EffectSize | None:
    if result.overall is None:
        return None
    theta, low, high = result.overall, result.low, result.high
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
    return EffectSize(kind, value, lo, hi, months_progress(value), months_progress(lo),
                      months_progress(hi), basis)


def _benchmark_lines(store: Store, measure: str, group: str, term: str, kind: str,
                     treated: list[int], schools: pd.DataFrame
                     ) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """Each joining school's benchmark series (unit, year, value), and who has none."""
    bench = d.benchmarks(store, measure, group, term).dropna(subset=["value"])
    missing: list[tuple[int, str]] = []
    rows = []
    if kind == "national":
        national = bench[bench["area_type"] == "national"]
        if ENGLAND in set(national["area_code"]):
            national = national[national["area_code"] == ENGLAND]
        for urn in treated:
            rows.append(national.assign(unit=urn)[["unit", "year", "value"]])
        if national.empty:
            missing = [(u, "no national figures for this measure and pupil group")
                       for u in treated]
    else:
        local = bench[bench["area_type"] == "local_authority"]
        la_of = schools.set_index("urn")["local_authority"]
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


def impact_estimate(store: Store, *, cohort: str, measure: str, group: str | None = "all",
                    comparison: str = "not_yet_joined", partnership: str | None = None,
                    urns: Sequence[int] | None = None, draws: int = DEFAULT_DRAWS,
                    seed: int = DEFAULT_SEED, max_event: int = 3, neighbours: int = 5,
                    term: str = "Summer", base: str = DEFAULT_BASE) -> Estimate:
    """Did this cohort's schools change more than comparable schools after joining?

    `cohort`: "Partnership / Cohort" or a cohort name that is unique. `measure`: a measure's
    code, label or short label. `group`: a pupil-group code or label. `comparison`: one of
    `COMPARISON_KINDS` (`chosen` needs `urns`). `base`: `pre_mean` (default) or `last`, what
    each school's results after joining are measured from (see `did`). Raises `UnknownName`
    (with the choices in its message) for a name that matches nothing. The bootstrap is
    seeded, so the same store and arguments give the same numbers. `governor_view_allowed` on
    the result says whether a pupil-group estimate may be shown to governors (every year's
    group has 11 or more pupils).
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
    if comparison == "chosen" and not urns:
        raise d.UnknownName("A chosen comparison needs the URNs of the schools to compare "
                            "with.")
    figures = d.attainment(store, m.code, grp, term)
    members = d.memberships(store)
    timing = d.timing(members, ref)
    schools = d.schools(store)
    names = schools.set_index("urn")["name"].to_dict()
    outcomes = figures.rename(columns={"urn": "unit", "cohort_size": "weight"})[
        ["unit", "year", "value", "weight"]].dropna(subset=["value"])
    treated = sorted(int(u) for u in timing.loc[timing["first_treated"].notna(), "unit"])
    notes = [WEIGHTING]
    if not m.statutory:
        notes.append(f"Teacher assessments: the {term} term figure each year.")
    extra_excluded: list[tuple[int, str]] = []

    control = NOT_YET_JOINED
    bench_lines = None
    if comparison == "never_joined":
        control = NEVER_JOINED
    elif comparison == "similar":
        pool = _similar_pool(outcomes, timing, schools, d.disadvantage(store), neighbours)
        outcomes = outcomes[outcomes["unit"].isin(set(treated) | set(pool))]
        notes.append(f"Similar schools: the {neighbours} nearest to each joining school on "
                     "prior attainment, disadvantage, size and phase "
                     f"({len(pool)} schools in all).")
    elif comparison == "chosen":
        chosen = {int(u) for u in urns or ()}
        outcomes = outcomes[outcomes["unit"].isin(set(treated) | chosen)]
    elif comparison in ("local_authority", "national"):
        control = BENCHMARK
        bench_lines, extra_excluded = _benchmark_lines(store, m.code, grp, term, comparison,
                                                       treated, schools)
        outcomes = outcomes[outcomes["unit"].isin(treated)]
        area = "England" if comparison == "national" else "each school's local authority"
        notes.append(f"Compared with the line for {area}, treated as exact: the interval "
                     "reflects only the differences between the partnership's own schools, "
                     "not any uncertainty in the comparison, and that line includes schools "
                     "of every kind (these ones too).")

    def breaks(earlier: int, later: int) -> str | None:
        return not_comparable(m.code, format_academic_year(earlier),
                              format_academic_year(later))

    result = staggered_did(outcomes, timing, control=control, benchmark=bench_lines,
                           draws=draws, seed=seed, max_event=max_event, breaks=breaks,
                           base=base)

    excluded = [{"urn": int(u), "name": names.get(int(u), str(u)), "reason": r}
                for u, r in [*zip(result.excluded["unit"], result.excluded["reason"],
                                  strict=True), *extra_excluded]]
    first_joined = d.cohort_members(members, ref).set_index("urn")["joined_date"]
    joining = [SchoolUse(int(r.unit), names.get(int(r.unit), str(r.unit)), "joining",
                         str(first_joined.get(int(r.unit))),
                         format_academic_year(int(r.first_treated)), int(r.years_before),
                         int(r.years_after))
               for r in result.treated.itertuples()]
    comparing = [SchoolUse(int(u), names.get(int(u), str(u)), "comparison")
                 for u in result.controls["unit"]]

    cohorts = []
    if not result.cells.empty:
        for g, rows in result.cells.groupby("first_treated"):
            first, last = (format_academic_year(int(rows[c].iloc[0]))
                           for c in ("base_from", "base_year"))
            cohorts.append({
                "first_treated_year": format_academic_year(int(g)),
                # a year (`last`), or the span of years averaged (`pre_mean`)
                "base_year": last if first == last else f"{first} to {last}",
                "base_from": first, "base_to": last,
                "base_years": int(rows["base_years"].iloc[0]),
                "schools": int(rows["treated_schools"].max()),
                "bridges_break": bool(rows["bridged"].map(bool).any())})
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

    dip = cohort_dip(outcomes, {int(r.unit): int(r.first_treated)
                                for r in result.treated.itertuples()},
                     is_percent=m.is_percent)
    effect_size = _effect_size(m.is_percent, result, outcomes, control == BENCHMARK)
    estimated = result.overall is not None
    years_before = float(np.median(result.treated["years_before"])) if joining else 0.0
    years_after = float(np.median(result.treated["years_after"])) if joining else 0.0
    evidence = strength_of_evidence(
        estimated=estimated, schools=len(joining), comparison_schools=len(comparing),
        years_before=years_before, years_after=years_after, benchmark=control == BENCHMARK,
        pre_trend_testable=result.pre_trend.testable,
        pre_trend_flagged=result.pre_trend.flagged, dip=dip.flagged)

    if result.bridged_share > 0:
        notes.append(f"{result.bridged_share:.0%} of the evidence after joining compares "
                     "results from 2021/22 on with 2018/19 or before, which are not directly "
                     "comparable. The comparison crosses the same break, so a change common "
                     "to all schools cancels out, but treat this part with care.")
    if dip.flagged:
        notes.append(f"{dip.schools_dipped} of {dip.schools} joining schools had a dip in "
                     "their last year before joining: some of any rise after joining may be "
                     "bounce-back (regression to the mean), not the partnership.")
    if excluded:
        notes.append(f"{len(excluded)} school(s) in the cohort left out: see 'excluded'.")
    allowed = True
    if grp != "all":
        used = figures[figures["urn"].isin([s.urn for s in joining])]
        totals = used.groupby("year")["cohort_size"].sum(min_count=1).tolist()
        allowed = group_analysis_allowed(grp, totals, governor_view=True)
        if not allowed:
            notes.append("Fewer than 11 pupils in this group in some years: not for "
                         "governor views.")
    sentence = effect_sentence(m.code, result.overall, result.low, result.high, comparison)
    return Estimate(
        partnership=ref.partnership, cohort=ref.cohort, measure=m.code,
        measure_label=m.label, group=grp, comparison=comparison,
        status="ok" if estimated else "not_enough_data", reason=result.reason,
        effect=result.overall, low=result.low, high=result.high, se=result.se,
        event_study=result.event_study, pre_trend=result.pre_trend,
        pre_trend_verdict=pre_trend_verdict(result.pre_trend.testable,
                                            result.pre_trend.flagged,
                                            result.pre_trend.p_value, comparison,
                                            slope=result.pre_trend.slope),
        effect_size=effect_size, evidence=evidence, sentence=sentence,
        caveat=caveat(comparison), joining_schools=joining, comparison_schools=comparing,
        excluded=excluded, years=[format_academic_year(y) for y in result.years],
        cohorts=cohorts, dip=dip, governor_view_allowed=allowed,
        draws=draws, seed=seed, notes=notes, base=base)
