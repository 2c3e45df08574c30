"""Which schools have not sent this term's return: the list a data manager chases.

"This term" follows today's date (`impact.domain.academic_years`: Autumn is September to
December, Spring January to March, Summer April to August). A *return* is any attainment or
CPD row for that school for that academic year and term.

Schools that have only ever sent yearly (statutory, Summer) results are not chased every term:
their results come once a year, after the summer, so for them we look for last year's summer
results instead, and list them separately. A school that has sent nothing at all is chased
like any other. Only schools in the partnership today (joined, not left) are expected.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from impact.domain.academic_years import (
    academic_year_of,
    format_academic_year,
    start_year,
    term_of,
    term_order,
)
from impact.reports.dates import long_date

MISSING_COLUMNS = ["School", "URN", "Last return", "What we look for"]


@dataclass(frozen=True)
class ReturnsCheck:
    academic_year: str
    term: str
    expected: int           # schools expected to have sent something
    received: int
    missing: pd.DataFrame   # School, URN, Last return, What we look for

    @property
    def this_term(self) -> str:
        return f"{self.term} {self.academic_year}"

    @property
    def headline(self) -> str:
        if self.expected == 0:
            return "No school in this partnership is expected to send a return yet"
        if self.missing.empty:
            return f"Every school has sent its {self.this_term} return"
        n = len(self.missing)
        return (f"{n} of {self.expected} school{'s' if self.expected != 1 else ''} "
                f"{'has' if n == 1 else 'have'} not sent a return for {self.this_term}")


def _period(year: str, term: str) -> str:
    return f"{term} {year}"


def current_members(members: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Schools in the partnership today (joined on or before today, not yet left), once each."""
    if members.empty:
        return members
    joined = pd.to_datetime(members["joined_date"], errors="coerce")
    left = pd.to_datetime(members["left_date"], errors="coerce")
    now = pd.Timestamp(today)
    keep = (joined.isna() | (joined <= now)) & (left.isna() | (left > now))
    return members[keep].drop_duplicates("urn").reset_index(drop=True)


def returns_check(members: pd.DataFrame, returns: pd.DataFrame, today: dt.date
                  ) -> ReturnsCheck:
    """`members`: urn, name, joined_date, left_date (`queries/cohort_members.sql`);
    `returns`: urn, academic_year, term, attainment_rows, termly_rows, cpd_rows
    (`queries/returns_by_term.sql`)."""
    year, term = academic_year_of(today), term_of(today)
    last_year = format_academic_year(start_year(year) - 1)
    schools = current_members(members, today)
    rows = []
    received = 0
    by_school = dict(tuple(returns.groupby("urn", sort=False))) if not returns.empty else {}
    nothing = returns.iloc[0:0]
    for school in schools.itertuples():
        own = by_school.get(school.urn, nothing)
        termly = own.empty or bool((own["termly_rows"] > 0).any() or (own["cpd_rows"] > 0).any())
        if termly:
            sent = not own[(own["academic_year"] == year) & (own["term"] == term)].empty
            wanted = f"Any results or CPD records for {_period(year, term)}"
        else:
            sent = not own[(own["academic_year"] == last_year) & (own["term"] == "Summer")
                           & (own["attainment_rows"] > 0)].empty
            wanted = (f"Yearly results for {last_year} (this school sends only its yearly "
                      "results)")
        if sent:
            received += 1
            continue
        if own.empty:
            last = "Nothing sent yet"
        else:
            latest = max(zip(own["academic_year"], own["term"], strict=True),
                         key=lambda p: (start_year(p[0]), term_order(p[1])))
            last = _period(*latest)
        name = school.name if isinstance(school.name, str) and school.name else str(school.urn)
        rows.append({"School": name, "URN": int(school.urn), "Last return": last,
                     "What we look for": wanted})
    missing = pd.DataFrame(rows, columns=MISSING_COLUMNS).sort_values(
        ["School", "URN"]).reset_index(drop=True)
    return ReturnsCheck(year, term, len(schools), received, missing)


def term_dates_sentence(today: dt.date) -> str:
    """How 'this term' was worked out, in one sentence."""
    return (f"Today is {long_date(today)}, in the {term_of(today)} term of "
            f"{academic_year_of(today)}. A return is any results or CPD record for that term; "
            "schools that only ever send their yearly results are checked for last year's "
            "summer results instead.")
