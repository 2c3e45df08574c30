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


def house_style(figure: go.Figure, *, height: int = 520, right_margin: int = 40) -> go.Figure:
    """Large type, a white background, light grid lines and no legend (labels are direct)."""
    figure.update_layout(
        height=height,
        template="plotly_white",
        font={"family": FONT_FAMILY, "size": FONT_SIZE, "color": TEXT},
        showlegend=False,
        margin={"l": 70, "r": right_margin, "t": 30, "b": 70},
        hoverlabel={"font": {"size": FONT_SIZE}},
        plot_bgcolor="white",
        paper_bgcolor="white",
    )
    figure.update_xaxes(showgrid=False, linecolor=AXIS_GREY, ticks="outside",
                        tickfont={"size": FONT_SIZE})
    figure.update_yaxes(gridcolor="#E5E5E5", linecolor=AXIS_GREY, zerolinecolor=AXIS_GREY,
                        tickfont={"size": FONT_SIZE})
    return figure
