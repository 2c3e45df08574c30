"""Improvement projects through their template: recorded, updated by host and title (a blank
keeps, `clear` empties), refused when the lead comes from the host or the dates run
backwards, heads limited to their own school's projects, and export then import changes
nothing."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from impact.auth import DEMO_ADMIN, Actor
from impact.exporting import export_bytes, export_frame
from impact.importing.pipeline import commit, plan_import, undo_upload
from tests.factories import load, schools_frame, snapshot, xlsx_bytes

PROJECT = {"URN": 100001, "Project": "Feedback in Year 5", "Partnership": "Test Trust",
           "Area of need": "feedback", "Lead colleague": "Ann Lee", "Lead's school URN": 100002,
           "Start date": dt.date(2022, 10, 3), "Status": "in progress",
           "Measure to watch": "Teacher assessment: % on track in writing"}


@pytest.fixture
def schools(store):
    load(store, "schools", schools_frame(4))
    return store


def _plan(store, rows, actor=DEMO_ADMIN, fmt="xlsx"):
    frame = pd.DataFrame(rows, dtype=object)
    return plan_import(store, f"projects.{fmt}", xlsx_bytes("projects", frame), actor,
                       kind="projects")


def test_a_project_is_recorded_then_updated_by_host_and_title(schools):
    first = _plan(schools, [PROJECT])
    assert first.ok, first.problems
    assert first.summary == {"projects": 1, "host_schools": 1}
    commit(schools, first, DEMO_ADMIN)
    stored = schools.query("SELECT * FROM improvement_projects").iloc[0]
    assert (stored["area"], stored["status"], stored["measure"], int(stored["lead_urn"])) == (
        "Quality of feedback", "Under way", "ta_writing", 100002)

    update = {"URN": 100001, "Project": "Feedback in Year 5", "Area of need": "feedback",
              "Start date": dt.date(2022, 10, 3), "Status": "Completed",
              "End date": dt.date(2023, 3, 31), "Findings": "Feedback rarely acted on.",
              "Lead colleague": "clear"}
    plan = _plan(schools, [update])
    assert (plan.rows_added, plan.rows_updated) == (0, 1)
    changed = set(plan.changes[0].changed_values["field"])
    assert changed == {"status", "end_date", "findings", "lead_name"}
    result = commit(schools, plan, DEMO_ADMIN)
    stored = schools.query("SELECT * FROM improvement_projects").iloc[0]
    assert stored["status"] == "Completed" and stored["lead_name"] is None
    assert int(stored["lead_urn"]) == 100002, "a blank cell keeps the lead's school"
    undo_upload(schools, result.upload_id, DEMO_ADMIN)
    assert schools.scalar("SELECT lead_name FROM improvement_projects") == "Ann Lee"


def test_refused_with_row_column_value_and_nothing_written(schools):
    before = snapshot(schools)
    rows = [{**PROJECT, "Lead's school URN": 100001},                             # row 2
            {**PROJECT, "Project": "Homework", "End date": dt.date(2021, 1, 1)},  # row 3
            {**PROJECT, "Project": "Pastoral", "Lead's school URN": 999999},      # row 4
            {**PROJECT, "Project": "Wellbeing", "Area of need": "clear"},         # row 5
            {**PROJECT, "Project": "Digital", "Start date": None}]                # row 6
    plan = _plan(schools, rows)
    found = {(p.row, p.column): p.message for p in plan.problems}
    assert "comes from another school" in found[(2, "Lead's school URN")]
    assert "cannot end before it starts" in found[(3, "End date")]
    assert "no school with this URN has been set up" in found[(4, "Lead's school URN")]
    assert "cannot be cleared" in found[(5, "Area of need")]
    assert "this cell is empty" in found[(6, "Start date")]
    assert snapshot(schools) == before


def test_a_head_records_only_their_own_schools_projects(schools):
    head = Actor("Head of 100002", "head", frozenset({100002}))
    plan = _plan(schools, [PROJECT], actor=head)
    assert not plan.ok
    assert "only for their own school" in plan.problems[0].message
    own = {**PROJECT, "URN": 100002, "Lead's school URN": 100001}
    assert _plan(schools, [own], actor=head).ok


def test_export_then_import_changes_nothing(schools):
    commit(schools, _plan(schools, [PROJECT]), DEMO_ADMIN)
    frame = export_frame(schools, "projects", DEMO_ADMIN)
    assert frame.iloc[0]["Measure to watch"] == "Teacher assessment: % on track in writing"
    for fmt in ("xlsx", "csv"):
        data = export_bytes(schools, "projects", fmt, actor=DEMO_ADMIN)
        plan = plan_import(schools, f"again.{fmt}", data, DEMO_ADMIN, kind="projects")
        assert plan.ok, plan.problems
        assert (plan.rows_added, plan.rows_updated, plan.rows_unchanged) == (0, 0, 1)
