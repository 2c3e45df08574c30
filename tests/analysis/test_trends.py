"""Trend lines for charts: pupil-weighted, suppressed, with explicit gaps and breaks."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from impact.analysis import UnknownName
from impact.analysis.intervals import percent_interval
from impact.analysis.trends import before_after, event_time_trend, trend
from tests.analysis.conftest import NORTH, attainment_rows, benchmark_rows

COHORT = "North Trust / Cohort A"


def stored() -> pd.DataFrame:
    rows = attainment_rows()
    return rows[rows["Pupil group"] == "All pupils"]


def test_the_cohort_line_is_the_pupil_weighted_mean_of_its_schools(panel_store):
    out = trend(panel_store, "ks2_rwm_exp", cohort=COHORT, comparisons=()).frame
    line = out[out["line_kind"] == "cohort"].set_index("academic_year")
    raw = stored()
    members = raw[raw["URN"].isin(NORTH)]
    expected = members.groupby("Academic year")["Value"].mean()  # all cohorts are 30 pupils
    for year, value in expected.items():
        assert line.loc[year, "value"] == pytest.approx(value)
        assert line.loc[year, "pupils"] == 9 * 30
        assert line.loc[year, "schools"] == 9
    low, high = percent_interval(expected["2015/16"], 270)
    assert (line.loc["2015/16", "low"], line.loc["2015/16", "high"]) == pytest.approx((low, high))
    assert line.loc["2015/16", "display"] == f"{expected['2015/16']:.0f}%"


def test_covid_years_are_gaps_and_2021_is_not_joined_to_2018(panel_store):
    out = trend(panel_store, "ks2_rwm_exp", cohort=COHORT, comparisons=("national",)).frame
    for _, line in out.groupby("line"):
        line = line.set_index("academic_year")
        assert line.loc["2019/20", "gap"] and math.isnan(line.loc["2019/20", "value"])
        assert "COVID" in line.loc["2020/21", "gap_reason"]
        assert "not comparable" in line.loc["2021/22", "break_before"]
        assert not line.loc["2021/22", "connect"]
        assert line.loc["2022/23", "connect"]


def test_the_national_line_is_the_stored_benchmark(panel_store):
    out = trend(panel_store, "ks2_rwm_exp", cohort=COHORT, comparisons=("national",)).frame
    england = out[out["line_kind"] == "national"].dropna(subset=["value"])
    bench = benchmark_rows()
    bench = bench[bench["Area"] == "England"].set_index("Academic year")["Value"]
    assert england["line"].iloc[0] == "England"
    for year, value in zip(england["academic_year"], england["value"], strict=True):
        assert value == pytest.approx(bench[year])


def test_comparison_lines(panel_store):
    out = trend(panel_store, "ks2_rwm_exp", cohort=COHORT,
                comparisons=("not_yet_joined", "never_joined", "not_in_cohort",
                             "local_authority", "similar", "chosen"), urns=[100012]).frame
    kinds = set(out["line_kind"])
    assert kinds == {"cohort", "not_yet_joined", "never_joined", "not_in_cohort",
                     "local_authority", "similar", "chosen"}
    schools = out.dropna(subset=["value"]).groupby(["line_kind", "academic_year"])["schools"]
    by = schools.first()
    assert by[("never_joined", "2016/17")] == 8
    assert by[("not_yet_joined", "2016/17")] == 10   # South Cluster had not joined yet
    assert by[("not_yet_joined", "2017/18")] == 8    # it had by 2017/18
    assert by[("not_in_cohort", "2017/18")] == 10
    assert by[("chosen", "2017/18")] == 1
    assert out[out["line_kind"] == "local_authority"]["line"].iloc[0] == "Testshire"


def test_a_small_group_is_hidden_as_c(panel_store):
    found = trend(panel_store, "ks2_rwm_exp", urn=100001, group="Disadvantaged",
                  comparisons=())
    out = found.frame
    line = out.set_index("academic_year")
    assert line.loc["2013/14", "display"] == "c"
    assert math.isnan(line.loc["2013/14", "value"])
    assert math.isnan(line.loc["2013/14", "low"])
    assert line.loc["2014/15", "display"] == "50%"
    assert line.loc["2014/15", "reliability"] == "ok"
    assert found.group_label == "Disadvantaged"


def test_unknown_partnership_and_line(panel_store):
    with pytest.raises(UnknownName, match="North Trust"):
        trend(panel_store, "ks2_rwm_exp", partnership="Nowhere")
    with pytest.raises(UnknownName, match="not_in_cohort"):
        trend(panel_store, "ks2_rwm_exp", partnership="North Trust", comparisons=("moon",))


def test_event_time_lines_schools_up_by_years_since_joining(panel_store):
    out = event_time_trend(panel_store, COHORT, "ks2_rwm_exp").set_index("event_time")
    raw = stored()
    firsts = {u: (2016 if u < 100004 else 2017 if u < 100007 else 2021) for u in NORTH}
    at_zero = [raw[(raw["URN"] == u) & (raw["Academic year"] == f"{g}/{(g + 1) % 100:02d}")]
               ["Value"].iloc[0] for u, g in firsts.items()]
    assert out.loc[0, "value"] == pytest.approx(sum(at_zero) / len(at_zero))
    assert out.loc[0, "schools"] == 9
    assert out.loc[0, "years"] == "2016/17, 2017/18, 2021/22"
    assert out.loc[-1, "schools"] == 6   # the 2021 joiners have no 2020/21 results


def test_before_and_after(panel_store):
    out = before_after(panel_store, COHORT, "ks2_rwm_exp")
    school = out.set_index("urn").loc[100004]
    raw = stored()
    own = raw[raw["URN"] == 100004]
    years = own["Academic year"].str[:4].astype(int)
    assert school["first_treated_year"] == "2017/18"
    assert school["years_before"] == 4 and school["years_after"] == 6
    assert school["mean_before"] == pytest.approx(own[years < 2017]["Value"].mean())
    assert school["change"] == pytest.approx(own[years >= 2017]["Value"].mean()
                                             - own[years < 2017]["Value"].mean())
    total = out.iloc[-1]
    assert total["name"] == "All schools in Cohort A"
    assert total["change"] > 0
