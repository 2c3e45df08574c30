"""Every problem at once, each with the row Excel shows, the column as written, the value and
what was expected; any problem means nothing is written.

The files below put a title row and a blank row above the header and a blank row among the
data, as people do, so the row numbers asserted are the ones a head sees in Excel (and in a
text editor for the CSV): the title is row 1, the header row 3, the first data row 4.
"""

from __future__ import annotations

import datetime as dt

import pytest

from impact.auth import DEMO_ADMIN
from impact.importing.pipeline import plan_import
from tests.factories import csv_rows_bytes, load, schools_frame, snapshot, workbook_bytes

RWM = "KS2 reading, writing and maths: % at expected standard"
FORMATS = ("xlsx", "csv")


def _with_title(header: list[object], *data: list[object]) -> list[list[object]]:
    """Title row, blank row, header (row 3), then the data rows from row 4."""
    return [["Summer return from Oak Primary"], [], header, *data]


def _plan(store, rows, fmt="xlsx", kind=None):
    data = workbook_bytes(rows) if fmt == "xlsx" else csv_rows_bytes(rows)
    return plan_import(store, f"return.{fmt}", data, DEMO_ADMIN, kind=kind)


def _found(plan) -> dict[tuple[int | None, str | None], tuple[str | None, str]]:
    """(row, column) -> (value, message) for every problem."""
    assert plan.unusable is None, plan.unusable
    found = {}
    for p in plan.problems:
        assert (p.row, p.column) not in found, f"two problems for one cell: {p}"
        found[(p.row, p.column)] = (p.value, p.message)
    return found


@pytest.fixture
def schools(store):
    load(store, "schools", schools_frame(4))
    return store


# --- attainment -------------------------------------------------------------------------

