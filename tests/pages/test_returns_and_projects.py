"""The data manager's other pages under AppTest, on real stores: the Returns page (the term
checked and why, each missing school with its contact, a reminder ready to copy), the Schools
picker filtered by partnership with no `<NA>` shown, and an improvement project shown on the
Schools and CPD pages with its event-time line (tests/project_store.py)."""

from __future__ import annotations

import datetime as dt
import urllib.parse

import pandas as pd
import pytest

from impact.analysis.projects import project_line
from impact.domain.academic_years import last_ended_term
from impact.store import Store
from tests import project_store as built
from tests.factories import cpd_frame, load, schools_frame
from tests.pages.helpers import figure, open_app, table_with, texts

RETURNS = "app_pages/returns.py"


@pytest.fixture
def chased(_isolated_store_path):
    """Test Trust's three schools: one sent the return that is due, two did not (one with a
    contact, one without)."""
    year, term = last_ended_term(dt.date.today())
    frame = schools_frame(4, in_partnership=3, joined=dt.date(2019, 9, 1))
    frame["Contact name"] = ["Ann Ash", "Bob Birch", None, None]
    frame["Contact email"] = ["ann@ash.example", "bob@birch.example", None, None]
    with Store(_isolated_store_path) as store:
        load(store, "schools", frame)
        load(store, "attainment", pd.DataFrame([
            {"URN": 100001, "Academic year": year, "Term": term,
             "Measure": "Teacher assessment: % on track in reading",
             "Pupil group": "All pupils", "Cohort size": 30, "Value": 70}], dtype=object))
    return year, term


def test_the_returns_page_names_each_missing_school_its_contact_and_a_reminder(chased):
    year, term = chased
    at = open_app(RETURNS, query={"partnership": "Test Trust"})
    assert f"2 of 3 schools have not sent a return for {term} {year}" in texts(at.subheader)
    why = " ".join(m.value for m in at.markdown)
    assert f"the term checked here is {term} {year}, the latest that has ended" in why
    missing = table_with(at, "School", "URN", "Contact", "Email", "Last return")
    assert missing["URN"].tolist() == [100002, 100003]
    assert missing["Email"].tolist() == ["bob@birch.example", "No contact set up"]
    codes = [c.value for c in at.code]
    assert codes[0] == "bob@birch.example", "every missing school's address, for one email"
    assert codes[1].startswith(f"To: bob@birch.example\nSubject: {term} {year} return: "
                               "School 100002")
    assert "Dear Bob Birch," in codes[1] and "Signed" not in codes[1]
    assert codes[1].rstrip().endswith("Ada Admin"), "signed by whoever is signed in"
    link = at.get("link_button")[0].proto
    parsed = urllib.parse.urlparse(link.url)
    assert parsed.scheme == "mailto" and parsed.path == "bob@birch.example"
    # the school without a contact: no address, and the way to add one
    at.selectbox(key="returns_school").select(100003).run()
    assert at.code[-1].value.startswith("Subject:")
    assert not at.get("link_button")
    assert any("no contact email" in c for c in texts(at.caption))


def test_the_overview_says_which_term_it_checks_and_links_to_the_returns_page(chased):
    year, term = chased
    at = open_app(query={"partnership": "Test Trust"})
    assert f"2 of 3 schools have not sent a return for {term} {year}" in texts(at.subheader)
    listed = table_with(at, "School", "Contact", "Email", "Last return")
    assert listed["School"].tolist() == ["School 100002", "School 100003"]
    assert "returns" in [link.proto.page for link in at.get("page_link")]


def test_the_school_picker_lists_the_partnerships_schools_and_never_shows_na(_isolated_store_path):
    frame = schools_frame(6, in_partnership=2)
    frame.loc[1, "Pupils on roll"] = None
    frame.loc[1, "Capacity"] = None
    with Store(_isolated_store_path) as store:
        load(store, "schools", frame)
    at = open_app("app_pages/schools.py", query={"partnership": "Test Trust"})
    assert at.selectbox(key="filter_school").options == ["School 100001 (100001)",
                                                          "School 100002 (100002)"]
    at.selectbox(key="filter_partnership").select("(all)").run()
    assert len(at.selectbox(key="filter_school").options) == 6
    at = open_app("app_pages/schools.py", query={"school": "100002"})
    details = table_with(at, "What", "Detail")
    assert "Pupils on roll" not in details["What"].tolist()
    shown = " ".join(str(v) for f in at.dataframe for v in f.value.to_numpy().ravel())
    assert "<NA>" not in shown and "nan" not in shown.split()


