"""Every page on a projector and a phone, in headless Chromium on the demo store: at 1280x720
with the browser zoomed to 150% (an 853x480 CSS-pixel window at 1.5 device pixels each) and
at 390x844 (a phone), each page is photographed (the screenshots are left in the test's
temporary folder), no chart carries the Plotly toolbar over it, no page is wider than the
window, and on every page that draws charts (each must draw at least one):

- no two text boxes of one chart (titles, tick labels, legend items, annotations) overlap;
- a percentage axis ends at 100% or above, with its "100%" label drawn, so neither the top
  label nor a point at 100 is cut off;
- small multiples reflow: the Overview's headline tiles and the Schools page's small chart of
  every measure side by side at 1280x720, one under another on the phone.

Meeting mode is walked screen by screen with Page Down (a presentation clicker's key).
The overlapping pairs found per page are written to `overlaps-SIZE.txt` in the temporary
folder and printed (`pytest -s`), so a failure says which labels collide.
"""

from __future__ import annotations

import re
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
# name -> path and query: every page a governor or a board sees charts on ...
CHART_PAGES = {
    "overview": f"?{WHERE}",
    "cohorts": f"cohorts?{WHERE}&cohort={quote_plus(IMPROVING['cohort'])}",
    "all-cohorts": f"cohorts?{WHERE}&cohort=all",
    "schools": f"schools?{WHERE}",
    "ofsted": f"ofsted?{WHERE}",
    "cpd": f"cpd?{WHERE}",
    "meeting": f"meeting?{WHERE}&cohort=all&measure=ks2_rwm_exp",
}
# ... and the pages without charts, photographed and checked for width.
OTHER_PAGES = {"data": "data"}
SIZES = {
    "projector-150": {"viewport": {"width": 853, "height": 480}, "device_scale_factor": 1.5},
    "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2},
    "projector-100": {"viewport": {"width": 1280, "height": 720}, "device_scale_factor": 1},
}
TILES = ".st-key-tiles_parts [data-testid='stPlotlyChart']"
GRID = ".st-key-school_grid_parts [data-testid='stPlotlyChart']"

# Per chart on the page: how many text boxes it has, each pair of them that overlap by more
# than 2 px both ways, and each percentage axis (a "%" tick suffix or format) with its top,
# the highest value drawn on it and whether its "100%" label is drawn inside the chart.
MEASURE = """
(chart) => {
  const charts = [];
  [chart].forEach((chart) => {
    const svg = chart.querySelector('svg.main-svg');
    const plot = chart.querySelector('.js-plotly-plot');
    if (!svg || !plot || !plot._fullLayout) return;
    const frame = svg.getBoundingClientRect();
    const boxes = [];
    chart.querySelectorAll('svg.main-svg text').forEach((t) => {
      const r = t.getBoundingClientRect();
      const style = getComputedStyle(t);
      if (!t.textContent.trim() || r.width < 1 || r.height < 1) return;
      if (style.display === 'none' || style.visibility === 'hidden' ||
          Number(style.opacity) === 0) return;
      boxes.push({text: t.textContent.trim(), x: r.left, y: r.top, w: r.width, h: r.height});
    });
    const pairs = [];
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      const ox = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
      const oy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
      if (ox > 2 && oy > 2) pairs.push([a.text, b.text]);
    }
    const layout = plot._fullLayout, percent = [];
    Object.keys(layout).filter((k) => /^yaxis\\d*$/.test(k)).forEach((k) => {
      const ax = layout[k];
      if (!(ax.ticksuffix === '%' || String(ax.tickformat || '').includes('%'))) return;
      if (ax.visible === false || ax.showticklabels === false) return;
      let high = null;
      (plot._fullData || []).forEach((trace) => {
        if ((trace.yaxis || 'y') !== ax._id || !trace.y) return;
        Array.from(trace.y).forEach((v) => {
          if (typeof v === 'number' && isFinite(v)) high = high === null ? v : Math.max(high, v);
        });
      });
      let label = null;
      chart.querySelectorAll(`g.${ax._id}tick text`).forEach((t) => {
        if (t.textContent.trim() === '100%') {
          const r = t.getBoundingClientRect();
          label = r.top >= frame.top - 1 && r.bottom <= frame.bottom + 1;
        }
      });
      percent.push({axis: ax._id, top: Math.max(...ax.range), high: high, label: label});
    });
    charts.push({texts: boxes.length, pairs: pairs, percent: percent});
  });
  return charts;
}
"""


def _open(tab, url: str) -> None:  # noqa: ANN001
    """Open a link and sign in (a new page load is a new session); wait for every chart."""
    tab.goto(url)
    settled(tab)
    tab.get_by_label("E-mail address").fill(ADMIN.email)
    tab.get_by_label("Password", exact=True).fill(ADMIN.password)
    button = tab.get_by_role("button", name="Sign in", exact=True)
    button.click()
    button.wait_for(state="detached")  # signed in: the form is gone
    settled(tab)
    _drawn(tab)


def _drawn(tab) -> None:  # noqa: ANN001
    charts = tab.get_by_test_id("stPlotlyChart")
    for i in range(charts.count()):
        charts.nth(i).scroll_into_view_if_needed()
        charts.nth(i).locator("svg.main-svg").first.wait_for(state="attached")
    tab.wait_for_timeout(800)  # Plotly lays its text out after drawing the frame


