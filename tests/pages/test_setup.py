"""The Set up page under AppTest, on a real store: every change a data manager makes there
(partnerships, cohorts, schools in cohorts and their dates, contacts, improvement projects) is
checked like an upload, previewed, saved in one transaction, listed in the history and undone;
what the validator or the page refuses is said before anything is saved; people who may not
change the structure see no forms.

The sample store (tests/pages/helpers.build_store): six schools, 100001-100003 in Test Trust's
Cohort A since 1 September 2019.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.pages.helpers import open_app, table_with, texts
from tests.pages.setup_steps import confirm as _confirm
from tests.pages.setup_steps import saved_id as _saved_id
from tests.pages.setup_steps import submit as _submit
from tests.pages.setup_steps import unescaped as _unescaped

SETUP = "app_pages/setup.py"


@pytest.fixture
def page(app_store):
    return open_app(SETUP)


def test_the_page_shows_what_is_set_up(page):
    assert page.title[0].value == "Set up"
    assert [t.label for t in page.tabs] == ["Partnerships and cohorts", "Schools in cohorts",
                                           "School contacts", "Improvement projects",
                                           "Changes made here"]
    partnerships = table_with(page, "Partnership", "Type", "Cohorts", "Schools")
    assert partnerships.to_dict("records") == [
        {"Partnership": "Test Trust", "Type": "Cluster", "Cohorts": "1", "Schools": "3"}]
    members = table_with(page, "School", "URN", "Joined", "Left")
    assert members["URN"].tolist() == ["100001", "100002", "100003"]
    assert set(members["Joined"]) == {"1 September 2019"} and set(members["Left"]) == \
        {"Still in"}
    assert "No change has been made on this page yet." in " ".join(m.value for m in
                                                                   page.markdown)
    assert page.selectbox(key="setup_pairings_partnership").value == "Test Trust"


def test_add_a_partnership_preview_confirm_then_undo(page, app_store):
    page.text_input(key="setup_new_partnership_0").input("Oak Cluster")
    page.selectbox(key="setup_new_partnership_type_0").select("Cluster")
    page.text_input(key="setup_new_partnership_focus_0").input("Joint moderation")
    page.date_input(key="setup_new_partnership_start_0").set_value(dt.date(2025, 9, 1))
    _submit(page, "Check this new partnership")
    counts = table_with(page, "What", "New", "Changed")
    assert counts.set_index("What")["New"].to_dict() == {"Partnerships": 1, "Cohorts": 1}
    assert app_store.scalar("SELECT count(*) FROM partnerships") == 1, "nothing saved yet"
    _confirm(page)
    upload = _saved_id(page)
    assert app_store.scalar("SELECT partnership_type FROM partnerships WHERE partnership = "
                            "'Oak Cluster'") == "Cluster"
    assert str(app_store.scalar("SELECT start_date FROM cohorts WHERE partnership = "
                                "'Oak Cluster'")) == "2025-09-01"
    # kept in the history like an upload, with the file the change became
    row = app_store.scalar("SELECT file_name FROM uploads WHERE upload_id = ?", [upload])
    assert row.startswith("set-up-add-partnership-oak-cluster") and row.endswith(".xlsx")
    assert app_store.scalar("SELECT kind FROM uploads WHERE upload_id = ?", [upload]) == \
        "schools"
    page.button(key=f"setup_undo_now_{upload}").click().run()
    assert any(f"Change {upload} was undone" in _unescaped(s) for s in texts(page.success))
    assert app_store.scalar("SELECT count(*) FROM partnerships WHERE partnership = "
                            "'Oak Cluster'") == 0


def test_add_a_cohort_and_a_second_with_the_same_name_is_refused(page, app_store):
    page.text_input(key="setup_cohort_name_0").input("Cohort B")
    page.text_input(key="setup_cohort_focus_0").input("Early years")
    page.date_input(key="setup_cohort_start_0").set_value(dt.date(2024, 9, 1))
    _confirm(_submit(page, "Check this new cohort"))
    assert app_store.scalar("SELECT focus FROM cohorts WHERE cohort = 'Cohort B'") == \
        "Early years"
    page.text_input(key="setup_cohort_name_1").input("cohort b")
    _submit(page, "Check this new cohort")
    assert "already has a cohort called 'cohort b'" in _unescaped(page.error[0].value)
    assert app_store.scalar("SELECT count(*) FROM cohorts") == 2


def test_change_a_cohort_and_its_partnership(page, app_store):
    page.selectbox(key="setup_change_cohort_which").select("Test Trust / Cohort A").run()
    page.selectbox(key="setup_change_type_0_0").select("Multi-academy trust")
    page.text_input(key="setup_change_focus_0_0").input("Reading for pleasure")
    page.date_input(key="setup_change_start_0_0").set_value(dt.date(2019, 9, 2))
    _submit(page, "Check these changes")
    changed = table_with(page, "What", "Which row", "Column", "Before", "After")
    assert set(changed["Column"]) == {"Partnership type", "Focus", "Start date"}
    _confirm(page)
    assert app_store.scalar("SELECT partnership_type FROM partnerships") == \
        "Multi-academy trust"
    assert app_store.scalar("SELECT focus FROM cohorts") == "Reading for pleasure"
    # emptying the start date clears it (the template's `clear`)
    page.date_input(key="setup_change_start_1_0").set_value(None)
    _confirm(_submit(page, "Check these changes"))
    assert app_store.scalar("SELECT start_date FROM cohorts") is None
    # submitting what is already stored saves nothing
    _submit(page, "Check these changes")
    assert any("already how things are stored" in t for t in texts(page.info))
    assert not page.get("button") or "setup_confirm" not in [b.key for b in page.button]


def test_add_schools_to_a_cohort_keeps_their_details(page, app_store):
    details = "SELECT urn, phase, local_authority, pupils, capacity FROM schools ORDER BY urn"
    with app_store.open() as store:
        before = store.query(details)
    page.multiselect(key="setup_add_members_urns_0_0").select(100004).select(100005)
    page.date_input(key="setup_add_members_joined_0_0").set_value(dt.date(2024, 9, 1))
    _submit(page, "Check adding these schools")
    counts = table_with(page, "What", "New", "Changed").set_index("What")
    assert counts.loc["Memberships", "New"] == 2
    assert "Schools" not in counts.index, "the schools' details are not touched"
    _confirm(page)
    with app_store.open() as store:
        assert store.query(details).equals(before)
        joined = store.query("SELECT urn, joined_date FROM memberships WHERE urn > 100003 "
                             "ORDER BY urn")
    assert joined["urn"].tolist() == [100004, 100005]
    assert {str(d)[:10] for d in joined["joined_date"]} == {"2024-09-01"}
    # nobody chosen: refused by the page before anything is checked
    _submit(page, "Check adding these schools")
    assert "Choose at least one school" in page.error[0].value


def test_a_left_date_before_joining_is_refused_then_a_good_one_saved_then_cleared(page,
                                                                                  app_store):
    page.selectbox(key="setup_member_which_0").select(100002).run()
    page.date_input(key="setup_member_left_0_0_100002").set_value(dt.date(2018, 7, 31))
    _submit(page, "Check these dates")
    refusal = table_with(page, "What", "Value", "Problem")
    assert refusal.iloc[0]["What"] == "Left date"
    assert refusal.iloc[0]["Value"] == "31/07/2018"
    assert "cannot leave before it joined" in refusal.iloc[0]["Problem"]
    assert "Nothing was saved" in page.error[0].value
    page.button(key="setup_back").click().run()
    page.date_input(key="setup_member_left_0_0_100002").set_value(dt.date(2024, 8, 31))
    _confirm(_submit(page, "Check these dates"))
    left = "SELECT left_date FROM memberships WHERE urn = 100002"
    assert str(app_store.scalar(left))[:10] == "2024-08-31"
    page.date_input(key="setup_member_left_1_0_100002").set_value(None)
    _confirm(_submit(page, "Check these dates"))
    assert app_store.scalar(left) is None


def test_a_contact_is_set_and_a_bad_address_refused(page, app_store):
    page.selectbox(key="setup_contact_which").select(100003).run()
    page.text_input(key="setup_contact_email_0_100003").input("office.example")
    _submit(page, "Check this contact")
    refusal = table_with(page, "What", "Value", "Problem")
    assert refusal.iloc[0]["What"] == "Contact email"
    assert refusal.iloc[0]["Problem"].startswith("Expected an email address")
    page.button(key="setup_back").click().run()
    page.text_input(key="setup_contact_name_0_100003").input("Sam Jones")
    page.text_input(key="setup_contact_email_0_100003").input("sam@school.example")
    _confirm(_submit(page, "Check this contact"))
    assert app_store.scalar("SELECT contact_email FROM schools WHERE urn = 100003") == \
        "sam@school.example"
    contacts = table_with(page, "School", "URN", "Contact", "Email").set_index("URN")
    assert contacts.loc["100003", "Email"] == "sam@school.example"
    assert contacts.loc["100001", "Email"] == "None set up"


def test_record_a_project_refuse_bad_dates_then_update_it(page, app_store):
    page.selectbox(key="setup_project_host").select(100001).run()
    slot = "0_100001"
    page.text_input(key=f"setup_project_title_{slot}").input("Feedback in Year 5")
    page.selectbox(key=f"setup_project_area_{slot}").select("Quality of feedback")
    page.text_input(key=f"setup_project_lead_{slot}").input("Ann Lee")
    page.selectbox(key=f"setup_project_lead_school_{slot}").select(100002)
    page.selectbox(key=f"setup_project_measure_{slot}").select("ta_writing")
    page.date_input(key=f"setup_project_start_{slot}").set_value(dt.date(2022, 10, 3))
    page.date_input(key=f"setup_project_end_{slot}").set_value(dt.date(2022, 1, 1))
    _submit(page, "Check this project")
    refusal = table_with(page, "What", "Value", "Problem")
    assert refusal.iloc[0]["What"] == "End date"
    assert "cannot end before it starts" in refusal.iloc[0]["Problem"]
    page.button(key="setup_back").click().run()
    page.date_input(key=f"setup_project_end_{slot}").set_value(None)
    _confirm(_submit(page, "Check this project"))
    stored = "SELECT status, lead_urn, measure, findings FROM improvement_projects"
    with app_store.open() as store:
        row = store.query(stored).iloc[0]
    assert (row["status"], int(row["lead_urn"]), row["measure"]) == ("Under way", 100002,
                                                                      "ta_writing")
    projects = table_with(page, "Host school", "Project", "Area of need", "Status")
    assert projects.iloc[0]["Lead's school"] == "School 100002"
    # update: findings and status, through the same template and validator
    page.selectbox(key="setup_update_project_which").select(
        "School 100001: Feedback in Year 5").run()
    page.selectbox(key="setup_update_status_1_0").select("Findings presented")
    page.text_area(key="setup_update_findings_1_0").input("Feedback is rarely acted on.")
    _confirm(_submit(page, "Check the project's changes"))
    with app_store.open() as store:
        row = store.query(stored).iloc[0]
    assert (row["status"], row["findings"]) == ("Findings presented",
                                                 "Feedback is rarely acted on.")
    assert app_store.scalar("SELECT count(*) FROM uploads WHERE kind = 'projects'") == 2


def test_the_history_undoes_and_refuses_to_undo_under_a_later_change(page, app_store):
    page.selectbox(key="setup_contact_which").select(100001).run()
    page.text_input(key="setup_contact_email_0_100001").input("first@school.example")
    _confirm(_submit(page, "Check this contact"))
    first = _saved_id(page)
    page.text_input(key="setup_contact_email_1_100001").input("second@school.example")
    _confirm(_submit(page, "Check this contact"))
    second = _saved_id(page)
    history = table_with(page, "Upload", "When", "Who", "File")
    assert history["Upload"].tolist() == [second, first]
    page.selectbox(key="setup_history_choice").select(first).run()
    page.checkbox(key=f"setup_undo_sure_{first}").check().run()
    page.button(key="setup_undo").click().run()
    refused = _unescaped(page.error[0].value)
    assert refused.startswith(f"Upload {first} cannot be undone on its own: upload {second}")
    assert f"Undo upload {second}, then upload {first}" in refused
    assert app_store.scalar("SELECT contact_email FROM schools WHERE urn = 100001") == \
        "second@school.example"
    page.selectbox(key="setup_history_choice").select(second).run()
    page.checkbox(key=f"setup_undo_sure_{second}").check().run()
    page.button(key="setup_undo").click().run()
    assert app_store.scalar("SELECT contact_email FROM schools WHERE urn = 100001") == \
        "first@school.example"
    page.selectbox(key="setup_history_choice").select(first).run()
    page.checkbox(key=f"setup_undo_sure_{first}").check().run()
    page.button(key="setup_undo").click().run()
    assert app_store.scalar("SELECT contact_email FROM schools WHERE urn = 100001") is None


@pytest.mark.parametrize("role", ["governor", "head"])
def test_only_people_who_may_change_the_structure_see_the_forms(app_store, role):
    at = open_app(user=role)
    assert "Set up" not in [str(p["page_name"]) for p in at._registered_pages.values()]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(SETUP)
    admin = open_app(SETUP)
    assert admin.tabs and not admin.exception
