"""One read-write DuckDB connection per process, a cursor per call, writes serialised.

DuckDB lets only one process open a file at a time, so the server holds the connection for its
lifetime. Readers take their own cursor (one connection shared across threads fails with
"connection is busy") and fetch fully; writers queue on a lock and run in one transaction each.
"""

from __future__ import annotations

import errno
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from impact.auth.actor import Actor, NotAllowed
from impact.store.migrations import migrate

# Writes to each store file made from this process (every write goes through
# `Store.writing`), by resolved path: what tells `Store.revision` its fingerprint is stale.
_WRITES: dict[str, int] = {}


class StoreUnavailable(RuntimeError):
    """The store cannot be opened or written; the message is a sentence for a person."""


def _storage_trouble(path: Path, error: Exception) -> StoreUnavailable | None:
    """Where the store lives stops it being written (a full disk, a file-size limit, a
    read-only or locked-down folder), as a sentence; None for any other failure.

    DuckDB reports these as an IO error when opening, but as a failed commit
    ("TransactionContext Error: Failed to commit: Could not write file ... No space left on
    device") when they strike while an upload is being saved, so both are read by their text.
    """
    text = str(error)
    lowered = text.lower()
    code = getattr(error, "errno", None)
    if "no space" in lowered or "disk quota" in lowered or code in (errno.ENOSPC, errno.EDQUOT):
        return StoreUnavailable(
            f"The disk holding {path} is full, so nothing was saved. Free some space and "
            "try again."
        )
    if "file too large" in lowered or code == errno.EFBIG:
        return StoreUnavailable(
            f"The data store {path} has reached the largest file this computer lets it write, "
            "so nothing was saved. Ask whoever looks after the computer to raise the limit, or "
            "move the store to a disk with room (set IMPACT_DB or --db), then try again."
        )
    if isinstance(error, PermissionError) or code in (errno.EACCES, errno.EPERM, errno.EROFS) \
            or "permission denied" in lowered or "read-only file system" in lowered \
            or "operation not permitted" in lowered:
        return StoreUnavailable(
            f"The data store {path} cannot be written: the folder {path.parent} is read-only "
            "or you do not have permission. Choose a folder you can write to (set IMPACT_DB "
            "or --db)."
        )
    return None


def _plain_open_error(path: Path, error: Exception) -> StoreUnavailable:
    text = str(error)
    lowered = text.lower()
    if "lock" in lowered:
        pid = re.search(r"PID (\d+)", text)
        holder = f" (process {pid.group(1)})" if pid else ""
        return StoreUnavailable(
            f"The data store {path} is open in another program{holder}, such as a second copy "
            "of the app or a database tool. Close that program, or wait for it to finish, "
            "then try again."
        )
    trouble = _storage_trouble(path, error)
    if trouble is not None:
        return trouble
    if "read-only" in lowered:
        return StoreUnavailable(
            f"The data store {path} cannot be written: the folder {path.parent} is read-only "
            "or you do not have permission. Choose a folder you can write to (set IMPACT_DB "
            "or --db)."
        )
    if path.is_dir():
        return StoreUnavailable(
            f"{path} is a folder, not a data store file. Give a file name inside it, such as "
            f"{path / 'impact.duckdb'} (with --db or IMPACT_DB).")
    if "not a valid duckdb database" in lowered or "not a duckdb" in lowered:
        return StoreUnavailable(
            f"{path} is not a data store made by this product (it is some other kind of "
            "file), so it was left alone. Choose another file name with --db or IMPACT_DB."
        )
    if isinstance(error, OSError) or "no such file" in lowered:
        return StoreUnavailable(
            f"The data store {path} cannot be created: the folder {path.parent} is missing or "
            "does not take new files. Choose a folder you can write to (set IMPACT_DB or --db)."
        )
    return StoreUnavailable(f"The data store {path} could not be opened: {text}")


