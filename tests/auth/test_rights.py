"""`allowed(actor, action, resource)`: every action for every role, and the sentence a refusal
gives. The pages, the CLI and the import/undo/export entry points all ask this one function
(tests/pages/test_roles.py and tests/test_cli_roles.py check that they do)."""

from __future__ import annotations

import pytest

from impact.auth import Actor, NotAllowed, allowed, require
from impact.auth import rights as r

ADMIN = Actor("Ada", "admin", email="ada@trust.example")
HEAD = Actor("Hal", "head", frozenset({100001, 100002}), email="hal@trust.example")
GOVERNOR = Actor("Gil", "governor", partnerships=frozenset({"Test Trust"}),
                 email="gil@trust.example")

MINE = r.Upload(7, "hal@trust.example", frozenset({100001}))
MINE_NOW_FOREIGN = r.Upload(8, "HAL@trust.example", frozenset({100001, 100009}))
SOMEONE_ELSES = r.Upload(9, "ada@trust.example", frozenset({100001}))
OLD = r.Upload(10, None, frozenset({100001}))  # before accounts existed
STRUCTURE = r.Upload(11, "hal@trust.example", frozenset(), structure=True)

# (action, resource) -> (admin, head, governor)
MATRIX = [
    ((r.UPLOAD, None), (True, True, False)),
    ((r.WRITE_ROWS, r.Rows("attainment", "attainment figures", urn=100001)), (True, True, False)),
    ((r.WRITE_ROWS, r.Rows("attainment", "attainment figures", urn=100003)), (True, False, False)),
    ((r.WRITE_ROWS, r.Rows("schools", "schools", structure=True)), (True, False, False)),
    ((r.WRITE_ROWS, r.Rows("benchmarks", "benchmarks", structure=True)), (True, False, False)),
    ((r.UNDO, MINE), (True, True, False)),
    ((r.UNDO, MINE_NOW_FOREIGN), (True, False, False)),
    ((r.UNDO, SOMEONE_ELSES), (True, False, False)),
    ((r.UNDO, OLD), (True, False, False)),
    ((r.UNDO, STRUCTURE), (True, False, False)),
    ((r.SEE_UPLOAD, MINE), (True, True, False)),
    ((r.SEE_UPLOAD, SOMEONE_ELSES), (True, False, False)),
    ((r.EXPORT, r.Export("attainment")), (True, True, False)),
    ((r.EXPORT, r.Export("attainment", 100002)), (True, True, False)),
    ((r.EXPORT, r.Export("attainment", 100003)), (True, False, False)),
    ((r.EXPORT, r.Export("benchmarks")), (True, True, True)),
    ((r.EXPORT, r.Export(r.VIEW)), (True, True, True)),
    ((r.EXPORT, r.Export(r.AUDIT)), (True, False, False)),
    ((r.MANAGE_USERS, None), (True, False, False)),
    ((r.READ_AUDIT, None), (True, False, False)),
    ((r.SET_UP, None), (True, False, False)),
    ((r.REBUILD, None), (True, False, False)),
    ((r.VIEW_ALL, None), (True, False, False)),
    ((r.VIEW_PARTNERSHIP, r.Partnership("Test Trust", frozenset({100001, 100005}))),
     (True, True, True)),
    ((r.VIEW_PARTNERSHIP, r.Partnership("Other Trust", frozenset({100007}))),
     (True, False, False)),
    ((r.VIEW_SCHOOL, r.School(100001, frozenset({"Test Trust"}))), (True, True, True)),
    ((r.VIEW_SCHOOL, r.School(100005, frozenset({"Test Trust"}))), (True, False, True)),
    ((r.VIEW_SCHOOL, r.School(100007, frozenset({"Other Trust"}))), (True, False, False)),
    ((r.SMALL_GROUPS, None), (True, True, False)),
]


def test_the_matrix_covers_every_action():
    assert {action for (action, _), _ in MATRIX} == set(r.ACTIONS)


@pytest.mark.parametrize(("request_", "expected"), MATRIX,
                         ids=[f"{a}-{i}" for i, ((a, _), _) in enumerate(MATRIX)])
def test_what_each_role_may_do(request_, expected):
    action, resource = request_
    for actor, may in zip((ADMIN, HEAD, GOVERNOR), expected, strict=True):
        decision = allowed(actor, action, resource)
        assert bool(decision) is may, (actor.role, action, resource)
        # A refusal always says why, in a sentence; a yes says nothing.
        assert (decision.reason.strip() != "") is (not may)


def test_refusals_are_sentences_a_person_understands():
    assert allowed(GOVERNOR, r.UPLOAD).reason == (
        "Gil (governor) can look at the data but not change it: ask the school's head or the "
        "trust's data manager to upload this file.")
    assert allowed(HEAD, r.UNDO, SOMEONE_ELSES).reason == (
        "Only the person who made upload 9 or an admin can undo it.")
    assert allowed(HEAD, r.UNDO, MINE_NOW_FOREIGN).reason.startswith(
        "Upload 8 changed figures for schools that are not yours now")
    assert allowed(HEAD, r.READ_AUDIT).reason == (
        "Only an admin can read the audit log; Hal (head) cannot.")
    assert allowed(None, r.UPLOAD).reason == "Sign in first."


def test_require_raises_the_refusal_and_unknown_actions_or_resources_are_errors():
    with pytest.raises(NotAllowed, match="Only an admin can manage accounts"):
        require(GOVERNOR, r.MANAGE_USERS)
    require(ADMIN, r.MANAGE_USERS)
    with pytest.raises(ValueError, match="unknown action"):
        allowed(ADMIN, "delete_everything")
    with pytest.raises(TypeError, match="needs a Upload"):
        allowed(HEAD, r.UNDO, 7)


def test_the_old_data_manager_role_reads_as_admin_and_roles_are_checked():
    assert Actor("Old", "data_manager").role == "admin"
    assert allowed(Actor("Old", "data_manager"), r.MANAGE_USERS)
    with pytest.raises(ValueError, match="unknown role"):
        Actor("Who", "superuser")
