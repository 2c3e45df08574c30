"""Reading files as real people send them, and refusing, with a sentence, those we cannot.

Every file here is made in code in its real format: workbooks with openpyxl (read back with
pandas + calamine as in production), CSV in the encodings Excel writes, and files that only
pretend to be spreadsheets.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from impact.auth import DEMO_ADMIN
from impact.importing.pipeline import plan_import
from impact.importing.problems import UnusableFile
from impact.importing.reading import decode_text, read_file
from tests.factories import (
    PNG_BYTES,
    attainment_frame,
    csv_bytes,
    csv_rows_bytes,
    load,
    schools_frame,
    workbook_bytes,
    xls_bytes,
    xlsm_bytes,
    xlsx_bytes,
)

NAMES = ["St Mary\u2019s C of E Primary", "\u00c9cole Fran\u00e7aise Jacques Pr\u00e9vert"]


def _refusal(store, name: str, data: bytes, kind: str | None = None) -> str:
    plan = plan_import(store, name, data, DEMO_ADMIN, kind=kind)
    assert not plan.ok
    assert plan.unusable, plan.problems
    assert plan.changes == []
    return plan.unusable


# --- refusals ---------------------------------------------------------------------------

def test_a_macro_workbook_is_refused_with_what_to_do(store):
    data = xlsm_bytes(xlsx_bytes("attainment", attainment_frame([100001])))
    message = _refusal(store, "results.xlsm", data)
    assert message.startswith("results.xlsm is a macro-enabled workbook (.xlsm)")
    assert "Save As > Excel Workbook (.xlsx)" in message


def test_a_macro_workbook_renamed_xlsx_is_still_refused(store):
    data = xlsm_bytes(xlsx_bytes("attainment", attainment_frame([100001])))
    assert "macro-enabled" in _refusal(store, "results.xlsx", data, kind="attainment")


def test_a_workbook_whose_content_types_say_macros_is_refused(store):
    """Excel marks an .xlsm in [Content_Types].xml even before it holds any VBA."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes("attainment", attainment_frame([100001]))))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
            out.writestr(item, content)
    assert "macro-enabled" in _refusal(store, "a.xlsx", buffer.getvalue())


def test_an_old_xls_workbook_is_refused_with_save_as_xlsx(store):
    message = _refusal(store, "results.xls", xls_bytes())
    assert "Excel 97-2003 workbook (.xls)" in message
    assert "Save As > Excel Workbook (.xlsx)" in message


def test_a_password_protected_workbook_is_not_called_an_xls(store):
    """Excel wraps an encrypted .xlsx in the same OLE2 container as an .xls."""
    data = xls_bytes() + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64
    message = _refusal(store, "results.xlsx", data)
    assert message.startswith("results.xlsx is protected with a password")
    assert "remove the password" in message


def test_a_binary_xlsb_workbook_is_refused_with_save_as_xlsx(store):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")
    message = _refusal(store, "results.xlsb", buffer.getvalue())
    assert "binary workbook (.xlsb)" in message and "Save As" in message


def test_a_web_page_saved_as_xls_is_refused(store):
    page = b"<html><body><table><tr><td>URN</td><td>Value</td></tr></table></body></html>"
    message = _refusal(store, "report.xls", page)
    assert "web page saved with a spreadsheet's name" in message
    assert "Save As > Excel Workbook (.xlsx)" in message


def test_an_image_renamed_xlsx_is_refused(store):
    message = _refusal(store, "results.xlsx", PNG_BYTES)
    assert message.startswith("results.xlsx is a PNG image, not a spreadsheet.")
    assert "Upload the .xlsx or .csv file itself" in message


