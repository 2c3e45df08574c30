"""The Set up page as a data manager clicks it, in headless Chromium against `streamlit run
app.py`: a new cohort typed into its form, the preview of exactly what will change, confirmed,
shown in the table and the history, then undone; a refused change says why and saves
nothing. (Every other edit, refusal and undo is checked under AppTest: tests/pages/
test_setup.py.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.browser import BROWSER, TIMEOUT_MS, browser_page, server, settled, sign_in
from tests.pages.helpers import ADMIN_EMAIL, PASSWORD, build_store

pytestmark = BROWSER


@pytest.fixture
def app_url(_isolated_store_path: Path, tmp_path: Path) -> Iterator[str]:
    build_store(_isolated_store_path)
    with server(_isolated_store_path, tmp_path / "streamlit.log") as url:
        yield url


@pytest.fixture
def tab(app_url):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser, page = browser_page(playwright)
        try:
            yield page
        finally:
            browser.close()
            expect.set_options(timeout=5_000)


def _form(tab, title: str):
    return tab.get_by_test_id("stForm").filter(has_text=title)


def test_a_cohort_added_in_the_browser_is_previewed_saved_shown_and_undone(tab, app_url):
    from playwright.sync_api import expect

    sign_in(tab, f"{app_url}/setup", ADMIN_EMAIL, PASSWORD)
    expect(tab.get_by_role("heading", name="Set up", level=1)).to_be_visible()
    form = _form(tab, "Add a cohort")
    form.get_by_label("Name of the cohort").fill("Cohort B")
    form.get_by_label("What it works on").fill("Joint moderation in writing")
    form.get_by_role("button", name="Check this new cohort").click()
    settled(tab)

    expect(tab.get_by_role("heading", name="Check this change")).to_be_visible()
    expect(tab.get_by_text("Add the cohort Cohort B to Test Trust.")).to_be_visible()
    tab.get_by_role("button", name="Confirm and save").click()
    settled(tab)
    saved = tab.get_by_text(re.compile(r"Saved as change \d+: Add the cohort Cohort B"))
    expect(saved).to_be_visible()
    number = int(re.search(r"change (\d+)", saved.text_content()).group(1))
    cohorts = tab.get_by_test_id("stDataFrame").filter(has_text="Schools ever").first
    expect(cohorts).to_contain_text("Joint moderation in writing")

    tab.get_by_role("tab", name="Changes made here").click()
    history = tab.get_by_test_id("stDataFrame").filter(has_text="set-up-add-cohort").first
    expect(history).to_be_visible()

    tab.get_by_role("button", name=f"Undo change {number}").click()
    settled(tab)
    expect(tab.get_by_text(re.compile(rf"Change {number} was undone"))).to_be_visible()
    expect(tab.get_by_test_id("stDataFrame").filter(has_text="Schools ever").first) \
        .not_to_contain_text("Joint moderation in writing")


def test_a_refused_contact_says_why_and_saves_nothing(tab, app_url):
    from playwright.sync_api import expect

    sign_in(tab, f"{app_url}/setup", ADMIN_EMAIL, PASSWORD)
    tab.get_by_role("tab", name="School contacts").click()
    form = _form(tab, "Contact email")
    form.get_by_label("Contact email").fill("office.example")
    form.get_by_role("button", name="Check this contact").click()
    settled(tab)
    expect(tab.get_by_text("This change cannot be saved as it is. Nothing was saved.")) \
        .to_be_visible()
    expect(tab.get_by_test_id("stDataFrame").first).to_contain_text("Contact email")
    tab.get_by_role("button", name="Back to the change").click()
    settled(tab)
    expect(tab.get_by_role("tab", name="School contacts")).to_be_visible()


def test_a_cohort_renamed_and_a_school_removed_in_the_browser(tab, app_url):
    from playwright.sync_api import expect

    sign_in(tab, f"{app_url}/setup", ADMIN_EMAIL, PASSWORD)
    form = _form(tab, "New name of the cohort")
    form.get_by_label("New name of the cohort").fill("Cohort Z")
    form.get_by_role("button", name="Check this new cohort name").click()
    settled(tab)
    expect(tab.get_by_text("What will be taken away")).to_be_visible()
    expect(tab.get_by_text(re.compile("Rename the cohort Cohort A of Test Trust to Cohort Z")))\
        .to_be_visible()
    tab.get_by_role("button", name="Confirm and save").click()
    settled(tab)
    expect(tab.get_by_text(re.compile(r"Saved as change \d+: Rename the cohort"))).to_be_visible()
    cohorts = tab.get_by_test_id("stDataFrame").filter(has_text="Schools ever").first
    expect(cohorts).to_contain_text("Cohort Z")
    expect(cohorts).not_to_contain_text("Cohort A")

    tab.get_by_role("tab", name="Schools in cohorts").click()
    form = _form(tab, "Remove this school, entered by mistake")
    form.get_by_role("button", name="Check removing this school").click()
    settled(tab)
    expect(tab.get_by_text(re.compile("as entered by mistake"))).to_be_visible()
    tab.get_by_role("button", name="Confirm and save").click()
    settled(tab)
    saved = tab.get_by_text(re.compile(r"Saved as change \d+: Remove School"))
    expect(saved).to_be_visible()
    number = int(re.search(r"change (\d+)", saved.text_content()).group(1))
    tab.get_by_role("button", name=f"Undo change {number}").click()
    settled(tab)
    expect(tab.get_by_text(re.compile(rf"Change {number} was undone"))).to_be_visible()
