"""CPD over time, staff self-assessment before and after, and CPD beside results.

- `hours_by_year_chart`: staff hours each academic year, split by who took part; a year that
  is not over (or has terms missing) is named as such on its label, so a half year never looks
  like a fall;
- `self_assessment_chart`: staff's own ratings (1 to 5) before and after each kind of activity,
  with the likely range of the rise; self-reported and with no comparison group, which the
  words say;
- `cpd_and_results_chart`: each school's CPD hours beside the change in its results since
  joining. Schools that did more CPD may differ in many other ways, so the words say
  "together", never "because".
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from impact.analysis import wording as words
from impact.analysis.findings import ResultsLink
from impact.charts import numbers, palette, wording
from impact.charts.base import Chart, figure_of
from impact.domain import measures as m
from impact.domain import small_numbers as small
from impact.domain.academic_years import TERMS, start_year, term_order
from impact.domain.cpd import STAFF_ROLES
from impact.reports.text import plotly_text


def _terms_label(terms: list[str]) -> str:
    ordered = sorted(set(terms), key=term_order)
    if len(ordered) == 1:
        return f"{ordered[0]} only"
    return " and ".join([", ".join(ordered[:-1]), ordered[-1]]) if ordered else ""


def year_labels(records: pd.DataFrame) -> dict[str, str]:
    """Each academic year's axis label: '2024/25', or '2025/26 (Autumn only)' when not every
    term has records."""
    labels = {}
    for year, rows in records.groupby("academic_year"):
        terms = rows["term"].dropna().unique().tolist()
        labels[year] = year if set(terms) >= set(TERMS) else \
            f"{year} ({_terms_label(terms)})"
    return labels


def hours_by_year_chart(records: pd.DataFrame, *, title: str, where: str,
                        file_name: str = "cpd-hours-by-year.csv") -> Chart:
    """`records`: one row per CPD record (academic_year, term, staff_role, staff_count,
    staff_hours), from `queries/cpd_records.sql`; `title` from
    `wording.hours_title(findings.hours_by_year(records))`."""
    years = sorted(records["academic_year"].unique(), key=start_year)
    labels = year_labels(records)
    xs = [labels[y] for y in years]
    by = records.groupby(["academic_year", "staff_role"])["staff_hours"].sum(min_count=1)
    roles = [r for r in STAFF_ROLES if r in set(records["staff_role"])] + sorted(
        set(records["staff_role"]) - set(STAFF_ROLES))
    # More than four colours are hard to tell apart: the smallest roles share one.
    totals_by_role = {r: float(by.xs(r, level="staff_role").sum()) if r in
                      by.index.get_level_values("staff_role") else 0.0 for r in roles}
    if len(roles) > 4:
        keep = sorted(roles, key=lambda r: -totals_by_role[r])[:3]
        groups = {r: (r if r in keep else "Other roles") for r in roles}
    else:
        groups = {r: r for r in roles}
    names = list(dict.fromkeys(g for r in roles for g in [groups[r]]))
    colours = palette.series_colours(len(names))
    traces: list[dict[str, Any]] = []
    # each year's rows, in the order they came (the sums are those of the rows as they were)
    rows_of = records.groupby("academic_year", sort=False).indices
    totals = [float(records["staff_hours"].iloc[rows_of[year]].sum()) for year in years]
    for name, colour in zip(names, colours, strict=True):
        values = []
        for year in years:
            total = sum(float(by.get((year, r), 0) or 0) for r in roles if groups[r] == name)
            values.append(total)
        traces.append({
            "type": "bar", "x": xs, "y": values, "name": plotly_text(name),
            "marker": {"color": colour, "pattern": {
                "shape": {0: "", 1: "/", 2: ".", 3: "x"}.get(names.index(name), "")}},
            "hovertext": [f"{plotly_text(name)}, {x}: {v:,.0f} staff hours" for x, v in
                          zip(xs, values, strict=True)], "hoverinfo": "text"})
    # Each year's total over its bar: standing upright when there are more bars than a phone
    # has room for flat numbers side by side.
    upright = len(xs) > 5
    annotations = [{"x": x, "y": total, "text": f"{total:,.0f}", "showarrow": False,
                    "yanchor": "bottom", "yshift": 4, "textangle": -90 if upright else 0,
                    "font": {"size": palette.LABEL_SIZE - 2, "color": palette.TEXT}}
                   for x, total in zip(xs, totals, strict=True)]
    layout: dict[str, Any] = {
        **palette.house_layout(height=520), **palette.legend_below_layout(), "barmode": "stack",
        "yaxis": {"range": [0, max(totals + [1]) * (1.35 if upright else 1.18)],
                  "title": {"text": "Staff hours"}},
        "xaxis": {"type": "category"}}
    if annotations:
        layout["annotations"] = annotations
    figure = figure_of(traces, layout)
    sentence = (f"Each bar adds up the hours staff in {where} spent on joint CPD and working "
                "together in one school year (people times hours each), split by who took "
                "part.")
    table = pd.DataFrame({"Year": xs})
    for name in names:
        table[f"{name} (hours)"] = [round(sum(float(by.get((y, r), 0) or 0) for r in roles
                                              if groups[r] == name)) for y in years]
    table["All staff (hours)"] = [round(t) for t in totals]
    table["Staff taking part"] = [int(records["staff_count"].iloc[rows_of[y]].sum())
                                  for y in years]
    notes = ["A year with terms missing is named with the terms it has, so it is not read as "
             "a fall."]
    if len(roles) > 4:
        notes.append("Other roles: " + ", ".join(r for r in roles if groups[r] ==
                                                 "Other roles") + ".")
    return Chart(title, sentence, figure, table, tuple(notes), file_name)


def self_assessment_chart(summary: pd.DataFrame, *, title: str, where: str,
                          file_name: str = "cpd-self-assessment.csv") -> Chart:
    """`summary` from `impact.reports.cpd.self_assessment` (activity, records, before, after,
    change, low, high), smallest rise first; `title` from
    `wording.ratings_title(findings.self_ratings(summary))`."""
    rows = summary.iloc[::-1] if not summary.empty else summary
    activities = [wording.wrap(plotly_text(a), 18) for a in rows["activity"]]
    traces: list[dict[str, Any]] = [
        {"type": "scatter", "x": [before, after], "y": [activity, activity], "mode": "lines",
         "line": {"color": palette.AXIS_GREY, "width": 3}, "hoverinfo": "skip",
         "showlegend": False}
        for activity, before, after in zip(activities, rows["before"], rows["after"],
                                           strict=True)]
    traces.append({
        "type": "scatter", "x": rows["before"], "y": activities, "mode": "markers",
        "name": "Before",
        "marker": {"symbol": "diamond", "size": 16, "color": palette.COMPARISON_COLOUR,
                   "line": {"color": "white", "width": 1.5}},
        "hovertext": [f"{a}: {v:.1f} before" for a, v in zip(activities, rows["before"],
                                                              strict=True)],
        "hoverinfo": "text"})
    traces.append({
        "type": "scatter", "x": rows["after"], "y": activities, "mode": "markers+text",
        "name": "After",
        "marker": {"symbol": "circle", "size": 16, "color": palette.DARK_BLUE,
                   "line": {"color": "white", "width": 1.5}},
        "text": [f"{v:.1f}" for v in rows["after"]], "textposition": "middle right",
        "textfont": {"size": palette.LABEL_SIZE - 2, "color": palette.DARK_BLUE},
        "hovertext": [f"{a}: {v:.1f} after" for a, v in zip(activities, rows["after"],
                                                             strict=True)],
        "hoverinfo": "text"})
    layout = {**palette.house_layout(height=max(380, 190 + 60 * len(activities))),
              **palette.legend_below_layout(),
              "xaxis": {"range": [1, 5.4], "dtick": 1,
                        "title": {"text": "Staff's own rating<br>(1 to 5)"}},
              "yaxis": {"type": "category", "showgrid": False}}
    figure = figure_of(traces, layout)
    sentence = (f"For each kind of activity in {where}, the diamond is how staff rated "
                "themselves before (1 to 5) and the dot is how they rated themselves after.")
    table = pd.DataFrame({
        "Activity": summary["activity"],
        "Records": summary["records"].astype(int),
        "Before (average)": summary["before"].round(1),
        "After (average)": summary["after"].round(1),
        "Rise": summary["change"].round(1),
        "Likely range of the rise": [
            "" if pd.isna(lo) else f"{lo:.1f} to {hi:.1f}"
            for lo, hi in zip(summary["low"], summary["high"], strict=True)],
    })
    notes = ("Staff rated themselves, and nobody outside the activity was asked, so this "
             "shows how staff feel, not what caused the change.",
             "A rise counts as clear when its likely range is wholly above 0.")
    return Chart(title, sentence, figure, table, notes, file_name)


def cpd_and_results_chart(frame: pd.DataFrame, link: ResultsLink, *, title: str, measure: str,
                          where: str, file_name: str = "cpd-and-results.csv") -> Chart:
    """`frame` from `impact.reports.cpd.cpd_and_results` (school, hours per year, change,
    pupils, shown); `link` from `impact.analysis.findings.results_link(frame)` and `title`
    from `wording.link_title(link)`: the words say the finding, the chart draws it."""
    unit = m.measure(measure).unit
    name = wording.short_name(measure)
    plotted = frame[frame["shown"]]
    # No name beside each dot: schools with similar figures overprinted each other's names.
    # Each dot names its school on hover, and the table beneath lists them all.
    dots = {
        "type": "scatter", "x": plotted["hours_per_year"], "y": plotted["change"],
        "mode": "markers",
        "marker": {"size": 14, "color": palette.DARK_BLUE,
                   "line": {"color": "white", "width": 1.5}},
        "hovertext": [f"{plotly_text(s)}: {h:,.0f} staff hours a year; {name} "
                      f"{numbers.format_number(c, unit) if unit != m.PERCENT else f'{c:+.0f}'}"
                      f" points" for s, h, c in zip(plotted["school"],
                                                    plotted["hours_per_year"],
                                                    plotted["change"], strict=True)],
        "hoverinfo": "text", "name": "Schools"}
    layout = {**palette.house_layout(height=480),
              "shapes": [{"type": "line", "x0": 0, "x1": 1, "xref": "x domain", "y0": 0,
                          "y1": 0, "yref": "y",
                          "line": {"color": palette.DARK_GREY, "width": 2, "dash": "dash"}}],
              "xaxis": {"rangemode": "tozero", "title": {
                  "text": wording.wrap("Staff hours of CPD a year (average)", 24)}},
              "yaxis": {"title": {
                  "text": wording.wrap(f"Change in {name} since joining (points)", 24)}}}
    figure = figure_of([dots], layout)
    said = words.link_clause(link)
    sentence = (f"Each dot is one of {where}: how many hours of CPD its staff did a year "
                f"since joining, and how much its {name} changed from before joining to "
                f"after; {said}.")
    table = pd.DataFrame({
        "School": frame["school"],
        "Staff hours a year": frame["hours_per_year"].round(0),
        f"{name} before joining": frame["before_text"],
        f"{name} since joining": frame["after_text"],
        "Change (points)": frame["change_text"],
        "Pupils a year": frame["pupils"].map(numbers.pupils_text),
    })
    notes = ["This shows which things happen together, not what causes what: schools that "
             "do more CPD may differ in other ways, and national results moved too."]
    if link.r is not None and link.low is not None and link.high is not None:
        signed = [f"{v:+.2f}".replace("-", "−") for v in (link.r, link.low, link.high)]
        notes.append(f"Correlation {signed[0]} (likely between {signed[1]} and {signed[2]}) "
                     f"across {link.schools} schools: near 0 means no pattern, near +1 "
                     "or −1 a strong one.")
    if link.few_pupils:
        notes.append(f"{link.few_pupils} school{'s' if link.few_pupils != 1 else ''} with a "
                     f"change about {small.governor_rule()} "
                     f"{'are' if link.few_pupils != 1 else 'is'} drawn but not counted in "
                     "the pattern: one pupil moves such a figure too much.")
    hidden = int((~frame["shown"]).sum())
    if hidden:
        notes.append(f"{hidden} school{'s' if hidden != 1 else ''} left out of the chart: "
                     "too few pupils to show (c in the table).")
    if not math.isfinite(float(plotted["hours_per_year"].max() if len(plotted) else 0)):
        notes.append("Some schools have no hours recorded.")
    return Chart(title, sentence, figure, table, tuple(notes), file_name)
