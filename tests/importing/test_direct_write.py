"""A file written straight away (the CLI's `import_file`, no preview) is compared with the store
once, inside the write transaction; rows none of which can be stored yet are written without a
staged comparison. Both must leave exactly what the staged path leaves."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from impact.auth import DEMO_ADMIN
from impact.importing import writing
from impact.importing.pipeline import commit, import_file, plan_import
from impact.store import Store
from tests.factories import attainment_frame, load, schools_frame, snapshot, xlsx_bytes


def _frame(urns: list[int], year: str, value: float = 61.0) -> pd.DataFrame:
    n = len(urns)
    return pd.DataFrame({
        "urn": urns, "academic_year": pd.Categorical([year] * n),
        "term": pd.Categorical(["Summer"] * n), "measure": pd.Categorical(["ks2_rwm_exp"] * n),
        "pupil_group": pd.Categorical(["all"] * n), "cohort_size": pd.array([30] * n, "Int64"),
        "value": [value] * n, "value_note": pd.Series([None] * n, dtype=object),
        "source": pd.Categorical(["DfE performance tables"] * n), "lower": [float("nan")] * n,
        "upper": [float("nan")] * n})


def _write(store: Store, frame: pd.DataFrame, upload_id: int, *, direct: bool,
           monkeypatch: pytest.MonkeyPatch) -> writing.TableChanges:
    if not direct:
        monkeypatch.setattr(writing, "_all_new", lambda *args: False)
    with store.writing(DEMO_ADMIN) as tx:
        done = writing.apply(tx.cursor, writing.TABLES["attainment"], frame, upload_id,
                             fingerprint=False)
    monkeypatch.undo()
    return done


def _contents(store: Store) -> dict[str, list[tuple]]:
    """Every table but the schema's own record; an upload without the moment it was made."""
    shot = snapshot(store)
    shot.pop("schema_version")
    shot["uploads"] = [row[:1] + row[2:] for row in shot["uploads"]]
    return shot


def test_new_rows_written_directly_are_those_the_staged_path_writes(tmp_path: Path,
                                                                    monkeypatch):
    expected = Store(tmp_path / "staged.duckdb")
    _write(expected, _frame([100001, 100002], "2018/19"), 1, direct=False,
           monkeypatch=monkeypatch)
    store = Store(tmp_path / "direct.duckdb")
    done = _write(store, _frame([100001, 100002], "2018/19"), 1, direct=True,
                  monkeypatch=monkeypatch)
    assert (done.added, done.updated, done.unchanged) == (2, 0, 0)
    assert store.scalar("SELECT count(*) FROM attainment") == 2
    assert _contents(store) == _contents(expected)
    store.close()
    expected.close()


def test_rows_sharing_a_year_with_stored_ones_are_compared(store, monkeypatch):
    first = _frame([100001, 100002], "2018/19")
    assert writing._all_new(store._con.cursor(), writing.TABLES["attainment"], first)
    _write(store, first, 1, direct=True, monkeypatch=monkeypatch)
    cursor = store._con.cursor()
    assert not writing._all_new(cursor, writing.TABLES["attainment"],
                                _frame([100003], "2018/19"))  # same year: it might be stored
    assert writing._all_new(cursor, writing.TABLES["attainment"], _frame([100001], "2019/20"))
    again = _write(store, _frame([100001, 100003], "2018/19", 70.0), 2, direct=True,
                   monkeypatch=monkeypatch)
    assert (again.added, again.updated, again.unchanged) == (1, 1, 0)
    assert store.scalar("SELECT count(*) FROM attainment") == 3
    assert store.scalar("SELECT value FROM attainment WHERE urn = 100001") == 70.0


def test_repeated_keys_are_refused_on_the_direct_path_too(store, monkeypatch):
    twice = _frame([100001, 100001], "2018/19")
    with pytest.raises(ValueError, match="repeat a key"):
        _write(store, twice, 1, direct=True, monkeypatch=monkeypatch)
    assert store.scalar("SELECT count(*) FROM attainment") == 0


def test_a_file_written_straight_away_matches_a_previewed_one(tmp_path: Path):
    frame = attainment_frame([100001, 100002], range(2016, 2019))
    data = xlsx_bytes("attainment", frame)
    stores = []
    for name, compare in (("previewed", True), ("direct", False)):
        store = Store(tmp_path / f"{name}.duckdb")
        load(store, "schools", schools_frame(4))
        plan = plan_import(store, "summer.xlsx", data, DEMO_ADMIN, compare=compare)
        assert plan.ok and plan.compared is compare
        result = commit(store, plan, DEMO_ADMIN)
        assert (result.plan.rows_added, result.plan.rows_updated) == (6, 0)
        stores.append(store)
    shots = [_contents(s) for s in stores]
    for shot in shots:  # each workbook made here differs in its zip's timestamps
        shot.pop("upload_files")
        shot["uploads"] = [row[:4] + row[5:] for row in shot["uploads"]]
    assert shots[0] == shots[1]
    for store in stores:
        store.close()


def test_import_file_twice_adds_then_leaves_unchanged(store, tmp_path: Path):
    load(store, "schools", schools_frame(4))
    path = tmp_path / "summer.xlsx"
    path.write_bytes(xlsx_bytes("attainment", attainment_frame([100001], range(2017, 2019))))
    first = import_file(store, path, DEMO_ADMIN, kind="attainment")
    again = import_file(store, path, DEMO_ADMIN, kind="attainment")
    assert (first.plan.rows_added, first.plan.rows_unchanged) == (2, 0)
    assert (again.plan.rows_added, again.plan.rows_unchanged) == (0, 2)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert store.scalar("SELECT count(*) FROM upload_files WHERE sha256 = ?", [sha]) == 1
    assert store.scalar("SELECT count(DISTINCT sha256) FROM uploads WHERE sha256 = ?",
                        [sha]) == 1  # both uploads point at the one copy
