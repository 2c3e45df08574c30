"""The role matrix over every page, under AppTest, signed in through the real sign-in state as
the sample store's admin, head (of School 100001, in Test Trust) and governor (of Test Trust):
which pages each has, what each sees on them, what each may do and what each is refused."""

from __future__ import annotations

import pytest

from impact.reports.text import markdown_text
from tests.factories import load
from tests.pages.helpers import (
    HEAD_URN,
    MEMBERS,
    TRUST,
    attainment_xlsx,
    open_app,
    rwm_frame,
    table_with,
    texts,
    upload,
)

(OVERVIEW, COHORTS, SCHOOLS, OFSTED, CPD, MEETING, RETURNS, UPLOAD, SETUP, DATA, ACCOUNTS,
 AUDIT) = (f"app_pages/{name}.py" for name in ("overview", "cohorts", "schools", "ofsted", "cpd",
                                               "meeting", "returns", "upload", "setup", "data",
                                               "accounts", "audit"))
TITLES = {UPLOAD: "Upload", SETUP: "Set up", DATA: "Data", ACCOUNTS: "Accounts",
          AUDIT: "Audit log"}

# page -> (admin, head, governor): whether the page is theirs at all
PAGES = {
    OVERVIEW: (True, True, True), COHORTS: (True, True, True), SCHOOLS: (True, True, True),
    OFSTED: (True, True, True), CPD: (True, True, True), MEETING: (True, True, True),
    RETURNS: (True, False, False),
    UPLOAD: (True, True, False), SETUP: (True, False, False), DATA: (True, True, True), ACCOUNTS: (True, False, False), AUDIT: (True, False, False),
}
ROLES = ("admin", "head", "governor")


_ALL_TITLES = {OVERVIEW: "Overview", COHORTS: "Cohorts", SCHOOLS: "Schools", OFSTED: "Ofsted",
               CPD: "CPD", MEETING: "Meeting mode", RETURNS: "Returns", UPLOAD: "Upload", SETUP: "Set up", DATA: "Data",
               ACCOUNTS: "Accounts", AUDIT: "Audit log"}


def _navigation(at) -> list[str]:
    """The pages `st.navigation` registered on the last run (AppTest keeps them to switch
    between)."""
    return [str(info["page_name"]) for info in at._registered_pages.values()]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_has_its_pages_and_no_others(app_store, role):
    at = open_app(user=role)
    index = ROLES.index(role)
    assert _navigation(at) == [t for p, t in _ALL_TITLES.items() if PAGES[p][index]]


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_every_page_for_every_role(app_store, page, role):
    theirs = PAGES[page][ROLES.index(role)]
    if not theirs:
        at = open_app(user=role)
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)
        return
    at = open_app(page, user=role)
    assert not at.exception and not at.error, texts(at.error)
    assert at.title, "every page has a heading"
    if page in TITLES:
        assert at.title[0].value == TITLES[page]
    assert at.get("plotly_chart") or at.dataframe or at.file_uploader or at.info, \
        "the page shows something"


def test_partnerships_and_schools_offered_follow_the_role(app_store):
    admin = open_app(SCHOOLS)  # the school picker lists the chosen partnership's schools
    assert admin.selectbox(key="filter_school").options == [f"School {u} ({u})" for u in MEMBERS]
    every = open_app(SCHOOLS, query={"partnership": "all"})
    assert len(every.selectbox(key="filter_school").options) == 6
    assert "All schools" in open_app().selectbox(key="filter_partnership").options
    head = open_app(SCHOOLS, user="head")
    assert head.selectbox(key="filter_school").options == [f"School {HEAD_URN} ({HEAD_URN})"]
    assert open_app(user="head").selectbox(key="filter_partnership").options == [TRUST]
    governor = open_app(SCHOOLS, user="governor")
    assert governor.selectbox(key="filter_school").options == [
        f"School {u} ({u})" for u in MEMBERS]
    assert open_app(user="governor").selectbox(key="filter_partnership").options == [TRUST]


def test_a_link_to_another_school_opens_only_your_own(app_store):
    at = open_app(SCHOOLS, query={"school": "100002"}, user="head")
    assert at.title[0].value == f"School {HEAD_URN}"


def test_governors_see_no_school_figure_about_fewer_than_eleven_pupils(app_store):
    # School 100001's RWM figures are about 10 pupils (helpers.SIZES).
    admin = table_with(open_app(SCHOOLS, query={"school": "100001"}), "Year", "Term")
    assert admin["RWM expected %"].tolist() == ["40% u (10)", "60% u (10)", "80% u (10)"]
    governor = open_app(SCHOOLS, query={"school": "100001"}, user="governor")
    shown = table_with(governor, "Year", "Term")
    assert shown["RWM expected %"].tolist() == ["c", "c", "c"]
    assert any("Governor view" in t for t in texts(governor.caption))
    # A school whose figures are about 30 pupils shows them to governors too.
    other = table_with(open_app(SCHOOLS, query={"school": "100002"}, user="governor"),
                       "Year", "Term")
    assert other["RWM expected %"].tolist() == ["50% (30)", "55% (30)", "60% (30)"]


