"""Turning an uploaded file's bytes into grids of cells, whatever spreadsheet made it.

A reader knows file formats, not what a return should contain: it gives back every sheet as a
grid (a DataFrame of raw cells, row 0 being spreadsheet row 1) and refuses, with a sentence
saying what to do instead, files it cannot read: macro workbooks, old `.xls`, images, PDFs,
empty files.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

import pandas as pd

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


def _refuse_unreadable(name: str, data: bytes) -> None:
    if not data or not data.strip():
        raise UnusableFile(f"{name} is empty. Fill in the template's Data sheet and upload it again.")
    if len(data) > MAX_BYTES:
        raise UnusableFile(
            f"{name} is larger than {MAX_BYTES // (1024 * 1024)} MB. Split it into smaller files.")
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
    except zipfile.BadZipFile:
        raise UnusableFile(
            f"{name} looks like an Excel file but is damaged or incomplete. Open it in Excel, "
            "save it again as .xlsx, and upload that.") from None
    if "xl/vbaProject.bin" in members or _content_types_say_macros(archive):
        raise UnusableFile(
            f"{name} is a macro-enabled workbook (.xlsm). For safety, macros are not accepted: "
            "use File > Save As > Excel Workbook (.xlsx) and upload that file.")
    if "xl/workbook.xml" not in members:
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
        return data.decode("utf-16"), "utf-16"
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
