"""Ofsted charts, one framework at a time (Ofsted says its frameworks cannot be compared, so no
chart ever puts grades from two frameworks on one scale).

- `good_or_better_chart`: the share of schools good or outstanding at their latest graded
  inspection, year by year, against schools in no partnership; graded framework only, so it
  stops at 2023/24. The share is of a handful of schools, so it carries a Wilson interval.
- `grade_counts_chart`: how many schools got each grade in each area under one framework
  (key judgements or report cards), as a grid of counts: the numbers are written in every
  cell, the shading (one hue) only helps the eye.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from impact.charts import palette, wording
from impact.charts.base import Chart, figure_of, joined_marker, latest_label
from impact.domain import ofsted
from impact.domain.academic_years import start_year
from impact.reports.text import plotly_text


def _share(value: object) -> str:
    return "" if value is None or pd.isna(value) else f"{float(value):.0f}%"


def good_or_better_chart(series: pd.DataFrame, *, title: str, subject: str, comparison: str,
                         joined_year: str | None = None, subject_short: str | None = None,
                         file_name: str = "ofsted-good-or-outstanding.csv") -> Chart:
    """`series` from `impact.reports.ofsted.good_or_better_by_year` with groups named
    `subject` and `comparison`; `subject_short` labels the subject's line on the chart;
    `title` from `impact.analysis.wording.good_or_better_title(findings.good_or_better(…))`,
    whose "others" the sentence names."""
    short_names = {subject: subject_short or subject}
    traces: list[dict[str, Any]] = []
    years = sorted(series["academic_year"].unique(), key=start_year)
    styles = {subject: (palette.SUBJECT_COLOUR, "solid", "circle", 4),
              comparison: (palette.COMPARISON_COLOUR, "dashdot", "triangle-up", 3)}
    labels = []
    for name in (comparison, subject):
        rows = series[series["group"] == name].set_index("academic_year").reindex(years)
        if rows["schools"].fillna(0).sum() == 0:
            continue
        colour, dash, symbol, width = styles[name]
        ys = [None if pd.isna(v) else float(v) for v in rows["share"]]
        error = None
        if name == subject:
            error = {"type": "data", "symmetric": False, "color": colour, "thickness": 2,
                     "width": 6,
                     "array": [None if pd.isna(h) or y is None else h - y
                               for h, y in zip(rows["high"], ys, strict=True)],
                     "arrayminus": [None if pd.isna(lo) or y is None else y - lo
                                    for lo, y in zip(rows["low"], ys, strict=True)]}
        shown = plotly_text(name)  # the subject is a partnership or cohort's own name
        trace: dict[str, Any] = {
            "type": "scatter", "x": years, "y": ys, "mode": "lines+markers",
            "connectgaps": False, "name": plotly_text(short_names.get(name, name)),
            "line": {"color": colour, "dash": dash, "width": width},
            "marker": {"symbol": symbol, "size": 12, "color": colour,
                       "line": {"color": "white", "width": 1.5}},
            "hovertext": [f"<b>{shown}</b><br>{y}: {int(g)} of {int(n)} schools"
                          if n and not pd.isna(n) else f"{shown} {y}: no graded school"
                          for y, g, n in zip(years, rows["good"].fillna(0),
                                             rows["schools"].fillna(0), strict=True)],
            "hoverinfo": "text"}
        if error is not None:
            trace["error_y"] = error
        traces.append(trace)
        last = max((i for i, y in enumerate(ys) if y is not None), default=None)
        if last is not None:
            labels.append((years[last], ys[last], name, colour))
    # The lines are named in the legend beneath (it wraps on a narrow screen); the subject's
    # latest share sits just left of its last dot.
    annotations: list[dict[str, Any]] = [
        latest_label(x, y, _share(y), colour) for x, y, name, colour in labels if name == subject]
    shapes: list[dict[str, Any]] = []
    if joined_year in years:
        position = years.index(joined_year) - 0.5
        line, label = joined_marker(position)
        shapes.append(line)
        annotations.append(label)
    layout: dict[str, Any] = {
        **palette.house_layout(height=500), **palette.legend_below_layout(),
        "xaxis": {"type": "category", "categoryorder": "array", "categoryarray": years},
        "yaxis": palette.percent_axis()}
    layout["legend"]["traceorder"] = "reversed"  # the subject first, as drawn last
    if annotations:
        layout["annotations"] = annotations
    if shapes:
        layout["shapes"] = shapes
    figure = figure_of(traces, layout)
    sentence = (f"Each dot shows how many schools in every 100 were good or outstanding at "
                f"their latest graded inspection by the end of that year: the solid line is "
                f"{subject}, the dashed line is {comparison} ('others' in the title).")
    table = pd.DataFrame({"Year": years})
    for name in (subject, comparison):
        rows = series[series["group"] == name].set_index("academic_year").reindex(years)
        table[name] = [_share(v) if n else "x" for v, n in zip(rows["share"],
                                                                rows["schools"].fillna(0),
                                                                strict=True)]
        table[f"{name}: schools good or better"] = [
            f"{int(g)} of {int(n)}" if n else "" for g, n in
            zip(rows["good"].fillna(0), rows["schools"].fillna(0), strict=True)]
        if name == subject:
            table["Likely range"] = [
                "" if pd.isna(lo) else f"{_share(lo)} to {_share(hi)}"
                for lo, hi in zip(rows["low"], rows["high"], strict=True)]
    notes = ("Only the old graded inspections (to 1 September 2024) gave one overall grade, "
             "so this chart stops at 2023/24; later inspections are on the tables below, "
             "each under its own framework.",
             "With a handful of schools one inspection moves the share a lot: the bars show "
             "the likely range.")
    return Chart(title, sentence, figure, table, notes, file_name)


def grade_counts_chart(counts: pd.DataFrame, framework: ofsted.Framework, *, title: str,
                       schools: int, where: str, file_name: str = "ofsted-grades.csv") -> Chart:
    """`counts` from `impact.reports.ofsted.grade_counts` (areas down, grades across);
    `title` from `impact.analysis.wording.grade_counts_title(findings.grade_counts(counts))`."""
    grades = [c for c in counts.columns if c != "Area"]
    # Areas' names wrapped so the left margin leaves a phone room for the grades' columns.
    areas = [wording.wrap(plotly_text(a), 18) for a in counts["Area"]]
    z = counts[grades].to_numpy(dtype=float)
    heatmap = {
        "type": "heatmap", "z": z, "x": grades, "y": areas,
        "colorscale": [[0, "#FFFFFF"], [1, palette.DARK_BLUE]], "showscale": False,
        "xgap": 3, "ygap": 3, "zmin": 0, "zmax": max(float(z.max()) if z.size else 1, 1),
        "text": [[str(int(v)) if v else "" for v in row] for row in z],
        "texttemplate": "%{text}", "textfont": {"size": palette.LABEL_SIZE},
        "hovertemplate": "%{y}: %{z} schools %{x}<extra></extra>"}
    # The grades stand upright over their columns where they do not fit flat (house style).
    layout = {**palette.house_layout(height=max(340, 170 + 55 * len(areas))),
              "xaxis": {"side": "top", "showgrid": False, "tickfont": {"size": 16}},
              "yaxis": {"autorange": "reversed", "showgrid": False, "tickfont": {"size": 15}},
              "margin": {"l": 40, "r": 20, "t": 60, "b": 20}}
    figure = figure_of([heatmap], layout)
    name = "report card" if framework is ofsted.REPORT_CARD else "inspection"
    count = "the one school" if schools == 1 else f"the {schools} schools"
    sentence = (f"Each row is one area Ofsted judged and each number is how many of "
                f"{count} in {where} got that grade at their latest {name} under this "
                "framework; best grades are on the left.")
    table = counts.copy()
    notes = (f"Grades under this framework, best first: {', '.join(grades)}. They are not "
             "the same as the old overall grades and are never turned into them.",)
    return Chart(title, sentence, figure, table, notes, file_name)
