"""Many people at once against one Store, as the Streamlit server runs it: one Store per
process, a cursor per call, writes serialised by the Store's lock.

`upload_round` starts several heads' uploads (each plans, then confirms) and several readers
running the pages' named queries, all released together by a barrier; every thread's
exception is collected, threads are joined with a timeout (a deadlock fails, it does not
hang), and readers check on every pass that no upload is ever half visible.
`race` has two uploads for the same rows, planned from the same state and confirmed at once.
"""

from __future__ import annotations

import re
import threading
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

from impact.auth import Actor
from impact.config import QUERIES_DIR
from impact.importing import writing
from impact.importing.layout import ROW
from impact.importing.pipeline import ImportPlan, StalePlan, commit, plan_import
from impact.store import Store
from tests.factories import cpd_frame, ofsted_frame, snapshot
from tests.reliability.harness import (
    big_attainment_frame,
    check_accepted,
    column_types,
    file_bytes,
    grid_of,
    keyed,
    said_rows,
    table_rows,
)

# Plausible values for every parameter the pages pass to a named query.
PAGE_PARAMETERS: dict[str, Any] = {
    "urn": 100001, "measure": "ta_reading", "pupil_group": "all", "partnership": "Test Trust",
    "cohort": None, "term": "Summer", "key": "demo", "upload_id": 1,
}


def page_queries(store: Store) -> tuple[list[tuple[str, dict[str, Any]]], dict[str, str]]:
    """Every named query in `queries/` a page could run, with its parameters filled, that runs
    on its own; and, for any that fails on its own, why (that is another test's business)."""
    usable: list[tuple[str, dict[str, Any]]] = []
    broken: dict[str, str] = {}
    for path in sorted(QUERIES_DIR.glob("*.sql")):
        wanted = set(re.findall(r"\$([a-z_][a-z0-9_]*)", path.read_text(encoding="utf-8")))
        if wanted - PAGE_PARAMETERS.keys():
            continue
        params = {p: PAGE_PARAMETERS[p] for p in sorted(wanted)}
        try:
            store.run(path.stem, **params)
        except Exception as error:  # reported by the caller, not this test's subject
            broken[path.stem] = f"{type(error).__name__}: {error}"
            continue
        usable.append((path.stem, params))
    return usable, broken


@dataclass
class Upload:
    name: str
    data: bytes
    actor: Actor
    kind: str
    plan: ImportPlan | None = None
    upload_id: int | None = None
    seconds: float = 0.0


def head_of(urn: int) -> Actor:
    return Actor(f"Head of {urn}", "head", frozenset({urn}))


