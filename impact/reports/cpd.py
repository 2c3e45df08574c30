"""The CPD page's tables: participation and hours by term, activity and cohort; staff
self-assessment before and after; each school's CPD beside the change in its results.

The last two carry small statistics (a mean rise with its t interval, a correlation with its
Fisher interval) that are presentational summaries of what the page shows; the impact
estimates themselves live in `impact.analysis`.
"""

from __future__ import annotations

import math

import pandas as pd

from impact.analysis.paired import mean_change
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


# --- CPD by cohort, self-assessment, and CPD beside results ----------------------------------

def by_cohort_table(frame: pd.DataFrame) -> pd.DataFrame:
    """`queries/cpd_by_cohort.sql`: one row per cohort and year, newest year first."""
    columns = ["Cohort", "Year", "Schools", "Staff taking part", "Staff hours"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    out = pd.DataFrame({
        "Cohort": frame["cohort"], "Year": frame["academic_year"],
        "Schools": frame["schools"].astype(int),
        "Staff taking part": frame["staff"].astype(int),
        "Staff hours": frame["staff_hours"].map(lambda v: "" if pd.isna(v) else round(float(v))),
    })
    out["_y"] = -out["Year"].map(start_year)
    return out.sort_values(["Cohort", "_y"]).drop(columns="_y").reset_index(drop=True)


def by_activity_table(records: pd.DataFrame) -> pd.DataFrame:
    """Activities down, academic years across: staff hours (blank where none recorded)."""
    if records.empty:
        return pd.DataFrame(columns=["Activity"])
    wide = records.pivot_table(index="activity", columns="academic_year", values="staff_hours",
                               aggfunc="sum")
    years = sorted(wide.columns, key=start_year)
    wide = wide[years].round(0)
    out = wide.reset_index().rename(columns={"activity": "Activity"})
    out.columns.name = None
    for year in years:
        out[year] = out[year].map(lambda v: "" if pd.isna(v) else f"{v:,.0f}")
    return out


def self_assessment(records: pd.DataFrame) -> pd.DataFrame:
    """Per activity: records with a rating before and after, the average of each, the mean
    rise and its t 95% interval (blank under two records). Smallest rise first."""

    columns = ["activity", "records", "before", "after", "change", "low", "high"]
    pairs = records.dropna(subset=["self_assessment_before", "self_assessment_after"])
    rows = []
    for activity, group in pairs.groupby("activity"):
        change = mean_change(group["self_assessment_before"], group["self_assessment_after"])
        rows.append({"activity": activity, "records": len(group),
                     "before": float(group["self_assessment_before"].mean()),
                     "after": float(group["self_assessment_after"].mean()),
                     "change": float((group["self_assessment_after"]
                                      - group["self_assessment_before"]).mean()),
                     "low": change[1] if change else float("nan"),
                     "high": change[2] if change else float("nan")})
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values("change", kind="stable").reset_index(drop=True)


def cpd_and_results(records: pd.DataFrame, changes: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Per school: average staff hours of CPD a year since it joined, beside the change in its
    results from before joining to after (`impact.analysis.before_after` rows, one per school;
    the cohort total rows are left out). `shown` is False for a change about 5 pupils or fewer.
    """
    from impact.analysis import suppression
    from impact.charts import numbers

    columns = ["urn", "school", "hours_per_year", "change", "pupils", "shown", "before_text",
               "after_text", "change_text"]
    schools = changes.dropna(subset=["urn"]).drop_duplicates("urn") if not changes.empty \
        else changes
    rows = []
    for r in schools.itertuples():
        own = records[records["urn"] == int(r.urn)]
        if r.first_treated_year:
            own = own[own["academic_year"].map(start_year) >= start_year(r.first_treated_year)]
        yearly = own.groupby("academic_year")["staff_hours"].sum(min_count=1).dropna()
        hours = float(yearly.mean()) if len(yearly) else float("nan")
        pupils = min(v for v in (r.pupils_before, r.pupils_after)) \
            if not (pd.isna(r.pupils_before) or pd.isna(r.pupils_after)) else float("nan")
        hidden = suppression.reliability(None if pd.isna(pupils) else pupils) == \
            suppression.HIDDEN or pd.isna(r.change)
        places = numbers.decimals(unit)
        secret = hidden and not pd.isna(r.change)
        before, after = (("c" if secret else "x" if pd.isna(v) else
                          numbers.format_number(v, unit)) for v in (r.mean_before, r.mean_after))
        change = ("c" if secret else "x" if pd.isna(r.change) else
                  f"{r.change:+.{places}f}".replace("-", "−"))
        rows.append({"urn": int(r.urn), "school": str(r.name), "hours_per_year": hours,
                     "change": r.change, "pupils": pupils,
                     "shown": not hidden and not math.isnan(hours),
                     "before_text": before, "after_text": after, "change_text": change})
    return pd.DataFrame(rows, columns=columns)
