"""The CPD chart: staff hours by activity this year, the year before to compare."""

from __future__ import annotations

import pandas as pd
import pytest

from impact.analysis import findings
from impact.analysis import wording as words
from impact.charts import bars, palette


def _chart(frame: pd.DataFrame, *, where: str):
    """The chart as pages make it: its title from the words module, on the typed finding."""
    return bars.cpd_hours_chart(frame, title=words.activity_title(findings.cpd_years(frame)),
                                where=where)


def _records(rows: list[tuple[str, str, str, int, float | None]]) -> pd.DataFrame:
    return pd.DataFrame([{"academic_year": y, "term": t, "activity": a, "records": 1,
                          "schools": 1, "staff": s, "staff_hours": h}
                         for y, t, a, s, h in rows])


RECORDS = _records([
    ("2022/23", "Autumn", "Peer review", 4, 12.0),
    ("2022/23", "Spring", "Coaching", 2, 20.0),
    ("2023/24", "Autumn", "Peer review", 6, 30.0),
    ("2023/24", "Spring", "Peer review", 2, 6.0),
    ("2023/24", "Spring", "Coaching", 3, 15.0),
    ("2023/24", "Summer", "INSET", 10, None),
])


def test_bars_are_the_latest_year_and_diamonds_the_year_before():
    chart = _chart(RECORDS, where="the 3 schools in Oak Trust")
    bar, before = chart.figure.data
    assert bar.type == "bar" and before.mode == "markers"
    assert dict(zip(bar.y, bar.x, strict=True)) == {"INSET": 0.0, "Coaching": 15.0,
                                                    "Peer review": 36.0}
    assert list(bar.y)[-1] == "Peer review", "the biggest bar is at the top"
    assert dict(zip(before.y, before.x, strict=True)) == {"INSET": None, "Coaching": 20.0,
                                                         "Peer review": 12.0}
    assert (bar.marker.color, before.marker.color) == palette.TWO_SERIES
    assert before.marker.symbol == "diamond"
    assert chart.figure.layout.xaxis.range[0] == 0, "hours start at zero"


def test_the_title_sentence_and_table_come_from_the_data():
    chart = _chart(RECORDS, where="the 3 schools in Oak Trust")
    assert chart.title == "Peer review took the most staff time in 2023/24"
    assert chart.what_it_shows == (
        "Each bar adds up the hours staff spent on one kind of activity in 2023/24 (people "
        "times hours each) in the 3 schools in Oak Trust; the diamonds show 2022/23 to compare.")
    assert chart.table.to_dict("list") == {
        "Activity": ["Peer review", "Coaching", "INSET"],
        "Staff hours 2023/24": [36, 15, 0],
        "Staff hours 2022/23": [12, 20, None],
        "Staff taking part 2023/24": [8, 3, 10],
    }


def test_one_year_of_records_has_no_comparison_and_one_colour():
    chart = _chart(RECORDS[RECORDS["academic_year"] == "2023/24"], where="Oak")
    assert len(chart.figure.data) == 1
    assert chart.figure.data[0].marker.color == palette.DARK_BLUE
    assert "diamonds" not in chart.what_it_shows


def test_no_records_is_refused():
    with pytest.raises(ValueError):
        findings.cpd_years(RECORDS.iloc[0:0])


def test_a_year_under_way_is_compared_with_the_same_terms_a_year_before():
    records = RECORDS[~((RECORDS["academic_year"] == "2023/24")
                       & (RECORDS["term"] != "Autumn"))]
    chart = _chart(records, where="Oak")
    bar, before = chart.figure.data
    assert dict(zip(bar.y, bar.x, strict=True)) == {"Peer review": 30.0}
    assert list(before.x) == [12.0], "2022/23's Autumn only, not its whole year"
    assert "in the Autumn term of 2023/24" in chart.what_it_shows
    assert chart.title == "Most staff time in 2023/24 (Autumn only): Peer review", \
        "a year with terms missing says which it has"
    assert "the same terms of 2022/23" in chart.what_it_shows
    assert any("not over yet" in n for n in chart.notes)


def test_the_numbers_sit_past_the_bar_or_diamond_whichever_is_longer():
    chart = _chart(RECORDS, where="Oak")
    places = {a.y: (a.x, a.text) for a in chart.figure.layout.annotations}
    assert places["Coaching"] == (20.0, "15 hours")
    assert places["Peer review"] == (36.0, "36 hours")


def test_a_tie_names_no_one_activity_as_taking_the_most():
    tie = _records([("2023/24", t, a, 1, 10.0) for t in ("Autumn", "Spring", "Summer")
                    for a in ("Coaching", "INSET")])
    assert _chart(tie, where="Oak").title == "Staff time shared between activities in 2023/24"
