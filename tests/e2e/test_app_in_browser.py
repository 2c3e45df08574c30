"""What a person clicks, in headless Chromium against `streamlit run app.py`.

A shared link opened on a freshly started server shows the page with its sidebar and filters;
a head uploads a spreadsheet on the Upload page, sees the preview, confirms, follows the link
to the Overview and finds the new figure in the chart; on the demo store, a shared link to a
cohort's estimate shows the same chart as choosing the same filters by clicking.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote_plus

import pytest

from tests.e2e.browser import BROWSER, TIMEOUT_MS, browser_page, server, settled, sign_in
from tests.pages.helpers import (
    ADMIN_EMAIL,
    PASSWORD,
    SIZES,
    XLSX,
    attainment_xlsx,
    build_demo_once,
    build_store,
    rwm_frame,
)

pytestmark = BROWSER


@pytest.fixture
def app_url(_isolated_store_path: Path, tmp_path: Path) -> Iterator[str]:
    """A freshly started server on the small sample store, built in tmp_path."""
    build_store(_isolated_store_path)
    with server(_isolated_store_path, tmp_path / "streamlit.log") as url:
        yield url


@pytest.fixture
def demo_url(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Iterator[str]:
    """A freshly started server on a copy of the demo store (built once per session)."""
    store = tmp_path / "demo.duckdb"
    shutil.copyfile(build_demo_once(tmp_path_factory), store)
    with server(store, tmp_path / "streamlit.log") as url:
        yield url


@pytest.fixture
def page(app_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser, tab = browser_page(playwright)
        try:
            yield tab
        finally:
            browser.close()


@pytest.fixture(autouse=True)
def _patient_expectations():
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    yield
    expect.set_options(timeout=5_000)


def test_a_shared_link_then_upload_confirm_and_see_it_on_the_overview(page, app_url):
    from playwright.sync_api import expect

    # A shared link is the first thing this server is asked for; it survives signing in.
    sign_in(page, f"{app_url}/schools?school=100002", ADMIN_EMAIL, PASSWORD)
    expect(page.get_by_role("heading", name="School 100002", level=1)).to_be_visible()
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Signed in as")).to_be_visible()
    expect(sidebar.get_by_role("link", name="Overview")).to_be_visible()
    expect(sidebar.get_by_text("_common")).to_have_count(0)
    assert "school=100002" in page.url

    sidebar.get_by_role("link", name="Upload").click()
    settled(page)
    expect(page.get_by_role("heading", name="2. Upload your file")).to_be_visible()
    values = {2021: {100001: 30.0, 100002: 40.0, 100003: 50.0}}
    sent = attainment_xlsx(rwm_frame(values))
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": "summer-2022.xlsx", "mimeType": XLSX, "buffer": sent}])
    confirm = page.get_by_role("button", name="Confirm and save")
    expect(confirm).to_be_visible()
    expect(page.get_by_text("has no problems (read as: Attainment)")).to_be_visible()
    settled(page)
    confirm.click()
    expect(page.get_by_text(re.compile(r"Saved summer-2022\.xlsx as upload \d+: 3 new"))) \
        .to_be_visible()
    settled(page)

    # The history now starts with this upload, and gives back the file exactly as sent.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the file as it was uploaded").click()
    assert download.value.suggested_filename == "summer-2022.xlsx"
    assert Path(download.value.path()).read_bytes() == sent

    page.get_by_role("link", name="See the Overview").click()
    settled(page)
    mean = round(sum(values[2021][u] * SIZES[u] for u in SIZES) / sum(SIZES.values()))
    heading = page.get_by_role("heading", name=f"RWM expected was {mean}% in 2021/22")
    expect(heading).to_be_visible()
    chart = page.get_by_test_id("stPlotlyChart")
    expect(chart.locator("svg text", has_text=f"{mean}%").first).to_be_attached()
    expect(chart.locator("svg text", has_text="2021/22").first).to_be_attached()
    assert "measure=ks2_rwm_exp" in page.url and "partnership=Test+Trust" in page.url


# --- a shared link and the same choices made by clicking ----------------------------------------

def _choose(tab, label: str, option: str, in_link: str) -> None:
    """Pick `option` in the sidebar select box called `label`, as a person would, and wait
    until the app has run with it (it writes `in_link` to the address bar when it has)."""
    from playwright.sync_api import expect

    sidebar = tab.get_by_test_id("stSidebar")
    box = sidebar.get_by_role("combobox", name=label, exact=True)
    # A box at the very foot of the sidebar opens its list below the window, as it would
    # for a person: scroll it up first, as they would.
    box.evaluate("el => el.scrollIntoView({block: 'center'})")
    box.click()
    tab.get_by_role("option", name=option, exact=True).click()
    expect(box).to_have_value(option)
    expect(tab).to_have_url(re.compile(re.escape(in_link)))
    settled(tab)


def _what_the_cohort_page_shows(tab) -> dict:
    """The event-study chart's title, the sentence above it, and the words and numbers
    drawn in the chart itself (its annotations and tick labels)."""
    from playwright.sync_api import expect

    chart = tab.get_by_test_id("stPlotlyChart").first
    expect(chart.locator("svg.main-svg").first).to_be_attached()
    expect(chart.locator("g.annotation-text-g").first).to_be_attached()
    return {
        "headline": tab.locator("p.headline").first.text_content(),
        "title": tab.locator("h3").filter(has_text="RWM expected").first.text_content(),
        "drawn": sorted(chart.locator("g.annotation-text-g text, g.xtick text").evaluate_all(
            "nodes => nodes.map(n => n.textContent)")),
    }


def test_a_shared_cohort_link_shows_what_choosing_the_same_filters_shows(demo_url):
    from playwright.sync_api import expect, sync_playwright

    from impact import demo

    plan = demo.PLANTED["improving"]
    link = (f"{demo_url}/cohorts?partnership={quote_plus(plan['partnership'])}"
            f"&cohort={quote_plus(plan['cohort'])}&measure={plan['measure']}"
            "&comparison=similar")
    with sync_playwright() as playwright:
        browser, shared = browser_page(playwright)
        try:
            expect.set_options(timeout=TIMEOUT_MS)
            admin = demo.DEMO_ACCOUNTS[0]
            sign_in(shared, link, admin.email, admin.password)  # the first thing asked for
            expect(shared.get_by_role("heading", name=plan["cohort"], level=1)).to_be_visible()
            seen = _what_the_cohort_page_shows(shared)
            assert "similar schools" in seen["headline"]
            assert "Joined" in seen["drawn"]
            assert any(text.startswith(("+", "−")) for text in seen["drawn"]), seen["drawn"]

            clicked = browser.new_page(viewport={"width": 1400, "height": 1000})
            clicked.set_default_timeout(TIMEOUT_MS)
            sign_in(clicked, demo_url, admin.email, admin.password)
            clicked.get_by_test_id("stSidebar").get_by_role("link", name="Cohorts").click()
            settled(clicked)
            _choose(clicked, "Partnership", plan["partnership"],
                    f"partnership={quote_plus(plan['partnership'])}")
            _choose(clicked, "Cohort", plan["cohort"], f"cohort={quote_plus(plan['cohort'])}")
            _choose(clicked, "Compare with", "Similar schools", "comparison=similar")
            expect(clicked.get_by_role("heading", name=plan["cohort"], level=1)).to_be_visible()
            assert _what_the_cohort_page_shows(clicked) == seen
            for part in ("comparison=similar", "cohort=Cohort+2", "measure=ks2_rwm_exp"):
                assert part in clicked.url
        finally:
            browser.close()


def _pick_by_typing(tab, picker, typed: str, option: str) -> None:  # noqa: ANN001
    """Type into a multiselect and click the option, as a person does; if a rerun that was
    already on its way redraws the box and closes its list, open it and type again."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(3):
        picker.evaluate("el => el.scrollIntoView({block: 'center'})")
        picker.click()
        picker.press_sequentially(typed)  # typing narrows the list, as people do
        try:
            tab.get_by_role("option", name=option).click(timeout=15_000)
            return
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            tab.keyboard.press("Escape")
            settled(tab)
            picker.fill("")


