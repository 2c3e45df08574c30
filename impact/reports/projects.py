"""Improvement projects and suggested pairings, as tables and sentences for the Set up,
Schools and CPD pages. Blanks show as blank, dates as GOV.UK writes them."""

from __future__ import annotations

import pandas as pd

from impact.analysis.pairings import Pairing
from impact.charts import numbers
from impact.domain import measures as m
from impact.reports.dates import long_date


def text(value: object) -> str:
    """A stored value as text for a table cell; blank for nothing stored."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        if pd.isna(value):
            return ""
        if value.is_integer():
            return f"{int(value):,}"
    return str(value)


def _measure(code: object) -> str:
    return m.measure(code).short if isinstance(code, str) and code in m.BY_CODE else text(code)


def projects_table(projects: pd.DataFrame) -> pd.DataFrame:
    """`queries/projects.sql` for people: what, where, who, when, how far."""
    columns = ["Host school", "Project", "Area of need", "Lead colleague", "Lead's school",
               "Started", "Ended", "Status", "Measure to watch", "Findings", "Action plan",
               "Presented on"]
    if projects.empty:
        return pd.DataFrame(columns=columns)
    return pd.DataFrame({
        "Host school": projects["host_name"].map(text),
        "Project": projects["project"].map(text),
        "Area of need": projects["area"].map(text),
        "Lead colleague": projects["lead_name"].map(text),
        "Lead's school": projects["lead_school"].map(text),
        "Started": projects["start_date"].map(long_date),
        "Ended": projects["end_date"].map(long_date),
        "Status": projects["status"].map(text),
        "Measure to watch": projects["measure"].map(_measure),
        "Findings": projects["findings"].map(text),
        "Action plan": projects["action_plan"].map(text),
        "Presented on": projects["presented_date"].map(long_date),
    }, columns=columns).reset_index(drop=True)



def pairings_table(pairings: list[Pairing]) -> pd.DataFrame:
    """One row per need: the school, the measure and year, its figure with its likely range,
    the two benchmarks, and the partner schools clearly strong there."""
    columns = ["School", "Needs support in", "Year", "Its figure", "Likely range",
               "Partners", "Similar schools", "Partner schools clearly strong here"]
    rows = []
    for p in pairings:
        unit = m.measure(p.measure).unit
        rows.append({
            "School": p.need.name, "Needs support in": p.measure_short,
            "Year": p.academic_year,
            "Its figure": numbers.format_number(p.need.value, unit),
            "Likely range": f"{numbers.format_number(p.need.low, unit)} to "
                            f"{numbers.format_number(p.need.high, unit)}",
            "Partners": numbers.format_number(p.partners_mean, unit),
            "Similar schools": "" if p.similar_mean is None else
            f"{numbers.format_number(p.similar_mean, unit)} ({p.similar_schools} schools)",
            "Partner schools clearly strong here": ", ".join(
                f"{s.name} ({numbers.format_number(s.value, unit)})" for s in p.strong)
            or "None clearly strong: look beyond the partnership"})
    return pd.DataFrame(rows, columns=columns)
