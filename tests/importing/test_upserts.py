"""Upserts on the natural key: re-uploading changes nothing, a corrected file updates what it
corrects, the user sees counts and changed values first, the original file is kept, and an
upload can be undone as a whole."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

from impact.auth import DEMO_ADMIN, Actor
from impact.importing.pipeline import commit, original_file, plan_import, undo_upload
from impact.importing.writing import UndoConflict
from tests.factories import (
    attainment_frame,
    cpd_frame,
    csv_bytes,
    frame_bytes,
    load,
    ofsted_frame,
    schools_frame,
    snapshot,
    xlsx_bytes,
)

DATA_TABLES = ("schools", "partnerships", "cohorts", "memberships", "attainment", "benchmarks",
               "ofsted_inspections", "cpd_activities")


def _data(store) -> dict[str, list[tuple]]:
    shot = snapshot(store)
    return {t: shot[t] for t in DATA_TABLES}


@pytest.fixture
def schools(store):
    load(store, "schools", schools_frame(4))
    return store


def test_reupload_changes_nothing_and_a_correction_updates_only_what_it_corrects(schools):
    frame = attainment_frame([100001, 100002], range(2016, 2019))
    first = load(schools, "attainment", frame)
    assert (first.plan.rows_added, first.plan.rows_updated, first.plan.rows_unchanged) == (6, 0, 0)
    stored = _data(schools)

    again = load(schools, "attainment", frame)
    assert (again.plan.rows_added, again.plan.rows_updated, again.plan.rows_unchanged) == (0, 0, 6)
    assert _data(schools) == stored  # not even upload_id moves

    corrected = frame.copy()
    corrected.loc[2, "Value"] = 99.5
    corrected.loc[4, "Cohort size"] = 31
    plan = plan_import(schools, "corrected.xlsx", xlsx_bytes("attainment", corrected), DEMO_ADMIN)
    assert (plan.rows_added, plan.rows_updated, plan.rows_unchanged) == (0, 2, 4)
    preview = plan.changes[0].changed_values
    assert preview.to_dict("records") == [
        {"urn": 100001, "academic_year": "2018/19", "term": "Summer", "measure": "ks2_rwm_exp",
         "pupil_group": "all", "field": "value", "before": str(frame.loc[2, "Value"]),
         "after": "99.5"},
        {"urn": 100002, "academic_year": "2017/18", "term": "Summer", "measure": "ks2_rwm_exp",
         "pupil_group": "all", "field": "cohort_size", "before": "30", "after": "31"},
    ]
    assert _data(schools) == stored  # planning writes nothing
    result = commit(schools, plan, DEMO_ADMIN)
    rows = schools.query("SELECT urn, academic_year, cohort_size, value, upload_id "
                         "FROM attainment ORDER BY urn, academic_year")
    changed = rows[rows["upload_id"] == result.upload_id]
    assert changed[["urn", "academic_year"]].to_records(index=False).tolist() == [
        (100001, "2018/19"), (100002, "2017/18")]
    assert (rows["upload_id"] == first.upload_id).sum() == 4


def test_the_upload_record_says_who_what_and_how_many(schools):
    data = xlsx_bytes("attainment", attainment_frame([100001], range(2017, 2019)))
    head = Actor("Ms Head", "head", frozenset({100001}))
    plan = plan_import(schools, "summer.xlsx", data, head)
    upload_id = commit(schools, plan, head).upload_id
    record = schools.query("SELECT * FROM uploads WHERE upload_id = $id", {"id": upload_id})
    row = record.iloc[0]
    assert (row["actor"], row["actor_role"], row["file_name"], row["kind"], row["status"]) == (
        "Ms Head", "head", "summer.xlsx", "attainment", "accepted")
    assert (row["rows_added"], row["rows_updated"], row["rows_unchanged"]) == (2, 0, 0)
    assert row["sha256"] == hashlib.sha256(data).hexdigest()
    assert json.loads(row["summary"])["rows"] == 2
    assert isinstance(json.loads(row["warnings"]), list)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_the_original_file_is_kept_byte_for_byte(schools, encoding):
    frame = attainment_frame([100001], range(2017, 2019))
    for name, data in (("summer.xlsx", xlsx_bytes("attainment", frame)),
                       ("summer.csv", csv_bytes(frame, encoding))):
        plan = plan_import(schools, name, data, DEMO_ADMIN)
        upload_id = commit(schools, plan, DEMO_ADMIN).upload_id
        assert original_file(schools, upload_id) == (name, data)
    # The same bytes uploaded twice are stored once, and both uploads still return them.
    data = xlsx_bytes("attainment", frame)
    ids = [commit(schools, plan_import(schools, f"copy{i}.xlsx", data, DEMO_ADMIN),
                  DEMO_ADMIN).upload_id for i in range(2)]
    assert [original_file(schools, i) for i in ids] == [("copy0.xlsx", data), ("copy1.xlsx", data)]
    sha = hashlib.sha256(data).hexdigest()
    assert schools.scalar("SELECT count(*) FROM upload_files WHERE sha256 = ?", [sha]) == 1


def test_original_file_of_an_unknown_upload(store):
    with pytest.raises(LookupError, match="There is no upload number 42"):
        original_file(store, 42)


def test_undo_takes_back_an_upload_as_a_whole(schools):
    frame = attainment_frame([100001, 100002], range(2017, 2019))
    first = load(schools, "attainment", frame)
    after_first = _data(schools)
    corrected = frame.copy()
    corrected.loc[0, "Value"] = 12.5
    extra = attainment_frame([100003], range(2018, 2019))
    second = load(schools, "attainment", pd.concat([corrected, extra], ignore_index=True))
    assert (second.plan.rows_added, second.plan.rows_updated) == (1, 1)

    assert undo_upload(schools, second.upload_id, DEMO_ADMIN) == 2
    assert _data(schools) == after_first
    status = schools.query("SELECT upload_id, status FROM uploads ORDER BY upload_id")
    assert status["status"].tolist() == ["accepted", "accepted", "undone"]
    event = schools.query("SELECT * FROM upload_events")
    assert event[["upload_id", "event", "actor"]].to_records(index=False).tolist() == [
        (second.upload_id, "undone", DEMO_ADMIN.name)]
    with pytest.raises(UndoConflict, match="already been undone"):
        undo_upload(schools, second.upload_id, DEMO_ADMIN)

    assert undo_upload(schools, first.upload_id, DEMO_ADMIN) == 4
    assert schools.scalar("SELECT count(*) FROM attainment") == 0


def test_undo_is_refused_when_a_later_upload_changed_the_same_rows(schools):
    frame = attainment_frame([100001, 100002], range(2017, 2019))
    first = load(schools, "attainment", frame)
    later = frame.copy()
    later.loc[1, "Value"] = 1.5
    second = load(schools, "attainment", later)
    before = snapshot(schools)
    with pytest.raises(UndoConflict) as refused:
        undo_upload(schools, first.upload_id, DEMO_ADMIN)
    when = schools.scalar("SELECT strftime(uploaded_at, '%d/%m/%Y %H:%M') FROM uploads "
                          "WHERE upload_id = ?", [second.upload_id])
    assert str(refused.value) == (
        f"Upload {first.upload_id} cannot be undone on its own: upload {second.upload_id} "
        f"(attainment.xlsx, {when} by Demo admin) afterwards sent 4 of the same attainment "
        f"figures (1 changed, 3 sent again unchanged). Undoing upload {first.upload_id} now "
        f"would take those rows away from that later upload. Undo upload {second.upload_id}, "
        f"then upload {first.upload_id}; or, if you only want to correct some figures, upload "
        "a corrected file instead.")
    assert snapshot(schools) == before  # nothing was half-undone
    undo_upload(schools, second.upload_id, DEMO_ADMIN)
    undo_upload(schools, first.upload_id, DEMO_ADMIN)
    assert schools.scalar("SELECT count(*) FROM attainment") == 0


def test_an_upload_that_only_repeated_rows_can_be_undone_without_touching_them(schools):
    frame = attainment_frame([100001], range(2017, 2019))
    load(schools, "attainment", frame)
    before = _data(schools)
    repeat = load(schools, "attainment", frame)
    assert undo_upload(schools, repeat.upload_id, DEMO_ADMIN) == 0
    assert _data(schools) == before


def test_undo_of_a_schools_and_partnership_upload(store):
    first = load(store, "schools", schools_frame(4, partnership="Oak Trust"))
    after_first = _data(store)
    frame = schools_frame(6, partnership="Oak Trust", in_partnership=3)
    frame.loc[0, "School name"] = "Renamed Primary"
    more = schools_frame(2, first_urn=200001, partnership="Ash Cluster", cohort="Founders",
                         in_partnership=2)
    second = load(store, "schools", pd.concat([frame, more], ignore_index=True))
    plan = second.plan
    assert {c.table: (c.added, c.updated) for c in plan.changes} == {
        "schools": (4, 1), "partnerships": (1, 0), "cohorts": (1, 0), "memberships": (3, 0)}
    undo_upload(store, second.upload_id, DEMO_ADMIN)
    assert _data(store) == after_first
    undo_upload(store, first.upload_id, DEMO_ADMIN)
    assert all(rows == [] for rows in _data(store).values())


def test_undo_of_an_unknown_upload(store):
    with pytest.raises(LookupError, match="There is no upload number 7"):
        undo_upload(store, 7, DEMO_ADMIN)


def test_a_file_without_an_optional_column_leaves_stored_values_alone(store):
    frame = schools_frame(4)
    frame["Left date"] = None
    frame.loc[1, "Left date"] = frame.loc[1, "Joined date"].replace(year=2023)
    load(store, "schools", frame)
    before = store.query("SELECT urn, capacity, pupils FROM schools ORDER BY urn")
    left = store.query("SELECT urn, left_date FROM memberships ORDER BY urn")

    slim = frame.drop(columns=["Capacity", "Left date"])
    slim["Pupils on roll"] = slim["Pupils on roll"] + 1
    plan = plan_import(store, "slim.xlsx", frame_bytes(slim), DEMO_ADMIN, kind="schools")
    with_columns = commit(store, plan, DEMO_ADMIN)
    assert {c.table: (c.added, c.updated, c.unchanged) for c in with_columns.plan.changes} == {
        "schools": (0, 4, 0), "partnerships": (0, 0, 1), "cohorts": (0, 0, 1),
        "memberships": (0, 0, 2)}
    after = store.query("SELECT urn, capacity, pupils FROM schools ORDER BY urn")
    assert after["capacity"].tolist() == before["capacity"].tolist() == [210] * 4
    assert after["pupils"].tolist() == [p + 1 for p in before["pupils"]]
    assert store.query("SELECT urn, left_date FROM memberships ORDER BY urn").equals(left)
    assert left["left_date"].notna().sum() == 1


def test_optional_columns_of_cpd_and_ofsted_are_left_alone_when_absent(schools):
    load(schools, "cpd", cpd_frame([100001]))
    load(schools, "ofsted", ofsted_frame([100001]))
    before = _data(schools)
    cpd = cpd_frame([100001]).drop(columns=["Hours each", "Description", "Activity date",
                                            "Self-assessment before", "Self-assessment after",
                                            "Lessons good or better (%)", "Staff confidence"])
    ofsted = ofsted_frame([100001]).drop(columns=["Inspection type", "Early years"])
    for kind, frame, rows in (("cpd", cpd, 4), ("ofsted", ofsted, 3)):
        for fmt in ("xlsx", "csv"):
            plan = plan_import(schools, f"{kind}.{fmt}", frame_bytes(frame, fmt), DEMO_ADMIN)
            assert plan.kind == kind and plan.ok, plan.problems
            assert (plan.rows_added, plan.rows_updated, plan.rows_unchanged) == (0, 0, rows)
            commit(schools, plan, DEMO_ADMIN)
    assert _data(schools) == before