def school_files(urns: list[int], seed: int, rows_each: int = 900) -> list[Upload]:
    """One return per school, kinds and formats taking turns: termly attainment (several
    hundred rows, new and changed), Ofsted inspections, CPD records."""
    out = []
    for i, urn in enumerate(urns):
        kind = ("attainment", "ofsted", "attainment", "cpd")[i % 4]
        fmt = ("xlsx", "csv")[(i // 2) % 2]
        if kind == "attainment":
            frame = big_attainment_frame(rows_each, years=range(2000, 2025), first_urn=urn,
                                         seed=seed * 1000 + urn)
        elif kind == "ofsted":
            frame = ofsted_frame([urn])
            frame.loc[0, "Overall effectiveness"] = ("Good", "Outstanding")[seed % 2]
        else:
            frame = cpd_frame([urn], range(2015, 2025))
            frame.loc[0, "Staff taking part"] = 5 + seed
        data = file_bytes(kind, grid_of(frame), fmt)
        out.append(Upload(f"{kind}-{urn}-{seed}.{fmt}", data, head_of(urn), kind))
    return out


@dataclass
class Round:
    uploads: list[Upload]
    reads: int = 0
    errors: list[str] = field(default_factory=list)
    hung: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _isolation_check(store: Store, since: int) -> None:
    """In one consistent read: every upload newer than `since` that is listed has all its rows
    and every row an upload wrote belongs to a listed upload (no half-written upload seen)."""
    with store.reading() as cursor:
        listed = dict(cursor.execute(
            "SELECT upload_id, rows_added + rows_updated FROM uploads WHERE upload_id > ?",
            [since]).fetchall())
        seen: dict[int, int] = {}
        for table in writing.TABLES:
            for upload_id, count in cursor.execute(
                    f'SELECT upload_id, count(*) FROM "{table}" WHERE upload_id > ? GROUP BY 1',
                    [since]).fetchall():
                seen[upload_id] = seen.get(upload_id, 0) + count
    assert set(seen) <= set(listed), f"rows of unlisted uploads {set(seen) - set(listed)} seen"
    for upload_id, rows in listed.items():
        assert seen.get(upload_id, 0) == rows, (
            f"upload {upload_id} listed with {rows} rows but {seen.get(upload_id, 0)} seen")


def upload_round(store: Store, uploads: list[Upload], *, readers: int = 4,
                 timeout: float = 300) -> Round:
    """All `uploads` planned and confirmed at once while `readers` threads run page queries."""
    queries, _ = page_queries(store)
    since = int(store.scalar("SELECT coalesce(max(upload_id), 0) FROM uploads"))
    result = Round(uploads)
    start = threading.Barrier(len(uploads) + readers)
    writers_done = threading.Event()
    lock = threading.Lock()
    remaining = [len(uploads)]

    def record(error: BaseException) -> None:
        with lock:
            result.errors.append("".join(traceback.format_exception(error)))

    def upload(job: Upload) -> None:
        try:
            start.wait(timeout)
            began = time.perf_counter()
            job.plan = plan_import(store, job.name, job.data, job.actor)
            assert job.plan.ok, job.plan.unusable or [str(p) for p in job.plan.problems[:3]]
            job.upload_id = commit(store, job.plan, job.actor).upload_id
            job.seconds = time.perf_counter() - began
        except BaseException as error:
            record(error)
        finally:
            with lock:
                remaining[0] -= 1
                if not remaining[0]:
                    writers_done.set()

    def read() -> None:
        try:
            start.wait(timeout)
            while True:
                last = writers_done.is_set()
                for name, params in queries:
                    store.run(name, **params)
                    with lock:
                        result.reads += 1
                _isolation_check(store, since)
                if last:
                    return
        except BaseException as error:
            record(error)

    threads = [threading.Thread(target=upload, args=(u,), name=u.name) for u in uploads]
    threads += [threading.Thread(target=read, name=f"reader-{i}") for i in range(readers)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    result.hung = [t.name for t in threads if t.is_alive()]
    result.seconds = time.perf_counter() - began
    return result


def rows_lost(store: Store, uploads: list[Upload]) -> int:
    """Rows a confirmed upload said that the store does not hold as it said them."""
    lost = 0
    for job in uploads:
        if job.plan is None or job.upload_id is None:
            continue
        for name, frame in job.plan.frames.items():
            spec = writing.TABLES[name]
            present, said = said_rows(frame.drop(columns=[ROW], errors="ignore"), spec,
                                      column_types(store, name))
            stored = keyed(*table_rows(store, name), spec.key)
            for key, row in said.items():
                held = stored.get(key)
                if held is None or any(held[c] != row[c] for c in present):
                    lost += 1
    return lost


@dataclass
class RaceResult:
    winner: str
    loser: str
    stale_message: str


def race(store: Store, first: tuple[str, bytes], second: tuple[str, bytes], actor: Actor,
         timeout: float = 120) -> RaceResult:
    """Two uploads for the same rows, planned from the same state and confirmed at the same
    moment: one goes in whole, the other is told its preview is stale and nothing of it is
    written (every table equals the store before, plus the winner's upload and nothing else)."""
    before = snapshot(store)
    tables_before = {t: table_rows(store, t) for t in (*writing.TABLES, "uploads")}
    plans = {name: plan_import(store, name, data, actor) for name, data in (first, second)}
    for name, plan in plans.items():
        assert plan.ok, (name, plan.unusable, [str(p) for p in plan.problems[:3]])
    outcomes: dict[str, Any] = {}
    errors: list[str] = []
    start = threading.Barrier(2)

    def confirm(name: str) -> None:
        try:
            start.wait(timeout)
            outcomes[name] = commit(store, plans[name], actor).upload_id
        except StalePlan as stale:
            outcomes[name] = stale
        except BaseException as error:
            errors.append("".join(traceback.format_exception(error)))

    threads = [threading.Thread(target=confirm, args=(n,)) for n in plans]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(t.is_alive() for t in threads), "two confirmations deadlocked"
    assert errors == [], errors
    won = [n for n, o in outcomes.items() if isinstance(o, int)]
    lost = [n for n, o in outcomes.items() if isinstance(o, StalePlan)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    winner, loser = won[0], lost[0]
    data = dict((first, second))
    # Everything as before plus the winner's upload: its rows, its listing, its original file
    # and nothing else (so nothing of the loser's, which may have the same bytes as an
    # earlier upload's file and so already be among the kept originals).
    check_accepted(store, plans[winner], outcomes[winner], data[winner], before, tables_before)
    return RaceResult(winner, loser, str(outcomes[loser]))


def same_school_files(urn: int, seed: int, kind: str = "attainment", fmt: str = "xlsx"
                      ) -> tuple[tuple[str, bytes], tuple[str, bytes]]:
    """Two returns from one school covering many of the same rows with different figures (a
    head and their deputy uploading at once)."""
    if kind == "attainment":
        a = big_attainment_frame(600, years=range(2000, 2025), first_urn=urn, seed=seed)
        b = big_attainment_frame(400, years=range(2010, 2025), first_urn=urn, seed=seed + 1)
    elif kind == "cpd":
        a = cpd_frame([urn], range(2015, 2025))
        b = cpd_frame([urn], range(2020, 2025))
        b["Staff taking part"] = 9
    else:
        a = ofsted_frame([urn])
        b = ofsted_frame([urn])
        b.loc[0, "Overall effectiveness"] = "Outstanding"
    return ((f"{kind}-{urn}-a.{fmt}", file_bytes(kind, grid_of(a), fmt)),
            (f"{kind}-{urn}-b.{fmt}", file_bytes(kind, grid_of(b), fmt)))

