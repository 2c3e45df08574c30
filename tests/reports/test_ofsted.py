"""Ofsted over time, one framework at a time: the latest overall grade, each school's grade
before joining and now (compared only where both are overall grades), and the share good or
outstanding by year with its interval."""

from __future__ import annotations

import pandas as pd
import pytest

from impact.analysis.intervals import percent_interval
from impact.reports import ofsted as report


def _inspection(urn, day, framework="graded", overall=None, **areas):
    return {"urn": urn, "inspection_date": pd.Timestamp(day), "framework": framework,
            "overall_effectiveness": overall, **areas}


INSPECTIONS = pd.DataFrame([
    _inspection(1, "2016-03-01", overall="Requires improvement"),
    _inspection(1, "2020-11-01", overall="Good"),
    _inspection(2, "2017-05-01", overall="Good"),
    _inspection(2, "2022-06-01", overall="Outstanding"),
    _inspection(2, "2025-12-01", "report_card", achievement="Strong standard",
                inclusion="Expected standard"),
    _inspection(3, "2018-01-10", overall="Good"),
    _inspection(3, "2025-01-15", "key_judgements", quality_of_education="Good",
                behaviour_and_attitudes="Outstanding"),
    _inspection(4, "2015-01-01", overall="Inadequate"),
])
MEMBERS = pd.DataFrame({"urn": [1, 2, 3, 4], "name": ["Ash", "Birch", "Cedar", "Damson"],
                        "joined_date": ["2019-09-01"] * 4})


def test_the_latest_overall_grade_ignores_later_frameworks():
    latest = report.latest_graded(INSPECTIONS).set_index("urn")["overall_effectiveness"]
    assert latest.to_dict() == {1: "Good", 2: "Outstanding", 3: "Good", 4: "Inadequate"}
    by_2019 = report.latest_graded(INSPECTIONS, by="2019-08-31").set_index("urn")
    assert by_2019.loc[1, "overall_effectiveness"] == "Requires improvement"


def test_before_and_now_compares_only_overall_grades():
    table = report.before_and_now(MEMBERS, INSPECTIONS).set_index("School")
    assert table.loc["Ash", ["Before joining", "Now", "Change"]].tolist() == \
        ["Requires improvement", "Good", "Better"]
    assert table.loc["Birch", "Now"] == \
        "Report card: 1 Strong standard, 1 Expected standard"
    assert table.loc["Birch", "Change"] == "Better", "Good before, Outstanding in 2022"
    # the change beside a report card names the two overall grades it compares
    assert table.loc["Birch", "Overall grades compared"] == (
        "Good (1 May 2017) to Outstanding (1 June 2022), both overall grades")
    assert table.loc["Cedar", "Now"] == "Key judgements: 1 Outstanding, 1 Good"
    assert table.loc["Cedar", "Change"] == ("Not comparable: graded under different "
                                            "frameworks")
    assert table.loc["Cedar", "Overall grades compared"] == ""
    assert table.loc["Damson", "Change"] == "No inspection since joining"
    assert table.loc["Ash", "Joined"] == "1 September 2019"


def test_the_share_good_or_outstanding_has_a_wilson_interval_and_stops_at_2023_24():
    series = report.good_or_better_by_year(INSPECTIONS, {"Ours": [1, 2, 3, 4]},
                                           first_year=2015)
    assert series["academic_year"].iloc[-1] == "2023/24"
    y2017 = series[series["academic_year"] == "2017/18"].iloc[0]
    # by 31 August 2018: Ash RI, Birch Good, Cedar Good, Damson Inadequate
    assert (y2017["schools"], y2017["good"]) == (4, 2)
    assert y2017["share"] == 50.0
    assert (y2017["low"], y2017["high"]) == pytest.approx(percent_interval(50.0, 4))
    y2015 = series[series["academic_year"] == "2015/16"].iloc[0]
    assert (y2015["schools"], y2015["good"]) == (2, 0)


def test_grade_counts_keep_each_frameworks_own_scale():
    latest = report.latest_under(INSPECTIONS, report.ofsted.REPORT_CARD)
    counts = report.grade_counts(latest, report.ofsted.REPORT_CARD).set_index("Area")
    assert list(counts.columns) == list(report.ofsted.FIVE_POINT)
    assert counts.loc["Achievement", "Strong standard"] == 1
    assert "Good" not in counts.columns