@pytest.mark.parametrize(("what", "data"), [
    ("a PDF document", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
    ("a JPEG image", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64),
])
def test_other_documents_are_refused_by_what_they_are(store, what, data):
    assert f"is {what}, not a spreadsheet" in _refusal(store, "r.csv", data)


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n  "])
def test_an_empty_file_is_refused(store, data):
    message = _refusal(store, "results.csv", data)
    assert message.startswith("results.csv is empty.")
    assert "upload it again" in message


def test_a_word_document_and_a_plain_zip_are_refused(store):
    for member, what in (("word/document.xml", "a Word document"), ("notes.txt", "a zip file")):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(member, "hello")
        assert what in _refusal(store, "results.xlsx", buffer.getvalue())


def test_a_damaged_workbook_is_refused(store):
    data = xlsx_bytes("attainment", attainment_frame([100001]))
    assert "damaged or incomplete" in _refusal(store, "results.xlsx", data[: len(data) // 2])


def test_a_workbook_with_no_data_sheet_and_no_header_is_refused(store):
    data = workbook_bytes([["Notes from the meeting"], [], ["We did well this term", 3]],
                          sheet="Sheet1", others={"Summary": [["Total", 12]]})
    message = _refusal(store, "notes.xlsx", data)
    assert "does not look like any file this product takes" in message
    assert "Download a template" in message
    # Told what it is, the message names the columns it needs instead.
    message = _refusal(store, "notes.xlsx", data, kind="attainment")
    assert message.startswith("No attainment table was found")
    assert "Academic year" in message and "Measure" in message and "Value" in message
    assert "Download the attainment template" in message


# --- workbooks ----------------------------------------------------------------------------

def test_every_sheet_of_a_workbook_is_read_as_a_raw_grid():
    data = workbook_bytes([["Title"], [], ["URN", "Value"], [100001, 0.45]],
                          others={"Other": [["a", "b"]]})
    sheets = read_file("r.xlsx", data)
    assert [s.name for s in sheets] == ["Data", "Other"]
    grid = sheets[0].grid
    assert grid.iat[0, 0] == "Title"
    assert grid.iloc[1].isna().all()  # the blank row is kept, so row numbers stay true
    assert grid.iat[2, 0] == "URN" and grid.iat[3, 1] == 0.45


def test_accents_and_curly_apostrophes_survive_a_workbook(store):
    frame = schools_frame(2, in_partnership=0)
    frame["School name"] = NAMES
    load(store, "schools", frame)
    assert store.query("SELECT name FROM schools ORDER BY urn")["name"].tolist() == NAMES


# --- CSV encodings ------------------------------------------------------------------------

@pytest.mark.parametrize(("encoding", "reported"), [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252"), ("utf-16", "utf-16"),
])
def test_csv_in_the_encodings_excel_writes(store, encoding, reported):
    frame = schools_frame(2, in_partnership=0)
    frame["School name"] = NAMES
    data = csv_bytes(frame, encoding)
    if encoding == "cp1252":
        assert b"\x92" in data  # the curly apostrophe as Windows-1252 writes it
    sheet = read_file("schools.csv", data)[0]
    assert sheet.encoding == reported
    assert sheet.grid.iat[0, 0] == "URN"  # no BOM left on the first header
    plan = plan_import(store, "schools.csv", data, DEMO_ADMIN)
    assert plan.ok, plan.problems
    assert plan.frames["schools"]["name"].tolist() == NAMES


def test_a_cp1252_return_names_its_schools_with_accents(store):
    frame = schools_frame(2, in_partnership=0)
    frame["School name"] = NAMES
    load(store, "schools", frame)
    rows = [["School", "Academic year", "Term", "Measure", "Cohort size", "Value"],
            [NAMES[0], "2018/19", "Summer", "RWM expected %", 30, "60%"],
            [NAMES[1].upper(), "2018/19", "Summer", "RWM expected %", 28, "55%"]]
    plan = plan_import(store, "r.csv", csv_rows_bytes(rows, "cp1252"), DEMO_ADMIN)
    assert plan.ok, plan.problems
    assert plan.frames["attainment"]["urn"].tolist() == [100001, 100002]


def test_decoding_prefers_utf8_and_falls_back_to_windows_1252():
    assert decode_text("caf\u00e9".encode()) == ("caf\u00e9", "utf-8")
    assert decode_text("caf\u00e9".encode("cp1252")) == ("caf\u00e9", "cp1252")
    assert decode_text("\ufeffcaf\u00e9".encode()) == ("caf\u00e9", "utf-8-sig")


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiters_are_recognised(store, delimiter):
    load(store, "schools", schools_frame(2, in_partnership=0))
    rows = [["URN", "Academic year", "Term", "Measure", "Cohort size", "Value"],
            [100001, "2018/19", "Summer", "KS2 reading, writing and maths: % at expected "
             "standard", 30, "60%"]]
    plan = plan_import(store, "r.csv", csv_rows_bytes(rows, delimiter=delimiter), DEMO_ADMIN)
    assert plan.ok, plan.problems
    assert plan.frames["attainment"]["value"].tolist() == [60.0]


def test_csv_rows_are_the_rows_excel_shows_even_with_a_cell_over_two_lines():
    data = csv_rows_bytes([["URN", "Notes"], [100001, "first line\nsecond line"],
                           [], [100002, "x"]])
    grid = read_file("r.csv", data)[0].grid
    assert grid.iat[1, 1] == "first line\nsecond line"
    assert (grid.iloc[2] == "").all()
    assert grid.iat[3, 0] == "100002"


def test_a_binary_file_that_is_not_a_spreadsheet_is_refused():
    with pytest.raises(UnusableFile) as refused:
        read_file("data.csv", b"\x00\x01\x02garbage\x00" * 20)
    assert "Upload an Excel workbook (.xlsx) or a CSV file" in str(refused.value)
