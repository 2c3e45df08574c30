"""Tolerating what real spreadsheets do, end to end: the file is planned, committed, and the
store holds what the person meant.

Each case is written both as an .xlsx (read with calamine) and as a CSV, from the same grid of
cells, because the two reach the validators with different raw types (numbers and dates from a
workbook, text from a CSV).
"""

from __future__ import annotations

import datetime as dt

import pytest

from impact.auth import DEMO_ADMIN
from impact.importing.pipeline import commit, plan_import
from tests.factories import csv_rows_bytes, load, schools_frame, workbook_bytes

RWM = "KS2 reading, writing and maths: % at expected standard"
FORMATS = ("xlsx", "csv")


def _file(rows: list[list[object]], fmt: str) -> tuple[str, bytes]:
    if fmt == "xlsx":
        return "return.xlsx", workbook_bytes(rows)
    return "return.csv", csv_rows_bytes(rows)


def _accept(store, rows, fmt, kind=None):
    name, data = _file(rows, fmt)
    plan = plan_import(store, name, data, DEMO_ADMIN, kind=kind)
    assert plan.ok, plan.unusable or [str(p) for p in plan.problems]
    commit(store, plan, DEMO_ADMIN)
    return plan


@pytest.fixture
def schools(store):
    load(store, "schools", schools_frame(4))
    return store


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_messy_but_clear_attainment_return(schools, fmt):
    """Title rows, a blank row, headers in their own case and spacing, synonyms, columns in
    another order, a notes column, a URN written 100001.0 and a school named by its name."""
    rows = [
        ["Summer results 2019 - Oak cluster", None, None],
        ["Prepared by the office", None, None],
        [],
        ["  value ", "INDICATOR", "Number of  Pupils", "Notes", "school urn", "Acad Year",
         "term", "Characteristic", "School Name"],
        ["64%", RWM, 30, "checked", "100001.0" if fmt == "csv" else 100001.0, "2018/19",
         "Summer", "All pupils", None],
        [],
        [55, "RWM expected %", 12, None, None, "2018-19", "summer", "Disadvantaged",
         "school 100002"],
        [103.5, "Reading score", "1,000", None, 100003, "2018/2019", None, "pp", None],
    ]
    plan = _accept(schools, rows, fmt)
    assert "Ignored column 'Notes': not part of the attainment return." in plan.warnings
    stored = schools.query(
        "SELECT urn, academic_year, term, measure, pupil_group, cohort_size, value "
        "FROM attainment ORDER BY urn").to_records(index=False).tolist()
    assert stored == [
        (100001, "2018/19", "Summer", "ks2_rwm_exp", "all", 30, 64.0),
        (100002, "2018/19", "Summer", "ks2_rwm_exp", "disadvantaged", 12, 55.0),
        (100003, "2018/19", "Summer", "ks2_read_score", "disadvantaged", 1000, 103.5),
    ]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("written", ["45%", 45, 0.45, "45", "0.45", "45.0 %"])
def test_a_percentage_written_any_of_three_ways_is_45_percent(schools, fmt, written):
    rows = [["URN", "Academic year", "Measure", "Cohort size", "Value"],
            [100001, "2018/19", RWM, 30, written],
            [100002, "2018/19", RWM, 30, "50%"]]
    plan = _accept(schools, rows, fmt)
    assert schools.scalar("SELECT value FROM attainment WHERE urn = 100001") == 45.0
    fraction = written in (0.45, "0.45")
    assert any("read as a fraction" in w for w in plan.warnings) == fraction


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_fraction_rule_when_a_file_mixes_fractions_and_whole_percentages(schools, fmt):
    """The stated rule: 0.45 is 45% only if every unsigned percentage in the file lies between
    0 and 1. Here one row says 62, so 0.45 stays 0.45%, and the user is warned which row."""
    rows = [["URN", "Academic year", "Measure", "Cohort size", "Value"],
            [100001, "2018/19", RWM, 30, 0.45],
            [100002, "2018/19", RWM, 30, 62],
            [100003, "2018/19", RWM, 30, "70%"],
            [100004, "2018/19", "Reading score", 30, 104.5 if fmt == "xlsx" else "104.5"]]
    plan = _accept(schools, rows, fmt)
    values = schools.query("SELECT urn, value FROM attainment ORDER BY urn")["value"].tolist()
    assert values[:3] == [0.45, 62.0, 70.0]
    warning = [w for w in plan.warnings if "less than 1%" in w]
    assert warning and warning[0].startswith("Row 2:")


