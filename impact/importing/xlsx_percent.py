"""Which cells of a workbook Excel shows as percentages.

A workbook stores 81% as the number 0.81 in a cell formatted `0%`; calamine gives back only
the 0.81. Read that way, a column of percentages could only be told from a column of
fractions of a percent by guessing (the fraction rule in `impact.importing.cells`), and a
guess is wrong when every figure is 0% or 100%, or when a person adds rows typed as 81 under
rows formatted as percentages. So the reader asks this module which number cells carry a
percent format, and hands them on as `cells.FormattedPercent`: read as the person sees them.

Read from the workbook's own XML with bounded regular expressions, not an XML parser: no
entities are expanded and nothing is built per element. A workbook with no percent format
(most uploads) costs one look at its styles part.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile

import pandas as pd

from impact.importing.cells import FormattedPercent

STYLES_LIMIT = 20 * 1024 * 1024  # a styles part larger than this is not looked into
SHEET_LIMIT = 512 * 1024 * 1024  # nor a sheet part larger than this (uncompressed)

_BUILT_IN_PERCENT = {9, 10}  # 0% and 0.00%
_NUM_FMT = re.compile(rb'<(?:\w+:)?numFmt\b[^>]*?\bnumFmtId="(\d+)"[^>]*?\bformatCode="([^"]*)"')
_CELL_XFS = re.compile(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(rb"<(?:\w+:)?xf\b([^>]*)>")
_ATTR = re.compile(rb'\b([\w:]+)="([^"]*)"')
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_REFERENCE = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")


def _attributes(text: bytes) -> dict[str, str]:
    return {k.decode().split(":")[-1]: html.unescape(v.decode("utf-8", "replace"))
            for k, v in _ATTR.findall(text)}


def _is_percent_code(code: str) -> bool:
    """A number format that shows a % sign (outside quotes, escapes and [colour] brackets)."""
    code = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", html.unescape(code))
    return "%" in code


def _read(archive: zipfile.ZipFile, name: str, limit: int) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > limit:
        return None
    with archive.open(info) as part:
        return part.read(limit + 1)[:limit]


def _percent_styles(archive: zipfile.ZipFile) -> set[str]:
    styles = _read(archive, "xl/styles.xml", STYLES_LIMIT)
    if not styles:
        return set()
    percent_ids = set(_BUILT_IN_PERCENT)
    for number, code in _NUM_FMT.findall(styles):
        if _is_percent_code(code.decode("utf-8", "replace")):
            percent_ids.add(int(number))
    block = _CELL_XFS.search(styles)
    if not block:
        return set()
    found = set()
    for position, xf in enumerate(_XF.findall(block.group(1))):
        number = _attributes(xf).get("numFmtId", "0")
        if number.isdigit() and int(number) in percent_ids:
            found.add(str(position))
    return found


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part's path in the zip."""
    book = _read(archive, "xl/workbook.xml", STYLES_LIMIT) or b""
    rels = _read(archive, "xl/_rels/workbook.xml.rels", STYLES_LIMIT) or b""
    targets = {}
    for rel in _RELATIONSHIP.findall(rels):
        attrs = _attributes(rel)
        if "Id" in attrs and "Target" in attrs:
            target = attrs["Target"]
            targets[attrs["Id"]] = (target.lstrip("/") if target.startswith("/")
                                    else posixpath.normpath(posixpath.join("xl", target)))
    parts = {}
    for sheet in _SHEET.findall(book):
        attrs = _attributes(sheet)
        if attrs.get("name") and attrs.get("id") in targets:
            parts[attrs["name"]] = targets[attrs["id"]]
    return parts


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def percent_cells(archive: zipfile.ZipFile) -> dict[str, list[tuple[int, int]]]:
    """Sheet name -> (row, column) of each number cell formatted as a percentage, 0-based as in
    a `Sheet`'s grid. Empty when the workbook has no percent format."""
    styles = _percent_styles(archive)
    if not styles:
        return {}
    found: dict[str, list[tuple[int, int]]] = {}
    # Only the cells carrying one of those styles are looked at.
    ids = b"|".join(sorted(s.encode() for s in styles))
    styled = re.compile(rb'<(?:\w+:)?c\b([^>]*?\bs="(?:' + ids + rb')"[^>]*?)/?>')
    for name, part in _sheet_parts(archive).items():
        xml = _read(archive, part, SHEET_LIMIT)
        if not xml:
            continue
        cells = []
        for tag in styled.findall(xml):
            attrs = _attributes(tag)
            if attrs.get("s") not in styles or attrs.get("t", "n") != "n":
                continue
            match = _REFERENCE.match(attrs.get("r", ""))
            if match:
                cells.append((int(match.group(2)) - 1, _column_index(match.group(1))))
        if cells:
            found[name] = cells
    return found


def mark(archive: zipfile.ZipFile, grids: dict[str, pd.DataFrame]) -> None:
    """Turn each number cell a workbook shows as a percentage into `FormattedPercent`."""
    for name, cells in percent_cells(archive).items():
        grid = grids.get(name)
        if grid is None:
            continue
        rows, columns = grid.shape
        for row, column in cells:
            if row < rows and column < columns:
                value = grid.iat[row, column]
                if isinstance(value, int | float) and not isinstance(value, bool):
                    grid.iat[row, column] = FormattedPercent(value)
