"""Ofsted: inspections of the partnership's schools, one table per inspection framework."""

from __future__ import annotations

import streamlit as st

from app_pages import _common as common
from app_pages import _filters as filters
from impact.reports import ofsted as report

st.title("Ofsted", anchor=False)
common.require_schools()
chosen = filters.current()
inspections = common.query("ofsted_inspections", **chosen.where())
if inspections.empty:
    st.info("No Ofsted inspections are stored for these schools yet. Upload them with the "
            "Ofsted template, or the Ofsted file as published, on the Upload page.",
            icon=":material/info:")
    st.page_link(common.UPLOAD_PAGE, label="Go to the Upload page", icon=":material/upload:")
    st.stop()

schools = inspections["urn"].nunique()
st.markdown(f"{len(inspections)} inspection{'s' if len(inspections) != 1 else ''} of "
            f"{schools} school{'s' if schools != 1 else ''}. Ofsted has changed how it grades "
            "schools, and says the old and new grades cannot be compared, so each way of "
            "grading has its own table.")
for part in report.framework_tables(inspections):
    st.subheader(part.title, anchor=False)
    st.caption(part.scale_note)
    common.show_table(part.table, f"ofsted_{part.framework.code}",
                      f"ofsted-{part.framework.code}.csv")
