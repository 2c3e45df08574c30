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



def test_a_store_from_before_accounts_opens_and_its_data_manager_uploads_read_as_admin(
        tmp_path, capsys):
    """A store made before migration 004 (no accounts; uploads recorded by a `data_manager`)
    opens, gains accounts and the audit log, and reads as before; with no accounts yet, the
    command line acts as its owner until the first admin is added."""
    from impact.auth import BOOTSTRAP, accounts
    from impact.cli import main
    from impact.reports.upload import history_table

    old_release = tmp_path / "release_3"
    old_release.mkdir()
    for name in ("001_initial.sql", "002_settings.sql", "003_confidence_limits.sql"):
        shutil.copy(MIGRATIONS_DIR / name, old_release)
    path = tmp_path / "before-accounts.duckdb"
    con = duckdb.connect(str(path))
    assert migrate(con, old_release) == [1, 2, 3]
    con.execute("INSERT INTO schools (urn, name, upload_id) VALUES (100001, 'Old School', 1)")
    con.execute("INSERT INTO schools_changes (change_upload_id, change, urn, name) "
                "VALUES (1, 'added', 100001, 'Old School')")
    con.execute("INSERT INTO uploads VALUES (1, TIMESTAMP '2024-05-01 10:00', 'Trust data', "
                "'data_manager', 'schools.xlsx', 'abc', 'schools', 1, 0, 0, '[]', '{}', "
                "'accepted')")
    con.close()

    with Store(path) as store:
        assert store.scalar("SELECT max(version) FROM schema_version") == latest_version()
        history = history_table(store.run("uploads"))
        assert history[["Upload", "Who"]].values.tolist() == [[1, "Trust data"]]
        assert store.scalar("SELECT actor_email FROM uploads") is None
        assert accounts.cli_actor(store) == BOOTSTRAP
    # The owner adds the first admin; from then on the command line acts as that admin, who may
    # undo the old upload (an upload with no recorded account is for admins only).
    assert main(["--db", str(path), "users", "add", "ada@trust.example", "--role", "admin"]) == 0
    assert main(["--db", str(path), "undo", "1"]) == 0
    with Store(path) as store:
        assert store.scalar("SELECT status FROM uploads") == "undone"
        assert store.query("SELECT coalesce(actor_email, actor_name), event FROM audit_log "
                           "ORDER BY audit_id").values.tolist() == [
            ["Command line (no accounts yet)", "user_added"], ["ada@trust.example", "undo"]]
    capsys.readouterr()
