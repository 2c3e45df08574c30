"""Does the staggered difference-in-differences get the right answer? A simulation.

Each panel is a made-up set of primary schools with a known truth: school levels (joining
schools start weaker: selection on levels is what DiD allows), year effects shared by all
schools (with a drop after the COVID years), staggered joining in five cohorts (2016, 2017,
2018, 2021, 2022, plus schools that join after the data ends and so only ever serve as
not-yet-joined comparisons), no results for 2019/20 and 2020/21, cohort sizes of 15 to 60
pupils, and each school's percentage drawn as binomial pupils, so the noise is the noise a
real school percentage has. The planted effect is added in points after joining.

Every design is run with both bases of `impact.analysis.did` (`pre_mean`, each school's
mean over its years before joining; `last`, its last year before joining) on the *same*
panels, so the two columns differ only by the estimator. For each, over many panels, it
reports the bias, root mean squared error and 95% interval coverage of the overall effect
and of each event-time effect, how often the interval excludes zero, and how often the
pre-trend test flags (each base has its own: a slope test under `pre_mean`, placebo effects
under `last`): with no pre-trend that is its false-alarm rate (size, should be near 5%), with a
planted drift or dip its power. The truth for a panel is what the estimator returns on the
effect alone (no noise, same schools, years and weights), which is exactly its target.

A second part runs the demo generator (`impact.demo.simulate`) for many seeds and reports,
for the cohort with a planted improvement and the one with none, how often the interval
excludes zero and covers the truth: the power the demo's docstring promises.

    .venv/bin/python -m bench.simulate_did --panels 200 --draws 499

writes bench/results/did_simulation.md and .json and prints the same tables. `run(panels,
draws)` does the same from Python and returns the headline figures (for `python -m bench`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from impact.analysis.did import (
    BASES,
    BENCHMARK,
    DEFAULT_BASE,
    LAST,
    NEVER_JOINED,
    NOT_YET_JOINED,
    PRE_MEAN,
    staggered_did,
)
from impact.analysis.regression_to_mean import cohort_dip

RESULTS = Path(__file__).resolve().parent / "results"
YEARS = [y for y in range(2013, 2025) if y not in (2019, 2020)]
COHORTS = (2016, 2017, 2018, 2021, 2022, 2026)  # 2026: joins after the data ends
NATIONAL_LEVEL = 62.0


def _break(earlier: int, later: int) -> str | None:
    return "bridges the COVID-19 break" if earlier <= 2018 and later >= 2021 else None


@dataclass(frozen=True)
class Scenario:
    name: str
    effect: float = 0.0          # points, after joining
    growing: bool = False        # effect builds up: 1/3, 2/3, then all of it
    pre_trend: float = 0.0       # points per year by which joining schools drift apart
    dip: float = 0.0             # points lost in the last year before joining, not kept after
    treated: int = 30
    comparison: int = 90
    control: str = NOT_YET_JOINED
    missing: float = 0.0         # share of school-years without a result (suppressed, absent)
    base: str = DEFAULT_BASE


SIZES = (3, 7, 20)  # joining schools: a small cluster, a typical cohort, a trust


def _comparison_for(treated: int) -> int:
    return 60 if treated >= 20 else 30


DESIGNS = tuple(design for n in SIZES for design in (
    Scenario(f"{n} schools, no effect", 0.0, treated=n, comparison=_comparison_for(n)),
    Scenario(f"{n} schools, effect +5", 5.0, treated=n, comparison=_comparison_for(n)),
    Scenario(f"{n} schools, drift 1.5 points/year, no effect", 0.0, pre_trend=1.5,
             treated=n, comparison=_comparison_for(n)),
    Scenario(f"{n} schools, drift 0.75 points/year, no effect", 0.0, pre_trend=0.75,
             treated=n, comparison=_comparison_for(n)),
)) + (
    Scenario("20 schools, effect +5, never-joined comparison", 5.0, treated=20, comparison=60,
             control=NEVER_JOINED),
    Scenario("20 schools, effect +5, against a national line", 5.0, treated=20,
             comparison=60, control=BENCHMARK),
    Scenario("20 schools, effect +5, 15% of results missing", 5.0, treated=20, comparison=60,
             missing=0.15),
    Scenario("20 schools, dip of 6 points the year before joining, no effect", 0.0,
             dip=6.0, treated=20, comparison=60),
)
SCENARIOS = tuple(replace(d, base=b) for d in DESIGNS for b in BASES)


@dataclass
class Panel:
    outcomes: pd.DataFrame     # unit, year, value, weight
    timing: pd.DataFrame       # unit, first_treated
    effect_only: pd.DataFrame  # the same rows with the planted effect as the value
    national: pd.DataFrame     # unit, year, value: the national line, for every joining school


def simulate(rng: np.random.Generator, scenario: Scenario) -> Panel:
    """One panel with a known truth (see the module docstring)."""
    n = scenario.treated + scenario.comparison
    units = np.arange(100001, 100001 + n)
    joining = np.zeros(n, dtype=bool)
    joining[: scenario.treated] = True
    g = np.full(n, np.nan)
    g[joining] = rng.choice(COHORTS, size=scenario.treated)
    level = NATIONAL_LEVEL + rng.normal(0, 8, n) - 4 * joining
    size = rng.integers(15, 61, n)
    year_effect = {y: rng.normal(0, 2) + (-5 if y >= 2021 else 0) + 0.5 * (y - 2013)
                   for y in YEARS}
    rows, truth = [], []
    for i in range(n):
        for y in YEARS:
            e = y - g[i] if joining[i] else None
            effect = 0.0
            if e is not None and e >= 0:
                effect = scenario.effect * (min(1.0, (e + 1) / 3) if scenario.growing else 1.0)
            drift = scenario.pre_trend * e if e is not None else 0.0
            if e == -1:
                drift -= scenario.dip
            p = (level[i] + year_effect[y] + effect + drift) / 100
            pupils = max(5, int(round(size[i] * rng.uniform(0.85, 1.15))))
            value = 100 * rng.binomial(pupils, min(max(p, 0.01), 0.99)) / pupils
            rows.append((units[i], y, value, pupils))
            truth.append((units[i], y, effect, pupils))
    columns = ["unit", "year", "value", "weight"]
    outcomes = pd.DataFrame(rows, columns=columns)
    effect_only = pd.DataFrame(truth, columns=columns)
    if scenario.missing > 0:
        keep = rng.random(len(outcomes)) >= scenario.missing
        outcomes, effect_only = outcomes[keep], effect_only[keep]
    national = pd.DataFrame([(u, y, NATIONAL_LEVEL + year_effect[y])
                             for u in units[joining] for y in YEARS],
                            columns=["unit", "year", "value"])
    timing = pd.DataFrame({"unit": units, "first_treated": g})
    return Panel(outcomes, timing, effect_only, national)


def simulate_panel(rng: np.random.Generator, scenario: Scenario
                   ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """One panel: (outcomes, timing, effect-only outcomes) for `staggered_did`."""
    panel = simulate(rng, scenario)
    return panel.outcomes, panel.timing, panel.effect_only


def fit_panel(panel: Panel, scenario: Scenario, *, draws: int, seed: int,
              max_event: int = 3):
    """(the fit, the truth): the estimator on the panel and on its planted effect alone."""
    kwargs = {"control": scenario.control, "max_event": max_event, "breaks": _break,
              "base": scenario.base}
    outcomes, effect_only = panel.outcomes, panel.effect_only
    if scenario.control == BENCHMARK:
        joining = set(panel.timing.loc[panel.timing["first_treated"].notna(), "unit"])
        outcomes = outcomes[outcomes["unit"].isin(joining)]
        effect_only = effect_only[effect_only["unit"].isin(joining)]
        fit = staggered_did(outcomes, panel.timing, benchmark=panel.national, draws=draws,
                            seed=seed, **kwargs)
        target = staggered_did(effect_only, panel.timing,
                               benchmark=panel.national.assign(value=0.0), draws=0, **kwargs)
    else:
        fit = staggered_did(outcomes, panel.timing, draws=draws, seed=seed, **kwargs)
        target = staggered_did(effect_only, panel.timing, draws=0, **kwargs)
    return fit, target


def _what_the_page_says(fit) -> tuple[str, bool]:
    """(the check's status, whether the estimate would be called clear), decided exactly as
    `impact_estimate` decides them (`comparison_check`, `estimate_verdict`) for a percentage
    measure: what a user reading the page is told."""
    from impact.analysis.estimate import comparison_check, estimate_verdict
    from impact.domain import verdicts

    check = comparison_check(fit.pre_trend, fit.event_study, fit.low, fit.high)
    too_wide = (fit.low is not None and fit.high is not None and fit.high - fit.low > 100)
    verdict = estimate_verdict(fit.overall, fit.low, fit.high, too_wide, check)
    return check.status, verdict in verdicts.CLEAR


def run_scenario(scenario: Scenario, panels: int, draws: int, seed: int,
                 max_event: int = 3) -> dict:
    from impact.domain import verdicts

    rng = np.random.default_rng(seed)
    overall, events, flags, dips, slopes = [], [], [], [], []
    predicted, detectable, says = [], [], []
    fit_seconds = 0.0
    for p in range(panels):
        panel = simulate(rng, scenario)
        started = time.perf_counter()
        fit, target = fit_panel(panel, scenario, draws=draws, seed=seed + p,
                                max_event=max_event)
        fit_seconds += time.perf_counter() - started
        if fit.overall is None:
            continue
        overall.append((fit.overall, fit.low, fit.high, target.overall,
                        float(bool(fit.pre_trend.flagged))))
        truth_by_e = {pt.event_time: pt.estimate for pt in target.event_study}
        for pt in fit.event_study:
            if not pt.reference and pt.estimate is not None and pt.low is not None:
                events.append((pt.event_time, pt.estimate, pt.low, pt.high,
                               truth_by_e.get(pt.event_time, 0.0)))
        if fit.pre_trend.testable:
            flags.append(bool(fit.pre_trend.flagged))
            if fit.pre_trend.slope is not None:
                slopes.append(fit.pre_trend.drift)
            if scenario.pre_trend:
                power = fit.pre_trend.power(scenario.pre_trend)
                if power is not None:
                    predicted.append(power)
            bias = fit.pre_trend.detectable_bias()
            if bias is not None:
                detectable.append(bias)
        status, clear = _what_the_page_says(fit)
        says.append((status == verdicts.CHECK_PASSED, clear, fit.overall - target.overall))
        joining = dict(zip(fit.treated["unit"], fit.treated["first_treated"], strict=True))
        dips.append(cohort_dip(panel.outcomes, joining, is_percent=True).flagged)
    o = np.array(overall, dtype=float)
    err = o[:, 0] - o[:, 3]
    # a panel whose estimate rests on one joining school has no interval: coverage and width
    # are over the panels with one; "excludes 0" counts a missing interval as not declaring
    has = np.isfinite(o[:, 1]) & np.isfinite(o[:, 2])
    out = {
        "scenario": scenario.name, "base": scenario.base, "panels": len(o),
        "with_interval": int(has.sum()), "truth": float(o[:, 3].mean()),
        "bias": float(err.mean()), "rmse": float(np.sqrt((err ** 2).mean())),
        "coverage": float(((o[has, 1] <= o[has, 3]) & (o[has, 3] <= o[has, 2])).mean()),
        "mean_width": float((o[has, 2] - o[has, 1]).mean()),
        "excludes_zero": float(((o[:, 1] > 0) | (o[:, 2] < 0)).mean()),
        "pre_trend_flagged": float(np.mean(flags)) if flags else None,
        "pre_trend_testable": len(flags),
        # what a user sees when the check passes: the error among panels not flagged
        "bias_not_flagged": float(err[o[:, 4] == 0].mean()) if (o[:, 4] == 0).any() else None,
        "mean_slope": float(np.mean(slopes)) if slopes else None,
        "dip_flagged": float(np.mean(dips)) if dips else None,
        "ms_per_estimate": round(1000 * fit_seconds / max(panels, 1), 1),
        # the power the product states (`PreTrend.power` at the planted drift), to set
        # beside the rate observed; the drift the check would catch 8 times in 10, as the
        # bias it causes; and what a reader is told: "looks fair", a clear difference
        "predicted_power": float(np.mean(predicted)) if predicted else None,
        "median_detectable_bias": float(np.median(detectable)) if detectable else None,
        "says_fair": float(np.mean([f for f, _, _ in says])) if says else None,
        "says_clear": float(np.mean([c for _, c, _ in says])) if says else None,
        "bias_when_said_fair": (float(np.mean([b for f, _, b in says if f]))
                                if any(f for f, _, _ in says) else None),
        "events": {},
    }
    ev = pd.DataFrame(events, columns=["e", "est", "low", "high", "truth"])
    for e, rows in ev.groupby("e"):
        err_e = rows["est"] - rows["truth"]
        out["events"][int(e)] = {
            "truth": float(rows["truth"].mean()), "bias": float(err_e.mean()),
            "rmse": float(np.sqrt((err_e ** 2).mean())),
            "coverage": float(((rows["low"] <= rows["truth"])
                               & (rows["truth"] <= rows["high"])).mean()),
            "panels": len(rows)}
    return out


# --- the demo's planted effects, across the generator's seeds --------------------------------

def demo_panel(seed: int, cohort: str, measure: str = "ks2_rwm_exp"
               ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The demo world for `seed`, as `impact_estimate` sees it for one programme cohort:
    (outcomes, timing, effect-only outcomes). The same rows, timing rule and comparison pool
    as the store the demo builds (tests/analysis/test_demo_estimates.py checks they agree)."""
    from impact import demo
    from impact.analysis.event_time import first_treated_start
    from impact.domain import measures as m

    frames = demo.simulate(seed)
    rows = pd.concat([f for kind, f in frames.values() if kind == "attainment"])
    rows = rows[(rows["measure"] == m.measure(measure).label)
                & (rows["pupil_group"] == "All pupils") & (rows["term"] == "Summer")
                & (rows["value"] != "c")]
    year = rows["academic_year"].str[:4].astype(int)
    outcomes = pd.DataFrame({"unit": rows["urn"].astype(int).to_numpy(),
                             "year": year.to_numpy(),
                             "value": rows["value"].astype(float).to_numpy(),
                             "weight": rows["cohort_size"].astype(float).to_numpy()})
    effect = [demo.planted_effect(int(u), measure, int(y))
              for u, y in zip(outcomes["unit"], outcomes["year"], strict=True)]
    effect_only = outcomes.assign(value=effect)
    first = {}
    anywhere: dict[int, float] = {}
    for mem in demo.MEMBERSHIPS:
        start = first_treated_start(mem.joined)
        anywhere[mem.urn] = min(anywhere.get(mem.urn, np.inf), start)
        if mem.partnership == demo.PROGRAMME and mem.cohort == cohort:
            first[mem.urn] = min(first.get(mem.urn, np.inf), start)
    timing = pd.DataFrame({"unit": list(anywhere), "joined_any": list(anywhere.values())})
    timing["first_treated"] = timing["unit"].map(first).astype(float)
    return outcomes, timing, effect_only


DEMO_CASES = (("improving", NOT_YET_JOINED), ("improving", NEVER_JOINED),
              ("no_effect", NOT_YET_JOINED), ("no_effect", NEVER_JOINED),
              ("regression_to_mean", NOT_YET_JOINED))


def run_demo(seeds: int, draws: int, first_seed: int = 1,
             progress: Callable[[str], None] | None = None) -> dict:
    """The demo generator for seeds first_seed .. first_seed + seeds - 1 (and its own seed):
    per cohort, comparison and base, how often the interval excludes zero and covers the
    truth, the mean estimate, and (regression to the mean) how often it is called out."""
    from impact import demo

    def one(seed: int) -> list[dict]:
        out = []
        panels = {}
        for kind in {k for k, _ in DEMO_CASES}:
            panels[kind] = demo_panel(seed, demo.PLANTED[kind]["cohort"])
        for kind, control in DEMO_CASES:
            outcomes, timing, effect_only = panels[kind]
            for base in BASES:
                fit = staggered_did(outcomes, timing, control=control, base=base, draws=draws,
                                    breaks=_break)
                truth = staggered_did(effect_only, timing, control=control, base=base,
                                      draws=0, breaks=_break).overall
                joining = dict(zip(fit.treated["unit"], fit.treated["first_treated"],
                                   strict=True))
                dip = cohort_dip(outcomes, joining, is_percent=True).flagged
                out.append({"seed": seed, "cohort": kind, "comparison": control, "base": base,
                            "estimate": fit.overall, "low": fit.low, "high": fit.high,
                            "truth": truth, "pre_trend_flagged": bool(fit.pre_trend.flagged),
                            "dip_flagged": bool(dip), "schools": len(fit.treated)})
        return out

    rows = []
    for k, seed in enumerate(range(first_seed, first_seed + seeds)):
        rows += one(seed)
        if progress and (k + 1) % 25 == 0:
            progress(f"demo seeds: {k + 1} of {seeds}")
    frame = pd.DataFrame(rows)
    summary = []
    for (kind, control, base), r in frame.groupby(["cohort", "comparison", "base"],
                                                  sort=False):
        summary.append({
            "cohort": kind, "comparison": control, "base": base, "seeds": len(r),
            "schools": int(r["schools"].median()), "truth": float(r["truth"].mean()),
            "mean_estimate": float(r["estimate"].mean()),
            "rmse": float(np.sqrt(((r["estimate"] - r["truth"]) ** 2).mean())),
            "mean_width": float((r["high"] - r["low"]).mean()),
            "excludes_zero": float(((r["low"] > 0) | (r["high"] < 0)).mean()),
            "covers_truth": float(((r["low"] <= r["truth"]) & (r["truth"] <= r["high"])).mean()),
            "improving_shown": float(((r["low"] > 0) & (r["low"] <= r["truth"])
                                      & (r["truth"] <= r["high"])).mean()),
            "called_out": float((r["pre_trend_flagged"] | r["dip_flagged"]).mean())})
    shipped = pd.DataFrame(one(demo.SEED))
    return {"seeds": seeds, "first_seed": first_seed, "draws": draws,
            "demo_seed": demo.SEED, "summary": summary,
            "shipped": shipped.to_dict(orient="records"),
            "design": {kind: {"schools": len(demo.PLANTED[kind]["urns"]),
                              "effect_points": demo.PLANTED[kind]["effect_points"]}
                       for kind in ("improving", "no_effect", "regression_to_mean")}}


# --- report -------------------------------------------------------------------------------

def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.1%}"


