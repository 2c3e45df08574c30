"""Page speed: the full script run of every page under AppTest, cold and warm, at two scales.

For each store (trust scale: the demo; national scale: `bench.national`), each page is run
several times: *cold* with the app's caches of query results, analyses and built charts
emptied first (the store stays open, as it does for the life of a server process), as after an
upload, and *warm* straight after, as when a second person opens the same view. The floor is the script run
of an empty page in the same process and run: a page of the app that draws nothing
(`bench/empty_page.py`), so it costs what every page costs — navigation, sidebar, store — and a
page's ratio to it is what that page adds. A bare empty script is reported too.
The impact estimates the server makes in the background once per store revision
(`impact.analysis.precomputed`) are derived data kept with the store, not a cache emptied
for a cold run: the first run waits for them once, as a visitor arriving a little after an
upload would find them made.
A server compiles each page's script once and keeps it (its `ScriptCache`); AppTest makes a
new cache for every run, so here one cache is shared by every run, as in a server: otherwise a
long page's figures would be mostly the compiling of its own source.
Targets: every page within 3x the empty page at trust scale; under 0.5 s at national scale.
"""

from __future__ import annotations

import os
import re
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st
from streamlit.logger import set_log_level
from streamlit.testing.v1 import AppTest

set_log_level("error")  # AppTest's bare-mode warnings would drown the figures

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
TIMEOUT = 300


BENCH_APP = ROOT / ".bench_app.py"
EMPTY_PAGE = "bench/empty_page.py"


def bench_app() -> Path:
    """app.py with one more page that draws nothing, written beside it (imports resolve)."""
    source = APP.read_text(encoding="utf-8")
    marker = re.search(r"PAGES[^=]*= \[\n", source)
    if marker is None:
        raise RuntimeError("app.py no longer declares PAGES = [...]: update bench/pages.py")
    extra = f'    (st.Page("{EMPTY_PAGE}", title="Empty"), (), None),\n'
    BENCH_APP.write_text(source[:marker.end()] + extra + source[marker.end():], encoding="utf-8")
    return BENCH_APP


def app_pages() -> list[str]:
    """The page files app.py navigates between, in menu order."""
    return re.findall(r'st\.Page\("(app_pages/[a-z_]+\.py)"', APP.read_text(encoding="utf-8"))


def page_titles() -> dict[str, str]:
    """Each page file's title in the menu."""
    return dict(re.findall(r'st\.Page\("(app_pages/[a-z_]+\.py)", title="([^"]+)"',
                           APP.read_text(encoding="utf-8")))


BENCH_EMAIL, BENCH_PASSWORD = "bench@bench.example", "bench-password-1"


def bench_admin(db: Path) -> str:
    """The store's first admin (one is added to a store that has none), to sign in as."""
    from impact.auth import DEMO_ADMIN, accounts
    from impact.store import Store

    with Store(db) as store:
        found = accounts.first_admin(store)
        if found is None:
            found = accounts.add(store, DEMO_ADMIN, BENCH_EMAIL, "admin", name="Bench",
                                 password=BENCH_PASSWORD)
    return found.email


