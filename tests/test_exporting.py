"""Export then import changes nothing, for every template kind, as CSV and as .xlsx.

The store is filled through the import path with awkward but valid data: names with commas,
quotes, accents and curly apostrophes; long decimals; hidden figures; negative progress scores;
three Ofsted frameworks; a school that left its cohort.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

from impact.auth import DEMO_ADMIN
from impact.exporting import export_bytes, export_frame, export_to
from impact.importing.pipeline import commit, plan_import
from impact.importing.templates import headers, template_kinds
from impact.store import Store
from tests.factories import (
    attainment_frame,
    benchmarks_frame,
    cpd_frame,
    frame_bytes,
    load,
    loaded_store,
    schools_frame,
    snapshot,
)

KINDS = ("schools", "attainment", "ofsted", "cpd", "benchmarks")
DATA_TABLES = ("schools", "partnerships", "cohorts", "memberships", "attainment", "benchmarks",
               "ofsted_inspections", "cpd_activities")


def _awkward(store) -> None:
    loaded_store(store, n_schools=6)
    schools = schools_frame(3, first_urn=100101, partnership="Oak, Ash & \u201cElm\u201d Trust",
                            in_partnership=2, cohort="Cohort 2: reading")
    schools["School name"] = ["St Mary\u2019s C of E Primary", "\u00c9cole \"Fran\u00e7aise\"",
                              "Smith, Jones and Co Academy"]
    schools["Left date"] = [dt.date(2024, 8, 31), None, None]
    schools["Cohort focus"] = ["Leading learning\nand reading", "Leading learning\nand reading",
                               None]
    schools["Pupils on roll"] = [None, 1234, 56]
    load(store, "schools", schools)
    rows = [
        (100101, "2018/19", "Summer", "KS2 reading, writing and maths: % at expected standard",
         "Disadvantaged", 7, "33.333333%"),
        (100101, "2018/19", "Summer", "KS2 maths progress score", "All pupils", 28, -1.25),
        (100101, "2018/19", "Summer", "KS2 reading: average scaled score", "SEND", 4, "c"),
        (100101, "2018/19", "Summer", "KS2 reading: average scaled score", "EAL", None, "x"),
        (100101, "2018/19", "Summer", "KS2 reading, writing and maths: % at higher standard",
         "Girls", 14, "low"),
        (100102, "2022/23", "Autumn", "Teacher assessment: % on track in reading", "Boys", 60,
         "0%"),
        (100102, "2022/23", "Spring", "Teacher assessment: % on track in reading", "Boys", 60,
         "100%"),
        (100102, "2022/23", "Summer", "Teacher assessment: % on track in reading", "Boys", 60,
         "66.666667%"),
        (100103, "2023/24", "Summer", "KS4 Progress 8 score", "All pupils", 180, -0.04),
        (100103, "2023/24", "Summer", "KS4 Attainment 8 score", "All pupils", 180, 46.7),
    ]
    load(store, "attainment", pd.DataFrame(
        rows, columns=["URN", "Academic year", "Term", "Measure", "Pupil group", "Cohort size",
                       "Value"]))
    cpd = cpd_frame([100101], range(2023, 2024))
    cpd.loc[0, "Hours each"] = 10 / 3
    cpd.loc[0, "Lessons good or better (%)"] = "0.5%"
    cpd.loc[0, "Description"] = "Peer review, then \u201cfeedback\u201d; 3 schools"
    load(store, "cpd", cpd)
    bench = benchmarks_frame(range(2022, 2023))
    bench.loc[1, "Area code"] = None  # a local authority known only by name
    load(store, "benchmarks", bench)


@pytest.fixture(scope="module")
def awkward_file(tmp_path_factory) -> Path:
    """Built once (it takes a few seconds), then copied for each test."""
    path = tmp_path_factory.mktemp("awkward") / "store.duckdb"
    with Store(path) as store:
        _awkward(store)
    return path


@pytest.fixture
def awkward(awkward_file, tmp_path):
    path = tmp_path / "awkward.duckdb"
    shutil.copyfile(awkward_file, path)
    with Store(path) as store:
        yield store


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", KINDS)
def test_export_then_import_changes_nothing(awkward, kind, fmt):
    before = snapshot(awkward)
    data = export_bytes(awkward, kind, fmt)
    plan = plan_import(awkward, f"export.{fmt}", data, DEMO_ADMIN)  # recognised unaided
    assert plan.kind == kind
    assert plan.ok, plan.unusable or [str(p) for p in plan.problems]
    assert plan.rows_added == 0 and plan.rows_updated == 0
    assert plan.rows_unchanged == sum(len(before[t]) for t in template_kinds()[kind].tables)
    assert plan.rows_unchanged > 0
    commit(awkward, plan, DEMO_ADMIN)
    after = snapshot(awkward)
    assert {t: after[t] for t in DATA_TABLES} == {t: before[t] for t in DATA_TABLES}


@pytest.mark.parametrize("kind", KINDS)
def test_an_export_is_in_the_templates_own_columns(awkward, kind):
    frame = export_frame(awkward, kind)
    template = headers(template_kinds()[kind])
    assert list(frame.columns) == [h for h in template if h in frame.columns]
    assert {"URN", "Academic year", "Measure", "Value", "Inspection date", "Activity",
            "Area type"} & set(frame.columns)


def test_exported_values_read_as_a_person_expects(awkward):
    csv = export_bytes(awkward, "attainment", "csv")
    assert csv.startswith(b"\xef\xbb\xbf")  # so Excel opens the UTF-8 text correctly
    frame = pd.read_csv(io.BytesIO(csv), dtype=str, keep_default_na=False)
    rows = frame[frame["URN"] == "100101"].set_index("Pupil group")["Value"].to_dict()
    assert rows["Disadvantaged"] == "33.333333%"
    assert rows["SEND"] == "c"  # never 0
    assert rows["EAL"] == "x"
    assert rows["Girls"] == "low"
    assert "-1.25" in frame["Value"].tolist()
    schools = pd.read_csv(io.BytesIO(export_bytes(awkward, "schools", "csv")), dtype=str,
                          keep_default_na=False)
    assert "St Mary\u2019s C of E Primary" in schools["School name"].tolist()
    assert "31/08/2024" in schools["Left date"].tolist()


def test_export_to_a_file_takes_the_format_from_its_name(awkward, tmp_path):
    xlsx = export_to(awkward, "cpd", tmp_path / "cpd.xlsx")
    assert xlsx.read_bytes().startswith(b"PK")
    csv = export_to(awkward, "cpd", tmp_path / "cpd.csv")
    assert csv.read_text(encoding="utf-8-sig").startswith("URN,")


def test_export_of_an_unknown_kind_or_format(store):
    with pytest.raises(KeyError, match="no template kind 'pupils'"):
        export_bytes(store, "pupils")
    with pytest.raises(ValueError, match="format must be one of"):
        export_bytes(store, "cpd", "ods")


def test_an_exported_file_reimported_after_a_correction_updates_only_that_row(awkward):
    exported = export_frame(awkward, "attainment")
    exported = exported.astype({"Value": object})
    target = exported.index[(exported["URN"] == 100103)
                            & (exported["Measure"] == "KS4 Attainment 8 score")][0]
    exported.loc[target, "Value"] = 47.1
    plan = plan_import(awkward, "fixed.csv", frame_bytes(exported, "csv"), DEMO_ADMIN)
    assert plan.ok, plan.problems
    assert (plan.rows_added, plan.rows_updated) == (0, 1)
    change = plan.changes[0].changed_values.iloc[0]
    assert (change["field"], change["before"], change["after"]) == ("value", "46.7", "47.1")


def test_attainment_export_of_a_fresh_upload(store):
    load(store, "schools", schools_frame(2))
    load(store, "attainment", attainment_frame([100001], range(2018, 2019)))
    frame = export_frame(store, "attainment")
    assert frame[["URN", "School", "Academic year", "Term", "Pupil group"]] \
        .to_records(index=False).tolist() == [
        (100001, "School 100001", "2018/19", "Summer", "All pupils")]


# --- exports that cannot run anything in a spreadsheet -----------------------------------------

FORMULAS = {  # stored text that a spreadsheet would run as a formula if written raw
    "name": '=HYPERLINK("http://evil.example/x","Click")',
    "partnership": "+cmd|' /C calc'!A0",
    "cohort": "-2+3+cmd|' /C calc'!A0",
    "focus": "@SUM(1+1)*cmd|' /C calc'!A0",
    "description": "=1+2",
    "quoted": "'=already quoted",  # typed ''=already quoted: the importer takes one ' off
}


@pytest.fixture
def hostile(store):
    """A store holding formula-looking text in every kind's text columns, loaded through the
    import path from a CSV (so the text arrives exactly as typed), with a negative progress
    score, percentages that are all 0% or 100%, and suppressed codes."""
    schools = schools_frame(3, partnership=FORMULAS["partnership"], in_partnership=2,
                            cohort=FORMULAS["cohort"])
    schools.loc[0, "School name"] = FORMULAS["name"]
    schools.loc[1, "School name"] = "'" + FORMULAS["quoted"]
    schools["Cohort focus"] = [FORMULAS["focus"], FORMULAS["focus"], None]
    _csv_load(store, "schools", schools)
    rows = [
        (100001, "2018/19", "Summer", "KS2 reading, writing and maths: % at expected standard",
         "All pupils", 30, "100%"),
        (100002, "2018/19", "Summer", "KS2 reading, writing and maths: % at expected standard",
         "All pupils", 30, "0%"),
        (100001, "2018/19", "Summer", "KS2 maths progress score", "All pupils", 28, -1.25),
        (100002, "2018/19", "Summer", "KS2 maths progress score", "All pupils", 3, "c"),
        (100003, "2018/19", "Summer", "KS2 reading: average scaled score", "All pupils", 20,
         "SUPP"),
    ]
    _csv_load(store, "attainment", pd.DataFrame(rows, columns=[
        "URN", "Academic year", "Term", "Measure", "Pupil group", "Cohort size", "Value"]))
    cpd = cpd_frame([100001], range(2023, 2024))
    cpd.loc[0, "Description"] = FORMULAS["description"]
    cpd.loc[0, "Lessons good or better (%)"] = "100%"
    _csv_load(store, "cpd", cpd)
    return store


def _csv_load(store, kind, frame):
    from tests.factories import csv_bytes

    plan = plan_import(store, f"{kind}.csv", csv_bytes(frame), DEMO_ADMIN, kind=kind)
    assert plan.ok, plan.unusable or [str(p) for p in plan.problems]
    commit(store, plan, DEMO_ADMIN)


def _csv_cells(data: bytes) -> list[str]:
    import csv

    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row]


def test_formula_looking_text_is_stored_as_typed(hostile):
    """(Less one ' before a trigger: the apostrophe rule.)"""
    names = set(hostile.query("SELECT name FROM schools")["name"])
    assert {FORMULAS["name"], FORMULAS["quoted"]} <= names
    assert hostile.scalar("SELECT description FROM cpd_activities WHERE description IS NOT NULL"
                          ) == FORMULAS["description"]


@pytest.mark.parametrize("kind", ["schools", "attainment", "cpd"])
def test_no_csv_cell_starts_like_a_formula(hostile, kind):
    cells = _csv_cells(export_bytes(hostile, kind, "csv"))
    assert cells
    dangerous = [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")
                 or (c.startswith("-") and not c.lstrip("-").replace(".", "").isdigit())]
    assert dangerous == []
    quoted = {c for c in cells if c.startswith("'")}
    expected = {"schools": {"'" + FORMULAS["name"], "''=already quoted",
                            "'" + FORMULAS["partnership"], "'" + FORMULAS["cohort"],
                            "'" + FORMULAS["focus"]},
                "attainment": {"'" + FORMULAS["name"], "''=already quoted"},
                "cpd": {"'" + FORMULAS["name"], "'" + FORMULAS["description"]}}[kind]
    assert quoted == expected


def test_numbers_stay_numbers_in_a_csv(hostile):
    cells = _csv_cells(export_bytes(hostile, "attainment", "csv"))
    assert "-1.25" in cells and "'-1.25" not in cells
    assert {"100%", "0%", "c", "SUPP"} <= set(cells)


def _workbook(data: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data))


