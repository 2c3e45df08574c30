"""Killing an import part-way: the store must come back with all of the upload or none of it.

A real subprocess (`tests.reliability.import_child`) imports a large attainment file into a
copy of a store; the test kills it with SIGKILL (no clean-up, like a power cut or the OOM
killer) a random time after it starts writing, then opens the store as the app would and
compares every table with the store before the upload and with a copy the same upload
finished in undisturbed.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from impact.auth import Actor
from impact.config import PROJECT_ROOT
from impact.store import Store
from tests.factories import load, schools_frame, snapshot
from tests.reliability.harness import (
    PER_SCHOOL_YEAR,
    YEARS,
    big_attainment_frame,
    csv_from_grid,
    grid_of,
)

ACTOR = Actor("Crash test", "admin")


def schools_needed(rows: int, years: range = YEARS) -> int:
    return -(-rows // (PER_SCHOOL_YEAR * len(years)))


def write_big_file(path: Path, frame: pd.DataFrame) -> Path:
    """As .csv (fast to write) or .xlsx (openpyxl's streaming writer, as Excel lays it out)."""
    if path.suffix == ".csv":
        path.write_bytes(csv_from_grid(grid_of(frame)))
        return path
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    for row in grid_of(frame):
        sheet.append(row)
    book.save(path)
    return path


@dataclass
class CrashSetup:
    folder: Path
    before: Path  # the store before the upload (never opened again for writing)
    file: Path  # the large return
    rows: int
    before_state: dict[str, list[tuple]]
    after_state: dict[str, list[tuple]]  # the same upload, finished undisturbed
    upload_id: int
    upload_rows: int  # attainment rows the finished upload wrote (added or changed)
    commit_seconds: float  # from "committing" to "committed" (the transaction), undisturbed
    write_seconds: float  # from "committing" to the process's end (with the closing checkpoint)
    total_seconds: float


def comparable(store: Store) -> dict[str, list[tuple]]:
    """Every table, sorted, with the upload's time of day blanked (it is the only thing two
    runs of the same upload legitimately disagree on)."""
    state = snapshot(store)
    columns = store.query("SELECT column_name FROM information_schema.columns "
                          "WHERE table_name = 'uploads' AND table_schema = 'main' "
                          "ORDER BY ordinal_position")["column_name"].tolist()
    at = columns.index("uploaded_at")
    state["uploads"] = sorted((tuple(None if i == at else v for i, v in enumerate(row))
                               for row in state["uploads"]), key=repr)
    return state


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}


def start_child(store: Path, file: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.import_child", str(store), str(file)],
        cwd=PROJECT_ROOT, env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)


