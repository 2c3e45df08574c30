"""Academic years ("2018/19": 1 September to 31 August) and school terms.

Statutory results are annual and belong to the summer term; teacher assessments are termly.
One canonical spelling ("2018/19") is stored, whatever the spreadsheet said.
"""

from __future__ import annotations

import datetime as dt
import re

TERMS: tuple[str, ...] = ("Autumn", "Spring", "Summer")

_YEAR_PATTERNS = (
    # 2018/19, 2018-19, 2018 / 19, 2018–19
    re.compile(r"^(\d{4})\s*[/\-–]\s*(\d{2})$"),
    # 2018/2019, 2018-2019, 2018 to 2019
    re.compile(r"^(\d{4})\s*(?:[/\-–]|to)\s*(\d{4})$"),
    # 201819 (Explore Education Statistics time_period)
    re.compile(r"^(\d{4})(\d{2})$"),
)


def format_academic_year(start_year: int) -> str:
    """The canonical label for the academic year that starts in September of `start_year`."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def parse_academic_year(value: object) -> str | None:
    """Canonical `YYYY/YY` for the spellings people and the DfE use, or None if unrecognised."""
    if value is None:
        return None
    text = str(value).strip()
    if text.endswith(".0"):
        text = text[:-2]
    for pattern in _YEAR_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        start, end = match.group(1), match.group(2)
        start_year = int(start)
        end_year = int(end) if len(end) == 4 else (start_year // 100) * 100 + int(end)
        if len(end) == 2 and end_year < start_year:
            end_year += 100
        if end_year != start_year + 1 or not 1990 <= start_year <= 2100:
            return None
        return format_academic_year(start_year)
    return None


def start_year(academic_year: str) -> int:
    """The calendar year in which `academic_year` starts (`2018/19` -> 2018)."""
    return int(academic_year[:4])


def academic_year_of(day: dt.date) -> str:
    """The academic year a date falls in: September starts a new one."""
    return format_academic_year(day.year if day.month >= 9 else day.year - 1)


def year_bounds(academic_year: str) -> tuple[dt.date, dt.date]:
    """First and last day of an academic year (1 September, 31 August)."""
    first = start_year(academic_year)
    return dt.date(first, 9, 1), dt.date(first + 1, 8, 31)


def term_of(day: dt.date) -> str:
    """The term a date falls in: Autumn September–December, Spring January–March, else Summer."""
    if day.month >= 9:
        return "Autumn"
    if day.month <= 3:
        return "Spring"
    return "Summer"


def term_bounds(academic_year: str, term: str) -> tuple[dt.date, dt.date]:
    """First and last day of a term as `term_of` counts it (Autumn 1 September to 31
    December, Spring 1 January to 31 March, Summer 1 April to 31 August)."""
    first = start_year(academic_year)
    return {"Autumn": (dt.date(first, 9, 1), dt.date(first, 12, 31)),
            "Spring": (dt.date(first + 1, 1, 1), dt.date(first + 1, 3, 31)),
            "Summer": (dt.date(first + 1, 4, 1), dt.date(first + 1, 8, 31))}[term]


def previous_term(academic_year: str, term: str) -> tuple[str, str]:
    """The term before this one (Summer of the year before, for an Autumn)."""
    index = term_order(term)
    if index == 0:
        return format_academic_year(start_year(academic_year) - 1), TERMS[-1]
    return academic_year, TERMS[index - 1]


def last_ended_term(day: dt.date) -> tuple[str, str]:
    """The latest term that has ended by `day`: the term whose return is due. On 5 December
    2026 (Autumn 2026/27, still under way) it is Summer 2025/26."""
    return previous_term(academic_year_of(day), term_of(day))


def parse_term(value: object) -> str | None:
    """A term name in any case, or a common abbreviation (`Aut`, `Spr`, `Sum`), else None."""
    if value is None:
        return None
    text = str(value).strip().lower()
    for term in TERMS:
        if text == term.lower() or (len(text) >= 3 and term.lower().startswith(text)):
            return term
    aliases = {"autumn term": "Autumn", "spring term": "Spring", "summer term": "Summer",
               "t1": "Autumn", "t2": "Spring", "t3": "Summer"}
    return aliases.get(text)


def term_order(term: str) -> int:
    """Position of a term within its academic year (Autumn 0, Spring 1, Summer 2)."""
    return TERMS.index(term)


def trust_census_date(academic_year: str) -> dt.date:
    """14 September of the academic year: the DfE counts a school in the trust it was in then."""
    return dt.date(start_year(academic_year), 9, 14)
