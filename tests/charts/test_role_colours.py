"""One colour per role across every chart: England is the same orange on the tiles, a school's
profile and every line chart; a comparison group of schools the same turquoise on the Ofsted,
project and profile charts; the joining line is a mark, not England's colour."""

from __future__ import annotations

import pandas as pd

from impact.charts import ofsted, palette, tiles, trend
from tests.charts.test_tiles import _tile
from tests.factories import made_estimate


def _colours(figure, name: str) -> set[str]:
    return {t.line.color or t.marker.color for t in figure.data if t.name == name}


def test_england_is_one_colour_on_tiles_and_lines():
    chart = tiles.tiles_chart([_tile(70.0, 62.0, 77.0)], title="Headline measures",
                              subject="Oak", subject_phrase="the schools")
    assert _colours(chart.figure, "England") == {palette.ENGLAND_COLOUR}
    assert _colours(chart.parts[0], "England") == {palette.ENGLAND_COLOUR}
    for count in (2, 3):
        roles = [trend.SUBJECT, trend.NATIONAL, trend.LOCAL][:count]
        assert trend.role_colours(roles)[1] == palette.ENGLAND_COLOUR


def test_a_comparison_group_is_one_colour_on_ofsted_and_line_charts():
    series = pd.DataFrame([
        {"group": name, "academic_year": year, "schools": 4, "good": good,
         "share": good / 4 * 100, "low": 30.0, "high": 95.0}
        for name, good in (("Oak", 3), ("Schools in no partnership", 2))
        for year in ("2021/22", "2022/23")])
    chart = ofsted.good_or_better_chart(series, title="Good or outstanding", subject="Oak",
                                        comparison="Schools in no partnership")
    assert _colours(chart.figure, "Schools in no partnership") == {palette.COMPARISON_COLOUR}
    assert trend.role_colours([trend.SUBJECT, trend.COMPARISON])[1] == \
        palette.COMPARISON_COLOUR


def test_the_joining_line_is_not_englands_colour():
    from impact.charts import event_study

    figure = event_study.event_study_figure(made_estimate())
    joined = [a for a in figure.layout.annotations if a.text == "Joined"]
    assert joined and joined[0].font.color == palette.MARK_COLOUR != palette.ENGLAND_COLOUR
