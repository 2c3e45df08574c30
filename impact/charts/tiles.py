"""Headline tiles: a few key measures at a glance, each its latest figure with its likely
range, England's figure the same year, and a small line of the years before.

What each tile says is decided in `impact.analysis.headlines.tile` (above England only when the
likely range sits wholly above England's figure, below only when wholly below, close only when
it has a range that includes it; not judged with no range or on too few pupils; the latest
period every school is in). This module draws it: the verdict in words, the low-reliability
mark `u` on a figure about 6 to 10 pupils, the schools behind a figure, and the same rules as
every trend chart for the small lines: gaps where there were no tests, hidden figures not
drawn, a zero baseline for percentages.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from impact.analysis.headlines import Tile, tile
from impact.charts import numbers, palette, wording
from impact.charts.base import Chart, figure_of, house_layout, merged
from impact.domain import measures as m
from impact.domain import small_numbers as small
from impact.domain import verdicts
from impact.domain.verdicts import ABOVE, BELOW, CLOSE, NO_ENGLAND, NO_FIGURE

__all__ = ["ABOVE", "BELOW", "CLOSE", "HEADLINE_ORDER", "NO_ENGLAND", "NO_FIGURE", "Tile",
           "tile", "tiles_chart"]

# Measures a headline tile may show, most telling first (each has a likely range).
HEADLINE_ORDER = ("ks2_rwm_exp", "phonics_y1", "eyfs_gld", "ks4_basics_94", "ks2_rwm_high",
                  "ks4_basics_95", "ks1_rwm_exp", "ta_reading", "ta_writing", "ta_maths")


def _format(code: str, value: float | None) -> str:
    return "" if value is None else numbers.format_number(value, m.measure(code).unit)


def _figure_text(t: Tile) -> str:
    """The tile's figure as a table shows it: with `u` when it is about 6 to 10 pupils."""
    text = _format(t.code, t.value)
    return f"{text} {small.LOW_MARK}" if text and t.low_reliability else text


def _schools(t: Tile) -> str:
    if t.schools is None:
        return ""
    return f"{t.schools} of {t.expected}" if t.expected is not None else str(t.schools)


def _change(code: str, value: float | None) -> str:
    if value is None:
        return ""
    places = numbers.decimals(m.measure(code).unit)
    text = f"{value:+.{places}f}"
    return ("0" if float(text) == 0 else text.replace("-", "−")) + " points"


TILE_WIDTH = 320  # one tile's width in pixels, when tiles are laid out one by one


@lru_cache(maxsize=16)
def _grid(count: int) -> dict[str, Any]:
    """The axes `make_subplots` lays out for `count` tiles side by side (worked out once)."""
    layout = make_subplots(rows=1, cols=count, horizontal_spacing=0.07).layout.to_plotly_json()
    return {k: v for k, v in layout.items() if k != "template"}


