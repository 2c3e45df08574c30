"""`python -m impact setup`: the Set up page's renames and removal from the command line, on a
real store in a temporary folder (tests/pages/helpers.build_store: 100001-100003 in Test
Trust's Cohort A, a head of 100001 and a governor of Test Trust). The same edit, check and
transaction as the page; listed by `uploads`, undone by `undo`; refused for heads."""

from __future__ import annotations

from pathlib import Path

import pytest

from impact.auth.actor import DEMO_ADMIN
from impact.cli import main
from impact.importing import edits
from impact.importing.pipeline import commit, plan_edit
from impact.store import Store
from tests.pages.helpers import HEAD_EMAIL, TRUST, build_store

MEMBERS = "SELECT urn, partnership, cohort FROM memberships ORDER BY urn"


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "setup.duckdb"
    build_store(path)
    return path


def _run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def _members(db: Path) -> list[tuple]:
    with Store(db) as store:
        return [tuple(r) for r in store.query(MEMBERS).itertuples(index=False)]


def test_rename_a_cohort_dry_run_then_saved_listed_and_undone(db, capsys):
    before = _members(db)
    status, out, _ = _run(capsys, "--db", str(db), "setup", "rename-cohort", TRUST, "Cohort A",
                          "Cohort Z", "--dry-run")
    assert status == 0
    assert out.splitlines()[1:] == ["  cohorts: +1 ~0 -1", "  memberships: +3 ~0 -3",
                                    "Dry run: nothing was saved."]
    assert _members(db) == before
    status, out, _ = _run(capsys, "--db", str(db), "setup", "rename-cohort", TRUST, "Cohort A",
                          "Cohort Z")
    assert status == 0 and "Saved as upload 6" in out
    assert _members(db) == [(u, p, "Cohort Z") for u, p, _ in before]
    status, out, _ = _run(capsys, "--db", str(db), "uploads")
    assert out.splitlines()[0].split()[5:8] == ["+4", "~0", "=1"]
    assert "-4  set-up-rename-cohort-cohort-a" in out.splitlines()[0]
    status, out, _ = _run(capsys, "--db", str(db), "undo", "6")
    assert status == 0
    assert _members(db) == before


def test_remove_a_member_and_a_rename_to_a_name_in_use_is_refused(db, capsys):
    status, out, _ = _run(capsys, "--db", str(db), "setup", "remove-member", "100002", TRUST,
                          "Cohort A")
    assert status == 0 and "as entered by mistake" in out
    assert [u for u, _, _ in _members(db)] == [100001, 100003]
    status, _, err = _run(capsys, "--db", str(db), "setup", "remove-member", "100002", TRUST,
                          "Cohort A")
    assert status == 1
    assert "in the column URN, the value 100002 is not a school in Cohort A" in err
    with Store(db) as store:
        plan = plan_edit(store, edits.add_partnership(store, "Oak Cluster", "Cluster"),
                         DEMO_ADMIN)
        commit(store, plan, DEMO_ADMIN)
    status, _, err = _run(capsys, "--db", str(db), "setup", "rename-partnership", TRUST,
                          "oak cluster")
    assert status == 1
    assert err == ("Renaming the partnership 'Test Trust': in the column Partnership, the "
                   "value 'oak cluster' is already the name of another partnership ('Oak "
                   "Cluster'). Expected a name no other partnership has.\n")
    # only the case changed: allowed (the same partnership, written differently)
    status, out, _ = _run(capsys, "--db", str(db), "setup", "rename-partnership", TRUST,
                          "TEST TRUST", "--dry-run")
    assert status == 0 and "Dry run" in out
    status, _, err = _run(capsys, "--db", str(db), "setup", "rename-cohort", TRUST,
                          "Cohort A", " ")
    assert (status, err) == (1, "Renaming the cohort 'Cohort A' of Test Trust: in the column "
                                "Cohort, the new name is empty. Expected the cohort's new "
                                "name.\n")


def test_a_head_is_refused_through_allowed_and_it_is_recorded(db, capsys):
    before = _members(db)
    status, _, err = _run(capsys, "--db", str(db), "--as", HEAD_EMAIL, "setup",
                          "rename-partnership", TRUST, "Oak Trust")
    assert status == 3
    assert err == ("Only an admin can set up partnerships, cohorts and schools; Hal Head "
                   "(head) cannot.\n")
    assert _members(db) == before
    with Store(db) as store:
        assert store.scalar("SELECT count(*) FROM audit_log WHERE outcome = 'refused' AND "
                            "actor_email = ?", [HEAD_EMAIL]) == 1