@pytest.mark.parametrize("kind", KINDS)
def test_a_workbook_export_holds_no_formula_and_asks_for_no_recalculation(hostile, kind):
    import zipfile

    data = export_bytes(hostile, kind, "xlsx")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
        assert b'fullCalcOnLoad="1"' not in archive.read("xl/workbook.xml")
    sheet = _workbook(data)["Data"]
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
            if isinstance(cell.value, str):
                assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), cell.value


def test_workbook_cells_are_text_numbers_and_percentages(hostile):
    schools = _workbook(export_bytes(hostile, "schools", "xlsx"))["Data"]
    names = [c.value for c in next(schools.iter_cols(min_col=2, max_col=2, min_row=2))]
    assert "'" + FORMULAS["name"] in names and "''=already quoted" in names
    sheet = _workbook(export_bytes(hostile, "attainment", "xlsx"))["Data"]
    header = [c.value for c in sheet[1]]
    value = header.index("Value")
    cells = {(r[0].value, r[header.index("Measure")].value): r[value] for r in
             sheet.iter_rows(min_row=2)}
    full = cells[(100001, "KS2 reading, writing and maths: % at expected standard")]
    assert (full.data_type, full.value, full.number_format) == ("n", 1.0, "0%")
    none = cells[(100002, "KS2 reading, writing and maths: % at expected standard")]
    assert (none.value, none.number_format) == (0.0, "0%")
    negative = cells[(100001, "KS2 maths progress score")]
    assert (negative.data_type, negative.value) == ("n", -1.25)
    assert cells[(100002, "KS2 maths progress score")].value == "c"
    cpd = _workbook(export_bytes(hostile, "cpd", "xlsx"))["Data"]
    header = [c.value for c in cpd[1]]
    lessons = cpd.cell(row=2, column=header.index("Lessons good or better (%)") + 1)
    assert (lessons.data_type, lessons.value, lessons.number_format) == ("n", 1.0, "0%")
    csv = pd.read_csv(io.BytesIO(export_bytes(hostile, "cpd", "csv")), dtype=str)
    assert csv["Lessons good or better (%)"].tolist()[0] == "100%"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", ["schools", "attainment", "cpd"])
