"""Take the README's screenshots on the demo store, in headless Chromium.

    .venv/bin/python -m tests.e2e.screenshots

Builds the demo store in a temporary folder (never data/), starts the app on it, and writes
docs/screenshot.png (the Overview of the trust) and docs/screenshot-cohorts.png (the improving
cohort's estimate and event-study chart).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from urllib.parse import quote_plus

from impact import demo
from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, IDLE, server, sign_in

DOCS = Path(__file__).resolve().parents[2] / "docs"
WIDTH = 1440


def _shoot(playwright, url: str, out: Path, height: int) -> None:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        tab = browser.new_page(viewport={"width": WIDTH, "height": height})
        tab.set_default_timeout(120_000)
        admin = demo.DEMO_ACCOUNTS[0]
        sign_in(tab, url, admin.email, admin.password)
        tab.wait_for_selector(IDLE)
        charts = tab.get_by_test_id("stPlotlyChart")
        for i in range(charts.count()):
            charts.nth(i).locator("svg.main-svg").first.wait_for(state="attached")
        time.sleep(1.5)  # let Plotly finish laying out its text
        tab.screenshot(path=str(out))
    finally:
        browser.close()


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "demo.duckdb"
        demo.build(store, directory=Path(folder) / "files")
        plan = demo.PLANTED["improving"]
        with server(store, Path(folder) / "streamlit.log") as url, \
                sync_playwright() as playwright:
            _shoot(playwright, f"{url}/?partnership={quote_plus(demo.TRUST)}"
                               "&measure=ks2_rwm_exp", DOCS / "screenshot.png", 1480)
            _shoot(playwright, f"{url}/cohorts?partnership={quote_plus(plan['partnership'])}"
                               f"&cohort={quote_plus(plan['cohort'])}"
                               f"&measure={plan['measure']}&comparison=not_yet_joined",
                   DOCS / "screenshot-cohorts.png", 1700)
    print(f"Wrote {DOCS / 'screenshot.png'} and {DOCS / 'screenshot-cohorts.png'}")


if __name__ == "__main__":
    main()
