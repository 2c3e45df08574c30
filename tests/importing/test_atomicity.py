"""Every upload is one transaction: a file with one bad row among a thousand changes nothing,
and a commit that fails part-way leaves no trace."""

from __future__ import annotations

import pandas as pd
import pytest

from impact.auth import DEMO_ADMIN
from impact.importing.pipeline import StalePlan, commit, import_file, plan_import
from tests.factories import (
    attainment_frame,
    csv_bytes,
    load,
    loaded_store,
    schools_frame,
    snapshot,
    xlsx_bytes,
)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_one_bad_row_among_a_thousand_leaves_the_store_unchanged(store, tmp_path, fmt):
    loaded_store(store, n_schools=10)
    before = snapshot(store)
    assert before["attainment"] and before["uploads"] and before["upload_files"]
    urns = list(range(100001, 100011))
    frame = attainment_frame(urns, range(1990, 2090), seed=5)  # 1,000 rows, most of them new
    assert len(frame) == 1000
    frame = frame.astype({"Value": object})
    frame.loc[637, "Value"] = "sixty"
    data = xlsx_bytes("attainment", frame) if fmt == "xlsx" else csv_bytes(frame)
    path = tmp_path / f"big.{fmt}"
    path.write_bytes(data)

    result = import_file(store, path, DEMO_ADMIN)
    assert result.status == "rejected"
    assert [(p.row, p.column, p.value) for p in result.plan.problems] == [(639, "Value", "sixty")]
    assert result.upload_id is None
    assert snapshot(store) == before


def test_a_commit_that_fails_part_way_through_leaves_no_trace(store):
    """A schools file writes four tables in order. Here the plan is overtaken only in its third
    table (another upload created the same cohort meanwhile), so the commit has already
    written new schools when it discovers that; all of it must roll back."""
    load(store, "schools", schools_frame(2, in_partnership=0))
    mine = pd.concat([schools_frame(2, in_partnership=0),
                      schools_frame(3, first_urn=100010, partnership="Oak Trust",
                                    in_partnership=1)], ignore_index=True)
    mine.loc[2, "Cohort"] = "Founders"
    plan = plan_import(store, "mine.xlsx", xlsx_bytes("schools", mine), DEMO_ADMIN)
    assert {c.table: c.added for c in plan.changes} == {
        "schools": 3, "partnerships": 1, "cohorts": 1, "memberships": 1}
    theirs = schools_frame(1, first_urn=100001, partnership="Oak Trust", in_partnership=1,
                           cohort="Founders")
    load(store, "schools", theirs)
    before = snapshot(store)
    with pytest.raises(StalePlan):
        commit(store, plan, DEMO_ADMIN)
    assert snapshot(store) == before
    assert store.scalar("SELECT count(*) FROM schools WHERE urn >= 100010") == 0
