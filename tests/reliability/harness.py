"""What the reliability tests and `python -m bench.reliability` share: valid returns of every
template kind, the ways a person (or a damaged disk) can spoil one, and the checks that an
upload either leaves the store exactly as it was or stores exactly what the file said.

Files are real: .xlsx written through the template writer (Instructions, hidden Lists sheet,
drop-downs), .csv in the encodings and separators Excel and school systems produce. The store
is a real DuckDB file in a temporary folder, copied from a base store built through the import
pipeline, so each file meets the same store.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import random
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from impact.auth import DEMO_ADMIN, Actor
from impact.domain.academic_years import TERMS, format_academic_year
from impact.exporting import export_bytes
from impact.importing import writing
from impact.importing.layout import ROW
from impact.importing.pipeline import ImportPlan, commit, plan_import
from impact.importing.templates import template_kinds, workbook
from impact.store import Store
from tests.factories import (
    attainment_frame,
    benchmarks_frame,
    cpd_frame,
    loaded_store,
    ofsted_frame,
    schools_frame,
    snapshot,
)

KINDS = ("schools", "attainment", "ofsted", "cpd", "benchmarks")
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "utf-16")
DELIMITERS = (",", ";", "\t")
BASE_SCHOOLS = 6


# --- the store every file meets ------------------------------------------------------------

def build_base_store(path: Path) -> Path:
    """Six schools with attainment, Ofsted, CPD and benchmarks, each from a real upload."""
    with Store(path) as store:
        loaded_store(store, n_schools=BASE_SCHOOLS)
    return path


@contextmanager
def store_copy(base: Path, folder: Path) -> Iterator[Store]:
    """A fresh store holding exactly what `base` holds (a copy of the file)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "store.duckdb"
    for stale in folder.glob("store.duckdb*"):
        stale.unlink()
    shutil.copyfile(base, path)
    store = Store(path)
    try:
        yield store
    finally:
        store.close()


# --- valid returns -------------------------------------------------------------------------

def base_frames() -> dict[str, pd.DataFrame]:
    """One valid return per kind, meeting the base store: some rows new, some changed, some
    exactly as stored."""
    schools = schools_frame(BASE_SCHOOLS + 2, in_partnership=4)
    schools.loc[1, "Pupils on roll"] = 321
    attainment = attainment_frame([100001, 100002, 100003, 100004], range(2017, 2020), seed=9)
    attainment = attainment.astype({"Value": object, "Cohort size": object})
    attainment.loc[2, ["Pupil group", "Cohort size", "Value"]] = ["SEND", 4, "c"]
    extra = pd.DataFrame([{"URN": 100002, "Academic year": "2019/20", "Term": "Autumn",
                           "Measure": "Teacher assessment: % on track in reading",
                           "Pupil group": "Disadvantaged", "Cohort size": 12, "Value": "58%"}])
    attainment = pd.concat([attainment, extra], ignore_index=True)
    ofsted = ofsted_frame([100001, 100003])
    cpd = cpd_frame([100001, 100003], range(2022, 2024))
    benchmarks = benchmarks_frame(range(2017, 2020))
    return {"schools": schools, "attainment": attainment, "ofsted": ofsted, "cpd": cpd,
            "benchmarks": benchmarks}


def grid_of(frame: pd.DataFrame) -> list[list[Any]]:
    """The frame as spreadsheet rows: its header, then one list per record (None if empty)."""
    rows: list[list[Any]] = [list(frame.columns)]
    for record in frame.itertuples(index=False):
        rows.append([None if _empty(v) else v for v in record])
    return rows


