"""What a file must pass before any parser sees it, so that no file can exhaust the reader.

A parser trusts what a file says about itself; a hostile file lies. So before an .xlsx reaches
calamine, every part inside its zip is unpacked here in a stream, counted as it comes out and
stopped at a cap (the sizes a zip declares are never believed), and held to a ratio of
unpacked to packed size; every XML part is refused if it declares a DOCTYPE or ENTITY (entity
bombs, external entities); the cells of every sheet are located, so a single cell at XFD1048576
is refused before the reader allocates a grid of seventeen billion cells. A CSV is decoded
strictly (see `decode_text`) and bounded in line length, columns and cells.

Each refusal is an `UnusableFile` whose sentence names the limit that was hit (from
`impact.importing.limits`) and what to do. The limits on memory and time that no screening can
foresee are the worker's (`impact.importing.worker`).
"""

from __future__ import annotations

import csv
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from impact.importing.limits import Limits
from impact.importing.problems import UnusableFile

# --- the file as a whole ------------------------------------------------------------------

ACCEPTED = (".xlsx", ".csv")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and also password-protected .xlsx
_SIGNATURES = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "a program"),
    (b"MZ", None),  # a Windows program: checked below, "MZ" also starts ordinary text
    (b"BM", None),  # a bitmap: likewise
)


def extension(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


def screen_file(name: str, data: bytes, limits: Limits) -> str:
    """"xlsx" or "csv": what the bytes are, checked against the file's name; or a refusal
    saying what the file is and what to upload instead."""
    if not data or not data.strip():
        raise UnusableFile(f"{name} is empty. Fill in the template's Data sheet and upload it again.")
    refuse_size(name, len(data), limits)
    if data.startswith(_OLE2):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise UnusableFile(
                f"{name} is protected with a password, so it cannot be read. Open it in Excel, "
                "remove the password (File > Info > Protect Workbook), save it, and upload it "
                "again.")
        raise UnusableFile(
            f"{name} is an old-style Excel 97-2003 workbook (.xls). Open it in Excel and use "
            "File > Save As > Excel Workbook (.xlsx), then upload the .xlsx file.")
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table")):
        raise UnusableFile(
            f"{name} is a web page saved with a spreadsheet's name (some school systems export "
            "reports this way). Open it in Excel and use File > Save As > Excel Workbook "
            "(.xlsx), then upload the .xlsx file.")
    for signature, what in _SIGNATURES:
        if what and data.startswith(signature):
            raise UnusableFile(
                f"{name} is {what}, not a spreadsheet. Upload the .xlsx or .csv file "
                "itself (download a template from this page if you need one).")
    if data.startswith((b"BM", b"MZ")) and b"\x00" in data[:64]:
        what = "a bitmap image" if data.startswith(b"BM") else "a Windows program"
        raise UnusableFile(f"{name} is {what}, not a spreadsheet. Upload an .xlsx or .csv file.")
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"PK"):
        raise UnusableFile(
            f"{name} looks like an Excel file but is damaged or incomplete. Open it in Excel, "
            "save it again as .xlsx, and upload that.")
    if _binary(data[:4096]):
        raise UnusableFile(
            f"{name} is not a spreadsheet this page can read. Upload an Excel workbook (.xlsx) "
            "or a CSV file.")
    suffix = extension(name)
    if suffix in (".xlsx", ".xlsm", ".xls", ".xlsb"):
        raise UnusableFile(
            f"{name} is named {suffix} but holds plain text, not an Excel workbook (it may be a "
            "CSV file with the wrong name). If it is a CSV file, rename it to end in .csv; "
            "otherwise open it in Excel and save it as Excel Workbook (.xlsx). Then upload it "
            "again.")
    if suffix != ".csv":
        raise UnusableFile(_only_xlsx_and_csv(name, suffix, "text"))
    return "csv"


def refuse_size(name: str, size: int, limits: Limits) -> None:
    if size > limits.upload_bytes:
        raise UnusableFile(
            f"{name} is {size / (1024 * 1024):,.1f} MB, more than the {limits.upload_mb:,} MB "
            "an upload may be. Split it into smaller files (for example one per year or per "
            "school) and upload each.")


