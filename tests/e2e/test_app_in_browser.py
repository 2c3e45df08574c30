"""What a person clicks, in headless Chromium against `streamlit run app.py`.

A shared link opened on a freshly started server shows the page with its sidebar and filters;
a head uploads a spreadsheet on the Upload page, sees the preview, confirms, follows the link
to the Overview and finds the new figure in the chart.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pages.helpers import ROOT, SIZES, XLSX, attainment_xlsx, build_store, rwm_frame

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
TIMEOUT_MS = 60_000

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="browser tests need Chromium at /usr/bin/chromium "
                              "(apt-get install -y chromium)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def app_url(_isolated_store_path: Path, tmp_path: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free port against a store built in tmp_path; always
    stopped afterwards, with its whole process group."""
    build_store(_isolated_store_path)
    port = _free_port()
    log = (tmp_path / "streamlit.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, "IMPACT_DB": str(_isolated_store_path)},
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("streamlit did not start:\n"
                            + (tmp_path / "streamlit.log").read_text()[-3000:])
            time.sleep(0.2)
        yield url
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(15)
        log.close()


@pytest.fixture
def page(app_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport={"width": 1400, "height": 1000},
                                   accept_downloads=True)
            tab.set_default_timeout(TIMEOUT_MS)
            yield tab
        finally:
            browser.close()


@pytest.fixture(autouse=True)
def _patient_expectations():
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    yield
    expect.set_options(timeout=5_000)


def _settled(tab) -> None:
    tab.wait_for_selector(IDLE, timeout=TIMEOUT_MS)


def test_a_shared_link_then_upload_confirm_and_see_it_on_the_overview(page, app_url):
    from playwright.sync_api import expect

    # A shared link is the first thing this server is asked for.
    page.goto(f"{app_url}/schools?school=100002")
    _settled(page)
    expect(page.get_by_role("heading", name="School 100002", level=1)).to_be_visible()
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Acting as")).to_be_visible()
    expect(sidebar.get_by_role("link", name="Overview")).to_be_visible()
    expect(sidebar.get_by_text("_common")).to_have_count(0)
    assert "school=100002" in page.url

    page.goto(f"{app_url}/upload")
    _settled(page)
    expect(page.get_by_role("heading", name="2. Upload your file")).to_be_visible()
    values = {2021: {100001: 30.0, 100002: 40.0, 100003: 50.0}}
    sent = attainment_xlsx(rwm_frame(values))
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": "summer-2022.xlsx", "mimeType": XLSX, "buffer": sent}])
    confirm = page.get_by_role("button", name="Confirm and save")
    expect(confirm).to_be_visible()
    expect(page.get_by_text("has no problems (read as: Attainment)")).to_be_visible()
    _settled(page)
    confirm.click()
    expect(page.get_by_text(re.compile(r"Saved summer-2022\.xlsx as upload \d+: 3 new"))) \
        .to_be_visible()
    _settled(page)

    # The history now starts with this upload, and gives back the file exactly as sent.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the file as it was uploaded").click()
    assert download.value.suggested_filename == "summer-2022.xlsx"
    assert Path(download.value.path()).read_bytes() == sent

    page.get_by_role("link", name="See the Overview").click()
    _settled(page)
    mean = round(sum(values[2021][u] * SIZES[u] for u in SIZES) / sum(SIZES.values()))
    heading = page.get_by_role("heading", name=f"RWM expected was {mean}% in 2021/22")
    expect(heading).to_be_visible()
    chart = page.get_by_test_id("stPlotlyChart")
    expect(chart.locator("svg text", has_text=f"{mean}%").first).to_be_attached()
    expect(chart.locator("svg text", has_text="2021/22").first).to_be_attached()
    assert "measure=ks2_rwm_exp" in page.url and "partnership=Test+Trust" in page.url