@pytest.mark.parametrize("fmt", FORMATS)
def test_dates_as_excel_dates_day_first_text_and_serial_numbers(schools, fmt):
    def day(d: dt.date, how: str) -> object:
        if how == "date":
            return d if fmt == "xlsx" else d.strftime("%d/%m/%Y")
        if how == "serial":
            return (d - dt.date(1899, 12, 30)).days
        return d.strftime("%d/%m/%Y")

    rows = [["URN", "Academic year", "Term", "Activity", "Staff role", "Staff taking part",
             "Activity date"],
            [100001, "2021/22", "Autumn", "Review day", "Teachers", 6,
             day(dt.date(2021, 10, 12), "date")],
            [100002, "2021/22", "Spring", "Coaching", "Leaders", 2,
             day(dt.date(2022, 2, 3), "text")],
            [100003, "2021/22", "Summer", "INSET", "Mixed", 40,
             day(dt.date(2022, 6, 1), "serial")]]
    _accept(schools, rows, fmt)
    dates = schools.query("SELECT activity_date FROM cpd_activities ORDER BY urn")
    assert [d.date() for d in dates["activity_date"]] == [
        dt.date(2021, 10, 12), dt.date(2022, 2, 3), dt.date(2022, 6, 1)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_ofsted_grades_as_numbers_or_words_in_any_case(schools, fmt):
    rows = [["URN", "Inspection date", "Overall effectiveness", "Quality of education",
             "Safeguarding is effective?", "Sixth form provision (where applicable)"],
            [100001, "14/03/2019", 2, "good", "Yes", 9],
            [100002, dt.date(2019, 5, 1) if fmt == "xlsx" else "01/05/2019",
             "requires improvement to be good", "3", "yes", "Not judged"]]
    _accept(schools, rows, fmt)
    stored = schools.query(
        "SELECT urn, framework, overall_effectiveness, quality_of_education, safeguarding, "
        "sixth_form FROM ofsted_inspections ORDER BY urn").to_records(index=False).tolist()
    assert stored == [(100001, "graded", "Good", "Good", "Yes", None),
                      (100002, "graded", "Requires improvement", "Requires improvement", "Yes",
                       None)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_schools_sheet_with_thousands_separators_and_dates(store, fmt):
    rows = [["Trust schools"],
            ["urn", "School name", "Pupils", "Capacity", "Trust", "Joined"],
            [100001.0 if fmt == "xlsx" else "100,001", "Big Academy", "1,234", "1,500",
             "Oak Trust", dt.date(2019, 9, 1) if fmt == "xlsx" else "1/9/19"],
            [100002, "Small School", 45, 60, None, None]]
    plan = _accept(store, rows, fmt, kind="schools")
    assert plan.summary == {"schools": 2, "partnerships": 1, "cohorts": 1, "memberships": 1}
    assert store.query("SELECT urn, pupils, capacity FROM schools ORDER BY urn") \
        .to_records(index=False).tolist() == [(100001, 1234, 1500), (100002, 45, 60)]
    joined = store.query("SELECT urn, cohort, joined_date FROM memberships")
    assert joined.to_records(index=False).tolist()[0][:2] == (100001, "All schools")
    assert joined["joined_date"][0].date() == dt.date(2019, 9, 1)


def test_statutory_results_need_no_term_column(schools):
    """KS2 files rarely say 'Summer': statutory results are Summer by definition."""
    rows = [["URN", "Academic year", "Measure", "Cohort size", "Value"],
            [100001, "2018/19", RWM, 30, "64%"]]
    _accept(schools, rows, "xlsx")
    assert schools.scalar("SELECT term FROM attainment") == "Summer"


def test_a_hidden_figure_is_stored_as_its_code_never_zero(schools):
    rows = [["URN", "Academic year", "Measure", "Pupil group", "Cohort size", "Value"],
            [100001, "2018/19", RWM, "SEND", 4, "c"],
            [100002, "2018/19", RWM, "SEND", None, "x"],
            [100003, "2018/19", RWM, "SEND", 3, "SUPP"]]
    _accept(schools, rows, "xlsx")
    stored = schools.query("SELECT urn, value, value_note FROM attainment ORDER BY urn")
    assert stored["value"].isna().all()
    assert stored["value_note"].tolist() == ["c", "x", "SUPP"]


def test_the_data_sheet_is_chosen_over_other_sheets(schools):
    other = [["URN", "Academic year", "Measure", "Cohort size", "Value"],
             [100001, "2018/19", RWM, 30, "10%"]]
    data = [["URN", "Academic year", "Measure", "Cohort size", "Value"],
            [100001, "2018/19", RWM, 30, "70%"]]
    plan = plan_import(schools, "r.xlsx", workbook_bytes(other, sheet="Old",
                                                         others={"Data": data}), DEMO_ADMIN)
    assert plan.ok and plan.frames["attainment"]["value"].tolist() == [70.0]


def test_without_a_data_sheet_the_sheet_that_looks_like_a_return_is_used(schools):
    notes = [["Read me first"], ["These are our results"]]
    data = [["Our results"], ["URN", "Academic year", "Measure", "Cohort size", "Value"],
            [100001, "2018/19", RWM, 30, "70%"]]
    plan = plan_import(schools, "r.xlsx", workbook_bytes(notes, sheet="Notes",
                                                         others={"Results": data}), DEMO_ADMIN)
    assert plan.ok, plan.problems
    assert plan.frames["attainment"]["_row"].tolist() == [3]


def test_a_schools_details_may_be_given_on_its_first_row_only(store):
    rows = [["URN", "School name", "Phase", "Partnership", "Cohort", "Joined date"],
            [100001, "Oak Primary", "Primary", "Oak Trust", "Cohort 1", "01/09/2019"],
            [100001, None, None, "Oak Trust", "Cohort 2", "01/09/2021"],
            [100002, None, "Primary", "Oak Trust", "Cohort 1", "01/09/2019"],
            [100002, "Ash Primary", None, None, None, None]]
    plan = _accept(store, rows, "xlsx", kind="schools")
    assert plan.summary == {"schools": 2, "partnerships": 1, "cohorts": 2, "memberships": 3}
    assert store.query("SELECT urn, name, phase FROM schools ORDER BY urn") \
        .to_records(index=False).tolist() == [(100001, "Oak Primary", "Primary"),
                                             (100002, "Ash Primary", "Primary")]


def test_headers_with_a_unit_or_note_in_brackets(schools):
    rows = [["URN (required)", "Academic year*", "Measure:", "Cohort size (pupils)",
             "Value (per cent)", "Comment (optional)"],
            [100001, "2018/19", RWM, 30, "64%", "fine"]]
    plan = _accept(schools, rows, "csv")
    assert plan.kind == "attainment"
    assert "Ignored column 'Comment (optional)': not part of the attainment return." in \
        plan.warnings
    assert schools.scalar("SELECT cohort_size FROM attainment") == 30