def _measure(tab) -> list[dict]:  # noqa: ANN001
    """Each chart measured in view (Plotly lays out a chart's text when it is shown)."""
    found = []
    charts = tab.get_by_test_id("stPlotlyChart")
    for i in range(charts.count()):
        charts.nth(i).scroll_into_view_if_needed()
        tab.wait_for_timeout(150)
        found += charts.nth(i).evaluate(MEASURE)
    return found


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

    measured: dict[str, list[dict]] = {}
    placed: dict[str, list[dict]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(**SIZES[size])
            tab = context.new_page()
            tab.set_default_timeout(TIMEOUT_MS)
            for name, link in {**CHART_PAGES, **OTHER_PAGES}.items():
                _open(tab, f"{demo_url}/{link}")
                if name == "schools":  # the small chart of every measure, when asked for
                    tab.get_by_test_id("stCheckbox").filter(
                        has_text="small chart of each").locator("label").click()
                    settled(tab)
                    tab.wait_for_selector(".st-key-school_grid_parts, .st-key-school_grid_chart")
                    _drawn(tab)
                _photographed_and_fits(tab, tmp_path / f"{size}-{name}.png", name)
                if name in CHART_PAGES:
                    measured[name] = _measure(tab)
                if name == "overview":
                    placed["tiles"] = _places(tab, TILES)
                if name == "schools":
                    placed["every measure"] = _places(tab, GRID)
                if name == "meeting":
                    measured[name] += _later_screens(tab, tmp_path, size)
        finally:
            browser.close()

    report = _report(measured)
    (tmp_path / f"overlaps-{size}.txt").write_text(report)
    print(f"\n{size}\n{report}")
    for name in CHART_PAGES:  # every page named draws charts, and they were measured
        assert measured.get(name), f"{name}: no chart measured at {size}"
        assert all(chart["texts"] > 0 for chart in measured[name]), (name, measured[name])
    overlapping = {name: [p for chart in charts for p in chart["pairs"]]
                   for name, charts in measured.items()}
    assert all(not pairs for pairs in overlapping.values()), report
    percent = [(name, axis) for name, charts in measured.items() for chart in charts
               for axis in chart["percent"]]
    assert percent, "no percentage axis measured"
    for name, axis in percent:
        assert axis["top"] >= 100, (name, axis)  # 100% is on the axis ...
        assert axis["label"] is True, (name, axis)  # ... and its label is not cut off
        if axis["high"] is not None and axis["high"] >= 100:
            assert axis["top"] > axis["high"], (name, axis)  # a point at 100 is not cut
    for what, boxes in placed.items():
        _reflows(boxes, size, what)


def _photographed_and_fits(tab, shot: Path, name: str) -> None:  # noqa: ANN001
    tab.screenshot(path=str(shot))
    assert shot.stat().st_size > 5_000, name
    assert tab.locator(".modebar-btn").count() == 0, name  # no toolbar buttons
    width = tab.evaluate("() => { const m = document.querySelector("
                         "'[data-testid=\"stMain\"]'); "
                         "return [m.scrollWidth, m.clientWidth]; }")
    assert width[0] <= width[1] + 1, (name, width)


def _later_screens(tab, folder: Path, size: str) -> list[dict]:  # noqa: ANN001
    """Meeting mode's screens after the first, reached with Page Down; each one's charts."""
    count = tab.locator("p.meeting-count").inner_text()
    found = re.fullmatch(r"Screen 1 of (\d+)", count.strip())
    assert found, count
    charts: list[dict] = []
    for number in range(2, int(found.group(1)) + 1):
        tab.keyboard.press("PageDown")
        tab.wait_for_selector(f"p.meeting-count:text('Screen {number} of')")
        settled(tab)
        _drawn(tab)
        _photographed_and_fits(tab, folder / f"{size}-meeting-{number}.png", "meeting")
        charts += _measure(tab)
    return charts


def _places(tab, selector: str) -> list[dict]:  # noqa: ANN001
    """Where each of the small multiples is on the page."""
    parts = tab.locator(selector)
    boxes = []
    for i in range(parts.count()):
        parts.nth(i).scroll_into_view_if_needed()
        boxes.append(parts.nth(i).bounding_box())
    tab.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 0)")
    return boxes


def _reflows(boxes: list[dict], size: str, what: str) -> None:
    """Small multiples: one column on the phone, side by side at 1280x720, none wider than
    the window."""
    assert len(boxes) >= 3, (what, boxes)
    lefts = {round(b["x"]) for b in boxes}
    if size == "phone":
        assert len(lefts) == 1, (what, boxes)  # one column
    if size == "projector-100":
        assert len(lefts) >= 2, (what, boxes)  # side by side where there is room
    for box in boxes:
        window = SIZES[size]["viewport"]["width"]
        assert box["x"] >= 0 and box["x"] + box["width"] <= window, (what, size, box)


def _report(measured: dict[str, list[dict]]) -> str:
    lines = []
    for name, charts in measured.items():
        pairs = [p for chart in charts for p in chart["pairs"]]
        lines.append(f"{name}: {len(charts)} charts, {len(pairs)} overlapping pairs")
        lines += [f"    {a!r} / {b!r}" for a, b in pairs]
        lines += [f"    percentage axis {axis}" for chart in charts for axis in chart["percent"]]
    return "\n".join(lines)
