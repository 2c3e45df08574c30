"""Hostile files, made in code: what an attacker (or a badly broken export) uploads.

Each `Hostile` is a real file in its real format, built byte for byte here: a workbook whose
only cell is at XFD1048576, zip bombs that unpack to a gigabyte from about a megabyte, XML
entity bombs and external entities, a macro part named in lower case, a CSV a million columns
wide, text with a damaged UTF-8 byte or a NUL, binaries wearing a spreadsheet's name. Each
says the words its refusal must contain (the limit that was hit), so the CLI tests, the Upload
page tests, the browser test and `bench/hostile.py` all check the same thing.

`ODD` are files that are unpleasant but legitimate (school names that look like Markdown,
HTML or SQL, a value that looks like a formula): they must be imported, as text.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import pandas as pd

from tests.factories import PNG_BYTES, csv_bytes, schools_frame, xls_bytes, xlsx_bytes

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
GIB = 1024 ** 3


@dataclass(frozen=True)
class Hostile:
    code: str  # short name, for test ids and the benchmark table
    name: str  # the file's name as uploaded
    what: str  # what it is, in a few words
    make: Callable[[], bytes]
    says: tuple[str, ...]  # words the refusal must contain: the limit that was hit
    limit: str  # which limit, in a word or two, for the benchmark table

    def data(self) -> bytes:
        return self.make()


# --- zip files, written by hand (so sizes, names and compression are what we say) -----------

@dataclass(frozen=True)
class _Member:
    name: str
    compressed: bytes
    crc: int
    size: int
    method: int = zipfile.ZIP_DEFLATED


def _deflated(name: str, content: bytes) -> _Member:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return _Member(name, packer.compress(content) + packer.flush(), zlib.crc32(content),
                   len(content))


def _bomb(name: str, prefix: bytes, block: bytes, times: int, suffix: bytes) -> _Member:
    """`prefix + block * times + suffix`, deflated without ever being held in memory: after a
    full flush a deflate stream forgets what came before, so one block compressed once can be
    repeated in the stream, as zip bombs are made."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = packer.compress(prefix) + packer.flush(zlib.Z_FULL_FLUSH)
    one = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    assert one == again, "a full flush should make the block's compression repeatable"
    end = packer.compress(suffix) + packer.flush()
    crc = zlib.crc32(prefix)
    for _ in range(times):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(suffix, crc)
    return _Member(name, head + one * times + end, crc,
                   len(prefix) + len(block) * times + len(suffix))


def _zip(members: list[_Member]) -> bytes:
    """A zip archive, local headers then the central directory, nothing clever."""
    out = io.BytesIO()
    directory = []
    stamp = (0, 33)  # DOS time and date: 1980-01-01
    for member in members:
        offset = out.tell()
        name = member.name.encode("utf-8")
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, member.method, *stamp,
                              member.crc, len(member.compressed), member.size, len(name), 0))
        out.write(name)
        out.write(member.compressed)
        directory.append(struct.pack(
            "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, member.method, *stamp,
            member.crc, len(member.compressed), member.size, len(name), 0, 0, 0, 0, 0,
            offset) + name)
    start = out.tell()
    for entry in directory:
        out.write(entry)
    out.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members),
                          out.tell() - start, start, 0))
    return out.getvalue()


def _content_types(extra: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'{extra}<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>').encode()


_RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook '
             f'xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
             'relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets>'
             '</workbook>').encode()
_WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def sheet_xml(cells: str, *, dimension: str | None = None, doctype: str = "") -> bytes:
    """A worksheet part holding `cells` (the XML inside <sheetData>)."""
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{doctype}'
            f'<worksheet xmlns="{MAIN}">{declared}<sheetData>{cells}</sheetData></worksheet>'
            ).encode()


