"""CPD: where staff time went, this year against last, and every term's activity."""

from __future__ import annotations

import streamlit as st

from app_pages import _common as common
from app_pages import _filters as filters
from impact.charts import bars, wording
from impact.reports import cpd as report

st.title("CPD and working together", anchor=False)
common.require_schools()
chosen = filters.current()
records = common.query("cpd_by_term_activity", **chosen.where())
if records.empty:
    st.info("No CPD records are stored for these schools yet. Upload them with the CPD "
            "template on the Upload page.", icon=":material/info:")
    st.page_link(common.UPLOAD_PAGE, label="Go to the Upload page", icon=":material/upload:")
    st.stop()

schools = int(common.query("partnership_schools_count", **chosen.where()).iloc[0]["schools"])
place = f"{chosen.cohort} ({chosen.partnership})" if chosen.cohort else chosen.partnership
common.show_chart(bars.cpd_hours_chart(records, where=wording.schools_phrase(schools, place)),
                  "cpd")

st.subheader("Every term", anchor=False)
common.show_table(report.by_term_table(records), "cpd_terms", "cpd-by-term.csv")
