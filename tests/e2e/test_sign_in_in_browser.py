"""Signing in as a person does, in headless Chromium against `streamlit run app.py`:

- the trust's Microsoft 365 / Google Workspace sign-in: Streamlit's own `st.login` (OpenID
  Connect, configured in a secrets.toml) against a real OpenID Connect provider
  (`oidc-provider-mock`) started on 127.0.0.1 in the test; the person it vouches for is matched
  by e-mail to their account and role, someone without an account is told so, and signing out
  goes through the provider's end-session page;
- an e-mail address and password, sign-out, and a governor's deep link to the Upload page.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.browser import (
    BROWSER,
    TIMEOUT_MS,
    browser_page,
    free_port,
    server,
    settled,
    sign_in,
)
from tests.pages.helpers import (
    GOVERNOR_EMAIL,
    HEAD_EMAIL,
    PASSWORD,
    build_store,
)

pytestmark = BROWSER


@pytest.fixture
def provider() -> Iterator[str]:
    """A real OpenID Connect provider on 127.0.0.1 (any client id; people typed in by hand)."""
    import oidc_provider_mock
    import werkzeug.serving

    running = werkzeug.serving.make_server("127.0.0.1", 0, oidc_provider_mock.app(),
                                           threaded=True)
    thread = threading.Thread(target=running.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        yield f"http://127.0.0.1:{running.server_port}"
    finally:
        running.shutdown()
        thread.join(10)
        running.server_close()


@pytest.fixture(autouse=True)
def _patient_expectations():
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    yield
    expect.set_options(timeout=5_000)


def _secrets(folder: Path, app_port: int, issuer: str) -> Path:
    """`.streamlit/secrets.toml` as the README tells a trust to write it."""
    path = folder / "secrets.toml"
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(32)}"\n\n'
        "[auth.microsoft]\n"
        'client_id = "partnership-impact"\n'
        'client_secret = "not-a-real-secret"\n'
        f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n',
        encoding="utf-8")
    return path


def _through_provider(tab, email: str) -> None:
    """On the provider's own page, say who you are and authorise, as a person would."""
    from playwright.sync_api import expect

    expect(tab.get_by_role("heading", name="Authorize Client")).to_be_visible()
    tab.get_by_placeholder("sub").fill(email)
    tab.get_by_role("button", name="Authorize").click()


def test_the_trusts_sign_in_end_to_end(_isolated_store_path: Path, tmp_path: Path, provider):
    from playwright.sync_api import expect, sync_playwright

    from impact.store import Store

    build_store(_isolated_store_path)
    port = free_port()
    settings = _secrets(tmp_path, port, provider)
    with server(_isolated_store_path, tmp_path / "streamlit.log", port=port,
                extra_args=("--secrets.files", str(settings))) as url, \
            sync_playwright() as playwright:
        browser, tab = browser_page(playwright)
        try:
            tab.goto(url)
            settled(tab)
            tab.get_by_role("button", name="Sign in with Microsoft 365").click()
            _through_provider(tab, GOVERNOR_EMAIL)
            tab.wait_for_url(f"{url}/**")
            settled(tab)
            sidebar = tab.get_by_test_id("stSidebar")
            expect(sidebar.get_by_text("Signed in as")).to_contain_text("Gil Governor")
            expect(sidebar.get_by_text("governor")).to_be_visible()
            expect(sidebar.get_by_role("link", name="Overview")).to_be_visible()
            expect(sidebar.get_by_role("link", name="Upload")).to_have_count(0)

            # Signing out ends Streamlit's session and goes through the provider's page.
            sidebar.get_by_role("button", name="Sign out").click()
            expect(tab.get_by_role("heading", name="End Session")).to_be_visible()
            tab.get_by_role("button", name="End session").click()
            tab.wait_for_url(f"{url}/**")
            settled(tab)
            expect(tab.get_by_role("heading", name="Sign in", level=1)).to_be_visible()

            # Someone the provider knows but the store does not: told, not let in.
            tab.get_by_role("button", name="Sign in with Microsoft 365").click()
            _through_provider(tab, "eve@elsewhere.example")
            tab.wait_for_url(f"{url}/**")
            settled(tab)
            expect(tab.get_by_text("there is no account for that address here")).to_be_visible()
            expect(tab.get_by_test_id("stSidebar").get_by_text("Signed in as")).to_have_count(0)
        finally:
            browser.close()
    with Store(_isolated_store_path) as store:
        logged = store.query("SELECT actor_email, event, outcome, via FROM audit_log "
                             "WHERE event LIKE 'sign%' ORDER BY audit_id").values.tolist()
    assert logged == [
        [GOVERNOR_EMAIL, "sign_in", "ok", "oidc:microsoft"],
        [GOVERNOR_EMAIL, "sign_out", "ok", "oidc:microsoft"],
        ["eve@elsewhere.example", "sign_in_failed", "failed", "oidc:microsoft"],
    ]


def test_a_password_sign_in_and_out_and_a_governors_link_to_upload(
        _isolated_store_path: Path, tmp_path: Path):
    from playwright.sync_api import expect, sync_playwright

    from impact.store import Store

    build_store(_isolated_store_path)
    with server(_isolated_store_path, tmp_path / "streamlit.log") as url, \
            sync_playwright() as playwright:
        browser, tab = browser_page(playwright)
        try:
            tab.goto(url)
            settled(tab)
            tab.get_by_label("E-mail address").fill(HEAD_EMAIL)
            tab.get_by_label("Password", exact=True).fill("wrong password")
            tab.get_by_role("button", name="Sign in", exact=True).click()
            expect(tab.get_by_text("do not match an account here")).to_be_visible()

            sign_in(tab, f"{url}/upload", HEAD_EMAIL, PASSWORD)
            expect(tab.get_by_role("heading", name="Upload", level=1)).to_be_visible()
            tab.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
            expect(tab.get_by_text("You are signed out.")).to_be_visible()
            expect(tab.get_by_role("heading", name="Upload", level=1)).to_have_count(0)

            # A governor has no Upload page: the link opens the Overview instead.
            sign_in(tab, f"{url}/upload", GOVERNOR_EMAIL, PASSWORD)
            expect(tab.get_by_role("heading", name="Test Trust", level=1)).to_be_visible()
            expect(tab.get_by_test_id("stFileUploader")).to_have_count(0)

            # Downloading what a page shows is recorded in the audit log.
            with tab.expect_download() as download:
                tab.get_by_role("button", name="Download these numbers (CSV)").first.click()
            downloaded = download.value.suggested_filename
            assert downloaded.endswith(".csv")
            settled(tab)
        finally:
            browser.close()
    with Store(_isolated_store_path) as store:
        logged = store.query("SELECT actor_email, event, outcome, detail FROM audit_log "
                             "WHERE event IN ('sign_in', 'sign_in_failed', 'sign_out', 'export') "
                             "ORDER BY audit_id").values.tolist()
    assert [row[:3] for row in logged] == [
        [HEAD_EMAIL, "sign_in_failed", "failed"], [HEAD_EMAIL, "sign_in", "ok"],
        [HEAD_EMAIL, "sign_out", "ok"], [GOVERNOR_EMAIL, "sign_in", "ok"],
        [GOVERNOR_EMAIL, "export", "ok"]]
    assert logged[-1][3] == f"{downloaded} (as shown on the page)"
