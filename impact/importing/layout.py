"""Finding a return's table in a grid, and reading its cells column by column.

Real spreadsheets put title rows above the header, spell headers in their own case, add notes
columns and leave blank rows. A `Layout` lists the columns a kind of return has (with their
synonyms); `locate` finds the header row and maps what it can; `parse_columns` reads every cell
and reports every problem at once, each with the row and column the user sees.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from impact.importing.cells import CellError, Parser, blank_mask, is_blank, unquote
from impact.importing.problems import Problem, UnusableFile, shown
from impact.importing.reading import Sheet

HEADER_SCAN_ROWS = 30
ROW = "_row"  # the spreadsheet row number, carried beside the parsed fields


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    parse: Parser
    required: bool = True  # the file must have this column
    allow_blank: bool = False  # its cells may be empty
    synonyms: tuple[str, ...] = ()
    help: str = ""
    example: Any = None
    choices: tuple[str, ...] = ()  # offered as a drop-down list in the template
    expected: str = ""  # what a good cell holds, for the instructions

    def names(self) -> set[str]:
        return {normalise_header(n) for n in (self.header, self.field, *self.synonyms)}


@dataclass(frozen=True)
class Layout:
    columns: tuple[Column, ...]
    # Groups of fields of which at least one must be present (e.g. URN or school name).
    one_of: tuple[tuple[str, ...], ...] = ()

    def column(self, field_name: str) -> Column:
        for c in self.columns:
            if c.field == field_name:
                return c
        raise KeyError(field_name)

    def lookup(self) -> HeaderLookup:
        table = HeaderLookup()
        for c in self.columns:
            for name in c.names():
                table.setdefault(name, c)
        return table


class HeaderLookup(dict[str, Column]):
    """Normalised header -> column, with one more try for a header carrying a unit or note in
    brackets at its end (`Cohort size (pupils)`, `Hours each (hrs)`)."""

    def find(self, name: str) -> Column | None:
        found = self.get(name)
        if found is None and name.endswith(")"):
            found = self.get(_TRAILING_NOTE.sub("", name).strip())
        return found


_BRACKETS = re.compile(r"\((?:required|optional|mandatory|if known|if any)\)", re.I)
_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)$")


def normalise_header(value: object) -> str:
    """Header text compared without case, spaces, underscores, stars or (required) notes."""
    if isinstance(value, str):
        return _normalised_text(value)  # the same few hundred headers, over and over
    return _normalise(value)


@lru_cache(maxsize=65_536)
def _normalised_text(value: str) -> str:
    return _normalise(value)


def _normalise(value: object) -> str:
    text = "" if is_blank(value) else str(value)
    text = _BRACKETS.sub(" ", text).replace("_", " ").replace("*", " ").replace("\u00a0", " ")
    text = text.strip().rstrip(":").strip()
    return " ".join(text.lower().split())


@dataclass
class Table:
    """The rows of a return, each cell still raw, named by field, with spreadsheet rows."""

    sheet: str
    header_row: int
    headers: dict[str, str]  # field -> header as written in the file
    data: pd.DataFrame  # one column per present field, plus ROW
    ignored: list[str] = field(default_factory=list)
    template_headers: dict[str, str] = field(default_factory=dict)  # field -> template header

    def header(self, field_name: str) -> str:
        """The column as the file names it, else as the template does (for a missing one)."""
        return self.headers.get(field_name) or self.template_headers.get(field_name, field_name)


def score_header_row(cells: Iterable[object], layout: Layout) -> int:
    lookup = layout.lookup()
    found = (lookup.find(normalise_header(c)) for c in cells)
    return len({c.field for c in found if c is not None})


def best_header(sheet: Sheet, layout: Layout) -> tuple[int, int]:
    """(grid row index of the likeliest header row, how many known columns it names)."""
    best = (-1, 0)
    for index in range(min(HEADER_SCAN_ROWS, len(sheet.grid))):
        score = score_header_row(sheet.grid.iloc[index].tolist(), layout)
        if score > best[1]:
            best = (index, score)
    return best


def choose_sheet(sheets: list[Sheet], layout: Layout) -> tuple[Sheet, int, int]:
    """The sheet holding the return: `Data` if there is one, else the best-matching sheet."""
    named = [s for s in sheets if s.name.strip().lower() == "data"]
    candidates = named or sheets
    scored = [(s, *best_header(s, layout)) for s in candidates]
    sheet, index, score = max(scored, key=lambda item: item[2])
    return sheet, index, score


def locate(sheets: list[Sheet], layout: Layout, what: str) -> tuple[Table, list[Problem], list[str]]:
    """Find the header and data rows; problems for missing columns, warnings for extra ones."""
    sheet, index, score = choose_sheet(sheets, layout)
    if score < 2:
        expected = ", ".join(c.header for c in layout.columns if c.required)
        raise UnusableFile(
            f"No {what} table was found: the file needs a sheet named Data (or a first sheet) "
            f"whose header row names columns such as {expected}. Download the {what} template "
            "from the Upload page and copy your figures into it.")
    header_cells = sheet.grid.iloc[index].tolist()
    lookup = layout.lookup()
    problems: list[Problem] = []
    warnings: list[str] = []
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    ignored: list[str] = []
    header_row = index + 1
    for position, cell in enumerate(header_cells):
        name = normalise_header(cell)
        if not name:
            continue
        column = lookup.find(name)
        written = " ".join(str(cell).split())
        if column is None:
            ignored.append(written)
            continue
        if column.field in headers:
            problems.append(Problem(header_row, written, None,
                                    f"this column repeats {headers[column.field]!r}; keep one "
                                    "of them", sheet.name))
            continue
        headers[column.field] = written
        positions[column.field] = position
    for column in layout.columns:
        if column.required and column.field not in headers:
            problems.append(Problem(header_row, column.header, None,
                                    f"the required column {column.header!r} is missing from the "
                                    "header row", sheet.name))
    for group in layout.one_of:
        if not any(f in headers for f in group):
            names = " or ".join(repr(layout.column(f).header) for f in group)
            problems.append(Problem(header_row, None, None,
                                    f"the header row needs a column {names}", sheet.name))
    if ignored:
        warnings.append(f"Ignored column{'s' if len(ignored) > 1 else ''} "
                        f"{', '.join(repr(i) for i in ignored)}: not part of the {what} return.")
    body = sheet.grid.iloc[index + 1:, list(positions.values())].copy()
    body.columns = list(positions.keys())
    body[ROW] = [int(i) + 1 for i in sheet.grid.index[index + 1:]]
    if len(body):
        blank = pd.concat([blank_mask(body[c]) for c in body.columns if c != ROW],
                          axis=1).all(axis=1) if len(body.columns) > 1 else \
            pd.Series(True, index=body.index)
        body = body[~blank]
    template_headers = {c.field: c.header for c in layout.columns}
    return Table(sheet.name, header_row, headers, body.reset_index(drop=True), ignored,
                 template_headers), problems, warnings


def parse_columns(table: Table, layout: Layout,
                  fields: Iterable[str] | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Every present cell parsed by its column's parser; a Problem for each bad cell.

    Each distinct raw value is parsed once and the results spread back by position, so a
    column of 50,000 rows with a few dozen distinct values costs a few dozen parses.
    """
    wanted = set(fields) if fields is not None else None
    out = pd.DataFrame({ROW: table.data[ROW]})
    rows = table.data[ROW].to_numpy()
    problems: list[Problem] = []
    for column in layout.columns:
        if column.field not in table.data or (wanted is not None and column.field not in wanted):
            continue
        raw = table.data[column.field]
        codes, distinct = pd.factorize(raw, use_na_sentinel=True)
        parsed = np.empty(len(distinct) + 1, dtype=object)  # the last slot: blank cells
        empty = np.zeros(len(distinct) + 1, dtype=bool)
        empty[-1] = True
        failures: dict[int, str] = {}
        for position, value in enumerate(distinct):
            if is_blank(value):
                empty[position] = True
                continue
            try:
                parsed[position] = column.parse(unquote(value))
            except CellError as error:
                failures[position] = error.expected
        # object dtype keeps parsed types (Percent, date, …); a failed cell is None
        out[column.field] = pd.Series(parsed[codes], index=raw.index, dtype=object)
        header = table.header(column.field)
        if failures:
            failed = np.isin(codes, list(failures))
            for code, value, row in zip(codes[failed], raw.to_numpy()[failed], rows[failed],
                                        strict=True):
                problems.append(Problem(int(row), header, shown(value),
                                        f"expected {failures[int(code)]}", table.sheet))
        blank = empty[codes]
        if not column.allow_blank and blank.any():
            for row in rows[blank]:
                problems.append(Problem(int(row), header, "",
                                        f"this cell is empty; expected "
                                        f"{column.expected or column.header.lower()}",
                                        table.sheet))
    return out, problems


