"""Who may write what through an upload, and two people confirming uploads at the same time.

Every import asks `impact.auth.rights.allowed` for each table and each school's rows: governors
look but do not change; a head changes only their own schools' figures (a row for another
school is refused naming the row and the school); the trust's structure (schools,
partnerships, public comparison figures) is set up by admins. Whoever confirms a plan is asked
again, whoever previewed it. A plan previewed against one state of the store cannot be
committed over a later one.
"""

from __future__ import annotations

import threading

import pandas as pd
import pytest

from impact.auth import DEMO_ADMIN, Actor, NotAllowed
from impact.importing.pipeline import StalePlan, commit, plan_import, undo_upload
from tests.factories import (
    attainment_frame,
    benchmarks_frame,
    frame_bytes,
    load,
    schools_frame,
    snapshot,
    xlsx_bytes,
)

GOVERNOR = Actor("Mr Governor", "governor", partnerships=frozenset({"Test Trust"}),
                 email="governor@test.example")
HEAD = Actor("Ms Head", "head", frozenset({100001}), email="head@test.example")
OLD_DATA_MANAGER = Actor("Trust data", "data_manager")  # the role before accounts existed


@pytest.fixture
def schools(store):
    load(store, "schools", schools_frame(4))
    return store


def _audit(store, event):
    return store.query("SELECT actor_email, outcome, detail, upload_id, sha256 FROM audit_log "
                       "WHERE event = ? ORDER BY audit_id", [event])


def test_a_governor_cannot_write_and_is_told_so_before_confirming(schools):
    before = snapshot(schools)
    data = xlsx_bytes("attainment", attainment_frame([100001]))
    plan = plan_import(schools, "a.xlsx", data, GOVERNOR)
    assert not plan.ok
    assert [p.message for p in plan.problems] == [
        "Mr Governor (governor) can look at the data but not change it: ask the school's head "
        "or the trust's data manager to upload this file."]
    # Even a plan someone else made cannot be committed by a governor: refused and recorded.
    admin_plan = plan_import(schools, "a.xlsx", data, DEMO_ADMIN)
    with pytest.raises(NotAllowed, match="can look at the data but not change it"):
        commit(schools, admin_plan, GOVERNOR)
    assert snapshot(schools) == before
    refused = _audit(schools, "upload").query("outcome == 'refused'")
    assert refused["actor_email"].tolist() == ["governor@test.example"]
    assert refused["sha256"].tolist() == [admin_plan.sha256]


def test_a_governor_cannot_undo(schools):
    upload = load(schools, "attainment", attainment_frame([100001]))
    with pytest.raises(NotAllowed, match="governors read only"):
        undo_upload(schools, upload.upload_id, GOVERNOR)
    assert schools.scalar("SELECT status FROM uploads WHERE upload_id = ?",
                          [upload.upload_id]) == "accepted"
    assert _audit(schools, "undo")["outcome"].tolist() == ["refused"]


def test_a_head_uploads_their_own_school_but_not_another(schools):
    own = attainment_frame([100001], range(2017, 2019))
    assert load(schools, "attainment", own, actor=HEAD).plan.rows_added == 2
    before = snapshot(schools)
    mixed = attainment_frame([100001, 100002, 100003], range(2018, 2019))
    plan = plan_import(schools, "a.xlsx", xlsx_bytes("attainment", mixed), HEAD)
    assert [(p.row, p.column, p.value, p.message) for p in plan.problems] == [
        (3, "URN", "100002", "this row is for School 100002 (URN 100002): Ms Head can upload "
                             "figures only for their own school"),
        (4, "URN", "100003", "this row is for School 100003 (URN 100003): Ms Head can upload "
                             "figures only for their own school"),
    ]
    assert snapshot(schools) == before


def test_a_head_cannot_confirm_an_admins_plan_for_other_schools(schools):
    plan = plan_import(schools, "a.xlsx", xlsx_bytes("attainment", attainment_frame(
        [100001, 100002], range(2018, 2019))), DEMO_ADMIN)
    assert plan.ok
    before = snapshot(schools)
    with pytest.raises(NotAllowed, match="Row 3: this row is for school 100002"):
        commit(schools, plan, HEAD)
    assert snapshot(schools) == before


