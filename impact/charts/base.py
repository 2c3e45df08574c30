"""What every chart carries besides its figure: the brief's title, sentence, table and notes."""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from impact.charts import palette
from impact.formulas import neutralised

# How every interactive chart is shown, on a page or in the HTML board pack: no Plotly toolbar
# (on a projector or a phone it sits over the chart's title and labels; the numbers are in the
# table beneath and its CSV download), and the width of whatever holds it.
CHART_CONFIG = {"displayModeBar": False, "displaylogo": False, "responsive": True}


@dataclass
class Chart:
    """A figure and the words and numbers that must travel with it.

    `title` states the finding in ten words or fewer; `what_it_shows` is one plain sentence;
    `table` is the plotted data as people read it (`c` for hidden figures, never 0); `notes`
    explain gaps and symbols.
    """

    title: str
    what_it_shows: str
    figure: go.Figure
    table: pd.DataFrame
    notes: tuple[str, ...] = ()
    file_name: str = "chart-data.csv"
    # Small multiples, one figure each (the tiles): pages lay them out side by side where
    # there is room and one under another where there is not (a phone, a zoomed projector).
    # `figure` is all of them in one, for a printed page.
    parts: tuple[go.Figure, ...] = ()

    def csv_bytes(self) -> bytes:
        return csv_bytes(self.table)


def csv_bytes(table: pd.DataFrame) -> bytes:
    """A table as a CSV file that opens cleanly in Excel (UTF-8 with a byte-order mark), and
    safely: text that Excel would run as a formula (a school named `=HYPERLINK(…)`) is
    written with a leading `'` (`impact.formulas.neutralise`). Every download button's CSV
    is made here."""
    buffer = io.StringIO()
    neutralised(table).to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8-sig")


def word_count(text: str) -> int:
    return len(text.split())


# --- figures built in one step ---------------------------------------------------------------
# Plotly checks every property each time a figure is changed (`add_trace`, `update_layout`,
# `add_annotation` ...), and a figure changed step by step took most of a page's time to draw.
# Builders gather their traces and layout as plain dicts and make the figure once: the same
# figure, checked once.

def merged(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """`base` with `extra` laid over it, nested dicts merged (what successive
    `update_layout` calls do); neither is changed."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


def house_layout(height: int, *, right_margin: int = 40, legend: bool = False
                 ) -> dict[str, Any]:
    """The layout `palette.house_style` (and with `legend`, `palette.legend_below`) gives a
    figure, as a new dict to build on: palette's own dicts, so it is always theirs."""
    layout = palette.house_layout(height=height, right_margin=right_margin)
    return merged(layout, palette.legend_below_layout()) if legend else layout


def latest_label(x: Any, y: float, text: str, colour: str) -> dict[str, Any]:
    """The annotation that writes a line's latest value just left of its last dot, in the
    line's colour on a white ground (trend and Ofsted charts)."""
    return {"x": x, "y": y, "xanchor": "right", "yanchor": "bottom", "xshift": -8, "yshift": 4,
            "text": f"<b>{text}</b>", "showarrow": False, "bgcolor": "rgba(255,255,255,0.8)",
            "font": {"color": colour, "size": palette.LABEL_SIZE - 2}}


def joined_marker(position: float) -> tuple[dict[str, Any], dict[str, Any]]:
    """The dotted line before the year the schools joined, and its "Joined" label above the
    plot: one shape and one annotation, the same on every chart over years."""
    line = {"type": "line", "x0": position, "x1": position, "xref": "x",
            "y0": 0, "y1": 1, "yref": "y domain",
            "line": {"color": palette.DARK_GREY, "width": 2, "dash": "dot"}}
    label = {"x": position, "y": 1, "yref": "paper", "yanchor": "bottom",
             "text": "Joined", "showarrow": False,
             "font": {"color": palette.DARK_GREY, "size": 16}}
    return line, label


def figure_of(data: list[dict[str, Any]], layout: dict[str, Any]) -> go.Figure:
    """A figure made in one step from traces (dicts with their `type`) and a layout, without
    plotly checking every property as it goes: checking took five times as long as making
    it, on every chart of every cold page. The builders' dicts are checked instead by the
    chart tests, which make each figure again with every check and compare
    (`tests/charts/test_figures_checked.py`)."""
    return go.Figure(data=[_set(trace) for trace in data], layout=_set(layout),
                     _validate=False)


def _set(properties: dict[str, Any]) -> dict[str, Any]:
    """The properties that are set, as plotly's checks would leave them: a property given as
    None is unset, and so is a group of properties with none set (values inside a list, a
    gap in a line, are kept)."""
    out = {}
    for key, value in properties.items():
        if isinstance(value, dict):
            value = _set(value)
            if not value:
                continue
        elif isinstance(value, list):
            value = [_set(v) if isinstance(v, dict) else v for v in value]
        elif value is None:
            continue
        out[key] = value
    return out


@lru_cache(maxsize=64)
def _subplots(rows: int, cols: int, options: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    from plotly.subplots import make_subplots

    layout = make_subplots(rows=rows, cols=cols, **dict(options)).layout.to_plotly_json()
    return {k: v for k, v in layout.items() if k != "template"}


def subplots_layout(rows: int, cols: int, **options: Any) -> dict[str, Any]:
    """The axes `make_subplots(rows, cols, **options)` lays out (worked out once per shape),
    as a dict to build on; trace `(row, col)` goes on axes `subplot_axes(...)`."""
    return copy.deepcopy(_subplots(rows, cols, tuple(sorted(options.items()))))


def subplot_axes(row: int, col: int, cols: int) -> tuple[str, str]:
    """The x and y axis names (`"x2"`, `"y2"`) of the panel at (row, col), from 1."""
    number = (row - 1) * cols + col
    suffix = "" if number == 1 else str(number)
    return f"x{suffix}", f"y{suffix}"