def _only_xlsx_and_csv(name: str, suffix: str, holds: str) -> str:
    said = f"ends in {suffix}" if suffix else "has no ending such as .xlsx or .csv"
    what = "an Excel workbook" if holds == "xlsx" else "text"
    rename = ".xlsx" if holds == "xlsx" else ".csv"
    return (f"{name} {said}; only Excel workbooks (.xlsx) and CSV files (.csv) are taken. It "
            f"holds {what}: if it is meant to be a {rename} file, rename it to end in "
            f"{rename} and upload it again.")


def _binary(head: bytes) -> bool:
    """Bytes that no text file starts with: NULs among many control characters (a UTF-16 file,
    whose every other byte is NUL, starts with its byte-order mark)."""
    if b"\x00" not in head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    controls = sum(1 for byte in head if byte < 9 or 13 < byte < 32)
    return controls * 10 > len(head)


# --- text ---------------------------------------------------------------------------------

_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}")
_SAVE_AS_UTF8 = ("Open it in Excel and use File > Save As > CSV UTF-8 (Comma delimited), then "
                 "upload that file.")


def decode_text(data: bytes, name: str = "The file") -> tuple[str, str]:
    """Text and the encoding it was in, or a refusal naming the first line that is wrong.

    UTF-8 (with or without a byte-order mark) is taken first. Windows-1252 (what older Excel
    saves as "CSV") only when the whole file decodes as it and the file does not look like
    UTF-8 with a damaged byte: a file with more well-formed UTF-8 characters than bad bytes is
    UTF-8 that was spoiled, and reading it as Windows-1252 would quietly turn every accent
    into two wrong letters ("Thérèse" into "ThÃ©rÃ¨se"). UTF-16 with its byte-order mark
    ("Unicode text") is read too; a file cut short in the middle of its last character keeps
    that row, marked, so its problem is reported.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise UnusableFile(_damaged_utf8(name, data, error.start + 3)) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        body = data[:len(data) // 2 * 2]
        try:
            text = body.decode("utf-16")
        except UnicodeDecodeError as error:
            line = body[:error.start].decode("utf-16", errors="replace").count("\n") + 1
            raise UnusableFile(
                f"{name} is not readable UTF-16 text: line {line:,} holds bytes that are not "
                f"UTF-16. {_SAVE_AS_UTF8}") from None
        return (text + "\ufffd" if len(body) < len(data) else text), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        first_bad = error.start
    if _looks_like_utf8(data):
        raise UnusableFile(_damaged_utf8(name, data, first_bad))
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as error:
        line = _line_of(data, min(first_bad, error.start))
        raise UnusableFile(
            f"{name} is not text in UTF-8 or Windows-1252, the encodings Excel saves CSV files "
            f"in: line {line:,} is the first with a byte that is neither (byte "
            f"0x{data[min(first_bad, error.start)]:02X}). {_SAVE_AS_UTF8}") from None


def _looks_like_utf8(data: bytes) -> bool:
    well_formed = len(_UTF8_SEQUENCE.findall(data))
    bad = data.decode("utf-8", errors="replace").count("\ufffd") - data.count(b"\xef\xbf\xbd")
    return well_formed > 0 and well_formed >= bad


def _damaged_utf8(name: str, data: bytes, at: int) -> str:
    return (f"{name} is UTF-8 text with a damaged character: line {_line_of(data, at):,} has a "
            f"byte that is not UTF-8 (0x{data[at]:02X}) where the rest of the file is. It was "
            "not read, so that no name or figure is changed by guessing. Retype that line's "
            f"accented letters or symbols, or save the file again. {_SAVE_AS_UTF8}")


def _line_of(data: bytes | str, at: int) -> int:
    newline, cr = (b"\n", b"\r") if isinstance(data, bytes) else ("\n", "\r")
    lines = data.count(newline, 0, at)
    if not lines:  # old Mac files end lines with a carriage return alone
        lines = data.count(cr, 0, at)
    return lines + 1


def screen_text(name: str, text: str, delimiter: str, limits: Limits) -> None:
    """No NUL characters, no line longer than the limit, no row wider than the limit, judged
    before the parser builds a grid. (Rows and cells are counted exactly while parsing.)"""
    nul = text.find("\x00")
    if nul >= 0:
        raise UnusableFile(
            f"Line {_line_of(text, nul):,} of {name} contains a NUL character (a zero byte), "
            "which no spreadsheet writes into a CSV file: the file is damaged, or is not text. "
            "Save it again from Excel as CSV UTF-8 and upload that.")
    lines = text.split("\n")
    lengths = list(map(len, lines))
    longest = max(lengths)
    if longest >= limits.max_columns:  # a line needs a separator per column
        for number, line in enumerate(lines, start=1):
            if lengths[number - 1] < limits.max_columns or \
                    line.count(delimiter) < limits.max_columns:
                continue
            columns = line.count(delimiter) + 1
            if '"' in line:  # separators inside quotes do not make columns
                columns = len(next(csv.reader([line], delimiter=delimiter), []))
            if columns > limits.max_columns:
                raise UnusableFile(too_wide(name, f"line {number:,}", columns, limits))
    if longest > limits.max_line_chars:
        number = lengths.index(longest) + 1
        raise UnusableFile(
            f"Line {number:,} of {name} is {longest:,} characters long, more than the "
            f"{limits.max_line_chars:,} a line may have. A CSV file has one row of the "
            "spreadsheet per line: check it was saved as CSV from Excel, or split the long "
            "text over several cells.")


def too_wide(name: str, where: str, columns: int, limits: Limits) -> str:
    return (f"{where[0].upper()}{where[1:]} of {name} has {columns:,} columns, more than the "
            f"{limits.max_columns:,} a sheet may have. Delete the empty columns after your "
            "data (or check the file uses commas between columns), or split the file, and "
            "upload it again.")


def too_many_rows(name: str, where: str, rows: int, limits: Limits) -> str:
    return (f"{where[0].upper()}{where[1:]} of {name} has {rows:,} rows, more than the "
            f"{limits.max_rows:,} a sheet may have. Delete the empty rows after your data, or "
            "split the file, and upload it again.")


def too_many_cells(name: str, cells: int, limits: Limits) -> str:
    return (f"{name} holds {cells:,} cells (rows times columns, over all its sheets), more "
            f"than the {limits.max_cells:,} one upload may have. Split it into smaller files "
            "(for example one per year), or delete empty rows and columns after your data, "
            "and upload each.")


# --- workbooks ----------------------------------------------------------------------------

_CHUNK_IN = 1 << 16
_CHUNK_OUT = 1 << 20
_OVERLAP = 64  # bytes of one chunk kept before the next, so no pattern is cut in two
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_MACROS = re.compile(rb"macroenabled|vbaproject", re.IGNORECASE)
# Fast and generous: every r="B12" in a part (cells with or without a value, and anything else
# spelled so). Only when that estimate breaks a limit is the part read again with `_VALUE_CELL`,
# which counts only cells that hold something, as calamine does.
_REF_COLUMN = re.compile(rb'r="([A-Z]{1,3})[0-9]')
_REF_ROW = re.compile(rb'r="[A-Z]{0,3}([0-9]{1,7})"')
_VALUE_CELL = re.compile(
    rb'<(?:[A-Za-z_][\w.-]*:)?c\s[^<>]*?\br="([A-Z]{1,3})([0-9]{1,7})"[^<>/]*>')
_DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?dimension\s[^>]*?ref="([^"]{0,40})"')
_SHEET = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?sheet\s[^>]*>')
_ATTRIBUTE = re.compile(rb'([\w:.-]+)="([^"]*)"')
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")


@dataclass
class _Part:
    name: str
    unpacked: int = 0
    packed: int = 0
    columns: set[bytes] = field(default_factory=set)
    max_row: int = 0
    declared: str | None = None
    head: bytes = b""  # the first megabyte: the workbook's list of sheets and its links

    @property
    def has_cells(self) -> bool:
        return bool(self.columns) or self.max_row > 0 or self.declared is not None


def column_number(letters: str | bytes) -> int:
    if isinstance(letters, bytes):
        letters = letters.decode("ascii")
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def screen_workbook(name: str, data: bytes, limits: Limits) -> None:
    """Refuse a zip that is not an .xlsx, holds macros, or would exhaust the reader; return
    quietly when calamine may read it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception:  # a damaged zip fails in many ways: bad headers, EOF, bad offsets
        raise _damaged(name) from None
    if len(infos) > limits.zip_members:
        raise UnusableFile(
            f"{name} has {len(infos):,} parts inside it, more than the {limits.zip_members:,} "
            "an Excel workbook may have. Open it in Excel, save it again as .xlsx, and upload "
            "that.")
    members = {info.filename.lower().replace("\\", "/"): info for info in infos}
    if any(_is_macro_part(member) for member in members):
        raise _macros(name)
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
    suffix = extension(name)
    if suffix == ".csv":
        raise UnusableFile(
            f"{name} is an Excel workbook with a name ending in .csv. Rename it to end in "
            ".xlsx and upload it again (or open it in Excel and save it as CSV UTF-8).")
    if suffix != ".xlsx":
        raise UnusableFile(_only_xlsx_and_csv(name, suffix, "xlsx"))

    parts = []
    total = 0
    for info in infos:
        part = _measure(name, data, info, limits, budget=limits.zip_total_mb * 1024 * 1024 - total)
        total += part.unpacked
        parts.append(part)
    sheet_names = _sheet_names(parts)
    cells = 0
    for part in parts:
        if part.has_cells:
            cells += _check_grid(name, data, members, part, sheet_names, limits)
    if cells > limits.max_cells:
        raise UnusableFile(too_many_cells(name, cells, limits))


