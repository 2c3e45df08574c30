"""A published file's table, read by header name, never by position.

Public files change their columns from year to year (the KS2 tables had 290 columns in
2016-17 and 326 in 2017-18), carry a leading unnamed index column when someone re-saved them
with pandas, and spell headers in their own case and spacing ("Latest OEIF  safeguarding is
effective?" has two spaces). So columns are found by a normalised name, and a missing column
reads as empty cells rather than failing: each format decides which columns it needs.

The grid comes from `impact.importing.reading` (which already strips a BOM and pads ragged
rows); row `i` of the grid is the spreadsheet row `i + 1`, which is what messages name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from impact.importing import cells
from impact.importing.reading import Sheet

HEADER_SCAN_ROWS = 5


def key(name: object) -> str:
    """A header compared without case, BOM, surrounding or repeated spaces."""
    if name is None or (isinstance(name, float) and name != name):
        return ""
    return " ".join(str(name).replace("\ufeff", "").split()).casefold()


def header_keys(sheet: Sheet, row: int) -> list[str]:
    if row >= len(sheet.grid):
        return []
    found = sheet.derived.get(("header_keys", row))
    if found is None:
        found = sheet.derived[("header_keys", row)] = [key(c) for c in sheet.row(row)]
    return found


def first_header_rows(sheets: list[Sheet], sheet_count: int = 3,
                      rows: int = 3) -> Iterator[set[str]]:
    """The header keys of the first few rows of the first few sheets: where a published file
    puts its header, for a format's `detect` to recognise."""
    for sheet in sheets[:sheet_count]:
        for row in range(min(rows, len(sheet.grid))):
            yield set(header_keys(sheet, row))


def find_header(sheets: list[Sheet], required: Iterable[str],
                scan: int = HEADER_SCAN_ROWS) -> tuple[Sheet, int] | None:
    """The first sheet and row (within the first few) whose headers include all `required`."""
    wanted = {key(r) for r in required}
    for sheet in sheets:
        for row in range(min(scan, len(sheet.grid))):
            if wanted <= set(header_keys(sheet, row)):
                return sheet, row
    return None


@dataclass
class Published:
    """The rows under a header, with each column reachable by its (normalised) name."""

    sheet: str
    header_row: int  # grid index of the header row
    written: list[str]  # header cells as the file writes them
    positions: dict[str, int]  # normalised header -> position (its first occurrence)
    body: pd.DataFrame  # the raw cells under the header, object dtype
    rows: np.ndarray  # spreadsheet row number of each body row
    _array: np.ndarray | None = field(default=None, repr=False)
    # Columns as text and what a format works out from them more than once (its options and
    # its validation both read the same table).
    derived: dict[object, object] = field(default_factory=dict, repr=False)

    @classmethod
    def from_sheet(cls, sheet: Sheet, header_row: int) -> Published:
        """The table under `header_row`, made once per sheet (formats only read it)."""
        found = sheet.derived.get(("published", header_row))
        if found is None:
            found = sheet.derived[("published", header_row)] = cls._make(sheet, header_row)
        return found

    @classmethod
    def _make(cls, sheet: Sheet, header_row: int) -> Published:
        cells = sheet.row(header_row)
        written = ["" if c is None or (isinstance(c, float) and c != c)
                   else " ".join(str(c).replace("\ufeff", "").split()) for c in cells]
        positions: dict[str, int] = {}
        for position, name in enumerate(written):
            normal = key(name)
            if normal and normal not in positions:
                positions[normal] = position
        body = sheet.grid.iloc[header_row + 1:]
        rows = np.asarray(body.index, dtype=np.int64) + 1
        return cls(sheet.name, header_row, written, positions, body.reset_index(drop=True),
                   rows)

    def __len__(self) -> int:
        return len(self.body)

    def has(self, name: str) -> bool:
        return key(name) in self.positions

    def first(self, *names: str) -> str | None:
        """The first of these names the file has (as given here), or None."""
        for name in names:
            if self.has(name):
                return name
        return None

    def header(self, name: str) -> str:
        """The header as the file writes it, for messages."""
        position = self.positions.get(key(name))
        return self.written[position] if position is not None else name

    @property
    def array(self) -> np.ndarray:
        if self._array is None:
            self._array = self.body.to_numpy(dtype=object)
        return self._array

    def _cells(self, position: int) -> np.ndarray:
        """The raw cells of the column at `position`, taken from the body column by column
        (a national table has 300 columns, of which a format reads a third)."""
        cache = ("cells", position)
        found = self.derived.get(cache)
        if found is None:
            found = self.derived[cache] = self.body.iloc[:, position].to_numpy(dtype=object)
        return found  # type: ignore[return-value]

    def column(self, name: str | None) -> np.ndarray:
        """A column's raw cells (object array); empty strings if the file lacks it."""
        position = self.positions.get(key(name)) if name else None
        if position is None:
            return np.full(len(self.body), "", dtype=object)
        return self._cells(position)

    def matrix(self, names: list[str | None], rows: np.ndarray | None = None) -> np.ndarray:
        """Several columns side by side (rows x names); absent columns hold empty strings."""
        if rows is not None:
            rows = np.asarray(rows)
            if rows.dtype == bool:  # a mask, as numpy indexing takes it
                rows = np.flatnonzero(rows)
        out = np.full((len(self.body) if rows is None else len(rows), len(names)), "",
                      dtype=object)
        for j, name in enumerate(names):
            position = self.positions.get(key(name)) if name else None
            if position is not None:
                cells = self._cells(position)
                out[:, j] = cells if rows is None else cells[rows]
        return out

    def text(self, name: str | None) -> np.ndarray:
        """A column as trimmed text: blanks (empty, spaces, NaN, None) become ''. Read once
        per column; the array is shared, so callers must not write into it."""
        position = self.positions.get(key(name)) if name else None
        cache = ("text", position)
        if cache not in self.derived:
            text = as_text(self.column(name))
            text.setflags(write=False)
            self.derived[cache] = text
        return self.derived[cache]  # type: ignore[return-value]


