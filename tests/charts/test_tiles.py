"""Headline tiles: above or below England only when the likely range says so, the latest
comparable stretch for the change, gaps in the small lines, and no hidden figure drawn."""

from __future__ import annotations

import pandas as pd

from impact.analysis import findings, wording
from impact.charts import tiles, trend
from impact.charts.base import word_count
from impact.domain import verdicts


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
    return tiles.tile(code, subject.data, national.data)


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
    t = tiles.tile("ks2_rwm_exp", subject.data, national.data)
    assert t.value is None and t.verdict == tiles.NO_FIGURE


def _chart(picked, **kw):
    """The tiles as the Overview makes them: the title from the words module, on the count
    of judged verdicts."""
    return tiles.tiles_chart(picked, title=wording.tiles_title(findings.against_england(picked)),
                             **kw)


def test_the_chart_has_a_tile_per_measure_a_title_from_the_verdicts_and_a_table():
    chart = _chart([_tile(70.0, 62.0, 77.0), _tile(63.0, 55.0, 70.0),
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
    assert row.tolist()[:8] == ["RWM expected %", "2023/24", "70%", "62% to 77%", "60", "",
                                "60%", "Above England"]
    assert row["Change"] == "+15 points" and row["England's change"] == "+2 points"
    # one figure per tile too, for pages that lay them out one under another on a phone
    assert len(chart.parts) == 3
    for part, first in zip(chart.parts, ("<b>70%</b>", "<b>63%</b>", "<b>50%</b>"),
                           strict=True):
        assert [t.name for t in part.data].count("England") == 1
        assert any(a.text.startswith(first) for a in part.layout.annotations)


def test_close_on_every_measure_says_so():
    chart = _chart([_tile(61.0, 55.0, 67.0)], subject="Oak",
                              subject_phrase="the 3 schools")
    assert chart.title == "Latest results close to England on every measure"


def test_no_range_or_few_pupils_is_not_judged_and_carries_the_mark():
    """A scaled score has no likely range: never 'close to England' on nothing. A figure about
    6 to 10 pupils is shown with `u` and never judged or counted in the title."""
    no_range = _tile(104.0, None, None, england=105.0, code="ks2_read_score")
    assert no_range.verdict == verdicts.NO_RANGE
    few = _tile(90.0, 60.0, 98.0, pupils=8)
    assert few.verdict == verdicts.TOO_FEW_PUPILS and few.low_reliability
    assert few.change is None, "no change is worked out from a figure on 8 pupils"
    chart = _chart([few, no_range], subject="Oak", subject_phrase="the schools")
    assert chart.title == "No figures to compare with England yet"
    assert chart.table.iloc[0]["Oak"] == "90% u"
    assert any("u marks a figure about 6 to 10 pupils" in n for n in chart.notes)
    texts = [a.text for a in chart.figure.layout.annotations]
    assert any("u: few pupils" in t for t in texts)


def test_a_partial_latest_period_is_not_the_tile():
    """One school's early return is not the partnership's figure: the tile stays on the latest
    period every school is in and says what it left out."""
    rows = pd.DataFrame([
        {"academic_year": "2022/23", "term": "Summer", "value": 60.0, "value_note": None,
         "pupils": 300, "schools": 7, "expected": 7, "complete": True, "low": 54.0,
         "high": 65.0},
        {"academic_year": "2023/24", "term": "Summer", "value": 40.0, "value_note": None,
         "pupils": 40, "schools": 1, "expected": 7, "complete": False, "low": 26.0,
         "high": 56.0}])
    t = tiles.tile("ks2_rwm_exp", rows, _line("England", trend.NATIONAL,
                                              {"2022/23": 59.0, "2023/24": 60.0}).data)
    assert t.period == "2022/23" and t.value == 60.0 and t.schools == 7 == t.expected
    assert t.latest == "2023/24" and "not every school" in t.latest_note
    chart = _chart([t], subject="Oak", subject_phrase="the 7 schools")
    assert chart.table.iloc[0]["Schools"] == "7 of 7"
    assert "2023/24" in chart.table.iloc[0]["Not yet used"]
