"""The CPD page's table: participation and hours by term and activity."""

from __future__ import annotations

import pandas as pd

from impact.domain.academic_years import start_year, term_order


def by_term_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Newest term first: activity, schools, staff taking part and staff hours."""
    if frame.empty:
        return pd.DataFrame(columns=["Year", "Term", "Activity", "Schools", "Staff taking part",
                                     "Staff hours"])
    out = pd.DataFrame({
        "Year": frame["academic_year"],
        "Term": frame["term"],
        "Activity": frame["activity"],
        "Schools": frame["schools"].astype(int),
        "Staff taking part": frame["staff"].astype(int),
        "Staff hours": frame["staff_hours"].map(lambda v: "" if pd.isna(v) else round(float(v))),
    })
    key = [(-start_year(y), -term_order(t), a)
           for y, t, a in zip(out["Year"], out["Term"], out["Activity"], strict=True)]
    out = out.assign(_key=key).sort_values("_key").drop(columns="_key")
    return out.reset_index(drop=True)
