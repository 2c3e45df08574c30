"""Headline tiles: a few key measures at a glance, each its latest figure with its likely
range, England's figure the same year, and a small line of the years before.

A tile says "above England" only when the likely range (Wilson 95%, from the pupils behind the
figure) sits wholly above England's figure, "below" only when wholly below; otherwise "close to
England". So a board is never told a partnership beat England on the strength of a few pupils.
The small lines follow the same rules as every trend chart: gaps where there were no tests,
hidden figures not drawn, a zero baseline for percentages.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from impact.charts import numbers, palette, trend, wording
from impact.charts.base import Chart
from impact.domain import measures as m

ABOVE, BELOW, CLOSE, NO_ENGLAND, NO_FIGURE = ("Above England", "Below England",
                                              "Close to England", "No England figure",
                                              "No figure yet")
# Measures a headline tile may show, most telling first (each has a likely range).
HEADLINE_ORDER = ("ks2_rwm_exp", "phonics_y1", "eyfs_gld", "ks4_basics_94", "ks2_rwm_high",
                  "ks4_basics_95", "ks1_rwm_exp", "ta_reading", "ta_writing", "ta_maths")


@dataclass(frozen=True)
class Tile:
    code: str
    period: str | None  # the latest period with a figure
    value: float | None
    low: float | None
    high: float | None
    pupils: float | None
    england: float | None
    first_period: str | None  # the start of the latest comparable stretch
    change: float | None
    england_change: float | None
    verdict: str
    labels: tuple[str, ...]
    values: tuple[float | None, ...]
    england_values: tuple[float | None, ...]

    @property
    def name(self) -> str:
        return wording.short_name(self.code)


def _number(value: object) -> float | None:
    return None if numbers.is_missing(value) else float(value)  # type: ignore[arg-type]


def tile(code: str, lines: list[trend.Line]) -> Tile:
    """One tile from a subject line and (if there is one) England's, as `trend` draws them."""
    if not lines or lines[0].role != trend.SUBJECT:
        raise ValueError("the first line must be the subject line")
    periods = trend.axis(code, lines)
    labels = tuple(p.label for p in periods)
    subject = trend.plotted_values(code, lines[0], periods)
    rows = trend.point_rows(code, lines[0], periods)
    national = next((ln for ln in lines if ln.role == trend.NATIONAL), None)
    england = (trend.plotted_values(code, national, periods) if national
               else [None] * len(periods))
    era = trend.eras(code, periods)
    shown = [i for i, v in enumerate(subject) if v is not None]
    if not shown:
        return Tile(code, None, None, None, None, None, None, None, None, None, NO_FIGURE,
                    labels, tuple(subject), tuple(england))
    last = shown[-1]
    first = next(i for i in shown if era[i] == era[last])
    row = rows[last] or {}
    low, high = _number(row.get("low")), _number(row.get("high"))
    value = subject[last]
    theirs = england[last]
    if theirs is None:
        verdict = NO_ENGLAND
    elif low is not None and high is not None and low > theirs:
        verdict = ABOVE
    elif low is not None and high is not None and high < theirs:
        verdict = BELOW
    else:
        verdict = CLOSE
    change = value - subject[first] if first < last else None
    england_change = (england[last] - england[first]
                      if first < last and england[first] is not None and theirs is not None
                      else None)
    return Tile(code, labels[last], value, low, high, _number(row.get("pupils")), theirs,
                labels[first] if first < last else None, change, england_change, verdict,
                labels, tuple(subject), tuple(england))


def _format(code: str, value: float | None) -> str:
    return "" if value is None else numbers.format_number(value, m.measure(code).unit)


def _change(code: str, value: float | None) -> str:
    if value is None:
        return ""
    places = numbers.decimals(m.measure(code).unit)
    text = f"{value:+.{places}f}"
    return ("0" if float(text) == 0 else text.replace("-", "−")) + " points"