def test_schools_picked_in_the_sidebar_become_the_comparison_and_the_link(
        demo_url, tmp_path_factory):
    from playwright.sync_api import expect, sync_playwright

    from impact import demo
    from impact.store import Store

    plan = demo.PLANTED["improving"]
    with Store(build_demo_once(tmp_path_factory), read_only=True) as store:
        never = store.query("SELECT urn, name FROM schools WHERE urn NOT IN "
                            "(SELECT urn FROM memberships) ORDER BY urn LIMIT 4")
    link = (f"{demo_url}/cohorts?partnership={quote_plus(plan['partnership'])}"
            f"&cohort={quote_plus(plan['cohort'])}&measure={plan['measure']}")
    with sync_playwright() as playwright:
        browser, tab = browser_page(playwright)
        try:
            sign_in(tab, link, demo.DEMO_ACCOUNTS[0].email, demo.DEMO_ACCOUNTS[0].password)
            _choose(tab, "Compare with", "Schools I choose", "comparison=chosen")
            expect(tab.get_by_text("Choose the schools to compare with")).to_be_visible()
            picker = tab.get_by_test_id("stSidebar").get_by_role(
                "combobox", name="Schools to compare with")
            picked: list[str] = []
            for urn, name in zip(never["urn"], never["name"], strict=True):
                _pick_by_typing(tab, picker, str(urn), f"{name} ({urn})")
                picked.append(str(urn))
                # the pick reruns the page and writes the link: wait for both before the next
                expect(tab).to_have_url(re.compile("urns=" + re.escape(
                    quote_plus(",".join(picked)))))
                settled(tab)
            tab.keyboard.press("Escape")
            expect(tab).to_have_url(re.compile("urns=" + re.escape(
                quote_plus(",".join(str(u) for u in never["urn"])))))
            settled(tab)
            headline = tab.locator("p.headline").first.text_content()
            assert "the chosen schools" in headline
        finally:
            browser.close()