def as_text(values: np.ndarray) -> np.ndarray:
    """Trimmed text for each cell; numbers written as floats by a re-save lose their `.0`."""
    series = pd.Series(values, dtype=object)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    distinct = np.asarray(uniques, dtype=object)
    if pd.api.types.infer_dtype(distinct, skipna=False) == "string":  # a CSV: text only
        cleaned = distinct.tolist()
        if not _all_clean(cleaned):
            cleaned = [" ".join(u.split()) for u in cleaned]
            cleaned = [_clean(c) if c.endswith(".0") else c for c in cleaned]
    else:
        cleaned = [_clean(u) for u in distinct.tolist()]
    out = np.array([*cleaned, ""], dtype=object)
    return out[np.where(codes < 0, len(uniques), codes)]


# Text that `_clean` would change: whitespace other than a single space between words, or a
# number ending in `.0`; looked for in all the distinct texts at once, joined by NULs.
_UNCLEAN = re.compile(r"[^\S ]|  |^ | $|\x00 | \x00|\.0(?:\x00|$)")


def _all_clean(texts: list[str]) -> bool:
    """Whether `_clean` leaves every one of `texts` as it is (checked in one pass)."""
    joined = "\x00".join(texts)
    if joined.count("\x00") != max(len(texts) - 1, 0):  # a text holding a NUL itself
        return False
    return _UNCLEAN.search(joined) is None


def _clean(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if hasattr(value, "strftime"):
        try:
            return value.strftime("%d/%m/%Y")  # type: ignore[union-attr]
        except ValueError:
            return str(value)
    text = " ".join(str(value).split())
    if text.endswith(".0") and text[:-2].lstrip("-").isdigit():
        text = text[:-2]
    return text


def read_dates(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dates read day first (`14/03/2023`, `14-03-2023`, `2023-03-14`, an Excel date), each
    distinct text once. Returns (dates, None where blank or `NULL`; unreadable mask)."""
    text = as_text(values)
    codes, uniques = pd.factorize(pd.Series(text, dtype=object))
    parsed: list[dt.date | None] = []
    bad: list[bool] = []
    for value in uniques:
        if value == "" or value.casefold() == "null":
            parsed.append(None)
            bad.append(False)
            continue
        try:
            parsed.append(cells.date(value))
            bad.append(False)
        except cells.CellError:
            parsed.append(None)
            bad.append(True)
    index = np.where(codes < 0, len(uniques), codes)
    return (np.array([*parsed, None], dtype=object)[index],
            np.array([*bad, False], dtype=bool)[index])
