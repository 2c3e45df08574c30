"""Schools: one school's details, its partnerships, and its results over time."""

from __future__ import annotations

import streamlit as st

from app_pages import _common as common
from app_pages import _filters as filters
from impact.charts import trend
from impact.domain import measures as m
from impact.domain.pupil_groups import group_label
from impact.reports import schools as report

common.require_schools()
chosen = filters.current()
details = common.query("school_details", urn=chosen.school)
if details.empty:
    st.title("Schools", anchor=False)
    st.info("Choose a school in the sidebar.", icon=":material/info:")
    st.stop()
name = str(details.iloc[0]["name"])
st.title(name, anchor=False)

left, right = st.columns([1, 2])
with left:
    st.subheader("About the school", anchor=False)
    st.dataframe(report.details_table(details), hide_index=True, key="school_details")
with right:
    st.subheader("Partnerships and cohorts", anchor=False)
    memberships = common.query("school_memberships", urn=chosen.school)
    if memberships.empty:
        st.markdown("This school is in no partnership here: it can be a comparison school.")
    else:
        st.dataframe(report.memberships_table(memberships), hide_index=True,
                     key="school_memberships")

if chosen.measure is not None:
    lines = trend.lines_from_trend(common.trend(
        chosen.measure, group=chosen.group, urn=chosen.school,
        by="year" if m.measure(chosen.measure).statutory else "term",
        comparisons=("national", "local_authority")))
    if not lines or lines[0].role != trend.SUBJECT or lines[0].data["pupils"].isna().all() \
            and lines[0].data["value_note"].isna().all():
        st.info(f"{name} has no figures for this measure ({group_label(chosen.group)}). "
                "Choose another measure in the sidebar.", icon=":material/info:")
    else:
        chart = trend.trend_chart(chosen.measure, lines, subject_phrase=name,
                                  group=chosen.group,
                                  file_name=f"school-{chosen.school}-{chosen.measure}.csv")
        common.show_chart(chart, "school")

st.subheader(f"All results: {group_label(chosen.group).lower()}", anchor=False)
st.caption("Each cell is the figure, with how many pupils it is about in brackets. "
           "c means hidden (5 pupils or fewer); x means not available.")
results = report.attainment_table(
    common.query("school_attainment", urn=chosen.school, pupil_group=chosen.group))
if results.empty:
    st.markdown("No results have been uploaded for this school yet.")
else:
    common.show_table(results, "school_results", f"school-{chosen.school}-results.csv")
