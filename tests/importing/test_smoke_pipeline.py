"""The import path end to end on a small store: upload, re-upload, correct, undo."""

from impact.auth import DEMO_ADMIN
from impact.importing.pipeline import plan_import, undo_upload
from tests.factories import attainment_frame, load, schools_frame, xlsx_bytes


def test_upload_correct_and_undo(store):
    load(store, "schools", schools_frame(4))
    frame = attainment_frame([100001, 100002], range(2017, 2019))
    first = load(store, "attainment", frame)
    assert first.plan.rows_added == 4
    again = plan_import(store, "a.xlsx", xlsx_bytes("attainment", frame), DEMO_ADMIN)
    assert (again.rows_added, again.rows_updated, again.rows_unchanged) == (0, 0, 4)
    corrected = frame.copy()
    corrected.loc[0, "Value"] = 99.5
    second = load(store, "attainment", corrected)
    assert (second.plan.rows_updated, second.plan.rows_unchanged) == (1, 3)
    assert store.scalar("SELECT max(value) FROM attainment") == 99.5
    undo_upload(store, second.upload_id, DEMO_ADMIN)
    assert store.scalar("SELECT max(value) FROM attainment") == frame["Value"].max()
