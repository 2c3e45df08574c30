"""A measure over time: one subject line (a partnership, a cohort, a school) against England
and, where there is one, the local authority.

Honest by construction: every academic year between the first and the last is on the axis, so
years without figures (no tests in 2019/20 and 2020/21) are visible gaps, shaded and named,
never a line drawn across; a figure about 5 pupils or fewer is a gap in the chart and `c` in
the table, never 0; each line has its own style, marker and direct label, not just a colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
import plotly.graph_objects as go

from impact.analysis import headlines
from impact.analysis import series as periods_
from impact.analysis.headlines import TrendFinding
from impact.analysis.series import Period
from impact.charts import numbers, palette, wording
from impact.charts.base import Chart, figure_of, house_layout, joined_marker, latest_label, merged
from impact.domain import measures as m
from impact.domain import small_numbers as small
from impact.reports.text import plotly_text

if TYPE_CHECKING:
    from impact.analysis.trends import Trend

__all__ = ["COMPARISON", "LOCAL", "NATIONAL", "SUBJECT", "Line", "Period", "axis", "eras",
           "gap_reason", "lines_from_trend", "plotted_values", "point_rows", "trend_chart"]

SUBJECT = "subject"
NATIONAL = "national"
LOCAL = "local_authority"
COMPARISON = "comparison"  # a comparison group of schools (not yet joined, similar, …)

_STYLE = {  # role -> (line dash, marker symbol, line width)
    SUBJECT: ("solid", "circle", 4),
    NATIONAL: ("dash", "diamond", 3),
    LOCAL: ("dot", "square", 3),
    COMPARISON: ("dashdot", "triangle-up", 3),
}
# `impact.analysis.trends.trend`'s line kinds, by the role each plays in a chart.
_ROLES = {"school": SUBJECT, "cohort": SUBJECT, "partnership": SUBJECT, "national": NATIONAL,
          "local_authority": LOCAL}

_COLOURS = {SUBJECT: palette.SUBJECT_COLOUR, NATIONAL: palette.ENGLAND_COLOUR,
            LOCAL: palette.LOCAL_COLOUR, COMPARISON: palette.COMPARISON_COLOUR}


def role_colours(roles: list[str]) -> list[str]:
    """Each line's colour from its role, the same in every chart (England always orange); a
    second line in the same role takes the next palette colour no role uses."""
    spare = [c for c in palette.GAF if c not in _COLOURS.values()]
    out, used = [], set()
    for role in roles:
        colour = _COLOURS[role]
        if role in used:
            colour = spare.pop(0)
        used.add(role)
        out.append(colour)
    return out


LINE_COLUMNS = ("academic_year", "term", "value", "value_note", "pupils")
_HEIGHT = 520


@dataclass
class Line:
    """One series: its name as labelled on the chart, its role, and its rows.

    `data` has columns academic_year, term, value, value_note and pupils (the cohort size
    behind the figure); optionally `schools` and `expected` (how many schools the figure
    averages, of how many it should), `complete`, and `low`/`high` (a 95% interval, drawn as
    bars on the subject's line).
    """

    name: str
    role: str
    data: pd.DataFrame


# --- the axis (decided in `impact.analysis.series`) -----------------------------------------

def axis(code: str, lines: list[Line]) -> list[Period]:
    """Every period from the first to the last with data, gaps included."""
    return periods_.axis(code, [line.data for line in lines])


def gap_reason(code: str, period: Period) -> str | None:
    """Why a period can have no figures at all (a series break), or None."""
    return periods_.gap_reason(code, period)


def eras(code: str, periods: list[Period]) -> list[int]:
    """Stretch numbers: periods in different stretches must not be compared or joined."""
    return periods_.eras(code, periods)


# --- reading lines -------------------------------------------------------------------------

def _points(code: str, line: Line, periods: list[Period]) -> list[dict[str, Any] | None]:
    return periods_.rows_by_period(code, line.data, periods)


def point_rows(code: str, line: Line, periods: list[Period]) -> list[dict[str, Any] | None]:
    """The line's row for each period (None for a gap or no row), aligned with `periods`."""
    return _points(code, line, periods)


def plotted_values(code: str, line: Line, periods: list[Period]) -> list[float | None]:
    """The y values drawn for a line: None for gaps, missing and small-group figures."""
    return [headlines.plotted(row) for row in _points(code, line, periods)]


def _schools_text(row: dict[str, Any] | None) -> str:
    """'6 of 7' for a line of schools that should have 7, '6' when that is unknown."""
    if row is None:
        return ""
    have, should = headlines.number(row.get("schools")), headlines.number(row.get("expected"))
    if have is None:
        return ""
    if should is None:
        return f"{int(have):,}"
    return f"{int(have):,} of {int(should):,}"


def _partial(row: dict[str, Any] | None) -> bool:
    return row is not None and headlines.plotted(row) is not None and \
        headlines.unusable(row) == headlines.PARTIAL


def _cell(code: str, row: dict[str, Any] | None) -> str:
    unit = m.measure(code).unit
    if row is None:
        return "x"
    return numbers.shown(row.get("value"), row.get("value_note"), row.get("pupils"), unit)


# --- the figure ----------------------------------------------------------------------------

def trend_figure(code: str, lines: list[Line], periods: list[Period] | None = None, *,
                 joined: str | None = None) -> go.Figure:
    """Lines with markers over a category axis of periods; gaps where there are no figures;
    with `joined` (a period label on the axis), a dotted "Joined" line just before it.
    Made in one step (`base.figure_of`)."""
    measure = m.measure(code)
    periods = axis(code, lines) if periods is None else periods
    labels = [p.label for p in periods]
    colours = role_colours([line.role for line in lines])
    traces: list[dict[str, Any]] = []
    label: tuple[int, float, str] | None = None  # the subject's latest: period index, y, colour
    # Drawn last to first, so the subject's line sits on top of the comparison lines.
    for line, colour in reversed(list(zip(lines, colours, strict=True))):
        dash, symbol, width = _STYLE[line.role]
        rows = _points(code, line, periods)
        ys = [headlines.plotted(row) for row in rows]
        name = plotly_text(line.name)
        hover = [f"<b>{name}</b><br>{label}: {_cell(code, row)}"
                 + (f" ({numbers.pupils_text(row.get('pupils'))} pupils)"
                    if row is not None and not numbers.is_missing(row.get("pupils")) else "")
                 + (f"<br>{_schools_text(row)} schools so far: no headline from this"
                    if _partial(row) else "")
                 + ("<br>Few pupils: treat with care" if row is not None
                    and numbers.is_low_reliability(row.get("pupils")) else "")
                 for label, row in zip(labels, rows, strict=True)]
        # an open marker for a figure no headline may rest on (few pupils, a partial return)
        symbols = [f"{symbol}-open" if row is not None and (
            numbers.is_low_reliability(row.get("pupils")) or _partial(row)) else symbol
            for row in rows]
        trace: dict[str, Any] = {
            "type": "scatter", "x": labels, "y": ys, "name": name, "mode": "lines+markers",
            "connectgaps": False,
            "line": {"color": colour, "width": width, "dash": dash},
            "marker": {"symbol": symbols, "size": 13, "color": colour,
                       "line": {"color": [colour if x.endswith("-open") else "white"
                                          for x in symbols],
                                "width": [2.5 if x.endswith("-open") else 1.5
                                          for x in symbols]}},
            "hovertext": hover, "hoverinfo": "text"}
        bars = _interval_bars(line, rows, ys, colour)
        if bars is not None:
            trace["error_y"] = bars
        traces.append(trace)
        last = max((i for i, y in enumerate(ys) if y is not None), default=None)
        if line is lines[0] and last is not None:
            label = (last, ys[last], colour)
    shapes, annotations = _shade_gaps(code, periods)
    # The lines are named in the legend beneath, which wraps on a narrow screen (names in a
    # right margin left a phone no room for the chart, and lines ending close together
    # overprinted theirs); the subject's latest figure sits just left of its last dot.
    if label is not None:
        index, y, colour = label
        annotations.append(latest_label(labels[index], y,
                                        numbers.format_number(y, measure.unit), colour))
    layout = merged(house_layout(_HEIGHT, legend=True), {
        **_axes(measure, labels),
        "legend": {"traceorder": "reversed"},  # the subject first, as drawn last
    })
    if joined in labels:
        position = labels.index(joined) - 0.5
        line, label = joined_marker(position)
        shapes.append(line)
        annotations.append(label)
        layout["margin"] = {**layout["margin"], "t": 50}
    if shapes:
        layout["shapes"] = shapes
    if annotations:
        layout["annotations"] = annotations
    return figure_of(traces, layout)


def _interval(row: dict[str, Any] | None) -> tuple[float, float] | None:
    if row is None or numbers.is_missing(row.get("low")) or numbers.is_missing(row.get("high")):
        return None
    return float(row["low"]), float(row["high"])


def _interval_bars(line: Line, rows: list[dict[str, Any] | None], ys: list[float | None],
                   colour: str) -> dict[str, Any] | None:
    """The subject's 95% interval as thin bars above and below each dot (none elsewhere)."""
    if line.role != SUBJECT:
        return None
    spans = [None if y is None else _interval(row) for row, y in zip(rows, ys, strict=True)]
    if not any(spans):
        return None
    return {"type": "data", "symmetric": False, "color": colour, "thickness": 2, "width": 6,
            "array": [None if s is None else s[1] - y for s, y in zip(spans, ys, strict=True)],
            "arrayminus": [None if s is None else y - s[0]
                           for s, y in zip(spans, ys, strict=True)]}


def _shade_gaps(code: str, periods: list[Period]
                ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The shaded bands (shapes) and their words (annotations) where a run of periods can
    have no figures."""
    runs: list[tuple[int, int, str]] = []
    for i, period in enumerate(periods):
        reason = gap_reason(code, period)
        if not reason:
            continue
        text = "No tests" if "COVID" in reason else "No figures"
        if runs and runs[-1][1] == i - 1 and runs[-1][2] == text:
            runs[-1] = (runs[-1][0], i, text)
        else:
            runs.append((i, i, text))
    shapes = [{"type": "rect", "x0": first - 0.5, "x1": last + 0.5, "xref": "x", "y0": 0,
               "y1": 1, "yref": "y domain", "fillcolor": palette.GAP_FILL,
               "line": {"width": 0}, "layer": "below"} for first, last, _ in runs]
    annotations = [{"x": (first + last) / 2, "y": 1, "yref": "paper", "yanchor": "top",
                    "text": text, "showarrow": False,
                    "font": {"color": palette.AXIS_GREY, "size": 16}}
                   for first, last, text in runs]
    return shapes, annotations


def _axes(measure: m.Measure, labels: list[str]) -> dict[str, Any]:
    xaxis: dict[str, Any] = {"type": "category", "categoryorder": "array",
                             "categoryarray": labels}
    if labels:
        xaxis["range"] = [-0.5, len(labels) - 0.5]
    if measure.is_percent:
        yaxis = {**palette.percent_axis(), "title": {"text": None}}
    elif measure.unit == m.PROGRESS:
        yaxis = {"zeroline": True, "zerolinewidth": 2, "title": {"text": None}}
    else:
        yaxis = {"title": {"text": None}}
    return {"xaxis": xaxis, "yaxis": yaxis}


# --- the chart with its words --------------------------------------------------------------

def trend_chart(code: str, lines: list[Line], *, title: str, subject_phrase: str,
                group: str = "all", weighted: bool = False, file_name: str = "trend.csv",
                joined: str | None = None) -> Chart:
    """The figure, the sentence, the table beneath and the notes, under `title`.

    `lines[0]` must be the subject; `subject_phrase` names it in a sentence ("the 3 schools
    in Test Trust"); `weighted` says the subject averages several schools by pupils.
    `joined` is the period label of the first results after joining, marked with a dotted
    "Joined" line just before it. `title` is made by the caller from the analysis:
    `impact.analysis.wording.trend_title(trend.finding(code, lines))` for a finding (see
    `finding`), or `trend_description` on a page whose finding is an impact estimate,
    where a raw line over other years must not read as a second, different answer.
    """
    if not lines or lines[0].role != SUBJECT:
        raise ValueError("the first line must be the subject line")
    if len(lines) > 4:
        raise ValueError("a trend chart shows at most four lines")
    measure = m.measure(code)
    periods = axis(code, lines)
    figure = trend_figure(code, lines, periods, joined=joined)
    national = next((ln for ln in lines if ln.role == NATIONAL), None)
    local = next((ln for ln in lines if ln.role == LOCAL), None)
    group_line = next((ln for ln in lines if ln.role == COMPARISON), None)
    sentence = wording.trend_sentence(code, subject_phrase, national=national is not None,
                                      local=local.name if local else None, group=group,
                                      termly=not measure.statutory,
                                      comparison=_in_sentence(group_line.name)
                                      if group_line else None)
    table = trend_table(code, lines, periods)
    notes = _notes(code, periods, lines[0], table, weighted)
    return Chart(title, sentence, figure, table, tuple(notes), file_name)


def finding(code: str, lines: list[Line], against: str | None = None) -> TrendFinding:
    """What `impact.analysis.headlines.trend_finding` finds for the subject line against the
    line named `against` (default: England's line, if drawn): the typed result a trend
    chart's title is made from."""
    if against is None:
        compared = next((ln for ln in lines if ln.role == NATIONAL), None)
    else:
        compared = next((ln for ln in lines if ln.name == against), None)
    return headlines.trend_finding(code, lines[0].data,
                                   compared.data if compared is not None else None)


def _in_sentence(name: str) -> str:
    """A comparison group's name inside a sentence: 'similar schools', but a proper name
    ('Kestrel Vale Academy Trust') as it is."""
    from impact.analysis.trends import LINE_LABELS

    return name[:1].lower() + name[1:] if name in LINE_LABELS.values() else name


def trend_table(code: str, lines: list[Line], periods: list[Period]) -> pd.DataFrame:
    """One row per period: each line's figure as shown (c, x, never 0), pupils and notes."""
    subject = lines[0]
    first_column = "Year" if m.measure(code).statutory else "Term"
    rows = []
    subject_rows = _points(code, subject, periods)
    others = {line.name: _points(code, line, periods) for line in lines[1:]}
    has_schools = "schools" in subject.data
    has_range = {"low", "high"} <= set(subject.data.columns) and subject.data["low"].notna().any()
    unit = m.measure(code).unit
    for i, period in enumerate(periods):
        row: dict[str, Any] = {first_column: period.label}
        point = subject_rows[i]
        row[subject.name] = _cell(code, point)
        if has_range:
            span = _interval(point) if row[subject.name] not in ("c", "x", "z") else None
            row["Likely range"] = "" if span is None else (
                f"{numbers.format_number(span[0], unit)} to "
                f"{numbers.format_number(span[1], unit)}")
        row["Pupils"] = "" if point is None else numbers.pupils_text(point.get("pupils"))
        if has_schools:
            row["Schools"] = _schools_text(point)
        for name, points in others.items():
            row[name] = _cell(code, points[i])
        row["Notes"] = _row_note(code, period, point)
        rows.append(row)
    columns = [first_column, subject.name, *(["Likely range"] if has_range else []), "Pupils",
               *(["Schools"] if has_schools else []), *[line.name for line in lines[1:]],
               "Notes"]
    return pd.DataFrame(rows, columns=columns)


def _row_note(code: str, period: Period, point: dict[str, Any] | None) -> str:
    reason = gap_reason(code, period)
    if reason:
        return reason[0].upper() + reason[1:]
    if point is None:
        return "No figure uploaded"
    notes = []
    if not numbers.is_missing(point.get("value")) and numbers.is_small_group(point.get("pupils")):
        notes.append(f"Hidden: {small.hidden_rule()}")
    elif numbers.is_low_reliability(point.get("pupils")):
        notes.append(f"Few pupils ({small.low_rule()}): treat with care")
    if _partial(point):
        notes.append(f"Only {_schools_text(point)} schools so far: no headline from this")
    return "; ".join(notes)


def _notes(code: str, periods: list[Period], subject: Line, table: pd.DataFrame,
           weighted: bool) -> list[str]:
    notes = []
    gaps = [p for p in periods if gap_reason(code, p)]
    covid = [p.label for p in gaps if "COVID" in (gap_reason(code, p) or "")]
    if covid:
        notes.append(f"The lines stop at {wording.list_words(covid)}: there were no national "
                     "tests then (COVID-19).")
    other = [p for p in gaps if p.label not in covid]
    if other:
        reason = gap_reason(code, other[0]) or ""
        notes.append(f"The lines stop at {wording.list_words([p.label for p in other])}: "
                     f"{reason}.")
    years = [p.academic_year for p in periods if not gap_reason(code, p)]
    if years and m.not_comparable(code, min(years), max(years)):
        notes.append("Results from 2021/22 on cannot be compared with 2018/19 and before, so "
                     "compare years on the same side of the gap.")
    if weighted:
        notes.append("The schools' line counts every pupil once, so a bigger school counts "
                     "for more. A school with no figure for a year is left out that year.")
    if (table[subject.name] == numbers.SUPPRESSED).any():
        notes.append(small.hidden_note())
    if "Likely range" in table and (table["Likely range"] != "").any():
        notes.append("The short bars above and below each dot show how far the figure could "
                     "move by chance with different pupils: the true figure is very likely "
                     "(95%) inside them.")
    if table["Notes"].str.contains("Few pupils").any():
        notes.append(small.low_note() + " Its dot is drawn open.")
    if table["Notes"].str.contains("schools so far").any():
        notes.append("An open dot with 'schools so far' is a period not every school has sent "
                     "figures for yet: it is drawn, but no title or headline is taken from "
                     "it.")
    return notes


# --- from the analysis library -----------------------------------------------------------

def lines_from_trend(trend: Trend) -> list[Line]:
    """Lines to draw from an `impact.analysis.trends.Trend`: the subject first, then England,
    the local authority and any comparison groups. Hidden figures stay (no value, their pupil
    count), so the table shows `c`."""
    lines = [Line(line.name, _ROLES.get(line.kind, COMPARISON), line.data)
             for line in trend.lines]
    order = [SUBJECT, NATIONAL, LOCAL, COMPARISON]
    return sorted(lines, key=lambda line: order.index(line.role))
