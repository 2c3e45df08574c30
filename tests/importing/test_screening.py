"""The screening every file passes before a parser sees it: each limit refuses what breaks it,
with a sentence naming the limit, and lets ordinary files through untouched.

Files are real (zip archives and XML written byte for byte by `hostile_files`, CSV text as
Excel writes it) and read in this process with `reading.read_file`, which is what the worker
runs; `test_worker.py` covers the worker itself, and `test_hostile_files.py` the whole way in.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest

from impact.auth import DEMO_ADMIN
from impact.importing.limits import Limits, limits
from impact.importing.pipeline import plan_import
from impact.importing.problems import UnusableFile
from impact.importing.reading import decode_text, read_file
from tests.factories import csv_bytes, schools_frame
from tests.importing import hostile_files as hostile
from tests.importing.hostile_files import _inline, sheet_xml, workbook


def refusal(name: str, data: bytes, limits_: Limits | None = None) -> str:
    with pytest.raises(UnusableFile) as refused:
        read_file(name, data, limits_)
    return str(refused.value)


# --- the limits themselves ----------------------------------------------------------------

def test_limits_come_from_the_environment(monkeypatch):
    assert limits().upload_mb == 50
    monkeypatch.setenv("IMPACT_LIMIT_UPLOAD_MB", "7")
    monkeypatch.setenv("IMPACT_LIMIT_MAX_COLUMNS", "1_000")
    assert (limits().upload_mb, limits().max_columns) == (7, 1000)
    assert limits().upload_bytes == 7 * 1024 * 1024


@pytest.mark.parametrize("value", ["0", "-3", "fifty"])
def test_a_limit_that_is_not_a_positive_number_is_said_at_once(monkeypatch, value):
    monkeypatch.setenv("IMPACT_LIMIT_READ_SECONDS", value)
    with pytest.raises(ValueError, match="IMPACT_LIMIT_READ_SECONDS must be a positive whole"):
        limits()


def test_the_upload_limit_is_in_force_and_said(monkeypatch):
    data = csv_bytes(schools_frame(2, in_partnership=0))
    small = limits().with_(upload_mb=1)
    big = data + b"100099,School,Primary,Testshire,1,1,,,,\r\n" * 30_000
    message = refusal("schools.csv", big, small)
    assert "more than the 1 MB an upload may be" in message and "Split it" in message
    assert read_file("schools.csv", data, small)  # under the limit: read


# --- workbooks ----------------------------------------------------------------------------

def test_an_ordinary_workbook_is_read_as_before():
    data = workbook(sheet_xml(f'<row r="1">{_inline("A1", "URN")}{_inline("B1", "Name")}</row>'
                              f'<row r="2"><c r="A2"><v>100001</v></c>{_inline("B2", "A")}</row>',
                              dimension="A1:B2"))
    grid = read_file("r.xlsx", data)[0].grid
    assert grid.values.tolist() == [["URN", "Name"], [100001, "A"]]


def test_a_single_far_cell_is_refused_naming_the_cell_and_the_limit():
    message = refusal("results.xlsx", hostile.dimension_bomb())
    assert message.startswith("The sheet Data of results.xlsx has something in cell XFD1048576")
    assert "more than the 2,000 columns a sheet may have" in message
    assert "Delete what is in that cell" in message


def test_far_rows_are_bounded_by_rows_and_by_cells():
    far_row = workbook(sheet_xml(f'<row r="1">{_inline("A1", "URN")}</row><row r="1048576">'
                                 f'{_inline("Z1048576", "x")}</row>'))
    message = refusal("r.xlsx", far_row)
    assert "would be read as 1,048,576 rows by 26 columns" in message
    assert "more than the 12,000,000 one upload may have" in message
    assert "Z1048576" in message
    # Within the limits, the same shape is read.
    assert read_file("r.xlsx", far_row, limits().with_(max_cells=30_000_000))[0].grid.shape \
        == (1_048_576, 26)


def test_a_declared_dimension_beyond_the_limits_is_refused():
    message = refusal("results.xlsx", hostile.declared_dimension_bomb())
    assert "says it spans A1:XFD1048576 (1,048,576 rows by 16,384 columns)" in message
    assert "delete the empty rows and columns after your data" in message


def test_empty_formatted_cells_far_away_do_not_count():
    """Excel writes a formatted but empty cell as <c r=".." s="1"/>; the reader skips it, so
    it does not make the sheet too big (a person who put borders round column XFD is not
    refused)."""
    data = workbook(sheet_xml(f'<row r="1">{_inline("A1", "URN")}</row>'
                              '<row r="5"><c r="XFD5" s="1"/></row>'))
    assert read_file("r.xlsx", data)[0].grid.values.tolist() == [["URN"]]


def test_a_cell_written_with_a_namespace_prefix_is_still_found():
    data = workbook(
        f'<?xml version="1.0"?><x:worksheet xmlns:x="{hostile.MAIN}"><x:sheetData>'
        '<x:row r="1"><x:c r="XFD1" t="inlineStr"><x:is><x:t>far</x:t></x:is></x:c></x:row>'
        '</x:sheetData></x:worksheet>'.encode())
    assert "cell XFD1" in refusal("r.xlsx", data)


@pytest.mark.parametrize("make", [hostile.zip_bomb_sheet, hostile.zip_bomb_content_types])
def test_zip_bombs_are_refused_by_their_ratio_before_much_is_unpacked(make):
    data = make()
    assert len(data) < 5_000_000
    message = refusal("results.xlsx", data)
    assert "unpacks to more than 200 times its packed size" in message
    assert "ask for a CSV file instead" in message


def test_a_part_too_big_is_refused_by_its_unpacked_size_whatever_its_ratio():
    # A ratio limit so generous that only the size limit can stop it.
    generous = limits().with_(zip_ratio=1_000_000, zip_member_mb=64)
    message = refusal("results.xlsx", hostile.zip_bomb_sheet(unpacked=100 * 1024 * 1024),
                      generous)
    assert "its part xl/worksheets/sheet1.xml unpacks to more than 64 MB" in message
    total = limits().with_(zip_ratio=1_000_000, zip_total_mb=64)
    message = refusal("results.xlsx", hostile.zip_bomb_sheet(unpacked=100 * 1024 * 1024), total)
    assert "its parts unpack to more than 64 MB in all" in message


def test_declared_sizes_are_not_believed():
    """A zip that says its sheet is 100 bytes, and holds a bomb: the unpacking counts."""
    bomb = hostile._bomb("xl/worksheets/sheet1.xml", b"<worksheet>", b"<row/>" * 100_000,
                         200, b"</worksheet>")
    liar = hostile._Member(bomb.name, bomb.compressed, bomb.crc, 100)
    message = refusal("results.xlsx", workbook(liar))
    assert "200 times its packed size" in message


@pytest.mark.parametrize("make", [hostile.entity_bomb, hostile.external_entity])
def test_xml_with_a_doctype_or_entities_is_refused(make):
    message = refusal("results.xlsx", make())
    assert "declares a document type or entities (<!DOCTYPE or <!ENTITY)" in message
    assert "xl/worksheets/sheet1.xml" in message


def test_a_doctype_in_any_part_is_refused():
    types = hostile._content_types().replace(b"<Types", b'<!DOCTYPE Types SYSTEM "x.dtd"><Types')
    message = refusal("r.xlsx", workbook(sheet_xml(""), content_types=types))
    assert "its part [Content_Types].xml declares a document type" in message


@pytest.mark.parametrize("member", ["xl/vbaproject.bin", "XL/VBAPROJECT.BIN",
                                    "xl/macrosheets/sheet1.xml"])
def test_macro_parts_are_found_whatever_their_case(member):
    extra = [hostile._deflated(member, b"\xd0\xcf\x11\xe0" + b"\x00" * 60)]
    message = refusal("results.xlsx", workbook(sheet_xml(""), extra=extra))
    assert message.startswith("results.xlsx is a macro-enabled workbook (.xlsm)")


def test_macro_content_types_are_found_whatever_their_case():
    types = hostile._content_types().replace(b"sheet.main+xml", b"sheet.MACROENABLED.main+xml")
    assert "macro-enabled" in refusal("r.xlsx", workbook(sheet_xml(""), content_types=types))


def test_a_part_compressed_in_a_way_excel_never_uses_is_refused():
    sheet = hostile._Member("xl/worksheets/sheet1.xml", b"BZh9", 0, 10, method=12)  # bzip2
    assert "a kind of compression Excel does not write" in refusal("r.xlsx", workbook(sheet))


def test_too_many_parts_are_refused():
    extra = [hostile._deflated(f"xl/media/image{i}.png", b"x") for i in range(30)]
    message = refusal("r.xlsx", workbook(sheet_xml(""), extra=extra),
                      limits().with_(zip_members=20))
    assert "has 35 parts inside it, more than the 20" in message


def test_a_utf16_xml_part_is_refused():
    text = sheet_xml("").decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    sheet = b"\xff\xfe" + text.encode("utf-16-le")
    assert "an encoding Excel never writes (UTF-16)" in refusal("r.xlsx", workbook(sheet))


# --- names and bytes ----------------------------------------------------------------------

@pytest.mark.parametrize(("code", "words"), [
    ("png_named_csv", "is a PNG image, not a spreadsheet"),
    ("zip_named_csv", "is a zip file, not an Excel workbook"),
    ("xlsx_named_csv", "Rename it to end in .xlsx"),
    ("text_named_xlsx", "If it is a CSV file, rename it to end in .csv"),
    ("legacy_xls", "Save As > Excel Workbook (.xlsx)"),
])
def test_bytes_that_are_not_what_the_name_says_are_refused(code, words):
    case = hostile.BY_CODE[code]
    assert words in refusal(case.name, case.data())


@pytest.mark.parametrize(("name", "holds"), [("notes.txt", "text"), ("return", "text"),
                                             ("return.xlsm", "xlsx"), ("data.tsv", "text")])
def test_only_xlsx_and_csv_names_are_taken(name, holds):
    data = hostile._schools_xlsx() if holds == "xlsx" else csv_bytes(schools_frame(2))
    message = refusal(name, data)
    assert "only Excel workbooks (.xlsx) and CSV files (.csv) are taken" in message


def test_names_are_judged_without_regard_to_case():
    assert read_file("RESULTS.CSV", csv_bytes(schools_frame(2)))
    assert read_file("Results.XLSX", hostile._schools_xlsx())


# --- text ---------------------------------------------------------------------------------

def test_a_damaged_utf8_byte_is_refused_naming_its_line_not_read_as_windows_1252(store):
    data = hostile.invalid_utf8()
    message = refusal("schools.csv", data)
    assert message.startswith("schools.csv is UTF-8 text with a damaged character: line 3 has "
                              "a byte that is not UTF-8 (0xFF)")
    assert "CSV UTF-8" in message
    plan = plan_import(store, "schools.csv", data, DEMO_ADMIN)
    assert plan.unusable == message and not plan.frames


def test_a_windows_1252_file_is_still_read_as_windows_1252():
    frame = schools_frame(3, in_partnership=0)
    frame["School name"] = ["Sainte Thérèse", "École Prévert", "St Mary’s"]
    assert decode_text(csv_bytes(frame, "cp1252"))[1] == "cp1252"
    # Even one whose letters happen to form a UTF-8 character (É then ’ is a valid pair).
    frame["School name"] = ["CAFÉ’S", "Thérèse", "Noël"]
    text, encoding = decode_text(csv_bytes(frame, "cp1252"))
    assert encoding == "cp1252" and "CAFÉ’S" in text


def test_text_that_is_neither_utf8_nor_windows_1252_is_refused_naming_the_line():
    data = b"URN,School name\r\n100001,Alpha\r\n100002,B\x81eta\r\n"
    message = refusal("schools.csv", data)
    assert "not text in UTF-8 or Windows-1252" in message
    assert "line 3 is the first with a byte that is neither (byte 0x81)" in message


def test_a_damaged_utf8_file_with_a_bom_is_refused():
    data = b"\xef\xbb\xbfURN,School name\r\n100001,Caf\xc3\xa9\r\n100002,Bad \xc3(\r\n"
    assert "line 3 has a byte that is not UTF-8 (0xC3)" in refusal("s.csv", data)


def test_utf16_files_are_read_and_damaged_ones_named():
    data = csv_bytes(schools_frame(2, in_partnership=0), "utf-16")
    assert read_file("s.csv", data)[0].encoding == "utf-16"
    broken = data[:40] + b"\x00\xd8\x41\x00" + data[44:]  # a lone high surrogate
    assert "not readable UTF-16 text: line 1" in refusal("s.csv", broken)


def test_a_nul_anywhere_is_refused_naming_its_line():
    message = refusal("schools.csv", hostile.late_nul())
    assert message.startswith("Line 101 of schools.csv contains a NUL character")
    early = b"URN,School name\r\n100001,Al\x00pha\r\n"
    assert refusal("s.csv", early).startswith("Line 2 of s.csv contains a NUL character")


def test_a_csv_too_wide_is_refused_before_a_grid_is_built():
    message = refusal("results.csv", hostile.million_columns())
    assert message.startswith("Line 1 of results.csv has 1,000,001 columns, more than the "
                              "2,000 a sheet may have")


def test_commas_inside_quotes_are_not_columns():
    long_text = '"' + ", and" * 3000 + '"'
    data = f"URN,Notes\r\n100001,{long_text}\r\n".encode()
    grid = read_file("r.csv", data)[0].grid
    assert grid.shape == (2, 2)


def test_a_record_wider_than_the_limit_over_several_lines_is_refused_by_the_parser():
    # Each line is short, but quoted line breaks make one record of 3,000 fields.
    record = ',"a\nb"'.join(["x" * 3] * 3000)
    data = f"URN\r\n{record}\r\n".encode()
    assert "columns, more than the 2,000 a sheet may have" in refusal("r.csv", data)


def test_a_line_too_long_is_refused():
    message = refusal("schools.csv", hostile.long_line())
    assert message.startswith("Line 3 of schools.csv is 2,000,0")
    assert "characters long, more than the 1,000,000 a line may have" in message


def test_rows_and_cells_of_a_csv_are_bounded():
    data = b"URN,Value\r\n" + b"100001,1\r\n" * 2000
    tight = limits().with_(max_rows=1000)
    assert "has 2,001 rows, more than the 1,000 a sheet may have" in refusal("r.csv", data, tight)
    cells = limits().with_(max_cells=1000)
    assert "holds 4,002 cells" in refusal("r.csv", data, cells)
    big = b"URN,Value\r\n" + b"100001,1\r\n" * 200_000  # the fast path for large files
    assert "holds 400,002 cells" in refusal("r.csv", big, limits().with_(max_cells=1000))


def test_a_real_workbook_from_the_templates_passes_every_check():
    data = hostile._schools_xlsx()
    with zipfile.ZipFile(BytesIO(data)) as archive:
        assert "xl/worksheets/sheet1.xml" in archive.namelist()
    grid = read_file("schools.xlsx", data)[0].grid
    assert "URN" in grid.values.ravel().tolist()
