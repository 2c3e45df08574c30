"""When the store's disk or file is not ours to write: a full disk, a file-size limit, a
read-only or locked folder, another process holding the file. Each gives a person a sentence
(StoreUnavailable), loses nothing, and recovers once the trouble is gone.

We run as root here and in CI, so folder permissions (chmod) stop nothing. A full or read-only
disk is a small tmpfs mounted for the test (skipped, with the reason, where mounting is not
permitted); a folder locked while the app runs uses `chattr +i` (skipped where the file system
does not support it); a file-size limit (RLIMIT_FSIZE in a subprocess) runs everywhere.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from impact.auth import DEMO_ADMIN
from impact.config import PROJECT_ROOT
from impact.importing.pipeline import commit, plan_import
from impact.store import Store, StoreUnavailable
from tests.factories import load, schools_frame, snapshot
from tests.reliability.harness import big_attainment_frame, file_bytes, grid_of

ENV = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
SCHOOLS = 20


def _attainment_return(rows: int = 4000, seed: int = 3) -> bytes:
    return file_bytes("attainment", grid_of(big_attainment_frame(rows, first_urn=200001,
                                                                 seed=seed)), "csv")


def _schools(store: Store) -> None:
    load(store, "schools", schools_frame(SCHOOLS, first_urn=200001, in_partnership=0))


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=60)
    except FileNotFoundError as missing:
        return subprocess.CompletedProcess(command, 127, "", str(missing))


@contextmanager
def small_disk(folder: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` mounted at `folder` for the test, always unmounted after."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = _run("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder))
    if mounted.returncode:
        pytest.skip(f"cannot mount a small disk here (needs root with CAP_SYS_ADMIN): "
                    f"{mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        _run("umount", "-l", str(folder))


def _fill(folder: Path) -> Path:
    filler = folder / "filler"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError:
            pass
    return filler


def test_a_full_disk_while_saving_an_upload_says_so_and_loses_nothing(tmp_path):
    with small_disk(tmp_path / "disk", "32m") as disk:
        path = disk / "store.duckdb"
        store = Store(path)
        _schools(store)
        before = snapshot(store)
        data = _attainment_return()
        plan = plan_import(store, "summer.csv", data, DEMO_ADMIN)
        assert plan.ok
        filler = _fill(disk)
        with pytest.raises(StoreUnavailable) as refused:
            commit(store, plan, DEMO_ADMIN)
        assert str(refused.value) == (f"The disk holding {path} is full, so nothing was saved. "
                                      "Free some space and try again.")
        assert snapshot(store) == before  # and the app can still show what it has
        with pytest.raises(StoreUnavailable, match="is full, so nothing was saved"):
            Store(disk / "another.duckdb")
        filler.unlink()  # someone frees some space and tries again
        again = plan_import(store, "summer.csv", data, DEMO_ADMIN)
        upload_id = commit(store, again, DEMO_ADMIN).upload_id
        store.close()
        with Store(path) as reopened:
            assert reopened.scalar("SELECT count(*) FROM attainment WHERE upload_id = ?",
                                   [upload_id]) == again.rows_added == 4000
            assert reopened.scalar("SELECT count(*) FROM uploads") == len(before["uploads"]) + 1


LIMITED = """
import json, resource, signal, sys
from pathlib import Path
from impact.auth import DEMO_ADMIN
from impact.importing.pipeline import commit, plan_import
from impact.store import Store, StoreUnavailable
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # so a write past the limit fails with EFBIG
store = Store(sys.argv[1])
plan = plan_import(store, "summer.csv", Path(sys.argv[2]).read_bytes(), DEMO_ADMIN)
assert plan.ok, plan.problems[:3]
resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))
try:
    commit(store, plan, DEMO_ADMIN)
    print(json.dumps({"saved": True}))
except StoreUnavailable as error:
    print(json.dumps({"saved": False, "message": str(error),
                      "rows": store.scalar("SELECT count(*) FROM attainment")}))