def wait_for(child: subprocess.Popen[str], word: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            _, err = child.communicate(timeout=30)
            raise AssertionError(f"the importer ended before {word!r}: {err[-2000:]}")
        if line.strip() == word:
            return
    raise AssertionError(f"the importer did not reach {word!r} in {timeout} s")


def prepare(folder: Path, rows: int, fmt: str = "csv") -> CrashSetup:
    """A store with the schools (and last year's figures for some of the same rows, so the
    upload both updates and adds), the large file, and the state the finished upload gives."""
    folder.mkdir(parents=True, exist_ok=True)
    n_schools = schools_needed(rows)
    before = folder / "before.duckdb"
    with Store(before) as store:
        load(store, "schools", schools_frame(n_schools, first_urn=200001, in_partnership=0))
        earlier = big_attainment_frame(min(rows, n_schools * PER_SCHOOL_YEAR),
                                       years=range(2017, 2018), seed=1)
        load(store, "attainment", earlier)
    file = write_big_file(folder / f"big-return.{fmt}", big_attainment_frame(rows, seed=2))
    with Store(before) as store:
        before_state = comparable(store)
    reference = folder / "reference.duckdb"
    shutil.copyfile(before, reference)
    started = time.monotonic()
    child = start_child(reference, file)
    wait_for(child, "committing")
    writing_from = time.monotonic()
    wait_for(child, "committed")
    committed = time.monotonic()
    _, err = child.communicate(timeout=600)
    ended = time.monotonic()
    assert child.returncode == 0, err[-2000:]
    with Store(reference) as store:
        after_state = comparable(store)
        upload_id = int(store.scalar("SELECT max(upload_id) FROM uploads"))
        upload_rows = int(store.scalar("SELECT count(*) FROM attainment WHERE upload_id = ?",
                                       [upload_id]))
    return CrashSetup(folder, before, file, rows, before_state, after_state, upload_id,
                      upload_rows, committed - writing_from, ended - writing_from,
                      ended - started)


@dataclass
class Kill:
    delay: float  # seconds after the importer said "committing"
    killed: bool  # False if it had already finished
    outcome: str  # "none" (store as before) | "all" (store as after the upload)
    details: dict[str, Any] = field(default_factory=dict)


def kill_once(setup: CrashSetup, delay: float, work: Path) -> Kill:
    """Import into a fresh copy of the before-store, SIGKILL the importer `delay` seconds into
    its write, then check the store holds all of the upload or none of it."""
    work.mkdir(parents=True, exist_ok=True)
    target = work / "killed.duckdb"
    for stale in work.glob("killed.duckdb*"):
        stale.unlink()
    shutil.copyfile(setup.before, target)
    child = start_child(target, setup.file)
    try:
        wait_for(child, "committing")
        time.sleep(delay)
        killed = child.poll() is None
        if killed:
            child.send_signal(signal.SIGKILL)
        said, _ = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
    killed = killed and child.returncode == -signal.SIGKILL
    acknowledged = "committed" in said.split()  # the user was told it was saved
    with Store(target) as store:  # the app opening the store after the crash
        state = comparable(store)
        rows = store.scalar("SELECT count(*) FROM attainment WHERE upload_id = ?",
                            [setup.upload_id])
        listed = store.scalar("SELECT count(*) FROM uploads WHERE upload_id = ?",
                              [setup.upload_id])
        kept = store.scalar("SELECT count(*) FROM upload_files WHERE sha256 IN "
                            "(SELECT sha256 FROM uploads WHERE upload_id = ?)",
                            [setup.upload_id])
    # The upload is listed (with its original file) if and only if all its rows are there.
    assert (listed, kept, rows) in ((0, 0, 0), (1, 1, setup.upload_rows)), (listed, kept, rows)
    if state == setup.before_state:
        outcome = "none"
        assert listed == 0 and rows == 0
        assert not acknowledged, (f"killed {delay:.3f} s into the write, after the upload was "
                                  "confirmed as saved, the store came back without it")
    elif state == setup.after_state:
        outcome = "all"
        assert listed == 1
    else:  # pragma: no cover - the failure this test exists to catch
        differing = [t for t in state if state[t] not in (setup.before_state.get(t),
                                                          setup.after_state.get(t))]
        raise AssertionError(f"after a kill {delay:.3f} s into the write the store holds part "
                             f"of the upload: tables {differing} match neither before nor after "
                             f"(upload listed: {listed}, its rows: {rows})")
    return Kill(delay, killed, outcome, {"rows_of_upload": rows, "acknowledged": acknowledged})


def kill_delays(setup: CrashSetup, count: int, seed: int) -> list[float]:
    """`count` random moments in the write: half in the transaction itself (from "committing"
    to "committed"), half from then to a little past the process's end (the checkpoint that
    moves the log into the file on close), each in its own equal slice of its span, so early,
    middle and late moments of both are tried."""
    rng = random.Random(seed)
    in_commit = (count + 1) // 2
    spans = [(0.0, setup.commit_seconds, in_commit),
             (setup.commit_seconds, setup.write_seconds * 1.1, count - in_commit)]
    delays = []
    for start, end, n in spans:
        step = (end - start) / max(n, 1)
        delays += [rng.uniform(start + i * step, start + (i + 1) * step) for i in range(n)]
    return delays
