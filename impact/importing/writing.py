"""The one place rows reach the store: compare with what is there, then upsert and log.

Every upload is compared with the store on its natural key (added / updated / unchanged), and
written in the caller's single transaction together with a change log, so that it can be
undone as a whole later. Only the columns the file had are written: a file without a
`Capacity` column leaves the stored capacities alone.

In the tables a trust sets up by hand (schools, partnerships, cohorts, memberships,
improvement projects: `TableSpec.blank_keeps`) a blank value leaves the stored one as it is,
so a sheet that names existing schools only to add them to a new cohort cannot blank their
phase or pupils. Emptying a stored value is an explicit choice: the validator adds a
companion column `clear_column(field)` that is true where the person asked for it (the
schools template's `clear`).

A change made on the Set up page may also take rows away (`remove`): a cohort renamed is its
rows under the old name removed and the same rows added under the new one, and a school
entered in a cohort by mistake is its membership removed. Each removed row is logged whole
(change `removed`), so undo puts it back as it was.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from impact.domain.natural_keys import (
    REFERENCES,
    TABLES,
    WRITE_ORDER,
    TableSpec,
    references_to,
)

PREVIEW_LIMIT = 500
# Rows each upload logs by their key alone ('updated' rows are logged whole, as they were).
KEYS_LOGGED = ("added", "unchanged")
CLEAR_PREFIX = "_clear_"


def clear_column(field_name: str) -> str:
    """The companion column that is true where a blank `field_name` means "empty it"."""
    return CLEAR_PREFIX + field_name


@dataclass
class TableChanges:
    """How an upload's rows for one table compare with the store."""

    table: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    changed_values: pd.DataFrame = field(default_factory=pd.DataFrame)  # first PREVIEW_LIMIT
    fingerprint: str = ""
    removed: int = 0
    removed_rows: pd.DataFrame = field(default_factory=pd.DataFrame)  # their keys, for preview

    @property
    def label(self) -> str:
        return TABLES[self.table].label


def _present(spec: TableSpec, frame: pd.DataFrame) -> list[str]:
    missing = [k for k in spec.key if k not in frame]
    if missing:
        raise ValueError(f"rows for {spec.name} lack key columns {missing}")
    return [v for v in spec.values if v in frame]


