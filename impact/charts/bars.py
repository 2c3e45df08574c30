"""CPD and collaboration: where staff time went this year, against the same terms last year.

Bars are the latest academic year (dark blue, labelled with their numbers); diamonds are the
year before (orange), so the comparison is there without relying on colour. A year still under
way is compared with the same terms of the year before, never with a whole year. The value
axis starts at zero.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from impact.analysis.findings import CpdYears, cpd_years
from impact.charts import palette, wording
from impact.charts.base import Chart, figure_of
from impact.reports.text import plotly_text

__all__ = ["CpdYears", "cpd_hours_chart", "cpd_years"]


def _hours(value: float) -> str:
    return f"{value:,.0f} hour{'s' if round(value) != 1 else ''}"


def cpd_hours_chart(frame: pd.DataFrame, *, title: str, where: str,
                    data: CpdYears | None = None) -> Chart:
    """Staff hours per activity in the latest year, with the same terms a year before;
    `title` from `impact.analysis.wording.activity_title(findings.cpd_years(frame))`, and
    `data` that `cpd_years(frame)` when the caller has it already (it is not worked out
    twice)."""
    data = cpd_years(frame) if data is None else data
    order = data.hours_now.index.tolist()  # ascending: plotly draws the last bar at the top
    # activities are typed by people; wrapped, so a phone keeps room for the bars
    shown = [wording.wrap(plotly_text(a), 18) for a in order]
    now = [float(v) for v in data.hours_now]
    before = [None if pd.isna(v) else float(v) for v in data.hours_before]
    colours = palette.series_colours(2 if data.previous else 1)
    traces: list[dict[str, Any]] = [{
        "type": "bar", "y": shown, "x": now, "orientation": "h",
        "name": f"{data.latest} (bars)", "marker": {"color": colours[0]},
        "hovertext": [f"{a}: {_hours(v)} in {data.when}" for a, v in zip(shown, now,
                                                                         strict=True)],
        "hoverinfo": "text"}]
    if data.previous:
        traces.append({
            "type": "scatter", "y": shown, "x": before, "mode": "markers",
            "name": f"{data.previous} (diamonds)",
            "marker": {"symbol": "diamond", "size": 16, "color": colours[1],
                       "line": {"color": "white", "width": 1.5}},
            "hovertext": [f"{a}: {'no record' if v is None else _hours(v)} in "
                          f"{data.previous}" for a, v in zip(shown, before, strict=True)],
            "hoverinfo": "text"})
    # Each bar's number sits just past the bar or its diamond, whichever reaches further.
    annotations = [{"x": max(hours, earlier or 0), "y": activity, "text": _hours(hours),
                    "showarrow": False, "xanchor": "left", "xshift": 10,
                    "font": {"size": palette.LABEL_SIZE - 2, "color": palette.TEXT}}
                   for activity, hours, earlier in zip(shown, now, before, strict=True)]
    top = max([*now, *(b for b in before if b is not None)])
    layout: dict[str, Any] = {
        **palette.house_layout(height=max(380, 170 + 60 * len(order))),
        **(palette.legend_below_layout() if data.previous else {}),
        "xaxis": {"range": [0, max(top * 1.6, 1)], "title": {"text": "Staff hours"},
                  "nticks": 5},
        "yaxis": {"tickfont": {"size": 16}}}
    if annotations:
        layout["annotations"] = annotations
    figure = figure_of(traces, layout)
    compare = ""
    if data.previous:
        same = "" if data.whole_year else "the same terms of "
        compare = f"; the diamonds show {same}{data.previous} to compare"
    sentence = (f"Each bar adds up the hours staff spent on one kind of activity in {data.when} "
                f"(people times hours each) in {where}{compare}.")
    table = pd.DataFrame({
        "Activity": order[::-1],
        f"Staff hours {data.latest}": [round(v) for v in now[::-1]]})
    if data.previous:
        table[f"Staff hours {data.previous}"] = pd.array(
            [None if v is None else round(v) for v in before[::-1]], dtype="Int64")
    table[f"Staff taking part {data.latest}"] = [int(v) for v in data.staff_now.tolist()[::-1]]
    notes = ["Staff hours are the number of staff times the hours each spent. A record with no "
             "hours written adds no hours."]
    if not data.whole_year and data.previous:
        notes.append(f"{data.latest} is not over yet, so both years count only "
                     f"{data.when.replace(' of ' + data.latest, '')}.")
    return Chart(title, sentence, figure, table, tuple(notes),
                 f"cpd-hours-{data.latest.replace('/', '-')}.csv")
