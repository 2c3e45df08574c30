"""What every page shares: the store, who is acting, cached queries, and how a chart is shown.

Pages stay thin: they read filters, call `query` (a named query from `queries/`) or an
`impact` function, build a `Chart` with an `impact.charts` builder and hand it to `show_chart`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from impact import config
from impact.analysis import (
    Estimate,
    Trend,
    UnknownName,
    before_after,
    event_time_trend,
    impact_estimate,
    precomputed,
    trends,
)
from impact.analysis.evidence import Evidence
from impact.analysis.pairings import Pairings, suggest_pairings
from impact.analysis.projects import ProjectLine, project_line
from impact.auth import Actor, Decision, allowed, audit, require
from impact.auth.rights import EXPORT, SMALL_GROUPS, UPLOAD, VIEW, Export
from impact.charts import Chart, badge, tiles
from impact.charts.base import CHART_CONFIG, csv_bytes
from impact.charts.tiles import TILE_WIDTH
from impact.reports import glossary
from impact.reports.text import html_text, markdown_text
from impact.store import Store, StoreUnavailable

ACTOR_KEY = "actor"
UPLOAD_PAGE = "app_pages/upload.py"
OVERVIEW_PAGE = "app_pages/overview.py"
RETURNS_PAGE = "app_pages/returns.py"
SETUP_PAGE = "app_pages/setup.py"
MEETING_PAGE = "app_pages/meeting.py"
T = TypeVar("T")


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
    return store().revision()


@st.cache_data(show_spinner=False, max_entries=1000)
def _cached_query(db: str, revision: tuple[Any, ...], name: str,
                  params: tuple[tuple[str, Any], ...]) -> pd.DataFrame:
    return store().run(name, **dict(params))


def query(name: str, **params: Any) -> pd.DataFrame:
    """A named query's result, cached until the next upload or undo."""
    return _cached_query(str(store().path), revision(), name, tuple(sorted(params.items())))


def _estimate_or_sentence(opened: Store, **params: Any) -> Estimate | str:
    try:
        return impact_estimate(opened, **params)
    except UnknownName as error:
        return str(error)


# The analyses pages call, by name: each result is cached per store revision and arguments.
_ANALYSES: dict[str, Callable[..., Any]] = {
    "trend": trends.trend,
    "estimate": _estimate_or_sentence,
    "before_after": before_after,
    "event_time": event_time_trend,
    "project": project_line,
    "pairings": suggest_pairings,
}


@st.cache_data(show_spinner=False, max_entries=1000)
def _analysed(db: str, revision: tuple[Any, ...], name: str,
              params: tuple[tuple[str, Any], ...]) -> Any:
    return _ANALYSES[name](store(), **dict(params))


def _analysis(name: str, **params: Any) -> Any:
    return _analysed(str(store().path), revision(), name, tuple(sorted(params.items())))


def trend(measure: str, **params: Any) -> Trend:
    """`impact.analysis.trends.trend` for the store, cached until the next upload or undo
    (made already in the background for the pages' defaults: `made`)."""
    return made(precomputed.TREND, {"measure": measure, **params}) or \
        _analysis("trend", measure=measure, **params)


def estimate(**params: Any) -> Estimate | str:
    """`impact_estimate(store, **params)` — the typed `Estimate` whose numbers `python -m
    impact estimate --json` prints — cached per store revision (the bootstrap takes a
    moment); a sentence instead when a name matches nothing."""
    return _analysis("estimate", **params)


@st.cache_resource(show_spinner=False, on_release=lambda made: made.close())
def _estimates(db: str) -> precomputed.Estimates:
    # One per server process and store, beside the store it reads (released with it).
    return precomputed.Estimates(store())


def estimates() -> precomputed.Estimates:
    """The impact estimates made in the background per store revision
    (`impact.analysis.precomputed`)."""
    return _estimates(str(store().path))


