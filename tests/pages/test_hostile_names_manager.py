"""The data manager's pages with names an attacker would type (tests/hostile_names.py): the
Returns page (school names in the table and the reminder), the Set up page (partnership,
cohort, school and project names in tables, choices and the message after a change), and
improvement projects on the Schools and CPD pages (a project titled and described hostilely,
its chart named after a hostile school). Nothing from a name becomes a link, an image or
markup, in Markdown or in a figure."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from impact.store import Store
from tests.factories import load
from tests.hostile_names import (
    ANCHOR,
    BARE,
    BOLD,
    FIRST,
    LINK,
    NAMES,
    PARTNERSHIP,
    URNS,
    build_hostile_store,
)
from tests.pages.helpers import has_chart, open_app, table_with, texts
from tests.pages.test_hostile_names import assert_nothing_from_a_name_is_markup

PROJECT = BOLD + " " + LINK


@pytest.fixture
def hostile_store(_isolated_store_path: Path) -> Path:
    build_hostile_store(_isolated_store_path)
    with Store(_isolated_store_path) as store:
        load(store, "projects", pd.DataFrame([{
            "URN": FIRST, "Project": PROJECT, "Area of need": "Quality of feedback",
            "Lead colleague": ANCHOR, "Lead's school URN": FIRST + 1,
            "Start date": dt.date(2021, 10, 4), "Status": "Under way",
            "Measure to watch": "KS2 reading, writing and maths: % at expected standard",
            "Findings": BARE}], dtype=object))
    return _isolated_store_path


def test_the_returns_page(hostile_store):
    at = open_app("app_pages/returns.py", query={"partnership": PARTNERSHIP})
    shown = assert_nothing_from_a_name_is_markup(at)
    assert any("have not sent a return" in s for s in shown)
    missing = table_with(at, "School", "URN", "Contact", "Email")
    assert set(missing["School"]) <= set(NAMES) and len(missing) == 4
    assert any(NAMES[0] in c.value for c in at.code), "the reminder quotes the name as typed"


def test_the_set_up_page_and_a_change_made_there(hostile_store):
    at = open_app("app_pages/setup.py")
    assert_nothing_from_a_name_is_markup(at)
    projects = table_with(at, "Host school", "Project", "Lead colleague", "Findings")
    assert projects.iloc[0][["Host school", "Project", "Lead colleague", "Findings"]].tolist() \
        == [NAMES[0], PROJECT, ANCHOR, BARE]
    at.text_input(key="setup_cohort_name_0").input(BOLD)
    next(b for b in at.button if b.label == "Check this new cohort").click().run()
    assert_nothing_from_a_name_is_markup(at)
    at.button(key="setup_confirm").click().run()
    shown = assert_nothing_from_a_name_is_markup(at)
    assert any(s.startswith("Saved as change") and BOLD in s and PARTNERSHIP in s
               for s in shown), shown


def test_a_hostile_project_on_the_schools_and_cpd_pages(hostile_store):
    at = open_app("app_pages/schools.py", query={"school": str(URNS[NAMES[0]]),
                                                  "partnership": PARTNERSHIP})
    shown = assert_nothing_from_a_name_is_markup(at)
    assert "Improvement projects" in texts(at.subheader)
    assert has_chart(at, "project_0"), "the project's line, named after the hostile host"
    assert any(s.startswith(NAMES[0]) and "gap to its partner schools" in s for s in shown)
    at = open_app("app_pages/cpd.py", query={"partnership": PARTNERSHIP})
    shown = assert_nothing_from_a_name_is_markup(at)
    assert any(s.startswith(PROJECT + ":") for s in shown), shown
