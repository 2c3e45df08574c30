"""Accounts (admins only): who may sign in, as what, linked to which schools or partnership;
add an account, give someone a new password (which also unlocks it), remove an account.

The same as `python -m impact users`, for when the app holds the store (DuckDB lets one
program open it at a time). Every change is checked by `allowed(actor, MANAGE_USERS)` in
`impact.auth.accounts` and recorded in the audit log.
"""

from __future__ import annotations

import streamlit as st

from app_pages import _common as common
from impact.auth import NotAllowed, accounts
from impact.domain import roles
from impact.reports.text import markdown_text

FLASH = "accounts_flash"

st.title("Accounts", anchor=False)
store, actor = common.store(), common.actor()
flash = st.session_state.pop(FLASH, None)
if flash:
    st.success(markdown_text(flash), icon=":material/check_circle:")

st.dataframe(accounts.listing(store, actor), hide_index=True, key="accounts_table")



def _school_options() -> tuple[list[int], dict[int, str]]:
    """Every school's URN in name order, and each as the list shows it: made once per store
    revision (22,000 schools at national scale)."""
    schools = common.query("school_choices", partnership=None)  # every school
    names = {int(u): str(n) for u, n in zip(schools["urn"].tolist(), schools["name"].tolist(),
                                           strict=True)}
    return (sorted(names, key=lambda u: names[u].lower()),
            {u: f"{n} ({u})" for u, n in names.items()})


school_order, school_labels = common.made_once(("accounts", "schools"), _school_options)
partnerships = common.query("partnerships")["partnership"].tolist()


def _done(message: str) -> None:
    st.session_state[FLASH] = message
    st.rerun()


st.subheader("Add an account", anchor=False)
with st.form("account_add", clear_on_submit=False):
    email = st.text_input("E-mail address", key="account_email")
    name = st.text_input("Name, as the app shows it", key="account_name")
    role = st.selectbox("Role", roles.ROLES, format_func=roles.label, key="account_role")
    urns = st.multiselect("A head's schools", school_order,
                          format_func=school_labels.__getitem__, key="account_schools")
    linked = st.multiselect("A governor's partnership", partnerships, key="account_partnerships")
    password = st.text_input("Password (at least 10 characters; leave empty for Microsoft or "
                             "Google sign-in only)", type="password", key="account_password")
    add = st.form_submit_button("Add the account", type="primary", icon=":material/person_add:")
if add:
    try:
        added = accounts.add(store, actor, email, role, name=name, urns=urns,
                             partnerships=linked, password=password or None)
    except (accounts.AccountError, NotAllowed) as error:
        st.error(markdown_text(error), icon=":material/error:")
    else:
        _done(f"Added {added.email} as {roles.label(added.role)}.")

emails = [a.email for a in accounts.accounts(store)]
st.subheader("Change an account", anchor=False)
chosen = st.selectbox("Account", emails, key="account_chosen")
left, right = st.columns(2)
with left, st.form("account_reset"):
    new = st.text_input("New password (unlocks the account too)", type="password",
                        key="account_new_password")
    reset = st.form_submit_button("Set the new password", icon=":material/key:")
if reset:
    try:
        accounts.reset(store, actor, chosen, new)
    except (accounts.AccountError, NotAllowed) as error:
        st.error(str(error), icon=":material/error:")
    else:
        _done(f"{chosen} has a new password and is unlocked.")
with right:
    sure = st.checkbox(f"Yes, remove {markdown_text(chosen)}", key="account_remove_sure")
    if st.button("Remove the account", disabled=not sure, icon=":material/person_remove:",
                 key="account_remove"):
        try:
            accounts.remove(store, actor, chosen)
        except (accounts.AccountError, NotAllowed) as error:
            st.error(str(error), icon=":material/error:")
        else:
            _done(f"Removed {chosen}.")
