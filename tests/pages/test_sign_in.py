"""Signing in and out of the real app under AppTest: nothing shows before sign-in, a password
signs in (and a shared link's page opens after it), failures are slowed, recorded and lock the
account, idle sessions expire, sign-out ends the session, the demo store lists its accounts,
and the trust's Microsoft/Google sign-in (Streamlit's st.user) is matched by e-mail.
(The same OpenID Connect sign-in end to end in Chromium: tests/e2e/test_sign_in_in_browser.py.)
"""

from __future__ import annotations

import time

import pytest

from impact.auth import DEMO_ADMIN, accounts
from tests.pages.helpers import (
    ADMIN_EMAIL,
    GOVERNOR_EMAIL,
    HEAD_EMAIL,
    PASSWORD,
    open_app,
    sign_in,
    signed_in_caption,
    texts,
)

SCHOOLS = "app_pages/schools.py"


def _audit(app_store, event):
    with app_store.open() as store:
        return store.query("SELECT actor_email, outcome, detail, via FROM audit_log "
                           "WHERE event = ? ORDER BY audit_id", [event])


def _on_sign_in_page(at) -> bool:
    return bool(at.title) and at.title[0].value == "Sign in" and \
        bool(at.text_input(key="sign_in_password"))


@pytest.mark.parametrize("page", [None, "app_pages/cohorts.py", SCHOOLS, "app_pages/upload.py",
                                  "app_pages/data.py", "app_pages/audit.py"])
def test_nothing_shows_before_signing_in(app_store, page):
    at = open_app(page, user=None)
    assert _on_sign_in_page(at)
    assert not at.get("plotly_chart") and not at.dataframe and not at.file_uploader
    assert not [s for s in at.selectbox if (s.key or "").startswith("filter_")]
    assert not signed_in_caption(at)


def test_a_password_signs_in_and_a_shared_link_opens_after_it(app_store):
    at = open_app(SCHOOLS, query={"school": "100001"}, user=None)
    assert _on_sign_in_page(at)
    sign_in(at, "Head@Test.example", PASSWORD)
    assert not _on_sign_in_page(at)
    assert at.title[0].value == "School 100001"
    assert "Signed in as **Hal Head**, head" in signed_in_caption(at)
    assert _audit(app_store, "sign_in").values.tolist() == [
        [HEAD_EMAIL, "ok", "password", "password"]]


def test_a_wrong_password_is_refused_slowed_and_recorded(app_store, monkeypatch):
    monkeypatch.setenv("IMPACT_FAILED_SIGN_IN_DELAY", "0.4")
    at = open_app(user=None)
    timings = []
    for _ in range(2):
        started = time.monotonic()
        sign_in(at, ADMIN_EMAIL, "not the password")
        timings.append(time.monotonic() - started)
        assert _on_sign_in_page(at)
        assert texts(at.error) == [accounts.WRONG]
    assert timings[0] >= 0.4 and timings[1] >= 0.8, timings  # longer each time
    failures = _audit(app_store, "sign_in_failed")
    assert failures["actor_email"].tolist() == [ADMIN_EMAIL, ADMIN_EMAIL]
    assert failures["detail"].tolist() == ["wrong password (1 in a row)",
                                           "wrong password (2 in a row)"]


def test_repeated_failures_lock_the_account_even_against_the_right_password(app_store,
                                                                            monkeypatch):
    monkeypatch.setenv("IMPACT_FAILED_SIGN_IN_DELAY", "0")
    monkeypatch.setenv("IMPACT_LOCK_AFTER", "3")
    at = open_app(user=None)
    for _ in range(3):
        sign_in(at, HEAD_EMAIL, "guessing")
    assert "this account is locked until" in texts(at.error)[0]
    sign_in(at, HEAD_EMAIL, PASSWORD)
    assert _on_sign_in_page(at) and "locked" in texts(at.error)[0]
    # Another account is not affected, and an admin's reset unlocks it.
    with app_store.open() as store:
        accounts.reset(store, DEMO_ADMIN, HEAD_EMAIL, "a new password")
    sign_in(at, HEAD_EMAIL, "a new password")
    assert "Hal Head" in signed_in_caption(at)


def test_an_idle_session_expires_and_says_why(app_store, monkeypatch):
    monkeypatch.setenv("IMPACT_IDLE_MINUTES", "0.02")  # 1.2 seconds
    at = open_app(user=None)
    sign_in(at, ADMIN_EMAIL, PASSWORD)
    assert "Ada Admin" in signed_in_caption(at)
    at.run()  # activity keeps it alive
    assert not _on_sign_in_page(at)
    time.sleep(1.5)
    at.run()
    assert _on_sign_in_page(at)
    assert any("signed out after 0.02 minutes without activity" in t for t in texts(at.info))
    assert _audit(app_store, "session_expired")["detail"].tolist() == ["idle"]
    assert not at.get("plotly_chart")