def warm_estimates() -> None:
    """Have the estimates the pages show by default made for the store as it is now (once per
    revision: after an upload or undo, and when the server first opens the store)."""
    kept = estimates()
    if kept.warm_needed():
        kept.warm([*precomputed.default_jobs(store(), tiles.HEADLINE_ORDER),
                   *precomputed.default_derived_jobs(store(), tiles.HEADLINE_ORDER,
                                                     dt.date.today())])


def cohort_estimate(chosen: Any, partnership: str, cohort: str,
                    measure: str | None = None) -> Estimate | str | precomputed.Pending:
    """The estimate for one cohort with the filters' measure, pupils and comparison (and the
    schools picked for a chosen comparison): every page that shows a cohort's estimate calls
    this, so the Overview and the Cohorts page can never compare with different schools.

    Made in the background (`warm_estimates`): `Pending` while it is being made, which the
    page says plainly before `fill_in_when_ready` shows it. `IMPACT_ESTIMATE_WAIT` seconds
    (default 0) is how long a page run may wait for one first."""
    params = precomputed.estimate_params(partnership, cohort, measure or chosen.measure,
                                         group=chosen.group, comparison=chosen.comparison,
                                         urns=chosen.urns)
    return estimates().wait(params, config.estimate_wait())


def pending_note(pending: Sequence[precomputed.Pending]) -> None:
    """Say plainly that some estimates are still being made, and fill them in when ready."""
    if not pending:
        return
    which = ", ".join(sorted({p.cohort.split(" / ", 1)[-1] for p in pending}))
    st.info(f"Still working out the impact estimate for {markdown_text(which)}: it appears "
            "here by itself in a moment (the store has just changed).",
            icon=":material/hourglass_top:")
    _fill_in(tuple(pending))


@st.fragment(run_every=1.0)
def _fill_in(pending: tuple[precomputed.Pending, ...]) -> None:
    # every second until the estimates are made, then the whole page again to show them
    if estimates().ready(pending):
        st.rerun()


def before_after_table(**params: Any) -> pd.DataFrame:
    """`impact.analysis.before_after` for the store, cached until the next upload or undo."""
    return _analysis("before_after", **params)


def event_time_table(**params: Any) -> pd.DataFrame:
    """`impact.analysis.event_time_trend` for the store, cached until the next upload."""
    return _analysis("event_time", **params)


def project(urn: int, name: str, measure: str | None = None, group: str = "all"
            ) -> ProjectLine | str:
    """An improvement project's host lined up on its start (`impact.analysis.projects`),
    cached until the next upload; a sentence instead when it cannot be drawn."""
    try:
        return _analysis("project", urn=urn, project=name, measure=measure, group=group)
    except UnknownName as error:
        return str(error)


def pairings(partnership: str, group: str = "all") -> Pairings:
    """Strengths matched to needs in a partnership (`impact.analysis.pairings`), cached until
    the next upload (and for the day: who is still in the partnership changes with it)."""
    params = {"partnership": partnership, "group": group, "today": dt.date.today()}
    return made(precomputed.PAIRINGS, params) or _analysis("pairings", **params)


@st.cache_resource(show_spinner=False, max_entries=500)
def _made(db: str, revision: tuple[Any, ...], key: tuple[Any, ...],
          _make: Callable[[], Any]) -> Any:
    return _make()


def made_once(key: tuple[Any, ...], make: Callable[[], T]) -> T:
    """What `make` returns, made once per store revision and `key` and shared by every visitor.

    Drawing a page's charts (plotly checks every property) and working out its tables take
    far longer than showing them, and a board meeting opens the same views again and again.
    `key` must name the page part and every choice `make` depends on (the filters, the
    viewer's role, today's date); what it returns is shared, so it must never be changed.
    """
    return _made(str(store().path), revision(), key, make)


@st.cache_resource(show_spinner=False)
def _background() -> ThreadPoolExecutor:
    # One worker per server process: a slow part of a page is made beside the page runs,
    # never several at once on a small server.
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="impact-made")


