"""Hostile files through the importer: which limit refuses each, how long it takes, and how
much memory the importing process and its worker use.

`python -m bench.hostile` (also part of `make bench`) runs the corpus of
tests/importing/hostile_files.py through `plan_import` (the path the Upload page and
`python -m impact import` take) against a store with data in it, checks the store is unchanged
afterwards, and writes bench/results/hostile.json; `bench.report` turns it into BENCHMARKS.md's
table. For each file:
- *time*: `plan_import` from bytes to the refusal (or to the checked plan);
- *importer peak*: the peak resident memory of this process (the server's part) while it ran,
  measured by resetting the kernel's high-water mark (`/proc/self/clear_refs`) before each file;
- *worker peak*: the peak resident memory the worker process reported (none when it was
  stopped, or the file was refused before a worker was needed).

Three more rows relax the screening (as a file it did not foresee would get past it) to show
the worker's own limits at work: calamine on the 17-billion-cell sheet, the zip bomb read
until the time limit, and a CSV that needs more memory than the worker may have. Last, the
Upload page (AppTest) with a 17 MB file that holds nothing new: what the session keeps.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import resource
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from impact.auth import Actor
from impact.importing import worker
from impact.importing.kinds.base import Context
from impact.importing.limits import limits
from impact.importing.pipeline import known_schools, plan_import
from impact.store import Store
from tests.factories import csv_rows_bytes, loaded_store, snapshot
from tests.importing.hostile_files import CORPUS, odd_schools_csv, odd_schools_xlsx
from tests.importing.public.published_files import ks

RESULTS = Path(__file__).resolve().parent / "results"
ACTOR = Actor("Benchmark", "admin")
RELAXED = {"IMPACT_LIMIT_MAX_COLUMNS": "20000", "IMPACT_LIMIT_MAX_ROWS": "2000000",
           "IMPACT_LIMIT_MAX_CELLS": "10000000000000", "IMPACT_LIMIT_ZIP_RATIO": "1000000",
           "IMPACT_LIMIT_ZIP_MEMBER_MB": "8192", "IMPACT_LIMIT_ZIP_TOTAL_MB": "8192",
           "IMPACT_LIMIT_UPLOAD_MB": "100"}


def _reset_peak() -> bool:
    """Start the kernel's record of this process's peak memory again (Linux 4.0+)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _peak_mb() -> float:
    try:
        status = Path("/proc/self/status").read_text()
        return int(status.split("VmHWM:")[1].split()[0]) / 1024
    except (OSError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextlib.contextmanager
def _environment(settings: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _unique_numbers_csv() -> bytes:
    """6 million different numbers (48 MB): hundreds of MB once parsed."""
    return b"".join(",".join(f"{r * 300 + i:07d}" for i in range(300)).encode() + b"\r\n"
                    for r in range(20_000))


def _measure(store: Store, name: str, what: str, data: bytes, kind: str | None = None,
             limit: str | None = None) -> dict[str, Any]:
    exact = _reset_peak()
    started = time.perf_counter()
    plan = plan_import(store, name, data, ACTOR, kind=kind)
    seconds = time.perf_counter() - started
    importer_peak = _peak_mb()
    # Again, straight to the worker, for its own figures.
    context = Context(known_schools(store), ACTOR, {})
    read = worker.run("check", name, data, (kind, context))
    if plan.unusable:
        said = {"time": "the worker's time", "memory": "the worker's memory",
                "size": "upload size", "failed": "the reader broke"}.get(read.limit or "")
        result = f"refused: {limit or said or 'the reader'}"
    elif plan.problems:
        result = f"rejected: {len(plan.problems)} problems"
    else:
        result = "accepted"
    return {"file": name, "what": what, "bytes": len(data), "result": result,
            "sentence": plan.unusable or "", "seconds": seconds,
            "importer_peak_mb": importer_peak, "importer_peak_exact": exact,
            "worker_peak_mb": read.worker_peak_mb, "worker_seconds": read.seconds}


def _session_figures(store_path: Path) -> dict[str, Any]:
    """What the Upload page's session holds for a 17 MB file with nothing new in it, and for
    one waiting to be confirmed, then saved."""
    import streamlit as st
    from streamlit.logger import set_log_level

    from tests.pages.helpers import (
        MEMBERS,
        OTHERS,
        RWM_VALUES,
        build_store,
        open_app,
        rwm_frame,
        upload,
    )

    set_log_level("error")
    build_store(store_path)

    def big(frame: Any) -> bytes:
        frame = frame.copy()
        frame["Notes"] = ["x" * 950_000] * len(frame)  # within the line limit
        return csv_rows_bytes([list(frame.columns), *frame.values.tolist()])

    def both(values: dict[int, dict[int, float]]) -> Any:
        import pandas as pd

        others = {y: {u: 50.0 for u in OTHERS} for y in values}
        return pd.concat([rwm_frame(values), rwm_frame(others, {u: 20 for u in OTHERS})])

    def held(at: Any) -> int:
        return sum(len(pickle.dumps(v)) for v in at.session_state.to_dict().values())

    figures: dict[str, Any] = {}
    with _environment({"IMPACT_DB": str(store_path)}):
        st.cache_data.clear()
        st.cache_resource.clear()
        same = big(both(RWM_VALUES))
        at = upload(open_app("app_pages/upload.py"), "again.csv", same, "text/csv")
        figures["nothing_new_file_mb"] = len(same) / 1e6
        figures["nothing_new_held_mb"] = held(at) / 1e6
        figures["nothing_new_said"] = [i.value for i in at.info]
        new = big(both({y: {u: 40.0 + y % 10 for u in MEMBERS} for y in (2021, 2022, 2023)}))
        at = upload(open_app("app_pages/upload.py"), "new.csv", new, "text/csv")
        figures["waiting_file_mb"] = len(new) / 1e6
        figures["waiting_held_mb"] = held(at) / 1e6
        at.button(key="upload_confirm").click().run()
        figures["saved_held_mb"] = held(at) / 1e6
        st.cache_data.clear()
        st.cache_resource.clear()
    return figures


def run() -> dict[str, Any]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        store = Store(tmp / "hostile.duckdb")
        loaded_store(store)
        before = snapshot(store), store.revision()
        worker.warm_up()
        _reset_peak()
        baseline = _peak_mb()
        for case in CORPUS:
            print(f"  {case.code} …", flush=True)
            rows.append({"code": case.code, "group": "corpus",
                         **_measure(store, case.name, case.what, case.data(),
                                    limit=case.limit)})
        accepted: list[tuple[str, str, str, Callable[[], bytes], str | None]] = [
            ("odd_csv", "odd.csv", "names like Markdown, HTML, SQL, =1+1 (CSV)",
             odd_schools_csv, "schools"),
            ("odd_xlsx", "odd.xlsx", "the same names in a workbook", odd_schools_xlsx,
             "schools"),
            ("ks2_surrey", "ks2_2018-19_936_surrey.csv", "a real DfE KS2 file (for scale)",
             ks(2, "2018-19").read_bytes, None),
        ]
        for code, name, what, make, kind in accepted:
            rows.append({"code": code, "group": "accepted",
                         **_measure(store, name, what, make(), kind)})
        from tests.importing.hostile_files import dimension_bomb, zip_bomb_sheet

        relaxed = [
            ("worker_far_cell", "results.xlsx", "one cell at XFD1048576, past the screening",
             dimension_bomb, {}),
            ("worker_time", "results.xlsx", "the zip bomb, past the screening (10 s limit)",
             zip_bomb_sheet, {"IMPACT_LIMIT_READ_SECONDS": "10"}),
            ("worker_memory", "numbers.csv", "6 million different numbers (512 MB limit)",
             _unique_numbers_csv, {"IMPACT_LIMIT_READ_MEMORY_MB": "512"}),
        ]
        for code, name, what, make, extra in relaxed:
            print(f"  {code} …", flush=True)
            with _environment({**RELAXED, **extra}):
                rows.append({"code": code, "group": "worker",
                             **_measure(store, name, what, make())})
        intact = (snapshot(store), store.revision()) == before
        store.close()
        print("  the Upload page's session …", flush=True)
        session = _session_figures(tmp / "session.duckdb")
    current = limits()
    return {"rows": rows, "store_intact": intact, "session": session, "baseline_mb": baseline,
            "limits": {k: getattr(current, k) for k in current.__dataclass_fields__},
            "machine": _machine()}


def _machine() -> str:
    from bench import machine

    return machine.describe()


def main() -> dict[str, Any]:
    result = run()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "hostile.json").write_text(json.dumps(result, indent=2, default=str),
                                          encoding="utf-8")
    from bench import report

    report.write()
    print(report.hostile_section(result))
    return result


if __name__ == "__main__":
    main()