def test_a_head_uploading_a_large_file_of_other_schools_is_told_once_per_row_then_in_sum(schools):
    from impact.importing.permissions import FOREIGN_ROWS_LISTED

    frame = pd.concat([attainment_frame([100002, 100003], range(1995, 2025)).assign(
        **{"Pupil group": group}) for group in ("All pupils", "Boys", "Girls", "Disadvantaged")],
        ignore_index=True)
    assert len(frame) > FOREIGN_ROWS_LISTED
    plan = plan_import(schools, "a.xlsx", xlsx_bytes("attainment", frame), HEAD)
    named = [p for p in plan.problems if p.row is not None]
    assert len(named) == FOREIGN_ROWS_LISTED
    assert named[0].row == 2 and named[0].value in ("100002", "100003")
    summary = [p for p in plan.problems if p.row is None]
    assert len(summary) == 1
    assert summary[0].message.startswith(f"and {len(frame) - FOREIGN_ROWS_LISTED:,} more rows "
                                         "for schools that are not yours (2 schools in all")


def test_a_head_loading_a_trust_wide_file_is_told_once_not_per_row(store):
    plan = plan_import(store, "schools.xlsx", xlsx_bytes("schools", schools_frame(4)), HEAD)
    ask = "ask the trust's data manager (an admin) to upload this file."
    assert [p.message for p in plan.problems] == [
        f"Ms Head (head) cannot change schools: {ask}",
        f"Ms Head (head) cannot change partnerships: {ask}",
        f"Ms Head (head) cannot change cohorts: {ask}",
        f"Ms Head (head) cannot change memberships: {ask}"]


def test_a_head_naming_schools_by_name_is_told_in_that_column(schools):
    frame = attainment_frame([100002], range(2018, 2019)).drop(columns=["URN"])
    frame.insert(0, "School", "School 100002")
    plan = plan_import(schools, "a.xlsx", frame_bytes(frame), HEAD)
    assert [(p.row, p.column, p.value) for p in plan.problems] == [(2, "School", "100002")]


@pytest.mark.parametrize("kind", ["schools", "benchmarks"])
def test_structure_and_public_figures_need_an_admin(store, kind):
    frame = schools_frame(2) if kind == "schools" else benchmarks_frame()
    data = xlsx_bytes(kind, frame)
    for actor in (HEAD, Actor("Head of two", "head", frozenset({100001, 100002}))):
        plan = plan_import(store, "f.xlsx", data, actor)
        assert not plan.ok
        assert all(p.row is None for p in plan.problems)
        assert "ask the trust's data manager (an admin) to upload this file" in \
            plan.problems[0].message
    plan = plan_import(store, "f.xlsx", data, DEMO_ADMIN)
    assert plan.ok
    assert commit(store, plan, DEMO_ADMIN).upload_id


def test_the_old_data_manager_role_is_folded_into_admin(store):
    """Stores and code from before accounts named a `data_manager` role: it acts as admin."""
    assert OLD_DATA_MANAGER.role == "admin"
    plan = plan_import(store, "f.xlsx", xlsx_bytes("schools", schools_frame(2)),
                       OLD_DATA_MANAGER)
    assert commit(store, plan, OLD_DATA_MANAGER).status == "accepted"
    assert store.scalar("SELECT actor_role FROM uploads") == "admin"


def test_every_accepted_upload_is_in_the_audit_log_with_its_sha256(schools):
    result = load(schools, "attainment", attainment_frame([100001]), actor=HEAD)
    logged = _audit(schools, "upload").query("outcome == 'ok'").iloc[-1]
    assert (logged["actor_email"], logged["upload_id"], logged["sha256"]) == (
        "head@test.example", result.upload_id, result.plan.sha256)
    assert "4 added" in logged["detail"]