def made_in_background(key: tuple[Any, ...], make: Callable[[], T]) -> Future[T]:
    """`made_once`, but made by a background thread: the page shows what it has and says the
    rest is being made (`fill_in_when_made`) rather than keep everyone waiting for a part
    that takes seconds at national scale. `make` must not call streamlit (call `impact`
    functions with `store()` taken beforehand). Waits up to `IMPACT_ESTIMATE_WAIT` seconds
    (default 0) for it first, as estimates do."""
    job = made_once(key, lambda: _background().submit(make))
    wait_for([job], config.estimate_wait())
    return job


def fill_in_when_made(jobs: Sequence[Future[Any]], what: str) -> None:
    """Say plainly that `what` is still being made, and show the page again once it is."""
    st.info(f"Still working out {markdown_text(what)}: it appears here by itself in a moment.",
            icon=":material/hourglass_top:")
    _fill_in_made(tuple(jobs))


@st.fragment(run_every=1.0)
def _fill_in_made(jobs: tuple[Future[Any], ...]) -> None:
    # every second until the parts are made, then the whole page again to show them
    if all(job.done() for job in jobs):
        st.rerun()


def setting(key: str) -> str | None:
    found = query("setting", key=key)
    return None if found.empty else str(found.iloc[0]["value"])


def is_demo() -> bool:
    return (setting("demo") or "").strip().lower() in ("true", "1", "yes")


# --- who is acting -------------------------------------------------------------------------

def actor() -> Actor:
    """Who is signed in: put here by `app.py` on every run from the sign-in state and the
    store (`_signin.current_actor`); pages never run without it."""
    found = st.session_state.get(ACTOR_KEY)
    if not isinstance(found, Actor):
        raise RuntimeError("no one is signed in: pages run only through app.py after sign-in")
    return found


def may(action: str, resource: object = None) -> Decision:
    """`impact.auth.rights.allowed` for whoever is signed in: what pages ask before showing
    something (the check that counts is made again where the data is written or exported)."""
    return allowed(actor(), action, resource)


def governor_view() -> bool:
    """Whether this person sees the governor view (no pupil group under 11, no school figure
    about 6 to 10 pupils)."""
    return not may(SMALL_GROUPS)


# --- shared page parts ---------------------------------------------------------------------

def school_count() -> int:
    return int(query("schools_count").iloc[0]["schools"])


def stop_for_upload(message: str) -> None:
    """End the page with what is missing, in a sentence, and the way to the Upload page."""
    st.info(markdown_text(message), icon=":material/info:")
    if may(UPLOAD):
        st.page_link(UPLOAD_PAGE, label="Go to the Upload page", icon=":material/upload:")
    else:
        st.markdown("Uploads are made by the schools' heads and the trust's data manager.")
    st.stop()


def require_schools() -> None:
    """Stop a page plainly when there is nothing to show yet, and say where to start."""
    if school_count() == 0:
        stop_for_upload("There are no schools here yet. Start on the Upload page: download the "
                        "schools template, fill it in and upload it.")


def recorded_download(what: str) -> Callable[[], None]:
    """A download button's `on_click`: when someone downloads what the page shows, the audit
    log records it (`allowed(actor, EXPORT, Export(VIEW))`: anyone may download what they
    see). Streamlit calls it at the start of the rerun the click makes."""
    opened, who = store(), actor()

    def record() -> None:
        require(who, EXPORT, Export(VIEW))
        audit.write(opened, who, audit.EXPORT_ROWS, detail=f"{what} (as shown on the page)")

    return record


