"""Returns: which schools have not sent the return that is due, who to write to, and a
reminder ready to copy (or to open in an email program).

The term checked is the latest that has ended, and the page says so in a sentence
(`impact.reports.returns`).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app_pages import _common as common
from app_pages import _filters as filters
from impact.domain import measures as m
from impact.reports import returns as report
from impact.reports.text import markdown_text

st.title("Returns", anchor=False)
common.require_schools()
chosen = filters.current()
if chosen.partnership is None:
    st.info("Choose a partnership in the sidebar to see whose return is missing.",
            icon=":material/info:")
    st.stop()

today = dt.date.today()
members = common.query("member_schools", **chosen.where())
termly = [x.code for x in m.MEASURES if not x.statutory]
urns = [int(u) for u in members["urn"]] if not members.empty else []
check = report.returns_check(members, common.query("returns_by_term", termly=termly, urns=urns),
                             today)
st.subheader(markdown_text(check.headline), anchor=False)
common.plain(check.why)
if not check.schools:
    st.stop()

common.show_table(check.missing, "returns_missing",
                  f"missing-returns-{check.term.lower()}-"
                  f"{check.academic_year.replace('/', '-')}.csv")
no_contact = [s for s in check.schools if not s.contact_email]
if no_contact:
    st.caption(f"{len(no_contact)} of these schools have no contact email set up: add one on "
               "the Set up page (School contacts) or in the schools template.")
    st.page_link(common.SETUP_PAGE, label="Set up school contacts", icon=":material/contacts:")

st.divider()
st.subheader("Reminders ready to copy", anchor=False)
common.plain("Each reminder names the school, the term and the latest return we have. Copy it "
             "with the button at its top right, or open it in your email program.")
sender = st.text_input("Sign the reminders as", value=common.actor().name,
                       key="returns_sender").strip()
every = report.addresses(check)
if every:
    st.markdown("**Every missing school's contact** (for one email to them all)")
    st.code(every, language=None, wrap_lines=True)
schools = {s.urn: s for s in check.schools}
picked = st.selectbox("Which school's reminder", list(schools),
                      format_func=lambda u: f"{schools[u].school} ({u})",
                      key="returns_school")
note = report.reminder(schools[picked], check, chosen.partnership, sender or None)
st.code(note.text, language=None, wrap_lines=True)
if note.mailto:
    st.link_button("Open it in your email program", note.mailto, icon=":material/mail:")
else:
    st.caption("There is no contact email for this school yet, so the reminder has no "
               "address: add one on the Set up page.")
