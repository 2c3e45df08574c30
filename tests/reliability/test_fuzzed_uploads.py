"""Hostile files: valid returns of every template kind spoiled at random, as people and damaged
disks spoil them, uploaded into a real store.

Whatever the bytes, planning returns a plan (problems, or a sentence saying why the file cannot
be used) and never raises. A refused file leaves every table exactly as it was. An accepted
file stores exactly what its plan read (every row, every column it had; nothing else touched;
the original bytes kept), and the kind's export, read back by the same validator, says the
same. Few examples here so `make test` stays quick; `python -m bench.reliability` runs
thousands.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from impact.auth import DEMO_ADMIN
from impact.importing.pipeline import plan_import
from tests.factories import snapshot
from tests.reliability.harness import (
    ENCODINGS,
    FRAMES,
    KINDS,
    Case,
    apply_grid_steps,
    cases,
    cell_values,
    check_plan_is_a_plan,
    file_bytes,
    grid_of,
    store_copy,
    upload_and_check,
)

QUICK = settings(max_examples=5, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                        HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize("kind", KINDS)
@QUICK
@given(data=st.data())
def test_a_spoiled_return_is_refused_whole_or_stored_exactly_as_read(kind, data,
                                                                      base_store_file):
    case: Case = data.draw(cases((kind,)), label="case")
    with tempfile.TemporaryDirectory() as folder, \
            store_copy(base_store_file, Path(folder)) as store:
        upload_and_check(store, case.name, case.data)


@pytest.mark.parametrize("kind, fmt", [("schools", "xlsx"), ("attainment", "csv"),
                                       ("ofsted", "xlsx"), ("cpd", "csv"),
                                       ("benchmarks", "xlsx")])
def test_every_kinds_own_return_goes_in_and_exports_back(kind, fmt, base_store_file, tmp_path):
    """The unspoiled files the fuzzing starts from are accepted (so the fuzzing explores near
    valid files, not only refusals), and each adds rows."""
    with store_copy(base_store_file, tmp_path / fmt) as store:
        outcome = upload_and_check(store, f"{kind}.{fmt}",
                                   file_bytes(kind, grid_of(FRAMES[kind]), fmt))
    assert outcome.status == "accepted"
    assert outcome.plan.rows_added > 0


_PREFIXES = (b"", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff",
             b"URN,Academic year,Term,Measure,Value\r\n", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
             b"<html>", b"%PDF-1.4", b"BM")


@settings(max_examples=50, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.sampled_from(_PREFIXES), body=st.binary(max_size=600),
       name=st.sampled_from(("return.xlsx", "return.csv", "return", "r.xlsm", "r.txt")))
def test_any_bytes_at_all_get_a_plan_and_change_nothing(prefix, body, name, store):
    before = snapshot(store)
    plan = plan_import(store, name, prefix + body, DEMO_ADMIN)
    check_plan_is_a_plan(plan)
    assert not plan.ok
    assert snapshot(store) == before


_NEUTRAL = st.lists(st.one_of(
    st.tuples(st.just("swap_columns"), st.integers(0, 20), st.integers(0, 20)),
    st.tuples(st.just("header_case"), st.integers(0, 20),
              st.sampled_from(("upper", "lower", "spaces", "required", "underscores"))),
    st.tuples(st.just("blank_rows"), st.integers(1, 20), st.integers(1, 3)),
    st.tuples(st.just("title_rows"), st.integers(1, 4),
              st.sampled_from(("Summer return 2019", "Prepared by: head")))), max_size=4)


def _said(plan) -> dict[str, list[tuple[str, ...]]]:
    """Each table's rows as the validator read them, in no particular order."""
    return {name: sorted(tuple(str(v) for v in row) for row in
                         frame.drop(columns=["_row"], errors="ignore").itertuples(index=False))
            for name, frame in plan.frames.items()}


@settings(max_examples=6, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(KINDS), steps=_NEUTRAL,
       fmt=st.sampled_from(("xlsx", "csv")), encoding=st.sampled_from(ENCODINGS),
       delimiter=st.sampled_from((",", ";", "\t")))
