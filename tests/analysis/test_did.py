"""The staggered difference-in-differences: hand-checked cases, then small seeded simulations
that check it is unbiased, covers, and flags a planted pre-trend but not a clean panel."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bench.simulate_did import Scenario, simulate_panel
from impact.analysis.did import (
    BENCHMARK,
    NEVER_JOINED,
    NOT_YET_JOINED,
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
    result = staggered_did(outcomes, timing, draws=0, breaks=_covid_break)
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
    result = staggered_did(outcomes, timing, draws=0, breaks=_covid_break, max_event=5)
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
    result = staggered_did(outcomes, timing, draws=0, breaks=_covid_break)
    e = result.cells[result.cells["first_treated"] == 2021]
    assert set(e["base_year"]) == {2018}                  # last observed year before joining
    assert att(result, 2021, 2021) == pytest.approx(5.0)
    assert e.set_index("year").loc[2021, "bridged"] == "break"
    assert pd.isna(e.set_index("year").loc[2015, "bridged"])
    assert -3 not in set(e["event_time"])  # E's base year, 2018, sits at -3: not a cell
    points = {p.event_time: p for p in result.event_study}
    assert points[-3].cohorts == (2018,)  # so -3 is B's placebo alone


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


def test_against_a_benchmark_line():
    outcomes, timing = hand_panel(blip=0.0)
    line = pd.DataFrame([{"unit": u, "year": y, "value": 58.0 + ye + (1.0 if y >= 2018 else 0)}
                         for u in ("A", "B") for y, ye in YEAR_EFFECT.items()])
    result = staggered_did(outcomes[outcomes["unit"].isin(["A", "B"])], timing,
                           control=BENCHMARK, benchmark=line, draws=0)
    # the line rose 1 more from 2018: A's 2017 effect is 4, later 3; B's 9
    assert att(result, 2017, 2017) == pytest.approx(4.0)
    assert att(result, 2017, 2018) == pytest.approx(3.0)
    assert att(result, 2018, 2018) == pytest.approx(9.0)
    assert result.controls.empty


def test_seeded_bootstrap_is_reproducible():
    outcomes, timing, _ = simulate_panel(np.random.default_rng(4), Scenario("x", 5.0))
    one = staggered_did(outcomes, timing, draws=199, seed=11)
    two = staggered_did(outcomes, timing, draws=199, seed=11)
    other = staggered_did(outcomes, timing, draws=199, seed=12)
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
    rng = np.random.default_rng(seed)
    for p in range(panels):
        outcomes, timing, effect_only = simulate_panel(rng, scenario)
        fit = staggered_did(outcomes, timing, draws=draws, seed=p, control=scenario.control)
        truth = staggered_did(effect_only, timing, draws=0, control=scenario.control)
        yield fit, truth


def test_unbiased_on_a_small_simulation():
    errors = [fit.overall - truth.overall
              for fit, truth in _fits(Scenario("x", 5.0), panels=40, draws=0, seed=21)]
    # RMSE is about 1.9 points; the mean of 40 errors has a standard error of about 0.3
    assert abs(np.mean(errors)) < 0.8
    assert np.sqrt(np.mean(np.square(errors))) < 3.0


def test_unbiased_with_a_growing_effect_too():
    errors = [fit.overall - truth.overall for fit, truth in
              _fits(Scenario("x", 6.0, growing=True), panels=30, draws=0, seed=22)]
    assert abs(np.mean(errors)) < 0.9


def test_intervals_cover_the_truth_about_95_percent_of_the_time():
    covered = [fit.low <= truth.overall <= fit.high
               for fit, truth in _fits(Scenario("x", 5.0), panels=40, draws=99, seed=23)]
    assert np.mean(covered) >= 0.85


def test_zero_effect_is_not_declared_an_effect_in_a_clean_panel():
    fits = list(_fits(Scenario("x", 0.0), panels=20, draws=99, seed=24))
    declared = [fit.low > 0 or fit.high < 0 for fit, _ in fits]
    flagged = [bool(fit.pre_trend.flagged) for fit, _ in fits]
    assert np.mean(declared) <= 0.2
    assert np.mean(flagged) <= 0.2
    first = fits[0][0]
    assert first.low < 0 < first.high and first.pre_trend.testable


def test_a_planted_pre_trend_is_flagged():
    fits = list(_fits(Scenario("x", 0.0, pre_trend=3.0), panels=10, draws=199, seed=25))
    flagged = [bool(fit.pre_trend.flagged) for fit, _ in fits]
    assert np.mean(flagged) >= 0.7
    assert all(fit.pre_trend.p_value is not None for fit, _ in fits)


def test_a_dip_before_joining_is_flagged_by_the_pre_trend_test():
    fits = list(_fits(Scenario("x", 0.0, dip=12.0), panels=10, draws=199, seed=26))
    assert np.mean([bool(fit.pre_trend.flagged) for fit, _ in fits]) >= 0.7


@pytest.mark.parametrize("control", [NOT_YET_JOINED, NEVER_JOINED])
def test_both_comparison_kinds_recover_a_planted_effect(control):
    errors = [fit.overall - truth.overall for fit, truth in
              _fits(Scenario("x", 5.0, control=control), panels=20, draws=0, seed=27)]
    assert abs(np.mean(errors)) < 1.0