def show_chart(chart: Chart, key: str) -> None:
    """A chart as the brief asks: the finding, one sentence, the chart, notes, the table
    beneath and a CSV download."""
    st.subheader(markdown_text(chart.title), anchor=False)
    st.markdown(f"<p class='what-it-shows'>{html_text(chart.what_it_shows)}</p>",
                unsafe_allow_html=True)
    if chart.parts:
        # small multiples: as many side by side as fit, one under another on a phone
        with st.container(horizontal=True, wrap=True, key=f"{key}_parts"):
            for number, part in enumerate(chart.parts):
                st.plotly_chart(part, theme=None, key=f"{key}_{number}_chart",
                                width=TILE_WIDTH, config=CHART_CONFIG)
    else:
        st.plotly_chart(chart.figure, theme=None, key=f"{key}_chart", config=CHART_CONFIG)
    for note in chart.notes:
        st.caption(markdown_text(note))
    st.dataframe(chart.table, hide_index=True, key=f"{key}_table")
    st.download_button("Download these numbers (CSV)", _csv_when_pressed(chart.table),
                       file_name=chart.file_name, mime="text/csv",
                       on_click=recorded_download(chart.file_name),
                       icon=":material/download:", key=f"{key}_csv")


def _pack_download(fmt: str, partnership: str, cohort: str | None, measure: str | None,
                   year: str | None) -> tuple[Callable[[], bytes], Callable[[], None]]:
    """The board pack's bytes, made only when the button is pressed (a PDF takes seconds),
    and the audit record of the download: both as the person signed in now."""
    from impact.reports.pack import build_pack
    from impact.reports.pack_files import pack_bytes

    opened, who = store(), actor()
    place = f"{cohort} ({partnership})" if cohort else partnership

    def make() -> bytes:
        return pack_bytes(build_pack(opened, who, partnership=partnership, cohort=cohort,
                                     year=year, measure=measure), fmt)

    def record() -> None:
        require(who, EXPORT, Export(VIEW))
        audit.write(opened, who, audit.EXPORT_ROWS, detail=f"board pack ({fmt}) for {place}")

    return make, record


def take_to_a_meeting(chosen: Any) -> None:
    """The board pack (PDF and HTML) for the partnership or cohort chosen, and the meeting
    mode link: the governor view always, the numbers this page shows."""
    if chosen.partnership is None:
        return
    from impact.reports.pack import file_stem

    stem = file_stem(chosen.partnership, chosen.cohort)
    year = chosen.years[1] if chosen.years else None
    with st.container(horizontal=True, key="take_to_a_meeting"):
        for fmt, label, mime, icon in (
                ("pdf", "Board pack (PDF)", "application/pdf", ":material/picture_as_pdf:"),
                ("html", "Board pack (web page)", "text/html", ":material/public:")):
            make, record = _pack_download(fmt, chosen.partnership, chosen.cohort,
                                          chosen.measure, year)
            st.download_button(label, make, file_name=f"{stem}.{fmt}", mime=mime,
                               on_click=record, icon=icon, key=f"pack_{fmt}",
                               help="Always the governor view. The PDF takes a few seconds.")
        st.page_link(MEETING_PAGE, label="Meeting mode", icon=":material/slideshow:",
                     query_params=meeting_link(chosen))


def meeting_link(chosen: Any) -> dict[str, str]:
    """Meeting mode's link for the partnership, cohort and measure chosen (first screen)."""
    link = {"partnership": chosen.partnership, "cohort": chosen.cohort or "all"}
    if chosen.measure:
        link["measure"] = chosen.measure
    return link


def show_table(frame: pd.DataFrame, key: str, file_name: str, **options: Any) -> None:
    """A table with its CSV download."""
    st.dataframe(frame, hide_index=True, key=f"{key}_table", **options)
    st.download_button("Download this table (CSV)", _csv_when_pressed(frame),
                       file_name=file_name,
                       mime="text/csv", on_click=recorded_download(file_name),
                       icon=":material/download:", key=f"{key}_csv")


def _csv_when_pressed(table: pd.DataFrame) -> Callable[[], bytes]:
    """A download button's CSV, written only when someone presses it (`csv_bytes`): writing
    every table's file on every run took longer than showing the table. The table is kept as
    the page showed it (what `made_once` returns is never changed)."""
    return lambda: csv_bytes(table)


