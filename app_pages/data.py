"""Data: what is stored, every kind exported in its template's shape, sources and licence."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import _common as common
from impact.auth.rights import EXPORT, VIEW_ALL, Export
from impact.exporting import export_bytes
from impact.importing.templates import template_kinds
from impact.reports import data as report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


st.title("Data", anchor=False)

st.subheader("What is stored", anchor=False)
st.dataframe(report.counts_table(common.query("table_counts")), hide_index=True,
             key="data_counts",
             column_config={"Rows": st.column_config.NumberColumn(format="localized")})

st.subheader("Download what is stored", anchor=False)
st.markdown("Each download has the same columns as its upload template, so you can correct "
            "it in Excel and upload it again.")
kinds = {code: kind for code, kind in template_kinds().items()
         if common.may(EXPORT, Export(code))}
if not common.may(VIEW_ALL):
    st.caption("You can download your own schools' rows and the public comparison figures.")
refused = {code for code in template_kinds() if code not in kinds}
if refused:
    st.caption(common.may(EXPORT, Export(sorted(refused)[0])).reason)
left, right = st.columns(2)
kind = left.selectbox("What", list(kinds), format_func=lambda c: kinds[c].label,
                      key="data_export_kind")
fmt = right.radio("As", ["xlsx", "csv"], horizontal=True, key="data_export_format",
                  format_func=lambda f: {"xlsx": "Excel (.xlsx)", "csv": "CSV"}[f])
store, actor = common.store(), common.actor()
# Made (and recorded in the audit log) when the button is pressed, not on every visit: a
# large store takes a while to export.
st.download_button(f"Download {kinds[kind].label.lower()} ({fmt})",
                   lambda: export_bytes(store, kind, fmt, actor=actor),
                   file_name=f"{kind}.{fmt}", mime=XLSX if fmt == "xlsx" else "text/csv",
                   on_click="ignore", icon=":material/download:", key="data_export")

st.subheader("Where the data comes from", anchor=False)
st.dataframe(pd.DataFrame(report.SOURCES, columns=["Source", "What it gives"]),
             hide_index=True, key="data_sources")
st.markdown(f"{report.OGL_ATTRIBUTION} [Open Government Licence v3.0]({report.OGL_URL})")

st.subheader("What the symbols mean", anchor=False)
st.dataframe(pd.DataFrame(report.SYMBOLS, columns=["Symbol", "Meaning"]), hide_index=True,
             key="data_symbols")