def _check_keys(spec: TableSpec, frame: pd.DataFrame) -> None:
    """The natural key is what keeps one row per thing: a validator must hand over each key
    once and complete. (A blank key would never match the stored row, so every re-upload would
    add it again; a repeated one would be written twice.)"""
    codes, sizes = [], []
    for name in spec.key:  # each key column as whole numbers, labels kept as categoricals free
        column = frame[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            found, size = column.cat.codes.to_numpy(), len(column.cat.categories)
        else:
            found, distinct = pd.factorize(column, use_na_sentinel=True)
            size = len(distinct)
        if (found < 0).any():
            raise ValueError(f"rows for {spec.name} have an empty key column")
        codes.append(found.astype(np.int64))
        sizes.append(max(size, 1))
    combinations = math.prod(sizes)
    if not len(frame):
        repeated = False
    elif combinations <= 8 * len(frame) + 1_000_000:  # one number per key, counted
        repeated = np.bincount(np.ravel_multi_index(codes, sizes),
                               minlength=combinations).max() > 1
    elif combinations < 2 ** 62:  # one number per key: repeats found by hashing numbers
        repeated = len(pd.unique(np.ravel_multi_index(codes, sizes))) < len(frame)
    else:
        repeated = frame[list(spec.key)].duplicated().any()
    if repeated:
        raise ValueError(f"rows for {spec.name} repeat a key ({', '.join(spec.key)}); the "
                         "validator must report or merge repeated rows")


def _types(cursor: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    rows = cursor.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = ? AND table_schema = 'main'", [table]).fetchall()
    return dict(rows)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _resolved(spec: TableSpec, value: str, clears: set[str]) -> str:
    """The value a staged row will hold: the incoming one, or (where blanks keep) the stored
    one when the incoming cell is blank, or NULL where the person asked to clear it."""
    incoming = f"i.{_quote(value)}"
    if not spec.blank_keeps:
        return incoming
    kept = f"coalesce({incoming}, t.{_quote(value)})"
    if value not in clears:
        return kept
    return f"CASE WHEN i.{_quote(clear_column(value))} THEN NULL ELSE {kept} END"


def stage(cursor: duckdb.DuckDBPyConnection, spec: TableSpec, frame: pd.DataFrame, *,
          fingerprint: bool = True) -> TableChanges:
    """Compare `frame` with the table into temp table `_stage_<table>`; count and preview.

    Identifiers come from `TABLES` (code, not input); every value is bound or scanned, never
    formatted into SQL. `fingerprint=False` skips what only a comparison made earlier (a
    preview) is checked against.
    """
    values = _present(spec, frame)
    _check_keys(spec, frame)
    types = _types(cursor, spec.name)
    clears = {v for v in values if spec.blank_keeps and clear_column(v) in frame}
    incoming = frame[[*spec.key, *values]]  # a new frame: adding columns leaves `frame` alone
    for value in sorted(clears):
        incoming[clear_column(value)] = frame[clear_column(value)].fillna(False).astype(bool)
    view = f"_incoming_{spec.name}"
    cursor.register(view, _scannable(incoming))
    casts = ", ".join([f"CAST(i.{_quote(c)} AS {types[c]}) AS {_quote(c)}"
                       for c in (*spec.key, *values)]
                      + [f"i.{_quote(clear_column(v))}" for v in sorted(clears)])
    join = " AND ".join(f"t.{_quote(k)} = i.{_quote(k)}" for k in spec.key)
    resolved = {v: _resolved(spec, v, clears) for v in values}
    chosen = ", ".join([f"i.{_quote(k)}" for k in spec.key]
                       + [f"{resolved[v]} AS {_quote(v)}" for v in values])
    same = " AND ".join(f"({resolved[v]}) IS NOT DISTINCT FROM t.{_quote(v)}"
                        for v in values) or "true"
    staged = f"_stage_{spec.name}"
    cursor.execute(f"DROP TABLE IF EXISTS {staged}")
    cursor.execute(f"""
        CREATE TEMP TABLE {staged} AS
        WITH i AS (SELECT {casts} FROM {view} i)
        SELECT {chosen}, t.rowid AS _rowid, t.upload_id AS _old_upload,
               CASE WHEN t.rowid IS NULL THEN 'added'
                    WHEN {same} THEN 'unchanged' ELSE 'updated' END AS _change
        FROM i LEFT JOIN {spec.name} t ON {join}
    """)
    cursor.unregister(view)
    counts = dict(cursor.execute(
        f"SELECT _change, count(*) FROM {staged} GROUP BY _change").fetchall())
    key_list = ", ".join(f"s.{_quote(k)}" for k in spec.key)
    found = cursor.execute(
        f"SELECT coalesce(sum(hash(s._change, s._old_upload, {key_list})), 0)::VARCHAR "
        f"FROM {staged} s").fetchone()[0] if fingerprint else ""
    changed = (_changed_values(cursor, spec, values, staged) if counts.get("updated")
               else pd.DataFrame())
    return TableChanges(spec.name, counts.get("added", 0), counts.get("updated", 0),
                        counts.get("unchanged", 0), changed, found)


def _scannable(frame: pd.DataFrame) -> Any:
    """`frame` as DuckDB scans it fastest: an Arrow table (labels held as categoricals stay
    dictionary-encoded, and are not turned into one string per row) when every column
    converts plainly; the frame itself otherwise. (pyarrow comes with Streamlit and pandas;
    without it the frame is scanned as it is.)"""
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover
        return frame
    for name in frame.columns:
        column = frame[name]
        if column.dtype == object and pd.api.types.infer_dtype(column, skipna=True) \
                not in ("string", "empty"):
            return frame  # dates, mixed cells: as DuckDB reads a DataFrame
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowException, TypeError, ValueError):
        return frame


def _changed_values(cursor: duckdb.DuckDBPyConnection, spec: TableSpec, values: list[str],
                    staged: str) -> pd.DataFrame:
    if not values:
        return pd.DataFrame()
    key_cols = ", ".join(f"s.{_quote(k)}" for k in spec.key)
    parts = [
        f"SELECT {key_cols}, '{v}' AS field, CAST(t.{_quote(v)} AS VARCHAR) AS before, "
        f"CAST(s.{_quote(v)} AS VARCHAR) AS after "
        f"FROM {staged} s JOIN {spec.name} t ON t.rowid = s._rowid "
        f"WHERE s._change = 'updated' AND s.{_quote(v)} IS DISTINCT FROM t.{_quote(v)}"
        for v in values
    ]
    order = ", ".join(str(i) for i in range(1, len(spec.key) + 2))  # the key, then the field
    sql = (" UNION ALL ".join(f"({p})" for p in parts)
           + f" ORDER BY {order} LIMIT {PREVIEW_LIMIT}")
    return cursor.execute(sql).df()


def apply(cursor: duckdb.DuckDBPyConnection, spec: TableSpec, frame: pd.DataFrame,
          upload_id: int, *, fingerprint: bool = True) -> TableChanges:
    """Stage, log and write `frame` to its table; call inside a write transaction.

    Rows of which none can already be stored (`_all_new`: a year's figures not loaded yet)
    are written straight from the file's rows, with no staged comparison, when no earlier
    comparison has to be checked (`fingerprint=False`)."""
    if not fingerprint and _all_new(cursor, spec, frame):
        return _add_all(cursor, spec, frame, upload_id)
    changes = stage(cursor, spec, frame, fingerprint=fingerprint)
    values = _present(spec, frame)
    staged = f"_stage_{spec.name}"
    all_cols = ", ".join(_quote(c) for c in spec.columns)
    t_cols = ", ".join(f"t.{_quote(c)}" for c in spec.columns)
    keys = ", ".join(_quote(k) for k in spec.key)
    if changes.updated:
        cursor.execute(
            f"INSERT INTO {spec.name}_changes (change_upload_id, change, {all_cols}) "
            f"SELECT ?, 'updated', {t_cols} FROM {spec.name} t JOIN {staged} s "
            f"ON t.rowid = s._rowid WHERE s._change = 'updated'", [upload_id])
        assignments = ", ".join(f"{_quote(v)} = s.{_quote(v)}" for v in values)
        cursor.execute(
            f"UPDATE {spec.name} SET {assignments}, upload_id = ? FROM {staged} s "
            f"WHERE {spec.name}.rowid = s._rowid AND s._change = 'updated'", [upload_id])
    # Every key the file sent is logged, the unchanged ones too (key only, one statement
    # however many rows): a row re-sent unchanged is still a row that upload vouches for, so
    # an earlier upload's undo must not take it away from under it.
    cursor.execute(
        f"INSERT INTO {spec.name}_changes (change_upload_id, change, {keys}) "
        f"SELECT ?, _change, {keys} FROM {staged} WHERE list_contains(?, _change)",
        [upload_id, list(KEYS_LOGGED)])
    if changes.added:
        written = ", ".join(_quote(c) for c in (*spec.key, *values))
        cursor.execute(
            f"INSERT INTO {spec.name} ({written}, upload_id) "
            f"SELECT {written}, ? FROM {staged} WHERE _change = 'added'", [upload_id])
    cursor.execute(f"DROP TABLE IF EXISTS {staged}")
    return changes


# A key column holding at most this many distinct labels is used to look for stored rows.
FEW_LABELS = 64


def _all_new(cursor: duckdb.DuckDBPyConnection, spec: TableSpec, frame: pd.DataFrame) -> bool:
    """Whether no stored row can have the key of any row of `frame`: no stored row has, in
    each key column of text where the file has only a few labels (the year, the term), one
    of the file's labels. False whenever unsure (blanks keep stored values in `spec`; no
    such column)."""
    if spec.blank_keeps or not len(frame):
        return False
    types = _types(cursor, spec.name)
    conditions, labels = [], []
    for name in spec.key:
        if types.get(name) != "VARCHAR" or name not in frame:
            continue
        column = frame[name]
        distinct = (column.cat.categories if isinstance(column.dtype, pd.CategoricalDtype)
                    else pd.unique(column.to_numpy(dtype=object)))
        if len(distinct) > FEW_LABELS or not all(isinstance(v, str) for v in distinct):
            continue
        conditions.append(f"list_contains(?, t.{_quote(name)})")
        labels.append([str(v) for v in distinct])
    if not conditions:
        return False
    found = cursor.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {spec.name} t WHERE {' AND '.join(conditions)} "
        "LIMIT 1)", labels).fetchone()[0]
    return not found


