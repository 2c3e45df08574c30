"""Turning an uploaded file's bytes into grids of cells, whatever spreadsheet made it.

A reader knows file formats, not what a return should contain: it gives back every sheet as a
grid (a DataFrame of raw cells, row 0 being spreadsheet row 1) and refuses, with a sentence
saying what to do instead, files it cannot read: macro workbooks, old `.xls` and `.xlsb`,
password-protected workbooks, web pages saved as `.xls`, images, PDFs, empty files.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass

import pandas as pd

from impact.importing import xlsx_percent
from impact.importing.problems import UnusableFile

MAX_BYTES = 200 * 1024 * 1024


@dataclass
class Sheet:
    name: str
    grid: pd.DataFrame  # raw cells, object dtype; index 0 is the spreadsheet's row 1
    encoding: str | None = None  # for CSV: how the text was decoded

    @property
    def row_count(self) -> int:
        return len(self.grid)


_SIGNATURES = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"BM", None),  # bitmap: checked below, "BM" also starts ordinary text
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-style Excel 97-2003 workbook (.xls)"),
)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and also password-protected .xlsx


def _refuse_unreadable(name: str, data: bytes) -> None:
    if not data or not data.strip():
        raise UnusableFile(f"{name} is empty. Fill in the template's Data sheet and upload it again.")
    if len(data) > MAX_BYTES:
        raise UnusableFile(
            f"{name} is larger than {MAX_BYTES // (1024 * 1024)} MB. Split it into smaller files.")
    if data.startswith(_OLE2) and "EncryptedPackage".encode("utf-16-le") in data:
        raise UnusableFile(
            f"{name} is protected with a password, so it cannot be read. Open it in Excel, "
            "remove the password (File > Info > Protect Workbook), save it, and upload it again.")
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table")):
        raise UnusableFile(
            f"{name} is a web page saved with a spreadsheet's name (some school systems export "
            "reports this way). Open it in Excel and use File > Save As > Excel Workbook "
            "(.xlsx), then upload the .xlsx file.")
    for signature, what in _SIGNATURES:
        if what and data.startswith(signature):
            if "xls" in what:
                raise UnusableFile(
                    f"{name} is {what}. Open it in Excel and use File > Save As > "
                    "Excel Workbook (.xlsx), then upload the .xlsx file.")
            raise UnusableFile(
                f"{name} is {what}, not a spreadsheet. Upload the .xlsx or .csv file "
                "itself (download a template from this page if you need one).")
    if data.startswith(b"BM") and b"\x00" in data[:64]:
        raise UnusableFile(f"{name} is a bitmap image, not a spreadsheet. Upload an .xlsx or "
                           ".csv file.")


def read_file(name: str, data: bytes) -> list[Sheet]:
    """Every sheet of an .xlsx workbook, or the one sheet of a CSV file, as raw grids."""
    _refuse_unreadable(name, data)
    if data.startswith(b"PK\x03\x04"):
        return _read_workbook(name, data)
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnusableFile(
            f"{name} is not a spreadsheet this page can read. Upload an Excel workbook (.xlsx) "
            "or a CSV file.")
    return [_read_csv(name, data)]


def _read_workbook(name: str, data: bytes) -> list[Sheet]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = set(archive.namelist())
        macros = "xl/vbaProject.bin" in members or _content_types_say_macros(archive)
    except Exception:  # a damaged zip fails in many ways: bad CRC, zlib, EOF, bad headers
        raise UnusableFile(
            f"{name} looks like an Excel file but is damaged or incomplete. Open it in Excel, "
            "save it again as .xlsx, and upload that.") from None
    if macros:
        raise UnusableFile(
            f"{name} is a macro-enabled workbook (.xlsm). For safety, macros are not accepted: "
            "use File > Save As > Excel Workbook (.xlsx) and upload that file.")
    if "xl/workbook.xml" not in members:
        if "xl/workbook.bin" in members:
            raise UnusableFile(
                f"{name} is an Excel binary workbook (.xlsb). Open it in Excel and use File > "
                "Save As > Excel Workbook (.xlsx), then upload the .xlsx file.")
        if "content.xml" in members:
            raise UnusableFile(
                f"{name} is an OpenDocument spreadsheet. Save it as Excel Workbook (.xlsx) "
                "and upload that.")
        if "word/document.xml" in members:
            raise UnusableFile(f"{name} is a Word document, not a spreadsheet. Upload an "
                               ".xlsx or .csv file.")
        raise UnusableFile(f"{name} is a zip file, not an Excel workbook. Upload an .xlsx "
                           "or .csv file.")
    try:
        frames = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None,
                               engine="calamine", dtype=object)
    except Exception as error:  # calamine reports damaged workbooks in several ways
        raise UnusableFile(
            f"{name} could not be read as an Excel workbook ({error}). Open it in Excel, "
            "save it again as .xlsx, and upload that.") from None
    xlsx_percent.mark(archive, frames)  # 81% stored as 0.81: read as the person sees it
    return [Sheet(sheet_name, frame) for sheet_name, frame in frames.items()]


def _content_types_say_macros(archive: zipfile.ZipFile) -> bool:
    try:
        types = archive.read("[Content_Types].xml")
    except KeyError:
        return False
    return b"macroEnabled" in types


def decode_text(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was in: UTF-8 (with or without BOM), UTF-16, or Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # errors="replace": a file cut short mid-character must still get its sentence
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def _read_csv(name: str, data: bytes) -> Sheet:
    text, encoding = decode_text(data)
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    if len(text) >= FAST_CSV_CHARS:
        fast = _fast_grid(text, delimiter)
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
    padded = [r + [""] * (width - len(r)) for r in rows]
    # Row i of the grid is record i + 1, which is the row Excel shows when it opens the file
    # (a quoted cell spanning several lines is still one row there).
    grid = pd.DataFrame(padded, dtype=object)
    return Sheet(name.rsplit("/", 1)[-1], grid, encoding)


# A national performance table (16,000 rows by 300 columns) takes the csv module over a second;
# pandas' C reader gives the same grid several times faster. Only large files take this path,
# and anything it is unsure of (an unterminated quote, a row wider than counted) falls back to
# the csv module above, so small files and odd files read exactly as before.
FAST_CSV_CHARS = 1_000_000
_OTHER_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _fast_grid(text: str, delimiter: str) -> pd.DataFrame | None:
    """The grid `csv.reader` plus padding would give, from pandas' C parser; None if unsure."""
    width = _widest_record(text, delimiter)
    if not width:
        return None
    try:
        return pd.read_csv(io.StringIO(text), sep=delimiter, header=None, names=range(width),
                           dtype=object, na_filter=False, skip_blank_lines=False, engine="c",
                           quotechar='"', doublequote=True)
    except (pd.errors.ParserError, ValueError):
        return None


def _widest_record(text: str, delimiter: str) -> int | None:
    """How many fields the widest record has, as `csv.reader` counts them.

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
    pending: list[str] = []
    quotes = 0
    for line in lines:
        count = line.count('"')
        if not pending and not count:
            widest = max(widest, line.count(delimiter) + 1)
            continue
        pending.append(line)
        quotes += count
        if quotes % 2 == 0:
            chunk = io.StringIO("\n".join(pending), newline="")
            widest = max([widest, *(len(r) for r in csv.reader(chunk, delimiter=delimiter))])
            pending, quotes = [], 0
    return None if pending else widest

