"""The Upload page's tables: problems, what will change, and the history of uploads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from impact.domain import measures as m
from impact.domain.pupil_groups import group_label
from impact.importing.formats import all_formats
from impact.importing.pipeline import ImportPlan
from impact.importing.writing import PREVIEW_LIMIT, TABLES, TableChanges

STATUS = {"accepted": "Saved", "undone": "Undone"}


def _kind_label(code: str) -> str:
    found = all_formats().get(code)
    return found.label if found else code


def problems_table(plan: ImportPlan) -> pd.DataFrame:
    """Row, Column, Value, Problem — the row as Excel numbers it, blank for the whole file."""
    frame = plan.problems_frame()
    frame["Row"] = frame["Row"].astype("Int64")
    frame["Column"] = frame["Column"].fillna("")
    frame["Value"] = frame["Value"].fillna("")
    return frame


def problems_headline(plan: ImportPlan) -> str:
    count = len(plan.problems)
    things = "problem" if count == 1 else "problems"
    return (f"{plan.file_name} has {count} {things} to fix. Nothing was saved. Fix "
            f"{'it' if count == 1 else 'them'} in your spreadsheet and upload it again.")


def counts_table(changes: Sequence[TableChanges]) -> pd.DataFrame:
    """Per table: rows that will be added, updated, or are already stored as they are (and,
    for a change that takes rows away, removed: one line per table)."""
    columns = ["What", "New", "Changed", "Already stored, no change"]
    removing = any(c.removed for c in changes)
    if removing:
        columns.append("Removed")
    rows: dict[str, dict[str, Any]] = {}
    for c in changes:
        label = c.label[0].upper() + c.label[1:]
        row = rows.setdefault(label, {"What": label, "New": 0, "Changed": 0,
                                      "Already stored, no change": 0, "Removed": 0})
        row["New"] += c.added
        row["Changed"] += c.updated
        row["Already stored, no change"] += c.unchanged
        row["Removed"] += c.removed
    return pd.DataFrame(list(rows.values()), columns=columns)


def removed_rows_table(changes: Sequence[TableChanges]) -> pd.DataFrame:
    """Each row a change takes away: which table and which row, as people name it."""
    rows = []
    for change in changes:
        frame = change.removed_rows
        if frame is None or frame.empty:
            continue
        spec = TABLES[change.table]
        label = change.label[0].upper() + change.label[1:]
        rows += [{"What": label, "Which row": _key_text(record, spec.key)}
                 for record in frame.to_dict("records")]
    return pd.DataFrame(rows, columns=["What", "Which row"])


def _field_label(field: str) -> str:
    return field.replace("_", " ").capitalize()


def _key_part(name: str, value: Any) -> str:
    """One part of a row's key as people know it: labels, not codes; dates day first."""
    if name == "measure" and value in m.BY_CODE:
        return m.measure(value).short
    if name == "pupil_group":
        return group_label(str(value))
    if name == "area_type":
        return {"national": "National", "local_authority": "Local authority"}.get(value, value)
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _key_text(row: dict[str, Any], key: Sequence[str]) -> str:
    return " · ".join(_key_part(name, row[name]) for name in key
                      if row.get(name) is not None
                      and not (isinstance(row[name], float) and pd.isna(row[name])))


def changed_values_table(changes: Sequence[TableChanges]) -> pd.DataFrame:
    """Each value that will change: which row, which column, before and after."""
    rows = []
    for change in changes:
        frame = change.changed_values
        if frame is None or frame.empty:
            continue
        spec = TABLES[change.table]
        label = change.label[0].upper() + change.label[1:]
        for record in frame.to_dict("records"):
            rows.append({"What": label, "Which row": _key_text(record, spec.key),
                         "Column": _field_label(str(record["field"])),
                         "Before": "" if record["before"] is None else str(record["before"]),
                         "After": "" if record["after"] is None else str(record["after"])})
    return pd.DataFrame(rows, columns=["What", "Which row", "Column", "Before", "After"])


def preview_cut_off(changes: Sequence[TableChanges]) -> bool:
    """True when some table has more changed values than the preview lists."""
    return any(len(c.changed_values) >= PREVIEW_LIMIT for c in changes)


def saved_sentence(file_name: str, upload_id: int, plan: ImportPlan) -> str:
    return (f"Saved {file_name} as upload {upload_id}: {plan.rows_added} new, "
            f"{plan.rows_updated} changed, {plan.rows_unchanged} already stored.")


def history_table(uploads: pd.DataFrame) -> pd.DataFrame:
    """Uploads, newest first, for people: number, when, who, file, kind, counts, status."""
    return pd.DataFrame({
        "Upload": uploads["upload_id"].astype(int),
        "When": pd.to_datetime(uploads["uploaded_at"]).dt.strftime("%d/%m/%Y %H:%M"),
        "Who": uploads["actor"],
        "File": uploads["file_name"],
        "Kind": uploads["kind"].map(_kind_label),
        "New": uploads["rows_added"].astype(int),
        "Changed": uploads["rows_updated"].astype(int),
        "No change": uploads["rows_unchanged"].astype(int),
        "Removed": (uploads["rows_removed"] if "rows_removed" in uploads
                    else pd.Series(0, index=uploads.index)).fillna(0).astype(int),
        "Status": uploads["status"].map(lambda s: STATUS.get(s, s)),
    }).reset_index(drop=True)


def upload_label(row: dict[str, Any]) -> str:
    when = pd.Timestamp(row["uploaded_at"]).strftime("%d/%m/%Y %H:%M")
    status = "" if row["status"] == "accepted" else f" ({STATUS.get(row['status'], row['status'])})"
    return f"{int(row['upload_id'])}: {row['file_name']}, {when}{status}"
