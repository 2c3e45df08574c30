"""The Government Analysis Function's colour-blind-safe palette and the house chart style.

Colour is never the only signal: every series also gets its own line style, marker and a
direct label (see `impact.charts.trend`). Type is large because charts are shown on projectors.
"""

from __future__ import annotations

import plotly.graph_objects as go

DARK_BLUE = "#12436D"
TURQUOISE = "#28A197"
DARK_PINK = "#801650"
ORANGE = "#F46A25"
DARK_GREY = "#3D3D3D"
LIGHT_PURPLE = "#A285D1"

GAF = (DARK_BLUE, TURQUOISE, DARK_PINK, ORANGE, DARK_GREY, LIGHT_PURPLE)
TWO_SERIES = (DARK_BLUE, ORANGE)

# One colour per role, in every chart: the schools a chart is about, England, the local
# authority, and a comparison group of schools (not yet joined, similar, partners, in no
# partnership). England is orange wherever it appears. Markers that are not data (the
# joining line, the zero line) are dark grey.
SUBJECT_COLOUR = DARK_BLUE
ENGLAND_COLOUR = ORANGE
LOCAL_COLOUR = DARK_PINK
COMPARISON_COLOUR = TURQUOISE
MARK_COLOUR = DARK_GREY

GAP_FILL = "#F3F2F1"  # the shaded band where a series has no figures
AXIS_GREY = "#505A5F"
TEXT = "#0B0C0C"

FONT_FAMILY = "Arial, Helvetica, sans-serif"
FONT_SIZE = 18  # axis and label text: readable from the back of a meeting room
LABEL_SIZE = 18


def series_colours(count: int) -> tuple[str, ...]:
    """Colours for `count` series, in the order the GAF guidance gives.

    Two series use dark blue and orange; more use the palette in order. More than four
    colours make a chart hard to read, so builders keep to four.
    """
    if count <= 0:
        return ()
    if count == 2:
        return TWO_SERIES
    if count > len(GAF):
        raise ValueError(f"at most {len(GAF)} series can have their own colour")
    return GAF[:count]


_AXIS = {"linecolor": AXIS_GREY, "tickfont": {"size": FONT_SIZE}, "automargin": True,
         "title": {"standoff": 15}, "zerolinewidth": 2}

# Built once: naming a stock template ("plotly_white") makes plotly copy and check all of it
# for every figure, which was most of the time it took to draw a page's charts. Every axis
# takes these defaults; whatever a chart builder sets on an axis itself wins.
HOUSE_TEMPLATE = go.layout.Template(layout={
    "font": {"family": FONT_FAMILY, "size": FONT_SIZE, "color": TEXT},
    "hoverlabel": {"font": {"size": FONT_SIZE}},
    "hovermode": "closest",
    "colorway": list(GAF),
    "plot_bgcolor": "white",
    "paper_bgcolor": "white",
    # Tick labels flat where they fit, else upright (a phone, a zoomed projector): a slanted
    # label's box reaches over its neighbours'.
    "xaxis": {**_AXIS, "showgrid": False, "ticks": "outside", "zerolinecolor": AXIS_GREY,
              "autotickangles": [0, 90]},
    "yaxis": {**_AXIS, "gridcolor": "#E5E5E5", "zerolinecolor": AXIS_GREY},
})


# A percentage axis runs a little past 100% so a point (or likely range) at 100 is drawn whole
# and the "100%" label is not cut off by the top of the chart.
PERCENT_TOP = 105


def percent_axis() -> dict[str, object]:
    """A percentage axis from 0 to just past 100%; Plotly picks how many labels fit the
    chart's height (every 20, 25 or 50 points: 100% is always one)."""
    return {"range": [0, PERCENT_TOP], "tick0": 0, "ticksuffix": "%"}


def compact(figure: go.Figure, height: int) -> go.Figure:
    """A chart shown in a short space (meeting mode, beside its words): its height, and
    smaller tick and legend type so labels keep apart on a short plot."""
    figure.update_layout(height=height, legend_font_size=FONT_SIZE - 4)
    figure.update_xaxes(tickfont_size=FONT_SIZE - 4)
    figure.update_yaxes(tickfont_size=FONT_SIZE - 4)
    return figure


def legend_below_layout(*, size: int = FONT_SIZE - 2) -> dict[str, object]:
    """`legend_below`'s layout, as a dict for a figure built in one step."""
    return {"showlegend": True, "legend": {
        "orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0,
        "xanchor": "left", "font": {"size": size}, "traceorder": "normal"}}


def legend_below(figure: go.Figure, *, size: int = FONT_SIZE - 2) -> go.Figure:
    """The legend in rows across the foot of the figure, under the axis labels: it wraps to
    as many rows as the width needs (a phone, a zoomed projector) and the plot makes room
    for it, so it never sits on a label, a title or an annotation."""
    figure.update_layout(**legend_below_layout(size=size))
    return figure


def house_layout(*, height: int = 520, right_margin: int = 40) -> dict[str, object]:
    """`house_style`'s layout, as a dict for a figure built in one step: plotly checks every
    property each time a figure is changed, so a builder that gathers its traces and layout
    as dicts and makes the figure once (`go.Figure(data=..., layout=...)`) draws the same
    figure in a fraction of the time."""
    return {"height": height, "template": HOUSE_TEMPLATE, "showlegend": False,
            "margin": {"l": 70, "r": right_margin, "t": 30, "b": 70}}


def house_style(figure: go.Figure, *, height: int = 520, right_margin: int = 40) -> go.Figure:
    """Large type, a white background, light grid lines and no legend (labels are direct)."""
    figure.update_layout(**house_layout(height=height, right_margin=right_margin))
    return figure
