"""Which rows of an upload the person may write, as problems shown before anything is saved.

Each table, and each school's rows in it, is put to `impact.auth.rights.allowed` (asked once
per school, not per row: a national table has 600,000 rows). A head's file that carries another
school's URN is refused naming the row and the school; a file the person may not load at all
(a governor's, or a head's schools file) says so once, not once per row.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from impact.auth.actor import Actor
from impact.auth.rights import WRITE_ROWS, Rows, allowed
from impact.importing.layout import ROW
from impact.importing.problems import Problem
from impact.importing.writing import TABLES

FOREIGN_ROWS_LISTED = 200  # rows named one by one before the rest are summed up


def _school(urn: int, names: Mapping[int, str]) -> str:
    name = names.get(urn)
    return f"{name} (URN {urn})" if name else f"school {urn}"


def import_problems(actor: Actor, frames: Mapping[str, pd.DataFrame],
                    headers: Mapping[str, str] | None = None,
                    names: Mapping[int, str] | None = None) -> list[Problem]:
    """What `actor` may not write among these rows. `headers` (field -> the file's column)
    lets a problem name the column the person wrote; `names` (URN -> school name) names the
    school."""
    headers, names = headers or {}, names or {}
    refused: list[Problem] = []
    foreign: list[Problem] = []
    column = headers.get("urn") or headers.get("school_name") or "URN"
    for name, frame in frames.items():
        spec = TABLES[name]
        whole = allowed(actor, WRITE_ROWS, Rows(spec.name, spec.label, spec.structure))
        if not whole:
            if whole.reason not in {p.message for p in refused}:
                refused.append(Problem(None, None, None, whole.reason))
            continue
        if "urn" not in frame or not len(frame):
            continue
        decisions = {int(u): allowed(actor, WRITE_ROWS, Rows(spec.name, spec.label,
                                                              spec.structure, int(u)))
                     for u in frame["urn"].dropna().unique()}
        # one comparison for the whole column, not a call per row
        mask = frame["urn"].isin([u for u, said in decisions.items() if not said]).to_numpy()
        theirs = frame[mask]
        for _, row in theirs.head(FOREIGN_ROWS_LISTED).iterrows():
            urn = int(row["urn"])
            foreign.append(Problem(
                int(row[ROW]) if ROW in row else None, column, str(urn),
                f"this row is for {_school(urn, names)}: {decisions[urn].reason}"))
        if len(theirs) > FOREIGN_ROWS_LISTED:
            others = sorted(int(u) for u in theirs["urn"].unique())
            foreign.append(Problem(
                None, column, None,
                f"and {len(theirs) - FOREIGN_ROWS_LISTED:,} more rows for schools that are not "
                f"yours ({len(others):,} schools in all, such as "
                f"{', '.join(map(str, others[:5]))})"))
    # A file this actor may not load at all says so once, not once per row as well.
    return refused or foreign
