"""Overview: how the partnership's results have moved over the years, against England."""

from __future__ import annotations

import streamlit as st

from app_pages import _common as common
from app_pages import _filters as filters
from impact.analysis import suppression
from impact.auth import GOVERNOR
from impact.charts import trend, wording
from impact.domain.pupil_groups import group_label

st.title("Overview", anchor=False)
common.require_schools()
chosen = filters.current()
if chosen.measure is None:
    st.info("There are no results yet. Upload an attainment file on the Upload page to see "
            "how results change over the years.", icon=":material/info:")
    st.page_link(common.UPLOAD_PAGE, label="Go to the Upload page", icon=":material/upload:")
    st.stop()

where = chosen.where()
subject_name = chosen.cohort or chosen.partnership or "All schools"
place = (f"{chosen.cohort} ({chosen.partnership})" if chosen.cohort else chosen.partnership)
schools = int(common.query("partnership_schools_count", **where).iloc[0]["schools"])
subject = common.query("partnership_trend", **where, measure=chosen.measure,
                       pupil_group=chosen.group)
if not suppression.group_analysis_allowed(chosen.group, subject["pupils"].tolist(),
                                          governor_view=common.actor().role == GOVERNOR):
    st.info(f"{group_label(chosen.group)}: some years are about fewer than "
            f"{suppression.GOVERNOR_MIN_GROUP} pupils, too few to show here. Choose All pupils "
            "in the sidebar.", icon=":material/info:")
    st.stop()
benchmarks = common.query("benchmark_trend", measure=chosen.measure, pupil_group=chosen.group)
authorities = common.query("partnership_local_authorities", **where)

chart = trend.trend_chart(
    chosen.measure,
    [trend.subject_line(subject, subject_name),
     *trend.comparison_lines(benchmarks, authorities)],
    subject_phrase=wording.schools_phrase(schools, place),
    group=chosen.group, weighted=schools > 1,
    file_name=f"overview-{chosen.measure}-{chosen.group}.csv")
common.show_chart(chart, "overview")
