"""Numbered migrations: each runs once, in order, in its own transaction, and is recorded, so a
store made by an older release opens in a newer one."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from impact.store import Store
from impact.store.migrations import (
    MIGRATIONS_DIR,
    available,
    current_version,
    latest_version,
    migrate,
)


def _versions(con) -> list[tuple[int, str]]:
    return [tuple(r) for r in con.execute(
        "SELECT version, name FROM schema_version ORDER BY version").fetchall()]


def test_migrations_apply_in_order_once_each_and_are_recorded(tmp_path):
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "001_first.sql").write_text("CREATE TABLE pupils (id INTEGER);\n"
                                          "INSERT INTO pupils VALUES (1), (2);\n")
    con = duckdb.connect(str(tmp_path / "s.duckdb"))
    assert current_version(con) == 0
    assert migrate(con, folder) == [1]
    assert migrate(con, folder) == []

    (folder / "002_second.sql").write_text(
        "-- several statements in one file\n"
        "ALTER TABLE pupils ADD COLUMN name VARCHAR;\n"
        "UPDATE pupils SET name = 'p' || id;\n"
        "CREATE TABLE classes (code VARCHAR);\n")
    (folder / "003_third.sql").write_text("INSERT INTO classes VALUES ('6A');")
    assert migrate(con, folder) == [2, 3]
    assert _versions(con) == [(1, "first"), (2, "second"), (3, "third")]
    assert con.execute("SELECT count(*) FROM schema_version WHERE applied_at IS NULL"
                       ).fetchone()[0] == 0
    assert con.execute("SELECT name FROM pupils ORDER BY id").fetchall() == [("p1",), ("p2",)]
    assert current_version(con) == latest_version(folder) == 3
    con.close()


def test_a_failing_migration_is_rolled_back_and_not_recorded(tmp_path):
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "001_ok.sql").write_text("CREATE TABLE a (x INTEGER);")
    (folder / "002_broken.sql").write_text("CREATE TABLE b (x INTEGER);\n"
                                           "INSERT INTO no_such_table VALUES (1);")
    con = duckdb.connect(str(tmp_path / "s.duckdb"))
    with pytest.raises(duckdb.Error):
        migrate(con, folder)
    assert _versions(con) == [(1, "ok")]
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables"
                                        ).fetchall()}
    assert "b" not in tables and "a" in tables
    (folder / "002_broken.sql").write_text("CREATE TABLE b (x INTEGER);")
    assert migrate(con, folder) == [2]
    con.close()


@pytest.mark.parametrize(("names", "complaint"), [
    (["001_a.sql", "003_c.sql"], "without gaps"),
    (["001_a.sql", "2_b.sql"], "not named NNN_name.sql"),
    (["001_a.sql", "002_Has Spaces.sql"], "not named NNN_name.sql"),
])
def test_misnumbered_migrations_are_refused(tmp_path, names, complaint):
    for name in names:
        (tmp_path / name).write_text("SELECT 1;")
    with pytest.raises(RuntimeError, match=complaint):
        available(tmp_path)


def test_a_new_store_is_at_the_latest_version(store):
    versions = store.query("SELECT version, name FROM schema_version ORDER BY version")
    assert versions.to_records(index=False).tolist() == [
        (m.version, m.name) for m in available()]
    assert versions["version"].max() == latest_version()


def test_a_store_made_at_an_older_version_opens_and_is_upgraded(tmp_path):
    """Make a store as release 1 did (only migration 001), put data in it, then open it with
    this release: the later migrations run and the data is still there."""
    assert latest_version() >= 2, "this test needs at least one migration after the first"
    old_release = tmp_path / "old_migrations"
    old_release.mkdir()
    shutil.copy(MIGRATIONS_DIR / "001_initial.sql", old_release)
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    assert migrate(con, old_release) == [1]
    con.execute("INSERT INTO schools (urn, name) VALUES (100001, 'Old School')")
    con.close()

    with Store(path) as store:
        versions = store.query("SELECT version FROM schema_version ORDER BY version")
        assert versions["version"].tolist() == list(range(1, latest_version() + 1))
        assert store.scalar("SELECT name FROM schools WHERE urn = 100001") == "Old School"
        assert store.scalar("SELECT count(*) FROM settings") == 0  # made by migration 002
    with Store(path) as store:  # and opening again changes nothing
        assert store.scalar("SELECT count(*) FROM schema_version") == latest_version()