def _add_all(cursor: duckdb.DuckDBPyConnection, spec: TableSpec, frame: pd.DataFrame,
             upload_id: int) -> TableChanges:
    """Log and write rows none of which is stored yet (`_all_new`): every one is added."""
    values = _present(spec, frame)
    _check_keys(spec, frame)
    types = _types(cursor, spec.name)
    view = f"_incoming_{spec.name}"
    cursor.register(view, _scannable(frame[[*spec.key, *values]]))
    try:
        keys = ", ".join(_quote(k) for k in spec.key)
        cast_keys = ", ".join(f"CAST(i.{_quote(k)} AS {types[k]})" for k in spec.key)
        cursor.execute(
            f"INSERT INTO {spec.name}_changes (change_upload_id, change, {keys}) "
            f"SELECT ?, 'added', {cast_keys} FROM {view} i", [upload_id])
        written = ", ".join(_quote(c) for c in (*spec.key, *values))
        cast_all = ", ".join(f"CAST(i.{_quote(c)} AS {types[c]})" for c in (*spec.key, *values))
        cursor.execute(f"INSERT INTO {spec.name} ({written}, upload_id) "
                       f"SELECT {cast_all}, ? FROM {view} i", [upload_id])
    finally:
        cursor.unregister(view)
    return TableChanges(spec.name, added=len(frame))


