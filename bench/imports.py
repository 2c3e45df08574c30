"""Import speed: a 50,000-row termly xlsx and a whole-England KS2 performance table.

Each is timed end to end (read, validate, compare with the store, write in one transaction)
and compared in the same run with the bare parse as the floor (`pandas.read_excel(engine=
"calamine")`; DuckDB `read_csv`) and with an openpyxl-based read as the common alternative.
Target: within 3x of the floor. Medians of several runs, each into a fresh copy of the store;
processor time is reported beside wall time (this process, and the worker process that reads
and checks the file), since wall time on a shared machine says little.

    python -m bench.imports [--only ks2|xlsx] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
from openpyxl import Workbook

from impact.auth import Actor
from impact.domain.academic_years import TERMS, format_academic_year
from impact.importing import worker
from impact.importing.pipeline import import_file
from impact.store import Store

ACTOR = Actor("Benchmark", "admin")


def _realdata() -> Path:
    """`shared/realdata` beside the checkout (or beside a folder above it: a git worktree)."""
    for folder in Path(__file__).resolve().parents[1].parents:
        if (folder / "shared" / "realdata").is_dir():
            return folder / "shared" / "realdata"
    return Path(__file__).resolve().parents[1].parent / "shared" / "realdata"


REALDATA = _realdata()


def median_time(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _schools_store(path: Path, urns: list[int]) -> None:
    store = Store(path)
    with store.writing(ACTOR) as tx:
        frame = pd.DataFrame({"urn": urns, "name": [f"School {u}" for u in urns]})
        tx.cursor.register("bench_schools", frame)
        tx.execute("INSERT INTO schools (urn, name, phase, upload_id) "
                   "SELECT urn, name, 'Primary', 0 FROM bench_schools")
    store.close()


def termly_xlsx(path: Path, rows: int = 50_000) -> list[int]:
    """An attainment return of `rows` rows: teacher assessment, three terms, four groups."""
    measures = ("Teacher assessment: % on track in reading",
                "Teacher assessment: % on track in writing",
                "Teacher assessment: % on track in maths")
    groups = ("All pupils", "Disadvantaged", "Boys", "Girls")
    per_school = len(TERMS) * len(measures) * len(groups) * 4  # four years
    schools = -(-rows // per_school)
    urns = [200001 + i for i in range(schools)]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    sheet.append(["URN", "Academic year", "Term", "Measure", "Pupil group", "Cohort size",
                  "Value"])
    written = 0
    for urn in urns:
        for year in range(2021, 2025):
            for term in TERMS:
                for measure in measures:
                    for group in groups:
                        if written == rows:
                            break
                        value = 40 + (urn * 7 + year * 3 + len(term) + len(group)) % 55
                        sheet.append([urn, format_academic_year(year), term, measure, group,
                                      28, value])
                        written += 1
    book.save(path)
    return urns


def england_ks2_csv(path: Path, rows: int = 16_000) -> list[int]:
    """A whole-England-sized KS2 table in the real file's format, from Surrey's rows."""
    source = REALDATA / "ks2_2018-19_936_surrey.csv"
    raw = source.read_bytes().decode("utf-8-sig").splitlines()
    header, body = raw[0], raw[1:]
    school_lines = [line for line in body if line.split(",", 1)[0] in ("1", "2")]
    totals = [line for line in body if line.split(",", 1)[0] not in ("1", "2")]
    out = [header]
    urns = []
    urn_index = header.split(",").index("URN")
    i = 0
    while len(out) - 1 < rows - len(totals):
        cells = school_lines[i % len(school_lines)].split(",")
        urn = 300000 + i
        if len(cells) > urn_index:
            cells[urn_index] = str(urn)
            urns.append(urn)
        out.append(",".join(cells))
        i += 1
    out.extend(totals)
    path.write_bytes(("\ufeff" + "\r\n".join(out) + "\r\n").encode("utf-8"))
    return urns


def run(runs: int = 3, only: str | None = None) -> list[dict[str, object]]:
    """Both benchmarks, or only one (`only` is "xlsx" or "ks2")."""
    results = []
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        if only in (None, "xlsx"):
            results.append(_xlsx_case(tmp, runs))
        if only in (None, "ks2"):
            results.append(_ks2_case(tmp, runs))
    return results


def _cpu() -> float:
    """Processor time of this process, of its children that have ended, and of the import
    worker processes (forked from the worker's forker, which waits for each: their time is in
    the forker's `cutime`), so that work moved into a worker is still counted."""
    t = os.times()
    total = t.user + t.system + t.children_user + t.children_system
    forker = worker._forker  # noqa: SLF001 - the benchmark reads its processor time only
    if forker is not None and forker.alive():
        fields = Path(f"/proc/{forker.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        # after the command: state is field 3; utime, stime, cutime, cstime are 14 to 17
        total += sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    return total


def median_times(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall time and median processor time (this process and its workers)."""
    walls, cpus = [], []
    for _ in range(runs):
        cpu = _cpu()
        started = time.perf_counter()
        action()
        walls.append(time.perf_counter() - started)
        cpus.append(_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def _row(benchmark: str, floor_name: str, floor: tuple[float, float], alternative_name: str,
         alternative: float, ours: tuple[float, float]) -> dict[str, object]:
    return {"benchmark": benchmark, "floor": floor_name, "floor_s": floor[0],
            "alternative": alternative_name, "alternative_s": alternative, "ours_s": ours[0],
            "ratio": ours[0] / floor[0], "floor_cpu_s": floor[1], "ours_cpu_s": ours[1],
            "cpu_ratio": ours[1] / floor[1] if floor[1] else float("nan")}


def _xlsx_case(tmp: Path, runs: int) -> dict[str, object]:
    xlsx = tmp / "termly_50k.xlsx"
    urns = termly_xlsx(xlsx)
    base = tmp / "base.duckdb"
    _schools_store(base, urns)

    def ours_xlsx() -> None:
        target = tmp / "run.duckdb"
        shutil.copy(base, target)
        store = Store(target)
        result = import_file(store, xlsx, ACTOR, kind="attainment")
        store.close()
        assert result.status == "accepted", result.as_dict()["errors"][:3]
        target.unlink()

    floor = median_times(lambda: pd.read_excel(xlsx, engine="calamine"), runs)
    alternative = median_time(lambda: pd.read_excel(xlsx, engine="openpyxl"), runs)
    ours = median_times(ours_xlsx, runs)
    return _row("50,000-row termly attainment xlsx", "pandas.read_excel(calamine)", floor,
                "pandas.read_excel(openpyxl)", alternative, ours)


def _ks2_case(tmp: Path, runs: int) -> dict[str, object]:
    ks2 = tmp / "ks2_england.csv"
    england_ks2_csv(ks2)
    empty = tmp / "empty.duckdb"
    Store(empty).close()

    def ours_ks2() -> None:
        target = tmp / "run2.duckdb"
        shutil.copy(empty, target)
        store = Store(target)
        result = import_file(store, ks2, ACTOR, options={"academic_year": "2018/19"})
        store.close()
        assert result.status == "accepted", result.as_dict()["errors"][:3]
        target.unlink()

    def duck_floor() -> None:
        # Every cell parsed into a table: counting rows alone would skip the parse.
        con = duckdb.connect()
        con.execute("CREATE TABLE ks2 AS SELECT * FROM read_csv(?, delim=',', header=true, "
                    "all_varchar=true, null_padding=true)", [str(ks2)])
        con.close()

    ours_ks2()  # the first import starts the worker's forker: not part of any import's time
    floor = median_times(duck_floor, runs)
    alternative = median_time(lambda: pd.read_csv(ks2, dtype=str, encoding="utf-8-sig",
                                                  on_bad_lines="skip"), runs)
    try:
        ours = median_times(ours_ks2, runs)
    except Exception as error:  # the KS2 format may not be registered yet
        print(f"whole-England KS2 import failed: {error}")
        ours = (float("nan"), float("nan"))
    return _row("whole-England KS2 performance table (16,000 x 318)",
                "DuckDB read_csv (all cells read)", floor, "pandas.read_csv", alternative, ours)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--only", choices=("xlsx", "ks2"), help="run one benchmark only")
    args = parser.parse_args()
    for row in run(args.runs, args.only):
        print(row)
        print(f"  {row['benchmark']}: ours {row['ours_s']:.2f} s wall, "
              f"{row['ours_cpu_s']:.2f} s CPU; floor {row['floor_s']:.2f} s wall, "
              f"{row['floor_cpu_s']:.2f} s CPU; ratio {row['ratio']:.2f}x wall, "
              f"{row['cpu_ratio']:.2f}x CPU")


if __name__ == "__main__":
    main()
