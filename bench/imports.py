"""Import speed: a 50,000-row termly xlsx and a whole-England KS2 performance table.

Each is timed end to end (read, validate, compare with the store, write in one transaction)
and compared in the same run with the bare parse as the floor (`pandas.read_excel(engine=
"calamine")`; DuckDB `read_csv`) and with an openpyxl-based read as the common alternative.
Target: within 3x of the floor. Medians of several runs, each into a fresh copy of the store.
"""

from __future__ import annotations

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
from impact.importing.pipeline import import_file
from impact.store import Store

ACTOR = Actor("Benchmark", "admin")
REALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata"


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


def run(runs: int = 3) -> list[dict[str, object]]:
    results = []
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
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

        floor = median_time(lambda: pd.read_excel(xlsx, engine="calamine"), runs)
        alternative = median_time(lambda: pd.read_excel(xlsx, engine="openpyxl"), runs)
        ours = median_time(ours_xlsx, runs)
        results.append({"benchmark": "50,000-row termly attainment xlsx",
                        "floor": "pandas.read_excel(calamine)", "floor_s": floor,
                        "alternative": "pandas.read_excel(openpyxl)",
                        "alternative_s": alternative, "ours_s": ours, "ratio": ours / floor})

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

        floor = median_time(duck_floor, runs)
        alternative = median_time(lambda: pd.read_csv(ks2, dtype=str, encoding="utf-8-sig",
                                                      on_bad_lines="skip"), runs)
        try:
            ours = median_time(ours_ks2, runs)
        except Exception as error:  # the KS2 format may not be registered yet
            print(f"whole-England KS2 import failed: {error}")
            ours = float("nan")
        results.append({"benchmark": "whole-England KS2 performance table (16,000 x 318)",
                        "floor": "DuckDB read_csv (all cells read)", "floor_s": floor,
                        "alternative": "pandas.read_csv", "alternative_s": alternative,
                        "ours_s": ours, "ratio": ours / floor})
    return results


if __name__ == "__main__":
    for row in run():
        print(row)
