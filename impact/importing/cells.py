"""Reading one cell the way a person meant it.

Each parser takes what the reader produced (text from a CSV, a number, date or text from a
workbook) and returns a clean value, or raises `CellError` saying what was expected. Blank
cells never reach a parser: `is_blank` decides first.

The rules, as the templates' instructions state them:
- numbers may be written `1,234` or ` 12 ` (a comma only between thousands: `45,5` is refused
  rather than read as 455); whole numbers must be whole;
- percentages may be `45%`, `45` or `0.45` (a fraction is read as a fraction only when every
  percentage written without a % sign in that column of the file lies between 0 and 1 — see
  `percent_scale`; otherwise 0.45 means 0.45%, and the user is warned which rows those are);
- dates may be Excel dates (or their serial numbers, such as 44453), `dd/mm/yyyy`, `d/m/yy`,
  `dd-mm-yyyy`, `dd.mm.yyyy` or `yyyy-mm-dd` (never month first).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from impact import formulas


class CellError(ValueError):
    """The cell cannot be read; `expected` says what it should hold."""

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


Parser = Callable[[Any], Any]


def is_blank(value: Any) -> bool:
    """An empty cell: nothing, NaN, NaT, pandas' NA (blank Int64 cells), or only spaces."""
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def blank_mask(values: pd.Series) -> pd.Series:
    """`is_blank` for a whole column at once: each distinct value is looked at once, so a
    50,000-row column costs a handful of checks rather than 50,000."""
    mask = values.isna()
    spaces = [v for v in pd.unique(values[~mask]) if isinstance(v, str) and not v.strip()]
    if spaces:
        mask |= values.isin(spaces)
    return mask.astype(bool)


CLEAR_WORD = "clear"  # written in a cell of a trust's set-up sheet: empty the stored value


def is_clear(value: Any) -> bool:
    """A cell that says `clear` (any case): the person asks for the stored value to be
    emptied, where a blank cell would leave it as it is."""
    return isinstance(value, str) and value.strip().casefold() == CLEAR_WORD


def email(value: Any) -> str:
    """An email address: one @, something either side, a dot in the part after it."""
    address = " ".join(str(value).split())
    if address.lower().startswith("mailto:"):
        address = address[7:]
    local, at, domain = address.partition("@")
    if (not at or not local or "@" in domain or "." not in domain or " " in address
            or domain.startswith(".") or domain.endswith(".")):
        raise CellError("an email address, such as office@example.sch.uk")
    return address


def map_distinct(values: pd.Series, function: Callable[[Any], Any]) -> pd.Series:
    """`values.map(function)`, calling `function` once per distinct value (blanks as None)."""
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    results = np.empty(len(distinct) + 1, dtype=object)
    for position, value in enumerate(distinct):
        results[position] = function(value)
    results[-1] = function(None)  # code -1: a blank cell
    return pd.Series(results[codes], index=values.index, dtype=object)


def text(value: Any) -> str:
    """Text with surrounding and repeated spaces removed; numbers lose a trailing `.0`."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# Commas only as thousands separators: 1,234 and 12,345.5, never 45,5 (a decimal comma, which
# would silently become 455 if commas were simply dropped).
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def _number_text(value: str) -> str:
    cleaned = value.strip().replace("\u2212", "-")
    if "," in cleaned and _GROUPED.match(cleaned):
        cleaned = cleaned.replace(",", "")
    return cleaned


def number(value: Any) -> float:
    """Any real number: `12`, `12.5`, `1,234`, ` -0.3 `; not `45,5` (decimal comma)."""
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


def unquote(value: Any) -> Any:
    """The apostrophe rule: a text cell that starts with `'` before `=`, `+`, `-`, `@`, tab or
    carriage return loses that one `'`. Our exports put it there so that Excel shows a
    formula-like name as text instead of running it (`impact.formulas.neutralise`); taking it
    off again is what makes export then import change nothing. Every cell of a return passes
    through here before its column's parser (`impact.importing.layout.parse_columns`)."""
    return formulas.unquote(value)


def shift_decimal(value: float, places: int) -> float:
    """`value` times 10**places, worked out on its decimal digits: 0.813 -> 81.3 exactly,
    where 0.813 * 100 gives 81.30000000000001 (and a re-import would see a changed figure)."""
    return float(Decimal(repr(float(value))).scaleb(places))


class Percent(float):
    """A percentage read from a cell, remembering whether it was written with a % sign."""

    had_sign: bool = False


def signed_percent(value: float) -> Percent:
    """`value`% as if written with a % sign (how an export hands a percentage on)."""
    result = Percent(value)
    result.had_sign = True
    return result


class FormattedPercent(float):
    """A number a workbook shows as a percentage (0.81 in a cell formatted 0%, shown 81%).

    The reader hands such cells on as this, keeping the stored number, so a column that is
    not a percentage reads exactly as before; a percentage column reads it as the person sees
    it, 81 with a % sign (`percent_raw`), whatever the rest of the column holds."""


def percent_raw(value: Any) -> Percent:
    """A percentage before the fraction rule: `45%` -> 45 (signed), `45` -> 45, `0.45` -> 0.45;
    a cell formatted as a percentage, 0.45 shown as 45%, -> 45 (signed)."""
    if isinstance(value, FormattedPercent):
        return signed_percent(shift_decimal(value, 2))
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
    plain = [float(v) for v in values if _unsigned(v)]
    if plain and all(0 <= v <= 1 for v in plain) and any(0 < v < 1 for v in plain):
        return 100.0
    return 1.0


def below_one_percent(values: pd.Series, scale: float) -> pd.Series:
    """Which unsigned percentages were read as less than 1% because others in the column are
    whole percentages: worth a warning, since 0.45 may have been meant as 45% (a cell Excel
    formats as a percentage holds 0.45)."""
    if scale != 1.0:
        return pd.Series(False, index=values.index)
    return values.map(lambda v: _unsigned(v) and 0 < v < 1).astype(bool)


def _unsigned(value: Any) -> bool:
    """A percentage written without a % sign (a plain number counts as one)."""
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and not getattr(value, "had_sign", False) and math.isfinite(value))


def fraction_warning(header: str, example: str) -> str:
    return (f"Every {header} written without a % sign was between 0 and 1, so each was read "
            f"as a fraction: {example}.")


def below_one_warning(header: str, rows: list[int]) -> str:
    listed = ", ".join(str(r) for r in rows[:10])
    more = f" and {len(rows) - 10} more" if len(rows) > 10 else ""
    return (f"Row{'s' if len(rows) > 1 else ''} {listed}{more}: {header} between 0 and 1 "
            "were read as less than 1%, because other rows give whole percentages. If you "
            "meant 0.45 as 45%, write 45% and upload again.")


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
    if raw.isdigit() or (raw.endswith(".0") and raw[:-2].isdigit()):
        # An Excel serial number saved as text, as a CSV export of a "General" cell holds it.
        return date(int(float(raw)))
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
