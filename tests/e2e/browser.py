"""What every browser test needs: Chromium, a freshly started `streamlit run app.py` on a free
port against a given store (always stopped afterwards), and a page in headless Chromium."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pages.helpers import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
TIMEOUT_MS = 60_000

# Every browser test module sets `pytestmark = BROWSER`.
BROWSER = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="browser tests need Chromium at /usr/bin/chromium "
                              "(apt-get install -y chromium)"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server(store: Path, log_path: Path, *, port: int | None = None,
           extra_args: tuple[str, ...] = (), address: str | None = "127.0.0.1",
           env: dict[str, str] | None = None) -> Iterator[str]:
    """`streamlit run app.py` on a free port against `store`; always stopped afterwards, with
    its whole process group. `address=None` leaves the listen address to the project's
    `.streamlit/config.toml`."""
    port = port or free_port()
    log = log_path.open("w")
    where = ["--server.address", address] if address else []
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), *where, "--browser.gatherUsageStats", "false",
         *extra_args],
        cwd=ROOT, env={**os.environ, "IMPACT_DB": str(store), **(env or {})},
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
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("streamlit did not start:\n" + log_path.read_text()[-3000:])
            time.sleep(0.2)
        yield url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(15)
        log.close()




PENDING = "Still working out the impact estimate"


def settled(tab) -> None:  # noqa: ANN001
    """Wait until the app's script has finished running and every impact estimate the page
    was still working out has filled in (as a person waits for it). The short pause first lets
    a rerun the last click asked for begin, so its start is not mistaken for the end."""
    tab.wait_for_timeout(200)
    tab.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
    tab.wait_for_function(f"() => !document.body.innerText.includes({PENDING!r})",
                          timeout=TIMEOUT_MS)
    tab.wait_for_selector(IDLE, timeout=TIMEOUT_MS)


def sign_in(tab, url: str, email: str, password: str) -> None:  # noqa: ANN001
    """Open `url`, and sign in with the form if it asks (each new page load is a new session
    and asks again), as a person would; wait until the page has run."""
    from playwright.sync_api import expect

    tab.goto(url)
    settled(tab)
    tab.get_by_label("E-mail address").fill(email)
    tab.get_by_label("Password", exact=True).fill(password)
    tab.get_by_role("button", name="Sign in", exact=True).click()
    expect(tab.get_by_test_id("stSidebar").get_by_text("Signed in as")).to_be_visible()
    settled(tab)


def browser_page(playwright):
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    tab = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    tab.set_default_timeout(TIMEOUT_MS)
    return browser, tab
