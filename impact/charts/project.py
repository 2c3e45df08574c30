"""An improvement project's chart: the host school's results lined up on the project's start,
against its comparison schools, with the likely range and a line where the project began.

Built from `impact.analysis.projects.ProjectLine`, read by attribute. Honest by construction:
the host's figures carry their likely range (Wilson) as bars; hidden figures (5 pupils or
fewer) are gaps, never 0; the comparison is drawn dashed in its own colour, with a different
marker, and both lines are labelled directly; the title says only what the change's likely
range allows (`impact.analysis.wording.project_title`, given to the chart).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from impact.analysis.projects import ProjectLine
from impact.charts import numbers, palette, wording
from impact.charts.base import Chart
from impact.charts.event_study import signed
from impact.domain import measures as m
from impact.reports.text import plotly_text

START_X = -0.5  # between the last period before the project and the first after it


def period_label(event_time: int, unit: str) -> str:
    """'2 terms before', '1st term after start' …"""
    if event_time < 0:
        n = -event_time
        return f"{n} {unit}{'s' if n != 1 else ''} before"
    n = event_time + 1
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(n if n < 20 else n % 10, "th")
    return f"{n}{suffix} {unit} from start"


def project_chart(line: ProjectLine, *, title: str, before: int = 6, after: int = 6,
                  file_name: str | None = None) -> Chart:
    """The host's and the comparison's figures from `before` periods before the project to
    `after` periods after it."""
    unit = m.measure(line.measure).unit
    shown = [p for p in line.points if -before <= p.event_time < after]
    xs = [p.event_time for p in shown]
    labels = [period_label(e, line.unit) for e in xs]
    figure = go.Figure()
    host_y = [p.host for p in shown]
    error = None
    if line.is_percent:
        error = {"type": "data", "symmetric": False, "color": palette.DARK_BLUE,
                 "thickness": 1.5, "width": 4,
                 "array": [None if p.host is None or p.host_high is None else p.host_high - p.host
                           for p in shown],
                 "arrayminus": [None if p.host is None or p.host_low is None
                                else p.host - p.host_low for p in shown]}
    figure.add_trace(go.Scatter(
        x=xs, y=host_y, mode="lines+markers", name=plotly_text(line.host),
        connectgaps=False,
        line={"color": palette.DARK_BLUE, "width": 3},
        marker={"symbol": "circle", "size": 9, "color": palette.DARK_BLUE}, error_y=error,
        hovertext=[plotly_text(f"{line.host}, {p.period}: {p.host_display}") for p in shown],
        hoverinfo="text"))
    comparison_y = [p.comparison for p in shown]
    figure.add_trace(go.Scatter(
        x=xs, y=comparison_y, mode="lines+markers",
        name=line.comparison_label.capitalize(),
        connectgaps=False, line={"color": palette.COMPARISON_COLOUR, "width": 2.5,
                                  "dash": "dashdot"},
        marker={"symbol": "triangle-up", "size": 8, "color": palette.COMPARISON_COLOUR},
        hovertext=[f"{line.comparison_label.capitalize()}, {p.period}: "
                   + ("no figure" if p.comparison is None
                      else numbers.format_number(p.comparison, unit)) for p in shown],
        hoverinfo="text"))
    figure.add_vline(x=START_X, line={"color": palette.DARK_GREY, "width": 2, "dash": "dot"})
    figure.add_annotation(x=START_X, y=1, yref="paper", yanchor="bottom", text="Project began",
                          showarrow=False, xanchor="left", font={"size": palette.LABEL_SIZE - 2})
    # The host and its comparison are named in the legend beneath (it wraps on a phone); a
    # name beside each line's end needed a right margin a phone has no room for.
    axis = {"tickmode": "array", "tickvals": xs, "ticktext": labels, "tickfont": {"size": 15}}
    y_axis = {"title": {"text": wording.wrap(m.measure(line.measure).short, 22)}}
    if line.is_percent:
        y_axis |= palette.percent_axis()
    figure.update_layout(template=palette.HOUSE_TEMPLATE, xaxis=axis, yaxis=y_axis,
                         margin={"t": 40, "r": 30}, height=520)
    palette.legend_below(figure)
    table = pd.DataFrame({
        "Period": [p.period for p in shown],
        "Since the project": labels,
        line.host: [p.host_display for p in shown],
        "Likely range": ["" if p.host_low is None else
                         f"{numbers.format_number(p.host_low, unit)} to "
                         f"{numbers.format_number(p.host_high, unit)}" for p in shown],
        "Pupils": ["" if p.host_pupils is None else f"{int(p.host_pupils)}" for p in shown],
        line.comparison_label.capitalize(): ["" if p.comparison is None else
                                             numbers.format_number(p.comparison, unit)
                                             for p in shown],
        "Gap": ["" if p.gap is None else signed(p.gap, 1) for p in shown],
    })
    return Chart(title, line.sentence, figure, table,
                 notes=(line.caveat, *line.notes),
                 file_name=file_name or f"project-{line.urn}-{line.measure}.csv")
