"""The partnership impact dashboard: navigation, who is acting, and the shared sidebar.

Run with `make run` (or `streamlit run app.py`). Each page is a file in `app_pages/`; this script
opens the store once per server process, says plainly if another program holds it, and draws
the sidebar every page shares: who is acting, the demo-data label and the filters the current
page uses (kept in the URL, so a shared link opens the same view).

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
from impact.reports.text import markdown_text

st.set_page_config(page_title="Partnership impact", page_icon=":material/diversity_3:",
                   layout="wide")

F = filters
PAGES: list[tuple[st.Page, tuple[str, ...]]] = [
    (st.Page("app_pages/overview.py", title="Overview", icon=":material/show_chart:",
             default=True), (F.PARTNERSHIP, F.COHORT, F.MEASURE, F.GROUP, F.YEARS)),
    (st.Page("app_pages/cohorts.py", title="Cohorts", icon=":material/groups:"),
     (F.PARTNERSHIP, F.COHORT, F.MEASURE, F.GROUP, F.COMPARISON)),
    (st.Page("app_pages/schools.py", title="Schools", icon=":material/school:"),
     (F.PARTNERSHIP, F.SCHOOL, F.MEASURE, F.GROUP, F.YEARS)),
    (st.Page("app_pages/ofsted.py", title="Ofsted", icon=":material/fact_check:"),
     (F.PARTNERSHIP, F.COHORT)),
    (st.Page("app_pages/cpd.py", title="CPD", icon=":material/co_present:"),
     (F.PARTNERSHIP, F.COHORT, F.MEASURE, F.YEARS)),
    (st.Page("app_pages/returns.py", title="Returns", icon=":material/mark_email_unread:"),
     (F.PARTNERSHIP, F.COHORT)),
    (st.Page("app_pages/upload.py", title="Upload", icon=":material/upload_file:"), ()),
    (st.Page("app_pages/setup.py", title="Set up", icon=":material/tune:"), ()),
    (st.Page("app_pages/data.py", title="Data", icon=":material/database:"), ()),
]

page = st.navigation([p for p, _ in PAGES])
st.markdown(common.STYLE, unsafe_allow_html=True)
common.open_store_or_stop()

actor = common.actor()
if common.is_demo():
    st.badge("Demo data — fictional schools", icon=":material/science:", color="orange")
st.sidebar.caption(f"Acting as **{markdown_text(actor.name)}** "
                   f"({actor.role.replace('_', ' ')})")
if common.school_count() > 0:
    filters.sidebar(next(wanted for p, wanted in PAGES if p.title == page.title))

page.run()
