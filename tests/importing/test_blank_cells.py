"""The schools template's blank-cell rule: a blank cell leaves what is stored as it is, and
`clear` empties it. Adding existing schools to a new cohort by URN alone keeps their phase,
type, local authority, pupils and capacity; a partnership or cohort can be set up before any
school joins it; what cannot be emptied is refused with the row, column and value."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from impact.auth import DEMO_ADMIN
from impact.importing.kinds.schools import KIND as SCHOOLS
from impact.importing.pipeline import commit, plan_import, undo_upload
from impact.importing.templates import template_bytes
from tests.factories import frame_bytes, load, schools_frame, snapshot

DETAILS = "SELECT urn, name, phase, school_type, local_authority, pupils, capacity FROM schools " \
          "ORDER BY urn"


@pytest.fixture
def set_up(store):
    frame = schools_frame(4)
    frame["School type"] = ["Academy converter", "Community school", "Academy converter",
                            "Foundation school"]
    frame["Contact email"] = [f"office@{u}.example" for u in frame["URN"]]
    load(store, "schools", frame)
    return store


def _plan(store, rows: list[dict], name: str = "sheet.xlsx"):
    frame = pd.DataFrame(rows, dtype=object)
    return plan_import(store, name, frame_bytes(frame), DEMO_ADMIN, kind="schools")


def _problems(plan) -> dict[tuple[int | None, str | None], tuple[str | None, str]]:
    return {(p.row, p.column): (p.value, p.message) for p in plan.problems}


def test_existing_schools_added_to_a_new_cohort_by_urn_keep_every_detail(set_up):
    before = set_up.query(DETAILS)
    contacts = set_up.query("SELECT urn, contact_email FROM schools ORDER BY urn")
    # The template's own columns, every detail left blank: what its instructions allow.
    rows = [{"URN": u, "School name": None, "Phase": None, "School type": None,
             "Local authority": None, "Pupils on roll": None, "Capacity": None,
             "Contact email": None, "Partnership": "Test Trust", "Cohort": "Cohort B",
             "Joined date": dt.date(2024, 9, 1)} for u in (100003, 100004)]
    plan = _plan(set_up, rows)
    assert plan.ok, plan.problems
    counts = {c.table: (c.added, c.updated, c.unchanged) for c in plan.changes}
    assert counts["schools"] == (0, 0, 0), "schools named only by URN send nothing about "\
        "themselves"
    assert counts["cohorts"] == (1, 0, 0) and counts["memberships"] == (2, 0, 0)
    commit(set_up, plan, DEMO_ADMIN)
    after = set_up.query(DETAILS)
    pd.testing.assert_frame_equal(after, before)
    assert after["phase"].notna().all() and after["pupils"].notna().all()
    pd.testing.assert_frame_equal(
        set_up.query("SELECT urn, contact_email FROM schools ORDER BY urn"), contacts)
    assert set_up.query("SELECT urn FROM memberships WHERE cohort = 'Cohort B' ORDER BY urn"
                        )["urn"].tolist() == [100003, 100004]


def test_clear_empties_a_stored_value_and_shows_it_before_saving(set_up):
    rows = [{"URN": 100002, "Pupils on roll": "clear", "Contact email": "CLEAR",
             "Capacity": 230}]
    plan = _plan(set_up, rows)
    assert plan.ok, plan.problems
    changed = plan.changes[0].changed_values
    assert set(changed["field"]) == {"pupils", "contact_email", "capacity"}
    assert changed.set_index("field").loc["pupils", "after"] is None or \
        pd.isna(changed.set_index("field").loc["pupils", "after"])
    assert plan.summary["cleared"] == ["Contact email", "Pupils on roll"]
    result = commit(set_up, plan, DEMO_ADMIN)
    row = set_up.query("SELECT * FROM schools WHERE urn = 100002").iloc[0]
    assert pd.isna(row["pupils"]) and row["contact_email"] is None
    assert row["capacity"] == 230 and row["phase"] == "Primary", "the rest stays"
    undo_upload(set_up, result.upload_id, DEMO_ADMIN)
    row = set_up.query("SELECT * FROM schools WHERE urn = 100002").iloc[0]
    assert row["pupils"] == 201 and row["contact_email"] == "office@100002.example"


def test_a_left_date_is_kept_by_a_blank_and_emptied_only_by_clear(set_up):
    rows = [{"URN": 100001, "Partnership": "Test Trust", "Cohort": "Cohort A",
             "Joined date": dt.date(2019, 9, 1), "Left date": dt.date(2024, 8, 31)}]
    commit(set_up, _plan(set_up, rows), DEMO_ADMIN)
    left = "SELECT left_date FROM memberships WHERE urn = 100001"
    assert str(set_up.scalar(left)) == "2024-08-31"
    rows[0]["Left date"] = None
    plan = _plan(set_up, rows)
    assert (plan.rows_added, plan.rows_updated) == (0, 0)
    rows[0]["Left date"] = "clear"
    plan = _plan(set_up, rows)
    assert plan.rows_updated == 1
    commit(set_up, plan, DEMO_ADMIN)
    assert set_up.scalar(left) is None


def test_what_cannot_be_emptied_is_refused_with_row_column_and_value(set_up):
    before = snapshot(set_up)
    rows = [
        {"URN": 100001, "School name": "clear", "Partnership": "Test Trust",
         "Cohort": "Cohort A", "Joined date": "clear"},                       # row 2
        {"URN": 100002, "Phase": "clear"},                                     # row 3
        {"URN": 100002, "Phase": "Secondary"},                                 # row 4
        {"URN": 100009, "Phase": "Primary"},                                   # row 5: new
    ]
    plan = _plan(set_up, rows)
    problems = _problems(plan)
    assert problems[(2, "School name")][0] == "clear"
    assert "cannot be cleared" in problems[(2, "School name")][1]
    assert "cannot be cleared" in problems[(2, "Joined date")][1]
    assert not any("this cell is empty" in m for (row, _), (_, m) in problems.items()
                   if row == 2), "a refused clear is reported once, not again as an empty cell"
    assert "says 'clear' in Phase and another gives a value" in problems[(3, "Phase")][1]
    assert "no school with this URN is set up yet" in problems[(5, "School name")][1]
    assert snapshot(set_up) == before


def test_a_partnership_and_cohort_can_be_set_up_before_any_school_joins(set_up):
    rows = [{"URN": None, "Partnership": "Oak Cluster", "Partnership type": "Cluster",
             "Cohort": "Cohort 1", "Cohort focus": "Joint moderation",
             "Cohort start date": dt.date(2025, 9, 1)}]
    plan = _plan(set_up, rows)
    assert plan.ok, plan.problems
    commit(set_up, plan, DEMO_ADMIN)
    assert set_up.query("SELECT partnership_type FROM partnerships WHERE partnership = "
                        "'Oak Cluster'")["partnership_type"].tolist() == ["Cluster"]
    assert set_up.scalar("SELECT focus FROM cohorts WHERE partnership = 'Oak Cluster'") == \
        "Joint moderation"
    assert set_up.scalar("SELECT count(*) FROM memberships WHERE partnership = 'Oak Cluster'"
                         ) == 0
    # a row without a URN cannot carry a school's details or dates, nor stand alone
    plan = _plan(set_up, [{"URN": None, "School name": "Nameless", "Partnership": "Oak Cluster",
                           "Joined date": dt.date(2025, 9, 1)},
                          {"URN": None, "School name": "Orphan", "Phase": "Primary"}])
    problems = _problems(plan)
    assert "has no URN, so it sets up a partnership or cohort only" in \
        problems[(2, "School name")][1]
    assert (2, "Joined date") in problems
    assert "give the school's 6-digit URN" in problems[(3, "URN")][1]


def test_the_template_says_how_to_clear(tmp_path):
    book = load_workbook(io.BytesIO(template_bytes(SCHOOLS)), read_only=True)
    lines = [str(c) for row in book["Instructions"].iter_rows(values_only=True) for c in row
             if c]
    text = " ".join(lines)
    assert "A blank cell leaves what is already stored as it is" in text
    assert "write the word clear in its cell" in text
    assert "Contact email" in text