def _is_macro_part(member: str) -> bool:
    base = member.rsplit("/", 1)[-1]
    return base in ("vbaproject.bin", "vbadata.xml", "vbaprojectsignature.bin") or \
        member.startswith(("xl/macrosheets/", "xl/dialogsheets/"))


def _macros(name: str) -> UnusableFile:
    return UnusableFile(
        f"{name} is a macro-enabled workbook (.xlsm). For safety, macros are not accepted: "
        "use File > Save As > Excel Workbook (.xlsx) and upload that file.")


def _damaged(name: str) -> UnusableFile:
    return UnusableFile(
        f"{name} looks like an Excel file but is damaged or incomplete. Open it in Excel, "
        "save it again as .xlsx, and upload that.")


def _unpacked(name: str, data: bytes, info: zipfile.ZipInfo, cap: int
              ) -> Iterator[tuple[bytes, int]]:
    """A part's contents, unpacked chunk by chunk straight from its compressed bytes, with how
    many compressed bytes have been used so far; stops once more than `cap` bytes came out.

    The sizes in the zip's directory are not used: a deflate stream says itself where it ends.
    """
    view = memoryview(data)
    offset = info.header_offset
    header = bytes(view[offset:offset + 30])
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise _damaged(name)
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    local_name = bytes(view[offset + 30:offset + 30 + name_length])
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    if local_name != info.orig_filename.encode(encoding, errors="replace"):
        raise _damaged(name)  # the part's own header and the zip's directory disagree
    start = offset + 30 + name_length + extra_length
    if info.flag_bits & 0x1:
        raise UnusableFile(
            f"{name} has encrypted parts, so it cannot be read. Open it in Excel, remove any "
            "password, save it as .xlsx, and upload that.")
    if info.compress_type == zipfile.ZIP_STORED:
        end = min(len(data), start + info.compress_size)
        for at in range(start, end, _CHUNK_OUT):
            chunk = bytes(view[at:min(end, at + _CHUNK_OUT)])
            yield chunk, at + len(chunk) - start
            if at + len(chunk) - start > cap:
                return
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise UnusableFile(
            f"{name} uses a kind of compression Excel does not write, so it was not read. "
            "Open it in Excel, save it again as .xlsx, and upload that.")
    inflate = zlib.decompressobj(-15)
    position = start
    produced = 0
    pending: bytes | memoryview = b""
    while not inflate.eof:
        if not pending:
            if position >= len(data):
                raise _damaged(name)
            pending = view[position:position + _CHUNK_IN]
            position += len(pending)
        try:
            out = inflate.decompress(pending, _CHUNK_OUT)
        except zlib.error:
            raise _damaged(name) from None
        pending = inflate.unconsumed_tail
        produced += len(out)
        if out:
            yield out, position - start - len(pending)
        if produced > cap:
            return