def _empty(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


MEASURES = ("Teacher assessment: % on track in reading",
            "Teacher assessment: % on track in writing",
            "Teacher assessment: % on track in maths")
GROUPS = ("All pupils", "Disadvantaged", "Boys", "Girls")
YEARS = range(2017, 2024)
PER_SCHOOL_YEAR = len(TERMS) * len(MEASURES) * len(GROUPS)


def big_attainment_frame(rows: int, *, years: range = YEARS, seed: int = 0,
                         first_urn: int = 200001) -> pd.DataFrame:
    """`rows` termly teacher-assessment rows for as many schools as that takes (URNs from
    `first_urn`), every school's figures for each year, term, measure and group; one in fifty
    hidden (`c`)."""
    rng = random.Random(seed)
    out = []
    urn = first_urn - 1
    while len(out) < rows:
        urn += 1
        for year in years:
            for term in TERMS:
                for measure in MEASURES:
                    for group in GROUPS:
                        if len(out) == rows:
                            break
                        hidden = rng.random() < 0.02
                        out.append((urn, format_academic_year(year), term, measure, group,
                                    rng.randint(3, 60),
                                    "c" if hidden else f"{rng.randint(0, 1000) / 10:g}%"))
    return pd.DataFrame(out, columns=["URN", "Academic year", "Term", "Measure", "Pupil group",
                                      "Cohort size", "Value"])


# --- writing a grid as a file --------------------------------------------------------------

def xlsx_from_grid(kind: str, grid: list[list[Any]]) -> bytes:
    """The kind's real template (Instructions, Lists, drop-downs) with `grid` on its Data sheet
    from A1, as a head who pasted their own rows over it would save it."""
    book = workbook(template_kinds()[kind], example=False)
    sheet = book["Data"]
    for cell in sheet[1]:
        cell.value = None
    for r, row in enumerate(grid, start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, dt.date):
                cell.number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_text_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return repr(value)
    return str(value)


def csv_from_grid(grid: list[list[Any]], encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in grid:
        writer.writerow([csv_text_cell(v) for v in row])
    return buffer.getvalue().encode(encoding, errors="replace")


# --- spoiling a file -----------------------------------------------------------------------

@dataclass
class Case:
    """One file to upload: a kind's valid return, the steps that spoiled it, its bytes."""

    kind: str
    fmt: str
    encoding: str
    delimiter: str
    grid_steps: list[tuple[Any, ...]] = field(default_factory=list)
    byte_steps: list[tuple[Any, ...]] = field(default_factory=list)
    grid: list[list[Any]] = field(default_factory=list, repr=False)
    data: bytes = field(default=b"", repr=False)

    @property
    def name(self) -> str:
        return f"{self.kind}-return.{self.fmt}"

    def __repr__(self) -> str:
        return (f"Case(kind={self.kind!r}, fmt={self.fmt!r}, encoding={self.encoding!r}, "
                f"delimiter={self.delimiter!r}, grid_steps={self.grid_steps!r}, "
                f"byte_steps={self.byte_steps!r}, bytes={len(self.data)})")

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # how hypothesis shows it
        printer.text(repr(self))


_AWKWARD_TEXT = (
    "", " ", "c", "x", "z", "low", "SUPP", "45%", "0.45", "-3", "1e308", "1e-320", "-0", "nan",
    "inf", "-inf", "NaN", "TRUE", "#N/A", "#DIV/0!", "=1+1", "=HYPERLINK(\"x\")", "2018/19",
    "2018-19", "2018/2019", "1999/00", "2099/00", "Summer", "autumn", "31/02/2020", "12/13/2020",
    "2020-02-30", "0", "999999", "1000000", "100001", "100001.5", "10000000000", "N/A",
    "Good", "Outstanding", "Met", "Strong standard", "Cohort A", "Test Trust", "All pupils",
    "SEND", "KS2 reading: average scaled score", "\u2019", "\u00e9cole", "\ufeffURN",
    "line\nbreak", "tab\there", "quote\"d", "semi;colon", "comma, here", "\x00", "\u202e",
    "\U0001f600", "a" * 300,
)


def cell_values(allow_pre_1900: bool = True) -> st.SearchStrategy[Any]:
    low = dt.date(1, 1, 1) if allow_pre_1900 else dt.date(1900, 3, 1)
    return st.one_of(
        st.none(),
        st.sampled_from(_AWKWARD_TEXT),
        st.text(max_size=24),
        st.integers(min_value=-(10 ** 6), max_value=10 ** 7),
        st.integers(min_value=-(2 ** 70), max_value=2 ** 70),
        st.floats(allow_nan=False, allow_infinity=False, width=64),
        st.dates(min_value=low, max_value=dt.date(2200, 12, 31)),
        st.datetimes(min_value=dt.datetime.combine(low, dt.time()),
                     max_value=dt.datetime(2200, 12, 31)),
        st.booleans(),
    )


@st.composite
def grid_steps(draw: st.DrawFn, grid: list[list[Any]], fmt: str) -> list[tuple[Any, ...]]:
    """Up to three spoiling steps, each recorded so a failure shows what was done."""
    steps: list[tuple[Any, ...]] = []
    width = len(grid[0])
    height = len(grid)
    for _ in range(draw(st.integers(0, 3))):
        what = draw(st.sampled_from((
            "cell", "cell", "cell", "cell_from_other_row", "header_delete", "header_rename",
            "header_duplicate", "header_case", "drop_column", "swap_columns", "blank_rows",
            "title_rows", "duplicate_row", "drop_row")))
        col = draw(st.integers(0, width - 1))
        row = draw(st.integers(1, height - 1))
        if what == "cell":
            steps.append((what, row, col, draw(cell_values(fmt == "csv"))))
        elif what == "cell_from_other_row":
            steps.append((what, row, col, draw(st.integers(1, height - 1)),
                          draw(st.integers(0, width - 1))))
        elif what == "header_rename":
            steps.append((what, col, draw(st.one_of(st.text(max_size=20),
                                                    st.sampled_from(_AWKWARD_TEXT)))))
        elif what in ("header_duplicate", "swap_columns"):
            steps.append((what, col, draw(st.integers(0, width - 1))))
        elif what == "header_case":
            steps.append((what, col, draw(st.sampled_from(("upper", "lower", "spaces",
                                                           "required", "underscores")))))
        elif what == "blank_rows":
            steps.append((what, row, draw(st.integers(1, 3))))
        elif what == "title_rows":
            steps.append((what, draw(st.integers(1, 4)),
                          draw(st.sampled_from(("Summer return 2019", "", "Prepared by: head",
                                                "Data", "URN")))))
        elif what in ("duplicate_row", "drop_row"):
            steps.append((what, row))
        else:
            steps.append((what, col))
    return steps


def apply_grid_steps(grid: list[list[Any]], steps: list[tuple[Any, ...]]) -> list[list[Any]]:
    """The grid with each step applied in turn (indices wrap, as earlier steps change sizes)."""
    out = [list(row) for row in grid]
    for step in steps:
        what = step[0]
        width = max(len(r) for r in out) if out else 0
        header = _header_index(out)
        if width == 0:
            break
        if what == "cell":
            _, r, c, value = step
            row = out[_data_row(out, header, r)]
            row[c % len(row)] = value
        elif what == "cell_from_other_row":
            _, r, c, r2, c2 = step
            source = out[_data_row(out, header, r2)]
            target = out[_data_row(out, header, r)]
            target[c % len(target)] = source[c2 % len(source)]
        elif what == "header_delete":
            out[header][step[1] % width] = None
        elif what == "header_rename":
            out[header][step[1] % width] = step[2]
        elif what == "header_duplicate":
            out[header][step[2] % width] = out[header][step[1] % width]
        elif what == "header_case":
            c = step[1] % width
            out[header][c] = _recase(out[header][c], step[2])
        elif what == "drop_column":
            c = step[1] % width
            out = [[v for i, v in enumerate(row) if i != c] for row in out]
        elif what == "swap_columns":
            i, j = step[1] % width, step[2] % width
            for row in out:
                row[i], row[j] = row[j], row[i]
        elif what == "blank_rows":
            at = _data_row(out, header, step[1])
            out[at:at] = [[None] * width for _ in range(step[2])]
        elif what == "title_rows":
            out[0:0] = [[step[2] or None] + [None] * (width - 1) for _ in range(step[1])]
        elif what == "duplicate_row":
            at = _data_row(out, header, step[1])
            out.insert(at + 1, list(out[at]))
        elif what == "drop_row" and len(out) - header > 2:
            del out[_data_row(out, header, step[1])]
    return out


def _header_index(grid: list[list[Any]]) -> int:
    """Title rows are inserted above the header: the first row with more than one cell."""
    for i, row in enumerate(grid):
        if sum(v is not None for v in row) > 1:
            return i
    return 0


def _data_row(grid: list[list[Any]], header: int, r: int) -> int:
    count = len(grid) - header - 1
    return header + 1 + (r - 1) % count if count > 0 else header


def _recase(header: Any, how: str) -> Any:
    if not isinstance(header, str):
        return header
    return {"upper": header.upper(), "lower": header.lower(), "spaces": f"  {header}  ",
            "required": f"{header} (required)", "underscores": header.replace(" ", "_")}[how]


@st.composite
def byte_steps(draw: st.DrawFn) -> list[tuple[Any, ...]]:
    """Damage as a disk, an email gateway or an interrupted download does it."""
    steps: list[tuple[Any, ...]] = []
    for _ in range(draw(st.sampled_from((0, 0, 0, 1, 1, 2)))):  # most files arrive intact
        what = draw(st.sampled_from(("truncate", "flip", "append", "insert")))
        if what == "truncate":
            steps.append((what, draw(st.floats(0, 1))))
        elif what == "flip":
            steps.append((what, draw(st.lists(st.tuples(st.floats(0, 1), st.integers(1, 255)),
                                              min_size=1, max_size=8))))
        elif what == "append":
            steps.append((what, draw(st.one_of(st.binary(min_size=1, max_size=64),
                                               st.sampled_from((b"\x00" * 16, b"PK\x03\x04",
                                                                b"\r\n,,,\r\n", b"\xff\xfe"))))))
        else:
            steps.append((what, draw(st.floats(0, 1)), draw(st.binary(min_size=1, max_size=16))))
    return steps


def apply_byte_steps(data: bytes, steps: list[tuple[Any, ...]]) -> bytes:
    out = bytearray(data)
    for step in steps:
        what = step[0]
        if what == "truncate":
            out = out[:int(len(out) * step[1])]
        elif what == "flip" and out:
            for where, mask in step[1]:
                i = min(int(len(out) * where), len(out) - 1)
                out[i] ^= mask
        elif what == "append":
            out += step[1]
        elif what == "insert":
            i = int(len(out) * step[1])
            out[i:i] = step[2]
    return bytes(out)


FRAMES = base_frames()


@st.composite
def cases(draw: st.DrawFn, kinds: tuple[str, ...] = KINDS, *, damage: bool = True) -> Case:
    """A valid return of one kind, spoiled in up to three ways in its cells and headers and
    (if `damage`) up to two in its bytes."""
    kind = draw(st.sampled_from(kinds))
    fmt = draw(st.sampled_from(("xlsx", "csv")))
    encoding = draw(st.sampled_from(ENCODINGS)) if fmt == "csv" else "xlsx"
    delimiter = draw(st.sampled_from(DELIMITERS)) if fmt == "csv" else ""
    grid = grid_of(FRAMES[kind])
    case = Case(kind, fmt, encoding, delimiter)
    case.grid_steps = draw(grid_steps(grid, fmt))
    case.byte_steps = draw(byte_steps()) if damage else []
    case.grid = apply_grid_steps(grid, case.grid_steps)
    raw = (xlsx_from_grid(kind, case.grid) if fmt == "xlsx"
           else csv_from_grid(case.grid, encoding, delimiter))
    case.data = apply_byte_steps(raw, case.byte_steps)
    return case


def file_bytes(kind: str, grid: list[list[Any]], fmt: str, encoding: str = "utf-8",
               delimiter: str = ",") -> bytes:
    return xlsx_from_grid(kind, grid) if fmt == "xlsx" else csv_from_grid(grid, encoding,
                                                                          delimiter)


# --- the checks ----------------------------------------------------------------------------

DATA_TABLES = tuple(writing.TABLES)


def table_rows(store: Store, name: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    with store.reading() as cursor:
        result = cursor.execute(f'SELECT * FROM "{name}"')
        columns = [d[0] for d in result.description]
        return columns, result.fetchall()


def column_types(store: Store, name: str) -> dict[str, str]:
    rows = store.query("SELECT column_name, data_type FROM information_schema.columns "
                       "WHERE table_name = ? AND table_schema = 'main'", [name])
    return dict(zip(rows["column_name"], rows["data_type"], strict=True))


class NotNative:
    """A value the validator handed over that does not fit its column's type as it stands."""

    def __init__(self, value: Any, wanted: str) -> None:
        self.value, self.wanted = value, wanted

    def __repr__(self) -> str:
        return f"<{self.value!r} is not {self.wanted}>"


def native(value: Any, sql_type: str) -> Any:
    """A validated cell as the store should hold it; NotNative if it would need converting
    (which would mean the store holds something other than what the validator read)."""
    if _empty(value):
        return None
    if sql_type in ("INTEGER", "BIGINT"):
        if isinstance(value, bool):
            return NotNative(value, sql_type)
        if isinstance(value, int | np.integer):
            return int(value)
        if isinstance(value, float | np.floating) and float(value).is_integer():
            return int(value)
        return NotNative(value, sql_type)
    if sql_type == "DOUBLE":
        if isinstance(value, int | float | np.integer | np.floating) and \
                not isinstance(value, bool):
            return float(value)
        return NotNative(value, sql_type)
    if sql_type == "DATE":
        if isinstance(value, pd.Timestamp):
            value = value.to_pydatetime()
        if isinstance(value, dt.datetime):
            return value.date() if value.time() == dt.time() else NotNative(value, sql_type)
        if isinstance(value, dt.date):
            return value
        return NotNative(value, sql_type)
    if sql_type == "VARCHAR":
        return value if isinstance(value, str) else NotNative(value, sql_type)
    return value


def said_rows(frame: pd.DataFrame, spec: writing.TableSpec, types: dict[str, str]
              ) -> tuple[list[str], dict[tuple[Any, ...], dict[str, Any]]]:
    """What a validated frame says, keyed by natural key, in the store's types."""
    present = [v for v in spec.values if v in frame]
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    columns = [*spec.key, *present]
    for record in frame[columns].itertuples(index=False):
        row = {c: native(v, types[c]) for c, v in zip(columns, record, strict=True)}
        key = tuple(row[k] for k in spec.key)
        assert key not in out, f"{spec.name}: the validator handed over key {key} twice"
        out[key] = row
    return present, out


def keyed(columns: list[str], rows: list[tuple[Any, ...]], key: tuple[str, ...]
          ) -> dict[tuple[Any, ...], dict[str, Any]]:
    out = {}
    for row in rows:
        record = dict(zip(columns, row, strict=True))
        out[tuple(record[k] for k in key)] = record
    return out


def check_plan_is_a_plan(plan: ImportPlan) -> None:
    """Whatever the bytes, the user gets a sentence or a list of problems, never a trace."""
    assert isinstance(plan, ImportPlan)
    if plan.unusable is not None:
        assert isinstance(plan.unusable, str) and plan.unusable.strip()
        assert "Traceback" not in plan.unusable
        assert not plan.ok
        return
    for problem in plan.problems:
        assert isinstance(problem.message, str) and problem.message.strip()
        assert problem.row is None or (isinstance(problem.row, int) and problem.row >= 1)
        assert "Traceback" not in problem.message
    if plan.ok:
        assert plan.kind is not None
        assert [c.table for c in plan.changes] == [n for n in writing.WRITE_ORDER
                                                    if n in plan.frames]


@dataclass
class Outcome:
    status: str  # accepted | rejected | unusable
    plan: ImportPlan
    upload_id: int | None = None


def upload_and_check(store: Store, name: str, data: bytes, actor: Actor = DEMO_ADMIN, *,
                     kind: str | None = None, check_export: bool = True) -> Outcome:
    """Upload a file as the app does (plan, then confirm if it has no problems) and check:
    a refused file changes nothing; an accepted one stores exactly what its plan read, touches
    nothing else, keeps the original bytes, and exports back to what it said."""
    before = snapshot(store)
    plan = plan_import(store, name, data, actor, kind=kind)
    check_plan_is_a_plan(plan)
    assert snapshot(store) == before, "planning an upload changed the store"
    if not plan.ok:
        try:
            commit(store, plan, actor)
        except ValueError:
            pass
        else:  # pragma: no cover - reported
            raise AssertionError("a plan with problems was committed")
        assert snapshot(store) == before, "a refused file changed the store"
        return Outcome("unusable" if plan.unusable else "rejected", plan)
    tables_before = {t: table_rows(store, t) for t in (*DATA_TABLES, "uploads")}
    result = commit(store, plan, actor)
    assert result.status == "accepted" and result.upload_id is not None
    check_accepted(store, plan, result.upload_id, data, before, tables_before)
    if check_export and plan.kind in template_kinds():  # public formats have no export
        check_exports_back(store, plan, actor)
    return Outcome("accepted", plan, result.upload_id)


def check_accepted(store: Store, plan: ImportPlan, upload_id: int, data: bytes,
                   before: dict[str, list[tuple]],
                   tables_before: dict[str, tuple[list[str], list[tuple[Any, ...]]]]) -> None:
    after = snapshot(store)
    touched = set()
    for name, frame in plan.frames.items():
        spec = writing.TABLES[name]
        types = column_types(store, name)
        present, said = said_rows(frame.drop(columns=[ROW], errors="ignore"), spec, types)
        old = keyed(*tables_before[name], spec.key)
        new = keyed(*table_rows(store, name), spec.key)
        added = updated = unchanged = 0
        for key, row in said.items():
            stored = new.get(key)
            assert stored is not None, f"{name}: row {key} from the file is not in the store"
            for column in present:
                assert stored[column] == row[column], (
                    f"{name} {key} {column}: the file said {row[column]!r}, the store holds "
                    f"{stored[column]!r}")
            if key in old:
                was = old[key]
                for column in spec.values:
                    if column not in present:
                        assert stored[column] == was[column], (
                            f"{name} {key}: {column} was not in the file but changed")
                changed = any(was[c] != row[c] for c in present)
                assert stored["upload_id"] == (upload_id if changed else was["upload_id"])
                updated += changed
                unchanged += not changed
            else:
                assert stored["upload_id"] == upload_id
                added += 1
        for key, stored in new.items():
            if key not in said:
                assert old.get(key) == stored, f"{name}: row {key} was not in the file but changed"
        assert set(new) == set(old) | set(said)
        planned = next(c for c in plan.changes if c.table == name)
        assert (planned.added, planned.updated, planned.unchanged) == (added, updated, unchanged)
        log = store.query(f'SELECT * FROM "{name}_changes" WHERE change_upload_id = ?',
                          [upload_id])
        assert (log["change"] == "added").sum() == added
        assert (log["change"] == "updated").sum() == updated
        touched |= {name, f"{name}_changes"}
    uploads = store.query("SELECT * FROM uploads WHERE upload_id = ?", [upload_id])
    assert len(uploads) == 1
    assert uploads.at[0, "sha256"] == plan.sha256 and uploads.at[0, "kind"] == plan.kind
    assert uploads.at[0, "status"] == "accepted"
    assert (uploads.at[0, "rows_added"], uploads.at[0, "rows_updated"]) == \
        (plan.rows_added, plan.rows_updated)
    assert len(after["uploads"]) == len(before["uploads"]) + 1
    kept = store.scalar("SELECT content FROM upload_files WHERE sha256 = ?", [plan.sha256])
    assert bytes(kept) == data, "the original file was not kept as uploaded"
    files_before = {row[0] for row in before["upload_files"]}  # sha256 is its first column
    files_after = {row[0] for row in after["upload_files"]}
    assert files_before <= files_after and files_after - files_before <= {plan.sha256}, (
        "files other than this upload's were added to or removed from the kept originals")
    touched |= {"uploads", "upload_files"}
    for table in after:
        if table not in touched:
            assert after[table] == before[table], f"{table} changed, though the file had none"


def check_exports_back(store: Store, plan: ImportPlan, actor: Actor) -> None:
    """The kind's export, read back by the same validator, says what the file said for the
    file's rows, and importing it changes nothing."""
    exported = export_bytes(store, plan.kind, "csv", actor=actor)
    again = plan_import(store, f"export-{plan.kind}.csv", exported, actor, kind=plan.kind)
    assert again.ok, again.unusable or [str(p) for p in again.problems[:5]]
    assert (again.rows_added, again.rows_updated) == (0, 0), "export then import changed rows"
    for name, frame in plan.frames.items():
        spec = writing.TABLES[name]
        types = column_types(store, name)
        present, said = said_rows(frame.drop(columns=[ROW], errors="ignore"), spec, types)
        _, back = said_rows(again.frames[name].drop(columns=[ROW], errors="ignore"), spec,
                            types)
        for key, row in said.items():
            assert key in back, f"{name}: row {key} is missing from the export"
            for column in present:
                assert back[key][column] == row[column], (
                    f"{name} {key} {column}: the file said {row[column]!r}, the export says "
                    f"{back[key][column]!r}")