def _signed(x: float | None) -> str:
    return "n/a" if x is None else f"{x:+.2f}"


def _table(results: list[dict]) -> list[str]:
    lines = ["| scenario | base | panels | truth | bias | RMSE | 95% coverage | mean width | "
             "interval excludes 0 | pre-trend flagged | power the page states | "
             "bias when not flagged | detectable bias (median) | says \"looks fair\" | "
             "says clear | dip flagged | ms per estimate |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
             "---:|"]
    for r in results:
        panels = (str(r["panels"]) if r["with_interval"] == r["panels"]
                  else f"{r['panels']} ({r['with_interval']} with an interval)")
        detectable = r.get("median_detectable_bias")
        lines.append(f"| {r['scenario']} | {r['base']} | {panels} | {r['truth']:.2f} | "
                     f"{r['bias']:+.3f} | {r['rmse']:.3f} | {r['coverage']:.1%} | "
                     f"{r['mean_width']:.2f} | {r['excludes_zero']:.1%} | "
                     f"{_pct(r['pre_trend_flagged'])} | {_pct(r.get('predicted_power'))} | "
                     f"{_signed(r['bias_not_flagged'])} | "
                     f"{'n/a' if detectable is None else f'{detectable:.1f}'} | "
                     f"{_pct(r.get('says_fair'))} | {_pct(r.get('says_clear'))} | "
                     f"{_pct(r['dip_flagged'])} | "
                     f"{r['ms_per_estimate']:.0f} |")
    return lines