def headline(text: str) -> None:
    """One message, in large type: the sentence a governor should take away from a section."""
    st.markdown(f"<p class='headline'>{html_text(text)}</p>", unsafe_allow_html=True)


def plain(text: str) -> None:
    """A plain paragraph in the page's reading size."""
    st.markdown(f"<p class='plain'>{html_text(text)}</p>", unsafe_allow_html=True)


def note(text: str) -> None:
    """A short line under a number (its likely range, what it means), larger than a caption."""
    st.markdown(f"<p class='note'>{html_text(text)}</p>", unsafe_allow_html=True)


def explain(terms: Sequence[str]) -> None:
    """A "What the words mean" box with the plain meaning of each term."""
    with st.expander("What the words mean", icon=":material/help:"):
        for term in terms:
            st.markdown(f"**{term[0].upper() + term[1:]}**: {glossary.explain(term)}")


VERDICT_ICONS = {"Yes": ":material/check_circle:", "Partly": ":material/adjust:",
                 "Not clear yet": ":material/help:", "No": ":material/cancel:",
                 "No data": ":material/remove_circle_outline:"}
VERDICT_COLOURS = {"Yes": "blue", "Partly": "violet", "Not clear yet": "gray", "No": "orange",
                   "No data": "gray"}


def verdict_badge(verdict: str) -> None:
    """A verdict in words with an icon; colour only adds to them."""
    st.badge(verdict, icon=VERDICT_ICONS.get(verdict), color=VERDICT_COLOURS.get(verdict,
                                                                                "gray"))


def evidence_badge(evidence: Evidence) -> None:
    """The strength-of-evidence badge (`impact.charts.badge`): score in words and numbers,
    padlocks as text, and what held it down."""
    shown = badge.evidence_badge(evidence)
    st.badge(shown.text, icon=shown.icon, color=shown.colour)
    st.markdown(f"<p class='padlocks' aria-label='{shown.padlocks} of {shown.out_of} "
                f"padlocks'>{shown.padlock_row}</p>", unsafe_allow_html=True)
    st.caption(markdown_text(shown.explanation))


STYLE = """
<style>
p.what-it-shows { font-size: 1.2rem; line-height: 1.5; max-width: 62rem; }
p.headline { font-size: 1.6rem; line-height: 1.35; font-weight: 600; color: #12436D;
             max-width: 62rem; margin: 0.2rem 0 0.6rem 0; }
p.plain { font-size: 1.2rem; line-height: 1.5; max-width: 62rem; }
p.note { font-size: 1.05rem; line-height: 1.4; color: #3D3D3D; }
p.padlocks { font-size: 1.6rem; letter-spacing: 0.2rem; margin: 0.2rem 0; }
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
[data-testid="stMetricValue"] { font-size: 2.6rem; }
[data-testid="stMarkdownContainer"] li { font-size: 1.1rem; }
/* A projector at 150% zoom (about 850 px wide): the sidebar takes a quarter, not 40% */
@media (max-width: 1000px) and (min-width: 641px) {
  section[data-testid="stSidebar"] { width: 230px !important; min-width: 230px !important; }
}
</style>
"""


def made(kind: str, params: dict[str, Any]) -> Any | None:
    """Derived data the background thread has made for the store as it is now (a trend, a
    partnership's pairings: `precomputed.Estimates.made`), or None: the page works it out."""
    return estimates().made(kind, params)


def made_estimates(partnership: str, cohorts: Sequence[str], measure: str | None
                   ) -> dict[str, Estimate | str]:
    """The cohorts' estimates with `measure`, all pupils and the default comparison (the
    board pack's) that are made already, by cohort: the pack takes them rather than making
    them again (those still being made it makes itself)."""
    if measure is None:
        return {}
    found = {cohort: estimates().get(precomputed.estimate_params(partnership, cohort, measure))
             for cohort in cohorts}
    return {c: r for c, r in found.items() if not isinstance(r, precomputed.Pending)}
