"""Cells a spreadsheet would run as formulas, and how every export keeps them as text.

Excel, LibreOffice and Google Sheets treat a cell that starts with `=`, `+`, `-` or `@` (and,
in some versions, tab or carriage return) as a formula, even in a CSV file: a school or file
name such as `=HYPERLINK("http://…")` or `@SUM(1+1)*cmd|' /C calc'!A0` would run on the
computer of whoever opens the export. Every export (the CLI's and the Data page's csv and
xlsx, every download button) passes its cells through `neutralise`, which puts a `'` in front,
as a person types it in Excel to keep text as text. A number written as text (`-0.4`, `+3`,
`-5%`) is not a formula and is left alone, so numbers stay numbers.

The importer takes one such `'` off again (`impact.importing.cells.unquote`), so export then
import changes nothing.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

# What a formula can start with: the four operators (and their full-width forms, which some
# spreadsheet versions accept too), tab and carriage return.
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
QUOTE = "'"

# A number a spreadsheet reads as a number, not a formula: -0.4, +3, 1,234.5, -5%, 1e-3.
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?%?$")


def is_formula_like(value: Any) -> bool:
    """A text cell a spreadsheet would read as a formula."""
    return (isinstance(value, str) and value.startswith(TRIGGERS)
            and not (any(ch.isdigit() for ch in value) and _PLAIN_NUMBER.match(value)))


def neutralise(value: Any) -> Any:
    """The cell as an export writes it: formula-like text with a leading `'`, else as it is.

    Text that already starts with `'` before a trigger gets one more, so that `unquote`
    gives back exactly what was stored.
    """
    if is_formula_like(value) or (isinstance(value, str) and unquote(value) != value):
        return QUOTE + value
    return value


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every formula-like text cell neutralised (header included):
    numeric columns are not looked at, so numbers stay numbers."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise).astype(object)
    out.columns = [neutralise(c) if isinstance(c, str) else c for c in out.columns]
    return out


def unquote(value: Any) -> Any:
    """Text as it was before `neutralise`: one leading `'` taken off when the quotes are
    followed by a formula trigger (a person's own `'` before anything else is kept)."""
    if isinstance(value, str) and value.startswith(QUOTE) and \
            value.lstrip(QUOTE).startswith(TRIGGERS):
        return value[1:]
    return value