def tiles_figure(tiles: list[Tile]) -> go.Figure:
    """The tiles side by side, each a small line and its words; made in one step."""
    count = max(len(tiles), 1)
    layout = merged(house_layout(430), copy.deepcopy(_grid(count)))
    traces: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    for i, t in enumerate(tiles, start=1):
        colours = (palette.SUBJECT_COLOUR, palette.ENGLAND_COLOUR)
        axis = "" if i == 1 else str(i)
        traces.append({
            "type": "scatter", "x": list(t.labels), "y": list(t.england_values),
            "mode": "lines", "connectgaps": False, "name": "England",
            "line": {"color": colours[1], "width": 2.5, "dash": "dash"},
            "hovertext": [f"England {lab}: {_format(t.code, v)}" for lab, v in
                          zip(t.labels, t.england_values, strict=True)],
            "hoverinfo": "text", "showlegend": False, "xaxis": f"x{axis}",
            "yaxis": f"y{axis}"})
        traces.append({
            "type": "scatter", "x": list(t.labels), "y": list(t.values),
            "mode": "lines+markers", "connectgaps": False, "name": t.name,
            "line": {"color": colours[0], "width": 3.5},
            "marker": {"size": 7, "color": colours[0]},
            "hovertext": [f"{lab}: {_format(t.code, v) or 'no figure'}" for lab, v in
                          zip(t.labels, t.values, strict=True)],
            "hoverinfo": "text", "showlegend": False, "xaxis": f"x{axis}",
            "yaxis": f"y{axis}"})
        layout[f"yaxis{axis}"] = merged(layout.get(f"yaxis{axis}", {}), {
            "domain": [0.0, 0.46], "showticklabels": False, "showgrid": False,
            "zeroline": False, **({"range": [0, 100]} if m.measure(t.code).is_percent else {})})
        ends = [t.labels[0], t.labels[-1]] if t.labels else []
        layout[f"xaxis{axis}"] = merged(layout.get(f"xaxis{axis}", {}), {
            "type": "category", "tickvals": ends, "ticktext": ends, "tickfont": {"size": 13},
            "showgrid": False})
        domain = f"x{axis} domain"
        lines = [(0.99, f"<b>{wording.wrap(t.name, 22)}</b>", 18, palette.TEXT)]
        if t.value is None:
            lines.append((0.80, "No figure yet", 22, palette.AXIS_GREY))
        else:
            mark = (f"<span style='font-size:18px'> {small.LOW_MARK}: few pupils</span>"
                    if t.low_reliability else "")
            lines.append((0.83, f"<b>{_format(t.code, t.value)}</b>{mark}"
                                f"<span style='font-size:15px'>  in {t.period}</span>",
                          40, palette.DARK_BLUE))
            if t.low is not None:
                lines.append((0.69, f"likely {_format(t.code, t.low)} to "
                                    f"{_format(t.code, t.high)}", 15, palette.TEXT))
            england = ("" if t.england is None else
                       f" ({_format(t.code, t.england)})")
            lines.append((0.59, f"<b>{t.verdict}</b>{england}", 16, palette.TEXT))
        annotations.extend({"x": 0, "xref": domain, "y": y, "yref": "paper",
                            "xanchor": "left", "yanchor": "top", "text": text,
                            "showarrow": False, "align": "left",
                            "font": {"size": size, "color": colour}}
                           for y, text, size, colour in lines)
    if annotations:
        layout["annotations"] = annotations
    layout["margin"] = {"l": 20, "r": 20, "t": 20, "b": 40}
    return figure_of(traces, layout)


def table(tiles: list[Tile], subject: str) -> pd.DataFrame:
    rows = []
    for t in tiles:
        rows.append({
            "Measure": m.measure(t.code).short,
            "Latest": t.period or "",
            subject: _figure_text(t) or "x",
            "Likely range": "" if t.low is None else
            f"{_format(t.code, t.low)} to {_format(t.code, t.high)}",
            "Pupils": numbers.pupils_text(t.pupils),
            "Schools": _schools(t),
            "England": _format(t.code, t.england) or "x",
            "Compared with England": t.verdict,
            "Change since": t.first_period or "",
            "Change": _change(t.code, t.change),
            "England's change": _change(t.code, t.england_change),
            "Not yet used": "" if t.latest is None else f"{t.latest}: {t.latest_note}",
        })
    return pd.DataFrame(rows)


def tiles_chart(tiles: list[Tile], *, title: str, subject: str, subject_phrase: str,
                file_name: str = "headline-measures.csv") -> Chart:
    """The tiles as one figure, with a sentence, the table and notes; `title` from
    `impact.analysis.wording.tiles_title(findings.against_england(tiles))`."""
    sentence = (f"Each box shows the latest figure for {subject_phrase}, how sure we can be of "
                "it, and England's figure that year; the small solid line is the years "
                "before and the dashed line is England.")
    notes = ["Above or below England means the likely range does not include England's "
             "figure; close to England means it does, so the difference could be chance.",
             "Likely range: with different pupils the figure would move a little by chance; "
             "the true figure is very likely (95%) inside this range."]
    if any(t.low_reliability for t in tiles):
        notes.append(small.low_note())
    if any(t.verdict in (verdicts.NO_RANGE, verdicts.TOO_FEW_PUPILS, verdicts.SOME_SCHOOLS)
           for t in tiles):
        notes.append("A figure with no likely range, about too few pupils, or without every "
                     "school's figure in it is not compared with England.")
    if any(t.latest for t in tiles):
        notes.append("Each box shows the latest period every school has sent figures for; a "
                     "later period with only some schools so far is listed in the table, not "
                     "used.")
    return Chart(title, sentence, tiles_figure(tiles), table(tiles, subject),
                 tuple(notes), file_name, parts=tuple(tiles_figure([t]) for t in tiles))
