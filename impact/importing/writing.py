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
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from impact.auth import Actor
from impact.importing.layout import ROW
from impact.importing.problems import Problem

PREVIEW_LIMIT = 500
FOREIGN_ROWS_LISTED = 200  # rows named one by one before the rest are summed up
CLEAR_PREFIX = "_clear_"


def clear_column(field_name: str) -> str:
    """The companion column that is true where a blank `field_name` means "empty it"."""
    return CLEAR_PREFIX + field_name


@dataclass(frozen=True)
class TableSpec:
    name: str
    key: tuple[str, ...]
    values: tuple[str, ...]
    label: str
    structure: bool = False  # set up by the trust: admins and data managers only
    blank_keeps: bool = False  # a blank value keeps the stored one (see the module docstring)

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.key, *self.values, "upload_id")


_OFSTED_VALUES = (
    "framework", "inspection_type", "overall_effectiveness", "quality_of_education",
    "behaviour_and_attitudes", "personal_development", "leadership_and_management",
    "early_years", "sixth_form", "inclusion", "curriculum_and_teaching", "achievement",
    "attendance_and_behaviour", "personal_development_and_wellbeing",
    "leadership_and_governance", "post_16", "safeguarding", "source",
)

TABLES: dict[str, TableSpec] = {t.name: t for t in (
    TableSpec("schools", ("urn",), ("name", "phase", "school_type", "local_authority", "pupils",
                                    "capacity", "contact_name", "contact_email"), "schools",
              structure=True, blank_keeps=True),
    TableSpec("partnerships", ("partnership",), ("partnership_type",), "partnerships",
              structure=True, blank_keeps=True),
    TableSpec("cohorts", ("partnership", "cohort"), ("focus", "start_date"), "cohorts",
              structure=True, blank_keeps=True),
    TableSpec("memberships", ("urn", "partnership", "cohort"), ("joined_date", "left_date"),
              "memberships", structure=True, blank_keeps=True),
    TableSpec("attainment", ("urn", "academic_year", "term", "measure", "pupil_group"),
              ("cohort_size", "value", "value_note", "source", "lower", "upper"),
              "attainment figures"),
    TableSpec("benchmarks", ("area_type", "area_code", "academic_year", "term", "measure",
                             "pupil_group"),
              ("area_name", "cohort_size", "value", "value_note", "source", "lower", "upper"),
              "national and local benchmark figures", structure=True),
    TableSpec("ofsted_inspections", ("urn", "inspection_date"), _OFSTED_VALUES,
              "Ofsted inspections"),
    TableSpec("cpd_activities", ("urn", "academic_year", "term", "activity", "staff_role"),
              ("staff_count", "hours_each", "activity_date", "self_assessment_before",
               "self_assessment_after", "lessons_good_or_better", "staff_confidence",
               "description"), "CPD records"),
    TableSpec("improvement_projects", ("urn", "project"),
              ("partnership", "area", "lead_name", "lead_urn", "start_date", "end_date",
               "status", "measure", "findings", "action_plan", "presented_date"),
              "improvement projects", blank_keeps=True),
)}

# Order of writing (parents first) and of undoing (children first) does not matter for
# correctness, as there are no foreign keys, but it reads naturally in the change log.
WRITE_ORDER = tuple(TABLES)


@dataclass
class TableChanges:
    """How an upload's rows for one table compare with the store."""

    table: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    changed_values: pd.DataFrame = field(default_factory=pd.DataFrame)  # first PREVIEW_LIMIT
    fingerprint: str = ""

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
    keys = frame[list(spec.key)]
    if keys.isna().to_numpy().any():
        raise ValueError(f"rows for {spec.name} have an empty key column")
    if keys.duplicated().any():
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


def stage(cursor: duckdb.DuckDBPyConnection, spec: TableSpec, frame: pd.DataFrame) -> TableChanges:
    """Compare `frame` with the table into temp table `_stage_<table>`; count and preview.

    Identifiers come from `TABLES` (code, not input); every value is bound or scanned, never
    formatted into SQL.
    """
    values = _present(spec, frame)
    _check_keys(spec, frame)
    types = _types(cursor, spec.name)
    clears = {v for v in values if spec.blank_keeps and clear_column(v) in frame}
    incoming = frame[[*spec.key, *values]].copy()
    for value in sorted(clears):
        incoming[clear_column(value)] = frame[clear_column(value)].fillna(False).astype(bool)
    view = f"_incoming_{spec.name}"
    cursor.register(view, incoming)
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
    fingerprint = cursor.execute(
        f"SELECT coalesce(sum(hash(s._change, s._old_upload, {key_list})), 0)::VARCHAR "
        f"FROM {staged} s").fetchone()[0]
    changed = _changed_values(cursor, spec, values, staged)
    return TableChanges(spec.name, counts.get("added", 0), counts.get("updated", 0),
                        counts.get("unchanged", 0), changed, fingerprint)


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
          upload_id: int) -> TableChanges:
    """Stage, log and write `frame` to its table; call inside a write transaction."""
    changes = stage(cursor, spec, frame)
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
    if changes.added:
        cursor.execute(
            f"INSERT INTO {spec.name}_changes (change_upload_id, change, {keys}) "
            f"SELECT ?, 'added', {keys} FROM {staged} WHERE _change = 'added'", [upload_id])
        written = ", ".join(_quote(c) for c in (*spec.key, *values))
        cursor.execute(
            f"INSERT INTO {spec.name} ({written}, upload_id) "
            f"SELECT {written}, ? FROM {staged} WHERE _change = 'added'", [upload_id])
    cursor.execute(f"DROP TABLE IF EXISTS {staged}")
    return changes