def _measure(name: str, data: bytes, info: zipfile.ZipInfo, limits: Limits, budget: int
             ) -> _Part:
    """Unpack one part with a cap, holding it to the size and ratio limits, refusing DOCTYPE
    and ENTITY declarations in XML, and noting where its cells are."""
    member_cap = limits.zip_member_mb * 1024 * 1024
    cap = min(member_cap, max(budget, 0))
    grace = limits.zip_ratio_from_mb * 1024 * 1024
    part = _Part(info.filename)
    tail = b""
    xml = None
    content_types = info.filename.lower() == "[content_types].xml"
    for out, used in _unpacked(name, data, info, cap):
        part.unpacked += len(out)
        part.packed = used
        if part.unpacked > cap:
            if cap < member_cap:
                raise UnusableFile(
                    f"{name} is too big to read: its parts unpack to more than "
                    f"{limits.zip_total_mb:,} MB in all, the most one upload may unpack to. "
                    "Split the data over smaller workbooks (or save it as CSV) and upload "
                    "each.")
            raise UnusableFile(
                f"{name} is too big to read: its part {info.filename} unpacks to more than "
                f"{limits.zip_member_mb:,} MB, the most one part of a workbook may unpack to. "
                "Split the data over smaller workbooks (or save it as CSV) and upload each.")
        if part.unpacked > grace and part.unpacked > limits.zip_ratio * max(used, 1):
            raise UnusableFile(
                f"{name} is not an ordinary Excel workbook: its part {info.filename} unpacks "
                f"to more than {limits.zip_ratio:,} times its packed size, the most a part may "
                "(this is how files built to exhaust a server, \"zip bombs\", are made). It "
                "was not read. Open it in Excel, save it again as .xlsx and upload that; if it "
                "came from another system, ask for a CSV file instead.")
        window = tail + out
        if xml is None:
            start = window.lstrip(b"\xef\xbb\xbf \t\r\n")
            if start.startswith((b"\xff\xfe<\x00", b"\xfe\xff\x00<", b"<\x00", b"\x00<")):
                raise UnusableFile(
                    f"{name} was not read: its part {info.filename} is in an encoding Excel "
                    "never writes (UTF-16). Open it in Excel, save it again as .xlsx, and "
                    "upload that.")
            xml = start.startswith(b"<")
        if xml:
            if _DECLARATION.search(window):
                raise UnusableFile(
                    f"{name} was not read: its part {info.filename} declares a document type "
                    "or entities (<!DOCTYPE or <!ENTITY), which Excel never writes and which "
                    "can make a reader fetch other files or fill its memory. Open it in Excel, "
                    "save it again as .xlsx, and upload that.")
            if content_types and _MACROS.search(window):
                raise _macros(name)
            part.columns.update(_REF_COLUMN.findall(window))
            rows = _REF_ROW.findall(window)
            if rows:
                part.max_row = max(part.max_row, max(map(int, rows)))
            if len(part.head) < _CHUNK_OUT:
                part.head = (part.head + out)[:_CHUNK_OUT]
                if part.declared is None:
                    found = _DIMENSION.search(part.head)
                    if found:
                        part.declared = found.group(1).decode("ascii", "replace")
        tail = window[-_OVERLAP:]
    return part