def test_two_plans_for_the_same_rows_the_second_is_stale_and_writes_nothing(schools):
    load(schools, "attainment", attainment_frame([100001, 100002], range(2017, 2019)))
    mine = attainment_frame([100001, 100002], range(2017, 2019), seed=7)
    theirs = attainment_frame([100001], range(2018, 2019), seed=8)
    plan_mine = plan_import(schools, "mine.xlsx", xlsx_bytes("attainment", mine), DEMO_ADMIN)
    plan_theirs = plan_import(schools, "theirs.xlsx", xlsx_bytes("attainment", theirs),
                              DEMO_ADMIN)
    commit(schools, plan_theirs, DEMO_ADMIN)
    after_theirs = snapshot(schools)
    with pytest.raises(StalePlan, match="another upload changed some of the same rows. Nothing "
                                        "from your file was saved"):
        commit(schools, plan_mine, DEMO_ADMIN)
    assert snapshot(schools) == after_theirs
    # Previewed again, the same file goes in.
    again = plan_import(schools, "mine.xlsx", xlsx_bytes("attainment", mine), DEMO_ADMIN)
    assert commit(schools, again, DEMO_ADMIN).status == "accepted"


def test_a_plan_adding_rows_someone_else_added_first_is_stale(schools):
    frame = attainment_frame([100001], range(2018, 2019))
    first = plan_import(schools, "a.xlsx", xlsx_bytes("attainment", frame), DEMO_ADMIN)
    second = plan_import(schools, "b.xlsx", xlsx_bytes("attainment", frame), DEMO_ADMIN)
    commit(schools, first, DEMO_ADMIN)
    with pytest.raises(StalePlan):
        commit(schools, second, DEMO_ADMIN)
    assert schools.scalar("SELECT count(*) FROM uploads") == 2  # schools, then a.xlsx


def test_confirming_the_same_plan_twice_writes_it_once(schools):
    """A double click on Confirm: the second commit finds its plan overtaken by the first."""
    frame = attainment_frame([100001], range(2017, 2019))
    plan = plan_import(schools, "a.xlsx", xlsx_bytes("attainment", frame), DEMO_ADMIN)
    commit(schools, plan, DEMO_ADMIN)
    after = snapshot(schools)
    with pytest.raises(StalePlan):
        commit(schools, plan, DEMO_ADMIN)
    assert snapshot(schools) == after


def test_two_plans_for_different_schools_both_commit(schools):
    load(schools, "attainment", attainment_frame([100001, 100002], range(2017, 2019)))
    one = attainment_frame([100001], range(2017, 2019), seed=3)
    two = attainment_frame([100002], range(2017, 2019), seed=4)
    plan_one = plan_import(schools, "one.xlsx", xlsx_bytes("attainment", one), DEMO_ADMIN)
    plan_two = plan_import(schools, "two.xlsx", xlsx_bytes("attainment", two), DEMO_ADMIN)
    commit(schools, plan_one, DEMO_ADMIN)
    commit(schools, plan_two, DEMO_ADMIN)
    values = schools.query("SELECT urn, value FROM attainment ORDER BY urn, academic_year")
    assert values["value"].tolist() == [*one["Value"], *two["Value"]]


def test_concurrent_confirmations_from_two_threads(schools):
    """The app serves several people from one process: writers queue, and of two plans for
    the same rows exactly one wins."""
    load(schools, "attainment", attainment_frame([100001, 100002], range(2017, 2019)))
    frames = {"a": attainment_frame([100001], range(2017, 2019), seed=11),
              "b": attainment_frame([100002], range(2017, 2019), seed=12),
              "c": attainment_frame([100001], range(2017, 2019), seed=13)}
    plans = {k: plan_import(schools, f"{k}.xlsx", xlsx_bytes("attainment", f), DEMO_ADMIN)
             for k, f in frames.items()}
    outcomes: dict[str, str] = {}
    start = threading.Barrier(len(plans))

    def confirm(key: str) -> None:
        start.wait()
        try:
            commit(schools, plans[key], DEMO_ADMIN)
            outcomes[key] = "accepted"
        except StalePlan:
            outcomes[key] = "stale"

    threads = [threading.Thread(target=confirm, args=(k,)) for k in plans]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes["b"] == "accepted"
    assert sorted([outcomes["a"], outcomes["c"]]) == ["accepted", "stale"]
    winner = frames["a"] if outcomes["a"] == "accepted" else frames["c"]
    stored = schools.query("SELECT value FROM attainment WHERE urn = 100001 "
                           "ORDER BY academic_year")["value"].tolist()
    assert stored == winner["Value"].tolist()