def _register_keys(cursor: duckdb.DuckDBPyConnection, spec: TableSpec,
                   keys: pd.DataFrame) -> str:
    _check_keys(spec, keys)
    types = _types(cursor, spec.name)
    view = f"_removing_{spec.name}"
    cursor.register(view, keys[list(spec.key)].copy())
    casts = ", ".join(f"CAST(r.{_quote(k)} AS {types[k]}) AS {_quote(k)}" for k in spec.key)
    staged = f"_unstage_{spec.name}"
    cursor.execute(f"DROP TABLE IF EXISTS {staged}")
    cursor.execute(f"CREATE TEMP TABLE {staged} AS SELECT {casts} FROM {view} r")
    cursor.unregister(view)
    return staged


def stage_removal(cursor: duckdb.DuckDBPyConnection, spec: TableSpec,
                  keys: pd.DataFrame) -> TableChanges:
    """Which stored rows of `spec` the keys name (the ones that will be removed), counted, with
    a fingerprint of what they are now, so that a removal confirmed after the store changed
    under it is refused like any stale upload."""
    staged = _register_keys(cursor, spec, keys)
    join = _keys_match(spec, "t", "r")
    key_list = ", ".join(f"t.{_quote(k)}" for k in spec.key)
    values = ", ".join(f"t.{_quote(c)}" for c in (*spec.values, "upload_id"))
    found = cursor.execute(
        f"SELECT {key_list} FROM {spec.name} t JOIN {staged} r ON {join} "
        f"ORDER BY {key_list} LIMIT {PREVIEW_LIMIT}").df()
    count, fingerprint = cursor.execute(
        f"SELECT count(*), coalesce(sum(hash({key_list}, {values})), 0)::VARCHAR "
        f"FROM {spec.name} t JOIN {staged} r ON {join}").fetchone()
    cursor.execute(f"DROP TABLE IF EXISTS {staged}")
    return TableChanges(spec.name, fingerprint=f"removed:{fingerprint}", removed=int(count),
                        removed_rows=found)


def remove(cursor: duckdb.DuckDBPyConnection, spec: TableSpec, keys: pd.DataFrame,
           upload_id: int) -> TableChanges:
    """Log whole, then delete, the rows of `spec` that `keys` name; inside a write
    transaction."""
    changes = stage_removal(cursor, spec, keys)
    staged = _register_keys(cursor, spec, keys)
    join = _keys_match(spec, "t", "r")
    all_cols = ", ".join(_quote(c) for c in spec.columns)
    t_cols = ", ".join(f"t.{_quote(c)}" for c in spec.columns)
    cursor.execute(
        f"INSERT INTO {spec.name}_changes (change_upload_id, change, {all_cols}) "
        f"SELECT ?, 'removed', {t_cols} FROM {spec.name} t JOIN {staged} r ON {join}",
        [upload_id])
    cursor.execute(f"DELETE FROM {spec.name} t USING {staged} r WHERE {join}")
    cursor.execute(f"DROP TABLE IF EXISTS {staged}")
    return changes