def workbook(sheet: _Member | bytes, *, content_types: _Member | bytes | None = None,
             extra: list[_Member] | None = None) -> bytes:
    """A one-sheet .xlsx with the parts Excel needs, around the given sheet part."""
    sheet_part = sheet if isinstance(sheet, _Member) else _deflated(
        "xl/worksheets/sheet1.xml", sheet)
    types = content_types if isinstance(content_types, _Member) else _deflated(
        "[Content_Types].xml", content_types or _content_types())
    return _zip([types, _deflated("_rels/.rels", _RELS), _deflated("xl/workbook.xml", _WORKBOOK),
                 _deflated("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS), sheet_part,
                 *(extra or [])])


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


# --- the corpus -----------------------------------------------------------------------------

def dimension_bomb() -> bytes:
    """1.6 KB: one cell, at XFD1048576, the last cell a sheet can have. Read naively, that is a
    grid of 17 billion cells."""
    return workbook(sheet_xml(f'<row r="1048576">{_inline("XFD1048576", "x")}</row>'))


def declared_dimension_bomb() -> bytes:
    """A small sheet that says it spans A1:XFD1048576."""
    return workbook(sheet_xml(f'<row r="1">{_inline("A1", "URN")}</row>',
                              dimension="A1:XFD1048576"))


_ROW = b'<row><c t="inlineStr"><is><t>Bombs away</t></is></c><c><v>1</v></c></row>'


def zip_bomb_sheet(unpacked: int = int(1.1 * GIB)) -> bytes:
    """About a megabyte that unpacks to 1.1 GB of rows in the sheet part."""
    block = _ROW * (1024 * 1024 // len(_ROW))
    prefix = sheet_xml("").split(b"<sheetData>")[0] + b"<sheetData>"
    return workbook(_bomb("xl/worksheets/sheet1.xml", prefix, block, unpacked // len(block),
                          b"</sheetData></worksheet>"))


def zip_bomb_content_types(unpacked: int = int(1.1 * GIB)) -> bytes:
    """A [Content_Types].xml of 1.1 GB (a million-fold repeated default), the part every
    reader opens first."""
    entry = b'<Default Extension="x" ContentType="application/x"/>'
    block = entry * (1024 * 1024 // len(entry))
    whole = _content_types()
    head, tail = whole.split(b"<Default", 1)
    return workbook(sheet_xml(f'<row r="1">{_inline("A1", "URN")}</row>'),
                    content_types=_bomb("[Content_Types].xml", head, block,
                                        unpacked // len(block), b"<Default" + tail))


def entity_bomb() -> bytes:
    """"Billion laughs": ten entities each ten of the one before, a few hundred bytes that a
    parser expanding entities turns into 3 GB."""
    entities = '<!ENTITY lol0 "lolololololololololololololololololololololololololol">'
    for level in range(1, 10):
        entities += f'<!ENTITY lol{level} "' + f"&lol{level - 1};" * 10 + '">'
    return workbook(sheet_xml(f'<row r="1">{_inline("A1", "&lol9;")}</row>',
                              doctype=f"<!DOCTYPE worksheet [{entities}]>"))


def external_entity() -> bytes:
    """XXE: an entity that names a file on the server, for a parser to fetch into a cell."""
    return workbook(sheet_xml(
        f'<row r="1">{_inline("A1", "&xxe;")}</row>',
        doctype='<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'))


def lower_case_macro() -> bytes:
    """A real schools workbook with a VBA project named xl/vbaproject.bin (Excel treats part
    names without regard to case; the old check looked for vbaProject.bin exactly)."""
    source = zipfile.ZipFile(io.BytesIO(_schools_xlsx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            out.writestr(item, source.read(item.filename))
        out.writestr("xl/vbaproject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    return buffer.getvalue()


def million_columns() -> bytes:
    """A CSV whose header row is a million columns wide (2 MB)."""
    return (b"URN" + b",x" * 1_000_000 + b"\r\n100001" + b",1" * 1_000_000 + b"\r\n")


def long_line() -> bytes:
    """A schools CSV with one line of two million characters (a name with no end)."""
    frame = schools_frame(2, in_partnership=0)
    frame.loc[1, "School name"] = "A" * 2_000_000
    return csv_bytes(frame)


def invalid_utf8() -> bytes:
    """UTF-8 with accented names, and one byte on line 3 that is not UTF-8: read as
    Windows-1252 every accent would become two wrong letters ("ThÃ©rÃ¨se")."""
    frame = schools_frame(3, in_partnership=0)
    frame["School name"] = ["Sainte Thérèse", "École Jacques Prévert", "St Mary’s"]
    data = csv_bytes(frame)
    at = data.index("École".encode())
    return data[:at] + b"\xff" + data[at + len("É".encode()):]


def late_nul() -> bytes:
    """A schools CSV with a NUL byte inside a school's name, well past the first 4 KB."""
    data = csv_bytes(schools_frame(120, in_partnership=0))
    at = data.index(b"School 100100")
    assert at > 4096
    return data[:at + 7] + b"\x00" + data[at + 7:]


def text_named_xlsx() -> bytes:
    return csv_bytes(schools_frame(2, in_partnership=0))


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not a spreadsheet")
    return buffer.getvalue()


@cache
def _schools_xlsx() -> bytes:
    return xlsx_bytes("schools", schools_frame(2, in_partnership=0))


def oversized(megabytes: int = 51) -> bytes:
    """A plain schools-like CSV just over the upload limit (50 MB by default)."""
    line = b"100001,School,Primary,Testshire,200,210,,,,\r\n"
    header = b"URN,School name,Phase,Local authority,Pupils on roll,Capacity,Partnership," \
             b"Partnership type,Cohort,Joined date\r\n"
    return header + line * (megabytes * 1024 * 1024 // len(line) + 1)


CORPUS: list[Hostile] = [
    Hostile("dimension_bomb", "results.xlsx", "one cell at XFD1048576 (1.6 KB)", dimension_bomb,
            ("XFD1048576", "2,000 columns"), "columns in a sheet"),
    Hostile("declared_dimension", "results.xlsx", "a sheet that says it spans A1:XFD1048576",
            declared_dimension_bomb, ("A1:XFD1048576", "more than a sheet may be"),
            "declared size of a sheet"),
    Hostile("zip_bomb_sheet", "results.xlsx", "1.1 GB of rows packed into about 1 MB",
            zip_bomb_sheet, ("zip bombs", "200 times its packed size"), "unpacked / packed"),
    Hostile("zip_bomb_content_types", "results.xlsx", "a 1.1 GB [Content_Types].xml",
            zip_bomb_content_types, ("[Content_Types].xml", "200 times its packed size"),
            "unpacked / packed"),
    Hostile("entity_bomb", "results.xlsx", "billion laughs (nested XML entities)", entity_bomb,
            ("<!DOCTYPE or <!ENTITY",), "no DOCTYPE or ENTITY"),
    Hostile("external_entity", "results.xlsx", "XXE: an entity naming /etc/passwd",
            external_entity, ("<!DOCTYPE or <!ENTITY",), "no DOCTYPE or ENTITY"),
    Hostile("lower_case_macro", "results.xlsx", "xl/vbaproject.bin in lower case",
            lower_case_macro, ("macro-enabled workbook",), "no macros"),
    Hostile("million_columns", "results.csv", "a CSV a million columns wide (2 MB)",
            million_columns, ("1,000,001 columns", "2,000"), "columns in a sheet"),
    Hostile("long_line", "schools.csv", "one line of two million characters", long_line,
            ("Line 3", "1,000,000 a line may have"), "characters on a line"),
    Hostile("invalid_utf8", "schools.csv", "UTF-8 with one damaged byte", invalid_utf8,
            ("line 3", "not UTF-8 (0xFF)"), "UTF-8 or Windows-1252"),
    Hostile("late_nul", "schools.csv", "a NUL byte after the first 4 KB", late_nul,
            ("Line 101", "NUL character"), "no NUL"),
    Hostile("png_named_csv", "results.csv", "a PNG image named .csv", lambda: PNG_BYTES,
            ("a PNG image, not a spreadsheet",), "what the bytes are"),
    Hostile("zip_named_csv", "results.csv", "a zip (not a workbook) named .csv", plain_zip,
            ("a zip file, not an Excel workbook",), "what the bytes are"),
    Hostile("xlsx_named_csv", "results.csv", "a real workbook named .csv", _schools_xlsx,
            ("Excel workbook with a name ending in .csv",), "what the bytes are"),
    Hostile("text_named_xlsx", "results.xlsx", "CSV text named .xlsx", text_named_xlsx,
            ("named .xlsx but holds plain text",), "what the bytes are"),
    Hostile("legacy_xls", "results.xls", "an Excel 97-2003 workbook", xls_bytes,
            ("Excel 97-2003 workbook (.xls)",), ".xlsx and .csv only"),
    Hostile("oversized", "big.csv", "51 MB, over the 50 MB limit", oversized,
            ("50 MB an upload may be",), "upload size"),
]
BY_CODE = {h.code: h for h in CORPUS}


# --- unpleasant but legitimate: imported as text ----------------------------------------------

ODD_NAMES = ["[link](http://x)", "<img src=x>", "'; DROP TABLE attainment; --", "=1+1"]


def odd_schools() -> pd.DataFrame:
    frame = schools_frame(len(ODD_NAMES), in_partnership=0)
    frame["School name"] = ODD_NAMES
    return frame


def odd_schools_csv() -> bytes:
    return csv_bytes(odd_schools())


def odd_schools_xlsx() -> bytes:
    """The same names in a workbook, each an ordinary text cell (not a formula: Excel itself
    stores a typed "=1+1" that was entered as text, with a leading apostrophe, as text)."""
    frame = odd_schools()
    rows = [_inline(f"{chr(65 + c)}1", name) for c, name in enumerate(frame.columns)]
    body = [f'<row r="1">{"".join(rows)}</row>']
    for r, record in enumerate(frame.itertuples(index=False), start=2):
        cells = []
        for c, value in enumerate(record):
            if value is None or (isinstance(value, float) and value != value):
                continue
            ref = f"{chr(65 + c)}{r}"
            if isinstance(value, int | float):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            elif isinstance(value, dt.date):
                cells.append(_inline(ref, value.strftime("%d/%m/%Y")))
            else:
                text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                cells.append(_inline(ref, text))
        body.append(f'<row r="{r}">{"".join(cells)}</row>')
    return workbook(sheet_xml("".join(body)))