def check_duplicates(frame: pd.DataFrame, key: list[str], values: list[str],
                     headers: dict[str, str], sheet: str, what: str,
                     written: pd.DataFrame | None = None
                     ) -> tuple[pd.DataFrame, list[Problem], list[str]]:
    """Collapse rows that repeat each other exactly; report repeats that disagree.

    Rows are compared on their parsed values (so `45%` and `45` agree); messages quote the
    cells as written, from `written` (the table's raw cells, on the same index) when given.
    Returns the frame with exact repeats dropped (first kept), problems and warnings.
    """

    def as_written(index: Any, column: str, parsed: Any) -> str:
        if written is not None and column in written and index in written.index:
            return shown(written.at[index, column])
        return shown(parsed)

    present_values = [v for v in values if v in frame]
    if frame.empty:
        return frame, [], []
    dup = frame.duplicated(subset=key, keep=False)
    if not dup.any():
        return frame, [], []
    problems: list[Problem] = []
    repeated_rows: list[int] = []
    drop_index: list[int] = []
    for _, group in frame[dup].groupby(key, sort=False, dropna=False):
        first_index = group.index[0]
        first = group.iloc[0]
        for index, other in group.iloc[1:].iterrows():
            differing = [v for v in present_values if not _same(first[v], other[v])]
            if not differing:
                repeated_rows.append(int(other[ROW]))
                drop_index.append(index)
                continue
            column = differing[0]
            said = as_written(index, column, other[column])
            said_first = as_written(first_index, column, first[column])
            problems.append(Problem(
                int(other[ROW]), headers.get(column, column), said,
                f"row {int(other[ROW])} repeats row {int(first[ROW])} for the same {what} but "
                f"says {said!r} where row {int(first[ROW])} says {said_first!r}; keep the "
                "right one and delete the other", sheet))
    warnings = []
    if repeated_rows:
        listed = ", ".join(str(r) for r in repeated_rows[:10])
        more = f" and {len(repeated_rows) - 10} more" if len(repeated_rows) > 10 else ""
        warnings.append(f"Rows {listed}{more} repeat earlier rows exactly; each was used once."
                        if len(repeated_rows) > 1 else
                        f"Row {listed} repeats an earlier row exactly; it was used once.")
    return frame.drop(index=drop_index), problems, warnings


