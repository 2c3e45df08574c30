"""The Schools page's tables: one school's details, memberships and results over time."""

from __future__ import annotations

import pandas as pd

from impact.charts import numbers
from impact.domain import measures as m
from impact.domain.academic_years import term_order
from impact.reports.dates import long_date


def details_table(details: pd.DataFrame) -> pd.DataFrame:
    """The school's details as two columns, What and Detail, leaving out blanks."""
    if details.empty:
        return pd.DataFrame(columns=["What", "Detail"])
    row = details.iloc[0]
    pairs = [("URN", str(int(row["urn"]))), ("Phase", row["phase"]),
             ("Type", row["school_type"]), ("Local authority", row["local_authority"]),
             ("Pupils on roll", row["pupils"]), ("Capacity", row["capacity"])]
    shown = [(k, f"{int(v):,}" if isinstance(v, (int, float)) and k != "URN" else str(v))
             for k, v in pairs if v is not None and not (isinstance(v, float) and pd.isna(v))]
    return pd.DataFrame(shown, columns=["What", "Detail"])


def memberships_table(memberships: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Partnership": memberships["partnership"],
        "Cohort": memberships["cohort"],
        "Focus": memberships["focus"].fillna(""),
        "Joined": memberships["joined_date"].map(long_date),
        "Left": memberships["left_date"].map(lambda d: long_date(d) or "Still in"),
    }).reset_index(drop=True)


def attainment_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Years (and terms) down, measures across; c for a hidden figure, never 0.

    Each cell says the figure and, beside it, how many pupils it is about.
    """
    if rows.empty:
        return pd.DataFrame(columns=["Year", "Term"])
    order = {x.code: i for i, x in enumerate(m.MEASURES)}
    cells = []
    for r in rows.itertuples(index=False):
        measure = m.BY_CODE.get(r.measure)
        if measure is None:
            continue
        text = numbers.shown(r.value, r.value_note, r.pupils, measure.unit)
        if not numbers.is_missing(r.value) and text != numbers.SUPPRESSED \
                and not numbers.is_missing(r.pupils):
            text = f"{text} ({int(r.pupils)})"
        cells.append({"Year": r.academic_year, "Term": r.term, "measure": r.measure,
                      "text": text})
    frame = pd.DataFrame(cells)
    wide = frame.pivot_table(index=["Year", "Term"], columns="measure", values="text",
                             aggfunc="first")
    measures = sorted(wide.columns, key=lambda c: order.get(c, len(order)))
    wide = wide[measures].rename(columns={c: m.measure(c).short for c in measures})
    wide = wide.reset_index()
    wide["_order"] = [(y, term_order(t)) for y, t in zip(wide["Year"], wide["Term"], strict=True)]
    wide = wide.sort_values("_order").drop(columns="_order")
    wide.columns.name = None
    return wide.fillna("").reset_index(drop=True)
