"""Ofsted inspections and outcomes, as published: the real 2023 file in both its forms, and the
2024/25 and 2025/26 layouts built from Ofsted's column names (no real file of those here).

Expected grades were read by hand from the raw CSV (grep), not from the importer.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from impact.store import Store
from tests.factories import load as load_template
from tests.factories import schools_frame
from tests.importing.public.published_files import (
    OFSTED_2023_COLUMNS,
    OFSTED_2025_COLUMNS,
    OFSTED_RESAVED,
    load,
    ofsted_file,
    ofsted_original_bytes,
    write,
)

AREAS = ["framework", "overall_effectiveness", "quality_of_education", "behaviour_and_attitudes",
         "personal_development", "leadership_and_management", "early_years", "sixth_form",
         "safeguarding", "inclusion", "curriculum_and_teaching", "achievement",
         "attendance_and_behaviour", "personal_development_and_wellbeing",
         "leadership_and_governance", "post_16"]


def inspections(store: Store, urn: int) -> pd.DataFrame:
    frame = store.query(f"SELECT inspection_date, {', '.join(AREAS)} FROM ofsted_inspections "
                        "WHERE urn = ? ORDER BY inspection_date", [urn])
    frame["inspection_date"] = [d.date() if hasattr(d, "date") else d
                                for d in frame["inspection_date"]]
    return frame.set_index("inspection_date")


def grades(row: pd.Series) -> dict[str, str]:
    return {k: v for k, v in row.items() if isinstance(v, str)}


def test_the_real_file_imports_untouched(store):
    result = load(store, OFSTED_RESAVED)
    assert result.status == "accepted", result.as_dict()["errors"]
    assert result.plan.kind == "ofsted_mi"
    summary = result.plan.summary
    # 1,621 schools, 16 never inspected; 1,575 of the inspected have a previous inspection.
    assert (summary["schools"], summary["inspections"]) == (1605, 3180)
    assert summary["frameworks"] == {"graded": 3180}
    assert store.scalar("SELECT count(*) FROM ofsted_inspections") == 3180
    skipped = {s["reason"]: s["count"] for s in summary["skipped"]}
    assert skipped["schools in the file never inspected (no inspection start date)"] == 16


def test_named_schools_latest_and_previous_grades(store):
    load(store, OFSTED_RESAVED)
    # Gospel Oak School (row 761): 11/10/2022 grades 4, 3, 4, 3, 4, safeguarding No, sixth
    # form 3, early years 9; previous 06/07/2016 overall 2, leadership 2, sixth form 2.
    gospel = inspections(store, 135599)
    assert grades(gospel.loc[dt.date(2022, 10, 11)]) == {
        "framework": "graded", "overall_effectiveness": "Inadequate",
        "quality_of_education": "Requires improvement", "behaviour_and_attitudes": "Inadequate",
        "personal_development": "Requires improvement",
        "leadership_and_management": "Inadequate", "sixth_form": "Requires improvement",
        "safeguarding": "No"}
    assert grades(gospel.loc[dt.date(2016, 7, 6)]) == {
        "framework": "graded", "overall_effectiveness": "Good",
        "leadership_and_management": "Good", "sixth_form": "Good", "safeguarding": "Yes"}
    # Hillfields Nursery School (row 2): 13/03/2013 Outstanding (safeguarding 9: not judged);
    # previous 17/06/2010 Outstanding with early years 1.
    nursery = inspections(store, 103633)
    assert grades(nursery.loc[dt.date(2013, 3, 13)]) == {
        "framework": "graded", "overall_effectiveness": "Outstanding",
        "leadership_and_management": "Outstanding"}
    assert nursery.loc[dt.date(2010, 6, 17), "early_years"] == "Outstanding"
    # Phoenix Academy (row 1237): early years written 0.0, which is no grade.
    assert pd.isna(inspections(store, 143382).loc[dt.date(2022, 11, 22), "early_years"])
    # Houlton School (row 1260) has never been inspected.
    assert len(inspections(store, 143707)) == 0
    school = store.query("SELECT name, phase, local_authority, pupils FROM schools "
                         "WHERE urn = 135599").iloc[0]
    assert tuple(school) == ("Gospel Oak School", "Secondary", "Sandwell", 1261)


def test_original_and_resaved_forms_give_identical_grades(store, tmp_path):
    original = ofsted_original_bytes()
    assert original.startswith(b"Web Link,URN,LAESTAB,")  # no unnamed index column
    assert b"/ELS/103633,103633,3311007," in original  # whole numbers, not 103633.0
    assert original.count(b"\r\n") == 1622
    assert b"\x96" in original  # Windows-1252 en dash, not UTF-8
    load(store, OFSTED_RESAVED)
    other = Store(tmp_path / "original.duckdb")
    try:
        result = load(other, write(tmp_path, "ofsted_mi_2023-08-31.csv", original))
        assert result.status == "accepted", result.as_dict()["errors"]
        query = "SELECT * EXCLUDE (upload_id) FROM {} ORDER BY ALL"
        for table in ("ofsted_inspections", "schools"):
            pd.testing.assert_frame_equal(store.query(query.format(table)),
                                          other.query(query.format(table)))
    finally:
        other.close()


def test_next_years_file_adds_inspections_and_keeps_history(store, tmp_path):
    load(store, OFSTED_RESAVED)
    before = store.scalar("SELECT count(*) FROM ofsted_inspections")
    # A year on, Gospel Oak's 2022 inspection has moved to the previous columns.
    next_year = ofsted_file(OFSTED_2023_COLUMNS, [{
        "URN": "135599", "School name": "Gospel Oak School", "Ofsted phase": "Secondary",
        "Inspection start date": "14/05/2024", "Overall effectiveness": "3",
        "Quality of education": "3", "Behaviour and attitudes": "3",
        "Personal development": "2", "Effectiveness of leadership and management": "3",
        "Safeguarding is effective?": "Yes", "Early years provision (where applicable)": "9",
        "Sixth form provision (where applicable)": "3",
        "Previous inspection start date": "11/10/2022",
        "Previous graded inspection overall effectiveness": "4",
        "Previous quality of education": "3", "Previous behaviour and attitudes": "4",
        "Previous personal development": "3",
        "Previous effectiveness of leadership and management": "4",
        "Previous safeguarding is effective?": "No",
        "Previous early years provision (where applicable)": "9",
        "Previous sixth form provision (where applicable)": "3"}])
    result = load(store, write(tmp_path, "ofsted_mi_2024-08-31.csv", next_year))
    assert result.status == "accepted", result.as_dict()["errors"]
    assert (result.plan.rows_added, result.plan.rows_updated) == (1, 0)
    assert store.scalar("SELECT count(*) FROM ofsted_inspections") == before + 1
    gospel = inspections(store, 135599)
    assert list(gospel.index) == [dt.date(2016, 7, 6), dt.date(2022, 10, 11),
                                  dt.date(2024, 5, 14)]
    assert gospel.loc[dt.date(2024, 5, 14), "overall_effectiveness"] == "Requires improvement"
    assert gospel.loc[dt.date(2022, 10, 11), "overall_effectiveness"] == "Inadequate"


def test_key_judgements_layout_from_september_2024(store, tmp_path):
    """The 2024/25 layout (not verified against a real file): same columns, no overall grade."""
    data = ofsted_file(OFSTED_2023_COLUMNS, [{
        "URN": "100001", "School name": "Key Judgement Primary", "Ofsted phase": "Primary",
        "Inspection start date": "15/10/2024", "Overall effectiveness": "Not judged",
        "Quality of education": "2", "Behaviour and attitudes": "1",
        "Personal development": "2", "Effectiveness of leadership and management": "2",
        "Safeguarding is effective?": "Yes", "Early years provision (where applicable)": "2",
        "Sixth form provision (where applicable)": "9",
        "Previous inspection start date": "05/03/2019",
        "Previous graded inspection overall effectiveness": "3",
        "Previous effectiveness of leadership and management": "3"}])
    result = load(store, write(tmp_path, "ofsted_mi_2025-03-31.csv", data))
    assert result.status == "accepted", result.as_dict()["errors"]
    school = inspections(store, 100001)
    assert grades(school.loc[dt.date(2024, 10, 15)]) == {
        "framework": "key_judgements", "quality_of_education": "Good",
        "behaviour_and_attitudes": "Outstanding", "personal_development": "Good",
        "leadership_and_management": "Good", "early_years": "Good", "safeguarding": "Yes"}
    assert grades(school.loc[dt.date(2019, 3, 5)]) == {
        "framework": "graded", "overall_effectiveness": "Requires improvement",
        "leadership_and_management": "Requires improvement"}


def test_an_overall_grade_after_september_2024_is_a_problem(store, tmp_path):
    data = ofsted_file(OFSTED_2023_COLUMNS, [{
        "URN": "100002", "School name": "Wrong Grade School", "Ofsted phase": "Primary",
        "Inspection start date": "15/10/2024", "Overall effectiveness": "2",
        "Quality of education": "Excellent"}])
    result = load(store, write(tmp_path, "ofsted_mi_2025-03-31.csv", data))
    assert result.status == "rejected"
    problems = {(p.row, p.column, p.value): p.message for p in result.plan.problems}
    assert "not graded under Key judgements" in problems[(2, "Overall effectiveness", "2")]
    assert "Outstanding, Good" in problems[(2, "Quality of education", "Excellent")]
    assert store.scalar("SELECT count(*) FROM ofsted_inspections") == 0


def _report_card_rows() -> list[dict[str, str]]:
    card = {
        "URN": "100003", "School name": "Report Card Academy", "Ofsted phase": "Secondary",
        "Type of education": "Academy converter", "Local authority": "Surrey",
        "Inspection start date": "20/11/2025",
        "Safeguarding standards": "Met", "Safeguarding standards - date of grade": "20/11/2025",
        "Inclusion": "Strong standard", "Inclusion - date of grade": "20/11/2025",
        "Curriculum and teaching": "Expected standard",
        "Curriculum and teaching - date of grade": "20/11/2025",
        "Achievement": "Needs attention", "Achievement - date of grade": "20/11/2025",
        "Attendance and behaviour": "Expected standard",
        "Personal development and wellbeing": "Exceptional",
        "Early years (where applicable)": "NULL",
        "Post-16 provision (where applicable)": "Strong standard",
        "Leadership and governance": "Expected standard",
        "Inspection start date of latest OEIF graded inspection": "12/03/2022",
        "Latest OEIF overall effectiveness": "2", "Latest OEIF quality of education": "2",
        "Latest OEIF behaviour and attitudes": "1", "Latest OEIF personal development": "2",
        "Latest OEIF effectiveness of leadership and management": "2",
        "Latest OEIF  safeguarding is effective?": "Yes",
        "Latest OEIF early years provision (where applicable)": "9",
        "Latest OEIF sixth form provision (where applicable)": "2",
    }
    # Not yet given a report card: its latest full inspection is its key-judgements one.
    waiting = {
        "URN": "100004", "School name": "Waiting Primary", "Ofsted phase": "Primary",
        "Inspection start date": "04/02/2025",
        "Inspection start date of latest OEIF graded inspection": "04/02/2025",
        "Latest OEIF overall effectiveness": "Not judged",
        "Latest OEIF quality of education": "3", "Latest OEIF behaviour and attitudes": "2",
        "Latest OEIF personal development": "2",
        "Latest OEIF effectiveness of leadership and management": "3",
        "Latest OEIF  safeguarding is effective?": "Yes",
        "Latest OEIF early years provision (where applicable)": "2",
        "Latest OEIF sixth form provision (where applicable)": "NULL",
        "Date of latest ungraded inspection": "NULL",
    }
    return [card, waiting]


def test_report_card_layout_keeps_each_framework_on_its_own_scale(store, tmp_path):
    """The 2025/26 layout (not verified against a real file; Ofsted's column names)."""
    data = ofsted_file(OFSTED_2025_COLUMNS, _report_card_rows())
    result = load(store, write(tmp_path, "ofsted_mi_latest_2026-01-31.csv", data))
    assert result.status == "accepted", result.as_dict()["errors"]
    assert result.plan.summary["frameworks"] == {"graded": 1, "key_judgements": 1,
                                                 "report_card": 1}
    card = inspections(store, 100003)
    assert grades(card.loc[dt.date(2025, 11, 20)]) == {
        "framework": "report_card", "safeguarding": "Met", "inclusion": "Strong standard",
        "curriculum_and_teaching": "Expected standard", "achievement": "Needs attention",
        "attendance_and_behaviour": "Expected standard",
        "personal_development_and_wellbeing": "Exceptional", "post_16": "Strong standard",
        "leadership_and_governance": "Expected standard"}
    assert grades(card.loc[dt.date(2022, 3, 12)]) == {
        "framework": "graded", "overall_effectiveness": "Good",
        "quality_of_education": "Good", "behaviour_and_attitudes": "Outstanding",
        "personal_development": "Good", "leadership_and_management": "Good",
        "sixth_form": "Good", "safeguarding": "Yes"}
    waiting = inspections(store, 100004)
    assert len(waiting) == 1  # the latest full and latest OEIF columns are one inspection
    assert grades(waiting.loc[dt.date(2025, 2, 4)]) == {
        "framework": "key_judgements", "quality_of_education": "Requires improvement",
        "behaviour_and_attitudes": "Good", "personal_development": "Good",
        "leadership_and_management": "Requires improvement", "early_years": "Good",
        "safeguarding": "Yes"}


def test_a_grade_given_on_a_later_date_is_stored_with_that_date(store, tmp_path):
    rows = _report_card_rows()[:1]
    rows[0]["Achievement - date of grade"] = "20/01/2026"
    data = ofsted_file(OFSTED_2025_COLUMNS, rows)
    assert load(store, write(tmp_path, "ofsted_mi.csv", data)).status == "accepted"
    card = inspections(store, 100003)
    assert pd.isna(card.loc[dt.date(2025, 11, 20), "achievement"])
    assert grades(card.loc[dt.date(2026, 1, 20)]) == {"framework": "report_card",
                                                      "achievement": "Needs attention"}


def test_a_four_point_grade_on_a_report_card_is_a_problem(store, tmp_path):
    rows = _report_card_rows()[:1]
    rows[0]["Inclusion"] = "Good"
    result = load(store, write(tmp_path, "ofsted_mi.csv", ofsted_file(OFSTED_2025_COLUMNS, rows)))
    assert result.status == "rejected"
    problem = next(p for p in result.plan.problems if p.column == "Inclusion")
    assert (problem.row, problem.value) == (2, "Good")
    assert "Exceptional, Strong standard" in problem.message


def test_schools_already_set_up_keep_their_details(store):
    frame = schools_frame(1, first_urn=135599, in_partnership=0)
    frame.loc[0, "School name"] = "Gospel Oak (trust's name)"
    load_template(store, "schools", frame)
    result = load(store, OFSTED_RESAVED)
    assert result.plan.summary["new_schools"] == 1604
    assert store.scalar("SELECT name FROM schools WHERE urn = 135599") == \
        "Gospel Oak (trust's name)"


def test_the_xlsx_publication_gives_the_same_grades(store, tmp_path):
    """Ofsted also publishes the file as .xlsx: numbers are numbers and dates are dates there."""
    import io

    from openpyxl import Workbook

    from tests.importing.public.published_files import csv_rows

    def as_excel(cell: str) -> object:
        try:
            return dt.datetime.strptime(cell, "%d/%m/%Y")
        except ValueError:
            pass
        try:
            return float(cell)
        except ValueError:
            return cell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("D2_Most_recent_inspections")
    for row in csv_rows(OFSTED_RESAVED, encoding="utf-8"):
        sheet.append([as_excel(c) for c in row[1:]])
    buffer = io.BytesIO()
    book.save(buffer)
    result = load(store, write(tmp_path, "ofsted_mi_2023-08-31.xlsx", buffer.getvalue()))
    assert result.status == "accepted", result.as_dict()["errors"]
    other = Store(tmp_path / "csv.duckdb")
    try:
        load(other, OFSTED_RESAVED)
        query = "SELECT * EXCLUDE (upload_id) FROM ofsted_inspections ORDER BY ALL"
        pd.testing.assert_frame_equal(store.query(query), other.query(query))
    finally:
        other.close()
