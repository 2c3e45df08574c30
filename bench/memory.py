"""Peak memory of the Streamlit server at national scale, with every page opened in a browser.

Starts `streamlit run app.py` against the given store, opens each page in headless Chromium
(waiting until the script has finished; a page the menu folds away is reached through its
"View more", and Meeting mode, which hides the menu, is left out), and reads the server process's peak resident set
size (VmHWM in /proc/PID/status). Also reports how long each page took in the browser, from
navigation to the script finishing.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from bench.pages import app_pages

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# Meeting mode hides the sidebar (its own CSS): no page could be opened from the menu after it.
LEFT_OUT = {"app_pages/meeting.py"}


def _menu_link(tab, title: str):  # noqa: ANN001, ANN202 - playwright's Page and Locator
    """The sidebar's link to a page, unfolding the menu ("View 2 more") when the page is
    among those it folds away."""
    sidebar = tab.get_by_test_id("stSidebar")
    link = sidebar.get_by_role("link", name=title, exact=True)
    if link.count() == 0 or not link.first.is_visible():
        more = sidebar.get_by_test_id("stSidebarNavViewButton")
        if more.count() and "more" in more.inner_text():
            more.click()
        link.wait_for(state="visible")
    return link


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_memory(db: Path, rounds: int = 2) -> dict[str, object]:
    """Peak RSS (MB) of the server after opening every page `rounds` times, and page times."""
    from playwright.sync_api import sync_playwright

    from bench.pages import BENCH_PASSWORD, bench_admin, page_titles

    email = bench_admin(db)
    if email != "bench@bench.example":
        raise RuntimeError("server_memory signs in as the bench account: use a bench store")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, "IMPACT_DB": str(db)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("streamlit did not start") from None
                time.sleep(0.3)
        idle_mb = _status_kb(server.pid, "VmRSS") / 1024
        timings: dict[str, list[float]] = {}
        resident: dict[str, int] = {}
        # the most the server held while each page was being opened (sampled every 0.1 s): a
        # peak is often a moment (a page and the background threads at once), not what stays
        visiting = ["sign-in"]
        most: dict[str, int] = {}
        sampling = threading.Event()

        def sample() -> None:
            while not sampling.is_set():
                try:
                    held = round(_status_kb(server.pid, "VmRSS") / 1024)
                except (OSError, KeyError):
                    return
                most[visiting[0]] = max(most.get(visiting[0], 0), held)
                sampling.wait(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            tab = browser.new_page(viewport={"width": 1400, "height": 1000})
            tab.set_default_timeout(180_000)
            # Sign in once; then each page is opened from the menu, in the same session (a new
            # page load is a new session and would ask to sign in again).
            tab.goto(url)
            tab.wait_for_selector(IDLE)
            tab.get_by_label("E-mail address").fill(email)
            tab.get_by_label("Password", exact=True).fill(BENCH_PASSWORD)
            tab.get_by_role("button", name="Sign in", exact=True).click()
            tab.get_by_test_id("stSidebar").get_by_text("Signed in as").wait_for()
            tab.wait_for_selector(IDLE)
            titles = page_titles()
            for _ in range(rounds):
                for page in app_pages():
                    if page in LEFT_OUT:
                        continue
                    slug = Path(page).stem
                    link = _menu_link(tab, titles[page])
                    visiting[0] = slug
                    started = time.perf_counter()
                    link.click()
                    tab.wait_for_url(re.compile(rf"/{'' if slug == 'overview' else slug}"
                                                r"(\?|$)"))
                    tab.wait_for_selector(IDLE)
                    timings.setdefault(slug, []).append(time.perf_counter() - started)
                    # what the server holds after each page, the first time round: which page
                    # the peak comes from
                    resident.setdefault(slug, round(_status_kb(server.pid, "VmRSS") / 1024))
            browser.close()
        sampling.set()
        sampler.join(5)
        return {"idle_mb": idle_mb, "peak_mb": _status_kb(server.pid, "VmHWM") / 1024,
                "resident_mb_after": resident, "most_mb_while_opening": most,
                # first visit (the server works everything out; the first page also pays for
                # the server's first script run) and the quickest later one (cached)
                "browser_seconds": {k: v[0] for k, v in timings.items()},
                "browser_seconds_again": {k: min(v[1:]) for k, v in timings.items()
                                          if len(v) > 1}}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


if __name__ == "__main__":
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    print(json.dumps(server_memory(Path(args.db)), indent=2))