class UndoConflict(RuntimeError):
    """A later upload changed the same rows; undo that one first."""


def undo(cursor: duckdb.DuckDBPyConnection, spec: TableSpec, upload_id: int) -> int:
    """Put back what `upload_id` changed in one table; returns rows restored or removed.

    Refuses (UndoConflict) if a later upload has since changed any of the same rows, because
    undoing underneath it would silently lose that later upload's figures.
    """
    join = " AND ".join(f"t.{_quote(k)} = c.{_quote(k)}" for k in spec.key)
    later = cursor.execute(
        f"SELECT DISTINCT t.upload_id FROM {spec.name} t JOIN {spec.name}_changes c ON {join} "
        f"WHERE c.change_upload_id = ? AND t.upload_id IS DISTINCT FROM ? ORDER BY 1",
        [upload_id, upload_id]).fetchall()
    if later:
        ids = ", ".join(str(r[0]) for r in later)
        raise UndoConflict(
            f"Upload {upload_id} cannot be undone on its own: upload {ids} changed some of the "
            f"same {spec.label} afterwards. Undo upload {ids} first.")
    removed = cursor.execute(
        f"DELETE FROM {spec.name} t USING {spec.name}_changes c WHERE {join} "
        f"AND c.change_upload_id = ? AND c.change = 'added'", [upload_id]).fetchone()[0]
    assignments = ", ".join(f"{_quote(c)} = c.{_quote(c)}" for c in (*spec.values, "upload_id"))
    restored = cursor.execute(
        f"UPDATE {spec.name} t SET {assignments} FROM {spec.name}_changes c WHERE {join} "
        f"AND c.change_upload_id = ? AND c.change = 'updated'", [upload_id]).fetchone()[0]
    return int(removed) + int(restored)


def authorise(actor: Actor, frames: dict[str, pd.DataFrame],
              headers: dict[str, str] | None = None) -> list[Problem]:
    """What this actor may not write among these rows, as problems to show before anything is.

    Heads change only their own schools' figures; partnerships, cohorts, schools and public
    benchmarks are set up by the trust's admins and data managers; governors look but do not
    change. `headers` (field -> column as the file names it) lets a problem name the column
    the user wrote.
    """
    headers = headers or {}
    problems: list[Problem] = []
    foreign_rows: list[Problem] = []
    if not actor.can_write:
        return [Problem(None, None, None,
                        f"{actor.name} ({actor.role}) can look at the data but not change it: "
                        "ask the school's head or the trust's data manager to upload this file.")]
    for name, frame in frames.items():
        spec = TABLES[name]
        if spec.structure and not actor.may_change_structure:
            problems.append(Problem(None, None, None,
                                    f"{actor.name} ({actor.role}) cannot change {spec.label}: "
                                    "ask the trust's data manager to upload this file."))
            continue
        if "urn" in spec.key and not spec.structure and "urn" in frame and len(frame):
            # Asked once per school, not per row: a national table has 600,000 rows.
            allowed = {u: actor.may_change_school(int(u)) for u in frame["urn"].unique()}
            foreign = frame[~frame["urn"].map(allowed).astype(bool)]
            for _, row in foreign.head(FOREIGN_ROWS_LISTED).iterrows():
                foreign_rows.append(Problem(
                    int(row[ROW]) if ROW in row else None,
                    headers.get("urn") or headers.get("school_name") or "URN",
                    str(int(row["urn"])),
                    f"this row is for school {int(row['urn'])}, and you can upload figures "
                    "only for your own school"))
            if len(foreign) > FOREIGN_ROWS_LISTED:
                others = sorted(int(u) for u in foreign["urn"].unique())
                foreign_rows.append(Problem(
                    None, headers.get("urn") or "URN", None,
                    f"and {len(foreign) - FOREIGN_ROWS_LISTED:,} more rows for schools that are "
                    f"not yours ({len(others):,} schools in all, such as "
                    f"{', '.join(map(str, others[:5]))})"))
    # A file this actor may not load at all says so once, not once per row as well.
    return problems or foreign_rows