"""


def test_a_file_size_limit_while_saving_says_so_and_loses_nothing(tmp_path):
    """Runs anywhere: a process limited to writing 64 KB per file, as a quota or ulimit
    would limit a server."""
    path = tmp_path / "store.duckdb"
    with Store(path) as store:
        _schools(store)
        before = snapshot(store)
    upload = tmp_path / "summer.csv"
    upload.write_bytes(_attainment_return())
    done = subprocess.run([sys.executable, "-c", LIMITED, str(path), str(upload)],
                          cwd=PROJECT_ROOT, env=ENV, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    said = json.loads(done.stdout)
    assert said == {"saved": False, "rows": 0, "message": (
        f"The data store {path} has reached the largest file this computer lets it write, so "
        "nothing was saved. Ask whoever looks after the computer to raise the limit, or move "
        "the store to a disk with room (set IMPACT_DB or --db), then try again.")}
    with Store(path) as store:
        assert snapshot(store) == before


def test_a_read_only_disk_says_so_and_the_store_opens_once_it_is_writable(tmp_path):
    with small_disk(tmp_path / "disk", "16m") as disk:
        path = disk / "store.duckdb"
        with Store(path) as store:
            _schools(store)
            before = snapshot(store)
        remounted = _run("mount", "-o", "remount,ro", str(disk))
        assert remounted.returncode == 0, remounted.stderr
        for target in (path, disk / "new.duckdb"):
            with pytest.raises(StoreUnavailable) as refused:
                Store(target)
            assert str(refused.value) == (
                f"The data store {target} cannot be written: the folder {disk} is read-only or "
                "you do not have permission. Choose a folder you can write to (set IMPACT_DB "
                "or --db).")
        with Store(path, read_only=True) as looking:  # the data can still be read
            assert snapshot(looking) == before
        assert _run("mount", "-o", "remount,rw", str(disk)).returncode == 0
        with Store(path) as store:
            assert snapshot(store) == before


@contextmanager
def immutable(folder: Path) -> Iterator[None]:
    done = _run("chattr", "+i", str(folder))
    if done.returncode:
        pytest.skip(f"cannot lock a folder here with chattr +i: {done.stderr.strip()}")
    try:
        yield
    finally:
        _run("chattr", "-i", str(folder))


def test_a_folder_locked_while_the_app_runs_refuses_the_upload_in_a_sentence(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "store.duckdb"
    store = Store(path)
    try:
        _schools(store)
        store.close()  # a checkpoint: the next write starts a new log file in the folder
        store = Store(path)
        before = snapshot(store)
        plan = plan_import(store, "summer.csv", _attainment_return(500), DEMO_ADMIN)
        assert plan.ok
        with immutable(folder):
            with pytest.raises(StoreUnavailable) as refused:
                commit(store, plan, DEMO_ADMIN)
            assert str(refused.value) == (
                f"The data store {path} cannot be written: the folder {folder} is read-only or "
                "you do not have permission. Choose a folder you can write to (set IMPACT_DB or "
                "--db).")
            assert snapshot(store) == before
        again = plan_import(store, "summer.csv", _attainment_return(500), DEMO_ADMIN)
        assert commit(store, again, DEMO_ADMIN).status == "accepted"
    finally:
        store.close()


HOLDER = """
import sys
from impact.store import Store
store = Store(sys.argv[1])  # a second server, or a desktop tool, holding the file
print("holding", flush=True)
sys.stdin.readline()
store.close()
print("released", flush=True)
"""


def _hold(path: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], cwd=PROJECT_ROOT,
                              env=ENV, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "holding"
    return holder


def _release(holder: subprocess.Popen[str]) -> None:
    holder.stdin.write("done\n")
    holder.stdin.flush()
    assert holder.stdout.readline().strip() == "released"
    holder.wait(30)


def test_a_store_held_by_another_process_is_refused_then_opens_when_free(tmp_path):
    path = tmp_path / "store.duckdb"
    with Store(path) as store:
        _schools(store)
        before = snapshot(store)
    holder = _hold(path)
    try:
        with pytest.raises(StoreUnavailable) as refused:
            Store(path)
        assert str(refused.value) == (
            f"The data store {path} is open in another program (process {holder.pid}), such as "
            "a second copy of the app or a database tool. Close that program, or wait for it "
            "to finish, then try again.")
    finally:
        _release(holder)
    with Store(path) as store:
        assert snapshot(store) == before


def test_the_app_says_so_while_another_process_holds_the_store_and_recovers(tmp_path):
    """The real app under AppTest: a sentence and a Try again button while another process
    holds the file (the failure is not cached), the normal page once it lets go."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    path = Path(os.environ["IMPACT_DB"])
    with Store(path) as store:
        load(store, "schools", schools_frame(4))
    st.cache_data.clear()
    st.cache_resource.clear()
    holder = _hold(path)
    try:
        at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60).run()
        assert not at.exception
        assert [e.value for e in at.error] == [
            f"The data store {path} is open in another program (process {holder.pid}), such as "
            "a second copy of the app or a database tool. Close that program, or wait for it "
            "to finish, then try again."]
        assert at.button(key="store_try_again").label == "Try again"
    finally:
        _release(holder)
    try:
        at.button(key="store_try_again").click().run()
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
        assert not at.get("button") or all(b.key != "store_try_again" for b in at.button)
        assert at.title or at.header or at.subheader, "the normal page did not appear"
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()  # closes the app's store
