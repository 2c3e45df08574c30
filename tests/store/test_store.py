"""The store as a person meets it: plain sentences when it cannot be opened, writes that are
all or nothing, and reads that work from many threads at once."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from impact.auth import DEMO_ADMIN
from impact.config import PROJECT_ROOT
from impact.store import Store, StoreUnavailable

HOLDER = """
import sys
from impact.store import Store
store = Store(sys.argv[1])
print("holding", flush=True)
sys.stdin.read()  # until the test closes our stdin
store.close()
"""


@pytest.fixture
def held_store(tmp_path):
    """A store file held open by another, real process (as a second copy of the app would)."""
    path = tmp_path / "held.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], cwd=PROJECT_ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    try:
        assert holder.stdout.readline().strip() == "holding"
        yield path, holder.pid
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def test_a_store_held_by_another_process_is_refused_with_a_plain_sentence(held_store):
    path, pid = held_store
    with pytest.raises(StoreUnavailable) as refused:
        Store(path)
    assert str(refused.value) == (
        f"The data store {path} is open in another program (process {pid}), such as a second "
        "copy of the app or a database tool. Close that program, or wait for it to finish, "
        "then try again.")
    with pytest.raises(StoreUnavailable, match="is open in another program"):
        Store(path, read_only=True)


def test_the_cli_says_so_too_without_a_stack_trace(held_store):
    path, pid = held_store
    done = subprocess.run([sys.executable, "-m", "impact", "--db", str(path), "uploads"],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip() == (
        f"The data store {path} is open in another program (process {pid}), such as a second "
        "copy of the app or a database tool. Close that program, or wait for it to finish, "
        "then try again.")
    assert "Traceback" not in done.stderr


def test_a_read_only_folder_gives_a_clear_message(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as root: folder permissions are not enforced")
        with pytest.raises(StoreUnavailable) as refused:
            Store(folder / "store.duckdb")
        assert str(refused.value) == (
            f"The data store {folder / 'store.duckdb'} cannot be written: the folder {folder} "
            "is read-only or you do not have permission. Choose a folder you can write to "
            "(set IMPACT_DB or --db).")
    finally:
        folder.chmod(0o755)


def test_a_folder_that_takes_no_files_gives_a_clear_message():
    """/proc cannot be written even by root, so this runs everywhere."""
    path = Path("/proc/impact-test/store.duckdb")
    with pytest.raises(StoreUnavailable) as refused:
        Store(path)
    message = str(refused.value)
    assert message.startswith(f"The data store {path} cannot be")
    assert "Choose a folder you can write to (set IMPACT_DB or --db)." in message
    assert "Errno" not in message and "IO Error" not in message


def test_a_file_that_is_not_a_store_is_left_alone(tmp_path):
    path = tmp_path / "results.duckdb"
    path.write_bytes(b"URN,Value\n100001,45\n" * 200)
    with pytest.raises(StoreUnavailable) as refused:
        Store(path)
    assert str(refused.value) == (
        f"{path} is not a data store made by this product (it is some other kind of file), so "
        "it was left alone. Choose another file name with --db or IMPACT_DB.")
    assert path.read_bytes() == b"URN,Value\n100001,45\n" * 200


def test_a_folder_given_as_the_store_says_to_name_a_file(tmp_path):
    with pytest.raises(StoreUnavailable) as refused:
        Store(tmp_path)
    assert str(refused.value) == (
        f"{tmp_path} is a folder, not a data store file. Give a file name inside it, such as "
        f"{tmp_path / 'impact.duckdb'} (with --db or IMPACT_DB).")


def test_a_write_block_that_fails_writes_nothing(store):
    with pytest.raises(RuntimeError, match="something went wrong"), \
            store.writing(DEMO_ADMIN) as tx:
        tx.execute("INSERT INTO schools (urn, name) VALUES (100001, 'A')")
        assert tx.query("SELECT count(*) AS n FROM schools")["n"][0] == 1
        raise RuntimeError("something went wrong")
    assert store.scalar("SELECT count(*) FROM schools") == 0
    with store.writing(DEMO_ADMIN) as tx:  # and the store is still usable
        tx.execute("INSERT INTO schools (urn, name) VALUES (100001, 'A')")
    assert store.scalar("SELECT count(*) FROM schools") == 1


def test_a_store_opened_read_only_refuses_writes(tmp_path):
    path = tmp_path / "s.duckdb"
    Store(path).close()
    with Store(path, read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM schools") == 0
        with pytest.raises(StoreUnavailable, match="was opened read-only"), \
                store.writing(DEMO_ADMIN):
            pass


def test_named_queries_bind_their_parameters(store):
    with store.writing(DEMO_ADMIN) as tx:
        tx.execute("INSERT INTO settings VALUES ('demo', 'true'), ('x', 'it''s')")
    assert store.run("setting", key="demo")["value"].tolist() == ["true"]
    assert store.run("setting", key="x' OR '1'='1")["value"].tolist() == []
    with pytest.raises(ValueError, match="letters, digits and underscores"):
        store.run("../secrets")


def test_many_threads_read_while_one_writes(store):
    """One connection shared by threads fails with 'connection is busy'; a cursor per call
    does not."""
    errors: list[BaseException] = []
    start = threading.Barrier(9)

    def read() -> None:
        start.wait()
        try:
            for _ in range(30):
                store.query("SELECT count(*) FROM schools")
                store.run("known_schools")
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    def write() -> None:
        start.wait()
        try:
            for i in range(30):
                with store.writing(DEMO_ADMIN) as tx:
                    tx.execute("INSERT INTO schools (urn, name) VALUES (?, ?)",
                               [100001 + i, f"School {i}"])
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=read) for _ in range(8)] + [threading.Thread(target=write)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert store.scalar("SELECT count(*) FROM schools") == 30


def test_the_revision_changes_with_every_write_and_only_then(store):
    """Cached page results are keyed by the revision, so a write must change it at once,
    through this Store or any other in the process, and a read must not."""
    first = store.revision()
    assert store.revision() == first
    with store.writing(DEMO_ADMIN) as tx:
        tx.execute("INSERT INTO settings (key, value) VALUES ('demo', 'true')")
    second = store.revision()
    assert second != first
    other = Store(store.path)  # a second object on the same file, in this process
    with other.writing(DEMO_ADMIN) as tx:
        tx.execute("UPDATE settings SET value = 'false' WHERE key = 'demo'")
    assert store.revision() not in (first, second)
    store.query("SELECT count(*) FROM schools")
    assert store.revision() == other.revision()
