"""Upload templates: a Data sheet headed on row 1 with drop-down lists and an example row, an
Instructions sheet; blank they are refused helpfully, filled in they are accepted."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from impact.auth import DEMO_ADMIN
from impact.importing.pipeline import commit, plan_import
from impact.importing.templates import template_bytes, template_kinds
from tests.factories import load, schools_frame

KINDS = sorted(template_kinds())

# Closed choices that must be offered as drop-down lists, by kind.
DROP_DOWNS = {
    "attainment": {"Term", "Measure", "Pupil group"},
    "benchmarks": {"Area type", "Term", "Measure", "Pupil group"},
    "cpd": {"Term", "Activity", "Staff role"},
    "ofsted": {"Framework", "Overall effectiveness", "Quality of education", "Safeguarding",
               "Curriculum and teaching", "Inclusion", "Post-16"},
    "schools": {"Phase", "Partnership type"},
    "projects": {"Area of need", "Status", "Measure to watch"},
}

# One real row for each kind, by template header.
FILLED = {
    "schools": [{"URN": 100010, "School name": "Oak Primary", "Phase": "Primary",
                 "Partnership": "Oak Trust", "Partnership type": "Cluster", "Cohort": "Cohort 1",
                 "Joined date": "01/09/2019"}],
    "attainment": [{"URN": 100001, "Academic year": "2022/23", "Term": "Summer",
                    "Measure": "Year 1 phonics check: % meeting the standard",
                    "Pupil group": "All pupils", "Cohort size": 29, "Value": "79%"},
                   {"URN": 100001, "Academic year": "2022/23", "Term": "Spring",
                    "Measure": "Teacher assessment: % on track in maths",
                    "Pupil group": "Boys", "Cohort size": 90, "Value": "71%"}],
    "ofsted": [{"URN": 100001, "Inspection date": "12/03/2024", "Overall effectiveness": "Good",
                "Quality of education": "Good", "Safeguarding": "Yes"}],
    "cpd": [{"URN": 100001, "Academic year": "2023/24", "Term": "Spring",
             "Activity": "Learning walk", "Staff role": "Leaders", "Staff taking part": 3}],
    "projects": [{"URN": 100001, "Project": "Homework in Year 4", "Area of need": "Homework",
                  "Lead's school URN": 100002, "Start date": "09/01/2023",
                  "Status": "Under way"}],
    "benchmarks": [{"Area type": "Local authority", "Area code": "936", "Area": "Surrey",
                    "Academic year": "2022/23", "Measure": "EYFS: % reaching a good level of "
                    "development", "Cohort size": 12000, "Value": "69.1%"}],
}


def _book(kind: str):
    return load_workbook(io.BytesIO(template_bytes(template_kinds()[kind])))


@pytest.mark.parametrize("kind", KINDS)
def test_a_template_has_data_instructions_drop_downs_and_an_example(kind):
    book = _book(kind)
    spec = template_kinds()[kind]
    assert "Data" in book.sheetnames and "Instructions" in book.sheetnames
    assert book.active.title == "Data"
    data = book["Data"]
    headers = [c.value for c in data[1]]
    assert headers == [c.header for c in spec.layout.columns]
    example = [c.value for c in data[2]]
    assert example == [c.example for c in spec.layout.columns]
    assert data.max_row == 2

    lists = {}
    for rule in data.data_validations.dataValidation:
        assert rule.type == "list"
        column = next(iter(rule.sqref.ranges)).min_col
        sheet_name, cells = rule.formula1.split("!")
        source = book[sheet_name.strip("'")]
        options = [row[0].value for row in source[cells.replace("$", "")]]
        lists[headers[column - 1]] = options
        assert str(rule.sqref).endswith("5000")  # the list applies well below the header
    assert DROP_DOWNS[kind] <= set(lists)
    for header, options in lists.items():
        assert options == list(next(c for c in spec.layout.columns if c.header == header)
                               .choices)
    assert book["Lists"].sheet_state == "hidden"

    instructions = "\n".join(str(c.value) for row in book["Instructions"].iter_rows()
                             for c in row if c.value)
    for header in headers:
        assert header in instructions
    assert "Row 2 is an example" in instructions


def test_the_attainment_lists_hold_the_product_vocabulary():
    book = _book("attainment")
    data = book["Data"]
    by_header = {}
    for rule in data.data_validations.dataValidation:
        column = next(iter(rule.sqref.ranges)).min_col
        cells = rule.formula1.split("!")[1].replace("$", "")
        by_header[data.cell(1, column).value] = [r[0].value for r in book["Lists"][cells]]
    assert by_header["Term"] == ["Autumn", "Spring", "Summer"]
    assert "KS2 reading, writing and maths: % at expected standard" in by_header["Measure"]
    assert by_header["Pupil group"][:3] == ["All pupils", "Disadvantaged", "Not disadvantaged"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_blank_template_uploaded_as_it_is_is_refused_helpfully(store, kind):
    plan = plan_import(store, f"{kind}.xlsx", template_bytes(template_kinds()[kind]), DEMO_ADMIN)
    assert plan.kind == kind  # recognised without being told
    assert not plan.ok and plan.unusable is None
    assert [p.message for p in plan.problems] == [
        "the file has a header but no rows of figures under it (a template's example row is "
        "skipped): add your own rows under the header and upload it again"]
    assert "Skipped row 2: it is the template's example row." in plan.warnings


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("keep_example", [False, True])
def test_a_template_filled_in_is_accepted(store, kind, keep_example):
    """Filled in the way a person does: open the template, type under the header (over the
    example, or below it), save."""
    load(store, "schools", schools_frame(2))
    book = _book(kind)
    data = book["Data"]
    headers = [c.value for c in data[1]]
    first = 3 if keep_example else 2
    if not keep_example:
        for cell in data[2]:
            cell.value = None
    for offset, record in enumerate(FILLED[kind]):
        for header, value in record.items():
            data.cell(row=first + offset, column=headers.index(header) + 1, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    plan = plan_import(store, f"{kind}.xlsx", buffer.getvalue(), DEMO_ADMIN)
    assert plan.kind == kind
    assert plan.ok, plan.problems
    assert plan.rows_added >= len(FILLED[kind])
    assert any("example row" in w for w in plan.warnings) == keep_example
    rows = [int(r) for frame in plan.frames.values() for r in frame["_row"]]
    assert min(rows) == first
    assert commit(store, plan, DEMO_ADMIN).status == "accepted"
