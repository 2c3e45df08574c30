"""Figures built in one step (`impact.charts.base.figure_of`) keep the house style exactly as
`palette` gives it, so a change to `palette.house_style` or `legend_below` reaches them."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from impact.charts import palette
from impact.charts.base import figure_of, house_layout, merged, subplot_axes, subplots_layout


@pytest.mark.parametrize(("height", "right_margin", "legend"),
                         [(520, 40, True), (430, 40, False), (300, 190, False)])
def test_the_house_layout_is_the_one_palette_gives(height, right_margin, legend):
    styled = palette.house_style(go.Figure(), height=height, right_margin=right_margin)
    if legend:
        palette.legend_below(styled)
    built = figure_of([], house_layout(height, right_margin=right_margin, legend=legend))
    assert built.to_dict()["layout"] == styled.to_dict()["layout"]


def test_a_house_layout_handed_out_can_be_changed_without_changing_the_next():
    first = house_layout(520, legend=True)
    first["margin"]["t"] = 99
    first["legend"]["traceorder"] = "reversed"
    again = house_layout(520, legend=True)
    assert again["margin"]["t"] != 99 and again["legend"]["traceorder"] == "normal"


def test_merged_lays_nested_settings_over_without_changing_either():
    base = {"margin": {"l": 1, "t": 2}, "height": 3}
    extra = {"margin": {"t": 5}, "width": 4}
    assert merged(base, extra) == {"margin": {"l": 1, "t": 5}, "height": 3, "width": 4}
    assert base == {"margin": {"l": 1, "t": 2}, "height": 3}


def test_subplot_axes_are_the_ones_make_subplots_gives():
    from plotly.subplots import make_subplots

    step_by_step = make_subplots(rows=2, cols=3, horizontal_spacing=0.07)
    step_by_step.add_trace(go.Scatter(x=[1], y=[1]), row=2, col=2)
    x_axis, y_axis = subplot_axes(2, 2, 3)
    layout = subplots_layout(2, 3, horizontal_spacing=0.07)
    one_step = go.Figure(data=[{"type": "scatter", "x": [1], "y": [1], "xaxis": x_axis,
                                "yaxis": y_axis}], layout=layout)
    assert one_step.to_dict()["data"] == step_by_step.to_dict()["data"]
    assert {k: v for k, v in one_step.to_dict()["layout"].items() if k != "template"} == \
        {k: v for k, v in step_by_step.to_dict()["layout"].items() if k != "template"}
