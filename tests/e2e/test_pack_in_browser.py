"""The board pack downloaded from the Overview in headless Chromium, as a governor would: the
bytes served are a PDF that names the partnership and an HTML page that draws its charts, and
each download is in the audit log."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote_plus

import pytest

from impact import demo
from impact.store import Store
from tests.e2e.browser import BROWSER, TIMEOUT_MS, browser_page, server, settled, sign_in
from tests.pages.helpers import build_demo_once

pytestmark = BROWSER
GOVERNOR = next(a for a in demo.DEMO_ACCOUNTS if a.role == "governor")


@pytest.fixture
def demo_store(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Path:
    store = tmp_path / "demo.duckdb"
    shutil.copyfile(build_demo_once(tmp_path_factory), store)
    return store


def test_a_governor_downloads_the_board_pack_in_both_formats(demo_store, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    theirs = GOVERNOR.partnerships[0]
    with server(demo_store, tmp_path / "streamlit.log") as demo_url, \
            sync_playwright() as playwright:
        browser, tab = browser_page(playwright)
        try:
            sign_in(tab, f"{demo_url}/?partnership={quote_plus(theirs)}", GOVERNOR.email,
                    GOVERNOR.password)
            expect(tab.get_by_role("heading", name=theirs, level=1)).to_be_visible()
            with tab.expect_download(timeout=TIMEOUT_MS * 2) as pdf:
                tab.get_by_role("button", name="Board pack (PDF)").click()
            pdf_path = tmp_path / pdf.value.suggested_filename
            pdf.value.save_as(pdf_path)
            settled(tab)
            with tab.expect_download(timeout=TIMEOUT_MS) as page:
                tab.get_by_role("button", name="Board pack (web page)").click()
            html_path = tmp_path / page.value.suggested_filename
            page.value.save_as(html_path)
            settled(tab)

            # the HTML pack opened in the same browser draws every chart on its own
            tab.goto(html_path.as_uri())
            tab.wait_for_selector(".js-plotly-plot .main-svg", timeout=TIMEOUT_MS)
            assert tab.locator(".js-plotly-plot").count() >= 3
        finally:
            browser.close()
    assert pdf_path.name == "kestrel-vale-academy-trust-board-pack.pdf"
    assert pdf_path.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert theirs in text and "Impact to date" in text and "What the words mean" in text
    assert html_path.suffix == ".html" and theirs in html_path.read_text(encoding="utf-8")
    with Store(demo_store) as store:
        logged = store.query("SELECT actor_email, detail FROM audit_log WHERE detail LIKE "
                             "'board pack%' ORDER BY audit_id")
    assert logged.values.tolist() == [[GOVERNOR.email, f"board pack (pdf) for {theirs}"],
                                      [GOVERNOR.email, f"board pack (html) for {theirs}"]]
