"""Each cohort against its comparison: one dot per cohort for its estimated effect, with the
likely range as a bar, and a line at "no difference".

Cohorts are listed in the order they started, never sorted by their effect: a table of a few
small cohorts ranked by a noisy number invites a league table the numbers cannot support.
Each row says in words what the bar shows (clearly higher, clearly lower, no clear difference,
not enough data) and how strong the evidence is, so colour and position are never the only
signal. Built from `Estimate.as_dict()`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from impact.charts import palette, wording
from impact.charts.base import Chart
from impact.charts.event_study import comparison_short, signed
from impact.domain import measures as m
from impact.reports.text import plotly_text

HIGHER, LOWER, UNCLEAR, NO_DATA, NO_RANGE = ("Clearly rose more", "Clearly fell behind",
                                             "No clear difference", "Not enough data",
                                             "Too few schools to tell")


def verdict(estimate: dict[str, Any]) -> str:
    """What the estimate's interval says, in words."""
    if estimate.get("effect") is None:
        return NO_DATA
    low, high = estimate.get("low"), estimate.get("high")
    if low is None or high is None:
        return NO_RANGE
    if low > 0:
        return HIGHER
    if high < 0:
        return LOWER
    return UNCLEAR


def _decimals(estimate: dict[str, Any]) -> int:
    found = m.BY_CODE.get(str(estimate.get("measure")))
    return 2 if found is not None and found.unit == m.PROGRESS else 1


def _name(estimate: dict[str, Any], several: bool = False) -> str:
    if several:
        return f"{estimate['partnership']}: {estimate['cohort']}"
    return str(estimate["cohort"])


def _several(estimates: list[dict[str, Any]]) -> bool:
    return len({e.get("partnership") for e in estimates}) > 1


def cohorts_figure(estimates: list[dict[str, Any]]) -> go.Figure:
    several = _several(estimates)
    names = [wording.wrap(plotly_text(_name(e, several)), 24) for e in estimates]
    figure = go.Figure()
    shown = [e for e in estimates if e.get("effect") is not None]
    xs = [e["effect"] if e.get("effect") is not None else None for e in estimates]
    plus = [None if e.get("high") is None or e.get("effect") is None else e["high"] - e["effect"]
            for e in estimates]
    minus = [None if e.get("low") is None or e.get("effect") is None else e["effect"] - e["low"]
             for e in estimates]
    symbols = ["circle" if verdict(e) in (HIGHER, LOWER) else "circle-open" for e in estimates]
    hover = []
    for e in estimates:
        if e.get("effect") is None:
            hover.append(f"{plotly_text(_name(e, several))}: not enough data")
            continue
        d = _decimals(e)
        span = ("" if e.get("low") is None else
                f" (likely {signed(e['low'], d)} to {signed(e['high'], d)})")
        hover.append(f"{plotly_text(_name(e, several))}: {signed(e['effect'], d)} points{span}")
    figure.add_trace(go.Scatter(
        x=xs, y=names, mode="markers", name="Estimate",
        marker={"symbol": symbols, "size": 16, "color": palette.DARK_BLUE,
                "line": {"color": palette.DARK_BLUE, "width": 2.5}},
        error_x={"type": "data", "symmetric": False, "array": plus, "arrayminus": minus,
                 "color": palette.DARK_BLUE, "thickness": 3, "width": 8},
        hovertext=hover, hoverinfo="text"))
    figure.add_vline(x=0, line={"color": palette.DARK_GREY, "width": 2, "dash": "dash"})
    values = [v for e in shown for v in (e.get("low"), e.get("high"), e.get("effect"))
              if v is not None]
    reach = max([abs(v) for v in values] + [1.0]) * 1.1
    # Words beside every row: what the bar shows and how strong the evidence is.
    for e, name in zip(estimates, names, strict=True):
        padlocks = (e.get("evidence") or {}).get("padlocks", 0)
        figure.add_annotation(x=1.0, xref="paper", y=name, xanchor="left", xshift=12,
                              text=f"{verdict(e)}<br><span style='font-size:14px'>"
                                   f"evidence {padlocks} of 5</span>",
                              showarrow=False, align="left",
                              font={"size": palette.LABEL_SIZE - 2, "color": palette.TEXT})
    figure.add_annotation(x=0, y=1, yref="paper", yanchor="bottom", showarrow=False,
                          text="No difference", font={"color": palette.DARK_GREY, "size": 15})
    figure.update_xaxes(range=[-reach, reach], zeroline=False,
                        title_text="Difference after joining (points)")
    figure.update_yaxes(type="category", categoryorder="array", categoryarray=names[::-1],
                        autorange=True, showgrid=False)
    palette.house_style(figure, height=max(300, 120 + 80 * len(estimates)), right_margin=230)
    figure.update_layout(margin={"t": 40})
    return figure


