"""Headline tiles: above or below England only when the likely range says so, the latest
comparable stretch for the change, gaps in the small lines, and no hidden figure drawn."""

from __future__ import annotations

import pandas as pd

from impact.charts import tiles, trend
from impact.charts.base import word_count


def _line(name, role, values, pupils=60, low=None, high=None):
    rows = []
    for year, value in values.items():
        row = {"academic_year": year, "term": "Summer", "value": value, "value_note": None,
               "pupils": pupils}
        if low is not None:
            row |= {"low": low.get(year), "high": high.get(year)}
        rows.append(row)
    return trend.Line(name, role, pd.DataFrame(rows))


YEARS = ["2017/18", "2018/19", "2021/22", "2022/23", "2023/24"]


def _tile(value, low, high, england=60.0, code="ks2_rwm_exp", pupils=60):
    subject = _line("Oak Trust", trend.SUBJECT,
                    dict(zip(YEARS, [50, 52, 55, 57, value], strict=True)), pupils=pupils,
                    low={YEARS[-1]: low}, high={YEARS[-1]: high})
    national = _line("England", trend.NATIONAL,
                     dict(zip(YEARS, [62, 63, 58, 59, england], strict=True)), pupils=600000)
    return tiles.tile(code, [subject, national])


def test_above_or_below_england_only_when_the_likely_range_clears_it():
    assert _tile(70.0, 62.0, 77.0).verdict == tiles.ABOVE
    assert _tile(50.0, 42.0, 58.0).verdict == tiles.BELOW
    assert _tile(63.0, 55.0, 70.0).verdict == tiles.CLOSE, "3 points above, but could be chance"


def test_the_change_is_measured_within_the_latest_comparable_stretch():
    t = _tile(70.0, 62.0, 77.0)
    assert t.period == "2023/24" and t.first_period == "2021/22"
    assert t.change == 15.0 and t.england_change == 2.0
    assert t.labels == ("2017/18", "2018/19", "2019/20", "2020/21", "2021/22", "2022/23",
                        "2023/24")
    assert t.values[2:4] == (None, None), "no line across the years with no tests"


def test_a_hidden_latest_figure_is_never_shown_or_compared():
    subject = _line("Oak Trust", trend.SUBJECT, {"2022/23": 40.0, "2023/24": None},
                    pupils=4)
    national = _line("England", trend.NATIONAL, {"2022/23": 59.0, "2023/24": 60.0})
    t = tiles.tile("ks2_rwm_exp", [subject, national])
    assert t.value is None and t.verdict == tiles.NO_FIGURE


def test_the_chart_has_a_tile_per_measure_a_title_from_the_verdicts_and_a_table():
    chart = tiles.tiles_chart([_tile(70.0, 62.0, 77.0), _tile(63.0, 55.0, 70.0),
                               _tile(50.0, 42.0, 58.0, code="phonics_y1")],
                              subject="Oak Trust", subject_phrase="the 3 schools in Oak Trust")
    assert chart.title == "Latest results: 1 above England, 1 below, 1 close"
    assert word_count(chart.title) <= 10
    subjects = [t for t in chart.figure.data if t.name != "England"]
    englands = [t for t in chart.figure.data if t.name == "England"]
    assert len(subjects) == len(englands) == 3
    assert all(t.line.dash == "dash" for t in englands)
    assert subjects[0].line.dash in (None, "solid")
    texts = [a.text for a in chart.figure.layout.annotations]
    assert any("<b>70%</b>" in t for t in texts)
    assert "likely 62% to 77%" in texts
    assert any("Above England" in t for t in texts)
    row = chart.table.iloc[0]
    assert row.tolist()[:7] == ["RWM expected %", "2023/24", "70%", "62% to 77%", "60", "60%",
                                "Above England"]
    assert row["Change"] == "+15 points" and row["England's change"] == "+2 points"


def test_close_on_every_measure_says_so():
    chart = tiles.tiles_chart([_tile(61.0, 55.0, 67.0)], subject="Oak",
                              subject_phrase="the 3 schools")
    assert chart.title == "Latest results close to England on every measure"
