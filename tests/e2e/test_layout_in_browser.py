"""Every page on a projector and a phone, in headless Chromium on the demo store: at 1280x720
with the browser zoomed to 150% (an 853x480 CSS-pixel window at 1.5 device pixels each) and
at 390x844 (a phone), each page is photographed (the screenshots are left in the test's
temporary folder), no chart carries the Plotly toolbar over it, no page is wider than the
window, and the headline tiles reflow: side by side at 1280x720, one under another on the
phone, with no two of their text boxes overlapping at any size."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import quote_plus

import pytest

from impact import demo
from tests.e2e.browser import BROWSER, CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, server, settled
from tests.pages.helpers import build_demo_once

pytestmark = BROWSER
ADMIN = demo.DEMO_ACCOUNTS[0]
IMPROVING = demo.PLANTED["improving"]
WHERE = f"partnership={quote_plus(IMPROVING['partnership'])}"
PAGES = {  # name -> path and query: every page a governor or a board sees charts on
    "overview": f"?{WHERE}",
    "cohorts": f"cohorts?{WHERE}&cohort={quote_plus(IMPROVING['cohort'])}",
    "schools": f"schools?{WHERE}",
    "ofsted": f"ofsted?{WHERE}",
    "cpd": f"cpd?{WHERE}",
    "meeting": f"meeting?{WHERE}&cohort=all&measure=ks2_rwm_exp",
    "data": "data",
}
SIZES = {
    "projector-150": {"viewport": {"width": 853, "height": 480}, "device_scale_factor": 1.5},
    "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2},
    "projector-100": {"viewport": {"width": 1280, "height": 720}, "device_scale_factor": 1},
}

# Each pair of a chart's visible text boxes that overlap by more than 2 px both ways.
OVERLAPS = """
(selector) => {
  const out = [];
  document.querySelectorAll(selector).forEach((chart) => {
    const boxes = [];
    chart.querySelectorAll('svg.main-svg text').forEach((t) => {
      const r = t.getBoundingClientRect();
      if (!t.textContent.trim() || r.width < 1 || r.height < 1) return;
      boxes.push({text: t.textContent.trim(), x: r.left, y: r.top, w: r.width, h: r.height});
    });
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      const ox = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
      const oy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
      if (ox > 2 && oy > 2) out.push([a.text, b.text]);
    }
  });
  return out;
}
"""


def _open(tab, url: str) -> None:  # noqa: ANN001
    """Open a link and sign in (a new page load is a new session); wait for every chart."""
    tab.goto(url)
    settled(tab)
    tab.get_by_label("E-mail address").fill(ADMIN.email)
    tab.get_by_label("Password", exact=True).fill(ADMIN.password)
    tab.get_by_role("button", name="Sign in", exact=True).click()
    tab.wait_for_selector(".stMain h1:not(:text('Sign in'))")
    settled(tab)
    charts = tab.get_by_test_id("stPlotlyChart")
    for i in range(charts.count()):
        charts.nth(i).scroll_into_view_if_needed()
        charts.nth(i).locator("svg.main-svg").first.wait_for(state="attached")
    tab.wait_for_timeout(800)  # Plotly lays its text out after drawing the frame


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("layout")
    store = folder / "demo.duckdb"
    shutil.copyfile(build_demo_once(tmp_path_factory), store)
    with server(store, folder / "streamlit.log") as url:
        yield url


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_at_projector_and_phone_sizes(demo_url, size, tmp_path: Path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(**SIZES[size])
            tab = context.new_page()
            tab.set_default_timeout(TIMEOUT_MS)
            charts_seen = 0
            for name, link in PAGES.items():
                _open(tab, f"{demo_url}/{link}")
                shot = tmp_path / f"{size}-{name}.png"
                tab.screenshot(path=str(shot))
                assert shot.stat().st_size > 5_000, name
                charts = tab.get_by_test_id("stPlotlyChart")
                charts_seen += charts.count()
                assert tab.locator(".modebar-btn").count() == 0, name  # no toolbar buttons
                width = tab.evaluate("() => { const m = document.querySelector("
                                     "'[data-testid=\"stMain\"]'); "
                                     "return [m.scrollWidth, m.clientWidth]; }")
                assert width[0] <= width[1] + 1, (name, width)
                if name == "overview":
                    _tiles_reflow(tab, size)
            assert charts_seen >= 12
        finally:
            browser.close()


def _tiles_reflow(tab, size: str) -> None:  # noqa: ANN001
    tiles = tab.locator(".st-key-tiles_parts [data-testid='stPlotlyChart']")
    count = tiles.count()
    assert count >= 3
    boxes = []
    for i in range(count):
        tiles.nth(i).scroll_into_view_if_needed()
        boxes.append(tiles.nth(i).bounding_box())
    tab.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 0)")
    lefts = {round(b["x"]) for b in boxes}
    if size == "phone":
        assert len(lefts) == 1, boxes  # one column
    if size == "projector-100":
        assert len(lefts) >= 2, boxes  # side by side where there is room
    for box in boxes:
        window = SIZES[size]["viewport"]["width"]
        assert box["x"] >= 0 and box["x"] + box["width"] <= window, (size, box)
    assert tab.evaluate(OVERLAPS, ".st-key-tiles_parts [data-testid='stPlotlyChart']") == []
