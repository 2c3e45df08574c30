"""The Cohorts page's numbers: who is in which cohort, since when (and until when), and an
impact estimate (`Estimate`) as tables. Every sentence about the estimate is its own
(`Estimate.words`, made by `impact.analysis.wording`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from impact.analysis.estimate import Estimate
from impact.reports.dates import long_date


@dataclass(frozen=True)
class PartnershipSummary:
    headline: str
    sentence: str
    cohorts: int
    schools_now: int
    schools_ever: int


def _still_in(left: pd.Series, today: dt.date) -> pd.Series:
    dates = pd.to_datetime(left)
    return dates.isna() | (dates > pd.Timestamp(today))


def partnership_summary(cohorts: pd.DataFrame, members: pd.DataFrame, partnership: str | None,
                        today: dt.date | None = None) -> PartnershipSummary:
    """Counts for the headline: a school in two cohorts is one school."""
    today = today or dt.date.today()
    now = members[_still_in(members["left_date"], today)]["urn"].nunique()
    ever = members["urn"].nunique()
    count = len(cohorts)
    name = partnership or "All partnerships"
    headline = (f"{name}: {now} school{'s' if now != 1 else ''} in {count} "
                f"cohort{'s' if count != 1 else ''}")
    sentence = ("Each cohort is a group of schools working on one focus together. A school "
                "can be in more than one cohort; schools that have left are listed with the "
                "date they left.")
    return PartnershipSummary(headline, sentence, count, int(now), int(ever))


def cohorts_table(cohorts: pd.DataFrame) -> pd.DataFrame:
    """One row per cohort: focus, start date, schools now and ever."""
    several = cohorts["partnership"].nunique() > 1
    out = pd.DataFrame({
        **({"Partnership": cohorts["partnership"]} if several else {}),
        "Cohort": cohorts["cohort"],
        "Focus": cohorts["focus"].fillna(""),
        "Started": cohorts["start_date"].map(long_date),
        "Schools now": cohorts["schools_now"].astype(int),
        "Schools ever": cohorts["schools_ever"].astype(int),
    })
    return out.reset_index(drop=True)


def members_tables(members: pd.DataFrame, today: dt.date | None = None
                   ) -> list[tuple[str, pd.DataFrame]]:
    """Per cohort, its schools with the dates they joined and left."""
    today = today or dt.date.today()
    several = members["partnership"].nunique() > 1
    tables = []
    for (partnership, cohort), rows in members.groupby(["partnership", "cohort"], sort=False):
        still = _still_in(rows["left_date"], today)
        table = pd.DataFrame({
            "School": rows["name"].fillna("").to_numpy(),
            "URN": rows["urn"].astype(int).to_numpy(),
            "Joined": rows["joined_date"].map(long_date).to_numpy(),
            "Left": [("Still in" if s else long_date(d))
                     for s, d in zip(still, rows["left_date"], strict=True)],
        })
        title = f"{cohort} ({partnership})" if several else str(cohort)
        tables.append((title, table))
    return tables


# --- an impact estimate, as tables -------------------------------------------------------------

def joining_table(estimate: Estimate) -> pd.DataFrame:
    """The joining schools behind an estimate: when each joined (and left), the first and
    last results counted as in the cohort, and how many years of results each contributes
    before and after joining."""
    rows = [{"School": s.name, "URN": s.urn, "Joined": long_date(s.joined_date),
             "Left": long_date(s.left_date) if s.left_date else "Still in",
             "First results after joining": s.first_treated_year or "",
             "Last results in the cohort": s.last_treated_year or "",
             "Years of results before": s.years_before,
             "Years of results after": s.years_after}
            for s in estimate.joining_schools]
    return pd.DataFrame(rows, columns=["School", "URN", "Joined", "Left",
                                       "First results after joining",
                                       "Last results in the cohort",
                                       "Years of results before", "Years of results after"])


def excluded_table(estimate: Estimate) -> pd.DataFrame:
    rows = [{"School": x.name, "URN": x.urn, "Why it was left out": x.reason}
            for x in estimate.excluded]
    return pd.DataFrame(rows, columns=["School", "URN", "Why it was left out"])


def dropped_table(estimate: Estimate) -> pd.DataFrame:
    """Years after joining that no figure could use, and why (never dropped silently)."""
    rows = [{"Schools first in from": x.first_treated_year, "Year left out": x.academic_year,
             "Why": x.reason} for x in estimate.dropped]
    return pd.DataFrame(rows, columns=["Schools first in from", "Year left out", "Why"])