def test_export_then_import_of_formula_looking_values_changes_nothing(hostile, kind, fmt):
    before = snapshot(hostile)
    plan = plan_import(hostile, f"export.{fmt}", export_bytes(hostile, kind, fmt), DEMO_ADMIN)
    assert plan.kind == kind
    assert plan.ok, plan.unusable or [str(p) for p in plan.problems]
    assert (plan.rows_added, plan.rows_updated) == (0, 0)
    assert plan.rows_unchanged == sum(len(before[t]) for t in template_kinds()[kind].tables)
    commit(hostile, plan, DEMO_ADMIN)
    after = snapshot(hostile)
    assert {t: after[t] for t in DATA_TABLES} == {t: before[t] for t in DATA_TABLES}


def test_rows_typed_into_an_exported_workbook_read_as_a_person_means_them(hostile):
    """Under cells Excel formats as percentages (100% is 1.0), a new row typed as 45 is 45%,
    and the formatted cells are still 100% and 0%, not 1% and 0%."""
    book = _workbook(export_bytes(hostile, "attainment", "xlsx"))
    sheet = book["Data"]
    header = [c.value for c in sheet[1]]
    sheet.append([{"URN": 100003, "Academic year": "2018/19", "Term": "Summer",
                   "Measure": "KS2 reading, writing and maths: % at expected standard",
                   "Pupil group": "All pupils", "Cohort size": 20, "Value": 45}.get(h)
                  for h in header])
    buffer = io.BytesIO()
    book.save(buffer)
    plan = plan_import(hostile, "edited.xlsx", buffer.getvalue(), DEMO_ADMIN)
    assert plan.ok, plan.unusable or [str(p) for p in plan.problems]
    assert (plan.rows_added, plan.rows_updated) == (1, 0)
    frame = plan.frames["attainment"]
    values = dict(zip(frame["urn"], frame["value"].where(frame["measure"] == "ks2_rwm_exp"),
                      strict=True))
    assert (values[100001], values[100002], values[100003]) == (100.0, 0.0, 45.0)
