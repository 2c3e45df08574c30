"""Overview: how the partnership's results have moved over the years, against England."""

from __future__ import annotations

import streamlit as st

from app_pages import _common as common
from app_pages import _filters as filters
from impact.analysis import suppression
from impact.auth import GOVERNOR
from impact.charts import trend, wording
from impact.domain import measures as m
from impact.domain.pupil_groups import group_label

st.title("Overview", anchor=False)
common.require_schools()
chosen = filters.current()
if chosen.measure is None:
    st.info("There are no results yet. Upload an attainment file on the Upload page to see "
            "how results change over the years.", icon=":material/info:")
    st.page_link(common.UPLOAD_PAGE, label="Go to the Upload page", icon=":material/upload:")
    st.stop()
if chosen.partnership is None:
    st.info("Choose a partnership in the sidebar to see how its schools' results have changed. "
            "If there is none yet, set one up with the schools template on the Upload page.",
            icon=":material/info:")
    st.stop()

lines = trend.lines_from_trend(common.trend(
    chosen.measure, group=chosen.group, partnership=chosen.partnership, cohort=chosen.cohort,
    by="year" if m.measure(chosen.measure).statutory else "term",
    comparisons=("national", "local_authority")))
subject = lines[0] if lines and lines[0].role == trend.SUBJECT else None
if subject is None or subject.data["pupils"].isna().all():
    st.info(f"The schools here have no {m.measure(chosen.measure).short} figures for "
            f"{group_label(chosen.group).lower()} yet. Choose another measure in the sidebar.",
            icon=":material/info:")
    st.stop()
if not suppression.group_analysis_allowed(chosen.group, subject.data["pupils"].tolist(),
                                          governor_view=common.actor().role == GOVERNOR):
    st.info(f"{group_label(chosen.group)}: some years are about fewer than "
            f"{suppression.GOVERNOR_MIN_GROUP} pupils, too few to show here. Choose All pupils "
            "in the sidebar.", icon=":material/info:")
    st.stop()

where = chosen.where()
schools = int(common.query("partnership_schools_count", **where).iloc[0]["schools"])
place = f"{chosen.cohort} ({chosen.partnership})" if chosen.cohort else chosen.partnership
chart = trend.trend_chart(chosen.measure, lines,
                          subject_phrase=wording.schools_phrase(schools, place),
                          group=chosen.group, weighted=schools > 1,
                          file_name=f"overview-{chosen.measure}-{chosen.group}.csv")
common.show_chart(chart, "overview")
