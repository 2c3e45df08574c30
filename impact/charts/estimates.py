"""Each cohort against its comparison: one dot per cohort for its estimated effect, with the
likely range as a bar, and a line at "no difference".

Cohorts are listed in the order they started, never sorted by their effect: a table of a few
small cohorts ranked by a noisy number invites a league table the numbers cannot support.
Each row says in words what its estimate shows (the estimate's own `verdict`: clearly higher,
clearly lower, no clear difference, comparison in doubt, too uncertain, not enough data) and
how strong the evidence is, so colour and position are never the only signal. An estimate
too uncertain to say anything is listed but not drawn as a number. Built from typed
`Estimate`s; every sentence in the table is the estimate's own (`Estimate.words`).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from impact.analysis.estimate import Estimate
from impact.analysis.wording import metric_places, signed
from impact.charts import palette, wording
from impact.charts.base import Chart
from impact.domain import comparisons
from impact.reports.text import plotly_text


def _name(estimate: Estimate, several: bool = False) -> str:
    if several:
        return f"{estimate.partnership}: {estimate.cohort}"
    return str(estimate.cohort)


def _several(estimates: list[Estimate]) -> bool:
    return len({e.partnership for e in estimates}) > 1


def _drawn(e: Estimate) -> bool:
    """An estimate with a number worth drawing (not too uncertain to say)."""
    return e.effect is not None and not e.too_uncertain


def cohorts_figure(estimates: list[Estimate]) -> go.Figure:
    several = _several(estimates)
    names = [wording.wrap(plotly_text(_name(e, several)), 24) for e in estimates]
    figure = go.Figure()
    shown = [e for e in estimates if _drawn(e)]
    xs = [e.effect if _drawn(e) else None for e in estimates]
    plus = [e.high - e.effect if _drawn(e) and e.high is not None and e.effect is not None
            else None for e in estimates]
    minus = [e.effect - e.low if _drawn(e) and e.low is not None and e.effect is not None
             else None for e in estimates]
    symbols = ["circle" if e.clear else "circle-open" for e in estimates]
    hover = []
    for e in estimates:
        if not _drawn(e):
            hover.append(f"{plotly_text(_name(e, several))}: {e.verdict.lower()}")
            continue
        d = metric_places(e.measure)
        span = ("" if e.low is None or e.high is None else
                f" (likely {signed(e.low, d)} to {signed(e.high, d)})")
        hover.append(f"{plotly_text(_name(e, several))}: {signed(e.effect or 0.0, d)} "
                     f"points{span}")
    figure.add_trace(go.Scatter(
        x=xs, y=names, mode="markers", name="Estimate",
        marker={"symbol": symbols, "size": 16, "color": palette.DARK_BLUE,
                "line": {"color": palette.DARK_BLUE, "width": 2.5}},
        error_x={"type": "data", "symmetric": False, "array": plus, "arrayminus": minus,
                 "color": palette.DARK_BLUE, "thickness": 3, "width": 8},
        hovertext=hover, hoverinfo="text"))
    figure.add_vline(x=0, line={"color": palette.DARK_GREY, "width": 2, "dash": "dash"})
    values = [v for e in shown for v in (e.low, e.high, e.effect) if v is not None]
    reach = max([abs(v) for v in values] + [1.0]) * 1.1
    # Words under every row's bar, inside the plot: what the estimate shows and how strong the
    # evidence is. Inside, not in a margin to the right, so a phone's 390 px keeps its width
    # for the axis (a 250 px margin left the scale no room, and its numbers piled up).
    for e, name in zip(estimates, names, strict=True):
        figure.add_annotation(x=0.0, xref="paper", y=name, xanchor="left", yanchor="top",
                              yshift=-12,
                              text=f"{e.verdict}<br><span style='font-size:13px'>"
                                   f"evidence {e.evidence.padlocks} of 5</span>",
                              showarrow=False, align="left", bgcolor="rgba(255,255,255,0.85)",
                              font={"size": palette.LABEL_SIZE - 3, "color": palette.TEXT})
    figure.add_annotation(x=0, y=1, yref="paper", yanchor="bottom", showarrow=False,
                          text="No difference", font={"color": palette.DARK_GREY, "size": 15})
    figure.update_xaxes(range=[-reach, reach], zeroline=False,
                        title_text="Difference after joining (points)")
    figure.update_yaxes(type="category", categoryorder="array", categoryarray=names[::-1],
                        autorange=True, showgrid=False)
    palette.house_style(figure, height=max(320, 140 + 110 * len(estimates)))
    figure.update_layout(margin={"t": 40})
    return figure


def table(estimates: list[Estimate], focus: dict[str, str] | None = None) -> pd.DataFrame:
    rows = []
    several = _several(estimates)
    for e in estimates:
        w = e.words
        size = e.effect_size
        months = size.months if size is not None and e.clear else None
        rows.append({
            "Cohort": _name(e, several),
            "Focus": (focus or {}).get(_name(e, several), ""),
            "Schools": len(e.joining_schools),
            "Difference (points)": "" if e.effect is None else w.value.removesuffix(" points"),
            "Likely range": w.span if e.low is not None and not e.too_uncertain else "",
            "What it shows": e.verdict,
            "Effect size": "" if size is None or e.too_uncertain else
            f"{size.value:.2f}" + ("" if size.low is None or size.high is None else
                                   f" ({size.low:.2f} to {size.high:.2f})"),
            "Months' progress": "" if months is None else
            f"{months}" + ("" if size is None or size.months_low is None else
                           f" ({size.months_low} to {size.months_high})"),
            "Evidence (of 5)": e.evidence.padlocks,
            "Check of the years before": w.check,
            "In words": w.headline,
        })
    return pd.DataFrame(rows)


def cohorts_chart(estimates: list[Estimate], *, title: str, comparison: str, where: str,
                  focus: dict[str, str] | None = None,
                  file_name: str = "cohorts-estimates.csv") -> Chart:
    """Every cohort's estimate against the same comparison, in the order they started;
    `title` from `impact.analysis.wording.cohorts_title(estimates, comparison)`."""
    against = comparisons.phrase(comparison)
    sentence = (f"Each dot is how much more one cohort's results rose after joining than "
                f"those of {against}, in {where}; the bar is the likely range, and a bar that "
                "crosses the dashed line means no clear difference.")
    notes = ["Cohorts are in the order they started, not ranked: each is a few schools, and "
             "their estimates are too uncertain to put in order.",
             "Schools chose to join, so none of this comes from a randomised trial.",
             "An open dot is not a clear difference: its range crosses 0, or the schools were "
             "already moving differently before joining, or that could not be checked."]
    if any(e.too_uncertain for e in estimates):
        notes.append("A cohort marked too uncertain to say has a likely range wider than the "
                     "whole scale: it is listed, not drawn.")
    return Chart(title, sentence, cohorts_figure(estimates),
                 table(estimates, focus), tuple(notes), file_name)