class UndoConflict(RuntimeError):
    """Undoing this upload would lose or strand what another upload holds; undo that first."""


@dataclass(frozen=True)
class LaterUse:
    """Rows of one table that a later upload sent again, or that point at what this one added."""

    upload_id: int
    table: str
    rows: int
    unchanged: int = 0  # of `rows`, sent again exactly as they were
    examples: tuple[str, ...] = ()  # for rows pointing at removed parents: which ones
    parent: str = ""  # for rows pointing at removed parents: the parents' table


def undo_upload(cursor: duckdb.DuckDBPyConnection, upload_id: int) -> int:
    """Take back everything `upload_id` did, in the caller's transaction; rows affected.

    Refused (UndoConflict, a sentence naming the other uploads and what to do) when
    - a later upload that still stands sent any of the same rows, whether it changed them or
      sent them again unchanged: undoing underneath it would take away figures it vouches for;
    - rows from other uploads point at a school, partnership or cohort this upload added:
      undoing it would leave them pointing at nothing.
    Nothing is changed when it is refused.
    """
    later = [use for name in WRITE_ORDER for use in _later_uploads(cursor, TABLES[name],
                                                                  upload_id)]
    if later:
        raise UndoConflict(_later_sentence(cursor, upload_id, later))
    stranded = [use for name in WRITE_ORDER for use in _stranded(cursor, TABLES[name],
                                                                 upload_id)]
    if stranded:
        raise UndoConflict(_stranded_sentence(cursor, upload_id, stranded))
    affected = sum(undo(cursor, TABLES[name], upload_id) for name in reversed(WRITE_ORDER))
    dangling = _dangling(cursor, upload_id)
    if dangling:  # raised inside the caller's transaction: nothing is put back
        raise UndoConflict(
            f"Upload {upload_id} cannot be undone: it removed {_and(dangling)}, and putting "
            f"{'it' if len(dangling) == 1 else 'them'} back would point at a partnership, "
            "cohort or school that a later change renamed or removed. Undo that later change "
            f"first, then upload {upload_id}.")
    return affected


def _dangling(cursor: duckdb.DuckDBPyConnection, upload_id: int) -> list[str]:
    """Rows `upload_id` removed (now put back) whose partnership, cohort or school is gone."""
    found: list[str] = []
    for link in REFERENCES:
        child, parent = TABLES[link.child], TABLES[link.parent]
        present = " AND ".join(f"c.{_quote(col)} IS NOT NULL" for col in link.columns)
        rows = cursor.execute(f"""
            SELECT count(*) FROM {child.name}_changes c
            WHERE c.change_upload_id = ? AND c.change = 'removed' AND {present}
              AND NOT EXISTS (SELECT 1 FROM {parent.name} p
                              WHERE {_keys_match(parent, "c", "p", link.columns)})
        """, [upload_id]).fetchone()[0]
        if rows:
            found.append(f"{child.count(int(rows))} of a {parent.one} that no longer exists")
    return found


def _keys_match(spec: TableSpec, left: str, right: str,
                columns: tuple[str, ...] | None = None) -> str:
    return " AND ".join(f"{left}.{_quote(c)} = {right}.{_quote(k)}"
                        for c, k in zip(columns or spec.key, spec.key, strict=True))


