"""Cohorts: the partnership's cohorts, what each works on, and which schools joined when."""

from __future__ import annotations

import streamlit as st

from app_pages import _common as common
from app_pages import _filters as filters
from impact.reports import cohorts as report

st.title("Cohorts", anchor=False)
common.require_schools()
chosen = filters.current()
cohorts = common.query("cohorts", partnership=chosen.partnership)
if cohorts.empty:
    st.info("No partnership or cohort is set up yet. Add them with the schools template on the "
            "Upload page: one row per school per cohort, with the date it joined.",
            icon=":material/info:")
    st.page_link(common.UPLOAD_PAGE, label="Go to the Upload page", icon=":material/upload:")
    st.stop()

members = common.query("cohort_members", partnership=chosen.partnership, cohort=None)
summary = report.partnership_summary(cohorts, members, chosen.partnership)
st.subheader(summary.headline, anchor=False)
st.markdown(summary.sentence)

left, middle, right = st.columns(3)
left.metric("Cohorts", summary.cohorts)
middle.metric("Schools in them now", summary.schools_now)
right.metric("Schools ever in them", summary.schools_ever)

st.subheader("The cohorts", anchor=False)
common.show_table(report.cohorts_table(cohorts), "cohorts", "cohorts.csv")

for number, (title, table) in enumerate(report.members_tables(members)):
    st.subheader(title, anchor=False)
    common.show_table(table, f"members_{number}", f"cohort-{number + 1}-schools.csv")