ATTAINMENT_HEADER = ["urn", "Academic Year", "Term", "Measure", "Pupil group", "cohort SIZE",
                     "Value (%)"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_attainment_problem_is_reported_at_once_with_its_excel_row(schools, fmt):
    before = snapshot(schools)
    rows = _with_title(
        ATTAINMENT_HEADER,
        [100001, "2018/19", "Summer", RWM, "All pupils", 30, "64%"],        # 4: fine
        [999999, "2018/19", "Summer", RWM, "All pupils", 30, "64%"],        # 5: unknown school
        [100002, "2018/19", "Summer", RWM, "All pupils", "thirty", "64%"],  # 6: text for number
        [],                                                                 # 7: blank
        [100003, "2018/19", "Summer", RWM, "All pupils", 30, "120%"],       # 8: out of range
        [100004, "2018/19", "Summer", RWM, "All pupils", 30, "abc"],        # 9: text for number
        [100001, "2018/19", "Summer", RWM, "All pupils", 30, "65%"],        # 10: disagrees with 4
        [100002, "2018/20", "Summer", RWM, "Boys", 14, "50%"],              # 11: not a year
        [100002, "2018/19", "spr", RWM, "Boys", 14, "50%"],                 # 12: statutory, Spring
        [100002, "2018/19", "Summer", "Reading age", "Boys", 14, "50%"],    # 13: unknown measure
        [100002, "2018/19", "Summer", RWM, "Tall pupils", 14, "50%"],       # 14: unknown group
        [100003, "2018/19", "Summer", RWM, "Girls", "6,000", "50%"],        # 15: cohort too big
        [100003, "2018/19", "Summer", "Reading score", "Girls", 15, "140"],  # 16: score range
        [100003, "2018/19", "Summer", "Reading score", "Boys", 15, "104%"],  # 17: not a percent
        [100004, "2018/19", None, "Teacher assessment: % on track in reading", "All pupils", 30,
         "70%"],                                                            # 18: needs a term
        [100004, "2018/19", "Summer", RWM, "Boys", None, None],             # 19: empty value
        [100004, "2018/19", "Summer", RWM, "Girls", None, "45%"],           # 20: no cohort size
    )
    plan = _plan(schools, rows, fmt)
    found = _found(plan)
    assert found == {
        (5, "urn"): ("999999", "no school with this URN has been set up; check the number, or "
                               "add the school with the schools template first"),
        (6, "cohort SIZE"): ("thirty", "expected a whole number"),
        (8, "Value (%)"): ("120%", "out of range: RWM expected % must be between 0 and 100"),
        (9, "Value (%)"): ("abc", "expected a number, a percentage, or c (suppressed) / x (not "
                                  "available)"),
        (10, "Value (%)"): ("65%", "row 10 repeats row 4 for the same school, year, term, "
                                   "measure and pupil group but says '65%' where row 4 says "
                                   "'64%'; keep the right one and delete the other"),
        (11, "Academic Year"): ("2018/20", "expected an academic year such as 2023/24"),
        (12, "Term"): ("spr", "RWM expected % is a statutory result, reported once a year: "
                                 "write Summer"),
        (13, "Measure"): ("Reading age", "expected one of the measures in the drop-down list"),
        (14, "Pupil group"): ("Tall pupils", "expected a pupil group from the drop-down list"),
        (15, "cohort SIZE"): ("6,000",
                              "out of range: a cohort is between 0 and 5,000 pupils"),
        (16, "Value (%)"): ("140", "out of range: Reading score must be between 80 and 120"),
        (17, "Value (%)"): ("104%", "Reading score is not a percentage; write the number "
                                    "without %"),
        (18, "Term"): ("", "this cell is empty; teacher assessments need their term: Autumn, "
                           "Spring or Summer"),
        (19, "Value (%)"): ("", "this cell is empty; write the figure, or c if it is hidden "
                                "because the group is 5 pupils or fewer, or x if it is not "
                                "available"),
        (20, "cohort SIZE"): ("", "this cell is empty; write how many pupils the figure is "
                                  "about"),
    }
    # Problems are listed in spreadsheet order, and nothing was written.
    assert [p.row for p in plan.problems] == sorted(p.row for p in plan.problems)
    assert plan.changes == []
    assert snapshot(schools) == before


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_school_named_wrongly_is_reported_by_its_name(schools, fmt):
    rows = _with_title(["School name", "Academic year", "Measure", "Cohort size", "Value"],
                       ["School 100001", "2018/19", RWM, 30, "64%"],
                       ["Scool 100002", "2018/19", RWM, 30, "64%"],
                       [None, "2018/19", RWM, 30, "64%"])
    found = _found(_plan(schools, rows, fmt))
    assert found == {
        (5, "School name"): ("Scool 100002", "no school has exactly this name; use the URN, or "
                                             "the name exactly as set up"),
        (6, "School name"): ("", "this row names no school; give its URN or its name"),
    }


@pytest.mark.parametrize("missing", ["Measure", "Value", "Academic year", "Cohort size"])
def test_a_missing_required_column_names_the_column_and_the_header_row(schools, missing):
    header = ["URN", "Academic year", "Measure", "Cohort size", "Value"]
    rows = _with_title([h for h in header if h != missing], [100001, "2018/19", RWM, 30])
    plan = _plan(schools, rows)
    assert _found(plan) == {
        (3, missing): (None, f"the required column {missing!r} is missing from the header "
                             "row")}


@pytest.mark.parametrize(("kind", "header", "missing"), [
    ("ofsted", ["URN", "Overall effectiveness", "Quality of education"], "Inspection date"),
    ("cpd", ["URN", "Academic year", "Term", "Staff role", "Staff taking part"], "Activity"),
    ("schools", ["School name", "Phase", "Partnership"], "URN"),
    ("projects", ["URN", "Project", "Start date"], "Area of need"),
    ("benchmarks", ["Area type", "Academic year", "Measure", "Cohort size", "Value"], "Area"),
])
def test_each_kind_names_its_missing_required_column(schools, kind, header, missing):
    plan = _plan(schools, _with_title(header, ["x"] * len(header)), "csv", kind=kind)
    assert _found(plan) == {
        (3, missing): (None, f"the required column {missing!r} is missing from the header row")}


def test_a_file_with_neither_urn_nor_school_column_says_so(schools):
    rows = _with_title(["Academic year", "Measure", "Cohort size", "Value"],
                       ["2018/19", RWM, 30, "50%"])
    assert _found(_plan(schools, rows, kind="attainment")) == {
        (3, None): (None, "the header row needs a column 'URN' or 'School'")}


def test_a_repeated_column_is_a_problem(schools):
    rows = _with_title(["URN", "Academic year", "Measure", "Cohort size", "Value", "Result"],
                       [100001, "2018/19", RWM, 30, "50%", "51%"])
    assert _found(_plan(schools, rows)) == {
        (3, "Result"): (None, "this column repeats 'Value'; keep one of them")}


def test_exact_repeats_are_used_once_with_a_warning(schools):
    row = [100001, "2018/19", "Summer", RWM, "All pupils", 30, "64%"]
    plan = _plan(schools, _with_title(ATTAINMENT_HEADER, row, list(row), [], list(row)))
    assert plan.ok
    assert plan.rows_added == 1
    assert "Rows 5, 7 repeat earlier rows exactly; each was used once." in plan.warnings


# --- Ofsted -------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_ofsted_problems(schools, fmt):
    future = dt.date.today() + dt.timedelta(days=40)
    rows = _with_title(
        ["URN", "Inspection date", "Framework", "Overall effectiveness", "Quality of education",
         "Curriculum and teaching", "Safeguarding"],
        [100001, "14/03/2019", None, "Good", "Good", None, "Yes"],                   # 4: fine
        [100002, "14/03/2019", None, "Strong standard", "Good", None, "Yes"],        # 5: scale
        [100003, "21/01/2025", None, "Good", "Good", None, "Yes"],                   # 6: no OE
        [100004, "20/11/2025", "graded", None, None, "Strong standard", "Met"],      # 7: framework
        [100001, "sometime in May", None, "Good", None, None, None],                 # 8: not a date
        [100002, future.strftime("%d/%m/%Y"), None, None, None, "Strong standard",
         "Met"],                                                                     # 9: future
        [999999, "14/03/2019", None, "Good", None, None, None],                      # 10: school
        [100001, "14/03/2019", None, "Outstanding", "Good", None, "Yes"],            # 11: repeat
        [100003, "20/11/2025", None, None, None, "Excellent", "Yes"],                # 12: 2 bad
    )
    found = _found(_plan(schools, rows, fmt))
    graded = "Graded inspections with an overall grade (to 1 September 2024)"
    cards = "Report cards (from 10 November 2025)"
    assert found == {
        (5, "Overall effectiveness"): (
            "Strong standard", f"under {graded} this is graded Outstanding, Good, Requires "
                               "improvement, Inadequate"),
        (6, "Overall effectiveness"): (
            "Good", "Overall effectiveness is not graded under Key judgements, no overall grade "
                    "(2 September 2024 to 9 November 2025); leave it blank"),
        (7, "Framework"): ("graded", f"an inspection on 20/11/2025 was under {cards}; correct "
                                     "the date or the framework (or leave Framework blank)"),
        (8, "Inspection date"): ("sometime in May", "expected a date written day first, such "
                                                    "as 14/09/2021"),
        (9, "Inspection date"): (future.strftime("%d/%m/%Y"),
                                 "this date is in the future; give the date the inspection "
                                 "started"),
        (10, "URN"): ("999999", "no school with this URN has been set up; check the number, or "
                                "add the school with the schools template first"),
        (11, "Overall effectiveness"): (
            "Outstanding", "row 11 repeats row 4 for the same school and inspection date but "
                           "says 'Outstanding' where row 4 says 'Good'; keep the right one and "
                           "delete the other"),
        (12, "Curriculum and teaching"): (
            "Excellent", f"under {cards} this is graded Exceptional, Strong standard, Expected "
                         "standard, Needs attention, Urgent improvement"),
        (12, "Safeguarding"): ("Yes", f"under {cards} this is graded Met, Not met"),
    }


# --- CPD --------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_cpd_problems_including_a_date_outside_the_academic_year(schools, fmt):
    rows = _with_title(
        ["URN", "Academic year", "Term", "Activity", "Staff role", "Staff taking part",
         "Activity date", "Self-assessment before", "Lessons good or better (%)"],
        [100001, "2021/22", "Autumn", "Review day", "Teachers", 6, "12/10/2021", 2, "80%"],  # 4
        [100002, "2021/22", "Autumn", "Review day", "Teachers", 6, "12/10/2022", 2, "80%"],  # 5
        [100003, "2021/22", "Autumn", "Bake sale", "Teachers", "six", None, 7, "180%"],      # 6
        [100004, "2021/22", None, "Coaching", "Dinner ladies", 5000, None, None, None],      # 7
        [100001, "2021/22", "Autumn", "Review day", "Teachers", 7, "12/10/2021", 2, "80%"],  # 8
    )
    found = _found(_plan(schools, rows, fmt))
    assert found == {
        (5, "Activity date"): ("12/10/2022", "this date is outside the academic year 2021/22 "
                                             "(01/09/2021 to 31/08/2022); correct the date or "
                                             "the year"),
        (6, "Activity"): ("Bake sale", "expected an activity from the drop-down list"),
        (6, "Staff taking part"): ("six", "expected a whole number"),
        (6, "Self-assessment before"): ("7", "expected a rating from 1 to 5"),
        (6, "Lessons good or better (%)"): ("180%", "out of range: a percentage from 0 to 100"),
        (7, "Term"): ("", "this cell is empty; expected Autumn, Spring or Summer"),
        (7, "Staff role"): ("Dinner ladies", "expected a staff role from the drop-down list"),
        (7, "Staff taking part"): ("5000", "expected a number of staff between 0 and 1,000"),
        (8, "Staff taking part"): ("7", "row 8 repeats row 4 for the same school, year, term, "
                                        "activity and staff role but says '7' where row 4 says "
                                        "'6'; keep the right one and delete the other"),
    }


# --- schools ----------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_schools_problems(store, fmt):
    rows = _with_title(
        ["URN", "School name", "Phase", "Pupils on roll", "Partnership", "Partnership type",
         "Cohort", "Joined date", "Left date"],
        [100001, "Oak Primary", "Primary", 210, "Oak Trust", "Multi-academy trust", "Cohort 1",
         "01/09/2019", None],                                                         # 4
        [12345, "Ash Primary", "Primary", 100, None, None, None, None, None],         # 5: URN
        [100002, "Elm Primary", "Nursery school", 99999, None, None, None, None,
         None],                                                                       # 6
        [100003, None, "Primary", 100, "Oak Trust", "Trust", "Cohort 1", None, None],  # 7
        [100004, "Ivy Primary", "Primary", 100, "Oak Trust", "Cluster", "Cohort 1",
         "01/09/2020", "01/09/2019"],                                                 # 8
        [100005, "Yew Primary", "Primary", 100, None, None, "Cohort 1", None, None],  # 9
        [100001, "Oak Primary School", None, None, "Ash Cluster", "Cluster", None,
         "01/09/2021", None],                                                         # 10
    )
    found = _found(_plan(store, rows, fmt, kind="schools"))
    assert found == {
        (5, "URN"): ("12345", "expected a URN: the school's 6-digit unique reference number"),
        (6, "Phase"): ("Nursery school", "expected a phase from the drop-down list"),
        (6, "Pupils on roll"): ("99999", "expected a number of pupils between 0 and 10,000"),
        (7, "School name"): ("", "this cell is empty and no school with this URN is set up "
                                 "yet; give the new school's name (on at least one of its "
                                 "rows)"),
        (7, "Joined date"): ("", "this cell is empty; a school in a partnership needs the date "
                                 "it joined, day first (dd/mm/yyyy)"),
        (8, "Partnership type"): ("Cluster", "row 8 gives a different Partnership type for the "
                                             "same partnership than row 4 ('Multi-academy "
                                             "trust'); make them agree"),
        (8, "Left date"): ("01/09/2019", "the school cannot leave before it joined: the left "
                                         "date must be after the joined date"),
        (9, "Cohort"): ("Cohort 1", "this row has no Partnership, so it cannot have a Cohort; "
                                    "fill in the Partnership or empty this cell"),
        (10, "School name"): ("Oak Primary School", "row 10 gives a different School name for "
                                                    "the same school than row 4 ('Oak "
                                                    "Primary'); make them agree"),
    }


# --- benchmarks -------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_benchmarks_problems(store, fmt):
    rows = _with_title(
        ["Area type", "Area code", "Area", "Academic year", "Measure", "Cohort size", "Value"],
        ["National", "E92000001", "England", "2018/19", RWM, "600,000", "65%"],  # 4: fine
        ["Region", "E12000008", "South East", "2018/19", RWM, 90000, "66%"],     # 5: area type
        ["Local authority", "936", "Surrey", "2018/19", RWM, "12,000", "6.5"],   # 6: fine
        ["Local authority", "936", "Surrey", "2018/19", RWM, "12,000", "7.5"],   # 7: disagrees
        ["National", None, "England", "2018/19", "Progress 8", "600,000", "9"],  # 8: range
        ["National", None, None, "2018/19", "Maths score", 600000, 104],         # 9: no name
    )
    found = _found(_plan(store, rows, fmt, kind="benchmarks"))
    assert found == {
        (5, "Area type"): ("Region", "expected National or Local authority"),
        (7, "Value"): ("7.5", "row 7 repeats row 6 for the same area, year, term, measure and "
                              "pupil group but says '7.5' where row 6 says '6.5'; keep the "
                              "right one and delete the other"),
        (8, "Value"): ("9", "out of range: Progress 8 must be between -5 and 5"),
        (9, "Area"): ("", "this cell is empty; expected the area's name, such as England or "
                          "Surrey"),
    }


def test_benchmark_cohorts_may_be_national_in_size(store):
    rows = [["Area type", "Area", "Academic year", "Measure", "Cohort size", "Value"],
            ["National", "England", "2018/19", RWM, 2_500_000, "65%"]]
    assert _found(_plan(store, rows, kind="benchmarks")) == {
        (2, "Cohort size"): ("2500000", "out of range: a cohort is between 0 and 2,000,000 "
                                        "pupils")}
    rows[1][4] = 650_000
    assert _plan(store, rows, kind="benchmarks").ok