def _later_uploads(cursor: duckdb.DuckDBPyConnection, spec: TableSpec,
                   upload_id: int) -> list[LaterUse]:
    """Standing uploads after `upload_id` that sent any row it added or changed.

    Read from the change logs, which name every key each upload sent (changed or not), and
    from the rows themselves (a row whose `upload_id` is another upload's was changed by it:
    this also covers uploads logged before unchanged rows were).
    """
    keys = ", ".join(_quote(k) for k in spec.key)
    m_keys = ", ".join(f"m.{_quote(k)}" for k in spec.key)
    rows = cursor.execute(f"""
        WITH mine AS (
            SELECT DISTINCT {keys} FROM {spec.name}_changes
            WHERE change_upload_id = $upload AND change IN ('added', 'updated', 'removed')),
        touched AS (
            SELECT c.change_upload_id AS later, c.change = 'unchanged' AS same, {m_keys}
            FROM {spec.name}_changes c JOIN mine m ON {_keys_match(spec, 'c', 'm')}
            WHERE c.change_upload_id > $upload
            UNION ALL
            SELECT t.upload_id AS later, false AS same, {m_keys}
            FROM {spec.name} t JOIN mine m ON {_keys_match(spec, 't', 'm')}
            WHERE t.upload_id IS DISTINCT FROM $upload),
        per_row AS (
            SELECT later, {keys}, bool_and(same) AS same FROM touched GROUP BY later, {keys})
        SELECT later, count(*) AS rows, count(*) FILTER (WHERE same) AS unchanged
        FROM per_row JOIN uploads u ON u.upload_id = per_row.later AND u.status = 'accepted'
        GROUP BY later ORDER BY later
    """, {"upload": upload_id}).fetchall()
    return [LaterUse(int(r[0]), spec.name, int(r[1]), int(r[2])) for r in rows]


def _stranded(cursor: duckdb.DuckDBPyConnection, spec: TableSpec,
              upload_id: int) -> list[LaterUse]:
    """Rows of `spec` (from other uploads) that point at a parent row `upload_id` added."""
    found: list[LaterUse] = []
    for parent_name in WRITE_ORDER:
        for link in references_to(parent_name):
            if link.child != spec.name:
                continue
            parent = TABLES[parent_name]
            parent_keys = ", ".join(_quote(k) for k in parent.key)
            own = _keys_match(spec, "o", "ch")
            rows = cursor.execute(f"""
                WITH gone AS (
                    SELECT DISTINCT {parent_keys} FROM {parent.name}_changes
                    WHERE change_upload_id = $upload AND change = 'added'),
                stranded AS (
                    SELECT ch.upload_id AS holder, {", ".join(f"g.{_quote(k)}"
                                                             for k in parent.key)}
                    FROM {spec.name} ch JOIN gone g
                      ON {_keys_match(parent, "ch", "g", link.columns)}
                    WHERE NOT EXISTS (
                        SELECT 1 FROM {spec.name}_changes o
                        WHERE o.change_upload_id = $upload
                          AND o.change IN ('added', 'updated') AND {own}))
                SELECT holder, count(*) AS rows,
                       list(DISTINCT {_label_sql(parent)} ORDER BY {_label_sql(parent)})[:3]
                FROM stranded s {_label_join(parent)}
                GROUP BY holder ORDER BY holder
            """, {"upload": upload_id}).fetchall()
            found += [LaterUse(int(r[0]) if r[0] is not None else 0, spec.name, int(r[1]),
                               examples=tuple(str(x) for x in r[2]), parent=parent.name)
                      for r in rows]
    return found


def _label_sql(parent: TableSpec) -> str:
    """How a parent row is named in a sentence: a school by name and URN, else its key."""
    if parent.name == "schools":
        return "coalesce(p.name || ' (' || CAST(s.urn AS VARCHAR) || ')', CAST(s.urn AS VARCHAR))"
    return " || ' / ' || ".join(f"CAST(s.{_quote(k)} AS VARCHAR)" for k in parent.key)


def _label_join(parent: TableSpec) -> str:
    if parent.name == "schools":
        return "LEFT JOIN schools p ON p.urn = s.urn"
    return ""