@contextmanager
def _one_script_cache() -> Iterator[None]:
    """Every AppTest run in the block keeps its compiled scripts in one `ScriptCache`, as a
    server does for its whole life (AppTest makes a new one, compiling every page afresh)."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    saved = app_test.ScriptCache, local_script_runner.ScriptCache
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared
    try:
        yield
    finally:
        app_test.ScriptCache, local_script_runner.ScriptCache = saved


def _timed(action) -> float:  # noqa: ANN001
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def bare_script(runs: int) -> dict[str, float]:
    """A Streamlit script with nothing in it: first run (cold) and rerun (warm)."""
    cold, warm = [], []
    for _ in range(runs):
        at = AppTest.from_string("import streamlit as st\n", default_timeout=TIMEOUT)
        cold.append(_timed(at.run))
        warm.append(_timed(at.run))
    return {"cold_s": statistics.median(cold), "warm_s": statistics.median(warm)}


def _forget_made_parts() -> None:
    """Empty the app's cache of built charts and tables (`made_once`) without closing the
    store, which the other resource cache holds."""
    from app_pages import _common

    _common._made.clear()


def _estimates_made(seconds: float = 600) -> None:
    """Wait for the impact estimates the server makes in the background after the store
    changes (`impact.analysis.precomputed`; the first page run queued them), as a visitor
    arriving after an upload would find them: only the first run per store waits."""
    from app_pages import _common
    deadline = time.monotonic() + seconds
    while not _common.estimates().idle() and time.monotonic() < deadline:
        time.sleep(0.1)


def chosen_pages(wanted: list[str] | None) -> list[str]:
    """The app's page files named in `wanted` (a file's stem, "setup", or its menu title,
    "Set up", any case), in menu order; every page when `wanted` is empty."""
    pages = app_pages()
    if not wanted:
        return pages
    titles = page_titles()
    names = {name.strip().casefold() for name in wanted if name.strip()}
    picked = [page for page in pages
              if Path(page).stem.casefold() in names or titles.get(page, "").casefold() in names]
    known = {Path(page).stem.casefold() for page in pages} | \
        {title.casefold() for title in titles.values()}
    unknown = sorted(names - known)
    if unknown:
        raise SystemExit(f"no such page: {', '.join(unknown)} (pages: "
                         f"{', '.join(Path(page).stem for page in pages)})")
    return picked


def _background_made(seconds: float = 600) -> None:
    """Wait for the parts of a page made in the background (`_common.made_in_background`),
    so the warm run shows the page filled in and the next cold run does not share the
    processor with them."""
    from app_pages import _common

    _common._background().submit(lambda: None).result(timeout=seconds)  # one worker: in turn


def page_times(db: Path, runs: int = 5, pages: list[str] | None = None
               ) -> list[dict[str, object]]:
    """Median cold and warm script-run seconds (and CPU seconds of this process) for every
    page, or those in `pages` (see `chosen_pages`), and the empty page first, against the
    store at `db`."""

    email = bench_admin(db)
    os.environ["IMPACT_DB"] = str(db)
    st.cache_resource.clear()
    st.cache_data.clear()
    entry = bench_app()
    results = []
    with _one_script_cache():
        results = _page_times(entry, email, runs, chosen_pages(pages))
    st.cache_resource.clear()
    entry.unlink(missing_ok=True)
    return results


def _page_times(entry: Path, email: str, runs: int, pages: list[str]
                ) -> list[dict[str, object]]:
    from impact.auth.sessions import SignedIn

    results = []
    for page in [EMPTY_PAGE, *pages]:
        cold, warm, cold_cpu, warm_cpu = [], [], [], []
        for _ in range(runs):
            at = AppTest.from_file(str(entry), default_timeout=TIMEOUT)
            at.session_state["signed_in"] = SignedIn.begin(email, "password")  # as sign-in does
            at.run()  # the default page, which opens the store as a server would
            _estimates_made()
            st.cache_data.clear()
            _forget_made_parts()
            cpu = time.process_time()
            cold.append(_timed(lambda at=at, page=page: at.switch_page(page).run()))
            cold_cpu.append(time.process_time() - cpu)
            _background_made()  # the parts the page left to the background, as a second
            cpu = time.process_time()  # visitor a moment later finds them
            warm.append(_timed(at.run))
            warm_cpu.append(time.process_time() - cpu)
            if at.exception:
                raise RuntimeError(f"{page} raised {at.exception[0].value}")
        results.append({"page": page, "cold_s": statistics.median(cold),
                        "warm_s": statistics.median(warm),
                        "cold_cpu_s": statistics.median(cold_cpu),
                        "warm_cpu_s": statistics.median(warm_cpu)})
    return results


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", nargs="+", metavar="PAGE",
                        help="only these pages (file stem or menu title, e.g. setup cpd "
                             "\"Set up\"; commas also separate); the empty page is always run")
    args = parser.parse_args()
    wanted = [name for given in args.pages or () for name in given.split(",")]
    chosen_pages(wanted)  # an unknown name stops here, before anything is measured
    bare = bare_script(args.runs)
    print(f"bare empty script: cold {bare['cold_s'] * 1000:.0f} ms, "
          f"warm {bare['warm_s'] * 1000:.0f} ms")
    rows = page_times(Path(args.db), args.runs, wanted)
    floor = rows[0]
    for row in rows:
        print(f"{row['page']:<28} cold {row['cold_s'] * 1000:7.0f} ms "
              f"({row['cold_s'] / floor['cold_s']:4.1f}x)   warm {row['warm_s'] * 1000:7.0f} ms "
              f"({row['warm_s'] / floor['warm_s']:4.1f}x)   cpu cold "
              f"{row['cold_cpu_s'] * 1000:6.0f} ms, warm {row['warm_cpu_s'] * 1000:5.0f} ms")
