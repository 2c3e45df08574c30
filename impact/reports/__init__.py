"""Tables and sentences for pages and packs, made from query results (no streamlit, no SQL).

Charts live in `impact.charts`; this package shapes the rest of what a page shows — tables
with plain headers and dates, headlines — so pages only render.
"""