def title(estimates: list[dict[str, Any]], comparison: str) -> str:
    against = comparison_short(comparison)
    verdicts = [verdict(e) for e in estimates]
    rose, fell = verdicts.count(HIGHER), verdicts.count(LOWER)
    total = len([v for v in verdicts if v != NO_DATA])
    if total == 0:
        return "Not enough data to compare any cohort yet"
    if rose == fell == 0:
        return wording.first_fitting([f"No cohort clearly different from {against}",
                                      "No cohort clearly different from its comparison"])
    parts = []
    if rose:
        parts.append(f"{rose} of {total} cohorts rose more than {against}")
    if fell:
        parts.append(f"{fell} of {total} fell behind")
    return wording.first_fitting(["; ".join(parts), parts[0],
                                  f"{rose} rose more, {fell} fell behind"])


def table(estimates: list[dict[str, Any]], focus: dict[str, str] | None = None
          ) -> pd.DataFrame:
    rows = []
    several = _several(estimates)
    for e in estimates:
        d = _decimals(e)
        size = e.get("effect_size") or {}
        months = size.get("months")
        rows.append({
            "Cohort": _name(e, several),
            "Focus": (focus or {}).get(_name(e, several), ""),
            "Schools": len(e.get("joining_schools") or []),
            "Difference (points)": "" if e.get("effect") is None else signed(e["effect"], d),
            "Likely range": "" if e.get("low") is None else
            f"{signed(e['low'], d)} to {signed(e['high'], d)}",
            "What it shows": verdict(e),
            "Effect size": "" if size.get("value") is None else
            f"{size['value']:.2f}" + ("" if size.get("low") is None else
                                      f" ({size['low']:.2f} to {size['high']:.2f})"),
            "Months' progress": "" if months is None else
            f"{months}" + ("" if size.get("months_low") is None else
                           f" ({size['months_low']} to {size['months_high']})"),
            "Evidence (of 5)": (e.get("evidence") or {}).get("padlocks", 0),
            "In words": e.get("sentence", ""),
        })
    return pd.DataFrame(rows)


def cohorts_chart(estimates: list[dict[str, Any]], *, comparison: str, where: str,
                  focus: dict[str, str] | None = None,
                  file_name: str = "cohorts-estimates.csv") -> Chart:
    """Every cohort's estimate against the same comparison, in the order they started."""
    against = estimates[0].get("comparison_label") if estimates else comparison_short(
        comparison)
    sentence = (f"Each dot is how much more one cohort's results rose after joining than "
                f"{against}'s did, in {where}; the bar is the likely range, and a bar that "
                "crosses the dashed line means no clear difference.")
    notes = ("Cohorts are in the order they started, not ranked: each is a few schools, and "
             "their estimates are too uncertain to put in order.",
             "Schools chose to join, so none of this comes from a randomised trial.")
    return Chart(title(estimates, comparison), sentence, cohorts_figure(estimates),
                 table(estimates, focus), notes, file_name)
