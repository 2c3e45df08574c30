"""Meeting mode in headless Chromium at a projector's 1280x720, walked with the keyboard as a
presenter would: the arrow keys move between screens (the buttons' own shortcuts), and so do
Page Down and Page Up (what a presentation clicker sends); the sidebar is gone, and each screen (title, sentence, chart, the three lines and the buttons)
fits on the screen without scrolling."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlencode

from impact import demo
from impact.auth import accounts
from impact.reports import meeting
from impact.reports.pack import build_pack
from impact.store import Store
from tests.e2e.browser import (
    BROWSER,
    CHROMIUM,
    CHROMIUM_ARGS,
    TIMEOUT_MS,
    server,
    settled,
)
from tests.pages.helpers import build_demo_once

pytestmark = BROWSER
GOVERNOR = next(a for a in demo.DEMO_ACCOUNTS if a.role == "governor")
PROJECTOR = {"width": 1280, "height": 720}


def test_a_presenter_walks_meeting_mode_with_the_arrow_keys_and_a_clicker(tmp_path_factory, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    store = tmp_path / "demo.duckdb"
    shutil.copyfile(build_demo_once(tmp_path_factory), store)
    theirs = GOVERNOR.partnerships[0]
    with Store(store) as opened:
        screens = meeting.screens(build_pack(
            opened, accounts.cli_actor(opened, GOVERNOR.email), partnership=theirs,
            measure="ks2_rwm_exp"))
    titles = [s.title for s in screens]
    assert len(titles) >= 4

    link = urlencode({"partnership": theirs, "cohort": "all", "measure": "ks2_rwm_exp"})
    with server(store, tmp_path / "streamlit.log") as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport=PROJECTOR)
            tab.set_default_timeout(TIMEOUT_MS)
            # the link survives signing in (meeting mode has no sidebar to wait for)
            tab.goto(f"{url}/meeting?{link}")
            settled(tab)
            tab.get_by_label("E-mail address").fill(GOVERNOR.email)
            tab.get_by_label("Password", exact=True).fill(GOVERNOR.password)
            tab.get_by_role("button", name="Sign in", exact=True).click()
            title = tab.locator(".st-key-meeting_title h1")
            expect(title).to_have_text(titles[0])
            expect(tab.get_by_test_id("stSidebar")).to_be_hidden()
            _fits(tab, Path(tmp_path / "meeting-1.png"))

            for number, expected in enumerate(titles[1:], start=2):
                tab.keyboard.press("ArrowRight")
                expect(title).to_have_text(expected)
                settled(tab)
                assert f"slide={number}" in tab.url
                _fits(tab, tmp_path / f"meeting-{number}.png")
            tab.keyboard.press("ArrowRight")  # the last screen stays
            settled(tab)
            expect(title).to_have_text(titles[-1])
            tab.keyboard.press("ArrowLeft")
            expect(title).to_have_text(titles[-2])
            settled(tab)
            tab.get_by_role("button", name="Previous").click()
            expect(title).to_have_text(titles[-3])
            settled(tab)
            # a presentation clicker sends Page Down and Page Up
            tab.keyboard.press("PageDown")
            expect(title).to_have_text(titles[-2])
            settled(tab)
            tab.keyboard.press("PageDown")
            expect(title).to_have_text(titles[-1])
            settled(tab)
            for back in range(len(titles) - 1):
                tab.keyboard.press("PageUp")
                expect(title).to_have_text(titles[-2 - back])
                settled(tab)
            assert "slide=1" in tab.url
            expect(tab.get_by_role("button", name="Previous")).to_be_disabled()
        finally:
            browser.close()


def _fits(tab, shot: Path) -> None:  # noqa: ANN001
    """Everything on the screen is inside 1280x720: no scrolling on a projector."""
    settled(tab)
    charts = tab.get_by_test_id("stPlotlyChart")
    if charts.count():
        charts.first.locator("svg.main-svg").first.wait_for(state="attached")
    tab.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    nav = tab.get_by_role("button", name="Next").bounding_box()
    assert nav is not None and nav["y"] + nav["height"] <= PROJECTOR["height"], nav
    questions = tab.locator("p.meeting-questions").bounding_box()
    assert questions is not None and questions["y"] + questions["height"] <= nav["y"]
