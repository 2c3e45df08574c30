"""The Upload page's tables, from real plans against a real store."""

from __future__ import annotations

from impact.auth import DEMO_ADMIN
from impact.importing.pipeline import plan_import
from impact.reports import upload as report
from tests.factories import attainment_frame, load, schools_frame, xlsx_bytes


def test_problems_table_reads_as_excel_numbers_rows(store):
    load(store, "schools", schools_frame(2))
    frame = attainment_frame([100001, 100002], range(2018, 2019)).astype(object)
    frame.loc[1, "Value"] = "lots"
    plan = plan_import(store, "bad.xlsx", xlsx_bytes("attainment", frame), DEMO_ADMIN)
    table = report.problems_table(plan)
    assert list(table.columns) == ["Row", "Column", "Value", "Problem"]
    assert str(table["Row"].dtype) == "Int64"
    assert table.iloc[0][["Row", "Column", "Value"]].tolist() == [3, "Value", "lots"]
    assert report.problems_headline(plan) == (
        "bad.xlsx has 1 problem to fix. Nothing was saved. Fix it in your spreadsheet and "
        "upload it again.")


def test_counts_and_changed_values_say_what_will_change(store):
    load(store, "schools", schools_frame(2))
    frame = attainment_frame([100001, 100002], range(2018, 2019))
    load(store, "attainment", frame)
    frame.loc[0, "Value"] = 99.0
    frame.loc[0, "Cohort size"] = 31
    plan = plan_import(store, "fix.xlsx", xlsx_bytes("attainment", frame), DEMO_ADMIN)
    assert report.counts_table(plan.changes).to_dict("records") == [
        {"What": "Attainment figures", "New": 0, "Changed": 1,
         "Already stored, no change": 1}]
    changed = report.changed_values_table(plan.changes)
    assert sorted(changed["Column"]) == ["Cohort size", "Value"]
    value = changed[changed["Column"] == "Value"].iloc[0]
    assert value["Which row"] == "100001 · 2018/19 · Summer · RWM expected % · All pupils"
    assert float(value["After"]) == 99.0 and float(value["Before"]) != 99.0
    assert not report.preview_cut_off(plan.changes)


def test_history_table_and_labels(store):
    load(store, "schools", schools_frame(2), name="set-up.xlsx")
    uploads = store.run("uploads")
    table = report.history_table(uploads)
    assert table.iloc[0][["Upload", "Who", "File", "Kind", "Status"]].tolist() == \
        [1, "Demo admin", "set-up.xlsx", "Schools and partnerships", "Saved"]
    label = report.upload_label(uploads.to_dict("records")[0])
    assert label.startswith("1: set-up.xlsx, ") and "Undone" not in label