class Store:
    """The product's data, in one DuckDB file.

    Reads: `query` / `run` (a named query from `queries/`). Writes: only inside
    `with store.writing(actor) as tx:`, which serialises writers and makes the block one
    transaction. What the actor may do is decided before that, at each entry point, by
    `impact.auth.rights.allowed`.
    """

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        try:
            if not read_only:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._con = duckdb.connect(str(self.path), read_only=read_only)
        except (duckdb.Error, OSError) as error:
            raise _plain_open_error(self.path, error) from error
        self._write_lock = threading.Lock()
        self._key = str(self.path.resolve())
        self._revision: tuple[int, tuple[Any, ...]] | None = None
        if not read_only:
            try:
                migrate(self._con)
            except duckdb.Error as error:
                self._con.close()
                raise _plain_open_error(self.path, error) from error

    # --- reading -------------------------------------------------------------------------

    def query(self, sql: str, params: dict[str, Any] | list[Any] | None = None) -> pd.DataFrame:
        """Run SQL on a fresh cursor and fetch everything into a DataFrame."""
        cursor = self._con.cursor()
        try:
            return cursor.execute(sql, params).df()
        finally:
            cursor.close()

    def scalar(self, sql: str, params: dict[str, Any] | list[Any] | None = None) -> Any:
        cursor = self._con.cursor()
        try:
            row = cursor.execute(sql, params).fetchone()
            return None if row is None else row[0]
        finally:
            cursor.close()

    def run(self, name: str, **params: Any) -> pd.DataFrame:
        """Run the named query `queries/<name>.sql` with its parameters bound."""
        from impact.queries import load_sql

        return self.query(load_sql(name), params or None)

    def revision(self) -> tuple[Any, ...]:
        """A fingerprint of the contents (`queries/store_revision.sql`) that changes with every
        upload, undo or setting: what cached results are keyed by.

        While this process holds the file no other can write to it, so the fingerprint is
        worked out again only after a write to this file from this process (through any Store
        object), not on every cached read.
        """
        writes = _WRITES.get(self._key, 0)
        known = self._revision
        if known is not None and known[0] == writes:
            return known[1]
        value = tuple(self.run("store_revision").iloc[0].tolist())
        self._revision = (writes, value)
        return value

    @contextmanager
    def reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor for several reads that must see one consistent state of the store."""
        cursor = self._con.cursor()
        try:
            cursor.execute("BEGIN TRANSACTION")
            yield cursor
            cursor.execute("COMMIT")
        finally:
            cursor.close()

    # --- writing -------------------------------------------------------------------------

    @contextmanager
    def writing(self, actor: Actor | None = None) -> Iterator[WriteTransaction]:
        """The one way to change the store: serialised, all or nothing, told who is acting
        (None for the sign-in bookkeeping of someone not yet signed in)."""
        if self.read_only:
            raise StoreUnavailable(f"The data store {self.path} was opened read-only.")
        with self._write_lock:
            cursor = self._con.cursor()
            try:
                cursor.execute("BEGIN TRANSACTION")
                try:
                    yield WriteTransaction(cursor, actor)
                    cursor.execute("COMMIT")
                except BaseException:
                    # A failed COMMIT has already rolled back: keep the first error.
                    with suppress(duckdb.Error):
                        cursor.execute("ROLLBACK")
                    raise
            except NotAllowed:  # a PermissionError, but about the person, not the folder
                raise
            except (duckdb.Error, OSError) as error:
                # A full disk or a folder made read-only shows up here, at COMMIT: say so in a
                # sentence. Anything else is not about the store's disk and surfaces as itself.
                trouble = _storage_trouble(self.path, error)
                if trouble is not None:
                    raise trouble from error
                if isinstance(error, duckdb.IOException | OSError):
                    raise _plain_open_error(self.path, error) from error
                raise
            finally:
                cursor.close()
                _WRITES[self._key] = _WRITES.get(self._key, 0) + 1

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class WriteTransaction:
    """A cursor inside one write transaction, and who is acting."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection, actor: Actor | None) -> None:
        self.cursor = cursor
        self.actor = actor

    def execute(self, sql: str, params: dict[str, Any] | list[Any] | None = None) -> Any:
        return self.cursor.execute(sql, params)

    def query(self, sql: str, params: dict[str, Any] | list[Any] | None = None) -> pd.DataFrame:
        return self.cursor.execute(sql, params).df()
