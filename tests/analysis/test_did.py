"""The staggered difference-in-differences: hand-checked cases for both bases (the last year
before joining, and each school's mean over its years before joining), then small seeded
simulations that check each is unbiased, covers, and flags a planted pre-trend but not a clean
panel. The long versions, with the figures, are in bench/simulate_did.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bench.simulate_did import Scenario, simulate_panel
from impact.analysis.did import (
    BASES,
    BENCHMARK,
    DEFAULT_BASE,
    LAST,
    NEVER_JOINED,
    PRE_MEAN,
    staggered_did,
)

YEAR_EFFECT = {2015: 0.0, 2016: 1.0, 2017: 3.0, 2018: 4.0, 2021: -2.0, 2022: -1.0}
LEVEL = {"A": 50.0, "B": 60.0, "C": 55.0, "D": 45.0}
WEIGHT = {"A": 20, "B": 40, "C": 30, "D": 10}
FIRST = {"A": 2017, "B": 2018}
EFFECT = {"A": 4.0, "B": 10.0}


def _covid_break(earlier: int, later: int) -> str | None:
    return "break" if earlier <= 2018 and later >= 2021 else None


def hand_panel(blip: float = 2.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A and B join (2017, 2018) with effects 4 and 10; C and D never do; D has a one-off
    +`blip` in 2018 that the comparison must carry. No noise otherwise."""
    rows = []
    for unit, level in LEVEL.items():
        for year, ye in YEAR_EFFECT.items():
            value = level + ye
            if unit in FIRST and year >= FIRST[unit]:
                value += EFFECT[unit]
            if unit == "D" and year == 2018:
                value += blip
            rows.append({"unit": unit, "year": year, "value": value, "weight": WEIGHT[unit]})
    timing = pd.DataFrame({"unit": ["A", "B"], "first_treated": [2017.0, 2018.0]})
    return pd.DataFrame(rows), timing


def att(result, g: int, t: int) -> float:
    cells = result.cells
    return float(cells[(cells["first_treated"] == g) & (cells["year"] == t)]["att"].iloc[0])


def test_group_time_effects_by_hand():
    outcomes, timing = hand_panel()
    result = staggered_did(outcomes, timing, draws=0, breaks=_covid_break, base=LAST)
    # 2017: A against B (not yet joined), C and D: the year effect cancels.
    assert att(result, 2017, 2017) == pytest.approx(4.0)
    # 2018: B has joined, so A is compared with C (30 pupils) and D (10 pupils, +2 blip):
    # the comparison rose 2 × 10/40 = 0.5 more than the year effect.
    assert att(result, 2017, 2018) == pytest.approx(3.5)
    assert att(result, 2018, 2018) == pytest.approx(9.5)
    assert att(result, 2017, 2021) == pytest.approx(4.0)
    # placebo before joining: B in 2015 and 2016 against its base 2017
    assert att(result, 2018, 2015) == pytest.approx(0.0)
    assert att(result, 2018, 2016) == pytest.approx(0.0)
    # overall: cells after joining weighted by the joining school's pupils
    # (A: 2017, 2018, 2021, 2022; B: 2018, 2021, 2022)
    expected = (20 * (4 + 3.5 + 4 + 4) + 40 * (9.5 + 10 + 10)) / (4 * 20 + 3 * 40)
    assert expected == pytest.approx(7.45)
    assert result.overall == pytest.approx(expected)
    assert list(result.cells[result.cells["first_treated"] == 2017]["base_year"].unique()) == [
        2016]


def test_event_study_by_hand():
    outcomes, timing = hand_panel()
    result = staggered_did(outcomes, timing, draws=0, breaks=_covid_break, max_event=5,
                           base=LAST)
    points = {p.event_time: p for p in result.event_study}
    assert points[-1].reference and points[-1].estimate == 0.0
    assert points[0].estimate == pytest.approx((20 * 4 + 40 * 9.5) / 60)
    assert points[1].estimate == pytest.approx(3.5)      # A in 2018
    assert points[3].estimate == pytest.approx(10.0)     # B in 2021 (2021 - 2018)
    assert points[4].estimate == pytest.approx((20 * 4 + 40 * 10) / 60)  # A 2021, B 2022
    assert points[5].estimate == pytest.approx(4.0)      # A in 2022
    assert points[3].bridged and points[4].bridged and not points[0].bridged
    assert points[4].schools == 2 and points[4].cohorts == (2017, 2018)
    assert 2 not in points  # 2019: no statutory results, nothing to show


