"""What every page shares: the store, who is acting, cached queries, and how a chart is shown.

Pages stay thin: they read filters, call `query` (a named query from `queries/`) or an
`impact` function, build a `Chart` with an `impact.charts` builder and hand it to `show_chart`.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd
import streamlit as st

from impact import config
from impact.analysis import trends
from impact.auth import DEMO_ADMIN, Actor
from impact.charts import Chart
from impact.charts.base import csv_bytes
from impact.store import Store, StoreUnavailable

ACTOR_KEY = "actor"
UPLOAD_PAGE = "app_pages/upload.py"
OVERVIEW_PAGE = "app_pages/overview.py"


# --- the store -----------------------------------------------------------------------------

@st.cache_resource(show_spinner=False, on_release=lambda opened: opened.close())
def _open_store(path: str) -> Store:
    # One connection per server process (DuckDB lets one process hold the file). A failure
    # raises and is not cached, so "Try again" opens the file once it is free.
    return Store(path)


def store() -> Store:
    return _open_store(str(config.db_path()))


def open_store_or_stop() -> Store:
    """The store, or a plain sentence and a "Try again" button if another program holds it."""
    try:
        return store()
    except StoreUnavailable as error:
        st.error(str(error), icon=":material/lock:")
        st.button("Try again", type="primary", key="store_try_again")
        st.stop()  # ends this run; "Try again" reruns it


def revision() -> tuple[Any, ...]:
    """Changes whenever the store's contents do: cached results are keyed by it."""
    row = store().run("store_revision").iloc[0]
    return tuple(row.tolist())


@st.cache_data(show_spinner=False, max_entries=1000)
def _cached_query(db: str, revision: tuple[Any, ...], name: str,
                  params: tuple[tuple[str, Any], ...]) -> pd.DataFrame:
    return store().run(name, **dict(params))


def query(name: str, **params: Any) -> pd.DataFrame:
    """A named query's result, cached until the next upload or undo."""
    return _cached_query(str(store().path), revision(), name, tuple(sorted(params.items())))


@st.cache_data(show_spinner=False, max_entries=300)
def _cached_trend(db: str, revision: tuple[Any, ...], measure: str,
                  params: tuple[tuple[str, Any], ...]) -> pd.DataFrame:
    return trends.trend(store(), measure, **dict(params))


def trend(measure: str, **params: Any) -> pd.DataFrame:
    """`impact.analysis.trends.trend` for the store, cached until the next upload or undo."""
    return _cached_trend(str(store().path), revision(), measure, tuple(sorted(params.items())))


def setting(key: str) -> str | None:
    found = query("setting", key=key)
    return None if found.empty else str(found.iloc[0]["value"])


def is_demo() -> bool:
    return (setting("demo") or "").strip().lower() in ("true", "1", "yes")


# --- who is acting -------------------------------------------------------------------------

def actor() -> Actor:
    """Who is acting: the demo admin until sign-in exists (sign-in will replace it here)."""
    if ACTOR_KEY not in st.session_state:
        st.session_state[ACTOR_KEY] = DEMO_ADMIN
    return st.session_state[ACTOR_KEY]


# --- shared page parts ---------------------------------------------------------------------

def school_count() -> int:
    return int(query("schools_count").iloc[0]["schools"])


def require_schools() -> None:
    """Stop a page plainly when there is nothing to show yet, and say where to start."""
    if school_count() > 0:
        return
    st.info("There are no schools here yet. Start on the Upload page: download the schools "
            "template, fill it in and upload it.", icon=":material/info:")
    st.page_link(UPLOAD_PAGE, label="Go to the Upload page", icon=":material/upload:")
    st.stop()


def show_chart(chart: Chart, key: str) -> None:
    """A chart as the brief asks: the finding, one sentence, the chart, notes, the table
    beneath and a CSV download."""
    st.subheader(chart.title, anchor=False)
    st.markdown(f"<p class='what-it-shows'>{html.escape(chart.what_it_shows)}</p>",
                unsafe_allow_html=True)
    st.plotly_chart(chart.figure, theme=None, key=f"{key}_chart",
                    config={"displaylogo": False, "responsive": True})
    for note in chart.notes:
        st.caption(note)
    st.dataframe(chart.table, hide_index=True, key=f"{key}_table")
    st.download_button("Download these numbers (CSV)", chart.csv_bytes(),
                       file_name=chart.file_name, mime="text/csv", on_click="ignore",
                       icon=":material/download:", key=f"{key}_csv")


def show_table(frame: pd.DataFrame, key: str, file_name: str, **options: Any) -> None:
    """A table with its CSV download."""
    st.dataframe(frame, hide_index=True, key=f"{key}_table", **options)
    st.download_button("Download this table (CSV)", csv_bytes(frame), file_name=file_name,
                       mime="text/csv", on_click="ignore", icon=":material/download:",
                       key=f"{key}_csv")


STYLE = """
<style>
p.what-it-shows { font-size: 1.15rem; line-height: 1.5; max-width: 60rem; }
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
</style>
"""
