"""Audit log (admins only): who signed in (or failed to), uploaded, undid, exported or changed
an account, and when, newest first; downloadable as CSV or Excel (the download is recorded)."""

from __future__ import annotations

import streamlit as st

from app_pages import _common as common
from impact.auth import audit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN = 1000

st.title("Audit log", anchor=False)
store, actor = common.store(), common.actor()
# Read fresh on every visit (never cached): the log grows with every sign-in.
entries = audit.entries(store, actor)
if entries.empty:
    st.markdown("Nothing has been recorded yet.")
    st.stop()
failed = entries[(entries["event"] == audit.SIGN_IN_FAILED)]
left, middle, right = st.columns(3)
left.metric("Entries", f"{len(entries):,}")
middle.metric("Failed sign-ins", f"{len(failed):,}")
right.metric("Refused actions", f"{int((entries['outcome'] == audit.REFUSED).sum()):,}")
if len(entries) > SHOWN:
    st.caption(f"The latest {SHOWN:,} entries; download the log for all of them.")
st.dataframe(audit.table(entries.head(SHOWN)), hide_index=True, key="audit_table",
             column_config={"Details": st.column_config.TextColumn(width="large")})
fmt = st.radio("Download as", ["xlsx", "csv"], horizontal=True, key="audit_format",
               format_func=lambda f: {"xlsx": "Excel (.xlsx)", "csv": "CSV"}[f])
st.download_button(f"Download the audit log ({fmt})", lambda: audit.export(store, actor, fmt),
                   file_name=f"audit-log.{fmt}", mime=XLSX if fmt == "xlsx" else "text/csv",
                   on_click="ignore", icon=":material/download:", key="audit_download")
