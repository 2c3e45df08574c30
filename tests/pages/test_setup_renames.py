"""Renaming a partnership or a cohort and removing a school entered in a cohort by mistake, on
the Set up page under AppTest, on a real store: each is previewed with what it takes away,
saved in one transaction, listed in the history with who made it, undone only while nothing
later stands on it, and refused with a sentence naming the row, the column, the value and
what was expected. Heads and governors are refused through `allowed()`.

The sample store (tests/pages/helpers.build_store): six schools, 100001-100003 in Test Trust's
Cohort A since 1 September 2019; a governor linked to Test Trust; a head of 100001.
"""

from __future__ import annotations

import datetime as dt

import pytest

from impact.analysis import data as analysis_data
from impact.analysis.estimate import impact_estimate
from impact.auth import NotAllowed
from impact.auth.accounts import cli_actor
from impact.auth.actor import DEMO_ADMIN
from impact.importing import edits
from impact.importing.pipeline import commit, plan_edit
from tests.factories import load
from tests.pages.helpers import (
    ADMIN_EMAIL,
    GOVERNOR_EMAIL,
    HEAD_EMAIL,
    OTHERS,
    TRUST,
    open_app,
    rwm_frame,
    table_with,
    texts,
)
from tests.pages.helpers import MEMBERS as MEMBER_URNS
from tests.pages.setup_steps import confirm as _confirm
from tests.pages.setup_steps import saved_id as _saved_id
from tests.pages.setup_steps import submit as _submit
from tests.pages.setup_steps import unescaped as _plain

SETUP = "app_pages/setup.py"
MEMBERS = "SELECT urn, partnership, cohort, joined_date, left_date FROM memberships " \
          "ORDER BY urn, partnership, cohort"


