"""The partnership impact dashboard: sign-in, navigation, and the shared sidebar.

Run with `make run` (or `streamlit run app.py`). Each page is a file in `app_pages/`; this script
opens the store once per server process, says plainly if another program holds it, asks who is
there (`_signin`: an account in the store, by password or the trust's Microsoft / Google
sign-in) and shows only the pages that person may use (`impact.auth.rights.allowed`), then draws
the sidebar every page shares: who is signed in, the demo-data label and the filters the current
page uses (kept in the URL, so a shared link opens the same view, after signing in).

The page folder is `app_pages/`, not `pages/`: Streamlit still treats a folder called `pages/`
as the legacy multipage mechanism until some session has called `st.navigation`, so on a
freshly started server a shared link such as /schools ran the page file on its own (no
sidebar, no filters, a navigation menu listing helper modules), and AppTest's `switch_page`
did the same.
"""

from __future__ import annotations

import streamlit as st

from app_pages import _common as common
from app_pages import _filters as filters
from app_pages import _signin as signin
from impact.auth.rights import MANAGE_USERS, READ_AUDIT, SET_UP, UPLOAD, VIEW_ALL
from impact.reports.text import markdown_text

st.set_page_config(page_title="Partnership impact", page_icon=":material/diversity_3:",
                   layout="wide")

F = filters
# Each page, the filters it uses, and the action it needs (None: anyone signed in).
PAGES: list[tuple[st.Page, tuple[str, ...], str | None]] = [
    (st.Page("app_pages/overview.py", title="Overview", icon=":material/show_chart:",
             default=True), (F.PARTNERSHIP, F.COHORT, F.MEASURE, F.GROUP, F.COMPARISON,
                             F.YEARS), None),
    (st.Page("app_pages/cohorts.py", title="Cohorts", icon=":material/groups:"),
     (F.PARTNERSHIP, F.COHORT, F.MEASURE, F.GROUP, F.COMPARISON), None),
    (st.Page("app_pages/schools.py", title="Schools", icon=":material/school:"),
     (F.PARTNERSHIP, F.SCHOOL, F.MEASURE, F.GROUP, F.YEARS), None),
    (st.Page("app_pages/ofsted.py", title="Ofsted", icon=":material/fact_check:"),
     (F.PARTNERSHIP, F.COHORT), None),
    (st.Page("app_pages/cpd.py", title="CPD", icon=":material/co_present:"),
     (F.PARTNERSHIP, F.COHORT, F.MEASURE, F.YEARS), None),
    (st.Page("app_pages/meeting.py", title="Meeting mode", icon=":material/slideshow:"),
     (F.PARTNERSHIP, F.COHORT, F.MEASURE), None),  # its own CSS hides the sidebar
    (st.Page("app_pages/returns.py", title="Returns", icon=":material/mark_email_unread:"),
     (F.PARTNERSHIP, F.COHORT), SET_UP),  # chasing returns is the data manager's work
    (st.Page("app_pages/upload.py", title="Upload", icon=":material/upload_file:"), (), UPLOAD),
    (st.Page("app_pages/setup.py", title="Set up", icon=":material/tune:"), (), SET_UP),
    (st.Page("app_pages/data.py", title="Data", icon=":material/database:"), (), None),
    (st.Page("app_pages/accounts.py", title="Accounts", icon=":material/manage_accounts:"), (),
     MANAGE_USERS),
    (st.Page("app_pages/audit.py", title="Audit log", icon=":material/policy:"), (),
     READ_AUDIT),
]

st.markdown(common.STYLE, unsafe_allow_html=True)
common.open_store_or_stop()
# The impact estimates the pages show by default are made in the background once per store
# revision: here when the server first opens the store, and after the page below when it has
# changed the store (an upload, an undo), so the next visitor finds them made.
common.warm_estimates()

actor = signin.current_actor()
if actor is None:
    # Every page is registered (hidden) so a shared link keeps its page and filters through
    # sign-in; none of them runs until someone has signed in.
    st.navigation([p for p, _, _ in PAGES], position="hidden")
    if common.is_demo():
        st.badge("Demo data — fictional schools", icon=":material/science:", color="orange")
    signin.sign_in_form()
    st.stop()

shown = [(p, wanted) for p, wanted, needs in PAGES if needs is None or common.may(needs)]
page = st.navigation([p for p, _ in shown])
if common.is_demo():
    st.badge("Demo data — fictional schools", icon=":material/science:", color="orange")
wanted = next(wanted for p, wanted in shown if p.title == page.title)
chosen = filters.sidebar(wanted) if common.school_count() > 0 else None
signin.sidebar(actor, below_filters=bool(wanted) and chosen is not None)  # filters stay on top
if chosen is not None and F.PARTNERSHIP in wanted and chosen.partnership is None \
        and not common.may(VIEW_ALL):
    st.info(f"{markdown_text(actor.name)}'s account is linked to no partnership here, so there "
            "is nothing to show on this page yet. Ask the trust's data manager.",
            icon=":material/info:")
    st.stop()

try:
    page.run()
finally:
    common.warm_estimates()
