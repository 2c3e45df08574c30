"""Reading one cell the way a person meant it.

Each parser takes what the reader produced (text from a CSV, a number, date or text from a
workbook) and returns a clean value, or raises `CellError` saying what was expected. Blank
cells never reach a parser: `is_blank` decides first.

The rules, as the templates' instructions state them:
- numbers may be written `1,234` or ` 12 `; whole numbers must be whole;
- percentages may be `45%`, `45` or `0.45` (a fraction is read as a fraction only when every
  percentage in that column of the file lies between 0 and 1 — see `percent_scale`);
- dates may be Excel dates, `dd/mm/yyyy`, `d/m/yy`, `dd-mm-yyyy`, `dd.mm.yyyy` or `yyyy-mm-dd`
  (never month first).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any

import pandas as pd


class CellError(ValueError):
    """The cell cannot be read; `expected` says what it should hold."""

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


Parser = Callable[[Any], Any]


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NaT:
        return True
    return isinstance(value, str) and value.strip() == ""


def text(value: Any) -> str:
    """Text with surrounding and repeated spaces removed; numbers lose a trailing `.0`."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _number_text(value: str) -> str:
    cleaned = value.strip().replace(",", "").replace("\u2212", "-")
    return cleaned


def number(value: Any) -> float:
    """Any real number: `12`, `12.5`, `1,234`, ` -0.3 `."""
    if isinstance(value, bool):
        raise CellError("a number")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise CellError("a number")
        return float(value)
    cleaned = _number_text(str(value))
    if not _NUMBER.match(cleaned):
        raise CellError("a number")
    return float(cleaned)


def whole_number(value: Any) -> int:
    """A whole number such as a count of pupils; `12.0` is fine, `12.5` is not."""
    try:
        result = number(value)
    except CellError:
        raise CellError("a whole number") from None
    if not result.is_integer():
        raise CellError("a whole number")
    return int(result)


def urn(value: Any) -> int:
    """A school's unique reference number: six digits (older schools have fewer)."""
    try:
        result = whole_number(value)
    except CellError:
        raise CellError("a URN: the school's 6-digit unique reference number") from None
    if not 100000 <= result <= 999999:
        raise CellError("a URN: the school's 6-digit unique reference number")
    return result


class Percent(float):
    """A percentage read from a cell, remembering whether it was written with a % sign."""

    had_sign: bool = False


def percent_raw(value: Any) -> Percent:
    """A percentage before the fraction rule: `45%` -> 45 (signed), `45` -> 45, `0.45` -> 0.45."""
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            result = Percent(number(value.strip()[:-1]))
        except CellError:
            raise CellError("a percentage such as 45%, 45 or 0.45") from None
        result.had_sign = True
        return result
    try:
        return Percent(number(value))
    except CellError:
        raise CellError("a percentage such as 45%, 45 or 0.45") from None


def percent_scale(values: pd.Series) -> float:
    """100 if every unsigned percentage in a column lies between 0 and 1, else 1.

    `0.45` in a column of fractions is 45%; in a column with `62` in it, it is 0.45%. Values
    written with a % sign are percentages whatever the rest of the column says.
    """
    plain = [v for v in values if isinstance(v, Percent) and not v.had_sign]
    if plain and all(0 <= v <= 1 for v in plain) and any(0 < v < 1 for v in plain):
        return 100.0
    return 1.0


_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d",
                 "%d %B %Y", "%d %b %Y", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M:%S",
                 "%d/%m/%Y %H:%M")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def date(value: Any) -> dt.date:
    """A calendar date, day first."""
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # An Excel serial number, as a date cell formatted "General" shows it.
        if 20000 <= value <= 80000 and float(value).is_integer():
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise CellError("a date written day first, such as 14/09/2021")
    raw = " ".join(str(value).split())
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise CellError("a date written day first, such as 14/09/2021")


def choice(options: dict[str, str], expected: str) -> Parser:
    """A parser accepting any of `options`' keys (compared without case or extra spaces)."""
    table = {" ".join(k.split()).lower(): v for k, v in options.items()}

    def parse(value: Any) -> str:
        found = table.get(text(value).lower())
        if found is None:
            raise CellError(expected)
        return found

    return parse


def from_finder(finder: Callable[[Any], Any], expected: str) -> Parser:
    """A parser from a domain lookup that returns None for unknown values."""

    def parse(value: Any) -> Any:
        found = finder(text(value))
        if found is None:
            raise CellError(expected)
        return found

    return parse
