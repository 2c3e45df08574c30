"""The Cohorts page's numbers: who is in which cohort, since when, and an impact estimate
(`Estimate.as_dict()`) in words and tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from impact.domain import measures as m
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


# --- an impact estimate, in words and tables ---------------------------------------------------

def _signed(value: float, places: int) -> str:
    text = f"{value:+.{places}f}"
    return f"{0:.{places}f}" if float(text) == 0 else text.replace("-", "−")


def _whole(value: int) -> str:
    return str(value).replace("-", "−")


def effect_text(estimate: dict[str, Any]) -> tuple[str, str]:
    """('+6.9 points', 'likely between −1.0 and +14.8'), or ('Not enough data', reason)."""
    if estimate.get("effect") is None:
        return "Not enough data", str(estimate.get("reason") or "")
    found = m.BY_CODE.get(str(estimate.get("measure")))
    places = 2 if found is not None and found.unit == m.PROGRESS else 1
    value = f"{_signed(estimate['effect'], places)} points"
    if estimate.get("low") is None:
        return value, "too few schools to give a likely range"
    return value, (f"likely between {_signed(estimate['low'], places)} and "
                   f"{_signed(estimate['high'], places)}")


def effect_size_text(estimate: dict[str, Any]) -> tuple[str, str]:
    """('0.14', 'likely 0.02 to 0.30; about 2 months' progress (likely −1 to 4); not a
    randomised trial'): months always beside the effect size and its interval."""
    size = estimate.get("effect_size")
    if not size or size.get("value") is None:
        return "Not available", "There is no effect size without an estimate."
    value = _signed(size["value"], 2).lstrip("+")
    parts = []
    if size.get("low") is not None:
        parts.append(f"likely {_signed(size['low'], 2).lstrip('+')} to "
                     f"{_signed(size['high'], 2).lstrip('+')}")
    months = size.get("months")
    if months is not None:
        word = "month's" if abs(months) == 1 else "months'"
        text = f"about {_whole(months)} {word} progress"
        if size.get("months_low") is not None:
            text += (f" (likely {_whole(size['months_low'])} to "
                     f"{_whole(size['months_high'])})")
        parts.append(text)
    parts.append("from a design that is not randomised")
    return value, "; ".join(parts)


def joining_table(estimate: dict[str, Any]) -> pd.DataFrame:
    """The joining schools behind an estimate: when each joined, the first results counted as
    after joining, and how many years of results it has before and after."""
    rows = [{"School": s["name"], "URN": s["urn"], "Joined": long_date(s.get("joined_date")),
             "First results after joining": s.get("first_treated_year") or "",
             "Years of results before": s.get("years_before"),
             "Years of results after": s.get("years_after")}
            for s in estimate.get("joining_schools") or []]
    return pd.DataFrame(rows, columns=["School", "URN", "Joined", "First results after joining",
                                       "Years of results before", "Years of results after"])


def excluded_table(estimate: dict[str, Any]) -> pd.DataFrame:
    rows = [{"School": x.get("name"), "URN": x.get("urn"), "Why it was left out": x.get("reason")}
            for x in estimate.get("excluded") or []]
    return pd.DataFrame(rows, columns=["School", "URN", "Why it was left out"])


def comparison_sentence(estimate: dict[str, Any]) -> str:
    n = len(estimate.get("comparison_schools") or [])
    kind = estimate.get("comparison")
    if kind in ("national", "local_authority"):
        return (f"Compared with {estimate.get('comparison_label')}: each school's change is set "
                "against the change in that line over the same years.")
    return (f"Compared with {n} school{'s' if n != 1 else ''} ("
            f"{estimate.get('comparison_label')}), over the same years.")


def dip_sentence(estimate: dict[str, Any]) -> str | None:
    """A plain warning when the schools joined after a dip (regression to the mean)."""
    dip = estimate.get("regression_to_mean") or {}
    if not dip.get("flagged"):
        return None
    n, k = dip.get("schools", 0), dip.get("schools_dipped", 0)
    return (f"Take care: {k} of {n} schools had an unusually bad year just before they "
            "joined. Results usually bounce back after a bad year anyway, so some of any rise "
            "after joining may be that bounce-back, not the partnership.")
