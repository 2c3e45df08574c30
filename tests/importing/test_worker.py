"""The worker process: a file that exhausts the reader's memory or time, or crashes it, is
refused with a sentence, and the process that asked (the server, here the test itself) carries
on and reads the next file.

The screening refuses every hostile file in the corpus before a parser sees it, so to reach
the worker's own limits these tests relax the screening's limits (as a file the screening did
not foresee would) and keep the worker's.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from impact.importing import worker
from impact.importing.limits import limits
from impact.importing.pipeline import recognise
from impact.importing.problems import UnusableFile
from impact.importing.reading import read_file as read_here
from tests.factories import csv_bytes, schools_frame
from tests.importing import hostile_files as hostile
from tests.importing.public.published_files import ks

OPEN = limits().with_(max_columns=20_000, max_rows=2_000_000, max_cells=10**13,
                      zip_ratio=10**6, zip_member_mb=8192, zip_total_mb=8192)


def _vm_kb(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmSize:")[1].split()[0])


def test_a_worker_reads_what_the_server_would_have_read():
    data = ks(2, "2018-19").read_bytes()
    result = worker.read_in_worker("ks2.csv", data)
    assert result.refusal is None and result.limit is None
    here = read_here("ks2.csv", data)
    assert [s.name for s in result.sheets] == [s.name for s in here]
    assert result.sheets[0].grid.shape == here[0].grid.shape
    assert result.sheets[0].grid.shape[0] > 100
    assert result.sheets[0].grid.values.tolist() == here[0].grid.values.tolist()
    assert result.sheets[0].encoding == here[0].encoding == "utf-8-sig"
    assert result.worker_peak_mb and result.worker_peak_mb > 10


def test_recognise_reads_in_the_worker_with_the_limits_in_force(monkeypatch):
    data = csv_bytes(schools_frame(2, in_partnership=0))
    assert recognise("schools.csv", data)[0].code == "schools"
    monkeypatch.setenv("IMPACT_LIMIT_MAX_COLUMNS", "5")
    with pytest.raises(UnusableFile, match="has 10 columns, more than the 5 a sheet may have"):
        recognise("schools.csv", data)


def test_a_file_that_needs_more_memory_than_allowed_is_refused_and_the_server_carries_on():
    worker.warm_up()
    baseline_mb = _vm_kb(worker._forker.process.pid) // 1024
    allowed = baseline_mb + 150
    # 3 million different numbers: a few hundred MB of cells once parsed.
    data = b"".join(",".join(f"{r * 300 + i:07d}" for i in range(300)).encode() + b"\r\n"
                    for r in range(10_000))
    result = worker.read_in_worker("big.csv", data, OPEN.with_(read_memory_mb=allowed))
    assert result.limit == "memory", (result.limit, result.refusal, result.exit_code)
    assert result.refusal.startswith(f"big.csv needs more than the {allowed:,} MB of memory one "
                                     "upload may use to be read")
    assert "split the file into smaller ones" in result.refusal
    # The same file with room enough is read; the next small file too.
    assert worker.read_in_worker("big.csv", data, OPEN).sheets[0].grid.shape == (10_000, 300)
    assert worker.read_file("s.csv", csv_bytes(schools_frame(2)))


def test_a_file_that_takes_too_long_is_stopped_at_the_time_limit():
    started = time.perf_counter()
    result = worker.read_in_worker("results.xlsx", hostile.zip_bomb_sheet(),
                                   OPEN.with_(read_seconds=2))
    took = time.perf_counter() - started
    assert result.limit == "time", (result.limit, result.refusal)
    assert result.refusal.startswith("results.xlsx took longer than the 2 seconds one upload may "
                                     "take to read, so reading it was stopped")
    assert 2 <= took < 15
    assert worker.read_file("s.csv", csv_bytes(schools_frame(2)))


def test_a_parser_that_breaks_on_a_file_gives_a_sentence_not_a_crash():
    """Without the screening, the single far cell reaches calamine, which cannot lay out 17
    billion cells within the worker's memory (on the server it asked the system for 550 GB and
    the whole process aborted)."""
    result = worker.read_in_worker("results.xlsx", hostile.dimension_bomb(), OPEN)
    assert result.sheets is None
    assert result.refusal.startswith("results.xlsx ")
    assert result.limit in ("refused", "memory", "failed")
    assert "Open it in Excel" in result.refusal or "split the file" in result.refusal
    assert worker.read_file("s.csv", csv_bytes(schools_frame(2)))


def test_waiting_for_a_turn_does_not_count_against_the_time_limit():
    """Two slow files at once with one reader allowed: the second waits for the first, then
    gets its own full time."""
    one_at_a_time = OPEN.with_(read_seconds=2, parallel_reads=1)
    data = hostile.zip_bomb_sheet()
    results = []

    def read() -> None:
        results.append(worker.read_in_worker("results.xlsx", data, one_at_a_time))

    started = time.perf_counter()
    threads = [threading.Thread(target=read) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    took = time.perf_counter() - started
    assert [r.limit for r in results] == ["time", "time"]
    assert took >= 4, "the two reads overlapped"


def test_a_forker_that_was_ended_is_started_again():
    worker.warm_up()
    worker._forker.process.kill()
    worker._forker.process.wait(10)
    assert worker.read_file("s.csv", csv_bytes(schools_frame(2)))
    assert worker._forker.alive()


def test_the_size_limit_is_checked_before_the_bytes_go_anywhere():
    result = worker.read_in_worker("big.csv", b"x" * (2 * 1024 * 1024 + 1),
                                   limits().with_(upload_mb=2))
    assert result.limit == "size" and result.worker_peak_mb is None
    assert "more than the 2 MB an upload may be" in result.refusal
