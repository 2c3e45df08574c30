"""Figures made in one step skip plotly's property checks (`impact.charts.base.figure_of`):
each builder's figure is made again here with every check, and must come out the same, so a
misspelt property or a wrong value still fails a test rather than reach a page."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from impact.charts import ofsted as ofsted_charts
from impact.charts import profile
from impact.charts.base import figure_of, house_layout
from impact.domain import ofsted
from tests.charts import test_bars, test_event_study, test_tiles, test_trend


def _checked(figure: go.Figure) -> go.Figure:
    """The figure made again with plotly checking every property (raises on a bad one)."""
    return go.Figure(figure.to_dict())


def _same(figure: go.Figure) -> None:
    unchecked = json.loads(pio.to_json(figure, validate=False))
    checked = json.loads(pio.to_json(_checked(figure), validate=False))
    assert unchecked == checked


def _strengths() -> go.Figure:
    frame = pd.DataFrame([
        {"measure": "ks2_rwm_exp", "academic_year": "2023/24", "value": 70.0, "pupils": 60.0,
         "low": 58.0, "high": 80.0, "shown": "70%", "range_text": "58% to 80%",
         "partners_mean": 55.0, "partners_text": "55%", "partners_schools": 3,
         "verdict": profile.STRENGTH, "suggest": ""},
        {"measure": "ks2_rwm_high", "academic_year": "2023/24", "value": 40.0, "pupils": 60.0,
         "low": 30.0, "high": 50.0, "shown": "40%", "range_text": "30% to 50%",
         "partners_mean": 65.0, "partners_text": "65%", "partners_schools": 3,
         "verdict": profile.NEED, "suggest": "Ash Primary"}])
    return profile.strengths_chart(frame, title="Strong in one", school="Oak").figure


def _tiles() -> list[go.Figure]:
    picked = [test_tiles._tile(70.0, 62.0, 77.0), test_tiles._tile(50.0, None, None)]
    chart = test_tiles._chart(picked, subject="Oak Trust",
                              subject_phrase="the 3 schools in Oak Trust")
    return [chart.figure, *chart.parts]


def _ofsted() -> list[go.Figure]:
    counts = pd.DataFrame([{"Area": "Achievement", "Exceptional": 0, "Strong standard": 2,
                            "Expected standard": 1, "Needs attention": 0,
                            "Urgent improvement": 0}])
    series = pd.DataFrame([
        {"group": group, "academic_year": y, "schools": 4, "good": 3, "share": 75.0,
         "low": 60.0, "high": 90.0} for y in ("2021/22", "2022/23") for group in ("Ours",
                                                                                 "Others")])
    return [ofsted_charts.grade_counts_chart(counts, ofsted.REPORT_CARD, title="t", schools=3,
                                             where="Oak Trust").figure,
            ofsted_charts.good_or_better_chart(series, title="t", subject="Ours",
                                               comparison="Others",
                                               joined_year="2022/23").figure]


BUILT = {
    "cpd hours": lambda: [test_bars._chart(test_bars.RECORDS, where="Oak Trust").figure],
    "ofsted": _ofsted,
    "tiles": _tiles,
    "trend": lambda: [test_trend._chart([test_trend._subject(test_trend.YEARS),
                                         test_trend._england(test_trend.YEARS)]).figure],
    "event study": lambda: [test_event_study._chart().figure],
    "strengths": lambda: [_strengths()],
    "empty": lambda: [figure_of([], house_layout(460))],
}


@pytest.mark.parametrize("name", sorted(BUILT))
def test_a_figure_made_without_checks_is_the_one_plotly_checks(name):
    figures = BUILT[name]()
    assert figures
    for figure in figures:
        _same(figure)


def test_a_misspelt_property_is_caught_by_the_check():
    figure = figure_of([{"type": "scatter", "x": [1], "y": [1], "colour": "red"}],
                       house_layout(300))
    with pytest.raises(ValueError, match="colour"):
        _checked(figure)