def _sheet_names(parts: list[_Part]) -> dict[str, str]:
    """Part name (lower case) -> the sheet's name as Excel shows it on its tab."""
    by_name = {p.name.lower(): p for p in parts}
    workbook = by_name.get("xl/workbook.xml")
    links = by_name.get("xl/_rels/workbook.xml.rels")
    if workbook is None or links is None:
        return {}
    targets = {}
    for element in re.findall(rb"<(?:[A-Za-z_][\w.-]*:)?Relationship\s[^>]*>", links.head):
        attributes = dict(_ATTRIBUTE.findall(element))
        target = attributes.get(b"Target", b"").decode("utf-8", "replace")
        if target:
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            targets[attributes.get(b"Id", b"")] = path.lower()
    names = {}
    for element in _SHEET.findall(workbook.head):
        attributes = {k.rsplit(b":", 1)[-1]: v for k, v in _ATTRIBUTE.findall(element)}
        part = targets.get(attributes.get(b"id", b""))
        if part:
            names[part] = attributes.get(b"name", b"").decode("utf-8", "replace")
    return names


def _extent(ref: str) -> tuple[int, int] | None:
    """(last row, last column) of a reference such as "A1:G200" or "XFD1048576"."""
    found = _CELL_REF.findall(ref)
    if not found:
        return None
    return (max(int(row) for _, row in found), max(column_number(c) for c, _ in found))


