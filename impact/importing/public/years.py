"""Which academic year a published file is about: from the user, the file name or its columns.

Performance tables do not say their year in a cell. Three sources, in this order:
1. what the user states (the `academic_year` option; `--year` on the command line);
2. the file name, when it spells a year the way downloads do (`2018-19`, `2018-2019`,
   `201819`, `2018_19`);
3. the columns: each table repeats earlier years' headline figures with a two-digit suffix
   naming the summer of those exams (`PTRWM_EXP_18` and `PTRWM_EXP_17` in the 2018/19 KS2
   table: summer 2018 is 2017/18), so the file is about the academic year that starts after
   the latest suffix's summer. The years without exams break that rule (a 2021/22 table can
   only look back to 2018/19), so a suggestion that falls in 2019/20 or 2020/21 is not used.
When the name and the columns disagree and the user said nothing, the user is asked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from impact.domain.academic_years import format_academic_year, parse_academic_year

_IN_NAME = re.compile(r"(?<!\d)(20\d{2})[-_ ]?(20\d{2}|\d{2})(?!\d)")
_NO_EXAMS = {"2019/20", "2020/21"}


@dataclass(frozen=True)
class YearChoice:
    year: str | None  # canonical `2018/19`, or None when it cannot be told
    how: str  # "you", "the file name", "the columns"
    problem: str | None = None  # why the user must say, when year is None
    warning: str | None = None


def year_in_name(file_name: str) -> str | None:
    for match in _IN_NAME.finditer(file_name):
        found = parse_academic_year(f"{match.group(1)}/{match.group(2)}")
        if found:
            return found
    return None


def year_from_suffixes(headers: Iterable[str], pattern: re.Pattern[str]) -> str | None:
    """The academic year starting in the summer of the latest suffix `pattern` (group 1)
    finds: `_18` (exams in summer 2018) means the file is about 2018/19."""
    suffixes = [int(m.group(1)) for h in headers if (m := pattern.match(h))]
    if not suffixes:
        return None
    year = format_academic_year(2000 + max(suffixes))
    return None if year in _NO_EXAMS else year


def choose_year(stated: object, file_name: str, from_columns: str | None) -> YearChoice:
    """The file's academic year, with a problem sentence when it has to be asked for."""
    from_name = year_in_name(file_name)
    if stated not in (None, ""):
        year = parse_academic_year(stated)
        if year is None:
            return YearChoice(None, "you", f"{stated!r} is not an academic year: write it like "
                                           "2018/19.")
        other = from_name or from_columns
        warning = None
        if other and other != year:
            warning = (f"You said this file is about {year}; its "
                       f"{'name' if from_name else 'columns'} suggest {other}. {year} was used.")
        return YearChoice(year, "you", warning=warning)
    if from_name and from_columns and from_name != from_columns:
        return YearChoice(None, "", (
            f"The file name says {from_name} but its columns suggest {from_columns}. Say which "
            "academic year the file is about (the Academic year option; --year on the command "
            "line)."))
    if from_name:
        return YearChoice(from_name, "the file name")
    if from_columns:
        return YearChoice(from_columns, "the columns")
    return YearChoice(None, "", (
        "Neither the file name nor its columns say which academic year this file is about. "
        "Say which (the Academic year option on the Upload page; --year 2018/19 on the "
        "command line)."))
