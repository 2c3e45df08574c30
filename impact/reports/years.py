"""A range of academic years, as the years filter keeps it: in a link and applied to a table.

In the address bar a range reads `2016/17-2024/25` (one year: `2021/22`); rows outside it are
dropped from charts over time. An impact estimate is never cut by it: the estimate needs every
year before and after joining, so pages say so where it matters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from impact.domain.academic_years import parse_academic_year, start_year

_RANGE = re.compile(r"^\s*(\d{4}\s*[/\-]\s*\d{2})\s*(?:-|–|to|\.\.)\s*(\d{4}\s*[/\-]\s*\d{2})\s*$")


def encode(years: tuple[str, str]) -> str:
    """'2016/17-2024/25', or '2021/22' for a single year."""
    first, last = years
    return first if first == last else f"{first}-{last}"


def decode(text: str, options: Sequence[str]) -> tuple[str, str] | None:
    """The range a link names, clipped to the years there are; None if it names none."""
    if not options:
        return None
    match = _RANGE.match(text or "")
    parts = [match.group(1), match.group(2)] if match else [text]
    years = [parse_academic_year(p.replace(" ", "")) for p in parts]
    if any(y is None for y in years):
        return None
    starts = sorted(start_year(y) for y in years)
    first, last = starts[0], starts[-1]
    inside = [o for o in options if first <= start_year(o) <= last]
    if not inside:
        return None
    return inside[0], inside[-1]


def within(frame: pd.DataFrame, years: tuple[str, str] | None,
           column: str = "academic_year") -> pd.DataFrame:
    """The rows whose academic year is inside the range (every row for None)."""
    if years is None or frame.empty or column not in frame:
        return frame
    first, last = (start_year(y) for y in years)
    starts = frame[column].map(start_year)
    return frame[(starts >= first) & (starts <= last)].reset_index(drop=True)


def describe(years: tuple[str, str] | None) -> str:
    """'2016/17 to 2024/25', '' for every year."""
    if years is None:
        return ""
    return years[0] if years[0] == years[1] else f"{years[0]} to {years[1]}"