def test_rearranging_or_re_encoding_a_return_does_not_change_what_it_says(
        kind, steps, fmt, encoding, delimiter, base_store_file, tmp_path):
    """Columns in another order, headers in another case, blank and title rows, CSV saved in
    another encoding or with another separator: the same rows are read, with the same values,
    and compare with the store the same way."""
    with store_copy(base_store_file, tmp_path / "neutral") as store:
        pristine = plan_import(store, f"{kind}.xlsx",
                               file_bytes(kind, grid_of(FRAMES[kind]), "xlsx"), DEMO_ADMIN)
        grid = apply_grid_steps(grid_of(FRAMES[kind]), steps)
        plan = plan_import(store, f"{kind}.{fmt}",
                           file_bytes(kind, grid, fmt, encoding, delimiter), DEMO_ADMIN)
    assert pristine.ok
    assert plan.ok, plan.unusable or [str(p) for p in plan.problems[:5]]
    assert plan.kind == kind
    assert _said(plan) == _said(pristine)
    assert [(c.table, c.added, c.updated, c.unchanged) for c in plan.changes] == \
        [(c.table, c.added, c.updated, c.unchanged) for c in pristine.changes]


@settings(max_examples=8, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_one_spoiled_cell_is_named_by_its_row(data, base_store_file, tmp_path):
    """If changing one cell gets a file refused, a problem points at that cell's row (or, for a
    row now repeating another, names both rows), so the head can find it."""
    kind = data.draw(st.sampled_from(KINDS), label="kind")
    fmt = data.draw(st.sampled_from(("xlsx", "csv")), label="fmt")
    grid = grid_of(FRAMES[kind])
    row = data.draw(st.integers(1, len(grid) - 1), label="row")
    col = data.draw(st.integers(0, len(grid[0]) - 1), label="col")
    value = data.draw(cell_values(fmt == "csv"), label="value")
    spoiled = apply_grid_steps(grid, [("cell", row, col, value)])
    with store_copy(base_store_file, tmp_path / "one-cell") as store:
        outcome = upload_and_check(store, f"{kind}.{fmt}", file_bytes(kind, spoiled, fmt),
                                   check_export=False)
    if outcome.status != "rejected":
        return
    sheet_row = row + 1  # the header is spreadsheet row 1
    problems = outcome.plan.problems
    assert any(p.row == sheet_row or f"row {sheet_row}" in p.message for p in problems), (
        [str(p) for p in problems])



def _spoil_member(workbook: bytes, member: bytes, how: str) -> bytes:
    """An .xlsx with one zip member damaged the way a bad disk or a cut download does it."""
    data = bytearray(workbook)
    at = data.index(member)  # its name in its local header (the directory comes last)
    if how == "name":
        data[at + 5] ^= 0x01  # the local header's name no longer matches the directory's
    else:
        data[at + len(member) + 8] ^= 0x5A  # a byte of its compressed contents
    return bytes(data)


@pytest.mark.parametrize("name, data", [
    ("contents damaged.xlsx", "content"),
    ("header damaged.xlsx", "name"),
    ("cut short.csv", "utf-16"),
])
def test_damaged_files_the_fuzzing_found_get_a_sentence(name, data, store):
    """Files that once raised instead of getting a sentence: a workbook whose
    [Content_Types].xml is damaged (zlib error, bad CRC, mismatched header), and a UTF-16 CSV
    cut off mid-character."""
    if data == "utf-16":
        raw = file_bytes("attainment", grid_of(FRAMES["attainment"]), "csv", "utf-16")
        content = raw[:len(raw) // 2 * 2 - 1]
    else:
        raw = file_bytes("schools", grid_of(FRAMES["schools"]), "xlsx")
        content = _spoil_member(raw, b"[Content_Types].xml", data)
    before = snapshot(store)
    plan = plan_import(store, name, content, DEMO_ADMIN)
    check_plan_is_a_plan(plan)
    if data == "utf-16":
        assert plan.kind == "attainment"  # read, and its last, cut row reported
        assert not plan.ok and plan.problems
    else:
        assert plan.unusable == (
            f"{name} looks like an Excel file but is damaged or incomplete. Open it in Excel, "
            "save it again as .xlsx, and upload that.")
    assert snapshot(store) == before