def odd_last_year(blip: float = 3.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The hand panel with B `blip` points up in 2017, its last year before joining (an
    unusual year group), and D's +2 in 2018."""
    outcomes, timing = hand_panel()
    outcomes.loc[(outcomes["unit"] == "B") & (outcomes["year"] == 2017), "value"] += blip
    return outcomes, timing


def test_the_default_base_is_the_pre_joining_mean():
    assert DEFAULT_BASE == PRE_MEAN and set(BASES) == {PRE_MEAN, LAST}
    outcomes, timing = odd_last_year()
    assert staggered_did(outcomes, timing, draws=0).overall == pytest.approx(
        staggered_did(outcomes, timing, draws=0, base=PRE_MEAN).overall)
    with pytest.raises(ValueError, match="unknown base"):
        staggered_did(outcomes, timing, draws=0, base="first")


def test_an_odd_last_year_moves_every_effect_from_that_base_and_a_third_of_it_from_the_mean():
    outcomes, timing = odd_last_year()
    last = staggered_did(outcomes, timing, draws=0, base=LAST)
    mean = staggered_did(outcomes, timing, draws=0, base=PRE_MEAN)
    # B (effect 10): against 2017 alone every effect loses the 3 points; against the mean of
    # 2015, 2016 and 2017 it loses 1. D's +2 in 2018 (10 of 40 comparison pupils) costs 0.5.
    assert att(last, 2018, 2018) == pytest.approx(10 - 3 - 0.5)
    assert att(mean, 2018, 2018) == pytest.approx(10 - 1 - 0.5)
    assert att(last, 2018, 2021) == pytest.approx(7.0)
    assert att(mean, 2018, 2021) == pytest.approx(9.0)
    # A (effect 4, base years 2015 and 2016): B, not yet joined, is among its comparison
    # schools in 2017 (40 of 80 pupils), so B's odd year costs A 1.5 points there either way.
    for result in (last, mean):
        assert att(result, 2017, 2017) == pytest.approx(2.5)
        assert att(result, 2017, 2018) == pytest.approx(3.5)
        assert att(result, 2017, 2021) == pytest.approx(4.0)
    # overall: A's 2017, 2018, 2021, 2022 (20 pupils); B's 2018, 2021, 2022 (40 pupils)
    assert last.overall == pytest.approx((20 * (2.5 + 3.5 + 4 + 4) + 40 * (6.5 + 7 + 7)) / 200)
    assert mean.overall == pytest.approx((20 * (2.5 + 3.5 + 4 + 4) + 40 * (8.5 + 9 + 9)) / 200)
    cells = mean.cells.set_index(["first_treated", "year"])
    assert cells.loc[(2018, 2018), "base_from"] == 2015
    assert cells.loc[(2018, 2018), "base_year"] == 2017
    assert cells.loc[(2018, 2018), "base_years"] == 3
    assert set(mean.treated["base_from"]) == {2015}


def test_pre_mean_placebos_and_their_slope_by_hand():
    outcomes, timing = odd_last_year()
    result = staggered_did(outcomes, timing, draws=0, base=PRE_MEAN, max_event=5)
    # Each pre-joining year against the mean of the cohort's other pre-joining years:
    # B: 2015 and 2016 each against (a normal year, 2017's +3): -1.5; 2017 against 2015 and
    # 2016: +3. A (2015, 2016): 0.
    assert att(result, 2018, 2015) == pytest.approx(-1.5)
    assert att(result, 2018, 2016) == pytest.approx(-1.5)
    assert att(result, 2018, 2017) == pytest.approx(3.0)
    assert att(result, 2017, 2015) == pytest.approx(0.0)
    points = {p.event_time: p for p in result.event_study}
    assert not any(p.reference for p in points.values())  # no year is the base by itself
    assert points[-3].estimate == pytest.approx(-1.5)                 # B alone
    assert points[-2].estimate == pytest.approx((20 * 0 + 40 * -1.5) / 60)
    assert points[-1].estimate == pytest.approx((20 * 0 + 40 * 3) / 60)
    # the slope, within cohorts, pupil-weighted: B's (-1.5, -1.5, 3) on (-3, -2, -1) gives
    # 40 × 4.5 over 40 × 2; A's (0, 0) on (-2, -1) adds 0 over 20 × 0.5: 180 / 90 = 2
    assert result.raw["point"][-1] == pytest.approx(2.0)
    assert result.pre_trend.kind == "slope"
    assert not result.pre_trend.testable  # no bootstrap, no test


def test_a_missing_year_does_not_bias_the_pre_joining_mean():
    """C lacks 2015 and D lacks 2016: averaging each school's own years would mix different
    years' national levels (2015 is 1 point below 2016); the average of long differences
    compares like with like, so with no noise the effects stay exact."""
    outcomes, timing = hand_panel(blip=0.0)
    gaps = ((outcomes["unit"] == "C") & (outcomes["year"] == 2015)) | (
        (outcomes["unit"] == "D") & (outcomes["year"] == 2016))
    result = staggered_did(outcomes[~gaps], timing, draws=0, base=PRE_MEAN)
    assert att(result, 2017, 2017) == pytest.approx(4.0)
    assert att(result, 2018, 2018) == pytest.approx(10.0)
    assert att(result, 2018, 2022) == pytest.approx(10.0)
    assert result.overall == pytest.approx((20 * 4 * 4 + 40 * 10 * 3) / 200)
    assert att(result, 2018, 2015) == pytest.approx(0.0)


def test_never_joined_comparison_leaves_later_joiners_out():
    outcomes, timing = hand_panel(blip=0.0)
    outcomes.loc[(outcomes["unit"] == "B") & (outcomes["year"] == 2017), "value"] += 6
    not_yet = staggered_did(outcomes, timing, draws=0)
    never = staggered_did(outcomes, timing, draws=0, control=NEVER_JOINED)
    # B's odd 2017 (before it joined) moves A's not-yet-joined comparison, not the never one.
    assert att(never, 2017, 2017) == pytest.approx(4.0)
    assert att(not_yet, 2017, 2017) != pytest.approx(4.0)
    assert set(never.controls["unit"]) == {"C", "D"}


def test_a_school_in_another_partnership_stops_being_a_comparison_when_it_joins():
    outcomes, timing = hand_panel(blip=0.0)
    timing = pd.concat([timing, pd.DataFrame({"unit": ["D"], "first_treated": [np.nan],
                                              "joined_any": [2018.0]})])
    result = staggered_did(outcomes, timing, draws=0)
    cells = result.cells.set_index(["first_treated", "year"])
    assert cells.loc[(2017, 2017), "control_schools"] == 3   # B, C, D
    assert cells.loc[(2017, 2018), "control_schools"] == 1   # only C


def test_the_base_year_skips_the_covid_years_and_the_bridge_is_flagged():
    outcomes, timing = hand_panel(blip=0.0)
    extra = [{"unit": "E", "year": y, "value": 40.0 + ye + (5.0 if y >= 2021 else 0.0),
              "weight": 25} for y, ye in YEAR_EFFECT.items()]
    outcomes = pd.concat([outcomes, pd.DataFrame(extra)], ignore_index=True)
    timing = pd.concat([timing, pd.DataFrame({"unit": ["E"], "first_treated": [2021.0]})])
    result = staggered_did(outcomes, timing, draws=0, breaks=_covid_break, base=LAST)
    e = result.cells[result.cells["first_treated"] == 2021]
    assert set(e["base_year"]) == {2018}                  # last observed year before joining
    assert att(result, 2021, 2021) == pytest.approx(5.0)
    assert e.set_index("year").loc[2021, "bridged"] == "break"
    assert pd.isna(e.set_index("year").loc[2015, "bridged"])
    assert -3 not in set(e["event_time"])  # E's base year, 2018, sits at -3: not a cell
    points = {p.event_time: p for p in result.event_study}
    assert points[-3].cohorts == (2018,)  # so -3 is B's placebo alone
    # from the mean of 2015/16 to 2018/19: every effect after joining crosses the break,
    # the placebos before it do not, and 2018 (-3) is E's placebo too
    mean = staggered_did(outcomes, timing, draws=0, breaks=_covid_break, base=PRE_MEAN)
    e = mean.cells[mean.cells["first_treated"] == 2021].set_index("year")
    assert set(e["base_from"]) == {2015} and set(e["base_year"]) == {2018}
    assert att(mean, 2021, 2021) == pytest.approx(5.0)
    assert e.loc[2021, "bridged"] == "break" and e.loc[2022, "bridged"] == "break"
    assert e.loc[[2015, 2016, 2017, 2018], "bridged"].isna().all()
    assert {p.event_time: p for p in mean.event_study}[-3].cohorts == (2018, 2021)


def test_two_years_before_joining_are_needed():
    outcomes, timing = hand_panel()
    short = pd.DataFrame([{"unit": "F", "year": y, "value": 50.0 + YEAR_EFFECT[y],
                           "weight": 30} for y in (2015, 2016, 2017, 2018)])
    outcomes = pd.concat([outcomes, short], ignore_index=True)
    timing = pd.concat([timing, pd.DataFrame({"unit": ["F"], "first_treated": [2016.0]})])
    result = staggered_did(outcomes, timing, draws=0)
    assert "F" not in set(result.treated["unit"])
    reason = result.excluded.set_index("unit").loc["F", "reason"]
    assert "only 1 year" in reason


@pytest.mark.parametrize("base", BASES)
def test_against_a_benchmark_line(base):
    outcomes, timing = hand_panel(blip=0.0)
    line = pd.DataFrame([{"unit": u, "year": y, "value": 58.0 + ye + (1.0 if y >= 2018 else 0)}
                         for u in ("A", "B") for y, ye in YEAR_EFFECT.items()])
    result = staggered_did(outcomes[outcomes["unit"].isin(["A", "B"])], timing,
                           control=BENCHMARK, benchmark=line, draws=0, base=base)
    # the line rose 1 more from 2018: A's 2017 effect is 4, later 3; B's 9
    assert att(result, 2017, 2017) == pytest.approx(4.0)
    assert att(result, 2017, 2018) == pytest.approx(3.0)
    assert att(result, 2018, 2018) == pytest.approx(9.0)
    assert result.controls.empty


@pytest.mark.parametrize("base", BASES)
def test_seeded_bootstrap_is_reproducible(base):
    outcomes, timing, _ = simulate_panel(np.random.default_rng(4), Scenario("x", 5.0))
    one = staggered_did(outcomes, timing, draws=199, seed=11, base=base)
    two = staggered_did(outcomes, timing, draws=199, seed=11, base=base)
    other = staggered_did(outcomes, timing, draws=199, seed=12, base=base)
    assert (one.low, one.high) == (two.low, two.high)
    assert one.overall == other.overall
    assert (one.low, one.high) != (other.low, other.high)
    assert one.low < one.overall < one.high


def test_nothing_to_estimate_says_why():
    outcomes, timing = hand_panel()
    result = staggered_did(outcomes[outcomes["year"] >= 2017], timing, draws=0)
    assert result.overall is None
    assert "two years of results before joining" in result.reason


def _fits(scenario: Scenario, panels: int, draws: int, seed: int):
    """Each panel fitted with both bases: {base: (fit, truth)}."""
    rng = np.random.default_rng(seed)
    for p in range(panels):
        outcomes, timing, effect_only = simulate_panel(rng, scenario)
        out = {}
        for base in BASES:
            fit = staggered_did(outcomes, timing, draws=draws, seed=p, control=scenario.control,
                                base=base)
            truth = staggered_did(effect_only, timing, draws=0, control=scenario.control,
                                  base=base)
            out[base] = (fit, truth)
        yield out


def _by_base(fits: list[dict]) -> dict[str, list]:
    return {base: [f[base] for f in fits] for base in BASES}


def test_unbiased_on_a_small_simulation_and_the_mean_base_is_more_precise():
    fits = _by_base(list(_fits(Scenario("x", 5.0), panels=40, draws=0, seed=21)))
    rmse = {}
    for base, pairs in fits.items():
        errors = [fit.overall - truth.overall for fit, truth in pairs]
        # RMSE is about 1.3 (pre_mean) and 1.9 (last) points; the mean of 40 errors has a
        # standard error of about 0.2 and 0.3
        assert abs(np.mean(errors)) < 0.8, base
        rmse[base] = np.sqrt(np.mean(np.square(errors)))
        assert rmse[base] < 3.0, base
    assert rmse[PRE_MEAN] < 0.85 * rmse[LAST]


def test_unbiased_with_a_growing_effect_too():
    fits = _by_base(list(_fits(Scenario("x", 6.0, growing=True), panels=30, draws=0, seed=22)))
    for base, pairs in fits.items():
        assert abs(np.mean([fit.overall - truth.overall for fit, truth in pairs])) < 0.9, base


def test_intervals_cover_the_truth_and_zero_is_not_declared_an_effect():
    """One set of clean panels (effect 0 and +5 differ only by a constant after joining, so
    the +5 panels' intervals are shifted copies): coverage, false positives, false alarms."""
    fits = _by_base(list(_fits(Scenario("x", 0.0), panels=30, draws=99, seed=23)))
    for base, pairs in fits.items():
        covered = [fit.low <= truth.overall <= fit.high for fit, truth in pairs]
        assert np.mean(covered) >= 0.85, base
        assert all(truth.overall == pytest.approx(0.0) for _, truth in pairs)
        flagged = [bool(fit.pre_trend.flagged) for fit, _ in pairs]
        assert np.mean(flagged) <= 0.2, base
        assert all(fit.pre_trend.testable for fit, _ in pairs), base
    assert fits[PRE_MEAN][0][0].pre_trend.kind == "slope"
    assert fits[LAST][0][0].pre_trend.kind == "placebo"


def test_a_planted_pre_trend_is_flagged():
    fits = _by_base(list(_fits(Scenario("x", 0.0, pre_trend=3.0), panels=10, draws=199,
                               seed=25)))
    for base, pairs in fits.items():
        assert np.mean([bool(fit.pre_trend.flagged) for fit, _ in pairs]) >= 0.7, base
        assert all(fit.pre_trend.p_value is not None for fit, _ in pairs)
    # the drift was 3 points a year: the slope sees it
    slopes = [fit.pre_trend.slope for fit, _ in fits[PRE_MEAN]]
    assert 2.0 < np.mean(slopes) < 4.0


def test_a_dip_before_joining_is_flagged_by_the_last_base_and_shrinks_under_the_mean():
    fits = _by_base(list(_fits(Scenario("x", 0.0, dip=12.0), panels=10, draws=199,
                               seed=26)))
    assert np.mean([bool(fit.pre_trend.flagged) for fit, _ in fits[LAST]]) >= 0.7
    # a one-off dip of 12 in the last year before joining: all of it is bounce-back "effect"
    # from that year; from the mean of 3 to 7 years it is a quarter to a half as much
    bias = {base: np.mean([fit.overall - truth.overall for fit, truth in pairs])
            for base, pairs in fits.items()}
    assert bias[LAST] > 8
    assert bias[PRE_MEAN] < 0.5 * bias[LAST]


def test_the_never_joined_comparison_recovers_a_planted_effect_too():
    # (not-yet-joined, the default, is the unbiasedness test's comparison)
    fits = _by_base(list(_fits(Scenario("x", 5.0, control=NEVER_JOINED), panels=20, draws=0,
                               seed=27)))
    for base, pairs in fits.items():
        assert abs(np.mean([fit.overall - truth.overall for fit, truth in pairs])) < 1.0, base