def _undo_now(at, upload: int):
    at.button(key=f"setup_undo_now_{upload}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _rows(app_store, sql: str) -> list[tuple]:
    with app_store.open() as store:
        return [tuple(str(v)[:10] if hasattr(v, "year") else v for v in row)
                for row in store.query(sql).itertuples(index=False)]


def _save(app_store, make) -> int:
    """A change made as the admin through the library, before the page is opened."""
    with app_store.open() as store:
        plan = plan_edit(store, make(store), DEMO_ADMIN)
        assert plan.ok, plan.problems
        return commit(store, plan, DEMO_ADMIN).upload_id


def _record_project(app_store) -> None:
    _save(app_store, lambda s: edits.record_project(
        s, 100001, "Feedback in Year 5", area="Quality of feedback",
        start_date=dt.date(2022, 10, 3), partnership=TRUST, lead_urn=100002))


@pytest.fixture
def page(app_store):
    return open_app(SETUP)


# --- renaming a cohort -----------------------------------------------------------------------

def test_rename_a_cohort_its_schools_follow_and_the_cohorts_page_and_estimate_find_it(
        app_store):
    # results after joining, so that the cohort has an estimate to find
    later = {y: {u: 60.0 + (u % 10) * 3 for u in (*MEMBER_URNS, *OTHERS)} for y in (2021, 2022)}
    with app_store.open() as store:
        load(store, "attainment", rwm_frame(later, {u: 30 for u in (*MEMBER_URNS, *OTHERS)}))
    page = open_app(SETUP)
    before = _rows(app_store, MEMBERS)
    with app_store.open() as store:
        old = impact_estimate(store, cohort=f"{TRUST} / Cohort A", measure="ks2_rwm_exp",
                              draws=0)
    page.text_input(key="setup_rename_cohort_name_0_0").input("Cohort Z")
    _submit(page, "Check this new cohort name")
    counts = table_with(page, "What", "New", "Changed").set_index("What")
    assert counts.loc["Cohorts", ["New", "Removed"]].tolist() == [1, 1]
    assert counts.loc["Memberships", ["New", "Removed"]].tolist() == [3, 3]
    removed = table_with(page, "What", "Which row")
    assert "Test Trust · Cohort A" in removed["Which row"].tolist()
    assert _rows(app_store, MEMBERS) == before, "nothing saved before confirming"
    _confirm(page)
    upload = _saved_id(page)
    after = _rows(app_store, MEMBERS)
    assert after == [(u, p, "Cohort Z", j, left) for u, p, _, j, left in before]
    assert _rows(app_store, "SELECT cohort FROM cohorts") == [("Cohort Z",)]
    # in the history, with who made it, and in the audit log
    history = table_with(page, "Upload", "Who", "File", "New", "Removed").set_index("Upload")
    assert history.loc[upload, "Who"] == "Ada Admin"
    assert history.loc[upload, ["New", "Removed"]].tolist() == [4, 4]
    assert history.loc[upload, "File"].startswith("set-up-rename-cohort-cohort-a")
    audit = _rows(app_store, f"SELECT actor_email, outcome, detail FROM audit_log "
                             f"WHERE upload_id = {upload}")
    assert audit[0][:2] == (ADMIN_EMAIL, "ok")
    assert "renamed cohort 'Cohort A' to 'Cohort Z'" in audit[0][2]
    # the Cohorts page and an estimate find the cohort under its new name, and only there
    cohorts = open_app("app_pages/cohorts.py", query={"partnership": TRUST,
                                                      "cohort": "Cohort Z"})
    assert cohorts.selectbox(key="filter_cohort").value == "Cohort Z"
    assert cohorts.title[0].value == "Cohort Z"
    assert "Cohort A" not in cohorts.selectbox(key="filter_cohort").options
    with app_store.open() as store:
        new = impact_estimate(store, cohort=f"{TRUST} / Cohort Z", measure="ks2_rwm_exp",
                              draws=0)
        with pytest.raises(analysis_data.UnknownName):
            impact_estimate(store, cohort=f"{TRUST} / Cohort A", measure="ks2_rwm_exp",
                            draws=0)
    assert new.cohort == "Cohort Z"
    assert sorted(s.urn for s in new.joining_schools) == \
        sorted(s.urn for s in old.joining_schools) == [100001, 100002, 100003]
    assert old.status == "ok" and old.effect is not None
    assert (new.status, new.effect, new.years) == (old.status, old.effect, old.years)


def test_undo_a_cohort_rename_puts_the_old_name_back(page, app_store):
    before = _rows(app_store, MEMBERS)
    page.text_input(key="setup_rename_cohort_name_0_0").input("Cohort Z")
    _confirm(_submit(page, "Check this new cohort name"))
    upload = _saved_id(page)
    _undo_now(page, upload)
    assert any(f"Change {upload} was undone: 8 rows" in _plain(s) for s in texts(page.success))
    assert _rows(app_store, MEMBERS) == before
    assert _rows(app_store, "SELECT cohort FROM cohorts") == [("Cohort A",)]


def test_undoing_a_rename_under_a_later_change_to_the_renamed_cohort_is_refused(page,
                                                                                 app_store):
    page.text_input(key="setup_rename_cohort_name_0_0").input("Cohort Z")
    _confirm(_submit(page, "Check this new cohort name"))
    rename = _saved_id(page)
    page.text_input(key="setup_change_focus_1_0").input("Reading for pleasure")
    _confirm(_submit(page, "Check these changes"))
    later = _saved_id(page)
    page.selectbox(key="setup_history_choice").select(rename).run()
    page.checkbox(key=f"setup_undo_sure_{rename}").check().run()
    page.button(key="setup_undo").click().run()
    refused = _plain(page.error[0].value)
    assert refused.startswith(f"Upload {rename} cannot be undone on its own: upload {later}")
    assert f"Undo upload {later}, then upload {rename}" in refused
    assert _rows(app_store, "SELECT cohort, focus FROM cohorts") == \
        [("Cohort Z", "Reading for pleasure")]


@pytest.mark.parametrize(("typed", "said"), [
    ("", "Renaming the cohort 'Cohort A' of Test Trust: in the column Cohort, the new name is "
         "empty. Expected the cohort's new name."),
    ("cohort b", "Renaming the cohort 'Cohort A' of Test Trust: in the column Cohort, the "
                 "value 'cohort b' is already the name of another cohort of Test Trust "
                 "('Cohort B'). Expected a name no other cohort of Test Trust has."),
    ("Cohort A", "in the column Cohort, the value 'Cohort A' is already its name. Expected a "
                 "different name."),
    ("clear", "the value 'clear' cannot be a name"),
])
def test_a_cohort_rename_that_cannot_be_is_refused_and_nothing_saved(app_store, typed, said):
    _save(app_store, lambda s: edits.add_cohort(s, TRUST, "Cohort B", None, None))
    before = _rows(app_store, MEMBERS)
    uploads = app_store.scalar("SELECT count(*) FROM uploads")
    at = open_app(SETUP)
    at.selectbox(key="setup_change_cohort_which").select(f"{TRUST} / Cohort A").run()
    slot = [k for k in (t.key for t in at.text_input)
            if k.startswith("setup_rename_cohort_name_")][0]
    at.text_input(key=slot).input(typed)
    _submit(at, "Check this new cohort name")
    assert said in _plain(at.error[0].value)
    assert _rows(app_store, MEMBERS) == before
    assert app_store.scalar("SELECT count(*) FROM uploads") == uploads


# --- renaming a partnership ------------------------------------------------------------------

def test_rename_a_partnership_everything_follows_then_undo(app_store):
    _record_project(app_store)
    before = _rows(app_store, MEMBERS)
    page = open_app(SETUP)
    page.selectbox(key="setup_rename_partnership_which_0").select(TRUST)
    page.text_input(key="setup_rename_partnership_name_0").input("Oak Trust")
    _submit(page, "Check this new name")
    counts = table_with(page, "What", "New", "Changed").set_index("What")
    assert counts.loc["Partnerships", ["New", "Removed"]].tolist() == [1, 1]
    assert counts.loc["Cohorts", ["New", "Removed"]].tolist() == [1, 1]
    assert counts.loc["Memberships", ["New", "Removed"]].tolist() == [3, 3]
    assert counts.loc["Improvement projects", "Changed"] == 1
    _confirm(page)
    upload = _saved_id(page)
    assert _rows(app_store, MEMBERS) == [(u, "Oak Trust", c, j, left)
                                         for u, _, c, j, left in before]
    assert _rows(app_store, "SELECT partnership, partnership_type FROM partnerships") == \
        [("Oak Trust", "Cluster")]
    assert _rows(app_store, "SELECT partnership FROM cohorts") == [("Oak Trust",)]
    assert _rows(app_store, "SELECT partnership FROM improvement_projects") == [("Oak Trust",)]
    assert _rows(app_store, "SELECT email, partnership FROM user_partnerships") == \
        [(GOVERNOR_EMAIL, "Oak Trust")]
    # the governor still sees their partnership, under its new name
    governor = open_app(user="governor")
    assert governor.selectbox(key="filter_partnership").value == "Oak Trust"
    _undo_now(page, upload)
    assert any(f"Change {upload} was undone" in _plain(s) for s in texts(page.success))
    assert _rows(app_store, MEMBERS) == before
    assert _rows(app_store, "SELECT partnership FROM partnerships") == [(TRUST,)]
    assert _rows(app_store, "SELECT partnership FROM improvement_projects") == [(TRUST,)]
    assert _rows(app_store, "SELECT email, partnership FROM user_partnerships") == \
        [(GOVERNOR_EMAIL, TRUST)]


def test_a_partnership_rename_to_a_name_in_use_is_refused(app_store):
    _save(app_store, lambda s: edits.add_partnership(s, "Oak Cluster", "Cluster"))
    page = open_app(SETUP)
    page.selectbox(key="setup_rename_partnership_which_0").select(TRUST)
    page.text_input(key="setup_rename_partnership_name_0").input("OAK CLUSTER")
    _submit(page, "Check this new name")
    assert _plain(page.error[0].value) == (
        "Renaming the partnership 'Test Trust': in the column Partnership, the value "
        "'OAK CLUSTER' is already the name of another partnership ('Oak Cluster'). Expected "
        "a name no other partnership has.")
    assert _rows(app_store, "SELECT partnership FROM partnerships ORDER BY 1") == \
        [("Oak Cluster",), (TRUST,)]
    page.text_input(key="setup_rename_partnership_name_0").input("  ")
    _submit(page, "Check this new name")
    assert "the new name is empty. Expected the partnership's new name." in \
        _plain(page.error[0].value)


# --- removing a school entered by mistake ----------------------------------------------------

def test_remove_a_membership_entered_by_mistake_then_undo(page, app_store):
    before = _rows(app_store, MEMBERS)
    page.selectbox(key="setup_member_which_0").select(100002).run()
    _submit(page, "Check removing this school")
    counts = table_with(page, "What", "New", "Changed").set_index("What")
    assert counts.loc["Memberships", ["New", "Changed", "Removed"]].tolist() == [0, 0, 1]
    assert table_with(page, "What", "Which row")["Which row"].tolist() == \
        ["100002 · Test Trust · Cohort A"]
    assert any("as entered by mistake" in m.value for m in page.markdown)
    _confirm(page)
    upload = _saved_id(page)
    assert _rows(app_store, MEMBERS) == [r for r in before if r[0] != 100002]
    assert app_store.scalar("SELECT count(*) FROM schools WHERE urn = 100002") == 1, \
        "the school itself stays"
    history = table_with(page, "Upload", "Who", "File", "Removed").set_index("Upload")
    assert history.loc[upload, "Removed"] == 1
    assert _rows(app_store, f"SELECT outcome FROM audit_log WHERE upload_id = {upload}") == \
        [("ok",)]
    _undo_now(page, upload)
    assert any(f"Change {upload} was undone: 1 rows" in _plain(s) for s in texts(page.success))
    assert _rows(app_store, MEMBERS) == before


def test_removing_a_membership_that_is_no_longer_there_is_refused(page, app_store):
    """The form lists only the cohort's schools, so a membership that is not there is met
    when it went while the person was looking: at the check, or at the confirm."""
    page.selectbox(key="setup_member_which_0").select(100003).run()
    _submit(page, "Check removing this school")
    assert "Check this change" in texts(page.subheader)
    _save(app_store, lambda s: edits.remove_member(s, 100003, TRUST, "Cohort A"))
    before = _rows(app_store, MEMBERS)
    uploads = app_store.scalar("SELECT count(*) FROM uploads")
    page.button(key="setup_confirm").click().run()
    assert "nothing was saved" in _plain(page.warning[0].value)
    assert _rows(app_store, MEMBERS) == before
    assert app_store.scalar("SELECT count(*) FROM uploads") == uploads
    with app_store.open() as store, pytest.raises(edits.EditRefused) as refused:
        edits.remove_member(store, 100003, TRUST, "Cohort A")
    assert str(refused.value) == (
        "Removing school 100003 from Cohort A (Test Trust): in the column URN, the value "
        "100003 is not a school in Cohort A, so there is nothing to remove. Expected one of "
        "the schools listed in Cohort A.")


def test_undoing_a_removal_after_its_cohort_was_renamed_is_refused(page, app_store):
    page.selectbox(key="setup_member_which_0").select(100002).run()
    _confirm(_submit(page, "Check removing this school"))
    removal = _saved_id(page)
    page.text_input(key="setup_rename_cohort_name_1_0").input("Cohort Z")
    _confirm(_submit(page, "Check this new cohort name"))
    before = _rows(app_store, MEMBERS)
    page.selectbox(key="setup_history_choice").select(removal).run()
    page.checkbox(key=f"setup_undo_sure_{removal}").check().run()
    page.button(key="setup_undo").click().run()
    refused = _plain(page.error[0].value)
    assert refused.startswith(f"Upload {removal} cannot be undone: it removed 1 membership "
                              "of a cohort that no longer exists")
    assert _rows(app_store, MEMBERS) == before
    assert app_store.scalar("SELECT status FROM uploads WHERE upload_id = ?", [removal]) == \
        "accepted"


# --- who may ---------------------------------------------------------------------------------

@pytest.mark.parametrize("email", [HEAD_EMAIL, GOVERNOR_EMAIL])
@pytest.mark.parametrize("change", ["rename cohort", "rename partnership", "remove member"])
def test_a_head_and_a_governor_cannot_rename_or_remove(app_store, email, change):
    make = {"rename cohort": lambda s: edits.rename_cohort(s, TRUST, "Cohort A", "Cohort Z"),
            "rename partnership": lambda s: edits.rename_partnership(s, TRUST, "Oak Trust"),
            "remove member": lambda s: edits.remove_member(s, 100001, TRUST, "Cohort A")}[change]
    before = _rows(app_store, MEMBERS)
    with app_store.open() as store:
        person = cli_actor(store, email)
        # checked for them: refused before any preview
        plan = plan_edit(store, make(store), person)
        assert not plan.ok
        # a change checked by an admin, confirmed by them: refused by allowed(SET_UP)
        admin_plan = plan_edit(store, make(store), DEMO_ADMIN)
        assert admin_plan.ok
        with pytest.raises(NotAllowed) as refused:
            commit(store, admin_plan, person)
        refusals = store.query("SELECT detail FROM audit_log WHERE outcome = 'refused' "
                               "AND actor_email = ?", [email])
    assert str(refused.value) == (f"Only an admin can set up partnerships, cohorts and "
                                  f"schools; {person.label} cannot.")
    assert len(refusals) == 1
    assert _rows(app_store, MEMBERS) == before
    assert app_store.scalar("SELECT count(*) FROM uploads WHERE file_name LIKE 'set-up-%'") == 0