def test_sign_out_ends_the_session(app_store):
    at = open_app(query={"measure": "ks2_read_score"})
    assert at.get("plotly_chart")
    at.button(key="sign_out").click().run()
    assert _on_sign_in_page(at)
    assert texts(at.success) == ["You are signed out."]
    assert "signed_in" not in at.session_state and "filters" not in at.session_state
    assert _audit(app_store, "sign_out")["actor_email"].tolist() == [ADMIN_EMAIL]
    at.run()
    assert _on_sign_in_page(at), "still signed out on the next run"


def test_a_removed_account_is_signed_out_at_once(app_store):
    at = open_app(user="head")
    with app_store.open() as store:
        accounts.remove(store, DEMO_ADMIN, HEAD_EMAIL)
    at.run()
    assert _on_sign_in_page(at)
    assert any("no longer here" in t for t in texts(at.info))


def test_a_role_changed_in_the_store_takes_effect_on_the_next_run(app_store):
    at = open_app("app_pages/upload.py", user="head")
    assert at.title[0].value == "Upload"
    with app_store.open() as store:
        accounts.remove(store, DEMO_ADMIN, HEAD_EMAIL)
        accounts.add(store, DEMO_ADMIN, HEAD_EMAIL, "governor", name="Hal Head",
                     partnerships=["Test Trust"], password=PASSWORD)
    at.session_state["signed_in"] = at.session_state["signed_in"]  # the same session
    at.run()
    assert "governor" in signed_in_caption(at)
    assert at.title[0].value != "Upload", "a governor has no Upload page"


def test_a_store_without_accounts_says_how_to_add_the_first_admin(_isolated_store_path):
    from impact.store import Store

    Store(_isolated_store_path).close()
    at = open_app(user=None)
    assert any("python -m impact users add" in t and "--role admin" in t
               for t in texts(at.info))
    assert not at.text_input


def test_the_demo_store_shows_its_accounts(demo_app):
    from impact import demo

    at = open_app(user=None)
    assert "Demo accounts" in texts(at.subheader)
    table = at.dataframe[0].value
    assert table["E-mail"].tolist() == [a.email for a in demo.DEMO_ACCOUNTS]
    assert table["Password"].tolist() == [a.password for a in demo.DEMO_ACCOUNTS]
    head = demo.DEMO_ACCOUNTS[1]
    sign_in(at, head.email, head.password)
    assert f"Signed in as **{head.name}**, head" in signed_in_caption(at)


def test_a_real_store_lists_no_accounts_on_its_sign_in_page(app_store):
    at = open_app(user=None)
    assert _on_sign_in_page(at)
    assert "Demo accounts" not in texts(at.subheader)
    assert not at.dataframe


# --- the trust's Microsoft 365 / Google Workspace sign-in (st.login, st.user) ---------------

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
        "microsoft": {"client_id": "id", "client_secret": "secret",
                      "server_metadata_url": "https://login.microsoftonline.com/TENANT/v2.0/"
                                             ".well-known/openid-configuration"}}


def _with_provider(user: dict | None):
    from streamlit.testing.v1 import AppTest

    from tests.pages.helpers import APP

    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = user if user is not None else {"is_logged_in": False}
    return at.run()


def test_the_sign_in_page_offers_the_trusts_provider(app_store):
    at = _with_provider(None)
    assert _on_sign_in_page(at)
    assert at.button(key="sign_in_microsoft").label == "Sign in with Microsoft 365"


def test_someone_the_provider_vouches_for_is_matched_to_their_account(app_store):
    at = _with_provider({"is_logged_in": True, "email": "Governor@test.example",
                         "iss": "https://login.microsoftonline.com/TENANT/v2.0"})
    assert "Signed in as **Gil Governor**, governor" in signed_in_caption(at)
    assert _audit(app_store, "sign_in").values.tolist() == [
        [GOVERNOR_EMAIL, "ok", "microsoft", "oidc:microsoft"]]


def test_someone_with_no_account_here_is_told_and_recorded_once(app_store):
    at = _with_provider({"is_logged_in": True, "email": "eve@elsewhere.example"})
    assert _on_sign_in_page(at)
    assert any("no account for that address here" in t for t in texts(at.warning))
    at.run()
    assert any("no account for that address here" in t for t in texts(at.warning))
    assert at.button(key="provider_sign_out")
    assert _audit(app_store, "sign_in_failed")["actor_email"].tolist() == [
        "eve@elsewhere.example"]