def tiles_figure(tiles: list[Tile]) -> go.Figure:
    count = max(len(tiles), 1)
    figure = make_subplots(rows=1, cols=count, horizontal_spacing=0.07)
    for i, t in enumerate(tiles, start=1):
        colours = palette.TWO_SERIES
        figure.add_trace(go.Scatter(
            x=list(t.labels), y=list(t.england_values), mode="lines", connectgaps=False,
            name="England", line={"color": colours[1], "width": 2.5, "dash": "dash"},
            hovertext=[f"England {lab}: {_format(t.code, v)}" for lab, v in
                       zip(t.labels, t.england_values, strict=True)],
            hoverinfo="text", showlegend=False), row=1, col=i)
        figure.add_trace(go.Scatter(
            x=list(t.labels), y=list(t.values), mode="lines+markers", connectgaps=False,
            name=t.name, line={"color": colours[0], "width": 3.5},
            marker={"size": 7, "color": colours[0]},
            hovertext=[f"{lab}: {_format(t.code, v) or 'no figure'}" for lab, v in
                       zip(t.labels, t.values, strict=True)],
            hoverinfo="text", showlegend=False), row=1, col=i)
        axis = "" if i == 1 else str(i)
        figure.update_yaxes(domain=[0.0, 0.46], row=1, col=i, showticklabels=False,
                            showgrid=False, zeroline=False,
                            **({"range": [0, 100]} if m.measure(t.code).is_percent else {}))
        ends = [t.labels[0], t.labels[-1]] if t.labels else []
        figure.update_xaxes(type="category", row=1, col=i, tickvals=ends, ticktext=ends,
                            tickfont={"size": 13}, showgrid=False)
        domain = f"x{axis} domain"
        lines = [(0.99, f"<b>{wording.wrap(t.name, 22)}</b>", 18, palette.TEXT)]
        if t.value is None:
            lines.append((0.80, "No figure yet", 22, palette.AXIS_GREY))
        else:
            lines.append((0.83, f"<b>{_format(t.code, t.value)}</b>"
                                f"<span style='font-size:15px'>  in {t.period}</span>",
                          40, palette.DARK_BLUE))
            if t.low is not None:
                lines.append((0.69, f"likely {_format(t.code, t.low)} to "
                                    f"{_format(t.code, t.high)}", 15, palette.TEXT))
            england = ("" if t.england is None else
                       f" ({_format(t.code, t.england)})")
            lines.append((0.59, f"<b>{t.verdict}</b>{england}", 16, palette.TEXT))
        for y, text, size, colour in lines:
            figure.add_annotation(x=0, xref=domain, y=y, yref="paper", xanchor="left",
                                  yanchor="top", text=text, showarrow=False, align="left",
                                  font={"size": size, "color": colour})
    palette.house_style(figure, height=430)
    figure.update_layout(margin={"l": 20, "r": 20, "t": 20, "b": 40})
    return figure


def title(tiles: list[Tile]) -> str:
    verdicts = [t.verdict for t in tiles if t.verdict in (ABOVE, BELOW, CLOSE)]
    if not verdicts:
        return "No figures to compare with England yet"
    above, below, close = (verdicts.count(v) for v in (ABOVE, BELOW, CLOSE))
    if close == len(verdicts):
        return wording.first_fitting(["Latest results close to England on every measure",
                                      "Close to England on every measure"])
    parts = [f"{n} {word}" for n, word in ((above, "above England"), (below, "below"),
                                            (close, "close")) if n]
    return wording.first_fitting([f"Latest results: {', '.join(parts)}",
                                  ", ".join(parts)])


def table(tiles: list[Tile], subject: str) -> pd.DataFrame:
    rows = []
    for t in tiles:
        rows.append({
            "Measure": m.measure(t.code).short,
            "Latest": t.period or "",
            subject: _format(t.code, t.value) or "x",
            "Likely range": "" if t.low is None else
            f"{_format(t.code, t.low)} to {_format(t.code, t.high)}",
            "Pupils": numbers.pupils_text(t.pupils),
            "England": _format(t.code, t.england) or "x",
            "Compared with England": t.verdict,
            "Change since": t.first_period or "",
            "Change": _change(t.code, t.change),
            "England's change": _change(t.code, t.england_change),
        })
    return pd.DataFrame(rows)


def tiles_chart(tiles: list[Tile], *, subject: str, subject_phrase: str,
                file_name: str = "headline-measures.csv") -> Chart:
    """The tiles as one figure, with an active title, a sentence, the table and notes."""
    sentence = (f"Each box shows the latest figure for {subject_phrase}, how sure we can be of "
                "it, and England's figure that year; the small solid line is the years "
                "before and the dashed line is England.")
    notes = ("Above or below England means the likely range does not include England's "
             "figure; close to England means it does, so the difference could be chance.",
             "Likely range: with different pupils the figure would move a little by chance; "
             "the true figure is very likely (95%) inside this range.")
    return Chart(title(tiles), sentence, tiles_figure(tiles), table(tiles, subject), notes,
                 file_name)