def test_only_those_who_upload_are_pointed_at_the_upload_page(app_store):
    from impact.store import Store

    with app_store.open() as store:  # a partnership with no CPD records yet
        assert isinstance(store, Store) and not store.scalar("SELECT count(*) FROM cpd_activities")
    for role, linked in (("admin", True), ("head", True), ("governor", False)):
        at = open_app(CPD, user=role)
        assert any("No CPD records" in t for t in texts(at.info)), role
        assert bool(at.get("page_link")) is linked, role


def test_the_data_page_offers_each_role_what_it_may_download(app_store):
    kinds = {role: open_app(DATA, user=role).selectbox(key="data_export_kind").options
             for role in ROLES}
    assert len(kinds["admin"]) == 6 and kinds["head"] == kinds["admin"]
    assert kinds["governor"] == ["National and local benchmark figures"] or \
        len(kinds["governor"]) == 1
    governor = open_app(DATA, user="governor")
    assert any("governors cannot download them" in t for t in texts(governor.caption))
    head = open_app(DATA, user="head")
    assert any("your own schools' rows" in t for t in texts(head.caption))


def test_a_head_uploads_and_undoes_their_own_school_and_sees_only_their_uploads(app_store):
    at = open_app(UPLOAD, user="head")
    assert "You have made no uploads yet" in " ".join(texts(at.markdown)), \
        "the admin's uploads are not listed for a head"
    mine = rwm_frame({2021: {HEAD_URN: 33.0}}, {HEAD_URN: 10})
    at = upload(at, "mine.xlsx", attainment_xlsx(mine))
    at.button(key="upload_confirm").click().run()
    upload_id = app_store.scalar("SELECT max(upload_id) FROM uploads")
    assert app_store.scalar("SELECT actor_email FROM uploads WHERE upload_id = ?",
                            [upload_id]) == "head@test.example"
    history = table_with(at, "Upload", "File")
    assert history["Upload"].tolist() == [upload_id]
    at.checkbox(key=f"undo_sure_{upload_id}").check().run()
    at.button(key="undo_button").click().run()
    assert f"Upload {upload_id} was undone: 1 rows put back as they were." in texts(at.success)


def test_a_head_cannot_undo_someone_elses_upload_of_their_school(app_store):
    with app_store.open() as store:
        theirs = load(store, "attainment", rwm_frame({2021: {HEAD_URN: 33.0}}, {HEAD_URN: 10}))
    admin = open_app(UPLOAD)
    admin.selectbox(key="history_choice").set_value(theirs.upload_id).run()
    assert admin.button(key="undo_button")
    head = open_app(UPLOAD, user="head")
    assert "history_choice" not in [s.key for s in head.selectbox]
    assert "undo_button" not in [b.key for b in head.button]
    assert "You have made no uploads yet" in " ".join(texts(head.markdown))


def test_admins_see_the_accounts_and_the_audit_log(app_store):
    accounts = table_with(open_app(ACCOUNTS), "E-mail", "Role")
    assert accounts["E-mail"].tolist() == ["admin@test.example", "head@test.example",
                                           "governor@test.example"]
    log = table_with(open_app(AUDIT), "When", "Who", "What")
    assert "Account added" in log["What"].tolist() and "Upload" in log["What"].tolist()


def test_an_admin_adds_resets_and_removes_an_account_in_the_app(app_store):
    at = open_app(ACCOUNTS)
    at.text_input(key="account_email").input("new.head@test.example")
    at.text_input(key="account_name").input("New Head")
    at.selectbox(key="account_role").set_value("head")
    at.multiselect(key="account_schools").set_value([100002])
    at.text_input(key="account_password").input("a long password")
    at.button(key="FormSubmitter:account_add-Add the account").click().run()
    assert markdown_text("Added new.head@test.example as head.") in texts(at.success)
    assert "new.head@test.example" in table_with(at, "E-mail")["E-mail"].tolist()
    at.selectbox(key="account_chosen").set_value("new.head@test.example").run()
    at.checkbox(key="account_remove_sure").check().run()
    at.button(key="account_remove").click().run()
    assert markdown_text("Removed new.head@test.example.") in texts(at.success)
    with app_store.open() as store:
        events = store.query("SELECT event, actor_email FROM audit_log WHERE event LIKE 'user_%' "
                             "AND detail LIKE 'new.head%'").values.tolist()
    assert events == [["user_added", "admin@test.example"],
                      ["user_removed", "admin@test.example"]]


def test_an_account_that_makes_no_sense_is_refused_on_the_page(app_store):
    at = open_app(ACCOUNTS)
    at.text_input(key="account_email").input("gov@test.example")
    at.selectbox(key="account_role").set_value("governor")
    at.button(key="FormSubmitter:account_add-Add the account").click().run()
    assert "A governor is linked to a partnership" in at.error[0].value
