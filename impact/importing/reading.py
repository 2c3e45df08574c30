"""Turning an uploaded file's bytes into grids of cells, whatever spreadsheet made it.

A reader knows file formats, not what a return should contain: it gives back every sheet as a
grid (a DataFrame of raw cells, row 0 being spreadsheet row 1) and refuses, with a sentence
saying what to do instead, files it cannot read: macro workbooks, old `.xls` and `.xlsb`,
password-protected workbooks, web pages saved as `.xls`, images, PDFs, empty files, files
whose bytes are not what their name says, and files that would exhaust it (see
`impact.importing.screening`, which every file passes first, and `impact.importing.limits`).

`read_file` parses in the calling process: the importer calls it inside a worker process with
limits on memory and time (`impact.importing.worker.read_file`), never in the server.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from impact.importing import screening, xlsx_percent
from impact.importing.limits import Limits
from impact.importing.limits import limits as current_limits
from impact.importing.problems import UnusableFile
from impact.importing.screening import decode_text

__all__ = ["Sheet", "decode_text", "read_file"]


@dataclass
class Sheet:
    name: str
    grid: pd.DataFrame  # raw cells, object dtype; index 0 is the spreadsheet's row 1
    encoding: str | None = None  # for CSV: how the text was decoded
    # What the formats work out from the grid more than once (its first rows, a published
    # table under its header): every format's `detect`, its options and its validation look
    # at the same sheet, and a national table is 16,000 rows by 300 columns.
    derived: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def row_count(self) -> int:
        return len(self.grid)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "derived": {}}  # worked out again where it is needed

    def row(self, index: int) -> list[Any]:
        """The cells of grid row `index` (spreadsheet row `index + 1`), worked out once."""
        key = ("row", index)
        if key not in self.derived:
            self.derived[key] = self.grid.iloc[index].tolist()
        return self.derived[key]


def read_file(name: str, data: bytes, limits: Limits | None = None) -> list[Sheet]:
    """Every sheet of an .xlsx workbook, or the one sheet of a CSV file, as raw grids."""
    limits = limits or current_limits()
    if screening.screen_file(name, data, limits) == "xlsx":
        screening.screen_workbook(name, data, limits)
        return _read_workbook(name, data, limits)
    return [_read_csv(name, data, limits)]


def _read_workbook(name: str, data: bytes, limits: Limits) -> list[Sheet]:
    try:
        frames = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None,
                               engine="calamine", dtype=object)
    except (MemoryError, KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # noqa: BLE001 - calamine also panics (a BaseException)
        raise UnusableFile(
            f"{name} could not be read as an Excel workbook ({error}). Open it in Excel, "
            "save it again as .xlsx, and upload that.") from None
    cells = 0
    for sheet_name, frame in frames.items():  # what the screening could not foresee
        if frame.shape[1] > limits.max_columns:
            raise UnusableFile(screening.too_wide(name, f"sheet {sheet_name}", frame.shape[1],
                                                  limits))
        if frame.shape[0] > limits.max_rows:
            raise UnusableFile(screening.too_many_rows(name, f"sheet {sheet_name}",
                                                       frame.shape[0], limits))
        cells += frame.size
    if cells > limits.max_cells:
        raise UnusableFile(screening.too_many_cells(name, cells, limits))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # opens: the screening unpacked it
        xlsx_percent.mark(archive, frames)  # 81% stored as 0.81: read as the person sees it
    return [Sheet(sheet_name, frame) for sheet_name, frame in frames.items()]


def _read_csv(name: str, data: bytes, limits: Limits) -> Sheet:
    # A cell may be as long as a line may be (the csv module's own default is 128 KB).
    csv.field_size_limit(max(csv.field_size_limit(), limits.max_line_chars))
    text, encoding = decode_text(data, name)
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    screening.screen_text(name, text, delimiter, limits)
    if len(text) >= FAST_CSV_CHARS:
        fast = _fast_grid(text, delimiter, name, limits)
        if fast is not None:
            return Sheet(name.rsplit("/", 1)[-1], fast, encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as error:
        raise UnusableFile(f"{name} is not a readable CSV file ({error}). Save it from Excel as "
                           "CSV UTF-8, or upload the .xlsx workbook.") from None
    if not rows:
        raise UnusableFile(f"{name} is empty. Fill in the template and upload it again.")
    width = max(len(r) for r in rows)
    _check_size(name, len(rows), width, limits)
    padded = [r + [""] * (width - len(r)) for r in rows]
    # Row i of the grid is record i + 1, which is the row Excel shows when it opens the file
    # (a quoted cell spanning several lines is still one row there).
    grid = pd.DataFrame(padded, dtype=object)
    return Sheet(name.rsplit("/", 1)[-1], grid, encoding)


def _check_size(name: str, rows: int, width: int, limits: Limits) -> None:
    """Refuse a grid too big to build, before building it."""
    if width > limits.max_columns:
        raise UnusableFile(screening.too_wide(name, "a row", width, limits))
    if rows > limits.max_rows:
        raise UnusableFile(screening.too_many_rows(name, "the sheet", rows, limits))
    if rows * width > limits.max_cells:
        raise UnusableFile(screening.too_many_cells(name, rows * width, limits))


# A national performance table (16,000 rows by 300 columns) takes the csv module over a second;
# pandas' C reader gives the same grid several times faster. Only large files take this path,
# and anything it is unsure of (an unterminated quote, a row wider than counted) falls back to
# the csv module above, so small files and odd files read exactly as before.
FAST_CSV_CHARS = 1_000_000
_OTHER_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _fast_grid(text: str, delimiter: str, name: str = "The file",
               limits: Limits | None = None) -> pd.DataFrame | None:
    """The grid `csv.reader` plus padding would give, from pandas' C parser; None if unsure.

    Most large files are as wide as their header row: the parser is first told that width
    (found from the first line, and the rows counted from above by the line breaks, without
    reading the file line by line). A row wider than that is an error for the parser, and then
    the widest record is counted exactly (`_widest_record`) and the file parsed again.
    """
    limits = limits or current_limits()
    width = _header_width(text, delimiter)
    if width:
        most = _most_records(text)
        if most <= limits.max_rows and most * width <= limits.max_cells \
                and width <= limits.max_columns:
            grid = _parse(text, delimiter, width)
            if grid is not None:
                return grid
    width, records = _widest_record(text, delimiter)
    if not width:
        return None
    _check_size(name, records, width, limits)
    return _parse(text, delimiter, width)


def _parse(text: str, delimiter: str, width: int) -> pd.DataFrame | None:
    try:  # as UTF-8 bytes, which the C parser reads as they are (a str it would encode first)
        source: io.IOBase = io.BytesIO(text.encode("utf-8"))
    except UnicodeEncodeError:  # pragma: no cover - decode_text gives no lone surrogates
        source = io.StringIO(text)
    try:
        return pd.read_csv(source, sep=delimiter, header=None, names=range(width),
                           dtype=object, na_filter=False, skip_blank_lines=False, engine="c",
                           quotechar='"', doublequote=True, encoding="utf-8")
    except (pd.errors.ParserError, ValueError):
        return None


def _header_width(text: str, delimiter: str) -> int | None:
    """Fields on the first line, when it is a whole record without quotes; else None."""
    ends = [i for i in (text.find("\n"), text.find("\r")) if i >= 0]
    first = text[:min(ends)] if ends else text
    if '"' in first or _OTHER_BREAKS.search(first):
        return None
    return first.count(delimiter) + 1


def _most_records(text: str) -> int:
    """As many records as the text can hold (a quoted cell over several lines makes fewer):
    one per line break, counting CR LF once."""
    return text.count("\n") + text.count("\r") - text.count("\r\n") + 1


def _widest_record(text: str, delimiter: str) -> tuple[int | None, int]:
    """How many fields the widest record has, as `csv.reader` counts them, and how many
    records there are.

    Lines without quotes are counted by their delimiters; lines with quotes (a quoted name
    holding a comma, a cell spanning lines) are grouped until their quotes balance and read
    with the csv module. None when the quotes never balance.
    """
    if _OTHER_BREAKS.search(text):  # characters str.splitlines breaks at but csv does not
        lines = re.split(r"\r\n|\r|\n", text)
        if lines and lines[-1] == "":
            lines.pop()
    else:
        lines = text.splitlines()
    widest = 0
    records = 0
    pending: list[str] = []
    quotes = 0
    for line in lines:
        count = line.count('"')
        if not pending and not count:
            widest = max(widest, line.count(delimiter) + 1)
            records += 1
            continue
        pending.append(line)
        quotes += count
        if quotes % 2 == 0:
            chunk = io.StringIO("\n".join(pending), newline="")
            try:
                widths = [len(r) for r in csv.reader(chunk, delimiter=delimiter)]
            except csv.Error:  # the csv module path says what is wrong, in a sentence
                return None, records
            widest = max([widest, *widths])
            records += len(widths)
            pending, quotes = [], 0
    return (None if pending else widest), records

