"""Signing in and out in the app: who this browser session is, the sign-in form, sign-out.

A session is signed in when `st.session_state[SESSION]` holds an `impact.auth.sessions.SignedIn`
record, put there only by a checked password (`accounts.sign_in`) or by the trust's Microsoft
365 / Google Workspace sign-in (Streamlit's `st.login`, matched by e-mail address through
`accounts.sign_in_with_provider`). On every run the account is read again from the store, so
its role and links are the store's; a session that has been idle too long, or has lasted too
long, is signed out and recorded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from app_pages import _common as common
from impact.auth import Actor, accounts, audit, oidc
from impact.auth.sessions import SignedIn, lapsed_sentence
from impact.domain import roles
from impact.reports.text import markdown_text

SESSION = "signed_in"
NOTICE = "sign_in_notice"  # (kind, sentence) shown above the sign-in form
_PROVIDER_REFUSED = "sign_in_provider_refused"  # the e-mail a provider sign-in was refused for


def _secrets_auth() -> dict[str, Any]:
    try:
        section = st.secrets.get("auth")
    except FileNotFoundError:
        return {}
    except Exception:  # a secrets file that does not parse: no provider buttons
        return {}
    return dict(section) if section else {}


def providers() -> list[oidc.Provider]:
    """The Microsoft 365 / Google Workspace sign-ins configured in `.streamlit/secrets.toml`."""
    return oidc.providers(_secrets_auth())


def _provider_user() -> dict[str, Any] | None:
    """Who the trust's provider says this is (Streamlit's identity cookie), if anyone."""
    info = st.user.to_dict()
    return info if info.get("is_logged_in") is True else None


def _clear() -> None:
    """Forget everything about this session: the next person at this browser starts afresh
    (no filters, no half-checked upload)."""
    for key in list(st.session_state.keys()):
        del st.session_state[key]


def _from_provider(store: Any, user: dict[str, Any]) -> SignedIn | None:
    email = str(user.get("email") or "")
    if st.session_state.get(_PROVIDER_REFUSED) == accounts.normalise(email):
        return None  # refused already this session: said so, recorded once
    name = oidc.provider_of(user, providers())
    result = accounts.sign_in_with_provider(store, email, name, user)
    if not result.ok:
        st.session_state[_PROVIDER_REFUSED] = accounts.normalise(email)
        st.session_state[NOTICE] = ("warning", result.message)
        return None
    issued = user.get("iat")
    started = dt.datetime.fromtimestamp(float(issued)) if isinstance(issued, int | float) \
        else None
    return SignedIn.begin(result.actor.email, result.actor.via, started=started)


def current_actor() -> Actor | None:
    """Who is signed in to this browser session (from the store, every run), or None.

    Draws nothing; leaves a notice for the sign-in form when it signs someone out.
    """
    store = common.store()
    now = dt.datetime.now()
    record: SignedIn | None = st.session_state.get(SESSION)
    provider_user = _provider_user()
    if record is not None and record.via.startswith("oidc") and (
            provider_user is None
            or accounts.normalise(str(provider_user.get("email") or "")) != record.email):
        _clear()  # signed out of the provider (or as someone else) in another tab
        return None
    if record is None and provider_user is not None:
        record = _from_provider(store, provider_user)
    if record is None:
        return None
    found = accounts.account(store, record.email)
    why = record.lapsed(now)
    if why or found is None:
        audit.write(store, found.actor(record.via) if found else None,
                    audit.SESSION_EXPIRED if why else audit.SIGN_OUT, email=record.email,
                    via=record.via, detail=why or "the account was removed")
        _clear()
        st.session_state[NOTICE] = ("info", lapsed_sentence(why) if why else
                                    "Your account is no longer here, so you were signed out. "
                                    "Ask the trust's data manager.")
        if record.via.startswith("oidc"):
            st.logout()
        return None
    st.session_state[SESSION] = record.touched(now)
    actor = found.actor(record.via)
    st.session_state[common.ACTOR_KEY] = actor
    return actor


def sign_out(actor: Actor) -> None:
    """End this session (and, for a Microsoft or Google sign-in, Streamlit's cookie)."""
    record: SignedIn | None = st.session_state.get(SESSION)
    audit.write(common.store(), actor, audit.SIGN_OUT)
    _clear()
    st.session_state[NOTICE] = ("success", "You are signed out.")
    if record is not None and record.via.startswith("oidc"):
        st.logout()
    else:
        st.rerun()


def sidebar(actor: Actor, *, below_filters: bool) -> None:
    """Who is signed in, and the way out (set off from the filters above it, if any)."""
    if below_filters:
        st.sidebar.divider()
    st.sidebar.caption(f"Signed in as **{markdown_text(actor.name)}**, "
                       f"{roles.label(actor.role)}")
    if st.sidebar.button("Sign out", icon=":material/logout:", key="sign_out"):
        sign_out(actor)


def _demo_accounts_table(store: Any) -> pd.DataFrame:
    from impact import demo

    rows = []
    for person in demo.DEMO_ACCOUNTS:
        found = accounts.account(store, person.email)
        if found is None or not accounts.password_matches(found, person.password):
            continue
        rows.append({"E-mail": person.email, "Password": person.password,
                     "Role": roles.label(person.role), "What they can do": person.about})
    return pd.DataFrame(rows, columns=["E-mail", "Password", "Role", "What they can do"])


def sign_in_form() -> None:
    """The sign-in page: e-mail and password, the trust's Microsoft / Google buttons, and on the
    demo store only, the demo accounts."""
    store = common.store()
    st.title("Sign in", anchor=False)
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        getattr(st, notice[0])(markdown_text(notice[1]))
        if st.session_state.get(_PROVIDER_REFUSED) and _provider_user() is not None:
            # Keep the refusal on screen while the provider's cookie is still there.
            st.session_state[NOTICE] = notice
            if st.button("Sign out of your organisation's account", key="provider_sign_out"):
                _clear()
                st.logout()
    if not accounts.has_accounts(store):
        st.info("This data store has no accounts yet. On the computer that runs the app, stop "
                "it, add the first admin with `.venv/bin/python -m impact users add "
                "you@your-trust.org.uk --role admin`, and start it again.",
                icon=":material/person_add:")
        return
    configured = providers()
    if configured:
        for provider in configured:
            if st.button(f"Sign in with {provider.label}", key=f"sign_in_{provider.name}",
                         icon=":material/login:", type="primary"):
                st.login(provider.name)
        st.markdown("Or with an e-mail address and password:")
    with st.form("sign_in", enter_to_submit=True):
        email = st.text_input("E-mail address", key="sign_in_email", autocomplete="email")
        password = st.text_input("Password", type="password", key="sign_in_password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary", icon=":material/login:")
    if submitted:
        with st.spinner("Checking…"):
            result = accounts.sign_in(store, email, password)
        if result.ok:
            _clear()
            st.session_state[SESSION] = SignedIn.begin(result.actor.email, result.actor.via)
            st.rerun()
        st.error(result.message, icon=":material/error:")
    if common.is_demo():
        st.subheader("Demo accounts", anchor=False)
        st.markdown("This is the demo store, with fictional schools. Sign in as any of these "
                    "to see what each role sees and may do:")
        st.dataframe(_demo_accounts_table(store), hide_index=True, key="demo_accounts")
