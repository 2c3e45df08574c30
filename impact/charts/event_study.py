"""The event-study chart: a cohort's results lined up by years since joining, as a difference
from its comparison group, with the likely range as a shaded band and a line where it joined.

Built from the typed `Estimate` (the same numbers `python -m impact estimate --json` prints),
and titled with its own words (`Estimate.words.title`), so the chart, the CLI and the words
beside them cannot disagree.

Honest by construction:
- 0 on the vertical axis is "changed the same as the comparison schools", drawn and labelled;
- the base year (the last year before joining with results) is 0 by design, drawn hollow and
  said so, never presented as a finding;
- years with no results (2019/20, 2020/21) are gaps, shaded and named, never bridged: the
  line and the band stop either side;
- a point that compares results across the 2020-21 break is drawn with an open marker and
  noted; a point whose likely range is wider than the measure's whole range says "too
  uncertain" and its band stops at what the measure allows;
- the joining line sits between the last year before joining and the first year in (event
  time 0 is the first summer after joining).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from impact.analysis.did import EventPoint
from impact.analysis.estimate import Estimate
from impact.analysis.wording import event_label, signed
from impact.charts import palette, wording
from impact.charts.base import Chart, figure_of, house_layout, merged
from impact.domain import comparisons
from impact.domain import measures as m
from impact.domain.academic_years import format_academic_year, start_year

__all__ = ["comparison_short", "event_label", "event_study_chart", "signed", "table"]

JOINING_X = -0.5  # between event time -1 (last year before) and 0 (first year in)
BAND_OPACITY = 0.18



def comparison_short(kind: str) -> str:
    return comparisons.short(kind)


def tick_label(event_time: int) -> str:
    """The axis label, short and on one line so a narrow chart can stand it upright:
    '3 before', '1st in' (the axis title says years)."""
    words = event_label(event_time)
    if event_time < 0:
        return words.replace(" years before", " before").replace(" year before", " before")
    return words.replace(" year in", " in")


def _decimals(code: str) -> int:
    return 2 if m.measure(code).unit == m.PROGRESS else 1


def calendar_years(estimate: Estimate, event_time: int) -> list[str]:
    """The academic years an event time stands for, one per joining group of schools."""
    years = [format_academic_year(start_year(group.first_treated_year) + event_time)
             for group in estimate.cohorts if group.first_treated_year]
    return sorted(set(years), key=start_year)


def gap_reason(estimate: Estimate, event_time: int) -> str:
    """Why an event time has no point: no tests that year, or no figures."""
    reasons = {m.missing_reason(estimate.measure, y) for y in calendar_years(estimate,
                                                                              event_time)}
    reasons.discard(None)
    if reasons and len(reasons) == 1:
        reason = reasons.pop()
        return reason[0].upper() + reason[1:]
    return "No figures for these schools that year"


def _points(estimate: Estimate) -> dict[int, EventPoint]:
    return {int(p.event_time): p for p in estimate.event_study}


def _ranged(p: EventPoint) -> bool:
    return (not p.reference and p.low is not None and p.high is not None
            and p.estimate is not None)


def _runs(times: list[int], keep: set[int]) -> list[list[int]]:
    """Consecutive event times (no gap between them) that are all in `keep`."""
    runs: list[list] = []  # [text, first, last]
    for t in times:
        if t in keep and runs and runs[-1][-1] == t - 1:
            runs[-1].append(t)
        elif t in keep:
            runs.append([t])
    return runs


def _rgba(colour: str, alpha: float) -> str:
    colour = colour.lstrip("#")
    r, g, b = (int(colour[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def event_study_figure(estimate: Estimate) -> go.Figure:
    """Years since joining, the likely range as a band, gaps shaded; made in one step."""
    points = _points(estimate)
    if not points:
        return figure_of([], house_layout(460))
    traces: list[dict[str, Any]] = []
    shapes: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    code = estimate.measure
    places = _decimals(code)
    times = list(range(min(points), max(points) + 1))
    colour = palette.DARK_BLUE
    with_range = {t for t, p in points.items() if _ranged(p)}
    # The likely range: one shaded polygon per unbroken stretch of points.
    for number, run in enumerate(_runs(times, with_range)):
        lows = [points[t].low for t in run]
        highs = [points[t].high for t in run]
        xs = [*run, *run[::-1]] if len(run) > 1 else [run[0] - 0.12, run[0] + 0.12,
                                                       run[0] + 0.12, run[0] - 0.12]
        ys = [*highs, *lows[::-1]] if len(run) > 1 else [highs[0], highs[0], lows[0], lows[0]]
        traces.append({
            "type": "scatter", "x": xs, "y": ys, "fill": "toself", "mode": "lines",
            "line": {"width": 0}, "fillcolor": _rgba(colour, BAND_OPACITY),
            "hoverinfo": "skip", "name": "Likely range (95%)", "legendgroup": "band",
            "showlegend": number == 0})
    # The estimates: a line through each unbroken stretch, None where there is no point.
    ys: list[float | None] = []
    for t in times:
        p = points.get(t)
        ys.append(None if p is None else (0.0 if p.reference else p.estimate))
    hover = []
    for t in times:
        p = points.get(t)
        label = event_label(t)
        if p is None:
            hover.append(f"{label}: {gap_reason(estimate, t)}")
        elif p.reference:
            hover.append(f"{label}: base year (0 by design)")
        elif p.estimate is None:
            hover.append(f"{label}: not enough data")
        else:
            span = ("" if p.low is None or p.high is None else
                    "<br>too uncertain to say (the likely range covers the whole scale)"
                    if p.too_uncertain else
                    f"<br>likely {signed(p.low, places)} to {signed(p.high, places)}")
            hover.append(f"{label}: {signed(p.estimate, places)} points{span}"
                         f"<br>{p.schools} schools")
    symbols = []
    for t in times:
        p = points.get(t)
        if p is None or p.reference:
            symbols.append("circle-open")
        elif p.bridged:
            symbols.append("diamond-open")
        else:
            symbols.append("circle")
    traces.append({
        "type": "scatter", "x": times, "y": ys, "mode": "lines+markers", "connectgaps": False,
        "name": "Difference", "line": {"color": colour, "width": 4},
        "marker": {"symbol": symbols, "size": 15, "color": colour,
                   "line": {"color": colour, "width": 2.5}},
        "hovertext": hover, "hoverinfo": "text", "showlegend": False})
    # Gaps: shaded and named (once for a run of years side by side), so nobody reads a
    # missing year as "no change".
    runs: list[list] = []  # [text, first, last]
    for t in times:
        if t in points:
            continue
        shapes.append({"type": "rect", "x0": t - 0.5, "x1": t + 0.5, "xref": "x", "y0": 0,
                       "y1": 1, "yref": "y domain", "fillcolor": palette.GAP_FILL,
                       "line": {"width": 0}, "layer": "below"})
        text = "No tests" if "COVID" in gap_reason(estimate, t) else "No figures"
        if runs and runs[-1][-1] == t - 1 and runs[-1][0] == text:
            runs[-1][-1] = t
        else:
            runs.append([text, t, t])
    for text, first, last in runs:
        annotations.append({"x": (first + last) / 2, "y": 1, "yref": "paper",
                            "yanchor": "top",
                            "text": text.replace(" ", "<br>") if first == last else text,
                            "showarrow": False,
                            "font": {"color": palette.AXIS_GREY, "size": 15}})
    # Zero: the comparison schools' change, named in the legend beneath.
    dash = {"color": palette.DARK_GREY, "width": 2, "dash": "dash"}
    shapes.append({"type": "line", "x0": 0, "x1": 1, "xref": "x domain", "y0": 0, "y1": 0,
                   "yref": "y", "line": dash})
    traces.append({
        "type": "scatter", "x": [None], "y": [None], "mode": "lines", "line": dash,
        "hoverinfo": "skip",
        "name": wording.wrap(f"Same change as {comparison_short(estimate.comparison)}", 26)})
    # Joining.
    if times[0] < 0 <= times[-1]:
        shapes.append({"type": "line", "x0": JOINING_X, "x1": JOINING_X, "xref": "x",
                       "y0": 0, "y1": 1, "yref": "y domain",
                       "line": {"color": palette.MARK_COLOUR, "width": 3, "dash": "dot"}})
        annotations.append({"x": JOINING_X, "y": 1, "yref": "paper", "yanchor": "bottom",
                            "text": "Joined", "showarrow": False,
                            "font": {"color": palette.MARK_COLOUR,
                                     "size": palette.LABEL_SIZE}})
    # The latest difference written by its dot, on the side towards zero: the gaps' words sit
    # along the top of the plot and the years' labels under it, so neither is overprinted.
    last = max((t for t in times if t in points and not points[t].reference
                and points[t].estimate is not None), default=None)
    if last is not None:
        value = points[last].estimate or 0.0
        annotations.append({"x": last, "y": value, "xanchor": "center",
                            "yanchor": "top" if value >= 0 else "bottom",
                            "yshift": -14 if value >= 0 else 14, "showarrow": False,
                            "text": f"<b>{signed(value, places)}</b>",
                            "bgcolor": "rgba(255,255,255,0.8)",
                            "font": {"color": colour, "size": palette.LABEL_SIZE - 2}})
    values = [v for p in points.values() for v in (p.low, p.high, p.estimate)
              if v is not None]
    top = max([abs(v) for v in values] + [1.0]) * 1.15
    unit = "percentage points" if m.measure(code).is_percent else "points"
    layout = merged(house_layout(520, legend=True), {
        "xaxis": {"tickmode": "array", "tickvals": times,
                  "ticktext": [tick_label(t) for t in times],
                  "range": [times[0] - 0.6, times[-1] + 0.6], "zeroline": False,
                  "title": {"text": "Years before joining, and years in"}},
        "yaxis": {"range": [-top, top], "zeroline": False,
                  "title": {"text": wording.wrap(f"Difference ({unit})", 22)}},
        "margin": {"t": 40}})
    if shapes:
        layout["shapes"] = shapes
    if annotations:
        layout["annotations"] = annotations
    return figure_of(traces, layout)


def sentence(estimate: Estimate, subject_phrase: str) -> str:
    return (f"Each dot shows how much more (above the dashed line) or less (below it) "
            f"results rose in {subject_phrase} than in {estimate.comparison_label}, year by "
            "year from when they joined; the shaded band is the likely range.")


def table(estimate: Estimate) -> pd.DataFrame:
    """One row per year since joining, gaps included, as people read it."""
    points = _points(estimate)
    columns = ["Years since joining", "When", "Academic years", "Difference (points)",
               "Likely range", "Schools", "Notes"]
    if not points:
        return pd.DataFrame(columns=columns)
    places = _decimals(estimate.measure)
    rows = []
    for t in range(min(points), max(points) + 1):
        p = points.get(t)
        row = {"Years since joining": t, "When": event_label(t),
               "Academic years": ", ".join(calendar_years(estimate, t))}
        if p is None:
            row |= {"Difference (points)": "x", "Likely range": "", "Schools": "",
                    "Notes": gap_reason(estimate, t)}
        elif p.reference:
            row |= {"Difference (points)": "0", "Likely range": "", "Schools": p.schools,
                    "Notes": "Base year: the years are measured from here, so it is 0 by "
                             "design"}
        elif p.estimate is None:
            row |= {"Difference (points)": "x", "Likely range": "", "Schools": p.schools,
                    "Notes": "Not enough data"}
        else:
            notes = []
            if p.bridged:
                notes.append("Compares results across the 2020-21 break: treat with care")
            if p.too_uncertain:
                notes.append("Too uncertain to say: the likely range covers the whole scale")
            row |= {"Difference (points)": signed(p.estimate, places),
                    "Likely range": "" if p.low is None or p.high is None else
                    "too uncertain" if p.too_uncertain else
                    f"{signed(p.low, places)} to {signed(p.high, places)}",
                    "Schools": p.schools, "Notes": "; ".join(notes)}
        rows.append(row)
    frame = pd.DataFrame(rows, columns=columns)
    frame["Schools"] = frame["Schools"].astype(str)
    return frame


def event_study_chart(estimate: Estimate, *, subject_phrase: str,
                      file_name: str = "event-study.csv") -> Chart:
    """The chart, its title (the estimate's own, from `Estimate.words`), sentence, table and
    notes."""
    frame = table(estimate)
    notes = ["Before joining, the dots should sit near the dashed line: if they do not, the "
             "schools were already moving differently, and the comparison is less fair."]
    if any(p.reference for p in estimate.event_study):
        notes.append("The hollow dot is the base year, the last year before joining with "
                     "results: every other year is measured from it, so it is 0 by design.")
    if any(p.bridged for p in estimate.event_study):
        notes.append("Open diamonds compare results from 2021/22 on with 2018/19 or before, "
                     "which the DfE says are not directly comparable: treat them with care.")
    if any(p.too_uncertain for p in estimate.event_study):
        notes.append("Where a year's likely range is wider than the whole scale, it says "
                     "nothing; its band is cut at what the measure allows.")
    if (frame["Difference (points)"] == "x").any():
        notes.append("Shaded columns are years with no results (no tests were taken in "
                     "2019/20 and 2020/21): the line is not drawn across them.")
    return Chart(estimate.words.title, sentence(estimate, subject_phrase),
                 event_study_figure(estimate), frame, tuple(notes), file_name)