def test_a_link_to_a_school_outside_the_first_partnership_opens_it_in_its_own(
        _isolated_store_path):
    first = schools_frame(2, partnership="Alpha Trust", in_partnership=2)
    second = schools_frame(2, first_urn=100011, partnership="Beta Trust", in_partnership=2)
    with Store(_isolated_store_path) as store:
        load(store, "schools", pd.concat([first, second], ignore_index=True))
    at = open_app("app_pages/schools.py", query={"school": "100012"})
    assert at.title[0].value == "School 100012"
    assert at.selectbox(key="filter_partnership").value == "Beta Trust"


@pytest.fixture
def project_app(_isolated_store_path):
    with Store(_isolated_store_path) as store:
        built.build(store)
        line = project_line(store, built.HOST, built.PROJECT)
    return line


def test_a_recorded_project_is_shown_with_its_event_time_line(project_app):
    line = project_app
    at = open_app("app_pages/schools.py", query={"school": str(built.HOST),
                                                  "partnership": "Test Trust"})
    assert "Improvement projects" in texts(at.subheader)
    projects = table_with(at, "Host school", "Project", "Area of need", "Lead's school")
    row = projects.set_index("Project").loc[built.PROJECT]
    assert (row["Lead colleague"], row["Lead's school"], row["Started"], row["Status"]) == (
        "Ann Lee", "School 100003", "3 October 2022", "Completed")
    spec = figure(at, "project_0")
    host, comparison = spec["data"][0], spec["data"][1]
    shown = [p for p in line.points if -6 <= p.event_time < 6]
    assert host["x"] == [p.event_time for p in shown]
    assert host["y"] == [p.host for p in shown]
    assert comparison["y"] == [p.comparison for p in shown]
    assert any(s.get("x0") == -0.5 for s in spec["layout"]["shapes"]), "the start is drawn"
    assert line.sentence in " ".join(m.value for m in at.markdown).replace("&#x27;", "'")
    # the project too early to judge says so instead of drawing a line
    assert "School 100001: too few results yet to judge the project" in texts(at.subheader)


def test_the_cpd_page_lists_the_partnerships_projects_and_what_followed(project_app,
                                                                       _isolated_store_path):
    line = project_app
    with Store(_isolated_store_path) as store:
        load(store, "cpd", cpd_frame([built.HOST, *built.PARTNERS]))
    at = open_app("app_pages/cpd.py", query={"partnership": "Test Trust"})
    assert "Improvement projects" in texts(at.subheader)
    projects = table_with(at, "Host school", "Project", "Area of need", "Measure to watch")
    assert set(projects["Project"]) == {built.PROJECT, "Homework", "Too early to tell"}
    said = " ".join(m.value for m in at.markdown).replace("&#x27;", "'")
    assert f"{built.PROJECT}: {line.sentence}" in said
    assert "Not enough results yet to line up" in said


def test_suggested_pairings_on_the_schools_and_set_up_pages(_isolated_store_path):
    from tests.analysis.test_pairings import build_known

    with Store(_isolated_store_path) as store:
        build_known(store)
    at = open_app("app_pages/schools.py", query={"school": "100001",
                                                  "partnership": "Test Trust"})
    assert "Suggested pairings in the partnership" in texts(at.subheader)
    pairs = table_with(at, "Needs support in", "Partner schools clearly strong here")
    assert pairs.set_index("Needs support in")["Partner schools clearly strong here"] \
        .to_dict() == {"RWM expected %": "School 100002 (88%)",
                       "RWM higher %": "None clearly strong: look beyond the partnership"}
    helper = open_app("app_pages/schools.py", query={"school": "100002",
                                                      "partnership": "Test Trust"})
    said = " ".join(m.value for m in helper.markdown)
    assert "School 100002 could help School 100001 with RWM expected % (2023/24)." in said
    setup = open_app("app_pages/setup.py")
    listed = table_with(setup, "School", "Needs support in", "Similar schools")
    assert sorted(zip(listed["School"], listed["Needs support in"], strict=True)) == [
        ("School 100001", "RWM expected %"), ("School 100001", "RWM higher %"),
        ("School 100003", "Phonics %")]
