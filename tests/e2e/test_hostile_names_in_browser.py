"""Hostile names in a real browser: shown as typed, never a link, an image or a script.

Against `streamlit run app.py` on a store whose schools, partnership, cohort and uploaded
files are named like `[link](http://evil.example/x)`, `![x](http://evil.example/x.png)` and
`<img src=x onerror=alert(1)>`, headless Chromium opens every page that shows them and
uploads a file so named: the DOM has no `<a>` or `<img>` (nor SVG link) pointing at the
attacker, no script ran (no dialog), the browser asked the attacker for nothing, and the
names are on the page as their own text.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote_plus, urlparse

import pytest

from impact.reports.text import JOINER
from tests.e2e.browser import BROWSER, TIMEOUT_MS, browser_page, server, settled, sign_in
from tests.factories import attainment_frame
from tests.hostile_names import (
    ANCHOR,
    COHORT,
    HTML,
    IMAGE,
    LINK,
    NAMES,
    PARTNERSHIP,
    URNS,
    build_hostile_store,
)
from tests.pages.helpers import ADMIN_EMAIL, PASSWORD, XLSX, attainment_xlsx

pytestmark = BROWSER

# Every attribute through which a page can link to or fetch an address.
_POINTING = """() => {
  const found = [];
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (['href', 'xlink:href', 'src', 'srcset', 'action', 'formaction', 'poster', 'data',
           'background'].includes(name) || (name === 'style' && attribute.value.includes('url('))) {
        // A link to one of the app's own pages carries the chosen names in its query
        // string (as the address bar does): it cannot take anyone elsewhere.
        let own = false;
        if (element.tagName.toLowerCase() === 'a' && name === 'href') {
          const url = new URL(attribute.value, location.href);
          own = url.origin === location.origin && !/evil/i.test(url.pathname + url.hash);
        }
        if (!own && (/evil/i.test(attribute.value) || (element.tagName.toLowerCase() === 'img'
                                                       && attribute.value === 'x'))) {
          found.push(element.tagName + ' ' + name + '=' + attribute.value);
        }
      }
    }
  }
  return found;
}"""


@pytest.fixture
def hostile_url(_isolated_store_path: Path, tmp_path: Path) -> Iterator[str]:
    build_hostile_store(_isolated_store_path)
    with server(_isolated_store_path, tmp_path / "streamlit.log") as url:
        yield url


def test_hostile_names_are_text_in_the_browser_and_nothing_is_fetched(hostile_url):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    requests: list[str] = []
    dialogs: list[str] = []
    with sync_playwright() as playwright:
        browser, tab = browser_page(playwright)
        try:
            tab.on("request", lambda request: requests.append(request.url))
            tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

            def visit(path: str) -> None:
                # Each page load is a new session: sign in (as the hostilely named admin).
                sign_in(tab, f"{hostile_url}/{path}", ADMIN_EMAIL, PASSWORD)
                expect(tab.get_by_test_id("stMainBlockContainer")).to_be_visible()
                check(path)

            def shown(locator) -> str:  # noqa: ANN001
                """The text a person reads (less the invisible joiners in web addresses)."""
                return locator.text_content().replace(JOINER, "").strip()

            def check(where: str) -> None:
                assert tab.evaluate(_POINTING) == [], where
                assert dialogs == [], where
                # Markdown never turned a name into emphasis or a heading of its own.
                assert tab.locator("strong", has_text="bold").count() == 0, where

            for name in NAMES:
                visit(f"schools?school={URNS[name]}")
                assert shown(tab.locator("h1").first) == name
                # The school's own line is labelled with its name in the chart, as text.
                chart = tab.get_by_test_id("stPlotlyChart").first
                expect(chart.locator("svg text", has_text=name.split()[0]).first) \
                    .to_be_attached()

            visit("")  # the Overview is the app's main page
            assert shown(tab.locator("h1").first) == PARTNERSHIP
            visit(f"cohorts?partnership={quote_plus(PARTNERSHIP)}&cohort={quote_plus(COHORT)}")
            assert shown(tab.locator("h1").first) == COHORT
            visit("cohorts")
            visit("ofsted")
            visit("cpd?measure=ks2_rwm_exp")
            # CPD beside results names each school when its dot is pointed at: as typed, text.
            scatter = tab.get_by_test_id("stPlotlyChart").filter(
                has=tab.locator("svg text", has_text="Staff hours of CPD"))
            scatter.scroll_into_view_if_needed()
            dots = scatter.locator("g.scatterlayer path.point")
            assert dots.count() > 0
            hovered = set()
            for i in range(dots.count()):
                dots.nth(i).hover(force=True)
                hovered.update(scatter.locator("g.hovertext").all_text_contents())
            assert any(text.startswith(f"{name}: ") for text in hovered for name in NAMES), \
                hovered
            check("cpd")
            visit("data")

            # A file named as a link is uploaded, previewed and saved: every sentence about
            # it names it as typed.
            visit("upload")
            frame = attainment_frame([URNS[HTML]], range(2024, 2025))
            tab.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
                files=[{"name": f"{LINK}.xlsx", "mimeType": XLSX,
                        "buffer": attainment_xlsx(frame)}])
            confirm = tab.get_by_role("button", name="Confirm and save")
            expect(confirm).to_be_visible()
            preview = tab.get_by_text("has no problems (read as", exact=False)
            expect(preview).to_be_visible()
            assert shown(preview).startswith(f"{LINK}.xlsx has no problems")
            check("upload preview")
            settled(tab)
            confirm.click()
            saved = tab.get_by_test_id("stAlertContentSuccess").get_by_test_id(
                "stMarkdownContainer")
            expect(saved).to_be_visible()
            assert shown(saved).startswith(f"Saved {LINK}.xlsx as upload ")
            settled(tab)
            check("upload saved")

            # A refused file named as an image: its problems name it as text.
            visit("upload")
            frame["Value"] = frame["Value"].astype(object)
            frame.loc[0, "Value"] = ANCHOR
            tab.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
                files=[{"name": f"{IMAGE}.xlsx", "mimeType": XLSX,
                        "buffer": attainment_xlsx(frame)}])
            refused = tab.get_by_test_id("stAlertContentError").get_by_test_id(
                "stMarkdownContainer")
            expect(refused).to_be_visible()
            assert shown(refused).startswith(f"{IMAGE}.xlsx has 1 problem to fix")
            settled(tab)
            check("upload refused")
        finally:
            browser.close()
    assert requests, "the browser made no requests at all"
    # The attacker's host was never asked for anything (the app's own address, with the names
    # in its query string, and Streamlit's icon font are).
    hosts = {urlparse(url).hostname or "" for url in requests}
    assert "127.0.0.1" in hosts
    assert [host for host in hosts if "evil" in host] == []
    assert dialogs == []