def _check_grid(name: str, data: bytes, members: dict[str, zipfile.ZipInfo], part: _Part,
                sheet_names: dict[str, str], limits: Limits) -> int:
    """The rows x columns the reader will lay out for this part, after refusing a sheet whose
    declared or actual extent breaks a limit."""
    sheet = sheet_names.get(part.name.lower())
    where = f"sheet {sheet}" if sheet else f"part {part.name}"
    if part.declared is not None:
        extent = _extent(part.declared)
        if extent and (extent[0] > limits.max_rows or extent[1] > limits.max_columns
                       or extent[0] * extent[1] > limits.max_cells):
            raise UnusableFile(
                f"The {where} of {name} says it spans {part.declared} ({extent[0]:,} rows by "
                f"{extent[1]:,} columns), more than a sheet may be ({limits.max_rows:,} rows, "
                f"{limits.max_columns:,} columns, {limits.max_cells:,} cells). Open it in "
                "Excel, delete the empty rows and columns after your data, save it as .xlsx, "
                "and upload it again.")
    rows = part.max_row
    columns = max((column_number(c) for c in part.columns), default=0)
    if rows <= limits.max_rows and columns <= limits.max_columns and \
            rows * columns <= limits.max_cells:
        return rows * columns
    # The quick count also saw empty formatted cells, which the reader skips: count again,
    # only cells that hold something.
    rows, columns, far_row, far_column = _value_extent(
        name, data, members[part.name.lower().replace("\\", "/")])
    if columns > limits.max_columns:
        raise UnusableFile(
            f"The {where} of {name} has something in cell {far_column}, column {columns:,}: "
            f"more than the {limits.max_columns:,} columns a sheet may have. Delete what is in "
            "that cell and any empty columns after your data, save, and upload it again.")
    if rows > limits.max_rows:
        raise UnusableFile(too_many_rows(name, f"the {where}", rows, limits))
    if rows * columns > limits.max_cells:
        raise UnusableFile(
            f"The {where} of {name} has something in cell {far_row} and in cell "
            f"{far_column}, so it would be read as {rows:,} rows by {columns:,} columns "
            f"({rows * columns:,} cells), more than the {limits.max_cells:,} one upload may "
            "have. Delete anything far below or to the right of your data, or split the "
            "file, and upload it again.")
    return rows * columns


def _value_extent(name: str, data: bytes, info: zipfile.ZipInfo) -> tuple[int, int, str, str]:
    """Last row and last column of the cells holding something, counted exactly, with the
    cells that reach them."""
    rows = columns = 0
    far_row = far_column = "A1"
    tail = b""
    for out, _ in _unpacked(name, data, info, cap=1 << 62):  # already measured within caps
        window = tail + out
        for letters, number in _VALUE_CELL.findall(window):
            row, column = int(number), column_number(letters)
            if row > rows:
                rows, far_row = row, (letters + number).decode("ascii")
            if column > columns:
                columns, far_column = column, (letters + number).decode("ascii")
        tail = window[-_OVERLAP * 4:]
    return rows, columns, far_row, far_column
