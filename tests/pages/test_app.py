"""The app's frame: every page runs for a signed-in admin, the demo label, an empty store, a
store held by another program, and filters that live in the URL. (Who sees what: test_roles.py;
signing in and out: test_sign_in.py.)"""

from __future__ import annotations

import subprocess
import sys

import pytest

from impact.auth import DEMO_ADMIN
from tests.pages.helpers import (
    ADMIN_EMAIL,
    TRUST,
    figure,
    open_app,
    sentences,
    signed_in_caption,
    texts,
)

PAGES = ["app_pages/overview.py", "app_pages/cohorts.py", "app_pages/schools.py",
         "app_pages/ofsted.py", "app_pages/cpd.py", "app_pages/meeting.py",
         "app_pages/returns.py", "app_pages/upload.py", "app_pages/setup.py", "app_pages/data.py",
         "app_pages/accounts.py", "app_pages/audit.py"]
DATA_PAGES = ["app_pages/overview.py", "app_pages/cohorts.py", "app_pages/schools.py",
              "app_pages/ofsted.py", "app_pages/cpd.py", "app_pages/returns.py"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_a_real_store(app_store, page):
    at = open_app(page)
    assert at.title, "every page has a heading"
    assert not at.error, texts(at.error)
    assert "Signed in as **Ada Admin**, admin" in signed_in_caption(at)
    assert at.title[0].value != "Sign in"


def test_demo_stores_are_labelled_on_every_page(app_store):
    with app_store.open() as store, store.writing(DEMO_ADMIN) as tx:
        tx.execute("INSERT INTO settings (key, value) VALUES ('demo', 'true')")
    for page in ("app_pages/overview.py", "app_pages/upload.py"):
        at = open_app(page)
        badges = [m.value for m in at.markdown if "Demo data" in m.value]
        assert badges and "fictional schools" in badges[0]


def test_a_real_store_is_not_labelled_demo(app_store):
    at = open_app()
    assert not [m.value for m in at.markdown if "Demo data" in m.value]


@pytest.mark.parametrize("page", DATA_PAGES)
def test_an_empty_store_says_so_and_points_to_upload(empty_store, page):
    at = open_app(page)
    assert any("no schools here yet" in t for t in texts(at.info))
    links = at.get("page_link")
    assert links and "Upload" in links[0].proto.label
    assert not at.get("plotly_chart")


def test_upload_page_works_on_an_empty_store(empty_store):
    at = open_app("app_pages/upload.py")
    assert at.file_uploader
    assert "No uploads yet." in texts(at.markdown)


def test_a_store_held_by_another_program_says_so_and_recovers(app_store):
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time\n"
         "con = duckdb.connect(sys.argv[1])\n"
         "print('holding', flush=True)\n"
         "time.sleep(120)\n", str(app_store.path)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        at = open_app(user=ADMIN_EMAIL)
        assert len(at.error) == 1
        message = at.error[0].value
        assert "open in another program" in message and str(app_store.path) in message
        assert at.button(key="store_try_again").label == "Try again"
        assert not at.get("plotly_chart")
    finally:
        holder.kill()
        holder.wait(10)
    at.button(key="store_try_again").click().run()
    assert not at.exception and not at.error
    assert at.get("plotly_chart"), "the failure was not cached: the page loads once the file is free"


def test_filters_are_written_to_the_url(app_store):
    at = open_app()
    assert at.query_params == {"partnership": TRUST, "cohort": "all", "measure": "ks2_rwm_exp",
                               "group": "all", "comparison": "not_yet_joined", "years": "all"}
    at.selectbox(key="filter_measure").set_value("ks2_read_score").run()
    assert at.query_params["measure"] == "ks2_read_score"
    at.selectbox(key="filter_partnership").set_value("(all)").run()
    assert at.query_params["partnership"] == "all"


def test_a_shared_link_opens_the_same_view(app_store):
    at = open_app(query={"partnership": TRUST, "cohort": "Cohort A",
                         "measure": "ks2_read_score"})
    assert at.selectbox(key="filter_cohort").value == "Cohort A"
    assert at.selectbox(key="filter_measure").value == "ks2_read_score"
    # one school's score on 10 pupils: drawn, but no headline is built on it
    assert "Reading score: too few pupils for a headline" in texts(at.subheader)
    assert [t["name"] for t in figure(at, "overview")["data"]] == ["Test Trust / Cohort A"]
    assert any("the 3 schools in Cohort A (Test Trust)" in s for s in sentences(at))


def test_the_overview_asks_for_a_partnership_when_all_schools_are_chosen(app_store):
    at = open_app(query={"partnership": "all"})
    assert any("Choose a partnership" in t for t in texts(at.info))
    assert not at.get("plotly_chart")


def test_a_link_naming_a_school_opens_that_school_on_the_schools_page(app_store):
    at = open_app("app_pages/schools.py", query={"school": "100002"})
    assert at.title[0].value == "School 100002"
    assert at.query_params["school"] == "100002"


def test_a_link_with_unknown_values_falls_back_to_the_defaults(app_store):
    at = open_app(query={"partnership": "No Such Trust", "measure": "not_a_measure"})
    assert at.selectbox(key="filter_partnership").value == TRUST
    assert at.selectbox(key="filter_measure").value == "ks2_rwm_exp"
    said = " ".join(c.value for c in at.sidebar.caption)
    assert ("The link asked for the partnership “No Such Trust”, which is not one you can "
            f"choose here (it may have been renamed or removed), so this shows {TRUST}.") in said
    assert "The link asked for the measure “not\\_a\\_measure”" in said
    at.selectbox(key="filter_measure").set_value("ks2_read_score").run()
    said = " ".join(c.value for c in at.sidebar.caption)
    assert "The link asked for the measure" not in said
    assert "The link asked for the partnership" in said, "kept until that filter is chosen"


def test_choices_survive_a_visit_to_a_page_without_filters(app_store):
    at = open_app()
    at.selectbox(key="filter_measure").set_value("ks2_read_score").run()
    at.switch_page("app_pages/upload.py").run()
    assert not [s for s in at.selectbox if (s.key or "").startswith("filter_")]
    at.switch_page("app_pages/overview.py").run()
    assert at.selectbox(key="filter_measure").value == "ks2_read_score"
    assert at.query_params["measure"] == "ks2_read_score"