def _sizes_table(results: list[dict]) -> list[str]:
    """The figures issue 10 asks for, by the number of joining schools: coverage and width of
    the 95% interval, and the pre-trend check's size and power (observed and as stated)."""
    by = {(r["scenario"], r["base"]): r for r in results}
    lines = ["| joining schools | base | coverage (effect +5) | mean width | "
             "false alarms (no drift) | flags 1.5/yr | stated power 1.5/yr | flags 0.75/yr | "
             "stated power 0.75/yr | bias from a 0.75/yr drift | says \"looks fair\" with "
             "that drift | says clear with that drift |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n in SIZES:
        for base in BASES:
            effect = by.get((f"{n} schools, effect +5", base))
            none = by.get((f"{n} schools, no effect", base))
            fast = by.get((f"{n} schools, drift 1.5 points/year, no effect", base))
            slow = by.get((f"{n} schools, drift 0.75 points/year, no effect", base))
            if not (effect and none and fast and slow):
                continue
            lines.append(
                f"| {n} | {base} | {effect['coverage']:.1%} | {effect['mean_width']:.1f} | "
                f"{_pct(none['pre_trend_flagged'])} | {_pct(fast['pre_trend_flagged'])} | "
                f"{_pct(fast.get('predicted_power'))} | {_pct(slow['pre_trend_flagged'])} | "
                f"{_pct(slow.get('predicted_power'))} | {slow['bias']:+.1f} | "
                f"{_pct(slow.get('says_fair'))} | {_pct(slow.get('says_clear'))} |")
    return lines


def _ratio_table(results: list[dict]) -> list[str]:
    by = {(r["scenario"], r["base"]): r for r in results}
    lines = ["| scenario | RMSE pre_mean | RMSE last | ratio | coverage pre_mean | "
             "coverage last |", "|---|---:|---:|---:|---:|---:|"]
    for d in DESIGNS:
        p, la = by.get((d.name, PRE_MEAN)), by.get((d.name, LAST))
        if p is None or la is None:
            continue
        lines.append(f"| {d.name} | {p['rmse']:.2f} | {la['rmse']:.2f} | "
                     f"{p['rmse'] / la['rmse']:.2f} | {p['coverage']:.1%} | "
                     f"{la['coverage']:.1%} |")
    return lines


def _event_table(results: list[dict]) -> list[str]:
    lines = ["| scenario | base | event time | truth | bias | RMSE | 95% coverage |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for r in results:
        for e, x in sorted(r["events"].items()):
            lines.append(f"| {r['scenario']} | {r['base']} | {e:+d} | {x['truth']:.2f} | "
                         f"{x['bias']:+.3f} | {x['rmse']:.3f} | {x['coverage']:.1%} |")
    return lines


def _demo_table(demo: dict) -> list[str]:
    lines = ["| cohort | comparison | base | schools | truth | mean estimate | RMSE | "
             "mean width | interval excludes 0 | covers truth | excludes 0 and covers truth | "
             "pre-trend or dip flagged |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in demo["summary"]:
        lines.append(f"| {r['cohort']} | {r['comparison']} | {r['base']} | {r['schools']} | "
                     f"{r['truth']:.2f} | {r['mean_estimate']:+.2f} | {r['rmse']:.2f} | "
                     f"{r['mean_width']:.1f} | {r['excludes_zero']:.1%} | "
                     f"{r['covers_truth']:.1%} | {r['improving_shown']:.1%} | "
                     f"{r['called_out']:.1%} |")
    return lines


def _shipped_table(demo: dict) -> list[str]:
    lines = ["| cohort | comparison | base | estimate | 95% interval | truth | "
             "pre-trend flagged | dip flagged |", "|---|---|---|---:|---|---:|---|---|"]
    for r in demo["shipped"]:
        lines.append(f"| {r['cohort']} | {r['comparison']} | {r['base']} | "
                     f"{r['estimate']:+.1f} | {r['low']:+.1f} to {r['high']:+.1f} | "
                     f"{r['truth']:.2f} | {r['pre_trend_flagged']} | {r['dip_flagged']} |")
    return lines


def headline(results: list[dict], demo: dict | None) -> dict:
    """The figures `python -m bench` and BENCHMARKS.md print: per base and per number of
    joining schools (3, 7, 20)."""
    by = {(r["scenario"], r["base"]): r for r in results}
    out: dict = {"default_base": DEFAULT_BASE, "bases": {}, "sizes": list(SIZES)}
    for base in BASES:
        def get(name: str, key: str, base: str = base) -> float | None:
            r = by.get((name, base))
            return None if r is None else r.get(key)
        figures: dict = {}
        for n in SIZES:
            figures[f"coverage_{n}"] = get(f"{n} schools, effect +5", "coverage")
            figures[f"width_{n}"] = get(f"{n} schools, effect +5", "mean_width")
            figures[f"false_positive_{n}"] = get(f"{n} schools, no effect", "excludes_zero")
            figures[f"pre_trend_size_{n}"] = get(f"{n} schools, no effect",
                                                 "pre_trend_flagged")
            figures[f"pre_trend_power_1_5_{n}"] = get(
                f"{n} schools, drift 1.5 points/year, no effect", "pre_trend_flagged")
            figures[f"pre_trend_power_0_75_{n}"] = get(
                f"{n} schools, drift 0.75 points/year, no effect", "pre_trend_flagged")
            figures[f"stated_power_0_75_{n}"] = get(
                f"{n} schools, drift 0.75 points/year, no effect", "predicted_power")
            figures[f"says_fair_0_75_{n}"] = get(
                f"{n} schools, drift 0.75 points/year, no effect", "says_fair")
        figures["ms_per_estimate"] = get("20 schools, effect +5", "ms_per_estimate")
        out["bases"][base] = figures
    if demo:
        out["demo"] = {f"{r['cohort']}/{r['comparison']}/{r['base']}":
                       {"excludes_zero": r["excludes_zero"], "covers_truth": r["covers_truth"],
                        "excludes_zero_and_covers_truth": r["improving_shown"],
                        "called_out": r["called_out"]}
                       for r in demo["summary"]}
    return out


def report(results: list[dict], demo: dict | None, *, panels: int, draws: int, seed: int,
           seconds: float, cpu: float, demo_seeds: int) -> str:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [
        "# Staggered difference-in-differences: simulation", "",
        f"{panels} simulated panels per scenario, {draws} bootstrap draws per estimate, seed "
        f"{seed}; {seconds:.0f} s in all ({cpu:.0f} s of CPU; the wall time grows when other "
        f"work shares the machine) on {machine}.", "",
        "Reproduce: `.venv/bin/python -m bench.simulate_did "
        f"--panels {panels} --draws {draws} --seed {seed} --demo-seeds {demo_seeds}`.", "",
        "Each panel: 3, 7 or 20 joining schools in cohorts first treated 2016, 2017, "
        "2018, 2021, 2022 or after the data ends (so a panel can have fewer schools with "
        "results on both sides of joining), 30 comparison schools (60 with 20 joining), "
        "2013/14 to 2024/25 without 2019/20 and 2020/21, school and year effects, a "
        "common drop after COVID, binomial noise from cohort sizes of 15 to 60. Effects in "
        "percentage points. Truth = the estimator on the planted effect alone. Both bases run "
        "on the same panels: `pre_mean` measures each school from its mean over its years "
        "before joining, `last` from its last year before joining (impact/analysis/did.py).",
        "",
        "Bias and RMSE in points. Coverage: share of 95% intervals containing the truth "
        "(among panels with an interval: with 3 joining schools drawn at random some panels "
        "have a single school with results on both sides of joining, which gets no interval). "
        "'Interval excludes 0' is the share declaring an effect (with no effect: the false "
        "positive rate). 'Pre-trend flagged' is the rejection rate at 5% of the base's own "
        "pre-trend test (`pre_mean`: the slope of the pre-joining placebo effects; `last`: "
        "max-|t| over the placebo effects and their average): its size where no pre-trend was "
        "planted, its power where one was (a steady drift, or a dip in the year before "
        "joining that does not last: regression to the mean). 'Bias when not flagged' is the "
        "bias among the panels whose pre-trend check passed: what a user who trusts a passed "
        "check is left with. 'Dip flagged' is how often the "
        "joining schools as a group are flagged as having joined after a dip "
        "(impact.analysis.regression_to_mean; it does not depend on the base). 'ms per "
        "estimate' is the wall time of one estimate with its bootstrap. 'Power the page "
        "states' is the mean of `PreTrend.power` at the planted drift: the power the words "
        "quote, to set beside the rate observed. 'Detectable bias' is how far a drift the "
        "check flags 8 times in 10 moves the estimate. 'Says \"looks fair\"' and 'says "
        "clear' are what a reader is told (`comparison_check`, `estimate_verdict`): the "
        "comparison called fair, and a difference called clear (an interval excluding 0 with "
        "a check that passed or was weak).", "",
        "## By the number of joining schools", "", *_sizes_table(results), "",
        "## The two bases side by side", "", *_ratio_table(results), "",
        "## Overall effect", "", *_table(results), "",
        "## Event-time effects (pre-joining rows: truth 0)", "",
        "Under `pre_mean` a pre-joining point is that year against the mean of the other "
        "pre-joining years (a placebo computed as an effect after joining would be); under "
        "`last`, that year against the last year before joining (which is itself not shown: "
        "it is zero by construction).", "", *_event_table(results), ""]
    if demo:
        d = demo["design"]
        lines += [
            "## The demo's planted effects, across generator seeds", "",
            f"`impact.demo.simulate(seed)` for seeds {demo['first_seed']} to "
            f"{demo['first_seed'] + demo['seeds'] - 1}, estimated as `impact_estimate` does "
            f"(KS2 RWM expected standard, all pupils, {demo['draws']} draws): the improving "
            f"cohort ({d['improving']['schools']} schools, +{d['improving']['effect_points']:g}"
            " points from the second summer, half in the first), the no-effect cohort "
            f"({d['no_effect']['schools']} schools) and the cohort that joined after a dip "
            f"({d['regression_to_mean']['schools']} schools, no effect). 'Truth' is the "
            "estimator on the planted effect alone. 'Pre-trend or dip flagged' is how often "
            "the pre-trend test or the regression-to-the-mean flag calls the cohort out.", "",
            *_demo_table(demo), "",
            f"The shipped demo (seed {demo['demo_seed']}):", "", *_shipped_table(demo), ""]
    return "\n".join(lines)


def run(panels: int = 200, draws: int = 499, *, seed: int = 7, demo_seeds: int = 200,
        out: Path | str | None = RESULTS / "did_simulation",
        progress: Callable[[str], None] | None = print) -> dict:
    """Run every scenario with both bases (and the demo across `demo_seeds` generator seeds;
    0 skips it), write `out`.md and .json (None writes nothing) and return
    {"headline": ..., "results": ..., "demo": ..., "markdown": ...}."""
    started, cpu_started = time.perf_counter(), time.process_time()
    results = []
    for k, design in enumerate(DESIGNS):
        for base in BASES:
            scenario = replace(design, base=base)
            t0 = time.perf_counter()
            # the same seed for both bases: the same panels, only the estimator differs
            result = run_scenario(scenario, panels, draws, seed + 1000 * k)
            result["seconds"] = round(time.perf_counter() - t0, 1)
            results.append(result)
            if progress:
                progress(f"{design.name} [{base}]: done in {result['seconds']} s")
    demo = run_demo(demo_seeds, draws, progress=progress) if demo_seeds > 0 else None
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    text = report(results, demo, panels=panels, draws=draws, seed=seed, seconds=seconds,
                  cpu=cpu, demo_seeds=demo_seeds)
    figures = headline(results, demo)
    if out is not None:
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.with_suffix(".md").write_text(text, encoding="utf-8")
        path.with_suffix(".json").write_text(json.dumps(
            {"panels": panels, "draws": draws, "seed": seed, "demo_seeds": demo_seeds,
             "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
             "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                        f"Python {platform.python_version()}",
             "headline": figures, "results": results, "demo": demo}, indent=2),
            encoding="utf-8")
    return {"headline": figures, "results": results, "demo": demo, "markdown": text}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.simulate_did",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--panels", type=int, default=200, help="panels per scenario")
    parser.add_argument("--draws", type=int, default=499, help="bootstrap draws per estimate")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--demo-seeds", type=int, default=200,
                        help="demo generator seeds to run (0: skip the demo part)")
    parser.add_argument("--out", default=str(RESULTS / "did_simulation"),
                        help="where to write .md and .json (no suffix)")
    args = parser.parse_args(argv)
    done = run(args.panels, args.draws, seed=args.seed, demo_seeds=args.demo_seeds,
               out=args.out)
    print()
    print(done["markdown"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
