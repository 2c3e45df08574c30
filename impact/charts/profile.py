"""One school's profile: every measure over time against its partnership and England, and its
strengths and needs against its partner schools.

- `measures_grid`: small charts, one per measure, each with the school (solid, with its likely
  range as bars), its partnership (dash-dot) and England (dashed); gaps where there were no
  tests; one legend of line styles at the top, since a label on every small chart would crowd.
- `strengths_chart`: one row per measure, each on its own scale: the school's latest figure
  with its likely range, and its partners' average as a diamond. "Strength" and "Need" are
  written beside each row, so nothing rests on colour.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from impact.analysis.headlines import Tile, tile
from impact.charts import numbers, palette, trend, wording
from impact.charts.base import Chart, figure_of, house_layout, merged, subplot_axes, subplots_layout
from impact.domain import measures as m
from impact.domain import small_numbers as small
from impact.domain import verdicts
from impact.reports.text import plotly_text

STRENGTH, NEED, SIMILAR = verdicts.STRENGTH, verdicts.NEED, verdicts.LIKE_PARTNERS
TOO_FEW, HIDDEN, NO_RANGE, NO_PARTNERS = ("Too few pupils to judge",
                                          f"Hidden ({small.hidden_rule()})",
                                          "No likely range for this measure",
                                          "No partner figures")
_COLUMNS = 3


_STYLES = {trend.SUBJECT: (palette.DARK_BLUE, "solid", "circle", 3),
           trend.COMPARISON: (palette.COMPARISON_COLOUR, "dashdot", "triangle-up", 2.5),
           trend.NATIONAL: (palette.ENGLAND_COLOUR, "dash", "diamond", 2.5)}


def _draw_panel(figure: go.Figure, code: str, lines: list[trend.Line], school: str,
                seen: set[str], row: int, col: int) -> tuple[list, list[str], str]:
    """One measure's lines and axes in the figure's panel at (row, col)."""
    styles = _STYLES
    legend_names = {trend.SUBJECT: plotly_text(school), trend.COMPARISON: "Its partnership",
                    trend.NATIONAL: "England"}
    periods = trend.axis(code, lines)
    labels = [p.label for p in periods]
    unit = m.measure(code).unit
    for line in reversed(lines):
        if line.role not in styles:
            continue
        colour, dash, symbol, width = styles[line.role]
        ys = trend.plotted_values(code, line, periods)
        points = trend.point_rows(code, line, periods)
        error = None
        if line.role == trend.SUBJECT:
            spans = [None if y is None or p is None or numbers.is_missing(p.get("low"))
                     or numbers.is_missing(p.get("high")) else (p["low"], p["high"])
                     for y, p in zip(ys, points, strict=True)]
            if any(spans):
                error = {"type": "data", "symmetric": False, "color": colour,
                         "thickness": 1.5, "width": 3,
                         "array": [None if s is None else s[1] - y
                                   for s, y in zip(spans, ys, strict=True)],
                         "arrayminus": [None if s is None else y - s[0]
                                        for s, y in zip(spans, ys, strict=True)]}
        figure.add_trace(go.Scatter(
            x=labels, y=ys, mode="lines+markers", connectgaps=False,
            name=legend_names[line.role], legendgroup=line.role,
            showlegend=line.role not in seen,
            line={"color": colour, "dash": dash, "width": width},
            marker={"symbol": symbol, "size": 7, "color": colour},
            error_y=error,
            hovertext=[f"{plotly_text(line.name)}, {lab}: "
                       f"{'no figure' if y is None else numbers.format_number(y, unit)}"
                       for lab, y in zip(labels, ys, strict=True)],
            hoverinfo="text"), row=row, col=col)
        seen.add(line.role)
    ends = [labels[0], labels[-1]] if labels else []
    figure.update_xaxes(type="category", categoryorder="array", categoryarray=labels,
                        tickvals=ends, ticktext=[p.academic_year for p in
                                                 (periods[0], periods[-1])] if labels
                        else [], tickfont={"size": 13}, row=row, col=col)
    figure.update_yaxes(tickfont={"size": 13}, row=row, col=col,
                        **(palette.percent_axis() if unit == m.PERCENT else {}))
    return periods, labels, unit


def _small(figure: go.Figure, title: str) -> go.Figure:
    """One measure's small chart on its own, for pages to lay side by side where there is
    room and one under another on a phone: its name above, the legend beneath."""
    palette.house_style(figure, height=360)
    figure.update_layout(title={"text": wording.wrap(title, 26), "x": 0, "xanchor": "left",
                                "y": 0.98, "yanchor": "top", "yref": "container",
                                "font": {"size": 16}},
                         margin={"l": 50, "r": 20, "t": 60, "b": 30})
    palette.legend_below(figure, size=13)
    return figure


def measure_tiles(panels: list[tuple[str, list[trend.Line]]]) -> list[Tile]:
    """Each panel's latest usable figure against England, as
    `impact.analysis.headlines.tile` judges it (what the grid's table and title say)."""
    out = []
    for code, lines in panels:
        england = next((ln for ln in lines if ln.role == trend.NATIONAL), None)
        out.append(tile(code, lines[0].data, england.data if england else None))
    return out


def measures_grid(panels: list[tuple[str, list[trend.Line]]], summaries: list[Tile], *,
                  title: str, school: str, file_name: str = "school-every-measure.csv"
                  ) -> Chart:
    """`panels`: (measure code, lines) with the school as the subject line, then its
    partnership (role COMPARISON) and England (role NATIONAL), as `trend` draws them;
    `summaries`: `measure_tiles(panels)`; `title` from
    `impact.analysis.wording.measures_title(findings.against_england(summaries))`."""
    count = len(panels)
    rows = max(1, math.ceil(count / _COLUMNS))
    figure = make_subplots(rows=rows, cols=_COLUMNS, vertical_spacing=0.34 / rows + 0.04,
                           horizontal_spacing=0.06,
                           subplot_titles=[m.measure(code).short for code, _ in panels])
    seen: set[str] = set()
    parts: list[go.Figure] = []
    table_rows = []
    for index, (code, lines) in enumerate(panels):
        row, col = index // _COLUMNS + 1, index % _COLUMNS + 1
        periods, labels, unit = _draw_panel(figure, code, lines, school, seen, row, col)
        part = make_subplots(rows=1, cols=1)
        _draw_panel(part, code, lines, school, set(), 1, 1)
        parts.append(_small(part, m.measure(code).short))
        partnership = next((ln for ln in lines if ln.role == trend.COMPARISON), None)
        summary = summaries[index]
        partner_value = None
        if summary.period is not None and partnership is not None:
            index_of = labels.index(summary.period)
            partner_value = trend.plotted_values(code, partnership, periods)[index_of]
        table_rows.append({
            "Measure": m.measure(code).short,
            "Latest": summary.period or "",
            school: "x" if summary.value is None else numbers.format_number(summary.value,
                                                                            unit)
            + (f" {small.LOW_MARK}" if summary.low_reliability else ""),
            "Likely range": "" if summary.low is None else
            f"{numbers.format_number(summary.low, unit)} to "
            f"{numbers.format_number(summary.high, unit)}",
            "Pupils": numbers.pupils_text(summary.pupils),
            "Its partnership": "" if partner_value is None else
            numbers.format_number(partner_value, unit),
            "England": "" if summary.england is None else
            numbers.format_number(summary.england, unit),
            "Compared with England": summary.verdict if summary.value is not None else "",
        })
    for annotation in figure.layout.annotations:
        annotation.font = {"size": 16, "color": palette.TEXT}
    palette.house_style(figure, height=90 + 270 * rows)
    figure.update_layout(showlegend=True, margin={"t": 90},
                         legend={"orientation": "h", "y": 1.0, "yanchor": "bottom",
                                 "yref": "container", "x": 0,
                                 "font": {"size": palette.FONT_SIZE - 2}})
    table = pd.DataFrame(table_rows)
    sentence = (f"Each small chart is one measure over the years: the solid line is {school} "
                "with bars for its likely range, the dash-dot line is its partnership and "
                "the dashed line is England.")
    notes = ("Above or below England means the school's likely range does not include "
             "England's figure that year; a measure with no likely range (scaled scores) or "
             "about too few pupils is not compared.",
             f"Gaps are years with no tests or no figures; figures about {small.hidden_rule()}"
             " are not drawn.")
    return Chart(title, sentence, figure, table, notes, file_name, parts=tuple(parts))


def strengths_chart(frame: pd.DataFrame, *, title: str, school: str,
                    file_name: str = "school-strengths-and-needs.csv") -> Chart:
    """`frame` from `impact.reports.schools.strengths_and_needs`; `title` from
    `impact.analysis.wording.strengths_title(findings.strengths_and_needs(frame))`."""
    drawn = frame[frame["low"].notna() & frame["partners_mean"].notna()
                  & frame["value"].notna()].reset_index(drop=True)
    count = max(len(drawn), 1)
    layout = subplots_layout(count, 1, vertical_spacing=0.35 / count)
    traces: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    for i, r in enumerate(drawn.itertuples(), start=1):
        unit = m.measure(r.measure).unit
        label = wording.wrap(m.measure(r.measure).short, 18)
        x_axis, y_axis = subplot_axes(i, 1, 1)
        traces.append({
            "type": "scatter", "x": [r.partners_mean], "y": [label], "mode": "markers",
            "name": "Partners' average", "legendgroup": "partners", "showlegend": i == 1,
            "marker": {"symbol": "diamond", "size": 15, "color": palette.COMPARISON_COLOUR,
                       "line": {"color": "white", "width": 1.5}},
            "hovertext": [f"Partners' average: "
                          f"{numbers.format_number(r.partners_mean, unit)}"],
            "hoverinfo": "text", "xaxis": x_axis, "yaxis": y_axis})
        traces.append({
            "type": "scatter", "x": [r.value], "y": [label], "mode": "markers",
            "name": plotly_text(school), "legendgroup": "school", "showlegend": i == 1,
            "marker": {"symbol": "circle", "size": 15, "color": palette.DARK_BLUE},
            "error_x": {"type": "data", "symmetric": False, "array": [r.high - r.value],
                        "arrayminus": [r.value - r.low], "color": palette.DARK_BLUE,
                        "thickness": 3, "width": 8},
            "hovertext": [f"{plotly_text(school)}: {numbers.format_number(r.value, unit)} "
                          f"(likely {numbers.format_number(r.low, unit)} to "
                          f"{numbers.format_number(r.high, unit)}), {r.academic_year}"],
            "hoverinfo": "text", "xaxis": x_axis, "yaxis": y_axis})
        reach = [r.low, r.high, r.partners_mean]
        pad = max((max(reach) - min(reach)) * 0.15, 1.0 if unit != m.PROGRESS else 0.3)
        x_name, y_name = f"xaxis{x_axis[1:]}", f"yaxis{y_axis[1:]}"
        layout[x_name] = merged(layout.get(x_name, {}), {
            "range": [min(reach) - pad, max(reach) + pad], "tickfont": {"size": 13},
            **({"ticksuffix": "%"} if unit == m.PERCENT else {})})
        layout[y_name] = merged(layout.get(y_name, {}), {"tickfont": {"size": 16},
                                                          "showgrid": False})
        annotations.append({"x": 1.0, "xref": "paper", "y": label,
                            "yref": f"y{'' if i == 1 else i}", "xanchor": "left",
                            "xshift": 10, "showarrow": False,
                            "text": f"<b>{r.verdict}</b>" if r.verdict in (STRENGTH, NEED)
                            else r.verdict, "font": {"size": 16, "color": palette.TEXT}})
    layout = merged(merged(house_layout(110 + 95 * count, right_margin=190), layout), {
        "showlegend": True, "legend": {"orientation": "h", "y": 1.0, "yanchor": "bottom",
                                       "yref": "container", "x": 0},
        "margin": {"t": 70}})
    if annotations:
        layout["annotations"] = annotations
    figure = figure_of(traces, layout)
    sentence = (f"For each measure, the dot is {school}'s latest figure with a bar for its "
                "likely range, and the diamond is the average of its partner schools; a bar "
                "wholly to one side of the diamond is a clear strength or need.")
    table = pd.DataFrame({
        "Measure": frame["measure"].map(lambda c: m.measure(c).short),
        "Year": frame["academic_year"],
        school: frame["shown"],
        "Likely range": frame["range_text"],
        "Pupils": frame["pupils"].map(numbers.pupils_text),
        "Partners' average": frame["partners_text"],
        "Partner schools": frame["partners_schools"].astype(int),
        "What it shows": frame["verdict"],
        "Partner schools strong here": frame["suggest"],
    })
    notes = ("A clear strength or need means the school's likely range is wholly above or "
             "below its partners' average, as the DfE judges a school against the national "
             "average.",
             f"Figures about {small.LOW_RELIABILITY_MAX} pupils or fewer are not judged or "
             "compared: one pupil moves them too much.")
    return Chart(title, sentence, figure, table, notes, file_name)