def _upload_names(cursor: duckdb.DuckDBPyConnection, ids: list[int]) -> dict[int, str]:
    rows = cursor.execute(
        "SELECT upload_id, file_name, uploaded_at, actor FROM uploads "
        "WHERE list_contains($ids, upload_id)", {"ids": ids}).fetchall()
    return {int(i): f"upload {i} ({name}, {when:%d/%m/%Y %H:%M} by {actor})"
            for i, name, when, actor in rows}


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _later_sentence(cursor: duckdb.DuckDBPyConnection, upload_id: int,
                    later: list[LaterUse]) -> str:
    ids = sorted({u.upload_id for u in later})
    names = _upload_names(cursor, ids)
    parts = []
    for i in ids:
        uses = [u for u in later if u.upload_id == i]
        what = _and([f"{u.rows:,} of the same {TABLES[u.table].label}{_how(u)}"
                     for u in uses])
        parts.append(f"{names.get(i, f'upload {i}')} afterwards sent {what}")
    which = "that later upload" if len(ids) == 1 else "those later uploads"
    return (f"Upload {upload_id} cannot be undone on its own: {_and(parts)}. Undoing upload "
            f"{upload_id} now would take those rows away from {which}. Undo "
            f"{_in_order(ids, upload_id)}; or, if you only want to correct some figures, "
            "upload a corrected file instead.")


def _in_order(later: list[int], upload_id: int) -> str:
    """The undos to do, newest first: "upload 4, then upload 3, then upload 2"."""
    return ", then ".join(f"upload {i}" for i in [*sorted(later, reverse=True), upload_id])


def _how(use: LaterUse) -> str:
    changed = use.rows - use.unchanged
    if not use.unchanged:
        return ", changing them" if use.rows > 1 else ", changing it"
    if not changed:
        return " again unchanged"
    return f" ({changed:,} changed, {use.unchanged:,} sent again unchanged)"


def _stranded_sentence(cursor: duckdb.DuckDBPyConnection, upload_id: int,
                       stranded: list[LaterUse]) -> str:
    ids = sorted({u.upload_id for u in stranded if u.upload_id != upload_id})
    names = _upload_names(cursor, ids)
    parts = []
    examples: list[str] = []
    for i in ids:
        uses = [u for u in stranded if u.upload_id == i]
        # A membership names both a partnership and a cohort: count its rows once.
        rows = {u.table: max(v.rows for v in uses if v.table == u.table) for u in uses}
        parts.append(f"{names.get(i, f'upload {i}')} has "
                     + _and([TABLES[t].count(n) for t, n in rows.items()]))
        examples += [e for u in uses for e in u.examples if e not in examples]
    held = _and(parts) if parts else f"rows from before upload {upload_id} point at them"
    such_as = f" (such as {_and(examples[:3])})" if examples else ""
    first = f"Undo {_in_order(ids, upload_id)}" if ids else \
        f"Remove those rows first, then undo upload {upload_id}"
    parents = _and([TABLES[p].label for p in dict.fromkeys(u.parent for u in stranded)])
    return (f"Upload {upload_id} cannot be undone: it added {parents} that other uploads "
            f"still use{such_as}. {held[0].upper() + held[1:]} for them, and undoing upload "
            f"{upload_id} would leave those rows pointing at nothing. {first}; or keep upload "
            f"{upload_id} and correct it by uploading a corrected file.")


def undo(cursor: duckdb.DuckDBPyConnection, spec: TableSpec, upload_id: int) -> int:
    """Put back what `upload_id` changed in one table; returns rows restored or removed.

    Only `undo_upload` calls this, after checking that nothing else depends on those rows.
    """
    join = " AND ".join(f"t.{_quote(k)} = c.{_quote(k)}" for k in spec.key)
    removed = cursor.execute(
        f"DELETE FROM {spec.name} t USING {spec.name}_changes c WHERE {join} "
        f"AND c.change_upload_id = ? AND c.change = 'added'", [upload_id]).fetchone()[0]
    assignments = ", ".join(f"{_quote(c)} = c.{_quote(c)}" for c in (*spec.values, "upload_id"))
    restored = cursor.execute(
        f"UPDATE {spec.name} t SET {assignments} FROM {spec.name}_changes c WHERE {join} "
        f"AND c.change_upload_id = ? AND c.change = 'updated'", [upload_id]).fetchone()[0]
    cols = ", ".join(_quote(c) for c in spec.columns)
    put_back = cursor.execute(
        f"INSERT INTO {spec.name} ({cols}) SELECT {cols} FROM {spec.name}_changes "
        f"WHERE change_upload_id = ? AND change = 'removed'", [upload_id]).fetchone()[0]
    return int(removed) + int(restored) + int(put_back)