def _same(a: Any, b: Any) -> bool:
    if is_blank(a) or is_blank(b):  # pandas' NA never compares: decide blanks first
        return is_blank(a) and is_blank(b)
    return bool(a == b)


def consolidate(frame: pd.DataFrame, key: list[str], values: list[str],
                headers: dict[str, str], sheet: str, what: str
                ) -> tuple[pd.DataFrame, list[Problem]]:
    """One row per key, taking each value from whichever rows state it.

    For denormalised sheets where a school's details repeat on each of its rows (or are given
    on only the first): blanks agree with anything, but two rows stating different values for
    the same key is a problem naming both rows.
    """
    present = [v for v in values if v in frame]
    if frame.empty:
        return frame[[*key, *present, ROW]], []
    problems: list[Problem] = []
    out_rows = []
    for _, group in frame.groupby(key, sort=False, dropna=False):
        first = group.iloc[0]
        merged = {k: first[k] for k in key}
        merged[ROW] = first[ROW]
        for v in present:
            stated = group[[v, ROW]][~group[v].map(is_blank)]
            if stated.empty:
                merged[v] = None
                continue
            value, row = stated.iloc[0][v], stated.iloc[0][ROW]
            for other_value, other_row in zip(stated[v].iloc[1:], stated[ROW].iloc[1:],
                                              strict=True):
                if other_value != value:
                    problems.append(Problem(
                        int(other_row), headers.get(v, v), shown(other_value),
                        f"row {int(other_row)} gives a different {headers.get(v, v)} for the "
                        f"same {what} than row {int(row)} ({shown(value)!r}); make them agree",
                        sheet))
                    break
            merged[v] = value
        out_rows.append(merged)
    return pd.DataFrame(out_rows, columns=[*key, *present, ROW]), problems
