"""When a school counts as in a partnership, and how many years since it joined a result is.

The rule (our decision, after the DfE's): the DfE counts a school in the trust it belonged to
on 14 September of an academic year. So a school's first "treated" result is the summer of the
academic year whose 14 September census is the first on or after the day it joined:

- joined 1 to 14 September 2019: the 2019/20 results are its first in the partnership;
- joined 15 September 2019 to 14 September 2020 (including January or July): 2020/21.

A school that leaves stops counting from the first 14 September after it left: its last
"treated" result is the summer of the last academic year whose census it was in for
(`last_treated_year`). Left 31 August 2024: 2023/24 is its last year in; its 2024/25 results
are not the partnership's.

Event time is then `start year of the result - start year of the first treated year`: 0 is
the first year in, -1 the last year before. Years without statutory results (2019/20,
2020/21) keep their place on this scale and are simply absent.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from impact.domain.academic_years import (
    academic_year_of,
    format_academic_year,
    start_year,
    trust_census_date,
)


def _as_date(day: object) -> dt.date:
    if isinstance(day, pd.Timestamp):
        return day.date()
    if isinstance(day, dt.datetime):
        return day.date()
    if isinstance(day, dt.date):
        return day
    return pd.Timestamp(day).date()


def joining_year(joined: dt.date) -> str:
    """The academic year that contains the joined date."""
    return academic_year_of(_as_date(joined))


def first_treated_year(joined: dt.date) -> str:
    """The first academic year whose results count as after joining (see the module rule)."""
    day = _as_date(joined)
    year = academic_year_of(day)
    if day <= trust_census_date(year):
        return year
    return format_academic_year(start_year(year) + 1)


def first_treated_start(joined: object) -> float:
    """`first_treated_year` as its start year (2019/20 -> 2019); NaN for no date."""
    if joined is None or (not isinstance(joined, dt.date) and pd.isna(joined)):
        return float("nan")
    return float(start_year(first_treated_year(_as_date(joined))))


def event_time(academic_year: str, first_treated: str) -> int:
    """Years since joining: 0 for the first treated year, -1 for the last year before."""
    return start_year(academic_year) - start_year(first_treated)


def last_treated_year(left: dt.date) -> str:
    """The last academic year whose results count as in the partnership for a school that
    left on `left`: the last one whose 14 September census it was still in for."""
    day = _as_date(left)
    year = academic_year_of(day)
    if day >= trust_census_date(year):
        return year
    return format_academic_year(start_year(year) - 1)


def last_treated_start(left: object) -> float:
    """`last_treated_year` as its start year; NaN when the school has not left."""
    if left is None or (not isinstance(left, dt.date) and pd.isna(left)):
        return float("nan")
    return float(start_year(last_treated_year(_as_date(left))))
