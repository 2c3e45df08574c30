"""Issue 4 as a data manager would do it: a real DfE KS2 file, uploaded untouched on the Upload
page, shows up as the trust's trend against Surrey and England on the Overview.

The store already holds Surrey's KS2 tables for 2016/17 and 2017/18 and GLF Schools' members
from the GIAS links file (imported as published); the browser uploads the 2018/19 table.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import quote_plus

from impact.auth import DEMO_ADMIN, accounts
from impact.importing.pipeline import import_file
from impact.store import Store
from tests.e2e.browser import BROWSER, TIMEOUT_MS, browser_page, server, settled, sign_in
from tests.pages.helpers import ADMIN_EMAIL, PASSWORD, ROOT

pytestmark = BROWSER

REALDATA = ROOT.parent / "shared" / "realdata"
TRUST = "GLF SCHOOLS"
KS2_2018 = REALDATA / "ks2_2018-19_936_surrey.csv"


def _trust_store(path: Path) -> None:
    with Store(path) as store:
        for name in ("ks2_2016-17_936_surrey.csv", "ks2_2017-18_936_surrey.csv"):
            assert import_file(store, REALDATA / name, DEMO_ADMIN).status == "accepted"
        links = import_file(store, REALDATA / "gias_group_links_resaved.csv", DEMO_ADMIN,
                            options={"groups": TRUST})
        assert links.status == "accepted", links.as_dict()["errors"]
        accounts.add(store, DEMO_ADMIN, ADMIN_EMAIL, "admin", password=PASSWORD)


def _trust_mean(path: Path, year: str) -> float:
    """GLF's Surrey members' pupil-weighted RWM expected % once the 2018/19 table is in, as the
    Overview should plot it (worked out on a copy: the server holds the store itself)."""
    copy = path.with_name("expected.duckdb")
    shutil.copyfile(path, copy)
    with Store(copy) as store:
        assert import_file(store, KS2_2018, DEMO_ADMIN).status == "accepted"
        return store.scalar(
            "SELECT sum(a.value * a.cohort_size) / sum(a.cohort_size) FROM attainment a "
            "WHERE a.measure = 'ks2_rwm_exp' AND a.pupil_group = 'all' "
            "AND a.academic_year = ? AND a.value IS NOT NULL AND a.urn IN "
            "(SELECT urn FROM memberships WHERE partnership = ?)", [year, TRUST])


def test_a_real_ks2_table_uploaded_in_the_browser_becomes_the_trusts_trend(
        _isolated_store_path: Path, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    _trust_store(_isolated_store_path)
    mean = round(_trust_mean(_isolated_store_path, "2018/19"))
    sent = KS2_2018.read_bytes()
    with server(_isolated_store_path, tmp_path / "streamlit.log") as url, \
            sync_playwright() as playwright:
        browser, page = browser_page(playwright)
        try:
            expect.set_options(timeout=TIMEOUT_MS)
            sign_in(page, f"{url}/upload", ADMIN_EMAIL, PASSWORD)
            page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
                files=[{"name": KS2_2018.name, "mimeType": "text/csv", "buffer": sent}])
            read_as = r"has no problems \(read as: DfE performance tables: key stage 2\)"
            expect(page.get_by_text(re.compile(read_as))).to_be_visible()
            settled(page)
            page.get_by_role("button", name="Confirm and save").click()
            expect(page.get_by_text(re.compile(rf"Saved {re.escape(KS2_2018.name)} as upload"))) \
                .to_be_visible()
            settled(page)

            sign_in(page, f"{url}/?partnership={quote_plus(TRUST)}&measure=ks2_rwm_exp&group=all",
                    ADMIN_EMAIL, PASSWORD)
            expect(page.get_by_role("heading", name=TRUST, level=1)).to_be_visible()
            chart = page.get_by_test_id("stPlotlyChart").last
            drawn = chart.locator("svg text")
            expect(drawn.filter(has_text="2018/19").first).to_be_attached()
            expect(drawn.filter(has_text="2016/17").first).to_be_attached()
            expect(drawn.filter(has_text=f"{mean}%").first).to_be_attached()
            expect(drawn.filter(has_text="England").first).to_be_attached()
            expect(drawn.filter(has_text="Surrey").first).to_be_attached()
        finally:
            browser.close()
